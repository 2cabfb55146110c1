import type { ConsoleReply, LabRun, RunEvent, RunOptions, RunStatus } from '../../../../emulator/run/types.ts';
import type { Lab } from '../../../../emulator/lab/schema.ts';
import { REPORT_FORMAT, type ExpectationResult, type RunReport } from '../../../../emulator/scenario/report.ts';

/**
 * A stand-in network for host tests: a clock event and one event per device every simulated
 * second, consoles on any device name (except ones starting with "missing") that answer `echo`,
 * and captures that count ticks. A scenario's `cli` + `matches` expectations are judged on that
 * console's answer, once the run reaches its end. It exercises the host's worker plumbing
 * without the engine.
 */
export function createFakeLabRun(lab: Lab, options: RunOptions): LabRun {
  let now = 0;
  let events = 0;
  const endTime = options.forNs ?? null;
  const devices = lab.devices.map((d) => d.name);
  const captures = new Map<string, { target: string; frames: number; open: boolean }>();
  let nextCapture = 1;
  const device = (name: string) => {
    if (name.startsWith('missing')) throw new Error(`no device ${name} in this lab`);
    return name;
  };
  const status = (): RunStatus => ({ now, endTime, done: endTime !== null && now >= endTime, eventsExecuted: events, frameHops: events });
  const scenario = options.scenario === undefined ? undefined : lab.scenarios.find((x) => x.name === options.scenario);
  const answer = (name: string, line: string): ConsoleReply => {
    const prompt = `${device(name)}#`;
    const output = line.startsWith('echo ') ? `${line.slice(5)}\n` : line.trim() === '' ? '' : `% Unknown command "${line}"\n`;
    return { output: output + prompt, prompt };
  };
  const judge = (): ExpectationResult[] =>
    (scenario?.expect ?? []).map((e, index) => {
      const done = endTime !== null && now >= endTime;
      const name = e.name ?? `check ${index + 1}`;
      const base = { index, name, kind: e.cli ? 'cli' : 'other', atNs: now, expected: e.matches ? `output matching /${e.matches}/` : 'anything' };
      if (!done) return { ...base, status: 'skipped' as const, measured: 'not decided' };
      if (!e.cli || e.matches === undefined) return { ...base, status: 'pass' as const, measured: 'n/a' };
      const lines = Array.isArray(e.cli.run) ? e.cli.run : [e.cli.run];
      const said = lines.map((l) => answer(e.cli!.on, l).output).join('');
      const ok = new RegExp(e.matches, 'm').test(said);
      return { ...base, status: ok ? ('pass' as const) : ('fail' as const), measured: JSON.stringify(said.split('\n')[0]) };
    });
  return {
    scenarioReport(): RunReport | null {
      if (!scenario) return null;
      const expectations = judge();
      const count = (s: ExpectationResult['status']) => expectations.filter((e) => e.status === s).length;
      const complete = endTime !== null && now >= endTime;
      return {
        format: REPORT_FORMAT,
        lab: lab.metadata.name,
        scenario: scenario.name,
        seed: options.seed,
        durationNs: now,
        plannedNs: endTime ?? now,
        complete,
        passed: complete && expectations.every((e) => e.status === 'pass'),
        counts: { total: expectations.length, pass: count('pass'), fail: count('fail'), error: count('error'), skipped: count('skipped'), problems: 0 },
        expectations,
        flows: [],
        problems: [],
        timeline: [],
        timelineOmitted: 0,
        captures: [],
      };
    },
    status,
    nextEventAt() {
      const t = Math.floor(now / 1e9 + 1) * 1e9;
      return endTime !== null && t > endTime ? null : t;
    },
    advance(untilNs) {
      const out: RunEvent[] = [];
      const until = endTime === null ? untilNs : Math.min(untilNs, endTime);
      for (let t = Math.floor(now / 1e9 + 1) * 1e9; t <= until; t += 1e9) {
        out.push({ t, kind: 'clock.tick', text: `second ${t / 1e9}` });
        events++;
        for (const d of devices) {
          out.push({ t, kind: 'tick', device: d, text: `${d} ticked at ${t / 1e9} s (seed ${options.seed})` });
          events++;
          for (const c of captures.values()) if (c.open) c.frames++;
        }
      }
      now = Math.max(now, until);
      return out;
    },
    consoleInput: answer,
    consolePrompt: (name) => `${device(name)}#`,
    startCapture(target) {
      const id = `cap-${nextCapture++}`;
      captures.set(id, { target, frames: 0, open: true });
      return id;
    },
    stopCapture(id) {
      const c = captures.get(id);
      if (!c) throw new Error(`no capture ${id}`);
      c.open = false;
    },
    exportCapture(id) {
      const c = captures.get(id);
      if (!c) throw new Error(`no capture ${id}`);
      return new TextEncoder().encode(`fake pcapng: ${c.target} ${c.frames} frames`);
    },
    listCaptures: () => [...captures].map(([id, c]) => ({ id, target: c.target, frames: c.frames })),
  };
}
