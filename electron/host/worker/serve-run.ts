import { parentPort, workerData } from 'node:worker_threads';
import type { LabRun, RunOptions } from '../../../emulator/run/types.ts';
import type { Lab } from '../../../emulator/lab/schema.ts';
import type { HostToWorker, RunWorkerInit, WorkerToHost } from './protocol.ts';
import { RunLoop } from './run-loop.ts';
import { compileScenario } from '../../../emulator/scenario/compile.ts';

/** Probe intervals of the scenario's flows; none when it does not compile (the run reports why). */
function flowIntervals(lab: Lab, scenario: string | undefined): Map<string, number> {
  const spec = scenario === undefined ? undefined : lab.scenarios.find((s) => s.name === scenario);
  if (!spec) return new Map();
  try {
    return new Map(compileScenario(spec).flows.map((f) => [f.id, f.spec.everyNs]));
  } catch {
    return new Map();
  }
}

export type RunFactory = (lab: Lab, options: RunOptions) => LabRun;

/** The body of a run worker: build the run from `workerData.init` and serve the host's messages. */
export function serveRun(create: RunFactory): void {
  const port = parentPort;
  if (!port) throw new Error('a run worker must be started as a worker thread');
  const init = (workerData as { init: RunWorkerInit }).init;
  const post = (msg: WorkerToHost) => port.postMessage(msg);
  let run: LabRun;
  try {
    run = create(init.lab, init.options);
  } catch (err) {
    post({
      type: 'batch',
      state: 'failed',
      status: { now: 0, endTime: null, done: true, eventsExecuted: 0, frameHops: 0 },
      events: [],
      dropped: 0,
      kindCounts: {},
      error: err instanceof Error ? err.message : String(err),
    });
    return;
  }
  const loop = new RunLoop(
    run,
    init.speed,
    init.batchMs,
    init.paused ?? false,
    {
      post,
      now: () => performance.now(),
      setTimer: (fn, ms) => void setTimeout(fn, ms),
      yieldThen: (fn) => void setImmediate(fn),
    },
    { flowEveryNs: flowIntervals(init.lab, init.options.scenario) },
  );
  port.on('message', (msg: HostToWorker) => loop.handle(msg));
}
