import type { Frame } from '../core/frame.ts';
import type { Network } from '../core/network.ts';
import type { Port } from '../core/port.ts';
import { SECOND } from '../core/time.ts';
import {
  ETHERTYPE_SLOW,
  LACP_ACTIVITY,
  LACP_AGGREGATION,
  LACP_COLLECTING,
  LACP_DISTRIBUTING,
  LACP_EXPIRED,
  LACP_SYNC,
  LACP_TIMEOUT,
  type LacpInfo,
  type LacpPdu,
} from '../core/packets.ts';
import type { BridgePort } from './bridge-port.ts';

/** `on` = static bundle, no LACP; `active` / `passive` = LACP. */
export type ChannelMode = 'on' | 'active' | 'passive';
export type LoadBalance = 'src-mac' | 'dst-mac' | 'src-dst-mac' | 'src-dst-ip' | 'src-dst-ip-l4';
export type MemberState = 'bundled' | 'suspended' | 'down' | 'waiting' | 'standalone';

/** IEEE 802.1AX slow-protocols destination. */
export const SLOW_PROTOCOLS_MAC = 0x0180c2000002;
/** LACPDU: 110 bytes of PDU + 14 header + 4 FCS. */
const LACPDU_FRAME_SIZE = 128;
const FAST_PERIODIC_NS = 1 * SECOND;
const SLOW_PERIODIC_NS = 30 * SECOND;
/** Partner information expires after three missed PDUs at the rate we asked the partner for. */
const SHORT_TIMEOUT_NS = 3 * SECOND;
const LONG_TIMEOUT_NS = 90 * SECOND;
const DEFAULT_PRIORITY = 32768;

/**
 * The LACP actor a channel presents instead of its switch's own system: a vPC pair presents one
 * system (the vPC system MAC and priority) and one key on both peers, so a partner aggregates
 * links to both.
 */
export interface LacpActorIdentity {
  readonly systemPriority: number;
  readonly system: number;
  readonly key: number;
}

/** What a port-channel needs from the switch it lives in. */
export interface ChannelHost {
  readonly systemMac: number;
  readonly handlerId: number;
  /** The network whose clock, frame pool and scheduler the channel's LACP uses. */
  readonly net: Network;
  /** Timer `which` (LACP_TIMER_*) for member `port`; returns a token for cancel. */
  schedule(delayNs: number, port: Port, which: number): number;
  emit(kind: string, text: string, port?: string): void;
  /** A channel's set of working members changed. */
  channelChanged(ch: PortChannel, wasForwarding: boolean): void;
}

export const LACP_TIMER_PERIODIC = 1;
export const LACP_TIMER_EXPIRY = 2;

/** One physical port's membership of a channel, with its LACP state. */
export class LagMember {
  /** Rate we ask the partner to send at (`lacp rate fast`). */
  fastRate = false;
  /** The partner's actor information from its last LACPDU, or null when defaulted. */
  partner: LacpInfo | null = null;
  /** What the partner last said about us. */
  partnerView: LacpInfo | null = null;
  selected = false;
  suspended = false;
  collecting = false;
  pdusIn = 0;
  pdusOut = 0;
  periodicToken = -1;
  expiryToken = -1;

  constructor(
    readonly port: Port,
    readonly channel: PortChannel,
    readonly mode: ChannelMode,
  ) {}

  get state(): MemberState {
    if (!this.port.operUp) return 'down';
    if (this.collecting) return 'bundled';
    if (this.suspended) return 'suspended';
    return 'waiting';
  }

  actorState(): number {
    let s = LACP_AGGREGATION;
    if (this.mode === 'active') s |= LACP_ACTIVITY;
    if (this.fastRate) s |= LACP_TIMEOUT;
    if (this.selected) s |= LACP_SYNC;
    if (this.collecting) s |= LACP_COLLECTING | LACP_DISTRIBUTING;
    if (this.partner === null) s |= LACP_EXPIRED;
    return s;
  }
}

/**
 * A port-channel (link aggregation group): static or LACP (IEEE 802.1AX). Members exchange real
 * LACPDUs; a member whose partner (system, key) differs from the one the channel aggregated with
 * is suspended, as Catalysts do. Outgoing frames pick a member by a deterministic hash.
 */
export class PortChannel {
  readonly members: LagMember[] = [];
  /** Members carrying traffic now, by port index. */
  distributing: Port[] = [];
  /** The partner the aggregator is bound to; -1 until a member selects one. */
  partnerSystem = -1;
  partnerKey = -1;
  loadBalance: LoadBalance = 'src-dst-mac';
  /** Presented in LACPDUs instead of the host's system, key = channel id and default priority; null for those. */
  private actor: LacpActorIdentity | null = null;

  constructor(
    readonly host: ChannelHost,
    readonly id: number,
    readonly bp: BridgePort,
  ) {}

  get protocol(): 'static' | 'lacp' | 'none' {
    if (this.members.length === 0) return 'none';
    return this.members[0].mode === 'on' ? 'static' : 'lacp';
  }

  /** The system ID this channel's LACPDUs carry. */
  get actorSystem(): number {
    return this.actor?.system ?? this.host.systemMac;
  }

  get actorIdentity(): LacpActorIdentity {
    return this.actor ?? { systemPriority: DEFAULT_PRIORITY, system: this.host.systemMac, key: this.id };
  }

  /**
   * Present another LACP actor (null: the host's own). The partner hears it at once; until it
   * echoes the new identity back, this end no longer counts it as in sync.
   */
  setActor(identity: LacpActorIdentity | null): void {
    const a = this.actor;
    if (a === identity || (a !== null && identity !== null && a.system === identity.system && a.key === identity.key && a.systemPriority === identity.systemPriority)) return;
    this.actor = identity;
    for (const m of this.members) if (m.mode !== 'on' && m.port.operUp) this.sendPdu(m);
  }

  /** Send one frame on the member the hash picks. */
  transmit(f: Frame): void {
    const d = this.distributing;
    const n = d.length;
    if (n === 0) {
      this.host.net.pool.release(f);
      return;
    }
    d[n === 1 ? 0 : hashFrame(f, this.loadBalance) % n].send(f);
  }

  member(port: Port): LagMember | undefined {
    return this.members.find((m) => m.port === port);
  }

  // ---- state changes -----------------------------------------------------------------------

  /** Carrier changed on a member. */
  memberCarrier(m: LagMember, up: boolean): void {
    if (m.mode === 'on') {
      this.setCollecting(m, up);
      return;
    }
    if (!up) {
      this.stopTimers(m);
      m.partner = m.partnerView = null;
      m.suspended = false;
      this.unselect(m);
      return;
    }
    if (m.mode === 'active') this.sendPdu(m);
  }

  /** Cancel a member's LACP timers (carrier lost, or the channel's owner stopped). */
  stopTimers(m: LagMember): void {
    this.cancel(m.periodicToken);
    this.cancel(m.expiryToken);
    m.periodicToken = m.expiryToken = -1;
  }

  private cancel(token: number): void {
    if (token >= 0) this.host.net.sched.cancel(token);
  }

  /** Start LACP on an up member (network start or on joining). */
  begin(m: LagMember): void {
    if (m.mode === 'on') this.setCollecting(m, m.port.operUp);
    else if (m.port.operUp && m.mode === 'active') this.sendPdu(m);
  }

  receivePdu(m: LagMember, pdu: LacpPdu): void {
    if (m.mode === 'on' || !m.port.operUp) return;
    m.pdusIn++;
    const actor = pdu.actor;
    const hadPartner = m.partner !== null;
    m.partner = actor;
    m.partnerView = pdu.partner;
    this.cancel(m.expiryToken);
    m.expiryToken = this.host.schedule(m.fastRate ? SHORT_TIMEOUT_NS : LONG_TIMEOUT_NS, m.port, LACP_TIMER_EXPIRY);
    const before = m.actorState();
    this.select(m, actor);
    // Collect and distribute once the partner says it is in sync with us (has selected too).
    const partnerInSync =
      (actor.state & LACP_SYNC) !== 0 && pdu.partner.system === this.actorSystem && pdu.partner.key === this.actorIdentity.key && pdu.partner.port === m.port.index + 1;
    this.setCollecting(m, m.selected && partnerInSync);
    const stateChanged = before !== m.actorState() || !hadPartner;
    // A passive port answers an active partner; any change of our state is sent at once.
    if (stateChanged || (m.mode === 'passive' && m.periodicToken === -1)) this.sendPdu(m);
  }

  /** A timer fired for this member. */
  timer(m: LagMember, which: number): void {
    if (which === LACP_TIMER_PERIODIC) {
      m.periodicToken = -1;
      if (m.port.operUp) this.sendPdu(m);
    } else if (which === LACP_TIMER_EXPIRY) {
      m.expiryToken = -1;
      const name = m.port.name;
      m.partner = m.partnerView = null;
      m.suspended = false;
      this.unselect(m);
      this.host.emit('lacp.timeout', `LACP partner on ${name} timed out (3 LACPDUs missed)`, name);
    }
  }

  private select(m: LagMember, actor: LacpInfo): void {
    const selectedOthers = this.members.some((o) => o !== m && o.selected);
    if (!selectedOthers && (this.partnerSystem !== actor.system || this.partnerKey !== actor.key)) {
      this.partnerSystem = actor.system;
      this.partnerKey = actor.key;
    }
    const matches = (actor.state & LACP_AGGREGATION) !== 0 && actor.system === this.partnerSystem && actor.key === this.partnerKey;
    if (matches) {
      m.selected = true;
      m.suspended = false;
      return;
    }
    if (!m.suspended) {
      m.suspended = true;
      this.host.emit(
        'lacp.suspended',
        `${m.port.name} suspended in Port-channel${this.id}: partner ${hex(actor.system)} key ${actor.key} differs from ${hex(this.partnerSystem)} key ${this.partnerKey}`,
        m.port.name,
      );
    }
    m.selected = false;
    this.setCollecting(m, false);
  }

  private unselect(m: LagMember): void {
    m.selected = false;
    this.setCollecting(m, false);
    if (!this.members.some((o) => o.selected)) {
      this.partnerSystem = -1;
      this.partnerKey = -1;
    }
  }

  private setCollecting(m: LagMember, on: boolean): void {
    if (m.collecting === on) return;
    const wasForwarding = this.distributing.length > 0;
    m.collecting = on;
    this.distributing = this.members.filter((x) => x.collecting).map((x) => x.port).sort((a, b) => a.index - b.index);
    this.host.emit(on ? 'lag.bundled' : 'lag.unbundled', `${m.port.name} ${on ? 'joined' : 'left'} Port-channel${this.id}`, m.port.name);
    this.host.channelChanged(this, wasForwarding);
  }

  private sendPdu(m: LagMember): void {
    const host = this.host;
    const f = host.net.pool.alloc();
    f.vlan = 0;
    f.pcp = 0;
    f.tag = 0;
    f.dst = SLOW_PROTOCOLS_MAC;
    f.src = m.port.mac;
    f.etherType = ETHERTYPE_SLOW;
    f.size = LACPDU_FRAME_SIZE;
    const p = m.partner;
    const me = this.actorIdentity;
    const pdu: LacpPdu = {
      kind: 'lacp',
      actor: {
        systemPriority: me.systemPriority,
        system: me.system,
        key: me.key,
        portPriority: DEFAULT_PRIORITY,
        port: m.port.index + 1,
        state: m.actorState(),
      },
      partner:
        p === null
          ? { systemPriority: 0, system: 0, key: 0, portPriority: 0, port: 0, state: 0 }
          : { systemPriority: p.systemPriority, system: p.system, key: p.key, portPriority: p.portPriority, port: p.port, state: p.state },
      collectorMaxDelay: 0,
    };
    f.payload = pdu;
    m.pdusOut++;
    m.port.send(f);
    // Periodic transmission runs while either end is active, at the rate the partner asked for.
    const partnerActive = p !== null && (p.state & LACP_ACTIVITY) !== 0;
    if (m.mode === 'active' || partnerActive) {
      this.cancel(m.periodicToken);
      const fast = p === null || (p.state & LACP_TIMEOUT) !== 0;
      m.periodicToken = host.schedule(fast ? FAST_PERIODIC_NS : SLOW_PERIODIC_NS, m.port, LACP_TIMER_PERIODIC);
    }
  }
}

function hex(n: number): string {
  return n < 0 ? 'none' : n.toString(16).padStart(12, '0');
}

const TWO32 = 4294967296;

/** Deterministic member choice: XOR of the chosen header fields, folded to 8 bits. */
export function hashFrame(f: Frame, policy: LoadBalance): number {
  let h = 0;
  const p = f.payload;
  if ((policy === 'src-dst-ip' || policy === 'src-dst-ip-l4') && p !== null && p.kind === 'ipv4') {
    h = p.src ^ p.dst;
    if (policy === 'src-dst-ip-l4' && p.payload.kind === 'udp') h ^= p.payload.srcPort ^ p.payload.dstPort;
  } else {
    const src = policy === 'dst-mac' ? 0 : f.src;
    const dst = policy === 'src-mac' ? 0 : f.dst;
    h = (src >>> 0) ^ (dst >>> 0) ^ ((src / TWO32) | 0) ^ ((dst / TWO32) | 0);
  }
  h ^= h >>> 16;
  h ^= h >>> 8;
  return h & 0xff;
}
