/**
 * Which interconnect bay and downlink function each blade NIC reaches through the c7000 midplane
 * (HP c7000 port mapping for half-height blades): LOM port 1 → bay 1, LOM port 2 → bay 2,
 * mezzanine 1 ports 1–2 → bays 3–4, mezzanine 2 ports 1–4 → bays 5–8.
 *
 * The LOM is a dual-port Flex-10/FlexFabric adapter: each port is split into functions a–d, and
 * the OS enumerates them port-interleaved (1-a, 2-a, 1-b, 2-b, …), which is why seed 001's vmnic0,
 * vmnic2 and vmnic4 all sat on the module in bay 1. When the profile has FCoE connections the
 * FlexHBA takes function b on each port (DOMAIN §3.1 [P]) and Ethernet uses a, c, d.
 */
import { FUNCTIONS, type FlexFunction } from './flexnic.ts';

export interface NicPlacement {
  /** Interconnect bay the NIC's midplane lane ends in. */
  icBay: number;
  /** Function of the downlink (a for mezzanine ports, which are not split). */
  fn: FlexFunction;
  /** Adapter port as VC names it: `LOM:1-a`, `MEZZ1:2`. */
  label: string;
}

export interface BladeAdapters {
  /** Ethernet functions per LOM port the blade presents (1–4). */
  lomFunctions: number;
  mezz1Ports: number;
  mezz2Ports: number;
}

/** Placement of every blade NIC in OS order. `fcoe` is whether the bay's profile has FCoE connections. */
export function nicPlacements(a: BladeAdapters, fcoe: boolean): NicPlacement[] {
  const enetFns: FlexFunction[] = fcoe ? FUNCTIONS.filter((f) => f !== 'b') : [...FUNCTIONS];
  const out: NicPlacement[] = [];
  const per = Math.min(a.lomFunctions, enetFns.length);
  for (let i = 0; i < per; i++) {
    for (const port of [1, 2]) out.push({ icBay: port, fn: enetFns[i], label: `LOM:${port}-${enetFns[i]}` });
  }
  for (let p = 1; p <= a.mezz1Ports; p++) out.push({ icBay: 2 + p, fn: 'a', label: `MEZZ1:${p}` });
  for (let p = 1; p <= a.mezz2Ports; p++) out.push({ icBay: 4 + p, fn: 'a', label: `MEZZ2:${p}` });
  return out;
}

/** The FlexHBA of FCoE connection `j` (1-based): LOM port alternates like Ethernet, function b. */
export function fcoePlacement(j: number): NicPlacement {
  const port = ((j - 1) % 2) + 1;
  return { icBay: port, fn: 'b', label: `LOM:${port}-b` };
}
