import { useLayoutEffect, useMemo, useRef, useState } from 'react';
import { clock } from './format.ts';
import { useRun } from './run-store.ts';

const ROW = 22;
/** Rows drawn beyond the visible ones, so a fast scroll does not show blanks. */
const OVERSCAN = 10;

function tone(kind: string): string {
  if (/(down|pulled|failed|suspend|timeout|removed|off|outage|duplicate)/.test(kind)) return 'bad';
  if (/(up$|inserted|converged|active|\.on$|resume)/.test(kind)) return 'good';
  if (kind.startsWith('scenario.')) return 'step';
  return '';
}

/**
 * Notable events with their simulated time. A long run has tens of thousands, so only the rows in
 * view are in the DOM; the list follows the newest unless the user has scrolled up to read.
 */
export function TimelineView() {
  const rows = useRun((s) => s.timeline);
  const dropped = useRun((s) => s.dropped);
  const [filter, setFilter] = useState('');
  const [top, setTop] = useState(0);
  const [follow, setFollow] = useState(true);
  const box = useRef<HTMLDivElement>(null);
  const shown = useMemo(() => {
    const f = filter.trim().toLowerCase();
    if (!f) return rows;
    return rows.filter((r) => r.kind.toLowerCase().includes(f) || r.text.toLowerCase().includes(f) || (r.device ?? '').toLowerCase().includes(f));
  }, [rows, filter]);
  const height = box.current?.clientHeight ?? 200;
  const total = shown.length * ROW;
  const scrollTop = follow ? Math.max(0, total - height) : top;
  const first = Math.max(0, Math.floor(scrollTop / ROW) - OVERSCAN);
  const last = Math.min(shown.length, Math.ceil((scrollTop + height) / ROW) + OVERSCAN);
  useLayoutEffect(() => {
    if (follow && box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [follow, shown.length]);
  return (
    <div className="run-view timeline-view">
      <div className="timeline-tools">
        <input placeholder="Filter: kind, device or text" aria-label="Filter timeline" value={filter} onChange={(e) => setFilter(e.target.value)} />
        <span className="muted">
          {shown.length} events{dropped > 0 ? ` (${dropped} left out of a busy run)` : ''}
        </span>
        <label className="muted">
          <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} /> follow
        </label>
      </div>
      <div
        className="timeline-scroll"
        ref={box}
        onScroll={(e) => {
          const el = e.currentTarget;
          setTop(el.scrollTop);
          const atEnd = el.scrollTop + el.clientHeight >= el.scrollHeight - ROW;
          if (atEnd !== follow) setFollow(atEnd);
        }}
        role="table"
        aria-label="Timeline"
      >
        {rows.length === 0 && <div className="empty-note">Link changes, LACP, RARP and gratuitous ARP, NLB convergence and MAC moves appear here with their simulated time.</div>}
        <div style={{ height: total, position: 'relative' }}>
          {shown.slice(first, last).map((r, i) => (
            <div key={r.seq} className={`timeline-row ${tone(r.kind)}`} role="row" data-testid="timeline-row" style={{ top: (first + i) * ROW, height: ROW }}>
              <span className="mono t">{clock(r.t)}</span>
              <span className="kind">{r.kind}</span>
              <span className="mono where">{[r.device, r.port].filter(Boolean).join(':')}</span>
              <span className="text">{r.text}</span>
            </div>
          ))}
        </div>
      </div>
    </div>
  );
}
