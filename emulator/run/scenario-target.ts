/**
 * The scenario engine's view of a running lab: each ScenarioTarget action goes to the mechanism
 * the device kind already has (a cable's state, a host's power, the Hyper-V live migration and
 * cluster drain, a kind's run-time settings, its console), flows use the IPv4 stacks' own ping
 * and UDP, and readings come from port counters and the kinds' named states. Nothing here decides
 * an outcome; it only presses the buttons and reads the meters.
 */
import type { CliSession } from '../cli/session.ts';
import { formatIpv4, parseIpv4 } from '../core/ipv4.ts';
import type { NetworkNode } from '../core/node.ts';
import type { Port } from '../core/port.ts';
import type { EventHandler } from '../core/scheduler.ts';
import { SECOND } from '../core/time.ts';
import { drainNode, resumeNode } from '../devices/hyperv-cluster/cluster.ts';
import { findVm, liveMigrate } from '../devices/hyperv-host/host.ts';
import type { SettingValue } from '../devices/kind.ts';
import { EthernetSwitch } from '../l2/switch.ts';
import { IpHost } from '../l3/ip-host.ts';
import type { PingFlow } from '../l3/ping.ts';
import type { CaptureInfo, FlowHandle, FlowSpec, LinkRef, Probe, ProbeLog, ScenarioTarget, VmMove } from '../scenario/target.ts';
import type { LabNetworkRun } from './lab-run.ts';
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

  constructor(private readonly run: LabNetworkRun) {
    this.udp = new UdpStreams(run);
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
      case 'multicast':
        throw new Error(`${flow.from} (${this.run.kindOf(flow.from).kind}): multicast streams are not modelled on this kind yet`);
      case 'sessions':
        throw new Error(`sessions to ${flow.to}: no device kind in this build runs a ${flow.protocol.toUpperCase()} service that answers requests`);
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
// One-way UDP streams

interface Stream {
  from: IpHost;
  dst: number;
  path: string;
  srcPort: number;
  dstPort: number;
  size: number;
  everyNs: SimTime;
  count: number | null;
  probes: { sentAt: SimTime; rtt: SimTime | null }[];
}

/** What a stream's datagram carries, so the receiver can tell which probe arrived. */
interface StreamMark {
  stream: number;
  seq: number;
}

function isMark(v: unknown): v is StreamMark {
  return typeof v === 'object' && v !== null && typeof (v as StreamMark).stream === 'number' && typeof (v as StreamMark).seq === 'number';
}

/** UDP source ports of scenario streams, from the top of the dynamic range down, one per stream. */
const STREAM_SOURCE_PORT = 65000;

/**
 * Sends each stream's datagrams on the network's own clock and records their arrival at every
 * host that holds the destination address (all NLB nodes hold the VIP; the one whose port rules
 * take the datagram is the one that delivers it to the socket).
 */
class UdpStreams implements EventHandler {
  private readonly streams: Stream[] = [];
  private readonly handlerId: number;
  private readonly listening = new Set<string>();

  constructor(private readonly run: LabNetworkRun) {
    this.handlerId = run.net.sched.register(this);
  }

  start(from: IpHost, dst: number, path: string, dstPort: number, size: number, everyNs: SimTime, count: number | null): FlowHandle {
    const id = this.streams.length;
    const s: Stream = { from, dst, path, srcPort: STREAM_SOURCE_PORT - id, dstPort, size, everyNs, count, probes: [] };
    this.streams.push(s);
    this.listen(dst, dstPort);
    this.run.net.sched.schedule(0, this.handlerId, id, null);
    return { logs: (): readonly ProbeLog[] => [{ path: s.path, probes: s.probes }] };
  }

  private listen(dst: number, port: number): void {
    const receivers = this.run.net.nodes.filter((n): n is IpHost => n instanceof IpHost && n.interfaces.some((i) => i.addrs.some((a) => a.ip === dst)));
    if (receivers.length === 0) throw new Error(`no device in this lab holds ${formatIpv4(dst)}`);
    for (const r of receivers) {
      const key = `${r.name}/${port}`;
      if (this.listening.has(key)) continue;
      this.listening.add(key);
      r.bindUdp(port, (d) => {
        if (!isMark(d.data)) return;
        const p = this.streams[d.data.stream]?.probes[d.data.seq];
        if (p !== undefined && p.rtt === null) p.rtt = this.run.net.now - p.sentAt;
      });
    }
  }

  onEvent(code: number): void {
    const s = this.streams[code];
    if (s === undefined) return;
    const seq = s.probes.length;
    s.probes.push({ sentAt: this.run.net.now, rtt: null });
    const mark: StreamMark = { stream: code, seq };
    s.from.sendUdp(s.dst, s.srcPort, s.dstPort, s.size, mark);
    if (s.count === null || s.probes.length < s.count) this.run.net.sched.schedule(s.everyNs, this.handlerId, code, null);
  }
}
