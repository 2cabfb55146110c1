import type { Frame } from '../core/frame.ts';
import type { Network } from '../core/network.ts';
import { NetworkNode } from '../core/node.ts';
import type { Port } from '../core/port.ts';
import type { EventHandler } from '../core/scheduler.ts';

const INV_TWO32 = 1 / 4294967296;
const START = 0;
const SEND = 1;

export interface RawStream {
  dst: number;
  etherType: number;
  /** Frame size in bytes (what the link serialises). */
  size: number;
  intervalNs: number;
  count: number;
  startNs: number;
}

/**
 * A host with one NIC that sends and accepts raw Ethernet frames (no IP): the benchmark's
 * traffic source and a handy test endpoint. The NIC accepts frames addressed to its MAC or to a
 * group address and drops the rest, as a non-promiscuous NIC does.
 */
export class RawFrameHost extends NetworkNode implements EventHandler {
  declare readonly nic: Port;
  declare readonly mac: number;
  declare readonly handlerId: number;
  /** Accept only this EtherType (-1: any). */
  acceptEtherType = -1;
  delivered = 0;
  filtered = 0;
  sent = 0;
  /** The last accepted frame's tag (for tests). */
  lastTag = -1;
  private stream: RawStream | null = null;
  private remaining = 0;

  constructor(net: Network, name: string, mac: number, speedBps: number) {
    super(net, name);
    this.mac = mac;
    this.nic = this.addPort('eth0', speedBps);
    this.nic.mac = mac;
    this.handlerId = net.sched.register(this);
  }

  /**
   * Send `count` frames every `intervalNs` from `startNs`. The start is its own event that then
   * queues the first send, like an application that is started and then transmits.
   */
  startStream(s: RawStream): void {
    this.stream = s;
    this.remaining = s.count;
    if (s.count > 0) this.net.sched.scheduleAt(s.startNs, this.handlerId, START, null);
  }

  /** Send one frame now. */
  sendFrame(dst: number, etherType: number, size: number, tag = 0, vlan = 0): void {
    const f = this.net.pool.alloc();
    f.dst = dst;
    f.src = this.mac;
    f.vlan = vlan;
    f.pcp = 0;
    f.etherType = etherType;
    f.size = size;
    f.payload = null;
    f.tag = tag;
    this.sent++;
    this.nic.send(f);
  }

  onEvent(code: number): void {
    const s = this.stream;
    if (s === null) return;
    if (code === START) {
      this.net.sched.schedule(0, this.handlerId, SEND, null);
      return;
    }
    this.sendFrame(s.dst, s.etherType, s.size, s.count - this.remaining);
    if (--this.remaining > 0) this.net.sched.schedule(s.intervalNs, this.handlerId, SEND, null);
  }

  receive(_port: Port, f: Frame): void {
    const dst = f.dst;
    if ((dst === this.mac || (((dst * INV_TWO32) | 0) & 0x0100) !== 0) && (this.acceptEtherType < 0 || f.etherType === this.acceptEtherType)) {
      this.delivered++;
      this.lastTag = f.tag;
    } else {
      this.filtered++;
    }
    this.net.pool.release(f);
  }
}
