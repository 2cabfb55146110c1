/**
 * The DNS Server role of a Windows Server: standard primary zones loaded from zone files in its
 * dns folder, conditional forwarders and forwarders for the rest, RFC 2136 dynamic updates, and
 * the service that `net stop dns` stops.
 *
 * Answers for a zone it holds are authoritative (AA): the records, a CNAME and what it points to
 * inside the zone, no data with the SOA, or a name error with the SOA (RFC 2308). Other names go
 * to the conditional forwarder of the longest matching domain, else to the forwarders, each tried
 * for 3 seconds in turn (KB2834250's forwarder timeout); when every one is silent the client gets a
 * server failure. Root hints are not followed: an isolated lab has no root servers to reach.
 * Referrals for delegations below a zone, zone transfers, secondaries and stub zones are not
 * modelled, nor is the server's own cache of forwarded answers.
 *
 * Dynamic updates: a zone allowing None refuses them; NonsecureAndSecure applies them; Secure needs
 * Kerberos (GSS-TSIG) from Active Directory, which is not modelled, so such updates are REFUSED,
 * except in an AD-integrated zone from a DC of the domain (see ad-dns-zones.ts).
 */

import type { EventHandler } from '../../core/scheduler.ts';
import { SECOND } from '../../core/time.ts';
import type { UdpDatagram } from '../../core/packets.ts';
import type { IpHost } from '../../l3/ip-host.ts';
import {
  canonicalName, CLASS_ANY, CLASS_IN, CLASS_NONE, dnsLength, DNS_PORT, isDnsMessage, OPCODE_QUERY, OPCODE_UPDATE, RCODE_FORMERR, RCODE_NOERROR, RCODE_NOTAUTH, RCODE_NOTIMP,
  RCODE_NXDOMAIN, RCODE_REFUSED, RCODE_SERVFAIL, TYPE_ANY, TYPE_CNAME, TYPE_NS, TYPE_SOA, type DnsMessage, type DnsRecord,
} from '../../wire/dns.ts';
import { parseZoneFile, writeZoneFile } from './dns-zone-file.ts';

export const DYNAMIC_UPDATE_MODES = ['None', 'NonsecureAndSecure', 'Secure'] as const;
export type DynamicUpdate = (typeof DYNAMIC_UPDATE_MODES)[number];
/** Seconds the server waits for each forwarder before the next. */
export const FORWARDER_TIMEOUT_S = 3;
const RCODE_NOTZONE = 10;

export interface DnsZone {
  name: string;
  type: 'primary' | 'forwarder';
  /** The zone file name in the dns folder (primary zones). */
  file: string;
  records: DnsRecord[];
  dynamicUpdate: DynamicUpdate;
  /** Conditional forwarder: where queries for the domain go. */
  masters: number[];
  /** Changed since the file was written. */
  dirty: boolean;
  /** Stored in Active Directory (ad-dns-zones.ts) instead of its file. */
  adIntegrated?: boolean;
}

/** Where AD-integrated zones are kept: told of their changes, and who may update them securely. */
export interface DnsZoneDirectory {
  zoneChanged(z: DnsZone): void;
  zoneDeleted(z: DnsZone): void;
  maySecurelyUpdate(src: number): boolean;
}

interface Forwarding {
  port: number;
  client: number;
  clientPort: number;
  /** The address the client asked, which the answer comes from. */
  local: number;
  query: DnsMessage;
  servers: number[];
  next: number;
  timer: number;
  id: number;
  handler: (d: UdpDatagram, src: number) => void;
}

const FIRST_PORT = 50000;

export class DnsServerRole implements EventHandler {
  /** %SystemRoot%\System32\dns: zone files by lower-case file name. */
  readonly files = new Map<string, string>();
  readonly zones = new Map<string, DnsZone>();
  forwarders: number[] = [];
  running = false;
  /**
   * "Enable round robin" (on by default): a name with several records of one type answers them
   * rotated by one on each query, so clients that take the first address spread over them.
   */
  roundRobin = true;
  /** Active Directory, when this server is a domain controller. */
  directory: DnsZoneDirectory | null = null;
  /** Answers given per name and type, which the rotation counts on. */
  private readonly rotations = new Map<string, number>();
  /** Queries and updates received, answered from zones, forwarded, refused. */
  readonly counters = { queries: 0, authoritative: 0, forwarded: 0, updates: 0, refused: 0 };
  private readonly handlerId: number;
  private readonly handler: (d: UdpDatagram, src: number, dst: number) => void;
  private readonly forwardings = new Map<number, Forwarding>();
  private nextPort = FIRST_PORT;
  private nextId = 1;

  constructor(
    private readonly host: IpHost,
    /** The server's own FQDN, written into new zones' SOA and NS. */
    private readonly fqdn: () => string,
  ) {
    this.handlerId = host.net.sched.register(this);
    this.handler = (d, src, dst) => this.receive(d, src, dst);
  }

  // ---- the service ---------------------------------------------------------------------------

  start(): void {
    if (this.running) return;
    // Standard primary zones are read from their files when the service starts; a file it
    // cannot read stops the start with nothing changed.
    const loaded = [...this.zones.values()].filter((z) => z.type === 'primary' && z.adIntegrated !== true).map((z) => ({ z, records: parseZoneFile(this.files.get(z.file.toLowerCase()) ?? '', z.name).records }));
    for (const { z, records } of loaded) z.records = records;
    this.running = true;
    this.host.bindUdp(DNS_PORT, this.handler);
  }

  stop(): void {
    if (!this.running) return;
    this.running = false;
    this.host.unbindUdp(DNS_PORT, this.handler);
    // The service writes changed zones back to their files as it stops.
    for (const z of this.zones.values()) this.writeBack(z);
    for (const f of [...this.forwardings.values()]) this.endForwarding(f);
  }

  writeBack(z: DnsZone): void {
    if (z.type !== 'primary' || !z.dirty || z.adIntegrated === true) return;
    this.files.set(z.file.toLowerCase(), writeZoneFile(z.name, z.records));
    z.dirty = false;
  }

  // ---- zones -------------------------------------------------------------------------------

  /**
   * A standard primary zone. With `load` the zone is read from its existing file (an error when
   * the file is missing or unreadable); without, a new file gets the SOA and NS of this server.
   */
  addPrimaryZone(name: string, file: string, load: boolean, dynamicUpdate: DynamicUpdate = 'None'): DnsZone {
    const zname = canonicalName(name);
    if (this.zones.has(zname)) throw new Error('DNS_ERROR_ZONE_ALREADY_EXISTS');
    const key = file.toLowerCase();
    if (load) {
      const text = this.files.get(key);
      if (text === undefined) throw new Error('DNS_ERROR_FILE_NOT_FOUND');
      parseZoneFile(text, zname);
    } else {
      const me = canonicalName(this.fqdn());
      const records: DnsRecord[] = [
        { name: zname, type: TYPE_SOA, class: CLASS_IN, ttl: 3600, data: { mname: me, rname: `hostmaster.${zname}`, serial: 1, refresh: 900, retry: 600, expire: 86400, minimum: 3600 } },
        { name: zname, type: TYPE_NS, class: CLASS_IN, ttl: 3600, data: me },
      ];
      this.files.set(key, writeZoneFile(zname, records));
    }
    const z: DnsZone = { name: zname, type: 'primary', file, records: [], dynamicUpdate, masters: [], dirty: false };
    z.records = parseZoneFile(this.files.get(key) as string, zname).records;
    this.zones.set(zname, z);
    return z;
  }

  addConditionalForwarder(name: string, masters: number[]): DnsZone {
    const zname = canonicalName(name);
    if (this.zones.has(zname)) throw new Error('DNS_ERROR_ZONE_ALREADY_EXISTS');
    const z: DnsZone = { name: zname, type: 'forwarder', file: '', records: [], dynamicUpdate: 'None', masters, dirty: false };
    this.zones.set(zname, z);
    return z;
  }

  /** The zone file stays in the dns folder, so the zone can be added again from it. */
  deleteZone(name: string): boolean {
    const z = this.zones.get(canonicalName(name));
    if (z === undefined) return false;
    this.writeBack(z);
    this.zones.delete(z.name);
    if (z.adIntegrated === true) this.directory?.zoneDeleted(z);
    return true;
  }

  /** The zone holding `name`: the one with the longest matching name. */
  zoneFor(name: string): DnsZone | null {
    let best: DnsZone | null = null;
    for (const z of this.zones.values()) {
      if ((name === z.name || name.endsWith(`.${z.name}`) || z.name === '') && (best === null || z.name.length > best.name.length)) best = z;
    }
    return best;
  }

  addRecord(zone: DnsZone, r: DnsRecord): void {
    if (r.type === TYPE_CNAME || zone.records.some((x) => x.name === r.name && x.type === TYPE_CNAME)) zone.records = zone.records.filter((x) => x.name !== r.name || x.type === TYPE_SOA || x.type === TYPE_NS);
    if (!zone.records.some((x) => x.name === r.name && x.type === r.type && JSON.stringify(x.data) === JSON.stringify(r.data))) zone.records.push(r);
    this.touch(zone);
  }

  private touch(zone: DnsZone): void {
    const soa = zone.records.find((x) => x.type === TYPE_SOA);
    if (soa !== undefined && soa.data !== null && typeof soa.data === 'object' && 'serial' in soa.data) soa.data = { ...soa.data, serial: (soa.data.serial + 1) >>> 0 };
    zone.dirty = true;
    if (zone.adIntegrated === true) this.directory?.zoneChanged(zone);
  }

  // ---- answering ---------------------------------------------------------------------------

  private reply(q: DnsMessage, rcode: number, aa: boolean, answers: DnsRecord[] = [], authority: DnsRecord[] = []): DnsMessage {
    return { ...q, response: true, authoritative: aa, recursionAvailable: true, rcode, answers, authority, additional: [] };
  }

  private send(to: number, port: number, m: DnsMessage, from: number): void {
    this.host.sendUdp(to, DNS_PORT, port, dnsLength(m), m, { src: from });
  }

  private receive(d: UdpDatagram, src: number, dst: number): void {
    const m = d.data;
    if (!isDnsMessage(m) || m.response || !this.host.isLocal(dst)) return;
    const answer = (r: DnsMessage): void => this.send(src, d.srcPort, r, dst);
    if (m.opcode === OPCODE_UPDATE) return answer(this.update(m, src));
    if (m.opcode !== OPCODE_QUERY) return answer(this.reply(m, RCODE_NOTIMP, false));
    this.counters.queries++;
    const q = m.questions[0];
    if (q === undefined || m.questions.length !== 1) return answer(this.reply(m, RCODE_FORMERR, false));
    const zone = this.zoneFor(q.name);
    if (zone !== null && zone.type === 'primary') {
      this.counters.authoritative++;
      return answer(this.authoritative(m, zone, q.name, q.type));
    }
    const servers = zone !== null ? zone.masters : this.forwarders;
    if (servers.length === 0 || !m.recursionDesired) return answer(this.reply(m, RCODE_SERVFAIL, false));
    this.forward(m, src, d.srcPort, dst, servers);
  }

  authoritative(m: DnsMessage, zone: DnsZone, name: string, type: number): DnsMessage {
    const soa = zone.records.filter((r) => r.type === TYPE_SOA);
    const answers: DnsRecord[] = [];
    let at = name;
    // Follow CNAMEs while they stay in the zone (a chain loop ends after a few links).
    for (let hops = 0; hops < 8; hops++) {
      const here = zone.records.filter((r) => r.name === at);
      const match = here.filter((r) => r.type === type || type === TYPE_ANY);
      const cname = here.find((r) => r.type === TYPE_CNAME);
      if (match.length > 0) return this.reply(m, RCODE_NOERROR, true, [...answers, ...this.rotate(at, type, match)]);
      if (cname !== undefined && typeof cname.data === 'string') {
        answers.push(cname);
        at = cname.data;
        if (at !== zone.name && !at.endsWith(`.${zone.name}`)) return this.reply(m, RCODE_NOERROR, true, answers);
        continue;
      }
      // A name exists when it has records or names below it (an empty non-terminal, RFC 8020).
      const exists = here.length > 0 || zone.records.some((r) => r.name.endsWith(`.${at}`));
      if (exists || answers.length > 0) return this.reply(m, RCODE_NOERROR, true, answers, answers.length > 0 ? [] : soa);
      return this.reply(m, RCODE_NXDOMAIN, true, [], soa);
    }
    return this.reply(m, RCODE_SERVFAIL, false);
  }

  private rotate(name: string, type: number, records: DnsRecord[]): DnsRecord[] {
    if (!this.roundRobin || records.length < 2 || type === TYPE_ANY) return records;
    const key = `${name}|${type}`;
    const n = this.rotations.get(key) ?? 0;
    this.rotations.set(key, n + 1);
    const k = n % records.length;
    return [...records.slice(k), ...records.slice(0, k)];
  }

  private update(m: DnsMessage, src: number): DnsMessage {
    this.counters.updates++;
    const zq = m.questions[0];
    if (zq === undefined || zq.type !== TYPE_SOA || m.questions.length !== 1) return this.reply(m, RCODE_FORMERR, false);
    const zone = this.zones.get(canonicalName(zq.name));
    if (zone === undefined || zone.type !== 'primary') return this.reply(m, RCODE_NOTAUTH, false);
    const secure = zone.dynamicUpdate === 'Secure' && zone.adIntegrated === true && this.directory?.maySecurelyUpdate(src) === true;
    if (zone.dynamicUpdate !== 'NonsecureAndSecure' && !secure) {
      this.counters.refused++;
      return this.reply(m, RCODE_REFUSED, false);
    }
    // Prerequisites (RFC 2136 §3.2) are not evaluated: a client that sends them is told so.
    if (m.answers.length > 0) return this.reply(m, RCODE_NOTIMP, false);
    const inZone = (n: string): boolean => n === zone.name || n.endsWith(`.${zone.name}`);
    if (!m.authority.every((r) => inZone(r.name))) return this.reply(m, RCODE_NOTZONE, false);
    let changed = false;
    for (const r of m.authority) {
      const before = zone.records.length;
      if (r.class === CLASS_ANY) {
        // Delete an RRset, or every set at the name; the apex SOA and NS stay (§3.4.2.3).
        const apexKept = (x: DnsRecord): boolean => x.name === zone.name && (x.type === TYPE_SOA || x.type === TYPE_NS);
        zone.records = zone.records.filter((x) => x.name !== r.name || apexKept(x) || (r.type !== TYPE_ANY && x.type !== r.type));
        changed ||= zone.records.length !== before;
      } else if (r.class === CLASS_NONE) {
        zone.records = zone.records.filter((x) => !(x.name === r.name && x.type === r.type && JSON.stringify(x.data) === JSON.stringify(r.data)));
        changed ||= zone.records.length !== before;
      } else if (r.class === CLASS_IN && r.data !== null) {
        if (!zone.records.some((x) => x.name === r.name && x.type === r.type && JSON.stringify(x.data) === JSON.stringify(r.data))) {
          zone.records.push({ ...r });
          changed = true;
        }
      }
    }
    if (changed) this.touch(zone);
    return this.reply(m, RCODE_NOERROR, false);
  }

  // ---- forwarding --------------------------------------------------------------------------

  private forward(m: DnsMessage, client: number, clientPort: number, local: number, servers: number[]): void {
    this.counters.forwarded++;
    const port = this.nextPort;
    this.nextPort = this.nextPort >= 65535 ? FIRST_PORT : this.nextPort + 1;
    this.nextId = (this.nextId + 1) & 0xffff;
    const f: Forwarding = {
      port, client, clientPort, local, query: m, servers, next: 0, timer: -1, id: this.nextId,
      handler: (d, src) => {
        const r = d.data;
        if (!isDnsMessage(r) || !r.response || r.id !== f.id || !servers.includes(src)) return;
        this.endForwarding(f);
        // The client gets the forwarder's answer under its own id, never as authoritative.
        this.send(client, clientPort, { ...r, id: m.id, authoritative: false, recursionAvailable: true }, local);
      },
    };
    this.forwardings.set(port, f);
    this.host.bindUdp(port, f.handler);
    this.tryNext(f);
  }

  private tryNext(f: Forwarding): void {
    if (f.next >= f.servers.length) {
      this.endForwarding(f);
      this.send(f.client, f.clientPort, this.reply(f.query, RCODE_SERVFAIL, false), f.local);
      return;
    }
    const q: DnsMessage = { ...f.query, id: f.id, recursionDesired: true };
    this.host.sendUdp(f.servers[f.next++], f.port, DNS_PORT, dnsLength(q), q);
    f.timer = this.host.net.sched.schedule(FORWARDER_TIMEOUT_S * SECOND, this.handlerId, f.port, null);
  }

  private endForwarding(f: Forwarding): void {
    if (f.timer >= 0) this.host.net.sched.cancel(f.timer);
    f.timer = -1;
    this.host.unbindUdp(f.port, f.handler);
    this.forwardings.delete(f.port);
  }

  onEvent(code: number): void {
    const f = this.forwardings.get(code);
    if (f === undefined) return;
    f.timer = -1;
    this.tryNext(f);
  }
}
