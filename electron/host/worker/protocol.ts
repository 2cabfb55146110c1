import type { LinkLive, RunState, RunStepResult, ScenarioLive } from '../contract.ts';
import type { RunEvent, RunOptions, RunStatus } from '../../../emulator/run/types.ts';
import type { RunReport as ScenarioReport } from '../../../emulator/scenario/report.ts';
import type { Lab } from '../../../emulator/lab/schema.ts';

/** What a run worker is started with (its `workerData`). Plain data: it crosses a thread boundary. */
export interface RunWorkerInit {
  lab: Lab;
  options: RunOptions;
  /** Simulated seconds per wall second; 0 = as fast as possible. */
  speed: number;
  /** How often, at most, the worker reports progress. */
  batchMs: number;
  /** Start paused (the host then steps or resumes it). */
  paused?: boolean;
}

/** Calls that need an answer: console and capture work against the live run. */
export type WorkerCall =
  | { op: 'consoleInput'; device: string; line: string }
  | { op: 'consolePrompt'; device: string }
  | { op: 'consoleComplete'; device: string; partial: string }
  | { op: 'consoleTraits'; device: string }
  | { op: 'startCapture'; target: string }
  | { op: 'stopCapture'; id: string }
  | { op: 'listCaptures' }
  | { op: 'exportCapture'; id: string }
  | { op: 'capturePackets'; id: string; offset: number; limit: number; filter: string }
  | { op: 'captureFrame'; id: string; frame: number };

/** A step of a paused run: a span of simulated time, or on to the next notable event within a limit. */
export type WorkerStep = { by: 'time'; ns: number } | { by: 'event'; withinNs: number | null };

export type HostToWorker =
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'step'; stepId: number; step: WorkerStep }
  | { type: 'stop' }
  | { type: 'speed'; speed: number }
  | { type: 'call'; callId: number; call: WorkerCall };

export interface WorkerBatch {
  type: 'batch';
  state: RunState;
  status: RunStatus;
  events: RunEvent[];
  /** Events left out of this batch because the run produced more than one batch may carry. */
  dropped: number;
  /** Every event kind seen so far and how often: complete even when batches drop events. */
  kindCounts: Record<string, number>;
  error?: string;
  /** On the batch that ends a scenario run: the scenario's report. */
  scenarioReport?: ScenarioReport;
  /** Sampled a few times a second, not on every batch: the lab's links in file order. */
  links?: LinkLive[];
  /** Sampled with `links`: a scenario's flows and expectations so far. */
  scenario?: ScenarioLive;
}

export type WorkerToHost =
  | WorkerBatch
  /** A step is over; its last batch has already been posted. */
  | { type: 'stepped'; stepId: number; result: RunStepResult }
  | { type: 'reply'; callId: number; ok: true; value: unknown }
  | { type: 'reply'; callId: number; ok: false; message: string };
