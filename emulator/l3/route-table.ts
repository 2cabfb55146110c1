import { prefixMask } from '../core/ipv4.ts';

export interface Route {
  prefix: number;
  length: number;
  /** Next hop, or 0 for a directly connected network. */
  nextHop: number;
  /** Outgoing interface index (for connected routes), or -1 to resolve via the next hop. */
  iface: number;
  origin: 'connected' | 'static' | 'local';
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

  list(): readonly Route[] {
    return this.routes;
  }
}

function originRank(o: Route['origin']): number {
  return o === 'local' ? 0 : o === 'connected' ? 1 : 2;
}
