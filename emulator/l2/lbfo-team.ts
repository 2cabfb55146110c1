/**
 * Windows Server 2012 / 2012 R2 NIC teaming (LBFO) as a reusable L2 behaviour: a set of physical
 * ports that a node (a Hyper-V host's external vSwitch, a teamed server) sends through and
 * receives from as one interface.
 *
 * Facts used (DOMAIN.md §2.2):
 * - Teaming modes SwitchIndependent / Static / LACP; LACP with `-LacpTimer Fast|Slow`.
 * - Load balancing TransportPorts (the "Address Hash" default), IPAddresses, MacAddresses,
 *   HyperVPort, Dynamic.
 * - Switch independent + Address Hash: outbound spread, inbound on the primary member only.
 *   Switch independent + Hyper-V Port: each vNIC pinned to one member both ways.
 *   Switch independent + Dynamic: outbound by flowlets, inbound as Hyper-V Port.
 *   Static / LACP: the switch's own hash decides inbound.
 *
 * The inbound behaviour is not imposed here: it emerges from what the adjacent switch learns.
 * In switch-independent Address Hash and Dynamic modes a frame leaving on a member other than
 * the sender's home member carries that member's MAC as source (Microsoft, "NIC Teaming MAC
 * Address Use and Management": source MAC replaced on non-primary members to avoid MAC flapping),
 * so the switch learns every VM MAC only on its home member and sends inbound traffic there.
 * For Address Hash the home member is the primary; for Dynamic it is the member the vNIC is
 * affinitised to, as in Hyper-V Port mode (DOMAIN §2.2 table, [P]).
 */
import type { Frame } from '../core/frame.ts';
import type { Network } from '../core/network.ts';
import type { Port } from '../core/port.ts';
import { ETHERTYPE_SLOW } from '../core/packets.ts';
import type { EventHandler } from '../core/scheduler.ts';
import { MS } from '../core/time.ts';
import { BridgePort } from './bridge-port.ts';
import { LagMember, PortChannel, SLOW_PROTOCOLS_MAC, hashFrame, type ChannelHost } from './port-channel.ts';

export const TEAMING_MODES = ['SwitchIndependent', 'Static', 'Lacp'] as const;
export type TeamingMode = (typeof TEAMING_MODES)[number];
export const LOAD_BALANCING_ALGORITHMS = ['TransportPorts', 'IPAddresses', 'MacAddresses', 'HyperVPort', 'Dynamic'] as const;
export type LoadBalancingAlgorithm = (typeof LOAD_BALANCING_ALGORITHMS)[number];

/**
 * Idle time that ends a flowlet in Dynamic mode. Microsoft describes flowlets as bursts separated
 * by "a break of sufficient length" without publishing the figure; 10 ms is our choice [U].
 */
export const DEFAULT_FLOWLET_GAP_NS = 10 * MS;

/** Why a member is not carrying traffic, in Get-NetLbfoTeamMember's `FailureReason` words (value names chosen [U]). */
export type MemberFailure = 'NoFailure' | 'PhysicalMediaDisconnected' | 'AdministrativeDecision' | 'LacpNegotiationIssue';

export interface TeamOptions {
  name: string;
  mode: TeamingMode;
  algorithm: LoadBalancingAlgorithm;
  /** Standby member (switch independent only): carries traffic only while an active member is down. */
  standby?: Port | null;
  /** LACP mode: ask the partner for fast (1 s) LACPDUs. */
  lacpFast?: boolean;
  flowletGapNs?: number;
}

export interface TeamMemberView {
  name: string;
  team: string;
  administrativeMode: 'Active' | 'Standby';
  operationalStatus: 'Active' | 'Standby' | 'Failed';
  failureReason: MemberFailure;
  speedBps: number;
  /** LACP: partner system MAC, or null. */
  lacpPartner: number | null;
}

export interface TeamView {
  name: string;
  members: string[];
  mode: TeamingMode;
  algorithm: LoadBalancingAlgorithm;
  status: 'Up' | 'Degraded' | 'Down';
  /** Switch independent: the member whose MAC the team uses (and inbound group frames arrive on). */
  primary: string | null;
}

/** What the team needs from the node that owns it. */
export interface TeamOwner {
  readonly net: Network;
  readonly name: string;
  /** A frame the team accepted from the wire. Ownership passes to the callee. */
  teamReceive(frame: Frame): void;
}

interface Flowlet {
  member: number;
  lastNs: number;
}

const INV_TWO32 = 1 / 4294967296;

/**
 * One LBFO team. The owner passes every frame and carrier change of member ports to
 * `receive` / `memberCarrier`, calls `start` when the network starts, and sends with `transmit`
 * naming the source (a vNIC id; -1 for the host's own traffic).
 */
export class LbfoTeam implements EventHandler, ChannelHost {
  readonly handlerId: number;
  readonly systemMac: number;
  readonly name: string;
  mode: TeamingMode;
  algorithm: LoadBalancingAlgorithm;
  readonly ports: readonly Port[];
  standby: Port | null;
  /** Frames dropped because no member could carry them. */
  txDrops = 0;
  /** Frames refused on receive (standby member, duplicate group copy on a non-primary member). */
  rxRefused = 0;

  private active: number[] = [];
  private primary = -1;
  private readonly home = new Map<number, number>();
  private readonly flowlets = new Map<number, Flowlet>();
  private readonly flowletGapNs: number;
  private channel: PortChannel | null = null;
  private lacp: (LagMember | null)[];
  private started = false;
  readonly net: Network;

  constructor(
    private readonly owner: TeamOwner,
    ports: readonly Port[],
    opts: TeamOptions,
  ) {
    if (ports.length === 0) throw new Error('a team needs at least one member');
    this.net = owner.net;
    this.name = opts.name;
    this.ports = ports;
    this.mode = opts.mode;
    this.algorithm = opts.algorithm;
    this.standby = opts.mode === 'SwitchIndependent' ? (opts.standby ?? null) : null;
    this.flowletGapNs = opts.flowletGapNs ?? DEFAULT_FLOWLET_GAP_NS;
    this.systemMac = ports[0].mac;
    this.handlerId = owner.net.sched.register(this);
    this.lacp = ports.map(() => null);
    if (opts.mode === 'Lacp') {
      // The engine's LACP actor: a one-bridge-port channel whose "switch" is this team.
      const ch = new PortChannel(this, 1, new BridgePort(0, opts.name, null, null));
      this.channel = ch;
      this.lacp = ports.map((p) => {
        const m = new LagMember(p, ch, 'active');
        m.fastRate = opts.lacpFast ?? true;
        ch.members.push(m);
        return m;
      });
    }
  }

  // ---- forwarding -------------------------------------------------------------------------

  /** Send one frame from `source` (a vNIC id, or -1). Ownership passes to the team. */
  transmit(f: Frame, source: number): void {
    const active = this.active;
    const n = active.length;
    if (n === 0) {
      this.txDrops++;
      this.net.pool.release(f);
      return;
    }
    let member: number;
    switch (this.algorithm) {
      case 'HyperVPort':
        member = this.homeOf(source);
        break;
      case 'Dynamic':
        member = this.flowletMember(f, source);
        break;
      case 'TransportPorts':
        member = active[hashFrame(f, 'src-dst-ip-l4') % n];
        break;
      case 'IPAddresses':
        member = active[hashFrame(f, 'src-dst-ip') % n];
        break;
      case 'MacAddresses':
        member = active[hashFrame(f, 'src-dst-mac') % n];
        break;
    }
    if (this.mode === 'SwitchIndependent' && this.algorithm !== 'HyperVPort') {
      const home = this.algorithm === 'Dynamic' ? this.homeOf(source) : this.primary;
      if (member !== home) f.src = this.ports[member].mac;
    }
    this.ports[member].send(f);
  }

  /** A frame arrived on a member port. */
  receive(port: Port, f: Frame): void {
    if (f.etherType === ETHERTYPE_SLOW) {
      const m = this.lacp[this.indexOf(port)];
      const p = f.payload;
      if (m !== null && m !== undefined && f.dst === SLOW_PROTOCOLS_MAC && p !== null && p.kind === 'lacp') this.channel?.receivePdu(m, p);
      this.net.pool.release(f);
      return;
    }
    const i = this.indexOf(port);
    if (!this.active.includes(i)) {
      this.refuse(f);
      return;
    }
    // The switch does not know the members belong together, so it floods group frames to each of
    // them; the team keeps one copy, the one on the primary member.
    if (this.mode === 'SwitchIndependent' && (((f.dst * INV_TWO32) | 0) & 0x0100) !== 0 && i !== this.primary) {
      this.refuse(f);
      return;
    }
    this.owner.teamReceive(f);
  }

  private refuse(f: Frame): void {
    this.rxRefused++;
    this.net.pool.release(f);
  }

  /** The member a source's traffic is affinitised to (Hyper-V Port, Dynamic). */
  homeOf(source: number): number {
    const h = this.home.get(source);
    if (h !== undefined && this.active.includes(h)) return h;
    // Least-loaded active member by affinitised sources, lowest index on ties: deterministic.
    const load = new Map<number, number>();
    for (const a of this.active) load.set(a, 0);
    for (const [s, m] of this.home) if (s !== source && load.has(m)) load.set(m, (load.get(m) as number) + 1);
    let best = this.active[0];
    for (const a of this.active) if ((load.get(a) as number) < (load.get(best) as number)) best = a;
    this.home.set(source, best);
    return best;
  }

  private flowletMember(f: Frame, source: number): number {
    const key = source * 256 + hashFrame(f, 'src-dst-ip-l4');
    const now = this.net.sched.now;
    const fl = this.flowlets.get(key);
    if (fl !== undefined && now - fl.lastNs < this.flowletGapNs && this.active.includes(fl.member)) {
      fl.lastNs = now;
      return fl.member;
    }
    // A new flowlet goes to the member that has sent the fewest bytes: the rebalancing.
    let best = this.active[0];
    for (const a of this.active) if (this.ports[a].outOctets < this.ports[best].outOctets) best = a;
    this.flowlets.set(key, { member: best, lastNs: now });
    return best;
  }

  /** Forget a source's affinity (its vNIC left the switch). */
  forgetSource(source: number): void {
    this.home.delete(source);
  }

  // ---- state ------------------------------------------------------------------------------

  start(): void {
    this.started = true;
    if (this.channel !== null) for (const m of this.lacp) if (m !== null) this.channel.begin(m);
    this.recompute();
  }

  memberCarrier(port: Port, up: boolean): void {
    const m = this.lacp[this.indexOf(port)];
    if (m !== null && m !== undefined) this.channel?.memberCarrier(m, up);
    else this.recompute();
  }

  /** Stop LACP timers (the team is being replaced or its host powered off). */
  stop(): void {
    for (const m of this.lacp) if (m !== null) this.channel?.stopTimers(m);
    this.started = false;
  }

  private indexOf(port: Port): number {
    return this.ports.indexOf(port);
  }

  private carries(i: number): boolean {
    const p = this.ports[i];
    if (!p.operUp) return false;
    const m = this.lacp[i];
    if (m !== null) return m.collecting;
    return true;
  }

  private recompute(): void {
    if (!this.started) return;
    const before = this.active;
    let next: number[] = [];
    for (let i = 0; i < this.ports.length; i++) if (this.ports[i] !== this.standby && this.carries(i)) next.push(i);
    if (this.standby !== null) {
      const s = this.ports.indexOf(this.standby);
      const activesDown = this.ports.some((p, i) => p !== this.standby && !this.carries(i));
      if (activesDown && this.carries(s)) next = [...next, s].sort((a, b) => a - b);
    }
    this.active = next;
    if (!next.includes(this.primary)) {
      const old = this.primary;
      this.primary = next.length > 0 ? next[0] : -1;
      if (old >= 0 && this.primary >= 0 && this.mode === 'SwitchIndependent') {
        this.net.emit('team.primary', `${this.owner.name}: team ${this.name} primary member is now ${this.ports[this.primary].name}`, this.owner.name, this.ports[this.primary].name);
      }
    }
    for (const i of before) if (!next.includes(i)) {
      this.net.emit('team.member.failed', `${this.owner.name}: team ${this.name} member ${this.ports[i].name} stopped carrying traffic`, this.owner.name, this.ports[i].name);
    }
    for (const i of next) if (!before.includes(i) && before.length > 0) {
      this.net.emit('team.member.active', `${this.owner.name}: team ${this.name} member ${this.ports[i].name} carries traffic`, this.owner.name, this.ports[i].name);
    }
    // Sources pinned to a member that left are re-pinned on their next frame (homeOf).
    for (const [s, m] of this.home) if (!next.includes(m)) this.home.delete(s);
  }

  /** Members carrying traffic now, by name. */
  activeMembers(): string[] {
    return this.active.map((i) => this.ports[i].name);
  }

  /** The member a source is pinned to now (null when none is active). */
  memberFor(source: number): string | null {
    if (this.active.length === 0) return null;
    return this.ports[this.homeOf(source)].name;
  }

  view(): TeamView {
    const n = this.active.length;
    const status = n === 0 ? 'Down' : this.ports.every((_p, i) => this.carries(i)) ? 'Up' : 'Degraded';
    return {
      name: this.name,
      members: this.ports.map((p) => p.name),
      mode: this.mode,
      algorithm: this.algorithm,
      status,
      primary: this.mode === 'SwitchIndependent' && this.primary >= 0 ? this.ports[this.primary].name : null,
    };
  }

  memberViews(): TeamMemberView[] {
    return this.ports.map((p, i) => {
      const m = this.lacp[i];
      const isStandby = p === this.standby;
      let failure: MemberFailure = 'NoFailure';
      if (!p.operUp) failure = 'PhysicalMediaDisconnected';
      else if (m !== null && !m.collecting) failure = 'LacpNegotiationIssue';
      else if (isStandby && !this.active.includes(i)) failure = 'AdministrativeDecision';
      const status = this.active.includes(i) ? 'Active' : failure === 'AdministrativeDecision' ? 'Standby' : 'Failed';
      return {
        name: p.name,
        team: this.name,
        administrativeMode: isStandby ? 'Standby' : 'Active',
        operationalStatus: status,
        failureReason: failure,
        speedBps: p.speedBps,
        lacpPartner: m?.partner?.system ?? null,
      };
    });
  }

  // ---- ChannelHost (the engine's LACP actor drives these) -----------------------------------

  onEvent(code: number): void {
    const m = this.lacp[code >> 3];
    if (m !== null && m !== undefined) this.channel?.timer(m, code & 7);
  }
  schedule(delayNs: number, port: Port, which: number): number {
    return this.net.sched.schedule(delayNs, this.handlerId, which | (this.indexOf(port) << 3), null);
  }
  emit(kind: string, text: string, port?: string): void {
    this.net.emit(kind, `${this.owner.name}: ${text.replace(/Port-channel1\b/g, `team ${this.name}`)}`, this.owner.name, port);
  }
  channelChanged(): void {
    this.recompute();
  }
}
