/**
 * An ESXi virtual switch: a standard vSwitch or the host's proxy of a distributed vSwitch (the
 * forwarding is the same; a dvSwitch adds dvPort numbers and dvUplink names).
 *
 * How it forwards, and why it differs from a physical bridge:
 * - It never learns MACs from the wire. It knows each port's MAC from the vNIC (or, with "MAC
 *   address changes" accepted, the MAC the guest programmed into it), so frames from a VM for
 *   a MAC no local port has go out that port's team uplink only, never to the other VMs; and
 *   unicast from an uplink for an unknown MAC is dropped, not flooded (VMware vSwitch design,
 *   vSphere Networking guide: "a virtual switch does not need to learn"; recalled, [P]).
 * - Broadcast and multicast arriving on an uplink reach only the ports whose team uplink it is
 *   (the physical switch floods them to every uplink; taking each only once is what the
 *   "reverse filter" in seed 001's dvPort teaming line refers to [U: our reading]), and a group
 *   frame coming back with a local port's MAC as its source is the port's own frame reflected:
 *   dropped. Unicast for a local MAC is taken on any uplink [U].
 * - Each port is pinned to one uplink by the teaming policy (policy.ts). When a port is (re)pinned
 *   — power-on, vMotion arrival, failover, failback — and Notify Switches is on, the host sends a
 *   RARP (EtherType 0x8035, op 3, source = the port's MAC, broadcast) out the new uplink so the
 *   physical switches move the MAC there (DOMAIN §2.4, VMW-KB1556). For a unicast NLB VM that
 *   MAC is the cluster MAC, which is how KB 1556's single-port symptom arises.
 */
import type { Frame } from '../../core/frame.ts';
import { formatMac } from '../../core/mac.ts';
import type { Network } from '../../core/network.ts';
import { BROADCAST_MAC, ETHERTYPE_RARP } from '../../core/packets.ts';
import type { Port } from '../../core/port.ts';
import type { VirtualMachine, VnicPort, VnicSink } from '../hyperv-host/vm.ts';
import { chooseUplink, DEFAULT_SECURITY, type PortGroupSpec, type SecurityPolicy, type TeamingPolicy } from './policy.ts';

const INV_TWO32 = 1 / 4294967296;
/** A RARP frame: 60 bytes of header and padding plus the FCS. */
const RARP_FRAME_BYTES = 64;
const RARP_REQUEST = 3;

function isGroup(mac: number): boolean {
  return (((mac * INV_TWO32) | 0) & 0x0100) !== 0;
}

export type SwitchKind = 'standard' | 'distributed';

/** Why a port was (re)pinned: named in the timeline. */
export type PinReason = 'power-on' | 'vmotion' | 'failover' | 'failback' | 'config';

export interface Uplink {
  name: string;
  port: Port;
}

/** One virtual port: a VM vNIC or a vmkernel NIC. */
export interface VirtualPort {
  /** The portset port ID (`esxcli network vm port list`, net-stats). */
  readonly id: number;
  /** The dvPort number on a distributed switch, else null. */
  readonly dvPort: number | null;
  /** Client name as ESXi prints it: `VM1 ethernet0`, `vmk0`. */
  readonly client: string;
  readonly vnic: VnicPort;
  readonly vm: VirtualMachine;
  readonly type: 'vm' | 'vmk';
  portGroup: PortGroupSpec;
  /** The uplink the port is pinned to now (vmnic name), or null with no uplink left. */
  uplink: string | null;
  rxPackets: number;
  txPackets: number;
  /** Frames refused by the security policy (forged transmits). */
  securityDrops: number;
}

/** What the switch needs from its host. */
export interface VSwitchHost {
  readonly name: string;
  readonly powered: boolean;
}

export interface VSwitchConfig {
  name: string;
  kind: SwitchKind;
  /** First port ID of this portset (ESXi numbers each portset's ports from its own base). */
  portBase: number;
  uplinks: Uplink[];
  /** Switch-level teaming; port groups override parts of it. */
  teaming: TeamingPolicy;
  security: SecurityPolicy;
  portGroups: PortGroupSpec[];
  mtu: number;
}

export class EsxiVSwitch implements VnicSink {
  readonly name: string;
  readonly kind: SwitchKind;
  readonly uplinks: Uplink[];
  readonly teaming: TeamingPolicy;
  readonly security: SecurityPolicy;
  readonly portGroups: PortGroupSpec[];
  readonly mtu: number;
  readonly ports: VirtualPort[] = [];
  /** Port IDs the uplinks hold on the portset (after the management port). */
  readonly uplinkPortIds = new Map<string, number>();
  /** Unicast from an uplink that matched no port. */
  unknownUnicastDrops = 0;
  /** Frames a port sent while it had no uplink with link. */
  noUplinkDrops = 0;
  /** Group frames from an uplink refused because it is not the receiving port's team uplink, or reflected. */
  reverseFilterDrops = 0;
  private readonly byVnic = new Map<VnicPort, VirtualPort>();
  private nextPortId: number;

  constructor(
    private readonly net: Network,
    private readonly host: VSwitchHost,
    cfg: VSwitchConfig,
  ) {
    this.name = cfg.name;
    this.kind = cfg.kind;
    this.uplinks = cfg.uplinks;
    this.teaming = cfg.teaming;
    this.security = cfg.security;
    this.portGroups = cfg.portGroups;
    this.mtu = cfg.mtu;
    // ESXi gives the first port of a portset to the management vmknic and the next ones to the
    // uplinks (seed 001: 50331649 Management, 50331650 vmnic2, 50331651 vmnic3, then VMs).
    this.nextPortId = cfg.portBase + 2;
    for (const u of cfg.uplinks) this.uplinkPortIds.set(u.name, this.nextPortId++);
  }

  portGroup(name: string): PortGroupSpec | undefined {
    const wanted = name.toLowerCase();
    return this.portGroups.find((p) => p.name.toLowerCase() === wanted);
  }

  /** The port group's teaming with the switch's filling what it does not override. */
  teamingOf(pg: PortGroupSpec): TeamingPolicy {
    const t = pg.teaming;
    return {
      active: t.active ?? this.teaming.active,
      standby: t.standby ?? this.teaming.standby,
      notifySwitches: t.notifySwitches ?? this.teaming.notifySwitches,
      failback: t.failback ?? this.teaming.failback,
    };
  }

  securityOf(pg: PortGroupSpec): SecurityPolicy {
    return { ...DEFAULT_SECURITY, ...this.security, ...pg.security };
  }

  /** dvUplinkN for a distributed switch, else the vmnic itself. */
  uplinkLabel(nic: string): string {
    if (this.kind !== 'distributed') return nic;
    const i = this.uplinks.findIndex((u) => u.name === nic);
    return i >= 0 ? `dvUplink${i + 1}` : nic;
  }

  hasLink(nic: string): boolean {
    const u = this.uplinks.find((x) => x.name === nic);
    return u !== undefined && u.port.operUp;
  }

  // ---- ports --------------------------------------------------------------------------------

  /**
   * Connect a vNIC to a port group (power-on, or arrival after vMotion): it gets a port ID, is
   * pinned to an uplink, and the switches are notified if the port group says so.
   */
  connect(vm: VirtualMachine, vnic: VnicPort, pg: PortGroupSpec, opts: { type: 'vm' | 'vmk'; client: string; dvPort: number | null; reason: PinReason; fixedId?: number }): VirtualPort {
    const existing = this.byVnic.get(vnic);
    if (existing !== undefined) return existing;
    const p: VirtualPort = {
      id: opts.fixedId ?? this.nextPortId++,
      dvPort: this.kind === 'distributed' ? opts.dvPort : null,
      client: opts.client,
      vnic,
      vm,
      type: opts.type,
      portGroup: pg,
      uplink: null,
      rxPackets: 0,
      txPackets: 0,
      securityDrops: 0,
    };
    vnic.vlan = pg.vlan;
    vnic.sink = this;
    this.ports.push(p);
    this.byVnic.set(vnic, p);
    this.pin(p, opts.reason);
    return p;
  }

  disconnect(vnic: VnicPort): void {
    const p = this.byVnic.get(vnic);
    if (p === undefined) return;
    this.byVnic.delete(vnic);
    this.ports.splice(this.ports.indexOf(p), 1);
    if (vnic.sink === this) vnic.sink = null;
  }

  portOf(vnic: VnicPort): VirtualPort | undefined {
    return this.byVnic.get(vnic);
  }

  /** The MAC the port is known by: the guest's own when MAC address changes are accepted. */
  effectiveMac(p: VirtualPort): number {
    const g = p.vm.guest;
    if (g === null || !this.securityOf(p.portGroup).macChanges) return p.vnic.mac;
    return g.adapterMac(p.vnic.index);
  }

  // ---- teaming ------------------------------------------------------------------------------

  /**
   * Choose the port's uplink now. A port just connected (power-on, vMotion arrival) announces
   * itself even when the choice equals the old one; otherwise only a change does.
   */
  private pin(p: VirtualPort, reason: PinReason): void {
    const policy = this.teamingOf(p.portGroup);
    const next = chooseUplink(p.id, p.uplink, policy, (n) => this.hasLink(n));
    const changed = next !== p.uplink;
    p.uplink = next;
    const fresh = reason === 'power-on' || reason === 'vmotion';
    if ((changed || fresh) && next !== null && policy.notifySwitches) this.notifySwitches(p, reason);
  }

  /** The host started (or powered on): every connected port is pinned and announced as at power-on. */
  powerOnPorts(): void {
    for (const p of this.ports) {
      p.uplink = null;
      this.pin(p, 'power-on');
    }
  }

  /** An uplink gained or lost carrier: move the ports that must move, and say so in the timeline. */
  uplinkChanged(nic: string, up: boolean): void {
    const moved = new Map<string, string[]>();
    const stranded: string[] = [];
    for (const p of this.ports) {
      const before = p.uplink;
      const policy = this.teamingOf(p.portGroup);
      const next = chooseUplink(p.id, before, policy, (n) => this.hasLink(n));
      if (next === before) continue;
      p.uplink = next;
      if (next === null) {
        stranded.push(p.client);
        continue;
      }
      const list = moved.get(next) ?? [];
      list.push(p.client);
      moved.set(next, list);
      if (policy.notifySwitches) this.notifySwitches(p, up ? 'failback' : 'failover');
    }
    const what = up ? 'failback' : 'failover';
    for (const [to, clients] of moved) {
      this.net.emit(
        'esxi.failover',
        `${this.host.name}: ${this.name} ${nic} link ${up ? 'up' : 'down'}, ${what}: ${clients.join(', ')} now on ${to}`,
        this.host.name,
        nic,
      );
    }
    if (stranded.length > 0) {
      this.net.emit('esxi.failover', `${this.host.name}: ${this.name} ${nic} link down: ${stranded.join(', ')} left without an uplink`, this.host.name, nic);
    }
  }

  /** Re-evaluate every port after a policy change (Notify Switches applies to later moves only). */
  policyChanged(): void {
    for (const p of this.ports) this.pin(p, 'config');
  }

  /** The RARP the VMkernel sends for a port out its uplink (DOMAIN §2.4). */
  private notifySwitches(p: VirtualPort, reason: PinReason): void {
    if (p.uplink === null || !this.host.powered) return;
    const mac = this.effectiveMac(p);
    const f = this.net.pool.alloc();
    f.dst = BROADCAST_MAC;
    f.src = mac;
    f.vlan = 0;
    f.pcp = 0;
    f.etherType = ETHERTYPE_RARP;
    f.size = RARP_FRAME_BYTES;
    f.payload = { kind: 'arp', op: RARP_REQUEST, senderMac: mac, senderIp: 0, targetMac: mac, targetIp: 0 };
    f.tag = 0;
    this.net.emit(
      'esxi.rarp',
      `${this.host.name}: RARP for ${p.client} (${formatMac(mac)}) out ${p.uplink} after ${reason}`,
      this.host.name,
      p.uplink,
    );
    this.toUplink(p, f);
  }

  // ---- forwarding ---------------------------------------------------------------------------

  fromVnic(v: VnicPort, f: Frame): void {
    const p = this.byVnic.get(v);
    if (p === undefined || !this.host.powered || f.vlan !== 0) {
      // Guest VLAN tagging (VLAN 4095) is not modelled: a tagging guest's frames are dropped.
      this.net.pool.release(f);
      return;
    }
    if (!this.securityOf(p.portGroup).forgedTransmits && f.src !== this.effectiveMac(p)) {
      p.securityDrops++;
      this.net.pool.release(f);
      return;
    }
    p.txPackets++;
    const vid = p.portGroup.vlan;
    const dst = f.dst;
    const local: VirtualPort[] = [];
    if (isGroup(dst)) {
      for (const q of this.ports) if (q !== p && q.portGroup.vlan === vid) local.push(q);
      this.fanOut(f, local, p);
      return;
    }
    let known = false;
    for (const q of this.ports) {
      if (q === p || q.portGroup.vlan !== vid) continue;
      if (this.effectiveMac(q) === dst) {
        known = true;
        local.push(q);
      } else if (this.securityOf(q.portGroup).promiscuous) local.push(q);
    }
    this.fanOut(f, local, known ? null : p);
  }

  /** A frame arrived on uplink `nic` (already untagged by nobody: the tag says which port group). */
  fromUplink(nic: string, f: Frame): void {
    const vid = f.vlan;
    if (vid !== 0) {
      f.vlan = 0;
      f.size -= 4;
    }
    const targets: VirtualPort[] = [];
    if (isGroup(f.dst)) {
      for (const q of this.ports) {
        if (q.portGroup.vlan !== vid) continue;
        if (this.effectiveMac(q) === f.src || q.uplink !== nic) {
          this.reverseFilterDrops++;
          continue;
        }
        targets.push(q);
      }
    } else {
      for (const q of this.ports) {
        if (q.portGroup.vlan !== vid) continue;
        if (this.effectiveMac(q) === f.dst || this.securityOf(q.portGroup).promiscuous) targets.push(q);
      }
      if (targets.length === 0) this.unknownUnicastDrops++;
    }
    this.fanOut(f, targets, null);
  }

  /** Deliver to `targets` and, when `uplinkFor` is set, out that port's uplink; copies as needed. */
  private fanOut(f: Frame, targets: readonly VirtualPort[], uplinkFor: VirtualPort | null): void {
    const n = targets.length + (uplinkFor !== null ? 1 : 0);
    if (n === 0) {
      this.net.pool.release(f);
      return;
    }
    let sent = 0;
    for (const q of targets) {
      sent++;
      q.rxPackets++;
      q.vnic.deliver(sent === n ? f : this.net.pool.copy(f));
    }
    if (uplinkFor !== null) this.toUplink(uplinkFor, f);
  }

  private toUplink(p: VirtualPort, f: Frame): void {
    const u = p.uplink === null ? undefined : this.uplinks.find((x) => x.name === p.uplink);
    if (u === undefined || !this.host.powered) {
      this.noUplinkDrops++;
      this.net.pool.release(f);
      return;
    }
    const vid = p.portGroup.vlan;
    if (vid !== 0) {
      f.vlan = vid;
      f.size += 4;
    }
    u.port.send(f);
  }
}
