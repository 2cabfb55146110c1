import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import { formatCaptureTime } from './capture-model.ts';
import { useCaptures } from './capture-store.ts';

export const ROW_HEIGHT = 22;

/**
 * The packet list, virtualised: only the rows on screen exist in the page and in the DOM, and
 * only they are fetched from the run's worker, so a capture of any length scrolls the same.
 * While the view rests at the bottom with no packet open it follows new frames, like a live
 * capture does; opening a packet holds the view still (End resumes following).
 */
export function PacketList() {
  const matched = useCaptures((s) => s.matched);
  const rows = useCaptures((s) => s.rows);
  const show = useCaptures((s) => s.show);
  const openFrame = useCaptures((s) => s.openFrame);
  const selectedNumber = useCaptures((s) => s.frame?.number ?? null);
  const ref = useRef<HTMLDivElement>(null);
  const follow = useRef(true);
  const [height, setHeight] = useState(200);
  const [scrollTop, setScrollTop] = useState(0);
  const [cursor, setCursor] = useState<number | null>(null);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setHeight(el.clientHeight));
    ro.observe(el);
    setHeight(el.clientHeight);
    return () => ro.disconnect();
  }, []);

  const first = Math.floor(scrollTop / ROW_HEIGHT);
  const count = Math.ceil(height / ROW_HEIGHT) + 1;
  useEffect(() => show(first, count), [first, count, show]);

  useLayoutEffect(() => {
    const el = ref.current;
    if (el && follow.current) el.scrollTop = el.scrollHeight;
  }, [matched]);

  const pick = (index: number) => {
    const row = rows.get(index);
    if (!row) return;
    setCursor(index);
    // Reading a packet stops the list from running away with new ones; scrolling to the end resumes it.
    follow.current = false;
    void openFrame(row.number);
    const el = ref.current;
    if (!el) return;
    const top = index * ROW_HEIGHT;
    const viewTop = el.scrollTop;
    const viewBottom = viewTop + el.clientHeight - 2 * ROW_HEIGHT; // the sticky header covers one row
    if (top < viewTop) el.scrollTop = top;
    else if (top > viewBottom) el.scrollTop = top - el.clientHeight + 2 * ROW_HEIGHT;
  };

  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      setCursor(null);
      return;
    }
    if (e.key === 'End') {
      e.preventDefault();
      setCursor(null);
      follow.current = true;
      const el = ref.current;
      if (el) el.scrollTop = el.scrollHeight;
      return;
    }
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    e.preventDefault();
    const at = cursor ?? -1;
    pick(Math.max(0, Math.min(matched - 1, at + (e.key === 'ArrowDown' ? 1 : -1))));
  };

  const visible = [];
  for (let i = first; i < Math.min(matched, first + count); i++) {
    const r = rows.get(i);
    if (!r) continue;
    const selected = r.number === selectedNumber;
    visible.push(
      <div
        key={i}
        role="row"
        aria-selected={selected}
        data-testid="packet-row"
        className={`pkt-row proto-${r.protocol.toLowerCase().replace(/[^a-z0-9]/g, '')}${selected ? ' selected' : ''}`}
        style={{ top: (i + 1) * ROW_HEIGHT }}
        onClick={() => pick(i)}
        title={r.comments.length > 0 ? r.comments.join('\n') : undefined}
      >
        <span className="num">{r.number}</span>
        <span className="num">{formatCaptureTime(r.timeNs)}</span>
        <span>
          {r.interfaceName} <span className="dir">{r.direction === 'in' ? '←' : '→'}</span>
        </span>
        <span>{r.source}</span>
        <span>{r.destination}</span>
        <span>{r.protocol}</span>
        <span className="num">{r.length}</span>
        <span>
          {r.comments.length > 0 && <span className="comment-mark" aria-label="has comments">●</span>}
          {r.info}
        </span>
      </div>,
    );
  }

  return (
    <div
      className="packet-list"
      role="grid"
      aria-label="Packets"
      aria-rowcount={matched}
      tabIndex={0}
      ref={ref}
      onKeyDown={onKey}
      onScroll={(e) => {
        const el = e.currentTarget;
        // Follow new frames only while resting at the end with no packet open.
        follow.current = cursor === null && el.scrollTop + el.clientHeight >= el.scrollHeight - ROW_HEIGHT;
        setScrollTop(el.scrollTop);
      }}
    >
      <div className="pkt-spacer" style={{ height: (matched + 1) * ROW_HEIGHT }}>
        <div className="pkt-row pkt-head" role="row">
          <span className="num">No.</span>
          <span className="num">Time (s)</span>
          <span>Interface</span>
          <span>Source</span>
          <span>Destination</span>
          <span>Protocol</span>
          <span className="num">Length</span>
          <span>Info</span>
        </div>
        {visible}
      </div>
    </div>
  );
}
