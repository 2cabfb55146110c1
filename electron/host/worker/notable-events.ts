/**
 * Which run events a person watches for. The timeline lists these and a next-event step stops at
 * them; both must agree, or a step would halt on something the timeline never shows.
 *
 * Kept free of imports: the renderer loads it too.
 */

/** Protocol housekeeping chatty enough to bury what matters (joins, querier refreshes, update progress). */
const QUIET_KINDS = /^(igmp\.(join|prune|querier)|vcsu\.progress)$/;

export function isNotableEvent(kind: string): boolean {
  return !QUIET_KINDS.test(kind);
}
