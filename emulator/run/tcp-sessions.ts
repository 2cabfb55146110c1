/**
 * TCP client sessions, as an application that keeps one connection per session open and polls
 * over it: session n connects from source port sourcePort + n, and each interval it sends a
 * request that the server's echo service returns. Every interval is a probe:
 * - on an open connection, the request, answered when its bytes have all come back;
 * - with no connection (at the start, or after one broke), the connection attempt, answered when
 *   the handshake completes; an interval that finds the attempt still under way waits on it too.
 * A connection that is reset or whose retransmissions give up is gone with its unanswered probes
 * (they stay lost), and the next interval connects again. Which server answers, and whether a
 * broken path comes back, is the network's business: NLB's filter, the switches, the stacks.
 */
import type { Network } from '../core/network.ts';
import type { EventHandler } from '../core/scheduler.ts';
import type { IpHost } from '../l3/ip-host.ts';
import type { TcpConnection } from '../l3/tcp.ts';
import type { FlowHandle, ProbeLog, SessionsFlowSpec } from '../scenario/target.ts';
import type { SimTime } from './types.ts';

/** Bytes of each request: a small query, as a client's keep-alive or poll would be. */
export const TCP_SESSION_REQUEST_SIZE = 64;

interface OpenProbe {
  sentAt: SimTime;
  rtt: SimTime | null;
}

interface Session {
  port: number;
  log: { path: string; probes: OpenProbe[] };
  conn: TcpConnection | null;
  /** Probes answered by the connection attempt under way. */
  awaitingOpen: OpenProbe[];
  /** Requests in flight, each answered once the echoed byte count reaches `until`. */
  awaitingEcho: { probe: OpenProbe; until: number }[];
  requested: number;
  echoed: number;
}

interface Flow {
  from: IpHost;
  dst: number;
  dstPort: number;
  everyNs: SimTime;
  count: number | null;
  sessions: Session[];
}

export class TcpSessions implements EventHandler {
  private readonly flows: Flow[] = [];
  /** Event code → (flow, session). */
  private readonly tickers: { flow: number; session: number }[] = [];
  private readonly handlerId: number;

  constructor(private readonly net: Network) {
    this.handlerId = net.sched.register(this);
  }

  start(host: IpHost, dst: number, spec: SessionsFlowSpec): FlowHandle {
    const id = this.flows.length;
    const flow: Flow = { from: host, dst, dstPort: spec.port, everyNs: spec.everyNs, count: spec.count, sessions: [] };
    this.flows.push(flow);
    // Spread evenly over the interval, as UDP sessions are.
    const spacing = Math.floor(spec.everyNs / spec.sessions);
    for (let n = 0; n < spec.sessions; n++) {
      const port = spec.sourcePort + n;
      flow.sessions.push({ port, log: { path: `sport ${port}`, probes: [] }, conn: null, awaitingOpen: [], awaitingEcho: [], requested: 0, echoed: 0 });
      const code = this.tickers.length;
      this.tickers.push({ flow: id, session: n });
      this.net.sched.schedule(n * spacing, this.handlerId, code, null);
    }
    return { logs: (): readonly ProbeLog[] => flow.sessions.map((s) => s.log) };
  }

  onEvent(code: number): void {
    const t = this.tickers[code];
    const flow = t === undefined ? undefined : this.flows[t.flow];
    if (t === undefined || flow === undefined) return;
    const s = flow.sessions[t.session];
    const now = this.net.now;
    const probe: OpenProbe = { sentAt: now, rtt: null };
    s.log.probes.push(probe);
    const c = s.conn;
    if (c === null) this.connect(flow, s, probe);
    else if (c.state === 'syn-sent') s.awaitingOpen.push(probe);
    else if (c.state === 'established') {
      s.requested += TCP_SESSION_REQUEST_SIZE;
      s.awaitingEcho.push({ probe, until: s.requested });
      c.send(TCP_SESSION_REQUEST_SIZE);
    }
    // Any other state is a connection on its way out: the probe is lost, the next one reconnects.
    if (flow.count === null || s.log.probes.length < flow.count) this.net.sched.schedule(flow.everyNs, this.handlerId, code, null);
  }

  private connect(flow: Flow, s: Session, probe: OpenProbe): void {
    s.awaitingOpen = [probe];
    s.awaitingEcho = [];
    s.requested = 0;
    s.echoed = 0;
    s.conn = flow.from.tcp.connect(flow.dst, flow.dstPort, s.port, {
      onOpen: () => {
        const now = this.net.now;
        for (const p of s.awaitingOpen) p.rtt = now - p.sentAt;
        s.awaitingOpen = [];
      },
      onData: (_c, bytes) => {
        s.echoed += bytes;
        const now = this.net.now;
        while (s.awaitingEcho.length > 0 && s.echoed >= s.awaitingEcho[0].until) {
          const w = s.awaitingEcho.shift();
          if (w !== undefined) w.probe.rtt = now - w.probe.sentAt;
        }
      },
      onPeerClose: (conn) => conn.close(),
      onClosed: (conn) => {
        if (s.conn !== conn) return;
        s.conn = null;
        s.awaitingOpen = [];
        s.awaitingEcho = [];
      },
    });
  }
}
