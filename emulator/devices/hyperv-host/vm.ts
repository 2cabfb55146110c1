/**
 * How a guest operating system plugs into a Hyper-V host. This is the whole contract between
 * the host (vSwitch, placement, live migration) and a guest kind (windows-server, hyperv-vm).
 *
 * Building a VM, in order:
 * 1. `host.createVm({ name, memoryMb, adapters: [{ vlan, macSpoofing, staticMac }] })` reserves
 *    the vNICs and assigns each its MAC (the static one, or the next from the host's dynamic
 *    pool). Read them from `vm.adapters[i].mac`.
 * 2. Build the guest node with those MACs as its adapters' hardware addresses.
 * 3. `vm.plug(guest)`: the host cables guest adapter i to vNIC i. From then on the guest sends
 *    and receives through its own ports as on any link; the vSwitch applies the port settings.
 *
 * What the guest may do: send with any source MAC (NLB unicast sends from 02-BF-… or a masked
 * 02-<host id>-…). Whether such frames leave, and whether frames for a MAC other than the
 * assigned one reach the guest, is the vSwitch port's decision (MAC address spoofing), never
 * the guest's. The guest is told nothing about it, as on a real host.
 *
 * What the guest must report: the MAC its adapter presents now and the IPv4 addresses bound to
 * it (Hyper-V learns these through integration services). The host uses them for the
 * unsolicited ARP after a live migration.
 */
import type { Frame } from '../../core/frame.ts';
import type { Network } from '../../core/network.ts';
import { NetworkNode } from '../../core/node.ts';
import type { Port } from '../../core/port.ts';
import type { Settings } from '../kind.ts';
import { DEFAULT_DIRTY_MB_PER_SECOND, DEFAULT_VM_MEMORY_MB } from './vm-settings.ts';

/** Also here for guest kinds that import it from vm.ts; catalog entries should take it from vm-settings.ts. */
export { VM_HOST_SETTINGS } from './vm-settings.ts';
import { parseMac } from '../../core/mac.ts';

/** Implemented by guest kinds. */
export interface GuestOs {
  /** The VM's lab device name. */
  readonly name: string;
  /** The guest node's port for adapter `index` (0-based), cabled by the host to vNIC `index`. */
  adapterPort(index: number): Port;
  /** The MAC the guest's adapter presents now (NLB unicast changes it to the cluster MAC). */
  adapterMac(index: number): number;
  /** IPv4 addresses (uint32) bound to the adapter and usable now. */
  adapterAddresses(index: number): readonly number[];
  /**
   * The MAC the guest's own ARP gives for one of those addresses, when it is not the adapter's
   * (NLB multicast modes answer for the cluster IP with the cluster MAC). Optional: absent, the
   * adapter's MAC.
   */
  adapterArpMac?(index: number, ip: number): number;
  /** The VM was powered off (its host lost power) or on again. Optional. */
  powerChanged?(on: boolean): void;
}

/** One vNIC as declared. */
export interface VnicSpec {
  /** Static MAC; absent: the host's dynamic pool assigns one. */
  staticMac?: number;
  /** Access VLAN id; 0 = untagged. */
  vlan?: number;
  /** MAC address spoofing: Off by default (DOMAIN §2.1). */
  macSpoofing?: boolean;
}

export interface VmSpec {
  name: string;
  /** Startup memory, which a live migration copies. */
  memoryMb?: number;
  /** Memory the guest dirties per second while pre-copy runs (see vm-settings.ts). */
  dirtyMbPerSecond?: number;
  adapters: VnicSpec[];
}

/** The synthetic adapter's link speed as a Windows guest reports it. */
export const VNIC_SPEED_BPS = 10e9;

/**
 * The host-side switch port of one vNIC: a tiny node cabled to the guest adapter. It belongs to
 * the VM, not to a host, so it travels with the VM on a live migration (port settings move
 * with the VM in Hyper-V too); `sink` is the vSwitch it is attached to now, or null while the VM
 * is paused or off.
 */
export class VnicPort extends NetworkNode {
  readonly port: Port;
  /** Static or pool-assigned MAC: the only MAC allowed while spoofing is off. */
  readonly mac: number;
  vlan: number;
  macSpoofing: boolean;
  sink: VnicSink | null = null;
  /** Frames dropped because the source MAC was not the assigned one (spoofing off). */
  spoofDrops = 0;
  /** Frames lost because the VM was between hosts, paused or off. */
  detachedDrops = 0;

  constructor(
    net: Network,
    readonly vm: VirtualMachine,
    readonly index: number,
    mac: number,
    spec: VnicSpec,
  ) {
    // `#` cannot appear in a lab device name, so this never collides with one.
    super(net, `${vm.name}#vnic${index}`);
    this.port = this.addPort('vnic', VNIC_SPEED_BPS);
    this.port.mac = mac;
    this.mac = mac;
    this.vlan = spec.vlan ?? 0;
    this.macSpoofing = spec.macSpoofing ?? false;
  }

  /** Stable id of this vNIC within the network (teams pin traffic by it). */
  get id(): number {
    return this.port.handlerId;
  }

  receive(_port: Port, f: Frame): void {
    const s = this.sink;
    if (s === null) {
      this.detachedDrops++;
      this.net.pool.release(f);
      return;
    }
    s.fromVnic(this, f);
  }

  /** Deliver a frame to the guest. Ownership passes here. */
  deliver(f: Frame): void {
    if (this.sink === null) {
      this.detachedDrops++;
      this.net.pool.release(f);
      return;
    }
    this.port.send(f);
  }
}

/** What a vNIC port hands its guest's frames to (the host's external vSwitch). */
export interface VnicSink {
  fromVnic(vnic: VnicPort, f: Frame): void;
}

export type VmState = 'Running' | 'Off' | 'Paused';

/** A VM as a host holds it: its vNIC ports, memory, state and the guest plugged in. */
export class VirtualMachine {
  readonly name: string;
  readonly adapters: VnicPort[] = [];
  readonly memoryMb: number;
  readonly dirtyMbPerSecond: number;
  guest: GuestOs | null = null;
  state: VmState = 'Running';
  /** Simulated time the VM last started (for Uptime). */
  startedNs = 0;
  /** The host's name the VM runs on. */
  hostName: string;

  constructor(net: Network, spec: VmSpec, hostName: string, macs: readonly number[]) {
    this.name = spec.name;
    this.memoryMb = spec.memoryMb ?? DEFAULT_VM_MEMORY_MB;
    this.dirtyMbPerSecond = spec.dirtyMbPerSecond ?? DEFAULT_DIRTY_MB_PER_SECOND;
    this.hostName = hostName;
    spec.adapters.forEach((a, i) => this.adapters.push(new VnicPort(net, this, i, macs[i], a)));
  }

  /** Cable the guest's adapters to the vNIC ports. Call once, before the network starts. */
  plug(guest: GuestOs): void {
    if (this.guest !== null) throw new Error(`${this.name} already has a guest`);
    this.guest = guest;
    for (const a of this.adapters) {
      const gp = guest.adapterPort(a.index);
      a.net.connect(a.port, gp, { rateBps: VNIC_SPEED_BPS, delayNs: 0 });
    }
  }

  /** The MAC a vNIC's traffic is known by on the wire now: the guest's, if spoofing lets it through. */
  effectiveMac(i: number): number {
    const a = this.adapters[i];
    if (!a.macSpoofing || this.guest === null) return a.mac;
    return this.guest.adapterMac(i);
  }

  /**
   * The MAC the host's unsolicited ARP after a move gives for `ip`: the binding the VM itself
   * uses for that address (DOMAIN §2.3: the ARP tells the network that the VM's address has
   * moved, so neighbours keep the binding they had and switches learn the new port). With
   * spoofing off the vSwitch knows only the assigned MAC.
   */
  announcedMac(i: number, ip: number): number {
    const a = this.adapters[i];
    if (!a.macSpoofing || this.guest === null || this.guest.adapterArpMac === undefined) return this.effectiveMac(i);
    return this.guest.adapterArpMac(i, ip);
  }
}

// ---- lab settings ----------------------------------------------------------------------------

/** Turn a VM device's settings (see VM_HOST_SETTINGS in vm-settings.ts) into a VmSpec. */
export function vmSpecFromSettings(name: string, s: Settings): VmSpec {
  const count = typeof s['adapters'] === 'number' ? s['adapters'] : 1;
  const adapter = (prefix: '' | 'adapter2'): VnicSpec => {
    const k = (base: string): string => (prefix === '' ? base : prefix + base[0].toUpperCase() + base.slice(1));
    const mac = s[k('macAddress')];
    const vlan = s[k('vlan')];
    const spoof = s[k('macSpoofing')];
    const out: VnicSpec = { vlan: typeof vlan === 'number' ? vlan : 0, macSpoofing: spoof === true };
    if (typeof mac === 'string' && mac !== '') out.staticMac = parseMac(mac);
    return out;
  };
  const adapters = [adapter('')];
  if (count >= 2) adapters.push(adapter('adapter2'));
  return {
    name,
    memoryMb: typeof s['memoryMB'] === 'number' ? s['memoryMB'] : DEFAULT_VM_MEMORY_MB,
    dirtyMbPerSecond: typeof s['dirtyMBps'] === 'number' ? s['dirtyMBps'] : DEFAULT_DIRTY_MB_PER_SECOND,
    adapters,
  };
}
