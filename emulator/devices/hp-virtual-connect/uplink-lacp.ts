/**
 * LACP on one Virtual Connect module's uplinks (DOMAIN §3.3 [V]): uplinks of an uplink set or a
 * network in connection mode Auto run LACP (VC is the active side) and aggregate into 802.3ad LAGs,
 * only among ports of the same module, and only ports that hear the same partner (system, key)
 * end up in one LAG. Ports of one group facing different partners form separate LAGs; a port
 * that hears no LACPDUs at all (the upstream port is `mode on`, or not in a channel) stays an
 * individual uplink. Connection mode Failover takes the port out of LACP altogether.
 *
 * The protocol machine is the engine's port-channel (real LACPDUs, selection, sync, expiry); this
 * file decides which channel of the module a port belongs to and tells the module when a LAG's
 * set of working members changes, so the domain can choose the active uplink again.
 *
 * [U] choices: LAG ids (the LACP actor key) are numbered per module from 25 in the order VC
 * creates them: the first LAG of each uplink group when the configuration is read, further ones
 * when a port of the group hears a second partner. No source gives VC's numbering.
 */
import type { Frame } from '../../core/frame.ts';
import type { Network } from '../../core/network.ts';
import type { Port } from '../../core/port.ts';
import { ETHERTYPE_SLOW, type LacpInfo } from '../../core/packets.ts';
import type { EventHandler } from '../../core/scheduler.ts';
import { BridgePort } from '../../l2/bridge-port.ts';
import { LACP_TIMER_PERIODIC, LagMember, PortChannel, SLOW_PROTOCOLS_MAC, type ChannelHost } from '../../l2/port-channel.ts';
import type { UplinkPolicy } from './config.ts';

export const FIRST_LAG_ID = 25;

/** What the LACP of a module's uplinks needs from the module. */
export interface UplinkLacpOwner {
  readonly net: Network;
  readonly name: string;
  readonly uplinks: readonly Port[];
  /** Whether the module runs now: a module that is not up sends no LACPDUs. */
  readonly forwarding: boolean;
  /** The uplink set or network that uses a port, with its policy; null when none does. */
  uplinkPolicy(port: Port): { group: string; policy: UplinkPolicy } | null;
  /** A LAG's working members changed (formed, grew, shrank, broke up). */
  lagChanged(): void;
}

/** One uplink's LACP standing, for the module's show commands and the domain's choice. */
export interface UplinkLacpView {
  /** LAG id (actor key) of the channel the port is in; null when LACP is off for it. */
  lagId: number | null;
  /** Collecting and distributing in its LAG. */
  bundled: boolean;
  /** Heard no partner: an individual uplink. */
  individual: boolean;
  partner: LacpInfo | null;
}

export class UplinkLacp implements ChannelHost, EventHandler {
  readonly handlerId: number;
  readonly net: Network;
  private readonly members: (LagMember | null)[] = [];
  private readonly groupOf: (string | null)[] = [];
  private readonly channels = new Map<string, PortChannel[]>();
  private nextLagId = FIRST_LAG_ID;
  private started = false;

  constructor(
    private readonly owner: UplinkLacpOwner,
    readonly systemMac: number,
  ) {
    this.net = owner.net;
    this.handlerId = owner.net.sched.register(this);
  }

  /** Bring LACP membership in line with the configuration (each port's group and connection mode). */
  sync(): void {
    for (const p of this.owner.uplinks) {
      const g = this.owner.uplinkPolicy(p);
      const wanted = g !== null && g.policy.connectionMode === 'Auto' ? g.group : null;
      const m = this.members[p.index] ?? null;
      if (m !== null && this.groupOf[p.index] === wanted) {
        m.fastRate = g?.policy.lacpTimer === 'Short';
        continue;
      }
      if (m !== null) this.leave(m);
      if (wanted === null || g === null) continue;
      const list = this.groupChannels(wanted);
      const ch = list[0] ?? this.newChannel(wanted);
      this.join(p, ch, g.policy.lacpTimer === 'Short');
      this.groupOf[p.index] = wanted;
    }
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.sync();
    for (const m of this.members) if (m !== null && m !== undefined) m.channel.begin(m);
  }

  /** A frame from the slow-protocols EtherType arrived on an uplink; the frame is consumed. */
  receive(port: Port, f: Frame): void {
    const m = this.members[port.index] ?? null;
    const p = f.payload;
    if (m !== null && f.etherType === ETHERTYPE_SLOW && f.dst === SLOW_PROTOCOLS_MAC && p !== null && p.kind === 'lacp') {
      const target = this.channelFor(m, p.actor);
      if (target === m.channel) m.channel.receivePdu(m, p);
      else {
        const group = this.groupOf[port.index];
        this.leave(m);
        this.groupOf[port.index] = group;
        target.receivePdu(this.join(port, target, m.fastRate), p);
      }
    }
    this.net.pool.release(f);
  }

  carrier(port: Port, up: boolean): void {
    if (!this.started) return;
    const m = this.members[port.index] ?? null;
    if (m !== null) m.channel.memberCarrier(m, up);
  }

  view(port: Port): UplinkLacpView {
    const m = this.members[port.index] ?? null;
    if (m === null) return { lagId: null, bundled: false, individual: true, partner: null };
    return { lagId: m.channel.id, bundled: m.collecting, individual: m.partner === null, partner: m.partner };
  }

  /** The LAG a port is collecting and distributing in, or null. */
  lagOf(port: Port): PortChannel | null {
    const m = this.members[port.index] ?? null;
    return m !== null && m.collecting ? m.channel : null;
  }

  /**
   * The channel whose partner is the one this PDU names; else the port's own channel while no
   * other member is bound in it; else an unbound channel of the group, or a new one.
   */
  private channelFor(m: LagMember, actor: LacpInfo): PortChannel {
    const group = this.groupOf[m.port.index] as string;
    const list = this.groupChannels(group);
    const bound = list.find((c) => c.partnerSystem === actor.system && c.partnerKey === actor.key && c.members.some((o) => o.selected));
    if (bound !== undefined) return bound;
    const free = (c: PortChannel): boolean => !c.members.some((o) => o !== m && o.selected);
    if (free(m.channel)) return m.channel;
    return list.find(free) ?? this.newChannel(group);
  }

  private groupChannels(group: string): PortChannel[] {
    let list = this.channels.get(group);
    if (list === undefined) {
      list = [];
      this.channels.set(group, list);
    }
    return list;
  }

  private newChannel(group: string): PortChannel {
    const id = this.nextLagId++;
    const ch = new PortChannel(this, id, new BridgePort(0, `${this.owner.name} LAG ${id}`, null, null));
    // VC spreads a LAG's traffic by addresses; which fields it hashes is not published [U].
    ch.loadBalance = 'src-dst-mac';
    this.groupChannels(group).push(ch);
    return ch;
  }

  private join(port: Port, ch: PortChannel, fast: boolean): LagMember {
    const m = new LagMember(port, ch, 'active');
    m.fastRate = fast;
    ch.members.push(m);
    this.members[port.index] = m;
    if (this.started) ch.begin(m);
    return m;
  }

  private leave(m: LagMember): void {
    const ch = m.channel;
    // As if the carrier dropped: the member unselects, stops collecting and stops its timers.
    ch.memberCarrier(m, false);
    ch.members.splice(ch.members.indexOf(m), 1);
    this.members[m.port.index] = null;
    this.groupOf[m.port.index] = null;
  }

  // ---- ChannelHost ------------------------------------------------------------------------

  onEvent(code: number): void {
    const m = this.members[code >> 3] ?? null;
    if (m === null) return;
    const which = code & 7;
    // A module that is shutting down or booting sends nothing; its partner times out.
    if (which === LACP_TIMER_PERIODIC && !this.owner.forwarding) {
      m.periodicToken = -1;
      return;
    }
    m.channel.timer(m, which);
  }

  schedule(delayNs: number, port: Port, which: number): number {
    return this.net.sched.schedule(delayNs, this.handlerId, which | (port.index << 3), null);
  }

  emit(kind: string, text: string, port?: string): void {
    this.net.emit(kind, `${this.owner.name}: ${text.replace(/Port-channel(\d+)/g, 'LAG $1')}`, this.owner.name, port);
  }

  channelChanged(): void {
    this.owner.lagChanged();
  }
}
