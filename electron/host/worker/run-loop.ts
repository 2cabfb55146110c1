import type { RunState, RunStepResult } from '../contract.ts';
import type { LabRun, RunEvent } from '../../../emulator/run/types.ts';
import { CaptureViews } from './capture-view.ts';
import type { HostToWorker, WorkerBatch, WorkerCall, WorkerStep, WorkerToHost } from './protocol.ts';
import { LinkSampler, scenarioLive } from './live-view.ts';
import { isNotableEvent } from './notable-events.ts';

/** Enough events per batch for any timeline view; beyond this a batch carries a count instead. */
const MAX_EVENTS_PER_BATCH = 5000;
/** Aim for each slice of simulation to hold the thread this long, so control messages stay prompt. */
const SLICE_TARGET_MS = 20;
const MIN_CHUNK_NS = 1_000;
const MAX_CHUNK_NS = 3600e9;
/** When a paced run falls this far behind the wall clock, it stops trying to catch up. */
const MAX_LAG_MS = 1000;
/** Link loads and flow strips are worked out this often at most: a person cannot read them faster. */
const LIVE_SAMPLE_MS = 250;
/** How far a next-event step of a run without an end looks before it gives up. */
const EVENT_STEP_WINDOW_NS = 3600e9;

/** A step under way: it runs flat out in slices, like a running run, so messages still get through. */
interface ActiveStep {
  id: number;
  /** Where the step stops at the latest (integer ns). */
  untilNs: number;
  /** Stop at the first notable event rather than going the whole way. */
  toEvent: boolean;
}

export interface RunLoopOptions {
  /** Each scenario flow's probe interval, so the UI can place every probe in time. */
  flowEveryNs?: ReadonlyMap<string, number>;
}

export interface RunLoopDeps {
  post(msg: WorkerToHost): void;
  now(): number;
  setTimer(fn: () => void, ms: number): void;
  yieldThen(fn: () => void): void;
}

/**
 * Drives a LabRun in real time (or flat out), answers console and capture calls, and reports
 * progress in batches at most every `batchMs`. Lives inside the worker thread; kept free of
 * `worker_threads` so it can be tested on its own.
 */
export class RunLoop {
  private state: RunState;
  private speed: number;
  private anchorWall = 0;
  private anchorSim = 0;
  private chunkNs = 1e6;
  private pending: RunEvent[] = [];
  private readonly captureViews = new CaptureViews((id) => {
    if (!this.run.captureReader) throw new Error('this run cannot list captured packets');
    return this.run.captureReader(id);
  });
  private dropped = 0;
  private readonly kindCounts: Record<string, number> = {};
  private lastFlush = -Infinity;
  private flushQueued = false;
  private tickQueued = false;
  private stepping: ActiveStep | null = null;
  private stepQueued = false;
  private lastReportedNow = -1;
  private error: string | undefined;
  private readonly links = new LinkSampler();
  private lastLive = -Infinity;

  constructor(
    private readonly run: LabRun,
    speed: number,
    private readonly batchMs: number,
    paused: boolean,
    private readonly deps: RunLoopDeps,
    private readonly options: RunLoopOptions = {},
  ) {
    this.speed = speed;
    this.state = paused ? 'paused' : 'running';
    this.reanchor();
    this.flush();
    this.queueTick();
  }

  handle(msg: HostToWorker): void {
    switch (msg.type) {
      case 'pause':
        if (this.state === 'running') {
          this.state = 'paused';
          this.flush();
        } else if (this.stepping) {
          // Pause during a step: hold the run where the step has got to.
          this.endStep('interrupted');
        }
        return;
      case 'resume':
        if (this.stepping) this.endStep('interrupted');
        if (this.state === 'paused') {
          this.state = 'running';
          this.reanchor();
          this.flush();
          this.queueTick();
        }
        return;
      case 'step':
        this.beginStep(msg.stepId, msg.step);
        return;
      case 'stop':
        if (this.state === 'running' || this.state === 'paused') {
          this.state = 'stopped';
          if (this.stepping) this.endStep('interrupted');
          else this.flush();
        }
        return;
      case 'speed':
        this.speed = msg.speed;
        this.reanchor();
        return;
      case 'call':
        this.answer(msg.callId, msg.call);
        return;
    }
  }

  private answer(callId: number, call: WorkerCall): void {
    try {
      const value = this.perform(call);
      this.deps.post({ type: 'reply', callId, ok: true, value });
    } catch (err) {
      this.deps.post({ type: 'reply', callId, ok: false, message: err instanceof Error ? err.message : String(err) });
    }
    // Console commands can change the network (shut a port, clear a table): report it.
    this.scheduleFlush();
  }

  private perform(call: WorkerCall): unknown {
    switch (call.op) {
      case 'consoleInput':
        return this.run.consoleInput(call.device, call.line);
      case 'consolePrompt':
        return this.run.consolePrompt(call.device);
      case 'consoleComplete':
        return this.run.consoleComplete?.(call.device, call.partial) ?? [];
      case 'consoleTraits':
        return this.run.consoleTraits?.(call.device) ?? { helpKey: false, completion: false };
      case 'startCapture':
        return this.run.startCapture(call.target);
      case 'stopCapture':
        this.run.stopCapture(call.id);
        return null;
      case 'listCaptures':
        return this.run.listCaptures();
      case 'exportCapture':
        return this.run.exportCapture(call.id);
      case 'capturePackets':
        return this.captureViews.page(call.id, call.offset, call.limit, call.filter);
      case 'captureFrame':
        return this.captureViews.frame(call.id, call.frame);
    }
  }

  private reanchor(): void {
    this.anchorWall = this.deps.now();
    this.anchorSim = this.run.status().now;
  }

  private queueTick(): void {
    if (this.tickQueued || this.state !== 'running') return;
    this.tickQueued = true;
    const go = () => {
      this.tickQueued = false;
      this.tick();
    };
    // Flat out: yield only long enough for messages to get through. Paced: wake a few times per batch.
    if (this.speed === 0) this.deps.yieldThen(go);
    else this.deps.setTimer(go, Math.max(1, Math.min(10, this.batchMs / 4)));
  }

  private tick(): void {
    if (this.state !== 'running') return;
    const status = this.run.status();
    let target = status.now + this.chunkNs;
    if (this.speed > 0) {
      const wall = this.deps.now();
      const paced = this.anchorSim + Math.floor((wall - this.anchorWall) * 1e6 * this.speed);
      if (paced < target) target = paced;
      else if ((paced - target) / (1e6 * this.speed) > MAX_LAG_MS) this.reanchor();
    }
    if (target > status.now) this.advanceTo(target);
    this.checkDone();
    if (this.state === 'running') {
      this.scheduleFlush();
      this.queueTick();
    } else {
      this.flush();
    }
  }

  private beginStep(id: number, step: WorkerStep): void {
    // The host allows one step at a time; a second one replaces the first rather than queueing.
    if (this.stepping) this.endStep('interrupted');
    const status = this.run.status();
    if (this.state !== 'paused') {
      this.deps.post({ type: 'stepped', stepId: id, result: { now: status.now, reason: 'interrupted' } });
      return;
    }
    let until = step.by === 'time' ? status.now + step.ns : status.now + (step.withinNs ?? (status.endTime !== null ? Infinity : EVENT_STEP_WINDOW_NS));
    if (status.endTime !== null) until = Math.min(until, status.endTime);
    this.stepping = { id, untilNs: until, toEvent: step.by === 'event' };
    // A short step is over within this first slice, as quickly as the old one-shot step was.
    this.stepSlice();
  }

  private queueStep(): void {
    if (this.stepQueued || !this.stepping) return;
    this.stepQueued = true;
    this.deps.yieldThen(() => {
      this.stepQueued = false;
      this.stepSlice();
    });
  }

  /**
   * Advances the step for about one slice. A next-event step goes from one due time to the next,
   * so it halts on the very nanosecond of the first notable event rather than at a slice's end.
   */
  private stepSlice(): void {
    const step = this.stepping;
    if (!step || this.state !== 'paused') return;
    const started = this.deps.now();
    let found: RunEvent | undefined;
    let stuck = false;
    for (;;) {
      const now = this.run.status().now;
      if (now >= step.untilNs) break;
      const to = step.toEvent ? this.nextStop(now, step.untilNs) : Math.min(step.untilNs, now + this.chunkNs);
      const events = this.advanceTo(to);
      if (step.toEvent) found = events.find((e) => isNotableEvent(e.kind));
      this.checkDone();
      if (found || this.currentState !== 'paused') break;
      // A run whose clock will not move must not spin the worker.
      if (this.run.status().now <= now) {
        stuck = true;
        break;
      }
      if (this.deps.now() - started >= SLICE_TARGET_MS) {
        this.scheduleFlush();
        this.queueStep();
        return;
      }
    }
    // Read through the getter: advancing can end or fail the run, which narrowing above cannot see.
    const state = this.currentState;
    const reason: RunStepResult['reason'] = found ? 'event' : state === 'done' ? 'end' : state !== 'paused' || stuck ? 'interrupted' : step.toEvent ? 'limit' : 'elapsed';
    this.endStep(reason, found);
  }

  /** Where a next-event step advances to next: the next due time, or a slice when the run cannot say. */
  private nextStop(now: number, limit: number): number {
    if (!this.run.nextEventAt) return Math.min(limit, now + this.chunkNs);
    const due = this.run.nextEventAt();
    if (due === null) return limit;
    // Something due at the current instant (typed at a console) runs one nanosecond on.
    return Math.min(limit, Math.max(due, now + 1));
  }

  private endStep(reason: RunStepResult['reason'], event?: RunEvent): void {
    const step = this.stepping;
    if (!step) return;
    this.stepping = null;
    this.flush();
    const result: RunStepResult = { now: this.run.status().now, reason };
    if (event) result.event = event;
    this.deps.post({ type: 'stepped', stepId: step.id, result });
  }

  /** Runs to `target` (never past the end) and returns the events on the way, which are also queued for the next batch. */
  private advanceTo(target: number): RunEvent[] {
    const status = this.run.status();
    const end = status.endTime;
    const until = end !== null && target > end ? end : target;
    if (until <= status.now) return [];
    const started = this.deps.now();
    let events: RunEvent[];
    try {
      events = this.run.advance(until);
    } catch (err) {
      this.state = 'failed';
      this.error = err instanceof Error ? err.message : String(err);
      return [];
    }
    this.collect(events);
    const took = this.deps.now() - started;
    const step = until - status.now;
    // Adapt the slice so that one advance() holds the thread for about SLICE_TARGET_MS.
    if (step >= this.chunkNs) {
      if (took < SLICE_TARGET_MS / 2) this.chunkNs = Math.min(MAX_CHUNK_NS, this.chunkNs * 2);
      else if (took > SLICE_TARGET_MS * 2) this.chunkNs = Math.max(MIN_CHUNK_NS, Math.round(this.chunkNs / 2));
    }
    return events;
  }

  private checkDone(): void {
    if (this.state !== 'running' && this.state !== 'paused') return;
    const status = this.run.status();
    if (status.done || (status.endTime !== null && status.now >= status.endTime)) this.state = 'done';
  }

  private collect(events: RunEvent[]): void {
    for (const e of events) {
      this.kindCounts[e.kind] = (this.kindCounts[e.kind] ?? 0) + 1;
      if (this.pending.length < MAX_EVENTS_PER_BATCH) this.pending.push(e);
      else this.dropped++;
    }
  }

  private scheduleFlush(): void {
    if (this.flushQueued) return;
    const wait = this.lastFlush + this.batchMs - this.deps.now();
    if (wait <= 0) {
      this.flush();
      return;
    }
    this.flushQueued = true;
    this.deps.setTimer(() => {
      this.flushQueued = false;
      if (this.pending.length > 0 || this.run.status().now !== this.lastReportedNow) this.flush();
    }, wait);
  }

  private flush(): void {
    const status = this.run.status();
    const batch: WorkerBatch = {
      type: 'batch',
      state: this.state,
      status,
      events: this.pending,
      dropped: this.dropped,
      kindCounts: { ...this.kindCounts },
    };
    if (this.error !== undefined) batch.error = this.error;
    const ended = this.state !== 'running' && this.state !== 'paused';
    let report = ended ? this.scenarioReport() : null;
    if (report) batch.scenarioReport = report;
    const wall = this.deps.now();
    // A paused run flushes only on a step or a console command, and each of those must show.
    if (ended || this.state === 'paused' || wall - this.lastLive >= LIVE_SAMPLE_MS) {
      this.lastLive = wall;
      if (this.run.linkStates) batch.links = this.links.sample(this.run.linkStates(), status.now);
      report ??= this.scenarioReport();
      if (report) batch.scenario = scenarioLive(report, this.options.flowEveryNs ?? new Map());
    }
    this.pending = [];
    this.dropped = 0;
    this.lastFlush = this.deps.now();
    this.lastReportedNow = status.now;
    this.deps.post(batch);
  }

  private scenarioReport() {
    try {
      return this.run.scenarioReport?.() ?? null;
    } catch (err) {
      this.error ??= `the scenario report could not be made: ${err instanceof Error ? err.message : String(err)}`;
      return null;
    }
  }

  get currentState(): RunState {
    return this.state;
  }
}
