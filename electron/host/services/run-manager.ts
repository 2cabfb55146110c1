import { Worker } from 'node:worker_threads';
import type { RunEventBatch, RunEventWire, RunInfo, RunState, RunStep, RunStepResult } from '../contract.ts';
import type { Lab } from '../../../emulator/lab/schema.ts';
import type { RunStatus } from '../../../emulator/run/types.ts';
import type { HostToWorker, RunWorkerInit, WorkerCall, WorkerStep, WorkerToHost } from '../worker/protocol.ts';
import { HostError } from './host-error.ts';
import type { RunReport as ScenarioReport } from '../../../emulator/scenario/report.ts';
import { expectationsOf, type RunReport } from './run-report.ts';

/** Where a run worker's code lives and what extra it needs in `workerData`. */
export interface WorkerEntry {
  file: URL | string;
  data?: Record<string, unknown>;
}

/** The default: a plain-JS bootstrap that registers tsx, then loads the TypeScript worker. */
export const TS_WORKER_ENTRY: WorkerEntry = {
  file: new URL('../worker/bootstrap.mjs', import.meta.url),
  data: { entry: new URL('../worker/run-worker.ts', import.meta.url).href },
};

/** Where finished runs are recorded (the workspace store's run history). */
export interface RunHistory {
  recordRunStart(run: { labPath: string; scenario: string | null; seed: number }): number;
  recordRunFinish(id: number, outcome: 'passed' | 'failed' | 'stopped' | 'error', report: unknown): unknown;
}

export interface RunManagerOptions {
  worker?: WorkerEntry;
  /** At most one batch per run per this many ms reaches the UI. */
  batchMs?: number;
  history?: RunHistory | null;
  /** Finished runs keep their worker so their consoles can still be inspected; this many at most. */
  keepFinished?: number;
}

export interface StartRunParams {
  lab: Lab;
  /** The lab file the run came from ('' for text never saved). */
  file: string;
  scenario: string | null;
  seed: number;
  speed: number;
  forNs?: number;
  paused?: boolean;
}

/** Most events one UI batch carries; the rest are counted in `dropped`. */
const MAX_UI_EVENTS = 1000;
/** Most events a run's report keeps. */
const MAX_REPORT_EVENTS = 10_000;
/** How long a worker gets to say it has stopped before it is terminated. */
const STOP_GRACE_MS = 1000;

interface PendingCall {
  resolve(value: unknown): void;
  reject(err: Error): void;
}

class ActiveRun {
  state: RunState;
  status: RunStatus = { now: 0, endTime: null, done: false, eventsExecuted: 0, frameHops: 0 };
  kindCounts: Record<string, number> = {};
  readonly log: RunEventWire[] = [];
  logOmitted = 0;
  error: string | undefined;
  readonly calls = new Map<number, PendingCall>();
  nextCall = 1;
  /** Steps the worker has not finished yet, by step id (at most one: the host refuses a second). */
  readonly steps = new Map<number, (result: RunStepResult) => void>();
  nextStep = 1;
  /**
   * The last word the host gave was "paused" (started paused, or pause sent): the worker handles
   * messages in order, so a step sent now finds it paused even before its batch says so.
   */
  held: boolean;
  worker: Worker | null;
  report: RunReport | null = null;
  scenarioReport: ScenarioReport | null = null;
  readonly finished: Promise<RunReport>;
  resolveFinished!: (r: RunReport) => void;
  readonly startedWall = Date.now();
  stopTimer: NodeJS.Timeout | null = null;

  constructor(
    readonly info: RunInfo,
    readonly params: StartRunParams,
    worker: Worker,
    readonly historyId: number | null,
  ) {
    this.worker = worker;
    this.state = info.state;
    this.held = info.state === 'paused';
    this.finished = new Promise((resolve) => (this.resolveFinished = resolve));
  }

  get live(): boolean {
    return this.state === 'running' || this.state === 'paused';
  }
}

/**
 * Runs live one per worker thread, so a busy simulation never blocks the host's event loop (and
 * with it the UI's requests). This class owns those workers: it starts them, relays control,
 * answers console and capture calls through them, batches their events for the UI and writes
 * each finished run to the history.
 */
export class RunManager {
  private readonly runs = new Map<string, ActiveRun>();
  private readonly listeners = new Set<(batch: RunEventBatch) => void>();
  private nextRun = 1;
  private readonly worker: WorkerEntry;
  private readonly batchMs: number;
  private readonly history: RunHistory | null;
  private readonly keepFinished: number;

  constructor(options: RunManagerOptions = {}) {
    this.worker = options.worker ?? TS_WORKER_ENTRY;
    this.batchMs = options.batchMs ?? 50;
    this.history = options.history ?? null;
    this.keepFinished = options.keepFinished ?? 3;
  }

  onBatch(listener: (batch: RunEventBatch) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(params: StartRunParams): RunInfo {
    const runId = `run-${this.nextRun++}`;
    const init: RunWorkerInit = {
      lab: params.lab,
      options: { seed: params.seed, ...(params.scenario ? { scenario: params.scenario } : {}), ...(params.forNs ? { forNs: params.forNs } : {}) },
      speed: params.speed,
      batchMs: this.batchMs,
      paused: params.paused ?? false,
    };
    const worker = new Worker(this.worker.file, { workerData: { ...this.worker.data, init } });
    const info: RunInfo = {
      runId,
      lab: params.file || params.lab.metadata.name,
      scenario: params.scenario,
      seed: params.seed,
      state: params.paused ? 'paused' : 'running',
      startedAt: new Date().toISOString(),
    };
    let historyId: number | null = null;
    if (this.history) historyId = this.history.recordRunStart({ labPath: params.file || params.lab.metadata.name, scenario: params.scenario, seed: params.seed });
    const run = new ActiveRun(info, params, worker, historyId);
    this.runs.set(runId, run);
    worker.on('message', (msg: WorkerToHost) => this.receive(run, msg));
    worker.on('error', (err) => {
      run.error = err.message;
      this.end(run, 'failed');
    });
    worker.on('exit', (code) => {
      run.worker = null;
      this.rejectCalls(run, 'the run has ended');
      this.endSteps(run);
      if (run.live) {
        run.error ??= `the run's worker exited unexpectedly (code ${code})`;
        this.end(run, 'failed');
      }
    });
    return { ...info };
  }

  list(): RunInfo[] {
    return [...this.runs.values()].map((r) => ({ ...r.info, state: r.state }));
  }

  info(runId: string): RunInfo {
    const run = this.get(runId);
    return { ...run.info, state: run.state };
  }

  pause(runId: string): void {
    const run = this.live(runId);
    run.held = true;
    this.control(run, { type: 'pause' });
  }

  resume(runId: string): void {
    const run = this.live(runId);
    run.held = false;
    this.control(run, { type: 'resume' });
  }

  /**
   * Steps a paused run: a number of simulated seconds, or on to the next notable event. Resolves
   * once the worker has finished the step (its last batch already sent); never rejects once sent.
   */
  step(runId: string, step: RunStep): Promise<RunStepResult> {
    const run = this.live(runId);
    if (!run.held) throw new HostError('conflict', `run ${runId} is running; pause it before stepping`);
    if (run.steps.size > 0) throw new HostError('conflict', `run ${runId} is still stepping; pause it to end that step first`);
    const msg: WorkerStep =
      typeof step === 'number'
        ? { by: 'time', ns: Math.max(1, Math.round(step * 1e9)) }
        : { by: 'event', withinNs: step.withinSeconds !== undefined ? Math.max(1, Math.round(step.withinSeconds * 1e9)) : null };
    const stepId = run.nextStep++;
    return new Promise((resolve) => {
      run.steps.set(stepId, resolve);
      this.control(run, { type: 'step', stepId, step: msg });
    });
  }

  setSpeed(runId: string, speed: number): void {
    this.control(this.live(runId), { type: 'speed', speed });
  }

  stop(runId: string): void {
    const run = this.get(runId);
    if (!run.live) {
      this.release(run);
      return;
    }
    this.control(run, { type: 'stop' });
    // A worker deep inside one long advance() cannot read the message; it is cut off instead.
    run.stopTimer = setTimeout(() => {
      if (run.live) this.end(run, 'stopped');
      this.release(run);
    }, STOP_GRACE_MS);
    run.stopTimer.unref();
  }

  /** Resolves with the report once the run has finished (done, stopped or failed). */
  finished(runId: string): Promise<RunReport> {
    return this.get(runId).finished;
  }

  call(runId: string, call: WorkerCall): Promise<unknown> {
    const run = this.get(runId);
    const worker = run.worker;
    if (!worker) return Promise.reject(new HostError('conflict', `run ${runId} has ended and its network is gone`));
    const callId = run.nextCall++;
    return new Promise((resolve, reject) => {
      run.calls.set(callId, { resolve, reject });
      const msg: HostToWorker = { type: 'call', callId, call };
      worker.postMessage(msg);
    });
  }

  async dispose(): Promise<void> {
    const all = [...this.runs.values()];
    for (const run of all) {
      if (run.live) {
        run.error ??= 'the host shut down';
        this.end(run, 'stopped');
      }
    }
    await Promise.all(all.map((r) => r.worker?.terminate()));
    this.listeners.clear();
  }

  private get(runId: string): ActiveRun {
    const run = this.runs.get(runId);
    if (!run) throw new HostError('not-found', `no run ${runId}`);
    return run;
  }

  private live(runId: string): ActiveRun {
    const run = this.get(runId);
    if (!run.live) throw new HostError('conflict', `run ${runId} has already ${run.state === 'done' ? 'finished' : run.state === 'failed' ? 'failed' : 'stopped'}`);
    return run;
  }

  private control(run: ActiveRun, msg: HostToWorker): void {
    run.worker?.postMessage(msg);
  }

  private receive(run: ActiveRun, msg: WorkerToHost): void {
    if (msg.type === 'stepped') {
      const resolve = run.steps.get(msg.stepId);
      run.steps.delete(msg.stepId);
      resolve?.(toWireStep(msg.result));
      return;
    }
    if (msg.type === 'reply') {
      const pending = run.calls.get(msg.callId);
      if (!pending) return;
      run.calls.delete(msg.callId);
      if (msg.ok) pending.resolve(msg.value);
      else pending.reject(new HostError('invalid-argument', msg.message));
      return;
    }
    if (!run.live) return;
    run.status = msg.status;
    run.kindCounts = msg.kindCounts;
    if (msg.error !== undefined) run.error = msg.error;
    if (msg.scenarioReport) run.scenarioReport = msg.scenarioReport;
    const wire = msg.events.map((e) => {
      const w: RunEventWire = { t: e.t, kind: e.kind, text: e.text };
      if (e.device !== undefined) w.device = e.device;
      if (e.port !== undefined) w.port = e.port;
      return w;
    });
    for (const e of wire) {
      if (run.log.length < MAX_REPORT_EVENTS) run.log.push(e);
      else run.logOmitted++;
    }
    run.logOmitted += msg.dropped;
    const uiEvents = wire.length > MAX_UI_EVENTS ? wire.slice(wire.length - MAX_UI_EVENTS) : wire;
    const dropped = msg.dropped + (wire.length - uiEvents.length);
    run.state = msg.state;
    const batch: RunEventBatch = { runId: run.info.runId, state: msg.state, now: msg.status.now, endTime: msg.status.endTime, events: uiEvents };
    if (dropped > 0) batch.dropped = dropped;
    if (run.error !== undefined) batch.error = run.error;
    if (msg.links) batch.links = msg.links;
    if (msg.scenario) batch.scenario = msg.scenario;
    if (msg.scenarioReport) batch.report = msg.scenarioReport;
    this.emit(batch);
    if (!run.live) this.finish(run);
  }

  /** Ends a run from the host's side (worker crashed or would not stop). */
  private end(run: ActiveRun, state: RunState): void {
    if (!run.live) return;
    run.state = state;
    const batch: RunEventBatch = { runId: run.info.runId, state, now: run.status.now, endTime: run.status.endTime, events: [] };
    if (run.error !== undefined) batch.error = run.error;
    this.emit(batch);
    this.finish(run);
  }

  private finish(run: ActiveRun): void {
    if (run.report) return;
    const expectations = expectationsOf(run.scenarioReport);
    const passed = run.state === 'done' && (run.scenarioReport ? run.scenarioReport.passed : true) && expectations.every((e) => e.status === 'pass');
    const report: RunReport = {
      runId: run.info.runId,
      lab: run.params.lab.metadata.name,
      file: run.params.file,
      scenario: run.params.scenario,
      seed: run.params.seed,
      state: run.state,
      passed,
      startedAt: run.info.startedAt,
      finishedAt: new Date().toISOString(),
      wallMs: Date.now() - run.startedWall,
      simulatedNs: run.status.now,
      simulatedSeconds: run.status.now / 1e9,
      eventsExecuted: run.status.eventsExecuted,
      frameHops: run.status.frameHops,
      eventCounts: run.kindCounts,
      events: run.log,
      eventsOmitted: run.logOmitted,
      expectations,
      scenarioReport: run.scenarioReport,
    };
    if (run.error !== undefined) report.error = run.error;
    run.report = report;
    if (this.history && run.historyId !== null) {
      const outcome = run.state === 'done' ? (passed ? 'passed' : 'failed') : run.state === 'stopped' ? 'stopped' : 'error';
      try {
        this.history.recordRunFinish(run.historyId, outcome, report);
      } catch {
        // The history is a convenience: a store problem must not turn a finished run into a failure.
      }
    }
    if (run.state !== 'done') this.release(run);
    else this.trimFinished();
    run.resolveFinished(report);
  }

  /** Terminates a finished run's worker; its record stays for listRuns. */
  private release(run: ActiveRun): void {
    if (run.stopTimer) clearTimeout(run.stopTimer);
    run.stopTimer = null;
    const worker = run.worker;
    run.worker = null;
    this.rejectCalls(run, 'the run has ended');
    this.endSteps(run);
    void worker?.terminate();
  }

  /** A step whose worker is gone ends where the run was last seen. */
  private endSteps(run: ActiveRun): void {
    const steps = [...run.steps.values()];
    run.steps.clear();
    for (const resolve of steps) resolve({ now: run.status.now, reason: 'interrupted' });
  }

  private trimFinished(): void {
    const idle = [...this.runs.values()].filter((r) => !r.live && r.worker !== null);
    for (const r of idle.slice(0, Math.max(0, idle.length - this.keepFinished))) this.release(r);
  }

  private rejectCalls(run: ActiveRun, message: string): void {
    const calls = [...run.calls.values()];
    run.calls.clear();
    for (const c of calls) c.reject(new HostError('conflict', message));
  }

  private emit(batch: RunEventBatch): void {
    for (const l of [...this.listeners]) l(batch);
  }
}

/** The worker's event as the wire carries it: no keys for absent fields. */
function toWireStep(result: RunStepResult): RunStepResult {
  const out: RunStepResult = { now: result.now, reason: result.reason };
  if (result.event) {
    const e = result.event;
    out.event = { t: e.t, kind: e.kind, text: e.text, ...(e.device !== undefined ? { device: e.device } : {}), ...(e.port !== undefined ? { port: e.port } : {}) };
  }
  return out;
}
