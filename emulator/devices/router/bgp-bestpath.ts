/**
 * BGP best-path selection as IOS runs it, the steps the emulator needs: a path whose next hop is
 * unreachable is never chosen; then highest weight, highest local preference, locally originated,
 * shortest AS path, lowest origin (IGP < EGP < incomplete), lowest MED (only between paths from
 * the same neighbouring AS), eBGP over iBGP, lowest IGP metric to the next hop, lowest router ID
 * (the ORIGINATOR_ID for a reflected path), shortest cluster list, lowest neighbour address.
 * Left out: AIGP, the oldest-eBGP-path rule, and `bgp always-compare-med`/`deterministic-med`.
 *
 * `maximum-paths eibgp N` (per VRF) installs, beside the best, paths equal to it up to the MED
 * step, eBGP and iBGP alike and whatever their IGP metrics (unequal-cost), with the same AS path.
 */

export interface PathView {
  valid: boolean;
  weight: number;
  localPref: number;
  /** Originated here (`network`, `redistribute`), not learned from a peer. */
  local: boolean;
  asPath: readonly number[];
  origin: number;
  med: number;
  ebgp: boolean;
  igpMetric: number;
  routerId: number;
  clusterListLength: number;
  peerAddress: number;
}

export type BestPathStep =
  | 'next-hop'
  | 'weight'
  | 'local-pref'
  | 'local'
  | 'as-path'
  | 'origin'
  | 'med'
  | 'ebgp'
  | 'igp-metric'
  | 'router-id'
  | 'cluster-list'
  | 'neighbor'
  | 'equal';

/** Negative when `a` is better, positive when `b` is, with the step that decided. */
export function comparePaths(a: PathView, b: PathView): { order: number; step: BestPathStep } {
  const steps: [BestPathStep, number][] = [
    ['next-hop', Number(b.valid) - Number(a.valid)],
    ['weight', b.weight - a.weight],
    ['local-pref', b.localPref - a.localPref],
    ['local', Number(b.local) - Number(a.local)],
    ['as-path', a.asPath.length - b.asPath.length],
    ['origin', a.origin - b.origin],
    ['med', (a.asPath[0] ?? 0) === (b.asPath[0] ?? 0) ? a.med - b.med : 0],
    ['ebgp', Number(b.ebgp) - Number(a.ebgp)],
    ['igp-metric', a.igpMetric - b.igpMetric],
    ['router-id', (a.routerId >>> 0) - (b.routerId >>> 0)],
    ['cluster-list', a.clusterListLength - b.clusterListLength],
    ['neighbor', (a.peerAddress >>> 0) - (b.peerAddress >>> 0)],
  ];
  for (const [step, d] of steps) if (d !== 0) return { order: d, step };
  return { order: 0, step: 'equal' };
}

/** Indices of `paths`, best first; empty when none is valid. */
export function rankPaths(paths: readonly PathView[]): number[] {
  const idx = paths.map((_, i) => i).filter((i) => paths[i]!.valid);
  idx.sort((x, y) => comparePaths(paths[x]!, paths[y]!).order || x - y);
  return idx;
}

/** The paths installed together: the best, then up to `max - 1` more that tie with it through MED. */
export function multipaths(paths: readonly PathView[], max: number): number[] {
  const ranked = rankPaths(paths);
  if (ranked.length === 0) return [];
  const best = paths[ranked[0]!]!;
  const out = [ranked[0]!];
  for (const i of ranked.slice(1)) {
    if (out.length >= max) break;
    const p = paths[i]!;
    if (p.local || best.local) continue;
    if (p.weight !== best.weight || p.localPref !== best.localPref || p.origin !== best.origin || p.med !== best.med) continue;
    if (p.asPath.length !== best.asPath.length || p.asPath.some((as, k) => as !== best.asPath[k])) continue;
    out.push(i);
  }
  return out;
}
