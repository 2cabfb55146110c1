/**
 * The scenario engine's view of a running lab: each ScenarioTarget action goes to the mechanism
 * the device kind already has (a cable's state, a host's power, the Hyper-V live migration and
 * cluster drain, a kind's run-time settings, its console), flows use the IPv4 stacks' own ping,
 * UDP and TCP, and readings come from port counters and the kinds' named states. Nothing here decides
 * an outcome; it only presses the buttons and reads the meters.
 */
import type { CliSession } from '../cli/session.ts';
import { formatIpv4, parseIpv4 } from '../core/ipv4.ts';
import type { NetworkNode } from '../core/node.ts';
import type { Port } from '../core/port.ts';
import type { UdpDatagram } from '../core/packets.ts';
import type { EventHandler } from '../core/scheduler.ts';
import { SECOND } from '../core/time.ts';
import { drainNode, resumeNode } from '../devices/hyperv-cluster/cluster.ts';
import { HypervHost, findVm, liveMigrate } from '../devices/hyperv-host/host.ts';
import { deployVms } from '../devices/hyperv-host/winrm-vmm.ts';
import type { SettingValue } from '../devices/kind.ts';
import { EthernetSwitch } from '../l2/switch.ts';
import { IpHost } from '../l3/ip-host.ts';
import type { PingFlow } from '../l3/ping.ts';
import type {
  CaptureInfo,
  FlowHandle,
  FlowSpec,
  LinkRef,
  MulticastFlowSpec,
  Probe,
  ProbeLog,
  ScenarioTarget,
  SessionsFlowSpec,
  VmmDeploymentRequest,
  VmMove,
} from '../scenario/target.ts';
import type { LabNetworkRun } from './lab-run.ts';
import { TcpSessions } from './tcp-sessions.ts';
import type { RunEvent, SimTime } from './types.ts';

/**
 * How long a ping waits before the stack gives a probe up. Longer than any scenario timeout, so a
 * late reply is still recorded and the scenario's own timeout (measure.ts) decides what was lost.
 */
const PING_GIVE_UP_NS = 60 * SECOND;

/** Counter names as scenarios write them, and the port counter each one reads. */
const COUNTERS = {
  'in-octets': 'inOctets',
  'in-unicast': 'inUcast',
  'in-multicast': 'inMcast',
  'in-broadcast': 'inBcast',
  'in-discards': 'inDiscards',
  'out-octets': 'outOctets',
  'out-unicast': 'outUcast',
  'out-multicast': 'outMcast',
  'out-broadcast': 'outBcast',
  'out-discards': 'outDiscards',
} as const;
type CounterField = (typeof COUNTERS)[keyof typeof COUNTERS];

/** Optional abilities device kinds offer; each is looked for by name, as the kinds define them. */
interface PowerSwitchable {
  setPower(on: boolean): void;
}
interface RuntimeSettable {
  applySetting(key: string, value: SettingValue): boolean;
}
interface StateReporting {
  deviceState(state: string): boolean | undefined;
}
interface ModuleChassis {
  pullModule(bay: number): void;
  insertModule(bay: number): void;
}

function has<K extends string>(n: object, method: K): n is Record<K, (...args: never[]) => unknown> {
  return typeof (n as Record<string, unknown>)[method] === 'function';
}

export class NetworkScenarioTarget implements ScenarioTarget {
  private readonly sessions = new Map<string, CliSession>();
  private readonly udp: UdpStreams;
  private readonly tcp: TcpSessions;

  constructor(private readonly run: LabNetworkRun) {
    this.udp = new UdpStreams(run);
    this.tcp = new TcpSessions(run.net);
  }

  now(): SimTime {
    return this.run.net.now;
  }

  advance(untilNs: SimTime): readonly RunEvent[] {
    return this.run.runNetwork(untilNs);
  }

  // --- actions ---------------------------------------------------------------------------

  setLinkState(link: LinkRef, up: boolean): void {
    const port = this.run.endpointPort(link.end);
    if (port.link === null) throw new Error(`${link.end} is not cabled`);
    if (link.otherEnd !== undefined && port.peer !== this.run.endpointPort(link.otherEnd)) {
      throw new Error(`${link.end} and ${link.otherEnd} are not the two ends of one link`);
    }
    port.link.setUp(up);
  }

  setPower(device: string, on: boolean): void {
    const n = this.run.node(device);
    if (!has(n, 'setPower')) throw this.unable(device, on ? 'be powered on' : 'be powered off');
    (n as unknown as PowerSwitchable).setPower(on);
  }

  setModule(device: string, bay: string, inserted: boolean): void {
    const n = this.run.node(device);
    if (!has(n, 'pullModule') || !has(n, 'insertModule')) throw this.unable(device, 'have modules pulled or inserted');
    const b = Number(bay);
    if (!Number.isInteger(b)) throw new Error(`${device}: bay "${bay}" is not a bay number`);
    const chassis = n as unknown as ModuleChassis;
    if (inserted) chassis.insertModule(b);
    else chassis.pullModule(b);
  }

  liveMigrate(moves: readonly VmMove[]): void {
    for (const m of moves) {
      if (findVm(this.run.net, m.vm) === null) throw this.unable(m.vm, 'live-migrate: it is not a virtual machine on a Hyper-V host');
    }
    const errors = liveMigrate(
      this.run.net,
      moves.map((m) => m.vm),
      moves.map((m) => m.to),
    );
    if (errors.length > 0) throw new Error(errors.join('; '));
  }

  vmmDeploy(d: VmmDeploymentRequest): void {
    this.run.node(d.from);
    if (!(this.run.node(d.to) instanceof HypervHost)) throw this.unable(d.to, 'take VMM deployments: it is not a Hyper-V host');
    const errors = deployVms(this.run.net, d);
    if (errors.length > 0) throw new Error(errors.join('; '));
  }

  setNodeDrained(node: string, drained: boolean): void {
    this.run.node(node);
    const errors = drained ? drainNode(this.run.net, node) : resumeNode(this.run.net, node);
    if (errors.length > 0) throw new Error(errors.join('; '));
  }

  setSetting(device: string, setting: string, value: string | number | boolean): void {
    const n = this.run.node(device);
    const info = this.run.kindOf(device);
    if (!(setting in info.settings)) {
      throw new Error(`${device} (${info.kind}) has no setting "${setting}"; it has: ${Object.keys(info.settings).join(', ') || 'none'}`);
    }
    if (!has(n, 'applySetting')) throw this.unable(device, 'change settings while the lab runs');
    if (!(n as unknown as RuntimeSettable).applySetting(setting, value)) {
      throw new Error(`${device} (${info.kind}): "${setting}" takes effect only when the lab is built, not while it runs`);
    }
  }

  cli(device: string, line: string): string {
    let s = this.sessions.get(device);
    if (s === undefined) {
      const opened = this.run.openScenarioConsole(device);
      if (opened === null) throw this.unable(device, 'take commands: its kind has no console');
      s = opened;
      this.sessions.set(device, s);
    }
    let out = s.input(line);
    // The engine cannot press space: run any pager through to the end.
    for (let pages = 0; s.paging?.() === true && pages < 100_000; pages++) out += s.input(' ');
    return out;
  }

  startCapture(target: string): string {
    return this.run.startCapture(target);
  }

  stopCapture(id: string): void {
    this.run.stopCapture(id);
  }

  listCaptures(): readonly CaptureInfo[] {
    return this.run.listCaptures();
  }

  // --- traffic -----------------------------------------------------------------------------

  startFlow(flow: FlowSpec): FlowHandle {
    const from = this.ipHost(flow.from);
    switch (flow.kind) {
      case 'ping': {
        const dst = this.address(flow.to);
        const ping = from.ping(dst, { intervalNs: flow.everyNs, count: flow.count ?? 0, size: flow.size, timeoutNs: PING_GIVE_UP_NS });
        const path = flow.to;
        return { logs: () => [{ path, probes: pingProbes(ping) }] };
      }
      case 'udp':
        return this.udp.start(from, this.address(flow.to), flow.to, flow.port, flow.size, flow.everyNs, flow.count);
      case 'multicast': {
        const receivers = flow.receivers === null ? null : flow.receivers.map((r) => this.ipHost(r));
        return this.udp.startMulticast(from, parseIpv4(flow.group), flow, receivers);
      }
      case 'sessions':
        if (flow.protocol === 'tcp') return this.tcp.start(from, this.address(flow.to), flow);
        return this.udp.startSessions(from, this.address(flow.to), flow);
    }
  }

  // --- observations ------------------------------------------------------------------------

  counter(device: string, port: string, name: string): number {
    const field = counterField(name);
    const ports = this.countedPorts(device, port);
    let sum = 0;
    for (const p of ports) sum += p[field];
    return sum;
  }

  deviceState(device: string, state: string): boolean {
    const n = this.run.node(device);
    const kind = this.run.kindOf(device).kind;
    if (!has(n, 'deviceState')) throw new Error(`${device} (${kind}) reports no named states`);
    const v = (n as unknown as StateReporting).deviceState(state);
    if (v === undefined) throw new Error(`${device} (${kind}) has no state "${state}"`);
    return v;
  }

  // --- helpers -----------------------------------------------------------------------------

  private unable(device: string, what: string): Error {
    return new Error(`${device} (${this.run.kindOf(device).kind}) cannot ${what}`);
  }

  private ipHost(device: string): IpHost {
    const n = this.run.node(device);
    if (!(n instanceof IpHost)) throw this.unable(device, 'send traffic: its kind has no IP stack');
    return n;
  }

  /** An IPv4 address as written, or a device name meaning that device's first address. */
  private address(to: string): number {
    if (/^\d{1,3}(\.\d{1,3}){3}$/.test(to)) return parseIpv4(to);
    const n = this.run.node(to);
    if (n instanceof IpHost) {
      for (const i of n.interfaces) for (const a of i.addrs) return a.ip;
    }
    throw new Error(`${to} (${this.run.kindOf(to).kind}) has no IPv4 address to send to`);
  }

  /**
   * The physical ports behind a counter: the port itself, or the members of a port-channel
   * (`ch1`, `Po1`, `Port-channel1`) or of a host's team, whose counters add up as the switch's
   * own `show interfaces counters port-channel` does.
   */
  private countedPorts(device: string, name: string): Port[] {
    const n = this.run.node(device);
    const direct = this.run.devicePort(device, name);
    if (direct !== null) return [direct];
    const ch = /^(?:ch|po|port-channel)\s*(\d+)$/i.exec(name.trim());
    if (ch !== null && n instanceof EthernetSwitch) {
      const view = n.portChannels().find((c) => c.id === Number(ch[1]));
      if (view !== undefined) return view.members.map((m) => n.portByName(m.port)).filter((p): p is Port => p !== undefined);
    }
    const team = teamPorts(n, name);
    if (team !== null) return team;
    throw new Error(`${device} (${this.run.kindOf(device).kind}) has no port or port-channel "${name}"`);
  }
}

function counterField(name: string): CounterField {
  const key = name.trim().toLowerCase().replace(/ucast$/, 'unicast').replace(/mcast$/, 'multicast').replace(/bcast$/, 'broadcast');
  const f = (COUNTERS as Record<string, CounterField>)[key];
  if (f === undefined) throw new Error(`no counter "${name}"; counters are ${Object.keys(COUNTERS).join(', ')}`);
  return f;
}

/** An LBFO team (`Team1`) on a Hyper-V host: its member NICs. */
function teamPorts(n: NetworkNode, name: string): Port[] | null {
  const team = (n as { team?: unknown }).team;
  if (team === null || typeof team !== 'object') return null;
  const t = team as { name?: unknown; members?: unknown };
  if (typeof t.name !== 'string' || t.name.toLowerCase() !== name.trim().toLowerCase()) return null;
  const nics = (n as { nics?: unknown }).nics;
  return Array.isArray(nics) ? nics.filter((p): p is Port => typeof p === 'object' && p !== null && 'outUcast' in p) : null;
}

function pingProbes(flow: PingFlow): Probe[] {
  return flow.probes.map((p) => ({ sentAt: p.sentNs, rtt: p.result === 'reply' && p.answeredNs !== null ? p.answeredNs - p.sentNs : null }));
}

// ---------------------------------------------------------------------------------------------
// UDP traffic: one-way streams, multicast streams, request/response sessions

/** A probe that is filled in by whoever hears it. */
interface OpenProbe {
  sentAt: SimTime;
  rtt: SimTime | null;
}

/** One measured path: its log, and the sequence number of its first probe. */
interface PathLog {
  log: { path: string; probes: OpenProbe[] };
  firstSeq: number;
}

interface UnicastStream {
  kind: 'udp';
  from: IpHost;
  dst: number;
  srcPort: number;
  dstPort: number;
  size: number;
  everyNs: SimTime;
  count: number | null;
  path: PathLog;
}

interface MulticastStream {
  kind: 'multicast';
  from: IpHost;
  group: number;
  srcPort: number;
  dstPort: number;
  size: number;
  ttl: number;
  everyNs: SimTime;
  count: number | null;
  sent: number;
  /** Hosts that may become paths when they join (receivers: every joining device). */
  candidates: readonly IpHost[];
  /** Receiver name → its path, in the order paths appeared. */
  paths: Map<string, PathLog>;
}

interface SessionStream {
  kind: 'sessions';
  from: IpHost;
  dst: number;
  dstPort: number;
  sourcePort: number;
  everyNs: SimTime;
  count: number | null;
  paths: PathLog[];
}

type Stream = UnicastStream | MulticastStream | SessionStream;

/** What a datagram carries, so whoever hears it can tell which probe arrived. */
interface StreamMark {
  stream: number;
  seq: number;
  /** The session, for session requests and their echoes. */
  session?: number;
}

function isMark(v: unknown): v is StreamMark {
  return typeof v === 'object' && v !== null && typeof (v as StreamMark).stream === 'number' && typeof (v as StreamMark).seq === 'number';
}

/** UDP source ports of scenario streams, from the top of the dynamic range down, one per stream. */
const STREAM_SOURCE_PORT = 65000;
/** Bytes of each session request: a small query, as a client's keep-alive or poll would be. */
const SESSION_REQUEST_SIZE = 64;

function openPath(path: string, firstSeq: number): PathLog {
  return { log: { path, probes: [] }, firstSeq };
}

function arrived(p: PathLog | undefined, seq: number, now: SimTime): void {
  if (p === undefined) return;
  const probe = p.log.probes[seq - p.firstSeq];
  if (probe !== undefined && probe.rtt === null) probe.rtt = now - probe.sentAt;
}

/**
 * Sends every UDP flow's datagrams on the network's own clock and records what arrives where.
 * - A stream to an address is heard at every host that holds it (all NLB nodes hold the VIP;
 *   the one whose port rules take the datagram is the one that delivers it to the socket).
 * - A multicast stream is heard by hosts whose stack delivers the group: each member is a path
 *   from the first datagram sent after it joined, and stays one after it leaves, so its losses
 *   show. Which members the frames reach is the switches' business (flooding or snooping).
 * - Sessions: session n sends from source port sourcePort + n, its requests spaced evenly over
 *   the interval, and a probe is answered when the echo comes back to that port.
 */
class UdpStreams implements EventHandler {
  private readonly streams: Stream[] = [];
  /** Event code → (stream, session); plain streams use session 0. */
  private readonly tickers: { stream: number; session: number }[] = [];
  private readonly handlerId: number;
  private readonly listening = new Set<string>();
  private readonly hear: (host: IpHost) => (d: UdpDatagram) => void;

  constructor(private readonly run: LabNetworkRun) {
    this.handlerId = run.net.sched.register(this);
    const perHost = new Map<IpHost, (d: UdpDatagram) => void>();
    this.hear = (host) => {
      let h = perHost.get(host);
      if (h === undefined) {
        h = (d) => this.arrival(host, d);
        perHost.set(host, h);
      }
      return h;
    };
  }

  start(from: IpHost, dst: number, path: string, dstPort: number, size: number, everyNs: SimTime, count: number | null): FlowHandle {
    const receivers = this.run.net.nodes.filter((n): n is IpHost => n instanceof IpHost && n.interfaces.some((i) => i.addrs.some((a) => a.ip === dst)));
    if (receivers.length === 0) throw new Error(`no device in this lab holds ${formatIpv4(dst)}`);
    const id = this.streams.length;
    const s: UnicastStream = { kind: 'udp', from, dst, srcPort: STREAM_SOURCE_PORT - id, dstPort, size, everyNs, count, path: openPath(path, 0) };
    this.streams.push(s);
    for (const r of receivers) this.listen(r, dstPort);
    this.tick(id, 0, 0);
    return { logs: (): readonly ProbeLog[] => [s.path.log] };
  }

  startMulticast(from: IpHost, group: number, spec: MulticastFlowSpec, receivers: readonly IpHost[] | null): FlowHandle {
    const id = this.streams.length;
    const candidates = receivers ?? this.run.net.nodes.filter((n): n is IpHost => n instanceof IpHost && n !== from);
    const s: MulticastStream = {
      kind: 'multicast',
      from,
      group,
      srcPort: STREAM_SOURCE_PORT - id,
      dstPort: spec.port,
      size: spec.size,
      ttl: spec.ttl,
      everyNs: spec.everyNs,
      count: spec.count,
      sent: 0,
      candidates: receivers === null ? candidates : [],
      paths: new Map(),
    };
    // Named receivers are measured from the first datagram, joined or not.
    for (const r of receivers ?? []) s.paths.set(r.name, openPath(r.name, 0));
    this.streams.push(s);
    for (const c of candidates) this.listen(c, spec.port);
    this.tick(id, 0, 0);
    return { logs: (): readonly ProbeLog[] => [...s.paths.values()].map((p) => p.log) };
  }

  startSessions(from: IpHost, dst: number, spec: SessionsFlowSpec): FlowHandle {
    const id = this.streams.length;
    const s: SessionStream = {
      kind: 'sessions',
      from,
      dst,
      dstPort: spec.port,
      sourcePort: spec.sourcePort,
      everyNs: spec.everyNs,
      count: spec.count,
      paths: [],
    };
    this.streams.push(s);
    const spacing = Math.floor(spec.everyNs / spec.sessions);
    for (let n = 0; n < spec.sessions; n++) {
      s.paths.push(openPath(`sport ${spec.sourcePort + n}`, 0));
      this.listen(from, spec.sourcePort + n);
      this.tick(id, n, n * spacing);
    }
    return { logs: (): readonly ProbeLog[] => s.paths.map((p) => p.log) };
  }

  private tick(stream: number, session: number, delayNs: SimTime): void {
    const code = this.tickers.length;
    this.tickers.push({ stream, session });
    this.run.net.sched.schedule(delayNs, this.handlerId, code, null);
  }

  private listen(host: IpHost, port: number): void {
    const key = `${host.name}/${port}`;
    if (this.listening.has(key)) return;
    this.listening.add(key);
    host.bindUdp(port, this.hear(host));
  }

  private arrival(host: IpHost, d: UdpDatagram): void {
    if (!isMark(d.data)) return;
    const s = this.streams[d.data.stream];
    const now = this.run.net.now;
    if (s === undefined) return;
    switch (s.kind) {
      case 'udp':
        if (d.dstPort === s.dstPort) arrived(s.path, d.data.seq, now);
        break;
      case 'multicast':
        if (d.dstPort === s.dstPort) arrived(s.paths.get(host.name), d.data.seq, now);
        break;
      case 'sessions': {
        // Only the echo back at the client answers a session; the request reaching the server does not.
        const n = d.data.session;
        if (host === s.from && n !== undefined && d.dstPort === s.sourcePort + n) arrived(s.paths[n], d.data.seq, now);
        break;
      }
    }
  }

  onEvent(code: number): void {
    const t = this.tickers[code];
    const s = t === undefined ? undefined : this.streams[t.stream];
    if (t === undefined || s === undefined) return;
    const now = this.run.net.now;
    let sent: number;
    switch (s.kind) {
      case 'udp': {
        const seq = s.path.log.probes.length;
        s.path.log.probes.push({ sentAt: now, rtt: null });
        s.from.sendUdp(s.dst, s.srcPort, s.dstPort, s.size, { stream: t.stream, seq } satisfies StreamMark);
        sent = seq + 1;
        break;
      }
      case 'multicast': {
        const seq = s.sent++;
        for (const c of s.candidates) if (!s.paths.has(c.name) && c.isGroupMember(s.group)) s.paths.set(c.name, openPath(c.name, seq));
        for (const p of s.paths.values()) p.log.probes.push({ sentAt: now, rtt: null });
        s.from.sendUdp(s.group, s.srcPort, s.dstPort, s.size, { stream: t.stream, seq } satisfies StreamMark, { ttl: s.ttl });
        sent = s.sent;
        break;
      }
      case 'sessions': {
        const p = s.paths[t.session];
        const seq = p.log.probes.length;
        p.log.probes.push({ sentAt: now, rtt: null });
        const mark: StreamMark = { stream: t.stream, seq, session: t.session };
        s.from.sendUdp(s.dst, s.sourcePort + t.session, s.dstPort, SESSION_REQUEST_SIZE, mark);
        sent = seq + 1;
        break;
      }
    }
    if (s.count === null || sent < s.count) this.run.net.sched.schedule(s.everyNs, this.handlerId, code, null);
  }
}
