import { create } from 'zustand';
import type { HostApi, LinkLive, RunEventBatch, RunEventWire, RunState, RunStepResult, ScenarioLive } from '../../../electron/host/contract.ts';
import { isNotableEvent } from '../../../electron/host/worker/notable-events.ts';
import type { RunReport as ScenarioReport } from '../../../emulator/scenario/report.ts';
import { toHostError } from '../host/transport.ts';
import { useHost } from '../stores/host-store.ts';
import { useLab } from '../stores/lab-store.ts';
import { useUi } from '../stores/ui-store.ts';

/** Simulated seconds per wall second; 0 runs flat out. */
export const SPEEDS: readonly { value: number; label: string }[] = [
  { value: 1, label: 'Real time' },
  { value: 10, label: '×10' },
  { value: 0, label: 'As fast as possible' },
];

/**
 * What one Step advances, in simulated seconds: from the milliseconds a frame's journey takes,
 * through a ping probe, to the seconds of a failover or a timer.
 */
export const STEP_SIZES: readonly { value: number; label: string }[] = [
  { value: 0.01, label: '10 ms' },
  { value: 0.1, label: '100 ms' },
  { value: 1, label: '1 s' },
  { value: 10, label: '10 s' },
];

/** `scenario` value meaning a run of the bare lab for `freeSeconds`. */
export const FREE_RUN = '';

/** Timeline rows kept; a long run scrolls its oldest off rather than growing the page without end. */
const MAX_TIMELINE = 20_000;

export interface TimelineRow extends RunEventWire {
  seq: number;
}

interface RunStore {
  scenario: string;
  seed: number;
  speed: number;
  freeSeconds: number;
  /** Simulated seconds per Step (one of STEP_SIZES). */
  stepSize: number;
  /** A step under way: by time, or on to the next event. */
  stepping: 'time' | 'event' | null;
  /** Where the last next-event step stopped, and why. */
  lastEventStep: RunStepResult | null;
  runId: string | null;
  /** The run's scenario (null: free run), fixed when it started. */
  runScenario: string | null;
  state: RunState | null;
  now: number;
  endTime: number | null;
  links: LinkLive[] | null;
  live: ScenarioLive | null;
  report: ScenarioReport | null;
  timeline: TimelineRow[];
  dropped: number;
  error: string | null;
  busy: boolean;
  setScenario(name: string): void;
  setSeed(seed: number): void;
  setFreeSeconds(seconds: number): void;
  setStepSize(seconds: number): void;
  setSpeed(speed: number): Promise<void>;
  start(): Promise<void>;
  pause(): Promise<void>;
  resume(): Promise<void>;
  /** Advance a paused (or pausing) run by `stepSize`. */
  step(): Promise<void>;
  /** Run on to the next event the timeline lists and pause there (at the latest at the run's end). */
  stepToEvent(): Promise<void>;
  stop(): Promise<void>;
  /** A run whose network consoles can talk to: the current one, or a new one that waits paused. */
  consoleRun(): Promise<string | null>;
  receive(batch: RunEventBatch): void;
}

let nextSeq = 1;

function failed(action: string, e: unknown): void {
  useUi.getState().notify('error', `${action}: ${toHostError(e).message}`);
}

function api(): HostApi | null {
  return useHost.getState().api;
}

export const isLive = (state: RunState | null): boolean => state === 'running' || state === 'paused';

export const useRun = create<RunStore>()((set, get) => ({
  scenario: FREE_RUN,
  seed: 1,
  speed: 1,
  freeSeconds: 60,
  stepSize: 1,
  stepping: null,
  lastEventStep: null,
  runId: null,
  runScenario: null,
  state: null,
  now: 0,
  endTime: null,
  links: null,
  live: null,
  report: null,
  timeline: [],
  dropped: 0,
  error: null,
  busy: false,

  setScenario(name) {
    set({ scenario: name });
  },
  setSeed(seed) {
    set({ seed });
  },
  setFreeSeconds(seconds) {
    set({ freeSeconds: seconds });
  },
  setStepSize(seconds) {
    set({ stepSize: seconds });
  },

  async setSpeed(speed) {
    set({ speed });
    const { runId, state } = get();
    const host = api();
    if (host && runId && isLive(state)) await host.setRunSpeed(runId, speed).catch((e: unknown) => failed('Speed', e));
  },

  async start() {
    const host = api();
    if (!host || get().busy) return;
    const { scenario, seed, speed, freeSeconds, runId, state, runScenario } = get();
    // A free run that only waits for its consoles is the run the user means: let it go.
    if (runId && state === 'paused' && scenario === FREE_RUN && runScenario === null && get().now === 0) {
      await host.setRunSpeed(runId, speed).catch(() => undefined);
      return get().resume();
    }
    const { text, path } = useLab.getState();
    set({ busy: true });
    try {
      if (runId && isLive(state)) await host.stopRun(runId).catch(() => undefined);
      const info = await host.startRun({
        text,
        file: path ?? '',
        seed,
        speed,
        ...(scenario === FREE_RUN ? { forSeconds: freeSeconds } : { scenario }),
      });
      set({ runId: info.runId, runScenario: info.scenario, state: info.state, now: 0, endTime: null, links: null, live: null, report: null, timeline: [], dropped: 0, error: null, stepping: null, lastEventStep: null });
      const tab = useUi.getState().bottomTab;
      if (tab !== 'console') useUi.getState().showTab(scenario === FREE_RUN ? 'timeline' : 'flows');
    } catch (e) {
      failed('Run', e);
    } finally {
      set({ busy: false });
    }
  },

  async pause() {
    const { runId } = get();
    const host = api();
    if (host && runId) await host.pauseRun(runId).catch((e: unknown) => failed('Pause', e));
  },
  async resume() {
    set({ lastEventStep: null });
    const { runId } = get();
    const host = api();
    if (host && runId) await host.resumeRun(runId).catch((e: unknown) => failed('Resume', e));
  },
  async step() {
    await stepBy(get().stepSize);
  },
  async stepToEvent() {
    await stepBy({ to: 'next-event' });
  },
  async stop() {
    const { runId } = get();
    const host = api();
    if (host && runId) await host.stopRun(runId).catch((e: unknown) => failed('Stop', e));
  },

  async consoleRun() {
    const { runId, state } = get();
    if (runId && state !== 'stopped' && state !== 'failed') return runId;
    const host = api();
    if (!host) return null;
    const { text, path } = useLab.getState();
    try {
      const info = await host.startRun({ text, file: path ?? '', seed: get().seed, speed: get().speed, forSeconds: get().freeSeconds, paused: true });
      set({ runId: info.runId, runScenario: null, state: info.state, now: 0, endTime: null, links: null, live: null, report: null, timeline: [], dropped: 0, error: null, stepping: null, lastEventStep: null });
      return info.runId;
    } catch (e) {
      failed('Console', e);
      return null;
    }
  },

  receive(batch) {
    if (batch.runId !== get().runId) return;
    const rows: TimelineRow[] = [];
    for (const e of batch.events) if (isNotableEvent(e.kind)) rows.push({ ...e, seq: nextSeq++ });
    set((s) => {
      const next: Partial<RunStore> = { state: batch.state, now: batch.now, endTime: batch.endTime };
      if (rows.length > 0) {
        const all = s.timeline.length + rows.length > MAX_TIMELINE ? [...s.timeline, ...rows].slice(-MAX_TIMELINE) : [...s.timeline, ...rows];
        next.timeline = all;
      }
      if (batch.dropped) next.dropped = s.dropped + batch.dropped;
      if (batch.links) next.links = batch.links;
      if (batch.scenario) next.live = batch.scenario;
      if (batch.report) next.report = batch.report;
      if (batch.error) next.error = batch.error;
      return next;
    });
    if (batch.report) useUi.getState().showTab('report');
  },
}));

/**
 * One step of the current run. A running run is paused first; the host keeps the two in order,
 * so the step starts where the pause left it. The step runs in the run's worker, in slices, and
 * the clock moves with its batches; Pause ends it early.
 */
async function stepBy(step: number | { to: 'next-event' }): Promise<void> {
  const { runId, state, stepping } = useRun.getState();
  const host = api();
  if (!host || !runId || stepping || !isLive(state)) return;
  const kind = typeof step === 'number' ? 'time' : 'event';
  useRun.setState({ stepping: kind, lastEventStep: null });
  try {
    if (state === 'running') await host.pauseRun(runId);
    const result = await host.stepRun(runId, step);
    if (kind === 'event' && useRun.getState().runId === runId) useRun.setState({ lastEventStep: result });
  } catch (e) {
    failed('Step', e);
  } finally {
    if (useRun.getState().runId === runId) useRun.setState({ stepping: null });
  }
}

/** Feeds run batches from the host into the run store for as long as the app is open. */
export function followRuns(host: HostApi): () => void {
  return host.onRunEvents((b) => useRun.getState().receive(b));
}
