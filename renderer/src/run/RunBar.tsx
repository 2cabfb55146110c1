import { useEffect } from 'react';
import { useHost } from '../stores/host-store.ts';
import { useLab } from '../stores/lab-store.ts';
import { clock } from './format.ts';
import { FREE_RUN, SPEEDS, followRuns, isLive, useRun } from './run-store.ts';

const STATE_WORDS: Record<string, string> = {
  running: 'Running',
  paused: 'Paused',
  done: 'Finished',
  stopped: 'Stopped',
  failed: 'Failed',
};

/** Scenario, seed and speed; run, pause, step and stop; and how far the simulated clock has got. */
export function RunBar() {
  const host = useHost((s) => s.api);
  const scenarios = useLab((s) => s.view.scenarios);
  const generation = useLab((s) => s.generation);
  const run = useRun();
  const live = isLive(run.state);

  useEffect(() => (host ? followRuns(host) : undefined), [host]);
  // Another lab on the canvas: the run of the last one no longer matches what is drawn.
  useEffect(() => {
    const { runId, state, stop } = useRun.getState();
    if (runId && isLive(state)) void stop();
    useRun.setState({ runId: null, state: null, now: 0, endTime: null, links: null, live: null, report: null, timeline: [], dropped: 0, error: null });
  }, [generation]);
  useEffect(() => {
    const chosen = useRun.getState().scenario;
    if (chosen !== FREE_RUN && !scenarios.includes(chosen)) useRun.getState().setScenario(FREE_RUN);
  }, [scenarios]);

  const end = run.endTime;
  const fraction = end && end > 0 ? Math.min(1, run.now / end) : 0;
  return (
    <div className="run-bar" role="toolbar" aria-label="Run">
      <label className="run-field">
        <span>Scenario</span>
        <select aria-label="Scenario" value={run.scenario} onChange={(e) => run.setScenario(e.target.value)} disabled={live && run.state === 'running'}>
          <option value={FREE_RUN}>Free run</option>
          {scenarios.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      {run.scenario === FREE_RUN && (
        <label className="run-field">
          <span>for</span>
          <input
            aria-label="Free run seconds"
            type="number"
            min={1}
            max={86400}
            value={run.freeSeconds}
            onChange={(e) => run.setFreeSeconds(Math.max(1, Math.min(86400, Math.round(Number(e.target.value)) || 1)))}
          />
          <span>s</span>
        </label>
      )}
      <label className="run-field">
        <span>Seed</span>
        <input aria-label="Seed" type="number" min={0} max={4294967295} value={run.seed} onChange={(e) => run.setSeed(Math.max(0, Math.min(4294967295, Math.round(Number(e.target.value)) || 0)))} />
      </label>
      <div className="run-buttons">
        <button className="primary" onClick={() => void run.start()} disabled={run.busy || (live && run.state === 'running')} title="Start the run from time zero">
          ▶ Run
        </button>
        {run.state === 'paused' && run.now > 0 ? (
          <button onClick={() => void run.resume()}>Resume</button>
        ) : (
          <button onClick={() => void run.pause()} disabled={run.state !== 'running'}>
            ❚❚ Pause
          </button>
        )}
        <button onClick={() => void run.step()} disabled={!live} title="Advance one simulated second">
          Step 1 s
        </button>
        <button onClick={() => void run.stop()} disabled={!live}>
          ■ Stop
        </button>
      </div>
      <label className="run-field">
        <span>Speed</span>
        <select aria-label="Speed" value={run.speed} onChange={(e) => void run.setSpeed(Number(e.target.value))}>
          {SPEEDS.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </select>
      </label>
      <div className="run-progress" role="progressbar" aria-label="Simulated time" aria-valuemin={0} aria-valuemax={end ?? 0} aria-valuenow={run.now}>
        <div className="run-progress-fill" style={{ width: `${(fraction * 100).toFixed(2)}%` }} />
      </div>
      <span className="run-clock mono" data-testid="run-clock">
        {clock(run.now)}
        {end !== null && <span className="muted"> / {clock(end)}</span>}
      </span>
      <span className={`run-state ${run.state ?? 'idle'}`} data-testid="run-state">
        {run.state ? STATE_WORDS[run.state] : 'Not running'}
      </span>
    </div>
  );
}
