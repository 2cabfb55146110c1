import { parseDuration } from '../lab/units.ts';
import type { SimTime } from '../run/types.ts';
import type { ExpectationSpec, ScenarioSpec, StepSpec, TrafficSpec } from './schema.ts';
import type { FlowSpec, LinkRef, VmMove, VmmDeploymentRequest } from './target.ts';
import { formatDuration } from './words.ts';

/**
 * Turns a scenario as written into what the engine runs: times in nanoseconds, defaults filled
 * in, each expectation sorted into its kind. `scenarioProblems` holds the checks that need more
 * than one field (a flow id that must exist, a time past the end); the schema runs it, so a lab
 * that validates always compiles.
 */

const SECOND = 1_000_000_000;

/** Windows `ping -t` sends one request a second (its next request follows each reply or timeout). */
export const DEFAULT_PING_EVERY_NS = SECOND;
/**
 * Windows `ping` waits 4000 ms for each reply by default (`/w`, per Microsoft's `ping` command
 * reference). Probes still go out on a fixed pace, not after each timeout as Windows does, so an
 * outage is resolved to one interval rather than stretched to the timeout.
 */
export const DEFAULT_PING_TIMEOUT_NS = 4 * SECOND;
/** Windows `ping` without `-t` sends 4 requests: the reachability checks do the same. */
export const DEFAULT_REACH_COUNT = 4;
/** A datagram of a one-way stream still in flight after this long is counted lost. */
export const STREAM_TIMEOUT_NS = SECOND;
export const DEFAULT_STREAM_SIZE = 512;
export const DEFAULT_PING_SIZE = 32;
/** RFC 1112 §6.1: multicast datagrams go out with TTL 1 unless the application asks for more. */
export const DEFAULT_MULTICAST_TTL = 1;
/** Start of the dynamic port range (49152–65535) Windows draws source ports from since Vista. */
export const DEFAULT_SOURCE_PORT = 49152;
export const DEFAULT_DURATION_NS = 60 * SECOND;
/** Without a duration, the run lasts this long past its last timed entry. */
export const DURATION_TAIL_NS = 10 * SECOND;
/** Each probe is kept for the report; past this a flow costs more memory than a run should take. */
export const MAX_PROBES_PER_FLOW = 1_000_000;

export interface CompiledFlow {
  id: string;
  index: number;
  startNs: SimTime;
  spec: FlowSpec;
  timeoutNs: SimTime;
  /** How the flow reads in reports: "client1 → 10.98.0.50, ping every 1s". */
  text: string;
}

export type StepAction =
  | { do: 'link-down' | 'link-up'; link: LinkRef }
  | { do: 'power-off' | 'power-on'; device: string }
  | { do: 'live-migrate'; moves: VmMove[] }
  | { do: 'drain-node' | 'resume-node'; node: string }
  | { do: 'set'; device: string; setting: string; value: string | number | boolean }
  | { do: 'cli'; on: string; lines: string[] }
  | { do: 'pull-module' | 'insert-module'; target: string; bay: string }
  | { do: 'capture-start' | 'capture-stop'; target: string }
  | { do: 'vmm-deploy'; deployment: VmmDeploymentRequest };

/** VMM's OperationTimeout when a step names none [U: VMM 2008 R2's own value not known]. */
const DEFAULT_VMM_TIMEOUT_NS = 30 * 60 * SECOND;

export interface CompiledStep {
  index: number;
  atNs: SimTime;
  action: StepAction;
  text: string;
  note?: string;
}

interface ExpectationCommon {
  index: number;
  name: string;
  /** What must hold, in words: "at most 3s", "output matches /02bf/". */
  expected: string;
}

export type CompiledExpectation = ExpectationCommon &
  (
    | { kind: 'max-outage'; flow: string; boundNs: SimTime }
    | { kind: 'max-lost' | 'min-lost'; flow: string; bound: number }
    | {
        kind: 'reachable' | 'unreachable';
        atNs: SimTime;
        from: string;
        to: string;
        count: number;
        everyNs: SimTime;
        timeoutNs: SimTime;
        /** When the last request's timeout has run out and the check is decided. */
        decideNs: SimTime;
      }
    | { kind: 'cli'; atNs: SimTime; on: string; lines: string[]; pattern: string; ignoreCase: boolean; negate: boolean }
    | { kind: 'counter'; fromNs: SimTime; toNs: SimTime; on: string; port: string; counter: string; min: number; max: number }
    | { kind: 'state'; atNs: SimTime; on: string; state: string; negate: boolean }
  );

export interface CompiledScenario {
  name: string;
  title?: string;
  description?: string;
  seed?: number;
  endNs: SimTime;
  flows: CompiledFlow[];
  /** In the order they act: by time, then as written. */
  steps: CompiledStep[];
  expectations: CompiledExpectation[];
}

export class ScenarioError extends Error {
  constructor(readonly problems: readonly ScenarioProblem[]) {
    super(problems.map((p) => `${p.path.join('.')}: ${p.message}`).join('\n'));
    this.name = 'ScenarioError';
  }
}

export interface ScenarioProblem {
  path: (string | number)[];
  message: string;
}

/** Throws ScenarioError when the scenario has problems; a scenario that parsed with the schema has none. */
export function compileScenario(s: ScenarioSpec): CompiledScenario {
  const problems = scenarioProblems(s);
  if (problems.length) throw new ScenarioError(problems);
  if (!timesHold(s)) throw new ScenarioError([{ path: [], message: 'a time or duration here is not one LabBox can hold (whole nanoseconds, every and timeout above zero)' }]);
  return build(s);
}

/** Checks across fields, each located by its path inside the scenario. */
export function scenarioProblems(s: ScenarioSpec): ScenarioProblem[] {
  const out: ScenarioProblem[] = [];
  const ids = new Map<string, number>();
  (s.traffic ?? []).forEach((t, i) => {
    const kinds = FLOW_KEYS.filter((k) => t[k] !== undefined);
    if (kinds.length !== 1) {
      out.push({
        path: ['traffic', i],
        message: kinds.length ? `a flow has one kind; this one has ${kinds.join(' and ')}` : `expected one of: ${FLOW_KEYS.join(', ')}`,
      });
    }
    const first = ids.get(t.id);
    if (first !== undefined) out.push({ path: ['traffic', i, 'id'], message: `duplicate flow id "${t.id}"; it is already used by traffic[${first}]` });
    else ids.set(t.id, i);
    const lastPort = t.sessions ? (t.sessions['source-port'] ?? DEFAULT_SOURCE_PORT) + t.sessions.count - 1 : 0;
    if (lastPort > 65535) {
      out.push({ path: ['traffic', i, 'sessions', 'count'], message: `expected sessions that fit below port 65535; the last would use source port ${lastPort}` });
    }
  });
  (s.expect ?? []).forEach((e, i) => {
    const problem = expectationFormProblem(e);
    if (problem) out.push({ path: ['expect', i, ...problem.path], message: problem.message });
    else if (e.flow !== undefined && !ids.has(e.flow)) {
      const known = [...ids.keys()];
      out.push({ path: ['expect', i, 'flow'], message: `no flow "${e.flow}" under traffic${known.length ? `; expected one of: ${known.join(', ')}` : ''}` });
    }
  });
  // Everything below reads times. The schema's zod checks report a duration that time cannot
  // hold, and zod still runs this check then; such a scenario gets no timing checks until fixed.
  if (out.length || !timesHold(s)) return out;

  (s.traffic ?? []).forEach((t, i) => {
    if (t.start !== undefined && t.stop !== undefined && ns(t.stop) <= ns(t.start)) {
      out.push({ path: ['traffic', i, 'stop'], message: `expected a time after start (${formatDuration(ns(t.start))})` });
    }
  });
  (s.expect ?? []).forEach((e, i) => {
    if (e.between && ns(e.between[1]) <= ns(e.between[0])) out.push({ path: ['expect', i, 'between', 1], message: 'expected a time after the first' });
  });
  const open = new Set<string>();
  sortedSteps(s.steps ?? []).forEach(({ step, index }) => {
    if (step.do === 'capture-start') {
      if (open.has(step.target)) out.push({ path: ['steps', index, 'target'], message: `a capture on ${step.target} is already running at this time` });
      open.add(step.target);
    } else if (step.do === 'capture-stop') {
      if (!open.delete(step.target)) out.push({ path: ['steps', index, 'target'], message: `no capture on ${step.target} is running at this time; expected the target of an earlier capture-start` });
    }
  });
  if (out.length) return out;

  // The end may depend on every timed entry, so it is only worked out for a coherent scenario.
  const endNs = endOf(s);
  const explicitEnd = s.duration !== undefined;
  const late = (path: (string | number)[], t: SimTime, what: string): void => {
    if (explicitEnd && t > endNs) out.push({ path, message: `${what} ${formatDuration(t)}, after the scenario ends at ${formatDuration(endNs)}` });
  };
  (s.steps ?? []).forEach((st, i) => late(['steps', i, 'at'], ns(st.at), 'this step acts at'));
  (s.traffic ?? []).forEach((t, i) => {
    if (t.start !== undefined) late(['traffic', i, 'start'], ns(t.start), 'this flow starts at');
    if (t.stop !== undefined) late(['traffic', i, 'stop'], ns(t.stop), 'this flow stops at');
    const f = buildFlow(t, i, endNs);
    const perPath = f.spec.count ?? Math.ceil(Math.max(0, endNs - f.startNs) / f.spec.everyNs);
    const paths = f.spec.kind === 'sessions' ? f.spec.sessions : 1;
    if (perPath * paths > MAX_PROBES_PER_FLOW) {
      out.push({
        path: ['traffic', i],
        message: `this flow would send ${perPath * paths} packets; expected at most ${MAX_PROBES_PER_FLOW} (send less often, or for less time)`,
      });
    }
  });
  (s.expect ?? []).forEach((e, i) => {
    for (const [t, path, what] of expectationTimes(e)) late(['expect', i, ...path], t, what);
  });
  return out;
}

/** Fields that hold a time or a duration; `every` and `timeout` must also be above zero. */
const TIME_KEYS = new Set(['duration', 'at', 'start', 'stop', 'every', 'timeout', 'max-outage', 'between']);
const POSITIVE_KEYS = new Set(['every', 'timeout']);

function timesHold(value: unknown, key = ''): boolean {
  if (TIME_KEYS.has(key) && (typeof value === 'string' || typeof value === 'number')) {
    try {
      return parseDuration(value) > 0 || !POSITIVE_KEYS.has(key);
    } catch {
      return false;
    }
  }
  if (Array.isArray(value)) return value.every((v) => timesHold(v, key));
  if (value !== null && typeof value === 'object') return Object.entries(value).every(([k, v]) => timesHold(v, k));
  return true;
}

const FLOW_KEYS = ['ping', 'udp', 'multicast', 'sessions'] as const;

/** The shapes an expectation may take: which key names it, which it needs, which it may have. */
const FORMS = [
  { key: 'flow', needs: [], oneOf: ['max-outage', 'max-lost', 'min-lost'], may: [] },
  { key: 'reachable', needs: ['at'], oneOf: [], may: [] },
  { key: 'unreachable', needs: ['at'], oneOf: [], may: [] },
  { key: 'cli', needs: ['at'], oneOf: ['matches', 'not-matches'], may: ['ignore-case'] },
  { key: 'counter', needs: ['between'], oneOf: ['rises', 'stays-flat', 'at-most', 'at-least'], may: [] },
  { key: 'state', needs: ['at'], oneOf: [], may: [] },
] as const;

function expectationFormProblem(e: ExpectationSpec): ScenarioProblem | null {
  const present = (Object.keys(e) as (keyof ExpectationSpec)[]).filter((k) => e[k] !== undefined);
  const forms = FORMS.filter((f) => present.includes(f.key));
  if (forms.length !== 1) {
    const names = FORMS.map((f) => f.key).join(', ');
    return {
      path: [],
      message: forms.length
        ? `an expectation checks one thing; this one has ${forms.map((f) => f.key).join(' and ')}`
        : `expected an expectation with one of: ${names}`,
    };
  }
  const form = forms[0];
  for (const k of form.needs) if (!present.includes(k)) return { path: [], message: `a ${form.key} check needs "${k}"` };
  const chosen = form.oneOf.filter((k) => present.includes(k));
  if (form.oneOf.length && chosen.length !== 1) {
    return {
      path: [],
      message: chosen.length
        ? `a ${form.key} check takes one of ${form.oneOf.join(', ')}; this one has ${chosen.join(' and ')}`
        : `a ${form.key} check needs one of: ${form.oneOf.join(', ')}`,
    };
  }
  const allowed = new Set<string>(['name', form.key, ...form.needs, ...form.oneOf, ...form.may]);
  for (const k of present) {
    if (!allowed.has(k)) return { path: [k], message: `"${k}" has no meaning in a ${form.key} check; it takes ${[...allowed].join(', ')}` };
  }
  if (e.state && (e.state.is === undefined) === (e.state['is-not'] === undefined)) {
    return { path: ['state'], message: 'a state check takes exactly one of: is, is-not' };
  }
  return null;
}

function expectationTimes(e: ExpectationSpec): [SimTime, (string | number)[], string][] {
  const out: [SimTime, (string | number)[], string][] = [];
  if (e.at !== undefined) out.push([ns(e.at), ['at'], 'this check looks at']);
  const probe = e.reachable ?? e.unreachable;
  if (probe && e.at !== undefined) out.push([decideTime(ns(e.at), probe), ['at'], 'its last ping times out at']);
  if (e.between) out.push([ns(e.between[1]), ['between', 1], 'this check reads the counter at']);
  return out;
}

type ProbeOptions = NonNullable<ExpectationSpec['reachable']>;

function decideTime(atNs: SimTime, p: ProbeOptions): SimTime {
  return atNs + ((p.count ?? DEFAULT_REACH_COUNT) - 1) * nsOr(p.every, DEFAULT_PING_EVERY_NS) + nsOr(p.timeout, DEFAULT_PING_TIMEOUT_NS);
}

function ns(v: string | number): SimTime {
  return parseDuration(v);
}

function nsOr(v: string | number | undefined, fallback: SimTime): SimTime {
  return v === undefined ? fallback : parseDuration(v);
}

function endOf(s: ScenarioSpec): SimTime {
  if (s.duration !== undefined) return ns(s.duration);
  let last = 0;
  for (const st of s.steps ?? []) last = Math.max(last, ns(st.at));
  for (const t of s.traffic ?? []) last = Math.max(last, t.start === undefined ? 0 : ns(t.start), t.stop === undefined ? 0 : ns(t.stop));
  for (const e of s.expect ?? []) for (const [t] of expectationTimes(e)) last = Math.max(last, t);
  return Math.max(DEFAULT_DURATION_NS, last + DURATION_TAIL_NS);
}

function sortedSteps(steps: readonly StepSpec[]): { step: StepSpec; index: number }[] {
  // Array.prototype.sort is stable, so steps at the same time keep the order they are written in.
  return steps.map((step, index) => ({ step, index })).sort((a, b) => ns(a.step.at) - ns(b.step.at));
}

function list(v: string | readonly string[]): string[] {
  return typeof v === 'string' ? [v] : [...v];
}

function build(s: ScenarioSpec): CompiledScenario {
  const endNs = endOf(s);
  return {
    name: s.name,
    ...(s.title !== undefined ? { title: s.title } : {}),
    ...(s.description !== undefined ? { description: s.description } : {}),
    ...(s.seed !== undefined ? { seed: s.seed } : {}),
    endNs,
    flows: (s.traffic ?? []).map((t, i) => buildFlow(t, i, endNs)),
    steps: sortedSteps(s.steps ?? []).map(({ step, index }) => buildStep(step, index)),
    expectations: (s.expect ?? []).map((e, i) => buildExpectation(e, i)),
  };
}

function buildFlow(t: TrafficSpec, index: number, endNs: SimTime): CompiledFlow {
  const startNs = t.start === undefined ? 0 : ns(t.start);
  const countFor = (everyNs: SimTime): number | null => (t.stop === undefined ? null : Math.ceil((ns(t.stop) - startNs) / everyNs));
  const base = { id: t.id, index, startNs };
  if (t.ping) {
    const everyNs = nsOr(t.ping.every, DEFAULT_PING_EVERY_NS);
    return {
      ...base,
      spec: { kind: 'ping', id: t.id, from: t.ping.from, to: t.ping.to, everyNs, count: countFor(everyNs), size: t.ping.size ?? DEFAULT_PING_SIZE },
      timeoutNs: nsOr(t.ping.timeout, DEFAULT_PING_TIMEOUT_NS),
      text: `ping ${t.ping.from} → ${t.ping.to} every ${formatDuration(everyNs)}`,
    };
  }
  if (t.udp) {
    const everyNs = rateInterval(t.udp.rate);
    return {
      ...base,
      spec: { kind: 'udp', id: t.id, from: t.udp.from, to: t.udp.to, port: t.udp.port, everyNs, count: countFor(everyNs), size: t.udp.size ?? DEFAULT_STREAM_SIZE },
      timeoutNs: STREAM_TIMEOUT_NS,
      text: `udp ${t.udp.from} → ${t.udp.to}:${t.udp.port} at ${t.udp.rate}/s`,
    };
  }
  if (t.multicast) {
    const m = t.multicast;
    const everyNs = rateInterval(m.rate);
    return {
      ...base,
      spec: {
        kind: 'multicast',
        id: t.id,
        from: m.from,
        group: m.group,
        port: m.port,
        everyNs,
        count: countFor(everyNs),
        ttl: m.ttl ?? DEFAULT_MULTICAST_TTL,
        size: m.size ?? DEFAULT_STREAM_SIZE,
        receivers: m.receivers ? [...m.receivers] : null,
      },
      timeoutNs: STREAM_TIMEOUT_NS,
      text: `multicast ${m.from} → ${m.group}:${m.port} at ${m.rate}/s`,
    };
  }
  const x = t.sessions;
  if (!x) throw new Error(`traffic[${index}] has no flow kind`);
  const everyNs = nsOr(x.every, DEFAULT_PING_EVERY_NS);
  const protocol = x.protocol ?? 'tcp';
  return {
    ...base,
    spec: {
      kind: 'sessions',
      id: t.id,
      from: x.from,
      to: x.to,
      port: x.port,
      protocol,
      sessions: x.count,
      sourcePort: x['source-port'] ?? DEFAULT_SOURCE_PORT,
      everyNs,
      count: countFor(everyNs),
    },
    timeoutNs: nsOr(x.timeout, DEFAULT_PING_TIMEOUT_NS),
    text: `${x.count} ${protocol} sessions ${x.from} → ${x.to}:${x.port}, a request every ${formatDuration(everyNs)}`,
  };
}

/** Whole nanoseconds between packets; at least 1 so a huge rate cannot stall the clock. */
function rateInterval(perSecond: number): SimTime {
  return Math.max(1, Math.round(SECOND / perSecond));
}

function linkRef(v: string | readonly [string, string]): LinkRef {
  return typeof v === 'string' ? { end: v } : { end: v[0], otherEnd: v[1] };
}

function buildStep(st: StepSpec, index: number): CompiledStep {
  const base = { index, atNs: ns(st.at), ...(st.note !== undefined ? { note: st.note } : {}) };
  switch (st.do) {
    case 'link-down':
    case 'link-up': {
      const link = linkRef(st.link);
      return { ...base, action: { do: st.do, link }, text: `${st.do} ${link.end}${link.otherEnd ? ` — ${link.otherEnd}` : ''}` };
    }
    case 'power-off':
    case 'power-on':
      return { ...base, action: { do: st.do, device: st.device }, text: `${st.do} ${st.device}` };
    case 'live-migrate': {
      const hosts = list(st.to);
      const moves = list(st.vms).map((vm, i) => ({ vm, to: hosts[i % hosts.length] }));
      return { ...base, action: { do: st.do, moves }, text: `live-migrate ${moves.map((m) => `${m.vm} → ${m.to}`).join(', ')}` };
    }
    case 'drain-node':
    case 'resume-node':
      return { ...base, action: { do: st.do, node: st.node }, text: `${st.do} ${st.node}` };
    case 'vmm-deploy': {
      const vms = list(st.vms);
      const timeoutNs = nsOr(st.timeout, DEFAULT_VMM_TIMEOUT_NS);
      const deployment = { from: st.from, to: st.to, vms, diskBytes: Math.round((st['disk-gb'] ?? 10) * 1024 ** 3), timeoutMs: Math.round(timeoutNs / (SECOND / 1000)) };
      return { ...base, action: { do: st.do, deployment }, text: `vmm-deploy ${vms.join(', ')} from ${st.from} to ${st.to}` };
    }
    case 'set':
      return {
        ...base,
        action: { do: 'set', device: st.device, setting: st.setting, value: st.value },
        text: `set ${st.device} ${st.setting} = ${JSON.stringify(st.value)}`,
      };
    case 'cli': {
      const lines = list(st.run);
      return { ...base, action: { do: 'cli', on: st.on, lines }, text: `cli on ${st.on}: ${lines.join(' ; ')}` };
    }
    case 'pull-module':
    case 'insert-module':
      return { ...base, action: { do: st.do, target: st.target, bay: String(st.bay) }, text: `${st.do} ${st.target} bay ${st.bay}` };
    case 'capture-start':
    case 'capture-stop':
      return { ...base, action: { do: st.do, target: st.target }, text: `${st.do} ${st.target}` };
  }
}

function buildExpectation(e: ExpectationSpec, index: number): CompiledExpectation {
  const named = (generated: string): string => e.name ?? generated;
  if (e.flow !== undefined) {
    if (e['max-outage'] !== undefined) {
      const boundNs = ns(e['max-outage']);
      return { index, kind: 'max-outage', flow: e.flow, boundNs, name: named(`${e.flow}: outage at most ${formatDuration(boundNs)}`), expected: `longest outage at most ${formatDuration(boundNs)}` };
    }
    if (e['max-lost'] !== undefined) {
      const bound = e['max-lost'];
      return { index, kind: 'max-lost', flow: e.flow, bound, name: named(`${e.flow}: at most ${bound} lost`), expected: `at most ${bound} lost` };
    }
    const bound = e['min-lost'] ?? 0;
    return { index, kind: 'min-lost', flow: e.flow, bound, name: named(`${e.flow}: at least ${bound} lost`), expected: `at least ${bound} lost` };
  }
  const atNs = e.at === undefined ? 0 : ns(e.at);
  const probe = e.reachable ?? e.unreachable;
  if (probe) {
    const kind = e.reachable ? 'reachable' : 'unreachable';
    const count = probe.count ?? DEFAULT_REACH_COUNT;
    return {
      index,
      kind,
      atNs,
      from: probe.from,
      to: probe.to,
      count,
      everyNs: nsOr(probe.every, DEFAULT_PING_EVERY_NS),
      timeoutNs: nsOr(probe.timeout, DEFAULT_PING_TIMEOUT_NS),
      decideNs: decideTime(atNs, probe),
      name: named(`${probe.to} ${kind} from ${probe.from} at ${formatDuration(atNs)}`),
      expected: kind === 'reachable' ? `at least 1 of ${count} pings answered` : `none of ${count} pings answered`,
    };
  }
  if (e.cli) {
    const negate = e['not-matches'] !== undefined;
    const pattern = e['not-matches'] ?? e.matches ?? '';
    const ignoreCase = e['ignore-case'] ?? false;
    const lines = list(e.cli.run);
    const shown = `/${pattern}/${ignoreCase ? 'i' : ''}`;
    return {
      index,
      kind: 'cli',
      atNs,
      on: e.cli.on,
      lines,
      pattern,
      ignoreCase,
      negate,
      name: named(`${e.cli.on}: "${lines.join(' ; ')}" ${negate ? 'does not match' : 'matches'} ${shown} at ${formatDuration(atNs)}`),
      expected: `output ${negate ? 'does not match' : 'matches'} ${shown}`,
    };
  }
  if (e.counter && e.between) {
    const [fromNs, toNs] = [ns(e.between[0]), ns(e.between[1])];
    const c = e.counter;
    let min = 0;
    let max = Infinity;
    let words: string;
    if (e.rises) {
      min = 1;
      words = 'rises';
    } else if (e['stays-flat']) {
      max = 0;
      words = 'stays flat';
    } else if (e['at-most'] !== undefined) {
      max = e['at-most'];
      words = `rises by at most ${max}`;
    } else {
      min = e['at-least'] ?? 0;
      words = `rises by at least ${min}`;
    }
    return {
      index,
      kind: 'counter',
      fromNs,
      toNs,
      on: c.on,
      port: c.port,
      counter: c.name,
      min,
      max,
      name: named(`${c.on} ${c.port} ${c.name} ${words} from ${formatDuration(fromNs)} to ${formatDuration(toNs)}`),
      expected: words,
    };
  }
  if (e.state) {
    const negate = e.state['is-not'] !== undefined;
    const state = e.state['is-not'] ?? e.state.is ?? '';
    return {
      index,
      kind: 'state',
      atNs,
      on: e.state.on,
      state,
      negate,
      name: named(`${e.state.on} ${negate ? 'is not' : 'is'} ${state} at ${formatDuration(atNs)}`),
      expected: `${negate ? 'not ' : ''}${state}`,
    };
  }
  throw new Error(`expect[${index}] has no check`);
}
