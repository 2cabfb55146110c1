import type { Frame } from './frame.ts';
import type { Link } from './link.ts';
import type { NetStats } from './network.ts';
import type { NetworkNode } from './node.ts';
import type { EventHandler, Scheduler } from './scheduler.ts';
import type { FramePool } from './frame.ts';

export type TapDirection = 'rx' | 'tx';

/** Capture hook on a port: sees every frame the port receives or starts to transmit. */
export type PortTap = (timeNs: number, port: Port, frame: Frame, direction: TapDirection) => void;

const TX_DONE = 0;
const RX = 1;
const CARRIER = 2;

/** Multiplying by 2^-32 is exact and cheaper than dividing. */
const INV_TWO32 = 1 / 4294967296;

/**
 * A device's physical port: the transmit side of one link end (drop-tail FIFO + serialiser) and
 * the receive side. Mirrors a simple full-duplex NIC: a frame handed to `send` waits in the
 * queue while another is being serialised; `queueLimit` frames may wait (the one on the wire is
 * not counted), later arrivals are dropped.
 */
export class Port implements EventHandler {
  // Constructor-set fields are `declare`d and assigned in the constructor (not parameter
  // properties): a bare field declaration would first define them as undefined, widening V8's
  // field representation on the forwarding path.
  declare readonly node: NetworkNode;
  /** Position in the node's port list. */
  declare readonly index: number;
  declare readonly name: string;
  /** Nominal speed of the port hardware; the link may run slower. */
  declare readonly speedBps: number;
  declare readonly handlerId: number;
  link: Link | null = null;
  peer: Port | null = null;
  /** `shutdown` / `no shutdown`. */
  adminUp = true;
  /** Carrier: admin up here and at the peer, and the link itself up. */
  operUp = false;
  /** The port's own MAC (NIC address; switches source control frames such as LACPDUs from it). */
  mac = 0;
  /** Frames allowed to wait behind the one being transmitted. */
  queueLimit = 100;
  tap: PortTap | null = null;

  // counters, as switches report them (IF-MIB ifHC* style)
  inOctets = 0;
  inUcast = 0;
  inMcast = 0;
  inBcast = 0;
  inDiscards = 0;
  outOctets = 0;
  outUcast = 0;
  outMcast = 0;
  outBcast = 0;
  /** Frames dropped on transmit: queue full, or flushed / refused while the port was down. */
  outDiscards = 0;
  lastChangeNs = 0;

  private ring: (Frame | null)[] = new Array<Frame | null>(8).fill(null);
  private head = 0;
  private count = 0;
  private busy = false;
  /** Serialisation time per byte at the link's rate. */
  private nsPerByte = 0;
  private delayNs = 0;

  private declare readonly sched: Scheduler;
  private declare readonly pool: FramePool;
  private declare readonly stats: NetStats;

  constructor(node: NetworkNode, index: number, name: string, speedBps: number) {
    this.node = node;
    this.index = index;
    this.name = name;
    this.speedBps = speedBps;
    this.sched = node.net.sched;
    this.pool = node.net.pool;
    this.stats = node.net.stats;
    this.handlerId = this.sched.register(this);
  }

  /** Frames waiting for the wire. */
  get queued(): number {
    return this.count;
  }

  /** @internal called by Link when it joins or re-times this port. */
  attach(link: Link, peer: Port, rateBps: number, delayNs: number): void {
    this.link = link;
    this.peer = peer;
    this.nsPerByte = 8e9 / rateBps;
    this.delayNs = delayNs;
  }

  /**
   * Hand a frame to the port for transmission. Ownership passes to the port: it is transmitted,
   * or dropped and released. Returns false when dropped.
   */
  send(frame: Frame): boolean {
    if (!this.operUp) {
      this.outDiscards++;
      this.pool.release(frame);
      return false;
    }
    if (!this.busy) {
      this.startTx(frame);
      return true;
    }
    if (this.count >= this.queueLimit) {
      this.outDiscards++;
      this.stats.queueDrops++;
      this.pool.release(frame);
      return false;
    }
    const ring = this.ring;
    if (this.count === ring.length) this.growRing();
    const r = this.ring;
    r[(this.head + this.count) & (r.length - 1)] = frame;
    this.count++;
    return true;
  }

  private startTx(frame: Frame): void {
    this.busy = true;
    const size = frame.size;
    this.outOctets += size;
    const dst = frame.dst;
    if (dst === 0xffffffffffff) this.outBcast++;
    else if ((((dst * INV_TWO32) | 0) & 0x0100) !== 0) this.outMcast++;
    else this.outUcast++;
    const sched = this.sched;
    if (this.tap !== null) this.tap(sched.now, this, frame, 'tx');
    sched.postAt(sched.now + Math.round(size * this.nsPerByte), this.handlerId, TX_DONE, frame);
  }

  onEvent(code: number, frame: Frame | null): void {
    if (code === RX) this.receive(frame as Frame);
    else if (code === TX_DONE) this.txDone(frame as Frame);
    else if (code === CARRIER) this.updateCarrier();
  }

  private txDone(frame: Frame): void {
    const peer = this.peer;
    if (this.operUp && peer !== null) {
      const sched = this.sched;
      sched.postAt(sched.now + this.delayNs, peer.handlerId, RX, frame);
    } else this.pool.release(frame);
    if (this.count > 0) {
      const r = this.ring;
      const next = r[this.head] as Frame;
      r[this.head] = null;
      this.head = (this.head + 1) & (r.length - 1);
      this.count--;
      this.startTx(next);
    } else {
      this.busy = false;
    }
  }

  private receive(frame: Frame): void {
    if (!this.operUp) {
      this.pool.release(frame);
      return;
    }
    const node = this.node;
    this.stats.frameHops++;
    this.inOctets += frame.size;
    const dst = frame.dst;
    if (dst === 0xffffffffffff) this.inBcast++;
    else if ((((dst * INV_TWO32) | 0) & 0x0100) !== 0) this.inMcast++;
    else this.inUcast++;
    if (this.tap !== null) this.tap(this.sched.now, this, frame, 'rx');
    node.receive(this, frame);
  }

  private growRing(): void {
    const old = this.ring;
    const r = new Array<Frame | null>(old.length * 2).fill(null);
    for (let i = 0; i < this.count; i++) r[i] = old[(this.head + i) & (old.length - 1)];
    this.ring = r;
    this.head = 0;
  }

  /** Administrative state (`shutdown` / `no shutdown`). Takes effect here now and at the far end after the propagation delay. */
  setAdmin(up: boolean): void {
    if (this.adminUp === up) return;
    this.adminUp = up;
    const sched = this.node.net.sched;
    sched.schedule(0, this.handlerId, CARRIER, null);
    if (this.peer !== null) sched.schedule(this.delayNs, this.peer.handlerId, CARRIER, null);
  }

  /** @internal ask this port to re-evaluate its carrier after `delayNs`. */
  scheduleCarrierCheck(delayNs: number): void {
    this.node.net.sched.schedule(delayNs, this.handlerId, CARRIER, null);
  }

  /** Whether carrier should be present now, from admin states and the link. */
  carrierExpected(): boolean {
    const l = this.link;
    const p = this.peer;
    return this.adminUp && l !== null && l.up && p !== null && p.adminUp;
  }

  /** @internal set the initial state without events (network construction). */
  initCarrier(): void {
    this.operUp = this.carrierExpected();
  }

  private updateCarrier(): void {
    const want = this.carrierExpected();
    if (want === this.operUp) return;
    const net = this.node.net;
    this.operUp = want;
    this.lastChangeNs = net.sched.now;
    if (!want) this.flush();
    net.emit(want ? 'port.up' : 'port.down', `${this.node.name} ${this.name} is ${want ? 'up' : 'down'}`, this.node.name, this.name);
    this.node.portStateChanged(this, want);
  }

  /** Drop everything waiting (carrier lost). The frame on the wire is lost when its transmission ends. */
  private flush(): void {
    const pool = this.node.net.pool;
    const r = this.ring;
    while (this.count > 0) {
      const f = r[this.head] as Frame;
      r[this.head] = null;
      this.head = (this.head + 1) & (r.length - 1);
      this.count--;
      this.outDiscards++;
      pool.release(f);
    }
  }

  clearCounters(): void {
    this.inOctets = this.inUcast = this.inMcast = this.inBcast = this.inDiscards = 0;
    this.outOctets = this.outUcast = this.outMcast = this.outBcast = this.outDiscards = 0;
  }
}
