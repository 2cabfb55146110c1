import { useEffect, useMemo, useState } from 'react';
import { compileFilter, FilterSyntaxError } from '../../../electron/host/worker/capture-filter.ts';
import { useLab } from '../stores/lab-store.ts';
import { captureTargets, targetLabel } from './capture-model.ts';
import { useCaptures } from './capture-store.ts';
import { DecodeTree, HexDump } from './PacketDetail.tsx';
import { PacketList } from './PacketList.tsx';
import './captures.css';

/** How often a live run's captures are re-read: fast enough to watch counts grow, cheap for the worker. */
const POLL_MS = 500;

const isLive = (state: string | undefined) => state === 'running' || state === 'paused';

/** Which run captures act on; runs are started and stopped from the run bar. */
function RunBox() {
  const run = useCaptures((s) => s.run);
  return (
    <div className="cap-run" data-testid="capture-run">
      {run && isLive(run.state) ? (
        <>
          <span className={`run-dot ${run.state}`} />
          <span>
            {run.runId} · {run.state} · {(run.now / 1e9).toFixed(1)} s
          </span>
        </>
      ) : (
        <span className="muted">{run ? `${run.runId} ${run.state}: its captures can still be read and exported.` : 'Start a run (▶ Run above) to capture on it.'}</span>
      )}
    </div>
  );
}

function TargetPicker() {
  const view = useLab((s) => s.view);
  const run = useCaptures((s) => s.run);
  const start = useCaptures((s) => s.start);
  const targets = useMemo(() => captureTargets(view), [view]);
  const [target, setTarget] = useState('');
  const chosen = targets.some((t) => t.target === target) ? target : (targets[0]?.target ?? '');
  const links = targets.filter((t) => t.kind === 'link');
  const ports = targets.filter((t) => t.kind === 'port');
  return (
    <div className="cap-pick">
      <select aria-label="Capture target" value={chosen} onChange={(e) => setTarget(e.target.value)} disabled={targets.length === 0}>
        {links.length > 0 && (
          <optgroup label="Links">
            {links.map((t) => (
              <option key={t.target} value={t.target}>
                {t.label}
              </option>
            ))}
          </optgroup>
        )}
        {ports.length > 0 && (
          <optgroup label="Ports">
            {ports.map((t) => (
              <option key={t.target} value={t.target}>
                {t.label}
              </option>
            ))}
          </optgroup>
        )}
      </select>
      <button
        disabled={!chosen || !run || !isLive(run.state)}
        title={run && isLive(run.state) ? 'Capture frames on this link or port' : 'Start a run first'}
        onClick={() => void start(chosen)}
      >
        Capture
      </button>
    </div>
  );
}

function CaptureList() {
  const captures = useCaptures((s) => s.captures);
  const stopped = useCaptures((s) => s.stopped);
  const selected = useCaptures((s) => s.selected);
  const select = useCaptures((s) => s.select);
  const stop = useCaptures((s) => s.stop);
  const exportPcapng = useCaptures((s) => s.exportPcapng);
  const runLive = useCaptures((s) => isLive(s.run?.state));
  if (captures.length === 0) return <div className="empty-note">No captures on this run yet.</div>;
  return (
    <ul className="cap-list" aria-label="Captures">
      {captures.map((c) => {
        const active = runLive && !stopped.has(c.id);
        return (
          <li key={c.id} data-testid="capture-row" className={c.id === selected ? 'selected' : ''} onClick={() => select(c.id)} aria-selected={c.id === selected}>
            <div className="cap-target" title={c.target}>
              <span className={`rec-dot${active ? ' on' : ''}`} aria-label={active ? 'capturing' : 'stopped'} />
              {targetLabel(c.target)}
            </div>
            <div className="cap-meta">
              <span data-testid="capture-frames">{c.frames} frames</span>
              <span className="spacer" />
              {active && (
                <button
                  className="small"
                  onClick={(e) => {
                    e.stopPropagation();
                    void stop(c.id);
                  }}
                >
                  Stop
                </button>
              )}
              <button
                className="small"
                title="Download as a pcapng file (opens in Wireshark)"
                onClick={(e) => {
                  e.stopPropagation();
                  void exportPcapng(c.id);
                }}
              >
                Export pcapng
              </button>
            </div>
          </li>
        );
      })}
    </ul>
  );
}

function FilterBar() {
  const draft = useCaptures((s) => s.filterDraft);
  const applied = useCaptures((s) => s.filter);
  const hostError = useCaptures((s) => s.filterError);
  const setDraft = useCaptures((s) => s.setFilterDraft);
  const apply = useCaptures((s) => s.applyFilter);
  const matched = useCaptures((s) => s.matched);
  const total = useCaptures((s) => s.total);
  // Read as typed with the same parser the worker runs, so the box turns red before Enter.
  const typedError = useMemo(() => {
    try {
      compileFilter(draft);
      return null;
    } catch (e) {
      return e instanceof FilterSyntaxError ? e.message : String(e);
    }
  }, [draft]);
  const error = typedError ?? (draft.trim() === applied ? (hostError?.message ?? null) : null);
  const state = draft.trim() === '' ? '' : error ? ' invalid' : ' valid';
  return (
    <div className="cap-filter">
      <div className="row">
        <input
          className={`mono${state}`}
          aria-label="Display filter"
          aria-invalid={error !== null}
          placeholder="Display filter: arp, icmp && vlan.id == 10, eth.addr == 02:bf:0a:00:00:32, ip.addr == 10.0.0.1 …"
          spellCheck={false}
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') apply();
            if (e.key === 'Escape') {
              setDraft('');
              apply();
            }
          }}
        />
        <button onClick={apply}>Apply</button>
        <span className="cap-count" data-testid="capture-shown">
          {applied ? `${matched} of ${total} shown` : `${total} frames`}
        </span>
      </div>
      {error && (
        <div className="filter-error" role="alert">
          {error}
        </div>
      )}
    </div>
  );
}

/** The Captures tab: pick a link or port, watch its frames, filter, decode and export them. */
export function CapturesPanel() {
  const runId = useCaptures((s) => s.run?.runId);
  const live = useCaptures((s) => isLive(s.run?.state));
  const selected = useCaptures((s) => s.selected);

  useEffect(() => {
    if (!runId) return;
    void useCaptures.getState().refresh();
    if (!live) return;
    const timer = setInterval(() => void useCaptures.getState().refresh(), POLL_MS);
    return () => clearInterval(timer);
  }, [runId, live]);

  return (
    <div className="captures-view" data-testid="captures">
      <aside className="cap-side">
        <RunBox />
        <TargetPicker />
        <CaptureList />
      </aside>
      <section className="cap-main">
        <FilterBar />
        {selected ? (
          <>
            <PacketList />
            <div className="cap-detail">
              <DecodeTree />
              <HexDump />
            </div>
          </>
        ) : (
          <div className="empty-note">Start a capture on a link or port, or pick one on the left, to see its packets here.</div>
        )}
      </section>
    </div>
  );
}
