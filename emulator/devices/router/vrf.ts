/**
 * A router's VRFs at run time: per VRF its own connected networks (the interfaces bound with
 * `vrf forwarding`) and the BGP routes installed from its BGP table, looked up longest prefix
 * first and, for one prefix, by administrative distance (connected 0, eBGP 20, iBGP 200).
 */
import { prefixMask } from '../../core/ipv4.ts';
import type { Route } from '../../l3/route-table.ts';
import { RouteTable } from '../../l3/route-table.ts';
import type { VrfBgpRoute } from './bgp.ts';

export interface InstalledVrfRoute extends VrfBgpRoute {
  /** When the route was installed with its current next hops. */
  readonly since: number;
}

export type VrfLookup = { kind: 'connected'; route: Route } | { kind: 'bgp'; route: InstalledVrfRoute };

export class VrfTable {
  /** Connected networks of the VRF's interfaces (the IPv4 stack adds and removes them). */
  readonly connected = new RouteTable();
  readonly bgp = new Map<string, InstalledVrfRoute>();

  constructor(
    readonly name: string,
    /** The VPN label this router allocated for the VRF (one label per VRF). */
    readonly label: number,
  ) {}

  install(routes: readonly VrfBgpRoute[], now: number): void {
    const next = new Map<string, InstalledVrfRoute>();
    for (const r of routes) {
      const key = `${r.prefix >>> 0}/${r.length}`;
      const old = this.bgp.get(key);
      const same = old !== undefined && old.distance === r.distance && old.paths.length === r.paths.length && old.paths.every((p, i) => p.nextHop === r.paths[i]!.nextHop && p.label === r.paths[i]!.label);
      next.set(key, { ...r, since: same ? old.since : now });
    }
    this.bgp.clear();
    for (const [k, v] of next) this.bgp.set(k, v);
  }

  /** Longest match over connected (on up interfaces) and BGP routes; connected wins a tie. */
  lookup(dst: number, interfaceUp: (index: number) => boolean): VrfLookup | null {
    let conn: Route | null = null;
    for (const r of this.connected.list()) {
      if (r.origin !== 'connected' || !interfaceUp(r.iface)) continue;
      if (((dst & prefixMask(r.length)) >>> 0) === r.prefix && (conn === null || r.length > conn.length)) conn = r;
    }
    let bgp: InstalledVrfRoute | null = null;
    for (const r of this.bgp.values()) {
      if (((dst & prefixMask(r.length)) >>> 0) === ((r.prefix & prefixMask(r.length)) >>> 0) && (bgp === null || r.length > bgp.length)) bgp = r;
    }
    if (conn !== null && (bgp === null || conn.length >= bgp.length)) return { kind: 'connected', route: conn };
    return bgp === null ? null : { kind: 'bgp', route: bgp };
  }
}
