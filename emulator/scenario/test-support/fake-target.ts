import type { RunEvent, SimTime } from '../../run/types.ts';
import type { CaptureInfo, FlowHandle, FlowSpec, LinkRef, Probe, ProbeLog, ScenarioTarget, VmMove, VmmDeploymentRequest } from '../target.ts';

/**
 * A stand-in network for engine tests, with one simple rule in place of forwarding: a packet from
 * A to B gets through when every link on the route the test gave for A→B is up and both ends are
 * powered. Answers come back `rttNs` after the send. Each packet that gets through counts one
 * `frames` on each link end of its route. Every call is logged with the time it came at, so
 * tests can check the engine acted when it should.
 */
export class FakeTarget implements ScenarioTarget {
  readonly calls: { t: SimTime; call: string }[] = [];
  readonly linkUp = new Map<string, boolean>();
  readonly powered = new Map<string, boolean>();
  readonly states = new Map<string, boolean>();
  readonly counters = new Map<string, number>();
  private t = 0;
  private queue: { t: SimTime; seq: number; run: () => void }[] = [];
  private seq = 0;
  private events: RunEvent[] = [];
  private captures: CaptureInfo[] = [];

  constructor(
    /** Route per "from>to": the link ends (one per link) a packet crosses. */
    private readonly routes: Record<string, string[]>,
    private readonly rttNs: SimTime = 2_000_000,
  ) {
    for (const ends of Object.values(routes)) for (const end of ends) this.linkUp.set(end, true);
  }

  now(): SimTime {
    return this.t;
  }

  advance(untilNs: SimTime): readonly RunEvent[] {
    if (untilNs < this.t) throw new Error(`advance to ${untilNs} before now ${this.t}`);
    for (;;) {
      this.queue.sort((a, b) => a.t - b.t || a.seq - b.seq);
      const next = this.queue[0];
      if (!next || next.t > untilNs) break;
      this.queue.shift();
      this.t = next.t;
      next.run();
    }
    this.t = untilNs;
    const out = this.events;
    this.events = [];
    return out;
  }

  private at(t: SimTime, run: () => void): void {
    this.queue.push({ t, seq: this.seq++, run });
  }

  private log(call: string): void {
    this.calls.push({ t: this.t, call });
  }

  private knownDevice(name: string): void {
    const all = new Set(Object.keys(this.routes).flatMap((k) => k.split('>')));
    for (const ends of Object.values(this.routes)) for (const e of ends) all.add(e.split(':')[0]);
    if (!all.has(name)) throw new Error(`no device named ${name}`);
  }

  setLinkState(link: LinkRef, up: boolean): void {
    this.log(`link ${link.end} ${up ? 'up' : 'down'}`);
    if (!this.linkUp.has(link.end)) throw new Error(`no link at ${link.end}`);
    this.linkUp.set(link.end, up);
    const [device, port] = link.end.split(':');
    this.events.push({ t: this.t, kind: up ? 'link.up' : 'link.down', device, port, text: `link ${up ? 'up' : 'down'}` });
  }

  setPower(device: string, on: boolean): void {
    this.log(`power ${device} ${on ? 'on' : 'off'}`);
    this.knownDevice(device);
    this.powered.set(device, on);
  }

  setModule(device: string, bay: string, inserted: boolean): void {
    this.log(`module ${device} ${bay} ${inserted ? 'in' : 'out'}`);
  }

  vmmDeploy(d: VmmDeploymentRequest): void {
    this.log(`vmm-deploy ${d.vms.join(',')}>${d.to}`);
    throw new Error('VMM deployment is not supported by this lab\'s devices');
  }

  liveMigrate(moves: readonly VmMove[]): void {
    this.log(`migrate ${moves.map((m) => `${m.vm}>${m.to}`).join(',')}`);
    throw new Error('live migration is not supported by this lab\'s devices');
  }

  setNodeDrained(node: string, drained: boolean): void {
    this.log(`drain ${node} ${drained}`);
  }

  setSetting(device: string, setting: string, value: string | number | boolean): void {
    this.log(`set ${device} ${setting}=${String(value)}`);
    this.states.set(`${device}/${setting}`, value === true);
  }

  cli(device: string, line: string): string {
    this.log(`cli ${device} ${line}`);
    this.knownDevice(device);
    if (line === 'show interfaces status') {
      const rows = [...this.linkUp].filter(([end]) => end.startsWith(`${device}:`)).map(([end, up]) => `${end.split(':')[1].padEnd(10)} ${up ? 'connected' : 'down'}`);
      return `Port       Status\n${rows.join('\n')}\n${device}#`;
    }
    return `${device}#`;
  }

  startCapture(target: string): string {
    this.log(`capture-start ${target}`);
    const id = `cap-${this.captures.length + 1}`;
    this.captures.push({ id, target, frames: 0 });
    return id;
  }

  stopCapture(id: string): void {
    this.log(`capture-stop ${id}`);
  }

  listCaptures(): readonly CaptureInfo[] {
    return this.captures;
  }

  counter(device: string, port: string, name: string): number {
    this.log(`counter ${device}:${port} ${name}`);
    if (name !== 'frames') throw new Error(`${device} has no counter "${name}"`);
    return this.counters.get(`${device}:${port}`) ?? 0;
  }

  deviceState(device: string, state: string): boolean {
    this.log(`state ${device} ${state}`);
    this.knownDevice(device);
    return this.states.get(`${device}/${state}`) ?? false;
  }

  private path(from: string, to: string): string[] {
    const route = this.routes[`${from}>${to}`];
    if (!route) throw new Error(`${from} has no route to ${to}`);
    return route;
  }

  private through(from: string, to: string): boolean {
    const route = this.path(from, to);
    if (this.powered.get(from) === false || this.powered.get(to) === false) return false;
    if (!route.every((end) => this.linkUp.get(end))) return false;
    for (const end of route) this.counters.set(end, (this.counters.get(end) ?? 0) + 1);
    return true;
  }

  startFlow(flow: FlowSpec): FlowHandle {
    this.log(`flow ${flow.id} ${flow.kind}`);
    this.knownDevice(flow.from);
    const to = flow.kind === 'multicast' ? flow.group : flow.to;
    this.path(flow.from, to);
    const logs: { path: string; probes: Probe[] }[] = [];
    const paths = flow.kind === 'sessions' ? Array.from({ length: flow.sessions }, (_, i) => `sport ${flow.sourcePort + i}`) : [to];
    for (const path of paths) logs.push({ path, probes: [] });
    const send = (n: number): void => {
      for (const log of logs) {
        const probe: Probe = { sentAt: this.t, rtt: null };
        log.probes.push(probe);
        if (this.through(flow.from, to)) this.at(this.t + this.rttNs, () => (probe.rtt = this.t - probe.sentAt));
      }
      if (flow.count === null || n + 1 < flow.count) this.at(this.t + flow.everyNs, () => send(n + 1));
    };
    this.at(this.t, () => send(0));
    return { logs: (): readonly ProbeLog[] => logs };
  }
}
