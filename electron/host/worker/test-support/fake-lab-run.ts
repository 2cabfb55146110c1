import type { ConsoleReply, LabRun, RunEvent, RunOptions, RunStatus } from '../../../../emulator/run/types.ts';
import type { Lab } from '../../../../emulator/lab/schema.ts';

/**
 * A stand-in network for host tests: a clock event and one event per device every simulated
 * second, consoles on any device name (except ones starting with "missing") that answer `echo`,
 * and captures that count ticks. It exercises the host's worker plumbing without the engine.
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
  return {
    status,
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
    consoleInput(name, line): ConsoleReply {
      const prompt = `${device(name)}#`;
      const output = line.startsWith('echo ') ? `${line.slice(5)}\n` : line.trim() === '' ? '' : `% Unknown command "${line}"\n`;
      return { output: output + prompt, prompt };
    },
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
