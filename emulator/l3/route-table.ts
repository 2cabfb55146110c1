import { prefixMask } from '../core/ipv4.ts';

/** One of a route's equal-cost ways out. */
export interface RoutePath {
  nextHop: number;
  iface: number;
}

export interface Route {
  prefix: number;
  length: number;
  /** Next hop, or 0 for a directly connected network. */
  nextHop: number;
  /** Outgoing interface index (for connected routes), or -1 to resolve via the next hop. */
  iface: number;
  origin: 'connected' | 'static' | 'local' | 'bgp' | 'rip';
  /** Equal-cost paths a routing protocol installed (ECMP); a flow keeps to one, chosen by a hash of its addresses. */
  paths?: readonly RoutePath[];
}

/** IPv4 routes, longest prefix first; hosts and small routers have few, so a sorted list suffices. */
export class RouteTable {
  private routes: Route[] = [];

  add(r: Route): void {
    const p = (r.prefix & prefixMask(r.length)) >>> 0;
    this.remove(p, r.length, r.origin);
    this.routes.push({ ...r, prefix: p });
    this.routes.sort((a, b) => b.length - a.length || originRank(a.origin) - originRank(b.origin));
  }

  remove(prefix: number, length: number, origin?: Route['origin']): void {
    const p = (prefix & prefixMask(length)) >>> 0;
    this.routes = this.routes.filter((r) => !(r.prefix === p && r.length === length && (origin === undefined || r.origin === origin)));
  }

  removeWhere(pred: (r: Route) => boolean): void {
    this.routes = this.routes.filter((r) => !pred(r));
  }

  /** Longest-prefix match. */
  lookup(dst: number): Route | null {
    for (const r of this.routes) {
      if (((dst & prefixMask(r.length)) >>> 0) === r.prefix) return r;
    }
    return null;
  }

  /** Longest-prefix match; of equal-cost paths, the one this source and destination hash to, as CEF shares load per flow. */
  lookupFlow(dst: number, src: number): Route | null {
    const r = this.lookup(dst);
    if (r === null || r.paths === undefined || r.paths.length < 2) return r;
    const p = r.paths[flowPath(src, dst, r.paths.length)];
    return { ...r, nextHop: p.nextHop, iface: p.iface };
  }

  list(): readonly Route[] {
    return this.routes;
  }
}

function originRank(o: Route['origin']): number {
  return o === 'local' ? 0 : o === 'connected' ? 1 : o === 'static' ? 2 : 3;
}

/** Which of `n` equal-cost paths a flow from `src` to `dst` keeps to, as CEF shares load per destination; every routing table uses this one choice. */
export function flowPath(src: number, dst: number, n: number): number {
  let h = Math.imul((src ^ Math.imul(dst, 0x9e3779b1)) >>> 0, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return ((h ^ (h >>> 16)) >>> 0) % n;
}
