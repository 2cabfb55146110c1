import type { LabError } from '../../../electron/host/contract.ts';
import { CapturesPanel } from '../capture/CapturesPanel.tsx';
import { useCaptures } from '../capture/capture-store.ts';
import { ConsolePanel } from '../console/ConsolePanel.tsx';
import { useConsoles } from '../console/console-store.ts';
import { errorTarget } from '../lab/lab-text.ts';
import { FlowsView } from '../run/FlowsView.tsx';
import { ReportView } from '../run/ReportView.tsx';
import { useRun } from '../run/run-store.ts';
import { TimelineView } from '../run/TimelineView.tsx';
import { useHost } from '../stores/host-store.ts';
import { useLab } from '../stores/lab-store.ts';
import { useUi, type BottomTab } from '../stores/ui-store.ts';

function formatTime(ns: number): string {
  // Simulated time arrives in nanoseconds; seconds with millisecond precision read best in a log.
  return `${(ns / 1e9).toFixed(3)}s`;
}

function Problems() {
  const errors = useLab((s) => s.errors);
  // Problems of a file that was dropped but could not be read: they name that file and point at nothing on the canvas.
  const refused = useLab((s) => s.refused);
  const syntaxError = useLab((s) => s.view.syntaxError);
  const devices = useLab((s) => s.view.devices);
  const select = useLab((s) => s.select);
  const loaded = useLab((s) => s.loaded);
  const reveal = (e: LabError) => {
    const target = errorTarget(e.path);
    if (!target) return;
    // The host counts entries in the file, which may include one not drawn for want of a name.
    const d = target.list === 'devices' ? devices.find((x) => x.index === target.index) : undefined;
    if (d) select({ kind: 'device', name: d.name });
    if (target.list === 'links') select({ kind: 'link', index: target.index });
  };
  if (!loaded) return <div className="empty-note">Open a lab to see its problems here.</div>;
  if (errors.length === 0 && !syntaxError) return <div className="empty-note ok">No problems: the host’s parser accepts this lab.</div>;
  return (
    <table className="grid-table problems">
      <thead>
        <tr>
          <th style={{ width: refused.length > 0 ? 200 : 90 }}>Line</th>
          <th style={{ width: 220 }}>Field</th>
          <th>Problem</th>
        </tr>
      </thead>
      <tbody>
        {errors.map((e, i) => {
          const foreign = refused.includes(e);
          return (
            <tr key={i} className={foreign ? 'foreign' : 'clickable'} onClick={foreign ? undefined : () => reveal(e)}>
              <td className="mono" title={foreign ? `${e.file} was not opened` : undefined}>
                <span className="sev-dot" />
                {foreign ? `${e.file}:` : ''}
                {e.line}:{e.col}
              </td>
              <td className="mono">{e.path || '—'}</td>
              <td>{e.message}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function Events() {
  const events = useHost((s) => s.events);
  if (events.length === 0) return <div className="empty-note">No run events yet. Events from a running scenario appear here as they happen.</div>;
  return (
    <table className="grid-table events">
      <thead>
        <tr>
          <th style={{ width: 100 }}>Time</th>
          <th style={{ width: 140 }}>Event</th>
          <th style={{ width: 160 }}>Where</th>
          <th>Detail</th>
        </tr>
      </thead>
      <tbody>
        {events.slice(-500).map((e, i) => (
          <tr key={i}>
            <td className="mono">{formatTime(e.t)}</td>
            <td>{e.kind}</td>
            <td className="mono">{[e.device, e.port].filter(Boolean).join(':') || '—'}</td>
            <td>{e.text}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function BottomPanel() {
  const tab = useUi((s) => s.bottomTab);
  const open = useUi((s) => s.bottomOpen);
  const showTab = useUi((s) => s.showTab);
  const toggle = useUi((s) => s.toggleBottom);
  const problems = useLab((s) => s.errors.length + (s.view.syntaxError ? 1 : 0));
  const events = useHost((s) => s.events.length);
  const captures = useCaptures((s) => s.captures.length);
  const timeline = useRun((s) => s.timeline.length);
  const consoles = useConsoles((s) => s.tabs.length);
  const tabs: [BottomTab, string, number | null][] = [
    ['problems', 'Problems', problems],
    ['events', 'Events', events],
    ['flows', 'Flows', null],
    ['timeline', 'Timeline', timeline],
    ['report', 'Report', null],
    ['console', 'Console', consoles],
    ['captures', 'Captures', captures],
  ];
  return (
    <section className={`bottom-panel${open ? '' : ' collapsed'}`} aria-label="Panel">
      <div className="tabs" role="tablist">
        {tabs.map(([id, label, count]) => (
          <button key={id} role="tab" aria-selected={tab === id} className={tab === id ? 'tab active' : 'tab'} onClick={() => showTab(id)}>
            {label}
            {count !== null && count > 0 && <span className={`count${id === 'problems' ? ' bad' : ''}`}>{count}</span>}
          </button>
        ))}
        <span className="spacer" />
        <button className="icon-button" onClick={toggle} aria-label={open ? 'Collapse panel' : 'Expand panel'} title={open ? 'Collapse' : 'Expand'}>
          {open ? '▾' : '▴'}
        </button>
      </div>
      {open && (
        <div className="tab-body">
          {tab === 'problems' && <Problems />}
          {tab === 'events' && <Events />}
          {tab === 'flows' && <FlowsView />}
          {tab === 'timeline' && <TimelineView />}
          {tab === 'report' && <ReportView />}
          {tab === 'console' && <ConsolePanel />}
          {tab === 'captures' && <CapturesPanel />}
        </div>
      )}
    </section>
  );
}
