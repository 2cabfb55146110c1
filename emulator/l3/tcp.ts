/**
 * A minimal TCP (RFC 793) for request/response traffic: the three-way handshake, in-order data
 * with cumulative acknowledgements, retransmission on a timer with exponential backoff, RST for
 * segments no connection or listener wants, and FIN close with TIME-WAIT.
 *
 * Deliberately left out, because a request/response exchange of a few hundred bytes on a LAN never
 * needs them: congestion control, window management (the advertised window is constant and never
 * limits sending), delayed and selective acknowledgements, out-of-order reassembly (a segment that
 * is not the next expected one is dropped and acknowledged, so the sender's timer repairs it),
 * RTT estimation (LAN round trips are far below the minimum RTO, so the data RTO starts at it),
 * options (MSS, window scale, timestamps) and urgent data. Only byte counts travel, never contents.
 * ICMP errors do not abort connections: a connection gives up only when its retransmissions do.
 */
import type { Ipv4Packet, TcpSegment } from '../core/packets.ts';
import { IPPROTO_TCP, TCP_ACK, TCP_FIN, TCP_PSH, TCP_RST, TCP_SYN } from '../core/packets.ts';
import type { Prng } from '../core/prng.ts';
import type { EventHandler } from '../core/scheduler.ts';
import { MS, SECOND } from '../core/time.ts';
import type { IpHost } from './ip-host.ts';

/**
 * Timers and limits, as Windows Server's TCP/IP registry values name them. Defaults [U where
 * marked]: TcpInitialRTT 3 s and TcpMaxConnectRetransmissions 2 — a SYN is resent after 3 s and
 * 6 s more, and the attempt is abandoned after twice the last delay (12 s), 21 s after the first
 * SYN (TechNet cc938209 / cc758896). TcpMaxDataRetransmissions 5, the delay doubling each time
 * (TechNet cc938210, KB170359). The first data RTO is Windows' minimum RTO, 300 ms [U: `netsh int
 * tcp show global` "Min RTO"; KB170359 gives 300 ms as TcpInitialRtt's floor]. TcpTimedWaitDelay
 * 240 s (TechNet cc938217).
 */
export interface TcpSettings {
  /** RTO of the first SYN (and of a SYN-ACK), doubled per retry. */
  connectRtoNs: number;
  /** SYN (and SYN-ACK) retransmissions before the attempt is abandoned. */
  maxConnectRetransmissions: number;
  /** RTO of the first data (or FIN) retransmission, doubled per retry. */
  dataRtoNs: number;
  /** Data retransmissions before the connection is abandoned. */
  maxDataRetransmissions: number;
  /** No RTO grows beyond this (RFC 6298 §2.5 allows a 60 s cap). */
  maxRtoNs: number;
  /** How long a connection that closed first stays in TIME-WAIT. */
  timeWaitNs: number;
  /** Largest data segment: Ethernet's 1500-byte MTU less 40 bytes of IPv4 and TCP headers. */
  mss: number;
  /** The window advertised; constant, as nothing here fills a receive buffer. */
  window: number;
}

export const WINDOWS_TCP_SETTINGS: Readonly<TcpSettings> = {
  connectRtoNs: 3 * SECOND,
  maxConnectRetransmissions: 2,
  dataRtoNs: 300 * MS,
  maxDataRetransmissions: 5,
  maxRtoNs: 60 * SECOND,
  timeWaitNs: 240 * SECOND,
  mss: 1460,
  window: 65535,
};

export type TcpState = 'syn-sent' | 'syn-received' | 'established' | 'fin-wait-1' | 'fin-wait-2' | 'close-wait' | 'closing' | 'last-ack' | 'time-wait' | 'closed';

/** Why a connection ended: both sides closed, the peer reset it, or retransmissions gave up. */
export type TcpCloseReason = 'closed' | 'reset' | 'timeout';

/** What an application hears from its connection. */
export interface TcpEvents {
  /** The handshake completed. */
  onOpen?(c: TcpConnection): void;
  /** `bytes` more arrived in order. */
  onData?(c: TcpConnection, bytes: number): void;
  /** The peer sent FIN: it will send nothing more. */
  onPeerClose?(c: TcpConnection): void;
  /** The connection is gone. */
  onClosed?(c: TcpConnection, reason: TcpCloseReason): void;
}

const seqLt = (a: number, b: number): boolean => ((a - b) | 0) < 0;
const seqLe = (a: number, b: number): boolean => ((a - b) | 0) <= 0;
const add = (a: number, n: number): number => (a + n) >>> 0;

export class TcpConnection {
  state: TcpState;
  events: TcpEvents = {};
  /** Oldest unacknowledged and next sequence numbers to send; next expected from the peer. */
  sndUna = 0;
  sndNxt = 0;
  rcvNxt = 0;
  /** Sequence number our FIN took, once sent. */
  finSeq: number | null = null;
  retransmissions = 0;
  /** Bytes the application sent and received. */
  bytesSent = 0;
  bytesReceived = 0;
  closeReason: TcpCloseReason | null = null;
  /** Retries of what is outstanding now; reset when an acknowledgement moves sndUna. */
  retries = 0;
  rtoNs = 0;
  timerToken = -1;
  /** An acknowledgement is owed: cleared by any segment sent, since every segment carries one. */
  ackOwed = false;

  constructor(
    private readonly stack: TcpStack,
    readonly id: number,
    readonly localIp: number,
    readonly localPort: number,
    readonly remoteIp: number,
    readonly remotePort: number,
    state: TcpState,
  ) {
    this.state = state;
  }

  /** Send `bytes` of data (in MSS-sized segments). */
  send(bytes: number): void {
    if (this.state !== 'established' && this.state !== 'close-wait') throw new Error(`cannot send on a connection in ${this.state}`);
    this.stack.sendData(this, bytes);
  }

  /** Close our direction (FIN); the connection ends when the peer has closed too. */
  close(): void {
    this.stack.closeConnection(this);
  }

  /** Abort: send RST and forget the connection at once. */
  abort(): void {
    this.stack.abortConnection(this);
  }
}

/** The TCP of one host: its listeners and connections, on the host's clock and IPv4. */
export class TcpStack implements EventHandler {
  readonly settings: TcpSettings = { ...WINDOWS_TCP_SETTINGS };
  readonly counters = { segmentsSent: 0, segmentsReceived: 0, retransmissions: 0, resetsSent: 0, resetsReceived: 0 };
  private readonly handlerId: number;
  private readonly listeners = new Map<number, (c: TcpConnection) => void>();
  private readonly table = new Map<string, TcpConnection>();
  private readonly byId: (TcpConnection | null)[] = [];
  private readonly random: Prng;

  constructor(private readonly host: IpHost) {
    this.handlerId = host.net.sched.register(this);
    // A stream of its own, so opening connections does not shift other draws of this device.
    this.random = host.net.random.forId(`${host.name}/tcp`);
  }

  /** Accept connections to `port` on any local address; `accept` sets the new connection's events. */
  listen(port: number, accept: (c: TcpConnection) => void): void {
    this.listeners.set(port, accept);
  }

  /** Stop accepting on `port`; established connections carry on. */
  unlisten(port: number): void {
    this.listeners.delete(port);
  }

  isListening(port: number): boolean {
    return this.listeners.has(port);
  }

  /**
   * Open a connection from `localPort`. The source address is `localIp` when given (a router's
   * update-source loopback), else the one the route to `remoteIp` gives.
   */
  connect(remoteIp: number, remotePort: number, localPort: number, events: TcpEvents = {}, localIp = this.host.sourceAddressFor(remoteIp)): TcpConnection {
    const key = tupleKey(localIp, localPort, remoteIp, remotePort);
    if (this.table.has(key)) throw new Error(`a connection from port ${localPort} to that address and port already exists`);
    const c = this.create(localIp, localPort, remoteIp, remotePort, 'syn-sent');
    c.events = events;
    c.sndUna = this.isn();
    c.sndNxt = add(c.sndUna, 1);
    this.emit(c, c.sndUna, TCP_SYN, 0);
    this.arm(c, this.settings.connectRtoNs);
    return c;
  }

  /** Live connections, in the order they were made. */
  connections(): readonly TcpConnection[] {
    return [...this.table.values()];
  }

  // ---- receive ----------------------------------------------------------------------------

  receive(pkt: Ipv4Packet, seg: TcpSegment): void {
    this.counters.segmentsReceived++;
    const c = this.table.get(tupleKey(pkt.dst, seg.dstPort, pkt.src, seg.srcPort));
    if (c === undefined) {
      this.unmatched(pkt, seg);
      return;
    }
    const flags = seg.flags;
    if (flags & TCP_RST) {
      // RFC 5961's exact-match check, simplified: a reset must sit where we expect the peer to be.
      const acceptable = c.state === 'syn-sent' ? (flags & TCP_ACK) !== 0 && seg.ack === c.sndNxt : seg.seq === c.rcvNxt;
      if (acceptable) {
        this.counters.resetsReceived++;
        this.finish(c, 'reset');
      }
      return;
    }
    if (c.state === 'syn-sent') {
      if (flags & TCP_ACK && seg.ack !== c.sndNxt) {
        this.reset(pkt.dst, pkt.src, seg.dstPort, seg.srcPort, seg.ack, 0, TCP_RST);
        return;
      }
      if (flags & TCP_SYN && flags & TCP_ACK) {
        c.rcvNxt = add(seg.seq, 1);
        c.sndUna = seg.ack;
        c.state = 'established';
        this.disarm(c);
        this.emit(c, c.sndNxt, TCP_ACK, 0);
        c.events.onOpen?.(c);
      }
      return;
    }
    if (flags & TCP_SYN) {
      // A repeated SYN (our SYN-ACK was lost) is answered again; any other SYN gets the ACK that
      // tells the peer where this connection stands.
      if (c.state === 'syn-received' && add(seg.seq, 1) === c.rcvNxt) this.emit(c, c.sndUna, TCP_SYN | TCP_ACK, 0);
      else this.emit(c, c.sndNxt, TCP_ACK, 0);
      return;
    }
    if ((flags & TCP_ACK) === 0) return;
    if (!this.acknowledged(c, seg.ack)) return;
    const fin = (flags & TCP_FIN) !== 0;
    if (seg.dataLength === 0 && !fin) return;
    if (seg.seq !== c.rcvNxt || c.state === 'time-wait') {
      // Duplicate or out of order: say where we are, so the sender's timer fills the gap.
      this.emit(c, c.sndNxt, TCP_ACK, 0);
      return;
    }
    c.ackOwed = true;
    if (seg.dataLength > 0 && receivesData(c.state)) {
      c.rcvNxt = add(c.rcvNxt, seg.dataLength);
      c.bytesReceived += seg.dataLength;
      c.events.onData?.(c, seg.dataLength);
    }
    if (fin) this.peerFin(c);
    if (c.ackOwed && c.state !== 'closed') this.emit(c, c.sndNxt, TCP_ACK, 0);
  }

  /**
   * An acknowledgement for what we sent: move sndUna, and the state when it covers SYN or FIN.
   * False when the connection ended with it.
   */
  private acknowledged(c: TcpConnection, ack: number): boolean {
    if (!seqLt(c.sndUna, ack) || !seqLe(ack, c.sndNxt)) return true;
    c.sndUna = ack;
    c.retries = 0;
    if (c.sndUna === c.sndNxt) this.disarm(c);
    else this.arm(c, this.settings.dataRtoNs);
    if (c.state === 'syn-received') {
      c.state = 'established';
      c.events.onOpen?.(c);
    }
    if (c.finSeq !== null && seqLt(c.finSeq, ack)) {
      if (c.state === 'fin-wait-1') c.state = 'fin-wait-2';
      else if (c.state === 'closing') this.enterTimeWait(c);
      else if (c.state === 'last-ack') {
        this.finish(c, 'closed');
        return false;
      }
    }
    return true;
  }

  private peerFin(c: TcpConnection): void {
    c.rcvNxt = add(c.rcvNxt, 1);
    switch (c.state) {
      case 'established':
        c.state = 'close-wait';
        c.events.onPeerClose?.(c);
        break;
      case 'fin-wait-1':
        c.state = 'closing';
        c.events.onPeerClose?.(c);
        break;
      case 'fin-wait-2':
        c.events.onPeerClose?.(c);
        this.emit(c, c.sndNxt, TCP_ACK, 0);
        this.enterTimeWait(c);
        break;
      default:
        break;
    }
  }

  /** A segment for no connection: a SYN to a listener opens one; anything else but a reset is reset. */
  private unmatched(pkt: Ipv4Packet, seg: TcpSegment): void {
    if (seg.flags & TCP_RST) return;
    const accept = this.listeners.get(seg.dstPort);
    if ((seg.flags & (TCP_SYN | TCP_ACK | TCP_FIN)) === TCP_SYN && accept !== undefined) {
      const c = this.create(pkt.dst, seg.dstPort, pkt.src, seg.srcPort, 'syn-received');
      c.rcvNxt = add(seg.seq, 1);
      c.sndUna = this.isn();
      c.sndNxt = add(c.sndUna, 1);
      accept(c);
      this.emit(c, c.sndUna, TCP_SYN | TCP_ACK, 0);
      this.arm(c, this.settings.connectRtoNs);
      return;
    }
    // RFC 793 §3.4 "Reset Generation", for the CLOSED state.
    if (seg.flags & TCP_ACK) this.reset(pkt.dst, pkt.src, seg.dstPort, seg.srcPort, seg.ack, 0, TCP_RST);
    else {
      const length = seg.dataLength + (seg.flags & TCP_SYN ? 1 : 0) + (seg.flags & TCP_FIN ? 1 : 0);
      this.reset(pkt.dst, pkt.src, seg.dstPort, seg.srcPort, 0, add(seg.seq, length), TCP_RST | TCP_ACK);
    }
  }

  // ---- send -------------------------------------------------------------------------------

  /** @internal TcpConnection.send */
  sendData(c: TcpConnection, bytes: number): void {
    if (bytes <= 0) return;
    const idle = c.sndUna === c.sndNxt;
    c.bytesSent += bytes;
    this.emitData(c, c.sndNxt, bytes);
    c.sndNxt = add(c.sndNxt, bytes);
    if (idle) {
      c.retries = 0;
      this.arm(c, this.settings.dataRtoNs);
    }
  }

  /** @internal TcpConnection.close */
  closeConnection(c: TcpConnection): void {
    if (c.state === 'syn-sent') {
      this.finish(c, 'closed');
      return;
    }
    if (c.state !== 'established' && c.state !== 'close-wait' && c.state !== 'syn-received') return;
    c.state = c.state === 'close-wait' ? 'last-ack' : 'fin-wait-1';
    c.finSeq = c.sndNxt;
    const idle = c.sndUna === c.sndNxt;
    this.emit(c, c.sndNxt, TCP_FIN | TCP_ACK, 0);
    c.sndNxt = add(c.sndNxt, 1);
    if (idle) {
      c.retries = 0;
      this.arm(c, this.settings.dataRtoNs);
    }
  }

  /** @internal TcpConnection.abort */
  abortConnection(c: TcpConnection): void {
    if (c.state === 'closed') return;
    if (c.state !== 'syn-sent' && c.state !== 'time-wait') this.emit(c, c.sndNxt, TCP_RST | TCP_ACK, 0);
    this.finish(c, 'reset');
  }

  private emitData(c: TcpConnection, from: number, bytes: number): void {
    const mss = Math.max(1, this.settings.mss);
    for (let off = 0; off < bytes; off += mss) this.emit(c, add(from, off), TCP_ACK | TCP_PSH, Math.min(mss, bytes - off));
  }

  private emit(c: TcpConnection, seq: number, flags: number, dataLength: number): void {
    c.ackOwed = false;
    const ack = flags & TCP_ACK ? c.rcvNxt : 0;
    this.transmit(c.localIp, c.remoteIp, { kind: 'tcp', srcPort: c.localPort, dstPort: c.remotePort, seq, ack, flags, window: this.settings.window, dataLength });
  }

  private reset(localIp: number, remoteIp: number, localPort: number, remotePort: number, seq: number, ack: number, flags: number): void {
    this.counters.resetsSent++;
    this.transmit(localIp, remoteIp, { kind: 'tcp', srcPort: localPort, dstPort: remotePort, seq, ack, flags, window: 0, dataLength: 0 });
  }

  private transmit(src: number, dst: number, seg: TcpSegment): void {
    this.counters.segmentsSent++;
    this.host.sendIp(dst, IPPROTO_TCP, seg, src);
  }

  // ---- timers -----------------------------------------------------------------------------

  private arm(c: TcpConnection, rtoNs: number): void {
    this.disarm(c);
    c.rtoNs = Math.min(rtoNs, this.settings.maxRtoNs);
    c.timerToken = this.host.net.sched.schedule(c.rtoNs, this.handlerId, c.id, null);
  }

  private disarm(c: TcpConnection): void {
    if (c.timerToken >= 0) this.host.net.sched.cancel(c.timerToken);
    c.timerToken = -1;
  }

  onEvent(code: number): void {
    const c = this.byId[code];
    if (c === null || c === undefined) return;
    c.timerToken = -1;
    if (c.state === 'time-wait') {
      this.finish(c, 'closed');
      return;
    }
    const handshake = c.state === 'syn-sent' || c.state === 'syn-received';
    const limit = handshake ? this.settings.maxConnectRetransmissions : this.settings.maxDataRetransmissions;
    if (c.retries >= limit) {
      // Windows waits twice the last delay after the final retransmission, then gives up; a
      // synchronized connection is dropped with a RST, as BSD-derived stacks do [U], so a peer
      // that is still there (or a load balancer tracking the connection) learns it is gone.
      if (!handshake) this.emit(c, c.sndNxt, TCP_RST | TCP_ACK, 0);
      this.finish(c, 'timeout');
      return;
    }
    c.retries++;
    c.retransmissions++;
    this.counters.retransmissions++;
    this.retransmit(c);
    this.arm(c, c.rtoNs * 2);
  }

  /** Resend everything from the oldest unacknowledged sequence number. */
  private retransmit(c: TcpConnection): void {
    if (c.state === 'syn-sent') this.emit(c, c.sndUna, TCP_SYN, 0);
    else if (c.state === 'syn-received') this.emit(c, c.sndUna, TCP_SYN | TCP_ACK, 0);
    else {
      const dataEnd = c.finSeq ?? c.sndNxt;
      const bytes = (dataEnd - c.sndUna) >>> 0;
      if (bytes > 0 && seqLt(c.sndUna, dataEnd)) this.emitData(c, c.sndUna, bytes);
      if (c.finSeq !== null && seqLe(c.sndUna, c.finSeq)) this.emit(c, c.finSeq, TCP_FIN | TCP_ACK, 0);
    }
  }

  // ---- table ------------------------------------------------------------------------------

  private create(localIp: number, localPort: number, remoteIp: number, remotePort: number, state: TcpState): TcpConnection {
    let id = this.byId.indexOf(null);
    if (id < 0) id = this.byId.length;
    const c = new TcpConnection(this, id, localIp, localPort, remoteIp, remotePort, state);
    this.byId[id] = c;
    this.table.set(tupleKey(localIp, localPort, remoteIp, remotePort), c);
    return c;
  }

  private enterTimeWait(c: TcpConnection): void {
    c.state = 'time-wait';
    this.arm(c, this.settings.timeWaitNs);
  }

  private finish(c: TcpConnection, reason: TcpCloseReason): void {
    if (c.state === 'closed') return;
    this.disarm(c);
    c.state = 'closed';
    c.closeReason = reason;
    this.table.delete(tupleKey(c.localIp, c.localPort, c.remoteIp, c.remotePort));
    this.byId[c.id] = null;
    c.events.onClosed?.(c, reason);
  }

  /** An initial sequence number from the host's own stream (RFC 6528 wants it unpredictable). */
  private isn(): number {
    return this.random.nextU32();
  }
}

function receivesData(s: TcpState): boolean {
  return s === 'established' || s === 'fin-wait-1' || s === 'fin-wait-2';
}

function tupleKey(localIp: number, localPort: number, remoteIp: number, remotePort: number): string {
  return `${localIp >>> 0}:${localPort}>${remoteIp >>> 0}:${remotePort}`;
}
