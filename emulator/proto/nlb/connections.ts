/**
 * NLB's TCP connection descriptors: a host that passed a connection's SYN up keeps taking that
 * connection's segments whatever the buckets do afterwards, so a convergence that moves a bucket
 * does not break the connections its old owner still serves: existing connections stay with the
 * host that accepted them [U: the behaviour NLB's connection tracking is described as giving; the
 * descriptor bookkeeping itself is not published].
 *
 * The new owner of a bucket takes the bucket's new connections (SYNs) at once. Segments of
 * connections it has no descriptor for it leaves alone when another live host may own them (real
 * NLB learns which buckets still carry connections, "dirty" buckets, from the heartbeats; LabBox
 * derives the same from the memberships before and after the convergence [U]):
 * - the bucket moved from a host that is still in the cluster, or
 * - a host (re)joined: it may hold connections in any bucket.
 * When the old owner left, its connections are gone with it: the new owner passes their segments
 * up and its TCP/IP resets them, so the clients reconnect.
 *
 * Descriptors end with a reset in either direction; those of connections closed with FIN stay
 * until NLB stops (Windows ages them out; not modelled).
 */
import { IPPROTO_TCP, TCP_ACK, TCP_RST, TCP_SYN, type TcpSegment } from '../../core/packets.ts';
import { decideHandler, type InboundFlow, type PortRule } from './port-rules.ts';

function key(clientIp: number, clientPort: number, clusterPort: number): string {
  return `${clientIp >>> 0}:${clientPort}>${clusterPort}`;
}

export class TcpDescriptors {
  private readonly held = new Set<string>();
  private previous: readonly number[] = [];
  private current: readonly number[] = [];

  /** How many connections this host holds. */
  get size(): number {
    return this.held.size;
  }

  /** A convergence completed with `members` (sorted host IDs). */
  converged(members: readonly number[]): void {
    this.previous = this.current;
    this.current = [...members];
  }

  clear(): void {
    this.held.clear();
    this.previous = [];
    this.current = [];
  }

  /** Whether this host passes an inbound segment from `srcIp` up to TCP/IP. */
  allows(self: number, rules: readonly PortRule[], members: readonly number[], srcIp: number, seg: TcpSegment): boolean {
    const k = key(srcIp, seg.srcPort, seg.dstPort);
    if (this.held.has(k)) {
      if (seg.flags & TCP_RST) this.held.delete(k);
      return true;
    }
    const flow: InboundFlow = { protocol: IPPROTO_TCP, srcIp, srcPort: seg.srcPort, dstPort: seg.dstPort };
    const owner = decideHandler(rules, members, flow, false);
    if (owner.kind !== 'host' || owner.hostId !== self) return false;
    if ((seg.flags & (TCP_SYN | TCP_ACK)) === TCP_SYN) {
      this.held.add(k);
      return true;
    }
    return !this.mayBeElsewhere(self, rules, flow);
  }

  /** This host's TCP/IP sent a segment from the cluster IP: a reset ends the descriptor. */
  sent(clientIp: number, seg: TcpSegment): void {
    if (seg.flags & TCP_RST) this.held.delete(key(clientIp, seg.dstPort, seg.srcPort));
  }

  private mayBeElsewhere(self: number, rules: readonly PortRule[], flow: InboundFlow): boolean {
    if (this.current.some((h) => h !== self && !this.previous.includes(h))) return true;
    if (this.previous.length === 0) return false;
    const before = decideHandler(rules, this.previous, flow, false);
    return before.kind === 'host' && before.hostId !== self && this.current.includes(before.hostId);
  }
}
