/**
 * The Netlogon service of a domain controller, as far as DNS goes: when it starts it registers
 * the DC's records by RFC 2136 dynamic update — the `<DSA GUID>._msdcs.<forest>` CNAME that
 * replication partners find the DC by, the `_ldap._tcp.dc._msdcs.<domain>` SRV that clients
 * locate DCs with, and the DC's A record — each with Netlogon's 600-second TTL.
 *
 * For each record it asks its first DNS server for the SOA of the name, to learn the zone, and
 * sends the update to that server. A zone that is missing, or an update refused, leaves the
 * record unregistered until the next start (`net stop netlogon` / `net start netlogon`); the
 * 24-hour re-registration and the retries after a failure are not modelled. Stopping the
 * service leaves the records where they are.
 */
import type { UdpDatagram } from '../../core/packets.ts';
import type { EventHandler } from '../../core/scheduler.ts';
import { SECOND } from '../../core/time.ts';
import {
  canonicalName, CLASS_ANY, CLASS_IN, dnsLength, dnsQuery, DNS_PORT, isDnsMessage, OPCODE_UPDATE, RCODE_NOERROR, RCODE_NXDOMAIN, TYPE_A, TYPE_CNAME, TYPE_SOA, TYPE_SRV,
  type DnsMessage, type DnsRecord,
} from '../../wire/dns.ts';
import type { AdDomainController } from './ad-dc.ts';

/** Netlogon's TTL for the records it registers (DnsTtl, 600 s). */
export const NETLOGON_TTL_S = 600;
const FIRST_PORT = 53100;
const UPDATE_WAIT_S = 2;

export interface NetlogonRegistration {
  t: number;
  name: string;
  type: number;
  /** 'registered', or why not: 'no-zone', 'refused', 'timeout', … */
  result: string;
}

interface Pending {
  port: number;
  handler: (d: UdpDatagram, src: number) => void;
  timer: number;
  done: (reply: DnsMessage | null) => void;
}

export class Netlogon implements EventHandler {
  running = false;
  readonly registrations: NetlogonRegistration[] = [];
  private readonly handlerId: number;
  private readonly pending = new Map<number, Pending>();
  private nextPort = FIRST_PORT;
  private nextId = 0x4e4c;

  constructor(private readonly dc: AdDomainController) {
    this.handlerId = dc.net.sched.register(this);
  }

  /** The records this DC should have in DNS. */
  records(): DnsRecord[] {
    const host = this.dc.server.host;
    const fqdn = canonicalName(this.dc.server.fqdn());
    const ips = (host.interfaces[0]?.addrs ?? []).filter((a) => a.state === 'preferred').map((a) => a.ip);
    return [
      { name: canonicalName(this.dc.dsaName), type: TYPE_CNAME, class: CLASS_IN, ttl: NETLOGON_TTL_S, data: fqdn },
      { name: canonicalName(`_ldap._tcp.dc._msdcs.${this.dc.domain}`), type: TYPE_SRV, class: CLASS_IN, ttl: NETLOGON_TTL_S, data: { priority: 0, weight: 100, port: 389, target: fqdn } },
      ...ips.map((ip): DnsRecord => ({ name: fqdn, type: TYPE_A, class: CLASS_IN, ttl: NETLOGON_TTL_S, data: ip })),
    ];
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.registerAll();
  }

  stop(): void {
    this.running = false;
  }

  registerAll(): void {
    const servers = this.dc.server.dns.config.servers;
    const all = this.records();
    // One update per name and type: the A records of a name go together.
    const groups = new Map<string, DnsRecord[]>();
    for (const r of all) groups.set(`${r.name}|${r.type}`, [...(groups.get(`${r.name}|${r.type}`) ?? []), r]);
    for (const list of groups.values()) {
      const { name, type } = list[0];
      const note = (result: string): void => {
        this.registrations.push({ t: this.dc.net.now, name, type, result });
      };
      if (servers.length === 0) {
        note('no-servers');
        continue;
      }
      const server = servers[0];
      this.exchange(server, dnsQuery(this.takeId(), name, TYPE_SOA), (reply) => {
        if (reply === null) return note('timeout');
        const soa = reply.rcode === RCODE_NOERROR || reply.rcode === RCODE_NXDOMAIN ? [...reply.answers, ...reply.authority].find((r) => r.type === TYPE_SOA) : undefined;
        if (soa === undefined) return note('no-zone');
        // A CNAME or A replaces what the name held; the SRV is added beside other DCs' ones.
        const clear: DnsRecord[] = type === TYPE_SRV ? [] : [{ name, type, class: CLASS_ANY, ttl: 0, data: null }];
        const update: DnsMessage = { ...dnsQuery(this.takeId(), soa.name, TYPE_SOA, false), opcode: OPCODE_UPDATE, authority: [...clear, ...list] };
        this.exchange(server, update, (ack) => {
          if (ack === null) return note('timeout');
          note(ack.rcode === RCODE_NOERROR ? 'registered' : ack.rcode === 5 ? 'refused' : `rcode-${ack.rcode}`);
        });
      });
    }
  }

  private takeId(): number {
    this.nextId = (this.nextId + 1) & 0xffff;
    return this.nextId;
  }

  private exchange(server: number, m: DnsMessage, done: (reply: DnsMessage | null) => void): void {
    const host = this.dc.server.host;
    const port = this.nextPort;
    this.nextPort = this.nextPort >= 53999 ? FIRST_PORT : this.nextPort + 1;
    const p: Pending = {
      port,
      timer: -1,
      done,
      handler: (d, src) => {
        const r = d.data;
        if (!isDnsMessage(r) || !r.response || r.id !== m.id || src !== server) return;
        this.end(p);
        done(r);
      },
    };
    this.pending.set(port, p);
    host.bindUdp(port, p.handler);
    host.sendUdp(server, port, DNS_PORT, dnsLength(m), m);
    p.timer = this.dc.net.sched.schedule(UPDATE_WAIT_S * SECOND, this.handlerId, port, null);
  }

  private end(p: Pending): void {
    if (p.timer >= 0) this.dc.net.sched.cancel(p.timer);
    this.dc.server.host.unbindUdp(p.port, p.handler);
    this.pending.delete(p.port);
  }

  onEvent(code: number): void {
    const p = this.pending.get(code);
    if (p === undefined) return;
    p.timer = -1;
    this.end(p);
    p.done(null);
  }
}

/** `net stop netlogon` / `net start netlogon`; null for any other service. */
export function netNetlogon(netlogon: Netlogon | null, args: string[]): string | null {
  const verb = (args[0] ?? '').toLowerCase();
  const svc = args.slice(1).join(' ').toLowerCase().replace(/^"|"$/g, '');
  if ((verb !== 'stop' && verb !== 'start') || svc !== 'netlogon') return null;
  if (netlogon === null) return verb === 'stop' ? 'The Netlogon service is not started.\n\nMore help is available by typing NET HELPMSG 3521.\n\n' : 'The Netlogon service is starting.\nThe Netlogon service was started successfully.\n\n';
  if (verb === 'stop') {
    if (!netlogon.running) return 'The Netlogon service is not started.\n\nMore help is available by typing NET HELPMSG 3521.\n\n';
    netlogon.stop();
    return 'The Netlogon service is stopping.\nThe Netlogon service was stopped successfully.\n\n';
  }
  if (netlogon.running) return 'The requested service has already been started.\n\nMore help is available by typing NET HELPMSG 2182.\n\n';
  netlogon.start();
  return 'The Netlogon service is starting.\nThe Netlogon service was started successfully.\n\n';
}
