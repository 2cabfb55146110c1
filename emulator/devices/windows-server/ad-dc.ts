/**
 * The Active Directory Domain Services role of a Windows Server: the domain naming context, and
 * inbound replication of it from the other domain controllers of its site.
 *
 * Topology (the KCC's result, taken as already built when the DCs start): every other DC of the
 * same domain and site is an inbound partner of every DC, a full mesh. The KCC's intrasite ring
 * is the same thing for up to three DCs, which is what labs hold; the ring's three-hop shortcuts
 * for larger sites and the KCC's 15-minute re-runs are not modelled. The configuration NC, which
 * tells a DC who its partners are, is not modelled either: partners are the DCs of the network
 * whose `adDomain` and `adSite` match.
 *
 * A pull (DRS GetNCChanges) needs the source's address: the destination resolves the source's
 * `<DSA GUID>._msdcs.<forest root>` CNAME and then the host name it points to, through its own
 * DNS client and cache. Either lookup failing ends the attempt with 8524. The RPC goes over one
 * TCP connection to port 135 (the endpoint mapper and the dynamic port it hands out are folded
 * into that one connection); a connection that cannot be made or dies gives 1722. The request
 * carries the destination's high-water mark and up-to-dateness vector, the reply the changes;
 * since TCP here carries byte counts only, their contents are handed over beside the connection,
 * keyed by its client address and port, and used when the bytes arrive.
 *
 * When: an originating change notifies the partners 15 s later, each further partner 3 s after
 * the one before [U: the WS2003+ intrasite defaults], and each partner then pulls. Besides, each
 * DC pulls from each partner once an hour (the intrasite schedule), and on `repadmin /syncall`.
 * The notification itself is not sent as traffic.
 */
import type { Network } from '../../core/network.ts';
import type { EventHandler } from '../../core/scheduler.ts';
import { SECOND } from '../../core/time.ts';
import type { DnsResolver } from '../../l3/dns-resolver.ts';
import type { IpHost } from '../../l3/ip-host.ts';
import type { TcpConnection } from '../../l3/tcp.ts';
import { TYPE_A, TYPE_CNAME } from '../../wire/dns.ts';
import type { SettingSpec } from '../kind.ts';
import { domainDn, guidFrom, NamingContext, type ChangesReply } from './ad-directory.ts';

export const DEFAULT_SITE = 'Default-First-Site-Name';
export const NOTIFY_FIRST_NS = 15 * SECOND;
export const NOTIFY_NEXT_NS = 3 * SECOND;
export const INTRASITE_PERIOD_NS = 3600 * SECOND;
const RPC_PORT = 135;
const FIRST_CLIENT_PORT = 49700;

/** Win32 results of a replication attempt, with the text repadmin prints under them. */
export const REPL_ERRORS: Record<number, string> = {
  0: 'The operation completed successfully.',
  8524: 'The DSA operation is unable to proceed because of a DNS lookup failure.',
  1722: 'The RPC server is unavailable.',
  1753: 'There are no more endpoints available from the endpoint mapper.',
  1396: 'The target account name is incorrect.',
  8456: 'The source server is currently rejecting replication requests.',
};

/** One inbound replica link: this DC pulling the domain NC from `source`. */
export interface ReplicaLink {
  source: AdDomainController;
  /** The source's USN this DC has seen. */
  hwm: number;
  lastAttemptNs: number | null;
  lastSuccessNs: number | null;
  lastResult: number;
  consecutiveFailures: number;
  /** Callbacks of the pull under way; null when none is. */
  pending: ((result: number) => void)[] | null;
}

interface Request {
  hwm: number;
  utd: Map<string, number>;
  bytes: number;
  reply: (ChangesReply & { bytes: number }) | null;
}

/** The DCs of each network, which the KCC finds partners among. */
const CONTROLLERS = new WeakMap<Network, AdDomainController[]>();
/** Request and reply contents of the pulls under way, by the client's `address:port`. */
const EXCHANGES = new WeakMap<Network, Map<string, Request>>();

export interface DcHost {
  readonly host: IpHost;
  readonly hostname: string;
  readonly dns: DnsResolver;
  fqdn(): string;
}

const NOTIFY = 1;
const PERIODIC = 2;

export class AdDomainController implements EventHandler {
  readonly dsaGuid: string;
  readonly nc: NamingContext;
  readonly links = new Map<string, ReplicaLink>();
  /** Counts for tests and the console: pulls begun, failed, values received. */
  readonly counters = { pulls: 0, failures: 0, valuesReceived: 0, served: 0 };
  /** Told after replication stored values, so the DNS zones kept in AD can be reloaded. */
  readonly replicatedListeners: (() => void)[] = [];
  private readonly handlerId: number;
  private notifyQueue: AdDomainController[] = [];
  private notifyTimer = -1;
  private nextPort = FIRST_CLIENT_PORT;
  running = false;

  constructor(
    readonly server: DcHost,
    readonly domain: string,
    readonly site: string,
    /** The forest root's DNS name, under which `_msdcs` lives. */
    readonly forest: string = domain,
  ) {
    const host = server.host;
    this.handlerId = host.net.sched.register(this);
    this.dsaGuid = guidFrom(`ntds-dsa:${domain}:${server.hostname}`);
    // A DC's first invocation ID is its DSA GUID; only a restore gives it a new one.
    this.nc = new NamingContext(domainDn(domain), this.dsaGuid, 12000);
    const all = CONTROLLERS.get(host.net) ?? [];
    all.push(this);
    CONTROLLERS.set(host.net, all);
    const base = { invocation: guidFrom(`install:${domain}`), usn: 1 };
    this.nc.seed(this.nc.dn, 'objectClass', 'domainDNS', base);
    this.nc.seed(`OU=Domain Controllers,${this.nc.dn}`, 'objectClass', 'organizationalUnit', { ...base, usn: 2 });
  }

  get net(): Network {
    return this.server.host.net;
  }

  /** `<guid>._msdcs.<forest>`: the name partners find this DC by. */
  get dsaName(): string {
    return `${this.dsaGuid}._msdcs.${this.forest}`;
  }

  /** Every DC of this DC's domain in the network. */
  domainControllers(): AdDomainController[] {
    return (CONTROLLERS.get(this.net) ?? []).filter((d) => d.domain === this.domain);
  }

  /** Inbound partners: the other DCs of the domain in this site. */
  partners(): AdDomainController[] {
    return this.domainControllers().filter((d) => d !== this && d.site === this.site);
  }

  link(source: AdDomainController): ReplicaLink {
    let l = this.links.get(source.dsaGuid);
    if (l === undefined) {
      l = { source, hwm: 0, lastAttemptNs: null, lastSuccessNs: null, lastResult: 0, consecutiveFailures: 0, pending: null };
      this.links.set(source.dsaGuid, l);
    }
    return l;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.server.host.tcp.listen(RPC_PORT, (c) => this.accept(c));
    for (const p of this.partners()) this.link(p);
    this.net.sched.schedule(INTRASITE_PERIOD_NS, this.handlerId, PERIODIC, null);
    this.write(`CN=${this.server.hostname},OU=Domain Controllers,${this.nc.dn}`, 'dNSHostName', this.server.fqdn());
  }

  /** An originating change: stored here, and the partners told of it after the notification delay. */
  write(dn: string, attribute: string, value: string): void {
    if (this.nc.write(dn, attribute, value, this.net.now)) this.changed();
  }

  private changed(): void {
    if (this.notifyTimer >= 0) return;
    this.notifyQueue = this.domainControllers().filter((d) => d !== this && d.site === this.site);
    if (this.notifyQueue.length > 0) this.notifyTimer = this.net.sched.schedule(NOTIFY_FIRST_NS, this.handlerId, NOTIFY, null);
  }

  onEvent(code: number): void {
    if (code === PERIODIC) {
      this.net.sched.schedule(INTRASITE_PERIOD_NS, this.handlerId, PERIODIC, null);
      for (const p of this.partners()) this.pull(p);
      return;
    }
    if (code !== NOTIFY) return;
    this.notifyTimer = -1;
    const next = this.notifyQueue.shift();
    if (next !== undefined && next.running) next.pull(this);
    if (this.notifyQueue.length > 0) this.notifyTimer = this.net.sched.schedule(NOTIFY_NEXT_NS, this.handlerId, NOTIFY, null);
  }

  // ---- inbound: the destination's side of a pull ----------------------------------------------

  /** Pull the domain NC from `source`; `done` hears the Win32 result. */
  pull(source: AdDomainController, done?: (result: number) => void): void {
    const l = this.link(source);
    if (l.pending !== null) {
      if (done !== undefined) l.pending.push(done);
      return;
    }
    l.pending = done !== undefined ? [done] : [];
    this.counters.pulls++;
    const dns = this.server.dns;
    dns.resolve(`${source.dsaName}.`, TYPE_CNAME, (r) => {
      const cname = r.kind === 'answer' ? r.records.find((x) => x.type === TYPE_CNAME) : undefined;
      if (cname === undefined || typeof cname.data !== 'string') return this.finish(l, 8524);
      dns.resolve(`${cname.data}.`, TYPE_A, (a) => {
        const rec = a.kind === 'answer' ? a.records.find((x) => x.type === TYPE_A) : undefined;
        if (rec === undefined || typeof rec.data !== 'number') return this.finish(l, 8524);
        this.connect(l, rec.data);
      });
    });
  }

  private connect(l: ReplicaLink, ip: number): void {
    const port = this.nextPort;
    this.nextPort = this.nextPort >= 65000 ? FIRST_CLIENT_PORT : this.nextPort + 1;
    const exchanges = EXCHANGES.get(this.net) ?? new Map<string, Request>();
    EXCHANGES.set(this.net, exchanges);
    let key = '';
    let got = 0;
    let ended = false;
    const end = (result: number, c: TcpConnection | null): void => {
      if (ended) return;
      ended = true;
      exchanges.delete(key);
      if (c !== null && result === 0) c.close();
      this.finish(l, result);
    };
    const c = this.server.host.tcp.connect(ip, RPC_PORT, port, {
      onOpen: (conn) => {
        const utd = new Map(this.nc.utd);
        const req: Request = { hwm: l.hwm, utd, bytes: 200 + 24 * utd.size, reply: null };
        exchanges.set(key, req);
        conn.send(req.bytes);
      },
      onData: (conn, bytes) => {
        got += bytes;
        const req = exchanges.get(key);
        if (req === undefined || req.reply === null || got < req.reply.bytes) return;
        this.counters.valuesReceived += req.reply.changes.length;
        const won = this.nc.apply(req.reply);
        l.hwm = req.reply.highUsn;
        if (won > 0) {
          for (const f of this.replicatedListeners) f();
          // Values received raise this DC's USN too, so its own partners are told in turn.
          this.changed();
        }
        end(0, conn);
      },
      onPeerClose: (conn) => end(1722, conn),
      onClosed: (conn, reason) => end(reason === 'closed' ? 0 : 1722, conn),
    });
    key = `${formatKey(c.localIp)}:${c.localPort}`;
  }

  private finish(l: ReplicaLink, result: number): void {
    l.lastAttemptNs = this.net.now;
    l.lastResult = result;
    if (result === 0) {
      l.lastSuccessNs = this.net.now;
      l.consecutiveFailures = 0;
    } else {
      l.consecutiveFailures++;
      this.counters.failures++;
    }
    const waiting = l.pending ?? [];
    l.pending = null;
    for (const f of waiting) f(result);
  }

  // ---- outbound: the source's side ----------------------------------------------------------

  private accept(c: TcpConnection): void {
    const key = `${formatKey(c.remoteIp)}:${c.remotePort}`;
    let got = 0;
    c.events = {
      onData: (conn, bytes) => {
        got += bytes;
        const req = EXCHANGES.get(this.net)?.get(key);
        if (req === undefined || got < req.bytes || req.reply !== null) return;
        const changes = this.nc.changesFor(req.hwm, req.utd);
        this.counters.served++;
        req.reply = { ...changes, bytes: 300 + 250 * changes.changes.length };
        conn.send(req.reply.bytes);
      },
      onPeerClose: (conn) => conn.close(),
    };
  }

  // ---- netlogon's view ------------------------------------------------------------------------

  /** Whether `ip` is an address of a DC of this domain (standing in for Kerberos authentication). */
  isDomainControllerAddress(ip: number): boolean {
    return this.domainControllers().some((d) => d.server.host.isLocal(ip));
  }
}

/** The key of an address as both ends of a pull write it. */
function formatKey(ip: number): string {
  return String(ip >>> 0);
}

export const AD_DC_SETTINGS: Record<string, SettingSpec> = {
  adDomain: { type: 'string', description: 'Active Directory domain this server is a domain controller of (e.g. corp.example); empty: not a DC', default: '' },
  adSite: { type: 'string', description: 'AD site of the DC; DCs of one site replicate with each other', default: DEFAULT_SITE },
  adIntegratedZones: {
    type: 'string',
    description: 'Zones of dnsZoneFiles stored in Active Directory instead (comma-separated): replicated to every DC of the domain, Secure dynamic updates',
    default: '',
  },
};
