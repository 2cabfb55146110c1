import { CaptureRecorder } from '../capture/recorder.ts';
import type { CliSession, ConsoleCapable } from '../cli/session.ts';
import type { Frame } from '../core/frame.ts';
import type { Link } from '../core/link.ts';
import { Network, type NetEvent } from '../core/network.ts';
import type { NetworkNode } from '../core/node.ts';
import type { Port, PortTap, TapDirection } from '../core/port.ts';
import { deviceKind } from '../devices/catalog.ts';
import { deviceFactory } from '../devices/factories.ts';
import { findPort, settingsWithDefaults, type DeviceKindInfo, type Settings } from '../devices/kind.ts';
import type { Lab } from '../lab/schema.ts';
import { parseDuration, parseSpeed } from '../lab/units.ts';
import { compileScenario } from '../scenario/compile.ts';
import type { RunReport as ScenarioReport } from '../scenario/report.ts';
import { ScenarioRun } from '../scenario/runner.ts';
import { NetworkScenarioTarget } from './scenario-target.ts';
import type { ConsoleReply, ConsoleTraits, LabRun, LinkState, RunEvent, RunOptions, RunStatus, SimTime } from './types.ts';

/** A link without `delay`: about 100 m of cable. */
export const DEFAULT_LINK_DELAY_NS = 500;

interface RunDevice {
  node: NetworkNode;
  info: DeviceKindInfo;
  settings: Settings;
}

interface Capture {
  id: string;
  target: string;
  recorder: CaptureRecorder;
  ports: { port: Port; ifIndex: number }[];
  active: boolean;
}

function isConsoleCapable(n: NetworkNode): n is NetworkNode & ConsoleCapable {
  return typeof (n as Partial<ConsoleCapable>).openConsole === 'function';
}

/** Split `device:port` at the first colon (port names may contain `/` and `:` is not used in them). */
function splitEndpoint(ep: string): [string, string] {
  const i = ep.indexOf(':');
  if (i < 0) throw new Error(`not a device:port endpoint: ${ep}`);
  return [ep.slice(0, i), ep.slice(i + 1)];
}

/**
 * A lab running in this process. Beyond the `LabRun` face it offers the network and its devices
 * to in-process users (scenario engine, tests) that start traffic or inspect state.
 */
export class LabNetworkRun implements LabRun {
  readonly net: Network;
  private readonly devices = new Map<string, RunDevice>();
  private readonly endTime: SimTime | null;
  private readonly consoles = new Map<string, CliSession>();
  private readonly captures = new Map<string, Capture>();
  private readonly taps = new Map<Port, Capture[]>();
  private nextCapture = 1;
  /** The lab file's links, in its order, so views can key them by position. */
  private readonly labLinks: Link[] = [];
  /** The scenario this run carries out, when it was started with one. */
  private readonly scenario: ScenarioRun | null = null;

  constructor(lab: Lab, options: RunOptions) {
    this.net = new Network(options.seed);
    for (const d of parentsFirst(lab.devices)) {
      const info = deviceKind(d.kind);
      const factory = deviceFactory(d.kind);
      if (!info || !factory) throw new Error(`device ${d.name}: kind "${d.kind}" cannot run in this build`);
      const settings = settingsWithDefaults(info, d.settings);
      const node = factory(this.net, { name: d.name, kind: d.kind, settings, config: d.config, parent: d.parent, slot: d.slot });
      this.devices.set(d.name, { node, info, settings });
    }
    for (const l of lab.links) {
      const a = this.port(l.a);
      const b = this.port(l.b);
      const rate = l.speed !== undefined ? parseSpeed(l.speed) : Math.min(a.speedBps, b.speedBps);
      const delay = l.delay !== undefined ? parseDuration(l.delay) : DEFAULT_LINK_DELAY_NS;
      this.labLinks.push(this.net.connect(a, b, { rateBps: rate, delayNs: delay, up: l.up ?? true }));
    }
    let end: SimTime | null = options.forNs ?? null;
    let compiled: ReturnType<typeof compileScenario> | null = null;
    if (options.scenario !== undefined) {
      const sc = lab.scenarios.find((s) => s.name === options.scenario);
      if (!sc) throw new Error(`the lab has no scenario "${options.scenario}"`);
      compiled = compileScenario(sc);
      end = compiled.endNs;
    }
    this.endTime = end;
    this.net.onEvent = (e) => this.annotateCaptures(e);
    this.net.start();
    if (compiled !== null) this.scenario = new ScenarioRun(compiled, new NetworkScenarioTarget(this), { lab: lab.metadata.name, seed: options.seed });
  }

  // ---- what the scenario target reaches -----------------------------------------------------

  /** `device:port` as a running port (any spelling the kind accepts). */
  endpointPort(endpoint: string): Port {
    return this.port(endpoint);
  }

  /** The device's port of that name or alias, or null when it has none by that name. */
  devicePort(device: string, name: string): Port | null {
    const d = this.device(device);
    const spec = findPort(d.info.ports(d.settings), name);
    return d.node.portByName(spec ? spec.name : name) ?? null;
  }

  kindOf(device: string): DeviceKindInfo {
    return this.device(device).info;
  }

  /** A console of its own for the scenario, so its typing never lands in a person's session. */
  openScenarioConsole(device: string): CliSession | null {
    const d = this.device(device);
    return isConsoleCapable(d.node) ? d.node.openConsole() : null;
  }

  /** Runs the network itself (never past the end) and hands back its notable events. */
  runNetwork(untilNs: SimTime): RunEvent[] {
    // Hosts derive the target from wall time × speed, which is fractional; the clock is integer ns.
    const whole = Math.floor(untilNs);
    const until = this.endTime !== null ? Math.min(whole, this.endTime) : whole;
    if (until > this.net.now) this.net.runUntil(until);
    return this.net.drainEvents().map(toRunEvent);
  }

  scenarioReport(): ScenarioReport | null {
    return this.scenario !== null ? this.scenario.report() : null;
  }

  /** Resolve `device:port` (any spelling the kind accepts) to the running port. */
  private port(endpoint: string): Port {
    const [dev, pname] = splitEndpoint(endpoint);
    const d = this.devices.get(dev);
    if (!d) throw new Error(`no device "${dev}" (in ${endpoint})`);
    const spec = findPort(d.info.ports(d.settings), pname);
    const p = d.node.portByName(spec ? spec.name : pname);
    if (!p) throw new Error(`${dev} has no port "${pname}"`);
    return p;
  }

  status(): RunStatus {
    const now = this.net.now;
    return {
      now,
      endTime: this.endTime,
      done: this.endTime !== null && now >= this.endTime,
      eventsExecuted: this.net.sched.executed,
      frameHops: this.net.frameHops,
    };
  }

  nextEventAt(): SimTime | null {
    const queued = this.net.sched.nextTime();
    const acts = this.scenario !== null ? this.scenario.nextActionAt() : null;
    const t = acts !== null ? Math.min(queued, acts) : queued;
    return Number.isFinite(t) ? t : null;
  }

  advance(untilNs: SimTime): RunEvent[] {
    // A scenario acts at its own times on the way, so it drives the network when there is one.
    if (this.scenario !== null) return this.scenario.advance(Math.floor(untilNs));
    return this.runNetwork(untilNs);
  }

  private device(name: string): RunDevice {
    const d = this.devices.get(name);
    if (!d) throw new Error(`no device "${name}" in this lab`);
    return d;
  }

  /** The running device called `name`. */
  node(name: string): NetworkNode {
    return this.device(name).node;
  }

  private session(name: string): CliSession | null {
    const existing = this.consoles.get(name);
    if (existing) return existing;
    const d = this.device(name);
    if (!isConsoleCapable(d.node)) return null;
    const s = d.node.openConsole();
    this.consoles.set(name, s);
    return s;
  }

  consolePrompt(device: string): string {
    const s = this.session(device);
    return s ? s.prompt() : `${device}> `;
  }

  consoleInput(device: string, line: string): ConsoleReply {
    const s = this.session(device);
    if (!s) {
      const prompt = `${device}> `;
      const kind = this.device(device).info.kind;
      return { output: `${device} (${kind}) has no console yet.\n${prompt}`, prompt };
    }
    const out = s.input(line);
    const prompt = s.prompt();
    const reply: ConsoleReply = { output: out + prompt, prompt };
    const retype = s.lineAfterHelp?.() ?? '';
    if (retype) reply.retype = retype;
    if (s.paging?.()) reply.paging = true;
    return reply;
  }

  consoleComplete(device: string, partial: string): string[] {
    return this.session(device)?.complete(partial) ?? [];
  }

  consoleTraits(device: string): ConsoleTraits {
    const s = this.session(device);
    // Only CLIs that retype the line after help answer `?` at once; elsewhere `?` is text (`nlb /?`).
    return { helpKey: typeof s?.lineAfterHelp === 'function', completion: s !== null };
  }

  linkStates(): LinkState[] {
    return this.labLinks.map((l) => ({ up: l.a.operUp && l.b.operUp, octetsAB: l.a.outOctets, octetsBA: l.b.outOctets, rateBps: l.rateBps }));
  }

  // ---- captures ---------------------------------------------------------------------------

  startCapture(target: string): string {
    const ports: Port[] = [];
    const linkParts = target.split('--');
    if (linkParts.length === 2) {
      // a link: capturing one end's rx and tx sees both directions
      const a = this.port(linkParts[0]);
      const b = this.port(linkParts[1]);
      if (a.peer !== b) throw new Error(`${linkParts[0]} and ${linkParts[1]} are not linked`);
      ports.push(a);
    } else ports.push(this.port(target));
    const id = `cap${this.nextCapture++}`;
    const recorder = new CaptureRecorder();
    const cap: Capture = { id, target, recorder, ports: [], active: true };
    for (const p of ports) {
      const ifIndex = recorder.addInterface(`${p.node.name}:${p.name}`);
      cap.ports.push({ port: p, ifIndex });
      const list = this.taps.get(p) ?? [];
      list.push(cap);
      this.taps.set(p, list);
      p.tap = this.tapFor(p);
    }
    this.captures.set(id, cap);
    return id;
  }

  private tapFor(port: Port): PortTap {
    return (timeNs: number, _p: Port, frame: Frame, direction: TapDirection) => {
      const list = this.taps.get(port);
      if (!list) return;
      for (const c of list) {
        const entry = c.ports.find((x) => x.port === port);
        if (entry) c.recorder.record(timeNs, entry.ifIndex, frame, direction === 'rx' ? 'in' : 'out');
      }
    };
  }

  stopCapture(id: string): void {
    const cap = this.capture(id);
    if (!cap.active) return;
    cap.active = false;
    for (const { port } of cap.ports) {
      const list = (this.taps.get(port) ?? []).filter((c) => c !== cap);
      if (list.length === 0) {
        this.taps.delete(port);
        port.tap = null; // capturing off: the port's hot path is back to a null check
      } else this.taps.set(port, list);
    }
  }

  exportCapture(id: string): Uint8Array {
    return this.capture(id).recorder.toPcapng();
  }

  captureReader(id: string): CaptureRecorder {
    return this.capture(id).recorder;
  }

  listCaptures(): { id: string; target: string; frames: number }[] {
    return [...this.captures.values()].map((c) => ({ id: c.id, target: c.target, frames: c.recorder.frameCount }));
  }

  private capture(id: string): Capture {
    const c = this.captures.get(id);
    if (!c) throw new Error(`no capture ${id}`);
    return c;
  }

  /** Notable events become packet comments in every running capture. */
  private annotateCaptures(e: NetEvent): void {
    for (const c of this.captures.values()) if (c.active) c.recorder.comment(e.t, `${e.kind}: ${e.text}`);
  }
}

function toRunEvent(e: NetEvent): RunEvent {
  const r: RunEvent = { t: e.t, kind: e.kind, text: e.text };
  if (e.device !== undefined) r.device = e.device;
  if (e.port !== undefined) r.port = e.port;
  return r;
}

/** Build a running network from a parsed lab. */
export function createLabRun(lab: Lab, options: RunOptions): LabRun {
  return new LabNetworkRun(lab, options);
}

/** The same, typed for in-process users that need the network itself. */
export function createLabNetworkRun(lab: Lab, options: RunOptions): LabNetworkRun {
  return new LabNetworkRun(lab, options);
}

/** Devices in lab order, except that a device comes after its parent (a VM needs its host built). */
function parentsFirst<D extends { name: string; parent?: string }>(devices: readonly D[]): D[] {
  const byName = new Map(devices.map((d) => [d.name, d]));
  const out: D[] = [];
  const placed = new Set<string>();
  const place = (d: D, depth: number): void => {
    if (placed.has(d.name) || depth > devices.length) return;
    const p = d.parent !== undefined ? byName.get(d.parent) : undefined;
    if (p !== undefined) place(p, depth + 1);
    placed.add(d.name);
    out.push(d);
  };
  for (const d of devices) place(d, 0);
  return out;
}
