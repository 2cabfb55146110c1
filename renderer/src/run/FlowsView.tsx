import type { ExpectationLive } from '../../../electron/host/contract.ts';
import { clock, percent, span } from './format.ts';
import { useRun } from './run-store.ts';
import { StripChart } from './StripChart.tsx';

const MARK: Record<ExpectationLive['status'], string> = { pending: '…', pass: '✓', fail: '✗', error: '!', skipped: '–' };

export function ExpectationList({ items }: { items: readonly ExpectationLive[] }) {
  return (
    <ul className="expectations" aria-label="Expectations">
      {items.map((e) => (
        <li key={e.index} className={`expectation ${e.status}`} data-testid="expectation" data-status={e.status}>
          <span className="expectation-mark" aria-hidden="true">
            {MARK[e.status]}
          </span>
          <span className="expectation-name">{e.name}</span>
          <span className="expectation-detail">
            {e.expected}
            {e.measured && <> · {e.measured}</>}
          </span>
        </li>
      ))}
    </ul>
  );
}

/** While a scenario runs: a strip per flow and the expectations as they are decided. */
export function FlowsView() {
  const live = useRun((s) => s.live);
  const endTime = useRun((s) => s.endTime);
  const now = useRun((s) => s.now);
  const runScenario = useRun((s) => s.runScenario);
  if (!live) {
    return <div className="empty-note">{runScenario === null ? 'Pick a scenario and press Run: each flow’s pings show here as they are answered or time out.' : 'Starting…'}</div>;
  }
  const spanNs = endTime ?? now;
  return (
    <div className="run-view flows-view">
      <div className="flows">
        {live.flows.length === 0 && <div className="empty-note">This scenario sends no traffic.</div>}
        {live.flows.map((f) => (
          <div key={f.id} className="flow-row" data-testid="flow-row">
            <div className="flow-head">
              <span className="flow-id">{f.id}</span>
              <span className="muted flow-text">{f.text}</span>
              <span className="flow-figures mono">
                {f.sent} sent · <span className={f.lost > 0 ? 'bad' : 'good'}>{f.lost} lost ({percent(f.lost, f.sent)})</span> · longest outage {span(f.longestOutageNs)}
              </span>
            </div>
            {f.error ? <div className="flow-error">{f.error}</div> : <StripChart flow={f} spanNs={spanNs} />}
          </div>
        ))}
        {live.flows.length > 0 && (
          <div className="strip-axis mono muted">
            <span>0 s</span>
            <span>{clock(spanNs)}</span>
          </div>
        )}
      </div>
      <ExpectationList items={live.expectations} />
    </div>
  );
}
