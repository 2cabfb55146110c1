import type { ExpectationLive } from '../../../electron/host/contract.ts';
import { ExpectationList } from './FlowsView.tsx';
import { clock, percent, span } from './format.ts';
import { useRun } from './run-store.ts';

/** The end of a scenario run: did it pass, and what each flow lost and for how long. */
export function ReportView() {
  const report = useRun((s) => s.report);
  const state = useRun((s) => s.state);
  const now = useRun((s) => s.now);
  const runScenario = useRun((s) => s.runScenario);
  const error = useRun((s) => s.error);
  if (!report) {
    if (state === 'done' || state === 'stopped' || state === 'failed')
      return (
        <div className="run-view report-view" data-testid="run-summary">
          <div className={`verdict ${state === 'done' ? 'pass' : 'fail'}`}>
            {runScenario === null ? 'Free run' : runScenario} {state === 'done' ? 'finished' : state} at {clock(now)}
          </div>
          {error && <div className="flow-error">{error}</div>}
        </div>
      );
    return <div className="empty-note">The report appears here when a scenario run ends.</div>;
  }
  const expectations: ExpectationLive[] = report.expectations.map((e) => ({ ...e }));
  return (
    <div className="run-view report-view" data-testid="run-report">
      <div className={`verdict ${report.passed ? 'pass' : 'fail'}`} data-testid="verdict">
        {report.passed ? 'PASSED' : 'FAILED'} · {report.title ?? report.scenario} · seed {report.seed} · {clock(report.durationNs)} of {clock(report.plannedNs)} simulated · {report.counts.pass}/{report.counts.total} expectations held
        {report.counts.problems > 0 && ` · ${report.counts.problems} step problems`}
      </div>
      <div className="report-body">
        <table className="grid-table outage-table" aria-label="Outage per flow">
          <thead>
            <tr>
              <th>Flow</th>
              <th style={{ width: 70 }}>Sent</th>
              <th style={{ width: 70 }}>Lost</th>
              <th style={{ width: 70 }}>Loss</th>
              <th style={{ width: 120 }}>Longest outage</th>
              <th style={{ width: 110 }}>Total outage</th>
              <th style={{ width: 170 }}>RTT min/avg/max</th>
            </tr>
          </thead>
          <tbody>
            {report.flows.map((f) => (
              <tr key={f.id} data-testid="outage-row">
                <td title={f.text}>
                  <b>{f.id}</b> <span className="muted">{f.text}</span>
                </td>
                <td className="mono">{f.sent}</td>
                <td className={`mono ${f.lost > 0 ? 'bad' : ''}`}>{f.lost}</td>
                <td className="mono">{percent(f.lost, f.sent)}</td>
                <td className="mono">{span(f.longestOutageNs)}</td>
                <td className="mono">{span(f.totalOutageNs)}</td>
                <td className="mono">{f.rtt ? `${span(f.rtt.minNs)}/${span(f.rtt.avgNs)}/${span(f.rtt.maxNs)}` : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <ExpectationList items={expectations} />
        {report.problems.map((p) => (
          <div key={p.step} className="flow-error">
            Step {p.step + 1} at {clock(p.atNs)} ({p.text}): {p.error}
          </div>
        ))}
      </div>
    </div>
  );
}
