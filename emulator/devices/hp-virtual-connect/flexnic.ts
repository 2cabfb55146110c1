/**
 * FlexNIC bandwidth allocation on one 10 Gb server port (DOMAIN §3.1, VC 3.30 UG p.127 [V]):
 * functions with a preferred or custom speed get their request first, "Auto" functions split the
 * remainder evenly, and everything is granted in 100 Mb steps. Requests over the port speed are
 * scaled down pro rata (DOMAIN marks the exact rule [P]; pro rata in 100 Mb steps is our choice).
 */

export const FLEX_STEP_BPS = 100e6;
export const FLEX_PORT_BPS = 10e9;
export const FUNCTIONS = ['a', 'b', 'c', 'd'] as const;
export type FlexFunction = (typeof FUNCTIONS)[number];

/** A function's request: a speed in bits per second, or 'auto'. */
export type FlexRequest = number | 'auto';

function steps(bps: number): number {
  return Math.floor(bps / FLEX_STEP_BPS + 1e-9);
}

/**
 * Granted speed per requested function (same order). Each grant is at least one 100 Mb step, the
 * minimum a FlexNIC runs at.
 */
export function allocateFlexNics(requests: readonly FlexRequest[], portBps = FLEX_PORT_BPS): number[] {
  if (requests.length > FUNCTIONS.length) throw new Error(`a FlexFabric port has at most ${FUNCTIONS.length} functions`);
  const total = steps(portBps);
  const fixed = requests.map((r) => (r === 'auto' ? 0 : Math.max(1, steps(r))));
  const autos = requests.filter((r) => r === 'auto').length;
  let fixedSum = fixed.reduce((a, b) => a + b, 0);
  const reserve = autos; // every Auto function keeps at least one step
  if (fixedSum > total - reserve) {
    const room = total - reserve;
    const scaled = fixed.map((s) => (s === 0 ? 0 : Math.max(1, Math.floor((s * room) / fixedSum))));
    for (let i = 0; i < fixed.length; i++) fixed[i] = scaled[i];
    fixedSum = fixed.reduce((a, b) => a + b, 0);
  }
  const left = total - fixedSum;
  const share = autos > 0 ? Math.floor(left / autos) : 0;
  // Steps that do not divide evenly go to the first Auto functions (VC grants uneven splits).
  let extra = autos > 0 ? left - share * autos : 0;
  return requests.map((r, i) => {
    if (r !== 'auto') return fixed[i] * FLEX_STEP_BPS;
    const s = share + (extra > 0 ? 1 : 0);
    if (extra > 0) extra--;
    return Math.max(1, s) * FLEX_STEP_BPS;
  });
}
