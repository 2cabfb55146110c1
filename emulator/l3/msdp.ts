/**
 * MSDP (RFC 3618) between RPs: one TCP connection per peer on port 639, the peer with the higher
 * address listening and the lower one connecting (ConnectRetry 30 s); KeepAlive 60 s, HoldTime
 * 75 s; Source-Active messages for the sources registered with this RP, at once when one appears
 * and every SA-Advertisement-Period (60 s); an SA cache of what peers advertise, accepted by the
 * peer-RPF rules in DOMAIN.md §5.3 and flooded on to the other peers.
 *
 * The connection is the emulator's TCP (handshake, retransmission, reset), which carries byte
 * counts, not bytes. The messages ride beside it: each sender queues its message records on a
 * per-direction stream and sends the encoded length as TCP data; the receiver takes records off
 * the stream as the bytes arrive, in order. So a message is delivered exactly when, and only if,
 * TCP delivers its bytes.
 */
import { formatIpv4 } from '../core/ipv4.ts';
import type { Network } from '../core/network.ts';
import { SECOND } from '../core/time.ts';
import { MSDP_KEEPALIVE, MSDP_SOURCE_ACTIVE, MSDP_TCP_PORT, msdpLength, type MsdpMessage, type MsdpSaEntry } from '../wire/msdp.ts';
import type { TcpConnection, TcpStack } from './tcp.ts';

export const MSDP_KEEPALIVE_NS = 60 * SECOND;
export const MSDP_HOLD_NS = 75 * SECOND;
export const MSDP_CONNECT_RETRY_NS = 30 * SECOND;
export const MSDP_SA_PERIOD_NS = 60 * SECOND;
/** SA cache entry lifetime without a refresh: FRR's 210 s (RFC 3618 leaves it open; DOMAIN.md §5.3). */
export const MSDP_SA_HOLD_NS = 210 * SECOND;

export type MsdpPeerState = 'disabled' | 'inactive' | 'listen' | 'connecting' | 'established';

export interface MsdpPeer {
  readonly address: number;
  /** Interface whose address the session is sourced from (`connect-source`); null: the outgoing interface's. */
  connectSource: string | null;
  state: MsdpPeerState;
  conn: TcpConnection | null;
  resets: number;
  establishedCount: number;
  /** When the state last changed to or from established. */
  since: number;
  sent: number;
  received: number;
  lastReceived: number;
  lastSent: number;
  nextConnect: number;
  nextSa: number;
  /** Bytes received on the current connection not yet taken as whole messages. */
  pendingBytes: number;
  /** SAs refused by the peer-RPF check. */
  rpfFailures: number;
}

export interface SaCacheEntry {
  readonly source: number;
  readonly group: number;
  rp: number;
  peer: number;
  readonly since: number;
  expires: number;
}

export interface MsdpServices {
  readonly net: Network;
  readonly name: string;
  tcp(): TcpStack;
  now(): number;
  isLocal(ip: number): boolean;
  /** The address of a named interface (a loopback), or 0. */
  addressOf(ifName: string): number;
  /** The address a connection to `peer` would come from without a connect-source. */
  sourceAddressFor(peer: number): number;
  /** The next hop of the unicast route toward `ip`; 0 when directly connected or unrouted. */
  nextHopToward(ip: number): number;
  /** The RP address this router's SAs name: the originator-id's, else the PIM RP's. */
  originatorAddress(): number;
  /** Sources registered with this RP and still active. */
  localSources(): { source: number; group: number }[];
  /** A peer's SA passed the peer-RPF check: PIM joins toward the source if it has receivers. */
  sourceLearned(source: number, group: number): void;
}

/** Records in flight on each direction of each connection, keyed by "src:port>dst:port". */
const streams = new WeakMap<Network, Map<string, MsdpMessage[]>>();

function streamKey(fromIp: number, fromPort: number, toIp: number, toPort: number): string {
  return `${fromIp >>> 0}:${fromPort}>${toIp >>> 0}:${toPort}`;
}

function streamsOf(net: Network): Map<string, MsdpMessage[]> {
  let m = streams.get(net);
  if (m === undefined) {
    m = new Map();
    streams.set(net, m);
  }
  return m;
}

export class MsdpSpeaker {
  readonly peers = new Map<number, MsdpPeer>();
  readonly saCache = new Map<string, SaCacheEntry>();
  private listening = false;
  private running = false;
  private localPort = 0;

  constructor(private readonly svc: MsdpServices) {}

  // ---- configuration ----------------------------------------------------------------------

  /** Make the peer list match the configuration: `ip msdp peer A [connect-source IF]`. */
  configure(peers: readonly { address: number; connectSource: string | null }[]): void {
    const wanted = new Set(peers.map((p) => p.address));
    for (const p of [...this.peers.values()]) {
      if (wanted.has(p.address)) continue;
      this.drop(p, false);
      this.peers.delete(p.address);
    }
    for (const c of peers) {
      const p = this.peers.get(c.address);
      if (p !== undefined) {
        p.connectSource = c.connectSource;
        continue;
      }
      this.peers.set(c.address, {
        address: c.address,
        connectSource: c.connectSource,
        state: 'inactive',
        conn: null,
        resets: 0,
        establishedCount: 0,
        since: this.svc.now(),
        sent: 0,
        received: 0,
        lastReceived: 0,
        lastSent: 0,
        nextConnect: this.svc.now(),
        nextSa: 0,
        pendingBytes: 0,
        rpfFailures: 0,
      });
    }
    if (this.peers.size > 0 && !this.listening) {
      this.listening = true;
      this.svc.tcp().listen(MSDP_TCP_PORT, (c) => this.accept(c));
    } else if (this.peers.size === 0 && this.listening) {
      this.listening = false;
      this.svc.tcp().unlisten(MSDP_TCP_PORT);
    }
  }

  start(): void {
    this.running = true;
  }

  stop(): void {
    this.running = false;
    for (const p of this.peers.values()) {
      p.conn = null;
      p.state = 'inactive';
    }
    this.saCache.clear();
  }

  localAddressFor(p: MsdpPeer): number {
    if (p.connectSource !== null) return this.svc.addressOf(p.connectSource);
    return this.svc.sourceAddressFor(p.address);
  }

  sasFrom(peer: number): number {
    let n = 0;
    for (const e of this.saCache.values()) if (e.peer === peer) n++;
    return n;
  }

  /** Cached sources of a group, for PIM. */
  remoteSources(group: number): number[] {
    const out: number[] = [];
    for (const e of this.saCache.values()) if (e.group === group) out.push(e.source);
    return out;
  }

  // ---- session ----------------------------------------------------------------------------

  private accept(c: TcpConnection): void {
    const p = this.peers.get(c.remoteIp);
    // Only a configured peer, reaching the address we source our side from, gets a session.
    if (p === undefined || p.state === 'established' || c.localIp !== this.localAddressFor(p) || !this.running) {
      c.events = { onOpen: (x) => x.abort() };
      return;
    }
    this.attach(p, c);
  }

  private attach(p: MsdpPeer, c: TcpConnection): void {
    p.conn = c;
    p.pendingBytes = 0;
    c.events = {
      onOpen: () => this.established(p),
      onData: (_c, bytes) => this.bytesIn(p, c, bytes),
      onPeerClose: () => this.drop(p, true),
      onClosed: () => {
        if (p.conn === c) this.down(p);
      },
    };
  }

  private established(p: MsdpPeer): void {
    if (p.state === 'established' || p.conn === null) return;
    p.state = 'established';
    p.establishedCount++;
    p.since = this.svc.now();
    p.lastReceived = this.svc.now();
    this.svc.net.emit('msdp.up', `${this.svc.name}: %MSDP-5-PEER_UPDOWN: Session to peer ${formatIpv4(p.address)} going up`, this.svc.name);
    this.send(p, { type: MSDP_KEEPALIVE });
    this.advertise(p);
  }

  private down(p: MsdpPeer): void {
    const was = p.state === 'established';
    p.conn = null;
    p.pendingBytes = 0;
    p.state = 'inactive';
    p.nextConnect = this.svc.now() + MSDP_CONNECT_RETRY_NS;
    if (was) {
      p.resets++;
      p.since = this.svc.now();
      this.svc.net.emit('msdp.down', `${this.svc.name}: %MSDP-5-PEER_UPDOWN: Session to peer ${formatIpv4(p.address)} going down`, this.svc.name);
    }
  }

  /** Close the session (`graceful`: FIN, else RST) and wait to retry. */
  private drop(p: MsdpPeer, graceful: boolean): void {
    const c = p.conn;
    if (c === null) return;
    this.down(p);
    if (graceful) c.close();
    else c.abort();
  }

  private connect(p: MsdpPeer): void {
    const local = this.localAddressFor(p);
    p.nextConnect = this.svc.now() + MSDP_CONNECT_RETRY_NS;
    if (local === 0) return;
    // RFC 3618 §5: the lower address connects, the higher one listens.
    if (local >>> 0 > p.address >>> 0) {
      p.state = 'listen';
      return;
    }
    p.state = 'connecting';
    this.localPort = this.localPort >= 65000 ? 49152 : Math.max(49152, this.localPort + 1);
    const c = this.svc.tcp().connect(p.address, MSDP_TCP_PORT, this.localPort, {}, local);
    this.attach(p, c);
  }

  private send(p: MsdpPeer, m: MsdpMessage): void {
    const c = p.conn;
    if (c === null || p.state !== 'established') return;
    const key = streamKey(c.localIp, c.localPort, c.remoteIp, c.remotePort);
    const all = streamsOf(this.svc.net);
    const q = all.get(key);
    if (q === undefined) all.set(key, [m]);
    else q.push(m);
    p.sent++;
    p.lastSent = this.svc.now();
    c.send(msdpLength(m));
  }

  private bytesIn(p: MsdpPeer, c: TcpConnection, bytes: number): void {
    if (p.conn !== c) return;
    p.pendingBytes += bytes;
    p.lastReceived = this.svc.now();
    const q = streamsOf(this.svc.net).get(streamKey(c.remoteIp, c.remotePort, c.localIp, c.localPort));
    while (q !== undefined && q.length > 0 && p.pendingBytes >= msdpLength(q[0]!)) {
      const m = q.shift()!;
      p.pendingBytes -= msdpLength(m);
      p.received++;
      if (m.type === MSDP_SOURCE_ACTIVE) this.receiveSa(p, m.rp, m.entries);
    }
  }

  // ---- Source-Active ----------------------------------------------------------------------

  /** A new source registered here: tell every peer now rather than at the next period. */
  localSourceActive(source: number, group: number): void {
    const rp = this.svc.originatorAddress();
    if (rp === 0) return;
    for (const p of this.peers.values()) this.send(p, { type: MSDP_SOURCE_ACTIVE, rp, entries: [{ source, group }] });
  }

  private advertise(p: MsdpPeer): void {
    p.nextSa = this.svc.now() + MSDP_SA_PERIOD_NS;
    const rp = this.svc.originatorAddress();
    const entries = this.svc.localSources();
    if (rp !== 0 && entries.length > 0) this.send(p, { type: MSDP_SOURCE_ACTIVE, rp, entries });
  }

  /** Peer-RPF (DOMAIN.md §5.3 rules 1, 2, 5, 7): from the originating RP, the next hop toward it, or the only peer. */
  private peerRpfAccepts(p: MsdpPeer, rp: number): boolean {
    if (rp === p.address) return true;
    if (this.svc.nextHopToward(rp) === p.address) return true;
    return this.peers.size === 1;
  }

  private receiveSa(p: MsdpPeer, rp: number, entries: readonly MsdpSaEntry[]): void {
    // Our own SAs coming back (an anycast RP address as the originator) are never taken in.
    if (this.svc.isLocal(rp) || !this.peerRpfAccepts(p, rp)) {
      p.rpfFailures++;
      return;
    }
    const now = this.svc.now();
    for (const e of entries) {
      const key = `${e.source >>> 0}/${e.group >>> 0}`;
      const cached = this.saCache.get(key);
      if (cached === undefined) this.saCache.set(key, { source: e.source, group: e.group, rp, peer: p.address, since: now, expires: now + MSDP_SA_HOLD_NS });
      else {
        cached.rp = rp;
        cached.peer = p.address;
        cached.expires = now + MSDP_SA_HOLD_NS;
      }
      this.svc.sourceLearned(e.source, e.group);
    }
    for (const other of this.peers.values()) if (other !== p) this.send(other, { type: MSDP_SOURCE_ACTIVE, rp, entries: [...entries] });
  }

  // ---- timers -----------------------------------------------------------------------------

  tick(): void {
    if (!this.running) return;
    const now = this.svc.now();
    for (const p of this.peers.values()) {
      if (p.state === 'established') {
        if (now - p.lastReceived >= MSDP_HOLD_NS) {
          this.drop(p, false);
          continue;
        }
        if (p.nextSa <= now) this.advertise(p);
        if (now - p.lastSent >= MSDP_KEEPALIVE_NS) this.send(p, { type: MSDP_KEEPALIVE });
      } else if (p.state !== 'connecting' && p.nextConnect <= now) this.connect(p);
    }
    for (const [k, e] of [...this.saCache]) if (e.expires <= now) this.saCache.delete(k);
  }
}
