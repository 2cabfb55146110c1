import type { Ipv4Packet } from '../core/packets.ts';
import { SECOND } from '../core/time.ts';

/**
 * Windows TCP/IP ArpCacheLife: unreferenced entries live 120 s; ArpCacheMinReferencedLife:
 * entries that are used keep living up to 600 s (DOMAIN.md §1.6, TechNet cc957524/cc957525).
 */
export const ARP_CACHE_LIFE_NS = 120 * SECOND;
export const ARP_REFERENCED_LIFE_NS = 600 * SECOND;
/** Requests for an unresolved address: one per second, three in all, then give up. */
export const ARP_REQUEST_INTERVAL_NS = 1 * SECOND;
export const ARP_REQUEST_ATTEMPTS = 3;
/** Packets held while an address resolves (ns-3's and many stacks' small default). */
export const ARP_PENDING_LIMIT = 3;

export interface ArpEntry {
  ip: number;
  mac: number;
  /** `incomplete` while a request is outstanding (`mac` is meaningless then). */
  state: 'incomplete' | 'reachable' | 'static';
  learnedNs: number;
  expiresNs: number;
  referenced: boolean;
  attempts: number;
  pending: Ipv4Packet[];
  timerToken: number;
}

export interface ArpEntryView {
  ip: number;
  mac: number | null;
  type: 'dynamic' | 'static' | 'incomplete';
  ageSeconds: number;
}

/** One interface's ARP cache. */
export class ArpCache {
  readonly entries = new Map<number, ArpEntry>();

  /** Resolved MAC if the entry is usable now (marks it referenced), else -1. */
  resolved(ip: number, nowNs: number): number {
    const e = this.entries.get(ip);
    if (e === undefined || e.state === 'incomplete') return -1;
    if (e.state === 'static') return e.mac;
    if (e.expiresNs <= nowNs) {
      this.entries.delete(ip);
      return -1;
    }
    if (!e.referenced) {
      e.referenced = true;
      e.expiresNs = e.learnedNs + ARP_REFERENCED_LIFE_NS;
    }
    return e.mac;
  }

  /** Record a mapping heard on the wire; returns the entry (pending packets are the caller's to send). */
  update(ip: number, mac: number, nowNs: number): ArpEntry {
    let e = this.entries.get(ip);
    if (e === undefined) {
      e = { ip, mac, state: 'reachable', learnedNs: nowNs, expiresNs: nowNs + ARP_CACHE_LIFE_NS, referenced: false, attempts: 0, pending: [], timerToken: -1 };
      this.entries.set(ip, e);
      return e;
    }
    if (e.state === 'static') return e;
    e.mac = mac;
    e.state = 'reachable';
    e.learnedNs = nowNs;
    e.referenced = false;
    e.expiresNs = nowNs + ARP_CACHE_LIFE_NS;
    return e;
  }

  setStatic(ip: number, mac: number): void {
    this.entries.set(ip, { ip, mac, state: 'static', learnedNs: 0, expiresNs: Infinity, referenced: true, attempts: 0, pending: [], timerToken: -1 });
  }

  view(nowNs: number): ArpEntryView[] {
    const out: ArpEntryView[] = [];
    for (const e of this.entries.values()) {
      if (e.state !== 'static' && e.state !== 'incomplete' && e.expiresNs <= nowNs) continue;
      out.push({
        ip: e.ip,
        mac: e.state === 'incomplete' ? null : e.mac,
        type: e.state === 'static' ? 'static' : e.state === 'incomplete' ? 'incomplete' : 'dynamic',
        ageSeconds: Math.floor((nowNs - e.learnedNs) / SECOND),
      });
    }
    return out.sort((a, b) => a.ip - b.ip);
  }
}
