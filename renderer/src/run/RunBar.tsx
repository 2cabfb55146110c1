import { useEffect } from 'react';
import { useHost } from '../stores/host-store.ts';
import { useLab } from '../stores/lab-store.ts';
import type { RunStepResult } from '../../../electron/host/contract.ts';
import { clock } from './format.ts';
import { FREE_RUN, SPEEDS, STEP_SIZES, followRuns, isLive, useRun } from './run-store.ts';

const STATE_WORDS: Record<string, string> = {
  running: 'Running',
  paused: 'Paused',
  done: 'Finished',
  stopped: 'Stopped',
  failed: 'Failed',
};

/** "Skip to next": a play triangle against a bar, drawn so it shows whatever fonts the system has. */
function NextEventIcon() {
  return (
    <svg width="12" height="12" viewBox="0 0 12 12" aria-hidden="true" className="run-icon">
      <path d="M1.5 1.5 8 6l-6.5 4.5z" fill="currentColor" />
      <rect x="8.5" y="1.5" width="2" height="9" fill="currentColor" />
    </svg>
  );
}

/** What the last next-event step found, in a few words; the full event text goes in the tooltip. */
function StepNote({ result }: { result: RunStepResult }) {
  let text: string;
  let title: string;
  if (result.reason === 'event' && result.event) {
    const e = result.event;
    const where = [e.device, e.port].filter(Boolean).join(':');
    text = `${e.kind}${where ? ` ${where}` : ''}`;
    title = `Stopped at ${clock(e.t)}: ${e.text}`;
  } else if (result.reason === 'limit' || result.reason === 'end') {
    text = 'No event ahead';
    title = `Nothing the timeline lists happened up to ${clock(result.now)}`;
  } else {
    return null;
  }
  return (
    <span className="run-step-note" data-testid="step-note" title={title}>
      <NextEventIcon />
      <span>{text}</span>
    </span>
  );
}

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
    useRun.setState({ runId: null, state: null, now: 0, endTime: null, links: null, live: null, report: null, timeline: [], dropped: 0, error: null, stepping: null, lastEventStep: null });
  }, [generation]);
  useEffect(() => {
    const chosen = useRun.getState().scenario;
    if (chosen !== FREE_RUN && !scenarios.includes(chosen)) useRun.getState().setScenario(FREE_RUN);
  }, [scenarios]);

  const stepping = run.stepping !== null;
  const stepLabel = STEP_SIZES.find((s) => s.value === run.stepSize)?.label ?? `${run.stepSize} s`;
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
            className="run-seconds"
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
        {stepping ? (
          <button onClick={() => void run.pause()} title="End the step here">
            ❚❚ Pause
          </button>
        ) : run.state === 'paused' && run.now > 0 ? (
          <button onClick={() => void run.resume()}>Resume</button>
        ) : (
          <button onClick={() => void run.pause()} disabled={run.state !== 'running'}>
            ❚❚ Pause
          </button>
        )}
        <div className="run-step" role="group" aria-label="Step">
          <button onClick={() => void run.step()} disabled={!live || stepping} title={`Advance ${stepLabel} of simulated time and pause (a running run is paused first)`}>
            Step {stepLabel}
          </button>
          {/* A split button: the size is already on the Step button, so its menu shows only the arrow. */}
          <span className="run-step-size">
            <select aria-label="Step size" value={run.stepSize} onChange={(e) => run.setStepSize(Number(e.target.value))} title="How far one Step goes">
              {STEP_SIZES.map((s) => (
                <option key={s.value} value={s.value}>
                  {s.label}
                </option>
              ))}
            </select>
            <svg width="10" height="10" viewBox="0 0 10 10" aria-hidden="true">
              <path d="M1.5 3.5 5 7l3.5-3.5" fill="none" stroke="currentColor" strokeWidth="1.6" />
            </svg>
          </span>
          <button
            onClick={() => void run.stepToEvent()}
            disabled={!live || stepping}
            title={`Run on to the next event the timeline lists and pause there; at the latest at ${end !== null ? `the run's end, ${clock(end)}` : 'an hour on'}`}
          >
            Next event
          </button>
        </div>
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
      <div className="run-track">
        {run.lastEventStep && <StepNote result={run.lastEventStep} />}
        <div className="run-progress" role="progressbar" aria-label="Simulated time" aria-valuemin={0} aria-valuemax={end ?? 0} aria-valuenow={run.now}>
          <div className="run-progress-fill" style={{ width: `${(fraction * 100).toFixed(2)}%` }} />
        </div>
      </div>
      <span className="run-clock mono" data-testid="run-clock">
        {clock(run.now)}
        {end !== null && <span className="muted"> / {clock(end)}</span>}
      </span>
      <span className={`run-state ${stepping && run.state === 'paused' ? 'running' : (run.state ?? 'idle')}`} data-testid="run-state">
        {stepping && run.state === 'paused' ? 'Stepping…' : run.state ? STATE_WORDS[run.state] : 'Not running'}
      </span>
    </div>
  );
}
