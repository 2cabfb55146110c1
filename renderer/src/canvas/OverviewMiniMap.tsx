import { useStoreApi, type ReactFlowState } from '@xyflow/react';
import { useEffect, useRef, type PointerEvent } from 'react';
import { boundsOf, type Box, type Overview } from './overview-geometry.ts';

/**
 * The minimap of a large lab, drawn from where the lab places its devices rather than from the
 * nodes React Flow holds (which, for a large lab, are only those near the window). Pressing or
 * dragging on it centres the view there.
 */

interface Props {
  overview: Overview;
  roleColors: Readonly<Record<string, string>>;
  theme: string;
}

const WIDTH = 168;
const HEIGHT = 112;
const PAD = 6;

interface Fit {
  scale: number;
  ox: number;
  oy: number;
}

/** The window in flow coordinates. */
function viewOf(s: ReactFlowState): Box {
  const [tx, ty, zoom] = s.transform;
  return { x: -tx / zoom, y: -ty / zoom, width: s.width / zoom, height: s.height / zoom };
}

/** Fits the lab and the window together, as a minimap does, so the window's frame is never drawn off the map. */
function fitOf(o: Overview, view: Box | null): Fit {
  const b = view ? boundsOf([o.bounds, view]) : o.bounds;
  const scale = Math.min((WIDTH - 2 * PAD) / Math.max(1, b.width), (HEIGHT - 2 * PAD) / Math.max(1, b.height));
  return { scale, ox: PAD + ((WIDTH - 2 * PAD) - b.width * scale) / 2 - b.x * scale, oy: PAD + ((HEIGHT - 2 * PAD) - b.height * scale) / 2 - b.y * scale };
}

function draw(canvas: HTMLCanvasElement, o: Overview, s: ReactFlowState, colors: Readonly<Record<string, string>>): Fit {
  const dpr = window.devicePixelRatio || 1;
  if (canvas.width !== WIDTH * dpr) {
    canvas.width = WIDTH * dpr;
    canvas.height = HEIGHT * dpr;
  }
  const view = viewOf(s);
  const f = fitOf(o, s.width > 0 ? view : null);
  const ctx = canvas.getContext('2d');
  if (!ctx) return f;
  const css = getComputedStyle(canvas);
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, WIDTH, HEIGHT);
  const fills = new Map<string, Path2D>();
  for (const d of o.devices) {
    if (d.container) continue;
    const color = colors[d.role] ?? '#8893a2';
    let p = fills.get(color);
    if (!p) fills.set(color, (p = new Path2D()));
    // At least a pixel, or a large lab's devices vanish.
    p.rect(f.ox + d.x * f.scale, f.oy + d.y * f.scale, Math.max(1, d.width * f.scale), Math.max(1, d.height * f.scale));
  }
  for (const [color, p] of fills) {
    ctx.fillStyle = color;
    ctx.fill(p);
  }
  ctx.strokeStyle = css.getPropertyValue('--accent').trim() || '#2563eb';
  ctx.lineWidth = 1.5;
  ctx.strokeRect(f.ox + view.x * f.scale, f.oy + view.y * f.scale, view.width * f.scale, view.height * f.scale);
  return f;
}

export function OverviewMiniMap({ overview, roleColors, theme }: Props) {
  const ref = useRef<HTMLCanvasElement>(null);
  const store = useStoreApi();
  /** The fit of the last drawing, which a press on the map is read against. */
  const fitRef = useRef<Fit | null>(null);

  useEffect(() => {
    const canvas = ref.current;
    if (!canvas) return;
    let frame = 0;
    const redraw = () => {
      frame = 0;
      fitRef.current = draw(canvas, overview, store.getState(), roleColors);
    };
    redraw();
    const off = store.subscribe((s, prev) => {
      if (frame === 0 && (s.transform !== prev.transform || s.width !== prev.width || s.height !== prev.height)) frame = requestAnimationFrame(redraw);
    });
    return () => {
      off();
      if (frame !== 0) cancelAnimationFrame(frame);
    };
  }, [overview, store, roleColors, theme]);

  const centreAt = (e: PointerEvent<HTMLCanvasElement>) => {
    const rect = e.currentTarget.getBoundingClientRect();
    const f = fitRef.current ?? fitOf(overview, null);
    const x = (e.clientX - rect.left - f.ox) / f.scale;
    const y = (e.clientY - rect.top - f.oy) / f.scale;
    const s = store.getState();
    const zoom = s.transform[2];
    s.panZoom?.setViewport({ x: s.width / 2 - x * zoom, y: s.height / 2 - y * zoom, zoom });
  };

  return (
    <canvas
      ref={ref}
      className="overview-minimap"
      data-testid="overview-minimap"
      aria-label="Minimap"
      style={{ width: WIDTH, height: HEIGHT }}
      onPointerDown={(e) => {
        e.currentTarget.setPointerCapture(e.pointerId);
        centreAt(e);
      }}
      onPointerMove={(e) => {
        if (e.currentTarget.hasPointerCapture(e.pointerId)) centreAt(e);
      }}
    />
  );
}
