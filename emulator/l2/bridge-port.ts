import type { Port } from '../core/port.ts';
import type { PortChannel } from './port-channel.ts';

export type SwitchportMode = 'access' | 'trunk';

const NO_VLANS = new Int32Array(128);

/**
 * A port of the bridge as 802.1Q sees it: either one physical port or one port-channel. MAC
 * tables point at these. VLAN membership is an access VLAN or a trunk's allowed bit set.
 */
export class BridgePort {
  trunk = false;
  accessVlan = 1;
  nativeVlan = 1;
  /** Trunk allowed-VLAN bit set (4096 bits); shared empty set for access ports. */
  allowed: Int32Array = NO_VLANS;
  /** Passes frames: physical port up and not bundled, or a port-channel with a working member. */
  forwarding = false;
  /**
   * Index of a bridge port whose frames must not leave through this one (-2: none; not -1, which
   * stands for the switch itself as a frame's source). A vPC peer
   * sets it on a vPC whose twin on the other peer is up: what came over the peer-link was
   * already delivered there.
   */
  blockFrom = -2;

  declare readonly index: number;
  declare readonly name: string;
  /** The physical port, or null for a port-channel. */
  declare readonly phys: Port | null;
  declare channel: PortChannel | null;

  constructor(index: number, name: string, phys: Port | null, channel: PortChannel | null) {
    this.index = index;
    this.name = name;
    this.phys = phys;
    this.channel = channel;
  }

  /** Whether frames of `vid` may enter and leave through this port. */
  carries(vid: number): boolean {
    return this.trunk ? ((this.allowed[vid >> 5] >>> (vid & 31)) & 1) !== 0 : this.accessVlan === vid;
  }

  setAccess(vlan: number): void {
    this.trunk = false;
    this.accessVlan = vlan;
  }

  setTrunk(nativeVlan: number, allowed: readonly number[] | 'all'): void {
    this.trunk = true;
    this.nativeVlan = nativeVlan;
    const bits = new Int32Array(128);
    if (allowed === 'all') {
      for (let v = 1; v <= 4094; v++) bits[v >> 5] |= 1 << (v & 31);
    } else {
      for (const v of allowed) bits[v >> 5] |= 1 << (v & 31);
    }
    this.allowed = bits;
  }

  allowedVlans(): number[] {
    const out: number[] = [];
    for (let v = 1; v <= 4094; v++) if (((this.allowed[v >> 5] >>> (v & 31)) & 1) !== 0) out.push(v);
    return out;
  }
}

/** `1-10,20,30-32` style list, as switch CLIs print allowed VLANs. */
export function formatVlanList(vlans: readonly number[]): string {
  const parts: string[] = [];
  let i = 0;
  while (i < vlans.length) {
    let j = i;
    while (j + 1 < vlans.length && vlans[j + 1] === vlans[j] + 1) j++;
    parts.push(j === i ? `${vlans[i]}` : `${vlans[i]}-${vlans[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/** Parse `1-10,20` (also accepts `all`). */
export function parseVlanList(text: string): number[] | 'all' {
  if (text.trim().toLowerCase() === 'all') return 'all';
  const out: number[] = [];
  for (const part of text.split(',')) {
    const m = /^\s*(\d+)(?:\s*-\s*(\d+))?\s*$/.exec(part);
    if (!m) throw new Error(`not a VLAN list: ${text}`);
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    if (lo < 1 || hi > 4094 || lo > hi) throw new Error(`VLAN out of range: ${part}`);
    for (let v = lo; v <= hi; v++) out.push(v);
  }
  return out;
}
