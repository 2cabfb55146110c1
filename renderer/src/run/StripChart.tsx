import { useEffect, useRef } from 'react';
import type { FlowLive } from '../../../electron/host/contract.ts';

const COLOURS = { ok: '#1f9d55', lost: '#d1363b', pending: '#9aa3b0', grid: 'rgba(128,128,128,0.25)' };

/**
 * One flow's probes over simulated time, as a `ping -t` window reads: a green cell per reply and
 * a red one per "Request timed out", laid on the run's time axis. When probes are too dense for
 * a cell each, runs of them are drawn as bands, which keeps the cost per frame bounded by width.
 */
function draw(canvas: HTMLCanvasElement, flow: FlowLive, spanNs: number): void {
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth;
  const height = canvas.clientHeight;
  if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
  }
  const g = canvas.getContext('2d');
  if (!g) return;
  g.setTransform(ratio, 0, 0, ratio, 0, 0);
  g.clearRect(0, 0, width, height);
  g.fillStyle = COLOURS.grid;
  for (let i = 1; i < 10; i++) g.fillRect(Math.round((width * i) / 10), 0, 1, height);
  if (spanNs <= 0 || flow.everyNs <= 0) return;
  const x = (ns: number) => (ns / spanNs) * width;
  const at = (k: number) => flow.startNs + k * flow.everyNs;
  const cell = x(flow.everyNs);
  const settled = flow.sent;
  if (cell >= 3) {
    const lost = new Set<number>();
    for (const [k0, n] of flow.lossRuns) for (let k = k0; k < k0 + n; k++) lost.add(k);
    for (let k = 0; k < settled + flow.pending; k++) {
      g.fillStyle = k >= settled ? COLOURS.pending : lost.has(k) ? COLOURS.lost : COLOURS.ok;
      g.fillRect(x(at(k)), 2, Math.max(1, cell - 1), height - 4);
    }
    return;
  }
  g.fillStyle = COLOURS.ok;
  g.fillRect(x(at(0)), 2, x(settled * flow.everyNs), height - 4);
  g.fillStyle = COLOURS.pending;
  g.fillRect(x(at(settled)), 2, Math.max(1, x(flow.pending * flow.everyNs)), height - 4);
  g.fillStyle = COLOURS.lost;
  for (const [k0, n] of flow.lossRuns) g.fillRect(x(at(k0)), 2, Math.max(1, x(n * flow.everyNs)), height - 4);
}

export function StripChart({ flow, spanNs }: { flow: FlowLive; spanNs: number }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    if (!canvas) return;
    draw(canvas, flow, spanNs);
    const seen = new ResizeObserver(() => draw(canvas, flow, spanNs));
    seen.observe(canvas);
    return () => seen.disconnect();
  }, [flow, spanNs]);
  return <canvas ref={ref} className="strip-chart" data-testid={`strip-${flow.id}`} aria-label={`${flow.id}: ${flow.answered} replies, ${flow.lost} timed out`} />;
}
