import type { Frame } from '../core/frame.ts';
import { formatMac } from '../core/mac.ts';
import type { Network } from '../core/network.ts';
import { NetworkNode } from '../core/node.ts';
import type { Port } from '../core/port.ts';
import type { EventHandler, Scheduler } from '../core/scheduler.ts';
import type { FramePool } from '../core/frame.ts';
import { SECOND } from '../core/time.ts';
import { BridgePort, type SwitchportMode } from './bridge-port.ts';
import { MacTable } from './mac-table.ts';
import { LagMember, PortChannel, SLOW_PROTOCOLS_MAC, type ChannelHost, type ChannelMode, type LoadBalance, type MemberState } from './port-channel.ts';

const INV_TWO32 = 1 / 4294967296;
const BROADCAST = 0xffffffffffff;
export const DEFAULT_AGEING_NS = 300 * SECOND;
// Module-local copies of the constants the forwarding path compares against: imported bindings
// are live cells that V8 reloads on every use, local consts fold into the code.
const ETHERTYPE_SLOW = 0x8809;
const NOT_FOUND = -1;

export interface SwitchOptions {
  /** Port names in order (the order flooding visits them). */
  portNames: readonly string[];
  /** Port speed, one for all or one per port. */
  speedBps: number | readonly number[];
  /** Base MAC: the bridge's system MAC; port i gets base + i + 1. */
  baseMac: number;
}

/** Plain views for CLIs and UIs. */
export interface MacEntryView {
  vlan: number;
  mac: number;
  type: 'dynamic' | 'static';
  /** Bridge-port names (interface or Port-channelN). */
  ports: string[];
  /** For dynamic entries: seconds since last seen (rounded down). */
  ageSeconds: number | null;
}

export interface SwitchportView {
  port: string;
  mode: SwitchportMode;
  accessVlan: number;
  nativeVlan: number;
  allowedVlans: number[];
  /** Port-channel the port is bundled into, if any. */
  channel: number | null;
  forwarding: boolean;
}

export interface PortCounters {
  inOctets: number;
  inUcast: number;
  inMcast: number;
  inBcast: number;
  inDiscards: number;
  outOctets: number;
  outUcast: number;
  outMcast: number;
  outBcast: number;
  outDiscards: number;
}

/** Several ports' counters added up: what a port-channel carried is what its members carried. */
export function sumCounters(list: Iterable<PortCounters>): PortCounters {
  const sum: PortCounters = { inOctets: 0, inUcast: 0, inMcast: 0, inBcast: 0, inDiscards: 0, outOctets: 0, outUcast: 0, outMcast: 0, outBcast: 0, outDiscards: 0 };
  for (const c of list) for (const k of Object.keys(sum) as (keyof PortCounters)[]) sum[k] += c[k];
  return sum;
}

export interface LagMemberView {
  port: string;
  mode: ChannelMode;
  state: MemberState;
  fastRate: boolean;
  partnerSystem: number | null;
  partnerKey: number | null;
  partnerPort: number | null;
  pdusIn: number;
  pdusOut: number;
}

export interface PortChannelView {
  id: number;
  name: string;
  protocol: 'static' | 'lacp' | 'none';
  up: boolean;
  loadBalance: LoadBalance;
  members: LagMemberView[];
}

export interface VlanView {
  id: number;
  name: string;
  /** Access ports in the VLAN and trunks carrying it. */
  ports: string[];
}

type PortRef = string | number;

/**
 * A multicast forwarding database the switch consults for group-addressed frames (not broadcast):
 * IGMP snooping, static bridge multicast groups. Absent, the switch floods them as a plain 802.1D
 * bridge does.
 */
export interface MulticastForwarder {
  /**
   * Bridge-port indices a group-addressed frame in `vid`, entering on bridge port `ingress`, goes
   * out of; null to leave the frame to the ordinary lookup (static MAC entries, else flooding).
   * May look at the payload (IGMP snooping) but must not keep or alter the frame.
   */
  egressFor(f: Frame, vid: number, ingress: number, nowNs: number): readonly number[] | null;
}

/**
 * A vendor-neutral managed Ethernet switch: an IEEE 802.1Q learning bridge with per-VLAN MAC
 * tables, access and trunk ports, static MAC entries, ageing, port-channels (static and LACP) and
 * per-port counters. Vendor kinds (Catalyst, PowerConnect, …) wrap it with their CLI and naming;
 * everything they configure goes through the public methods below, everything they show comes from
 * the view methods.
 */
export class EthernetSwitch extends NetworkNode implements EventHandler, ChannelHost {
  declare readonly systemMac: number;
  declare readonly handlerId: number;
  private declare readonly sched: Scheduler;
  private declare readonly pool: FramePool;
  /** Physical ports first (same indices as `ports`), then port-channels in creation order. */
  readonly bridgePorts: BridgePort[] = [];
  /** Frames that could not be forwarded because ingress or egress VLAN rules refused them. */
  vlanDiscards = 0;
  private ageingNs = DEFAULT_AGEING_NS;
  private tables: (MacTable | undefined)[] = [];
  private vlanNames = new Map<number, string>();
  /** Bridge port a physical port's frames enter through (its own, its channel's, or null while bundling). */
  private ingress: (BridgePort | null)[] = [];
  private members: (LagMember | null)[] = [];
  private channels = new Map<number, PortChannel>();
  /** Multi-port static entries point at these sets of bridge-port indices. */
  private portSets: number[][] = [];
  private loadBalance: LoadBalance = 'src-dst-mac';
  private started = false;
  /** Multicast filtering (snooping, static groups); null floods group-addressed frames. */
  multicast: MulticastForwarder | null = null;
  /**
   * Told of every source address learnt or refreshed, with its VLAN and bridge-port index, when
   * set: a vPC peer synchronises its MAC table with the other peer from it.
   */
  learnObserver: ((vid: number, mac: number, bridgePort: number) => void) | null = null;

  constructor(net: Network, name: string, opts: SwitchOptions) {
    super(net, name);
    this.systemMac = opts.baseMac;
    this.sched = net.sched;
    this.pool = net.pool;
    this.handlerId = net.sched.register(this);
    opts.portNames.forEach((pn, i) => {
      const speed = typeof opts.speedBps === 'number' ? opts.speedBps : opts.speedBps[i];
      const p = this.addPort(pn, speed);
      p.mac = opts.baseMac + i + 1;
      const bp = new BridgePort(i, pn, p, null);
      this.bridgePorts.push(bp);
      this.ingress.push(bp);
      this.members.push(null);
    });
    this.createVlan(1, 'default');
  }

  // ---- forwarding (hot path) --------------------------------------------------------------

  receive(port: Port, f: Frame): void {
    if (f.etherType === ETHERTYPE_SLOW) {
      this.receiveSlow(port, f);
      return;
    }
    const bp = this.ingress[port.index];
    if (bp === null || !bp.forwarding) {
      port.inDiscards++;
      this.pool.release(f);
      return;
    }
    let vid = f.vlan;
    const tagged = vid !== 0;
    if (bp.trunk) {
      if (!tagged) vid = bp.nativeVlan;
      else if (((bp.allowed[vid >> 5] >>> (vid & 31)) & 1) === 0) {
        this.discard(port, f);
        return;
      }
    } else if (tagged && vid !== bp.accessVlan) {
      this.discard(port, f);
      return;
    } else vid = bp.accessVlan;
    const table = this.tables[vid];
    if (table === undefined) {
      this.discard(port, f);
      return;
    }
    const now = this.sched.now;
    const src = f.src;
    if ((((src * INV_TWO32) | 0) & 0x0100) === 0) {
      const was = table.learn(src, bp.index, now + this.ageingNs, now);
      if (was >= 0) this.macMoved(vid, src, was, bp.index);
      if (this.learnObserver !== null) this.learnObserver(vid, src, bp.index);
    }
    const dst = f.dst;
    if (this.multicast !== null && dst !== BROADCAST && (((dst * INV_TWO32) | 0) & 0x0100) !== 0) {
      const set = this.multicast.egressFor(f, vid, bp.index, now);
      if (set !== null) {
        this.forwardToSet(set, bp.index, f, vid, tagged);
        return;
      }
    }
    const out = dst === BROADCAST ? NOT_FOUND : table.lookup(dst, now);
    if (out === NOT_FOUND) {
      this.flood(bp.index, f, vid, tagged);
    } else if (out >= 0) {
      const obp = this.bridgePorts[out];
      if (out === bp.index || !obp.forwarding || !obp.carries(vid) || obp.blockFrom === bp.index) this.pool.release(f);
      else this.egress(obp, f, vid, tagged);
    } else {
      this.forwardToSet(this.portSets[-2 - out], bp.index, f, vid, tagged);
    }
  }

  private discard(port: Port, f: Frame): void {
    port.inDiscards++;
    this.vlanDiscards++;
    this.pool.release(f);
  }

  private flood(from: number, f: Frame, vid: number, tagged: boolean): void {
    this.net.stats.floods++;
    const bps = this.bridgePorts;
    let pending = -1;
    for (let i = 0; i < bps.length; i++) {
      const b = bps[i];
      if (i === from || !b.forwarding || b.blockFrom === from) continue;
      if (b.trunk ? ((b.allowed[vid >> 5] >>> (vid & 31)) & 1) === 0 : b.accessVlan !== vid) continue;
      if (pending >= 0) this.egress(bps[pending], this.pool.copy(f), vid, tagged);
      pending = i;
    }
    if (pending >= 0) this.egress(bps[pending], f, vid, tagged);
    else this.pool.release(f);
  }

  private forwardToSet(set: readonly number[], from: number, f: Frame, vid: number, tagged: boolean): void {
    let pending = -1;
    for (const i of set) {
      const b = this.bridgePorts[i];
      if (i === from || !b.forwarding || !b.carries(vid) || b.blockFrom === from) continue;
      if (pending >= 0) this.egress(this.bridgePorts[pending], this.pool.copy(f), vid, tagged);
      pending = i;
    }
    if (pending >= 0) this.egress(this.bridgePorts[pending], f, vid, tagged);
    else this.pool.release(f);
  }

  /** Tag or untag for the egress port, then transmit (on the hashed member for a channel). */
  private egress(b: BridgePort, f: Frame, vid: number, wasTagged: boolean): void {
    const tagOut = b.trunk && vid !== b.nativeVlan;
    if (tagOut !== wasTagged) f.size += tagOut ? 4 : -4;
    f.vlan = tagOut ? vid : 0;
    const phys = b.phys;
    if (phys !== null) phys.send(f);
    else (b.channel as PortChannel).transmit(f);
  }

  private macMoved(vid: number, mac: number, from: number, to: number): void {
    this.net.emit(
      'mac.move',
      `${this.name}: host ${formatMac(mac)} in vlan ${vid} moved from ${this.bridgePorts[from].name} to ${this.bridgePorts[to].name}`,
      this.name,
      this.bridgePorts[to].name,
    );
  }

  /** Slow protocols (LACP, marker) are consumed by the port, never bridged. */
  private receiveSlow(port: Port, f: Frame): void {
    const m = this.members[port.index];
    const p = f.payload;
    if (m !== null && f.dst === SLOW_PROTOCOLS_MAC && p !== null && p.kind === 'lacp') m.channel.receivePdu(m, p);
    this.pool.release(f);
  }

  // ---- events -----------------------------------------------------------------------------

  onEvent(code: number): void {
    const m = this.members[code >> 3];
    if (m !== null && m !== undefined) m.channel.timer(m, code & 7);
  }

  override portStateChanged(port: Port, up: boolean): void {
    const m = this.members[port.index];
    if (m !== null) {
      m.channel.memberCarrier(m, up);
      return;
    }
    const bp = this.bridgePorts[port.index];
    bp.forwarding = up;
    if (!up) this.flushBridgePort(bp.index);
  }

  override portAttached(port: Port): void {
    if (this.members[port.index] === null) this.bridgePorts[port.index].forwarding = port.operUp;
  }

  override start(): void {
    this.started = true;
    for (const m of this.members) if (m !== null) m.channel.begin(m);
  }

  // ChannelHost: what port-channels use of the switch
  schedule(delayNs: number, port: Port, which: number): number {
    return this.net.sched.schedule(delayNs, this.handlerId, which | (port.index << 3), null);
  }
  emit(kind: string, text: string, port?: string): void {
    this.net.emit(kind, `${this.name}: ${text}`, this.name, port);
  }
  channelChanged(ch: PortChannel, wasForwarding: boolean): void {
    for (const m of ch.members) this.ingress[m.port.index] = m.collecting ? ch.bp : null;
    const now = ch.distributing.length > 0;
    ch.bp.forwarding = now;
    if (wasForwarding && !now) this.flushBridgePort(ch.bp.index);
    if (wasForwarding !== now) this.net.emit(now ? 'lag.up' : 'lag.down', `${this.name}: Port-channel${ch.id} is ${now ? 'up' : 'down'}`, this.name, ch.bp.name);
  }

  /**
   * Send a frame the switch itself originates (an IGMP query from the querier) out of every
   * forwarding port of `vid`, untagged or tagged per port. The switch takes ownership.
   */
  originate(f: Frame, vid: number): void {
    f.vlan = 0;
    this.flood(-1, f, vid, false);
  }

  // ---- configuration ----------------------------------------------------------------------

  /** Ageing time in seconds; 0 disables ageing (entries stay until flushed). */
  setAgeingTime(seconds: number): void {
    this.ageingNs = seconds === 0 ? Infinity : Math.round(seconds * SECOND);
  }

  get ageingSeconds(): number {
    return this.ageingNs === Infinity ? 0 : this.ageingNs / SECOND;
  }

  createVlan(id: number, name?: string): void {
    checkVlan(id);
    if (this.tables[id] === undefined) this.tables[id] = new MacTable();
    this.vlanNames.set(id, name ?? `VLAN${String(id).padStart(4, '0')}`);
  }

  deleteVlan(id: number): void {
    if (id === 1) throw new Error('VLAN 1 cannot be deleted');
    this.tables[id] = undefined;
    this.vlanNames.delete(id);
  }

  hasVlan(id: number): boolean {
    return this.tables[id] !== undefined;
  }

  setAccess(ref: PortRef, vlan: number): void {
    checkVlan(vlan);
    const bp = this.configurable(ref);
    bp.setAccess(vlan);
    this.flushBridgePort(bp.index);
  }

  setTrunk(ref: PortRef, opts: { nativeVlan?: number; allowed?: readonly number[] | 'all' } = {}): void {
    const bp = this.configurable(ref);
    const native = opts.nativeVlan ?? (bp.trunk ? bp.nativeVlan : 1);
    checkVlan(native);
    bp.setTrunk(native, opts.allowed ?? (bp.trunk ? bp.allowedVlans() : 'all'));
    this.flushBridgePort(bp.index);
  }

  setPortAdmin(ref: PortRef, up: boolean): void {
    this.physical(ref).setAdmin(up);
  }

  setLoadBalance(policy: LoadBalance): void {
    this.loadBalance = policy;
    for (const ch of this.channels.values()) ch.loadBalance = policy;
  }

  /** Create `Port-channel<id>` (idempotent). Its switchport settings apply to all members. */
  createPortChannel(id: number): PortChannel {
    const existing = this.channels.get(id);
    if (existing) return existing;
    const bp = new BridgePort(this.bridgePorts.length, `Port-channel${id}`, null, null);
    const ch = new PortChannel(this, id, bp);
    bp.channel = ch;
    ch.loadBalance = this.loadBalance;
    this.bridgePorts.push(bp);
    this.channels.set(id, ch);
    return ch;
  }

  /** `channel-group <id> mode on|active|passive` on a physical port. */
  joinChannel(ref: PortRef, id: number, mode: ChannelMode): void {
    const port = this.physical(ref);
    if (this.members[port.index] !== null) this.leaveChannel(ref);
    const ch = this.createPortChannel(id);
    const proto = ch.protocol;
    if (proto !== 'none' && (proto === 'static') !== (mode === 'on')) {
      throw new Error(`Port-channel${id} already uses ${proto === 'static' ? 'mode on' : 'LACP'}`);
    }
    const m = new LagMember(port, ch, mode);
    ch.members.push(m);
    this.members[port.index] = m;
    this.ingress[port.index] = null;
    const own = this.bridgePorts[port.index];
    own.forwarding = false;
    this.flushBridgePort(own.index);
    if (this.started) ch.begin(m);
  }

  leaveChannel(ref: PortRef): void {
    const port = this.physical(ref);
    const m = this.members[port.index];
    if (m === null) return;
    const ch = m.channel;
    ch.memberCarrier(m, false);
    ch.members.splice(ch.members.indexOf(m), 1);
    this.members[port.index] = null;
    const own = this.bridgePorts[port.index];
    this.ingress[port.index] = own;
    own.forwarding = port.operUp;
  }

  setLacpRate(ref: PortRef, rate: 'fast' | 'slow'): void {
    const m = this.members[this.physical(ref).index];
    if (m === null) throw new Error('not a port-channel member');
    m.fastRate = rate === 'fast';
  }

  /** Static entry; several ports make a multi-port (e.g. multicast / NLB) entry. */
  addStaticMac(vlan: number, mac: number, refs: readonly PortRef[]): void {
    const table = this.tables[vlan];
    if (table === undefined) throw new Error(`VLAN ${vlan} does not exist`);
    const idx = refs.map((r) => this.bridgePortOf(r).index);
    if (idx.length === 1) table.setStatic(mac, idx[0]);
    else {
      this.portSets.push(idx);
      table.setStatic(mac, -2 - (this.portSets.length - 1));
    }
  }

  /**
   * A dynamic entry learnt elsewhere (a vPC peer's MAC synchronisation): it ages and moves like
   * one learnt from a frame. False when the VLAN does not exist or a static entry holds the MAC.
   */
  installDynamicMac(vlan: number, mac: number, ref: PortRef): boolean {
    const table = this.tables[vlan];
    if (table === undefined) return false;
    const now = this.sched.now;
    return table.learn(mac, this.bridgePortOf(ref).index, now + this.ageingNs, now) !== -2;
  }

  removeStaticMac(vlan: number, mac: number): boolean {
    return this.tables[vlan]?.remove(mac) ?? false;
  }

  /** `clear mac address-table dynamic [vlan N]`. */
  clearDynamicMacs(vlan?: number): void {
    if (vlan !== undefined) this.tables[vlan]?.flushDynamic();
    else for (const t of this.tables) t?.flushDynamic();
  }

  // ---- views ------------------------------------------------------------------------------

  macTable(filter: { vlan?: number } = {}): MacEntryView[] {
    const now = this.net.sched.now;
    const out: MacEntryView[] = [];
    this.tables.forEach((t, vlan) => {
      if (t === undefined || (filter.vlan !== undefined && filter.vlan !== vlan)) return;
      for (const e of t.entries(now)) {
        const ports = e.port >= 0 ? [this.bridgePorts[e.port].name] : this.portSets[-2 - e.port].map((i) => this.bridgePorts[i].name);
        const age = e.isStatic ? null : Math.floor((now - (e.expiresNs - this.ageingNs)) / SECOND);
        out.push({ vlan, mac: e.mac, type: e.isStatic ? 'static' : 'dynamic', ports, ageSeconds: age });
      }
    });
    out.sort((a, b) => a.vlan - b.vlan || a.mac - b.mac);
    return out;
  }

  vlans(): VlanView[] {
    const out: VlanView[] = [];
    for (const [id, name] of [...this.vlanNames.entries()].sort((a, b) => a[0] - b[0])) {
      const ports = this.bridgePorts.filter((bp) => this.isBridgePortActive(bp) && bp.carries(id)).map((bp) => bp.name);
      out.push({ id, name, ports });
    }
    return out;
  }

  switchport(ref: PortRef): SwitchportView {
    const bp = this.bridgePortOf(ref);
    const m = bp.phys !== null ? this.members[bp.phys.index] : null;
    const eff = m !== null ? m.channel.bp : bp;
    return {
      port: bp.name,
      mode: eff.trunk ? 'trunk' : 'access',
      accessVlan: eff.accessVlan,
      nativeVlan: eff.nativeVlan,
      allowedVlans: eff.trunk ? eff.allowedVlans() : [eff.accessVlan],
      channel: m !== null ? m.channel.id : null,
      forwarding: m !== null ? m.collecting && eff.forwarding : bp.forwarding,
    };
  }

  counters(ref: PortRef): PortCounters {
    const p = this.physical(ref);
    return {
      inOctets: p.inOctets,
      inUcast: p.inUcast,
      inMcast: p.inMcast,
      inBcast: p.inBcast,
      inDiscards: p.inDiscards,
      outOctets: p.outOctets,
      outUcast: p.outUcast,
      outMcast: p.outMcast,
      outBcast: p.outBcast,
      outDiscards: p.outDiscards,
    };
  }

  portChannels(): PortChannelView[] {
    return [...this.channels.values()]
      .sort((a, b) => a.id - b.id)
      .map((ch) => ({
        id: ch.id,
        name: ch.bp.name,
        protocol: ch.protocol,
        up: ch.bp.forwarding,
        loadBalance: ch.loadBalance,
        members: ch.members.map((m) => ({
          port: m.port.name,
          mode: m.mode,
          state: m.state,
          fastRate: m.fastRate,
          partnerSystem: m.partner?.system ?? null,
          partnerKey: m.partner?.key ?? null,
          partnerPort: m.partner?.port ?? null,
          pdusIn: m.pdusIn,
          pdusOut: m.pdusOut,
        })),
      }));
  }

  // ---- internals --------------------------------------------------------------------------

  private isBridgePortActive(bp: BridgePort): boolean {
    return bp.phys === null ? bp.channel !== null && bp.channel.members.length > 0 : this.members[bp.phys.index] === null;
  }

  private flushBridgePort(index: number): void {
    for (const t of this.tables) t?.flushPort(index);
  }

  /** Resolve a port name / index or `Port-channelN` to its bridge port. */
  bridgePortOf(ref: PortRef): BridgePort {
    if (typeof ref === 'number') {
      const bp = this.bridgePorts[ref];
      if (!bp) throw new Error(`no port ${ref}`);
      return bp;
    }
    const wanted = ref.toLowerCase();
    const m = /^(?:port-channel|po)\s*(\d+)$/.exec(wanted);
    if (m) {
      const ch = this.channels.get(Number(m[1]));
      if (!ch) throw new Error(`no Port-channel${m[1]}`);
      return ch.bp;
    }
    const bp = this.bridgePorts.find((b) => b.name.toLowerCase() === wanted);
    if (!bp) throw new Error(`no port ${ref} on ${this.name}`);
    return bp;
  }

  private physical(ref: PortRef): Port {
    const bp = this.bridgePortOf(ref);
    if (bp.phys === null) throw new Error(`${bp.name} is not a physical port`);
    return bp.phys;
  }

  /** VLAN settings of a bundled member live on its channel. */
  private configurable(ref: PortRef): BridgePort {
    const bp = this.bridgePortOf(ref);
    if (bp.phys !== null) {
      const m = this.members[bp.phys.index];
      if (m !== null) return m.channel.bp;
    }
    return bp;
  }
}

function checkVlan(id: number): void {
  if (!Number.isInteger(id) || id < 1 || id > 4094) throw new Error(`VLAN id must be 1-4094, not ${id}`);
}
