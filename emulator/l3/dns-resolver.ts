/**
 * The DNS client of a Windows host (the DNS Client service): which names it tries for what was
 * typed, which servers it asks and when it gives up, the resolver cache, and dynamic registration
 * of the host's A record (RFC 2136).
 *
 * Names tried (DOMAIN.md §8.1, from the Windows policy help texts):
 * - a trailing dot is a fully qualified name, tried as it is and nothing else;
 * - a multi-label name is tried as it is first; suffixes follow only when
 *   AppendToMultiLabelName allows;
 * - a single-label name is never tried as it is;
 * - the suffixes are the search list when one is set, otherwise the primary suffix, the
 *   connection-specific suffix, and the primary suffix devolved down to two labels.
 * A positive answer ends the search, a negative one (name error or no data) tries the next name,
 * a timeout ends it.
 *
 * Retries follow KB2834226 for one server (queries at 0, 1, 2, 4 and 8 s, given up at 10 s). With
 * more servers the second query goes to the second server and the later ones to all [P].
 * A server failure or refusal ends the search as a timeout does [U].
 */

import type { EventHandler } from '../core/scheduler.ts';
import { SECOND } from '../core/time.ts';
import type { UdpDatagram } from '../core/packets.ts';
import {
  canonicalName, CLASS_ANY, CLASS_IN, dnsLength, dnsQuery, DNS_PORT, isDnsMessage, OPCODE_UPDATE, RCODE_NOERROR, RCODE_NXDOMAIN, TYPE_A, TYPE_CNAME, TYPE_SOA,
  type DnsMessage, type DnsRecord,
} from '../wire/dns.ts';
import type { IpHost } from './ip-host.ts';

/** Seconds the client waits after each query before the next (KB2834226). */
export const QUERY_WAITS_S = [1, 1, 2, 4, 2];
/** MaxCacheTtl: no answer is kept longer than a day. */
export const MAX_CACHE_TTL_S = 86400;
/** MaxNegativeCacheTtl: a name error is kept at most 15 minutes. */
export const MAX_NEGATIVE_CACHE_TTL_S = 900;
/** TTL of the A record a Windows client registers (20 minutes). */
export const REGISTRATION_TTL_S = 1200;
const FIRST_PORT = 49152;
/** The timer code of a pending registration (exchanges use their port numbers, all above it). */
const REGISTER_EVENT = 0;

export interface DnsClientConfig {
  servers: number[];
  /** Primary DNS suffix of the computer ("" none). */
  primarySuffix: string;
  /** The connection's own suffix ("" none). */
  connectionSuffix: string;
  /** A configured suffix search list replaces the primary and connection suffixes and devolution. */
  searchList: string[];
  appendToMultiLabelName: boolean;
  /** Register the host's A record with the zone's primary server: when an address comes up or goes, and on ipconfig /registerdns. */
  register: boolean;
}

export function defaultDnsClientConfig(): DnsClientConfig {
  return { servers: [], primarySuffix: '', connectionSuffix: '', searchList: [], appendToMultiLabelName: false, register: true };
}

/** The suffixes appended to a name, in order, without duplicates. */
export function suffixesOf(cfg: DnsClientConfig): string[] {
  const out: string[] = [];
  const add = (s: string): void => {
    const c = canonicalName(s);
    if (c !== '' && !out.includes(c)) out.push(c);
  };
  if (cfg.searchList.length > 0) {
    for (const s of cfg.searchList) add(s);
    return out;
  }
  add(cfg.primarySuffix);
  add(cfg.connectionSuffix);
  // Devolution: drop the leftmost label while two or more remain (devolution level 2).
  const labels = canonicalName(cfg.primarySuffix).split('.').filter((l) => l !== '');
  for (let i = 1; labels.length - i >= 2; i++) add(labels.slice(i).join('.'));
  return out;
}

/** The fully qualified names tried for what was typed, in order. */
export function candidateNames(typed: string, cfg: DnsClientConfig): string[] {
  const t = typed.trim();
  if (t.endsWith('.')) return [canonicalName(t)];
  const name = t.toLowerCase();
  const multi = name.includes('.');
  const out: string[] = multi ? [name] : [];
  if (!multi || cfg.appendToMultiLabelName) for (const s of suffixesOf(cfg)) if (!out.includes(`${name}.${s}`)) out.push(`${name}.${s}`);
  return out;
}

export type ResolveOutcome =
  /** `name` is the name that answered; `records` what it answered (CNAMEs first, then the type asked). */
  | { kind: 'answer'; name: string; records: DnsRecord[]; server: number | null; fromCache: boolean }
  /** Every name tried was answered negatively. */
  | { kind: 'not-found'; tried: string[] }
  | { kind: 'timeout'; name: string }
  | { kind: 'server-failure'; name: string; rcode: number }
  | { kind: 'no-servers' };

export interface CacheEntry {
  name: string;
  type: number;
  /** Empty for a negative entry. */
  records: DnsRecord[];
  /** 'nxdomain': name does not exist; 'nodata': the name exists without records of this type. */
  negative: 'nxdomain' | 'nodata' | null;
  expiresNs: number;
}

/** One exchange with a server: a query or an update, retried on the schedule. */
interface Exchange {
  id: number;
  port: number;
  message: DnsMessage;
  attempt: number;
  servers: number[];
  done: (reply: DnsMessage | null, server: number | null) => void;
  handler: (d: UdpDatagram, src: number) => void;
  timer: number;
  /** Seconds to wait after each attempt; the exchange fails after the last. */
  waits: readonly number[];
}

export interface RegistrationRecord {
  t: number;
  name: string;
  /** The first address registered. */
  ip: number;
  ips: number[];
  /** Where the update went (or the query that failed). */
  server: number;
  /** How that server was chosen: the zone's SOA MNAME, or the server that answered (MNAME did not resolve). */
  to: 'soa-mname' | 'answering-server';
  /** 'registered', or why not: the server's answer ('refused', …) or 'timeout'. */
  result: string;
}

export class DnsResolver implements EventHandler {
  readonly cache = new Map<string, CacheEntry>();
  readonly registrations: RegistrationRecord[] = [];
  private readonly handlerId: number;
  private readonly exchanges = new Map<number, Exchange>();
  private nextId: number;
  private nextPort = FIRST_PORT;
  /** Queries sent (every retry counts). */
  queriesSent = 0;
  private registrationPending = false;
  private registrationSource: (() => { name: string; ips: number[] } | null) | null = null;

  constructor(
    private readonly host: IpHost,
    public config: DnsClientConfig,
  ) {
    this.handlerId = host.net.sched.register(this);
    // Transaction ids start from a value of the host's name, so runs repeat and hosts differ.
    let h = 0x811c9dc5;
    for (const ch of host.name) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
    this.nextId = h & 0xffff;
  }

  // ---- cache -------------------------------------------------------------------------------

  private now(): number {
    return this.host.net.sched.now;
  }

  /** The live entry for (name, type); expired entries are dropped as they are looked at. */
  cached(name: string, type: number): CacheEntry | null {
    const key = `${canonicalName(name)}|${type}`;
    const e = this.cache.get(key);
    if (e === undefined) return null;
    if (e.expiresNs <= this.now()) {
      this.cache.delete(key);
      return null;
    }
    return e;
  }

  /** Live entries, for ipconfig /displaydns. */
  entries(): CacheEntry[] {
    const now = this.now();
    for (const [k, e] of this.cache) if (e.expiresNs <= now) this.cache.delete(k);
    return [...this.cache.values()];
  }

  /** Seconds an entry has left, as /displaydns prints it. */
  ttlLeft(e: CacheEntry): number {
    return Math.max(0, Math.ceil((e.expiresNs - this.now()) / SECOND));
  }

  flush(): void {
    this.cache.clear();
  }

  private store(name: string, type: number, reply: DnsMessage): CacheEntry | null {
    const now = this.now();
    let entry: CacheEntry | null = null;
    if (reply.rcode === RCODE_NOERROR && reply.answers.length > 0) {
      const ttl = Math.min(MAX_CACHE_TTL_S, ...reply.answers.map((r) => r.ttl));
      entry = { name, type, records: reply.answers, negative: null, expiresNs: now + ttl * SECOND };
    } else if (reply.rcode === RCODE_NXDOMAIN || reply.rcode === RCODE_NOERROR) {
      // RFC 2308: a negative answer lives as long as the SOA in the authority section says.
      const soa = reply.authority.find((r) => r.type === TYPE_SOA);
      const soaTtl = soa !== undefined && typeof soa.data === 'object' && soa.data !== null && 'minimum' in soa.data ? Math.min(soa.ttl, soa.data.minimum) : 0;
      const ttl = Math.min(MAX_NEGATIVE_CACHE_TTL_S, soaTtl);
      if (ttl > 0) entry = { name, type, records: [], negative: reply.rcode === RCODE_NXDOMAIN ? 'nxdomain' : 'nodata', expiresNs: now + ttl * SECOND };
    }
    if (entry !== null) this.cache.set(`${name}|${type}`, entry);
    return entry;
  }

  // ---- resolution ----------------------------------------------------------------------------

  /** Resolve what was typed, as an application's getaddrinfo does. */
  resolve(typed: string, type: number, done: (r: ResolveOutcome) => void): void {
    const names = candidateNames(typed, this.config);
    if (names.length === 0 || this.config.servers.length === 0) {
      done(this.config.servers.length === 0 ? { kind: 'no-servers' } : { kind: 'not-found', tried: [] });
      return;
    }
    const step = (i: number): void => {
      if (i >= names.length) {
        done({ kind: 'not-found', tried: names });
        return;
      }
      const name = names[i];
      const hit = this.cached(name, type);
      if (hit !== null) {
        if (hit.negative === null) done({ kind: 'answer', name, records: hit.records, server: null, fromCache: true });
        else step(i + 1);
        return;
      }
      this.exchange(dnsQuery(this.takeId(), name, type), this.config.servers, (reply, server) => {
        if (reply === null) return done({ kind: 'timeout', name });
        if (reply.rcode !== RCODE_NOERROR && reply.rcode !== RCODE_NXDOMAIN) return done({ kind: 'server-failure', name, rcode: reply.rcode });
        this.store(name, type, reply);
        const wanted = reply.answers.filter((r) => r.type === type || r.type === TYPE_CNAME);
        if (reply.rcode === RCODE_NOERROR && wanted.some((r) => r.type === type)) done({ kind: 'answer', name, records: reply.answers, server, fromCache: false });
        else step(i + 1);
      });
    };
    step(0);
  }

  /**
   * One query to one server with no cache and no suffixes, as nslookup sends it; `done` gets the
   * reply or null after nslookup's two tries of 2 seconds.
   */
  queryServer(server: number, name: string, type: number, done: (reply: DnsMessage | null) => void): void {
    this.exchange(dnsQuery(this.takeId(), name, type), [server], (reply) => done(reply), [2, 2]);
  }

  /**
   * Dynamic registration of `fqdn` → `ips` (what ipconfig /registerdns and an address change
   * start): the A records at the name are replaced by these, in one RFC 2136 update. The client
   * asks its DNS server for the SOA of the name, and sends the update to the zone's primary server,
   * the SOA's MNAME, looked up by its A record. When that name does not resolve, the update goes
   * to the server that answered the SOA query instead [P: the primary of a standard zone is
   * usually that server anyway]; `to` in the record says which was used.
   */
  registerA(fqdn: string, ips: number | readonly number[], done: (r: RegistrationRecord) => void = () => {}): void {
    const name = canonicalName(fqdn);
    const addrs = typeof ips === 'number' ? [ips] : [...ips];
    const finish = (result: string, server: number, to: RegistrationRecord['to'] = 'answering-server'): void => {
      const rec: RegistrationRecord = { t: this.now(), name, ip: addrs[0] ?? 0, ips: addrs, server, to, result };
      this.registrations.push(rec);
      done(rec);
    };
    const servers = this.config.servers;
    if (servers.length === 0) return finish('no-servers', 0);
    this.exchange(dnsQuery(this.takeId(), name, TYPE_SOA), servers, (reply, server) => {
      if (reply === null || server === null) return finish('timeout', servers[0]);
      const soa = [...reply.answers, ...reply.authority].find((r) => r.type === TYPE_SOA);
      if (soa === undefined) return finish('no-zone', server);
      const update: DnsMessage = {
        ...dnsQuery(this.takeId(), soa.name, TYPE_SOA, false),
        opcode: OPCODE_UPDATE,
        authority: [{ name, type: TYPE_A, class: CLASS_ANY, ttl: 0, data: null }, ...addrs.map((ip): DnsRecord => ({ name, type: TYPE_A, class: CLASS_IN, ttl: REGISTRATION_TTL_S, data: ip }))],
      };
      const send = (primary: number, to: RegistrationRecord['to']): void =>
        this.exchange(update, [primary], (ack, from) => {
          if (ack === null || from === null) return finish('timeout', primary, to);
          finish(ack.rcode === RCODE_NOERROR ? 'registered' : rcodeWord(ack.rcode), from, to);
        });
      const mname = soa.data !== null && typeof soa.data === 'object' && 'mname' in soa.data ? soa.data.mname : '';
      if (mname === '') return send(server, 'answering-server');
      this.exchange(dnsQuery(this.takeId(), mname, TYPE_A), servers, (a) => {
        const primary = a !== null && a.rcode === RCODE_NOERROR ? addressesOf(a.answers)[0] : undefined;
        if (primary === undefined) send(server, 'answering-server');
        else send(primary, 'soa-mname');
      });
    });
  }

  /**
   * An address of the host became usable or went away: register again once the changes of this
   * instant are all in (the addresses of one start come up together), as the DNS Client does at
   * start and on every address change when "Register this connection's addresses in DNS" is on.
   * `source` gives the name and addresses to register, or null when there is nothing to register
   * (no primary suffix, no address).
   */
  addressesChanged(source: () => { name: string; ips: number[] } | null): void {
    if (!this.config.register || this.config.servers.length === 0) return;
    this.registrationSource = source;
    if (this.registrationPending) return;
    this.registrationPending = true;
    this.host.net.sched.schedule(0, this.handlerId, REGISTER_EVENT, null);
  }

  private registerNow(): void {
    this.registrationPending = false;
    const what = this.registrationSource?.() ?? null;
    if (what === null || what.ips.length === 0 || !this.config.register) return;
    this.registerA(what.name, what.ips);
  }

  private takeId(): number {
    this.nextId = (this.nextId + 1) & 0xffff;
    return this.nextId;
  }

  private exchange(message: DnsMessage, servers: number[], done: Exchange['done'], waits: readonly number[] = QUERY_WAITS_S): void {
    const port = this.nextPort;
    this.nextPort = this.nextPort >= 65535 ? FIRST_PORT : this.nextPort + 1;
    const ex: Exchange = {
      id: message.id,
      port,
      message,
      attempt: 0,
      servers,
      done,
      timer: -1,
      waits,
      handler: (d, src) => {
        const reply = d.data;
        if (!isDnsMessage(reply) || !reply.response || reply.id !== message.id || !servers.includes(src) || d.srcPort !== DNS_PORT) return;
        this.end(ex);
        done(reply, src);
      },
    };
    this.exchanges.set(port, ex);
    this.host.bindUdp(port, ex.handler);
    this.send(ex);
  }

  private send(ex: Exchange): void {
    const a = ex.attempt;
    const servers = ex.servers;
    // Attempt 0 asks the first server, attempt 1 the second (or the first again), later ones all.
    const to = a === 0 ? [servers[0]] : a === 1 ? [servers[Math.min(1, servers.length - 1)]] : servers;
    for (const s of to) {
      this.queriesSent++;
      this.host.sendUdp(s, ex.port, DNS_PORT, dnsLength(ex.message), ex.message);
    }
    ex.timer = this.host.net.sched.schedule(ex.waits[a] * SECOND, this.handlerId, ex.port, null);
  }

  private end(ex: Exchange): void {
    if (ex.timer >= 0) this.host.net.sched.cancel(ex.timer);
    ex.timer = -1;
    this.host.unbindUdp(ex.port, ex.handler);
    this.exchanges.delete(ex.port);
  }

  onEvent(code: number): void {
    if (code === REGISTER_EVENT) return this.registerNow();
    const ex = this.exchanges.get(code);
    if (ex === undefined) return;
    ex.timer = -1;
    ex.attempt++;
    if (ex.attempt >= ex.waits.length) {
      this.end(ex);
      ex.done(null, null);
      return;
    }
    this.send(ex);
  }
}

function rcodeWord(rcode: number): string {
  return ['noerror', 'format-error', 'server-failure', 'name-error', 'not-implemented', 'refused', 'yx-domain', 'yx-rrset', 'nx-rrset', 'not-auth', 'not-zone'][rcode] ?? `rcode-${rcode}`;
}

/** The addresses of an answer (after any CNAME chain). */
export function addressesOf(records: readonly DnsRecord[]): number[] {
  return records.filter((r) => r.type === TYPE_A && typeof r.data === 'number').map((r) => r.data as number);
}
