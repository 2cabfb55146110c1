import { useStoreApi, type ReactFlowState } from '@xyflow/react';
import { useEffect, useRef } from 'react';
import type { LinkLive } from '../../../electron/host/contract.ts';
import { linkRunStyle } from '../run/link-style.ts';
import { useRun } from '../run/run-store.ts';
import type { Overview } from './overview-geometry.ts';
import './overview.css';

/**
 * A zoomed-out large lab drawn on one canvas: boxes for devices, lines for links, and the run's
 * link colours on top. React Flow then holds no nodes at all, so opening, panning and zooming cost
 * one redraw of a few thousand shapes instead of thousands of DOM elements.
 */

interface Props {
  overview: Overview;
  selected: ReadonlySet<string>;
  roleColors: Readonly<Record<string, string>>;
  /** Changes the colours read from the stylesheet. */
  theme: string;
  /**
   * Zoomed in, the devices React Flow already draws: the layer then stands in only for those not
   * handed over yet (a few dozen arrive per frame), and for links with an end among them.
   */
  drawn?: { has(id: string): boolean } | null;
  /** Counts changes to `drawn`, which is mutable. */
  drawnVersion?: number;
}

interface Palette {
  link: string;
  accent: string;
  danger: string;
  surface: string;
  text: string;
}

function paletteOf(el: Element): Palette {
  const css = getComputedStyle(el);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return { link: v('--link', '#7d8899'), accent: v('--accent', '#2563eb'), danger: v('--danger', '#d1363b'), surface: v('--panel', '#ffffff'), text: v('--text', '#1d2433') };
}

/** Below this zoom device names would be too small to read, so they are not drawn. */
const NAME_ZOOM = 0.22;

interface View {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** Whether some device in view, or some link crossing it, is not yet drawn by React Flow. */
function standsInFor(o: Overview, drawn: NonNullable<Props['drawn']>, v: View): boolean {
  for (const d of o.devices) {
    if (!drawn.has(d.id) && !(d.x > v.x1 || d.y > v.y1 || d.x + d.width < v.x0 || d.y + d.height < v.y0)) return true;
  }
  for (const l of o.links) {
    if (drawn.has(l.a) && drawn.has(l.b)) continue;
    if (Math.max(l.from.x, l.to.x) >= v.x0 && Math.min(l.from.x, l.to.x) <= v.x1 && Math.max(l.from.y, l.to.y) >= v.y0 && Math.min(l.from.y, l.to.y) <= v.y1) return true;
  }
  return false;
}

function draw(
  canvas: HTMLCanvasElement,
  s: ReactFlowState,
  o: Overview,
  selected: ReadonlySet<string>,
  live: readonly LinkLive[] | null,
  colors: Readonly<Record<string, string>>,
  pal: Palette,
  drawn: Props['drawn'],
): void {
  const dpr = window.devicePixelRatio || 1;
  const w = Math.max(1, Math.round(s.width * dpr));
  const h = Math.max(1, Math.round(s.height * dpr));
  if (canvas.width !== w || canvas.height !== h) {
    canvas.width = w;
    canvas.height = h;
  }
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const [tx, ty, zoom] = s.transform;
  const view = { x0: -tx / zoom, y0: -ty / zoom, x1: (s.width - tx) / zoom, y1: (s.height - ty) / zoom };
  canvas.dataset.devices = String(o.devices.length);
  canvas.dataset.links = String(o.links.length);
  // Zoomed in, once every device in view has arrived the layer has nothing to show: hidden, it costs no compositing per frame.
  const idle = drawn !== null && drawn !== undefined && !standsInFor(o, drawn, view);
  canvas.style.visibility = idle ? 'hidden' : 'visible';
  if (idle) return;
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, w, h);
  ctx.setTransform(dpr * zoom, 0, 0, dpr * zoom, dpr * tx, dpr * ty);
  const px = 1 / zoom;

  // Links: every idle one in a single path; those the run colours, one by one over them.
  const plain = new Path2D();
  const down = new Path2D();
  const styled: { path: string; width: number; dashed: boolean; i: number }[] = [];
  for (const l of o.links) {
    if (drawn && drawn.has(l.a) && drawn.has(l.b)) continue;
    const run = linkRunStyle(live?.[l.index]);
    if (run) {
      const stroke = typeof run.style.stroke === 'string' ? run.style.stroke : pal.danger;
      const width = typeof run.style.strokeWidth === 'number' ? run.style.strokeWidth : 2.5;
      styled.push({ path: stroke, width, dashed: run.className === 'run-down', i: l.index });
      continue;
    }
    const p = l.down ? down : plain;
    p.moveTo(l.from.x, l.from.y);
    p.lineTo(l.to.x, l.to.y);
  }
  ctx.lineWidth = Math.max(2, px);
  ctx.strokeStyle = pal.link;
  ctx.stroke(plain);
  ctx.setLineDash([6 * Math.max(1, px), 4 * Math.max(1, px)]);
  ctx.globalAlpha = 0.7;
  ctx.stroke(down);
  ctx.globalAlpha = 1;
  if (styled.length > 0) {
    const byIndex = new Map(o.links.map((l) => [l.index, l]));
    for (const st of styled) {
      const l = byIndex.get(st.i);
      if (!l) continue;
      ctx.setLineDash(st.dashed ? [6 * Math.max(1, px), 4 * Math.max(1, px)] : []);
      ctx.strokeStyle = st.path;
      ctx.lineWidth = Math.max(st.width, 1.5 * px);
      ctx.beginPath();
      ctx.moveTo(l.from.x, l.from.y);
      ctx.lineTo(l.to.x, l.to.y);
      ctx.stroke();
    }
  }
  ctx.setLineDash([]);

  // Devices: one filled path per role colour, outlines only for what needs one.
  const fills = new Map<string, Path2D>();
  const frames = new Path2D();
  const picked = new Path2D();
  const broken = new Path2D();
  for (const d of o.devices) {
    if (d.x > view.x1 || d.y > view.y1 || d.x + d.width < view.x0 || d.y + d.height < view.y0) continue;
    if (drawn?.has(d.id)) continue;
    if (d.container) frames.rect(d.x, d.y, d.width, d.height);
    else {
      const color = colors[d.role] ?? '#8893a2';
      let p = fills.get(color);
      if (!p) fills.set(color, (p = new Path2D()));
      p.rect(d.x, d.y, d.width, d.height);
    }
    if (selected.has(d.id)) picked.rect(d.x, d.y, d.width, d.height);
    else if (d.problem) broken.rect(d.x, d.y, d.width, d.height);
  }
  ctx.fillStyle = pal.surface;
  ctx.globalAlpha = 0.6;
  ctx.fill(frames);
  ctx.globalAlpha = 1;
  ctx.strokeStyle = pal.link;
  ctx.lineWidth = Math.max(2, px);
  ctx.stroke(frames);
  for (const [color, p] of fills) {
    ctx.fillStyle = color;
    ctx.fill(p);
  }
  ctx.lineWidth = Math.max(6, 2 * px);
  ctx.strokeStyle = pal.danger;
  ctx.stroke(broken);
  ctx.strokeStyle = pal.accent;
  ctx.stroke(picked);

  if (zoom >= NAME_ZOOM) {
    ctx.fillStyle = '#ffffff';
    ctx.font = '600 22px system-ui, sans-serif';
    ctx.textBaseline = 'middle';
    for (const d of o.devices) {
      if (d.container || drawn?.has(d.id) || d.x > view.x1 || d.y > view.y1 || d.x + d.width < view.x0 || d.y + d.height < view.y0) continue;
      ctx.fillText(d.id, d.x + 8, d.y + d.height / 2, d.width - 16);
    }
  }
}

export function OverviewLayer({ overview, selected, roleColors, theme, drawn = null, drawnVersion = 0 }: Props) {
  const ref = useRef<HTMLCanvasElement>(null);
  const store = useStoreApi();
  const live = useRun((r) => r.links);

  useEffect(() => {
    const canvas = ref.current;
    if (!canvas) return;
    const pal = paletteOf(canvas);
    let frame = 0;
    const redraw = () => {
      frame = 0;
      draw(canvas, store.getState(), overview, selected, live, roleColors, pal, drawn);
    };
    redraw();
    // Pan and zoom move only the canvas's transform: redraw once per frame, whatever the event rate.
    const off = store.subscribe((s, prev) => {
      if (frame !== 0) return;
      if (s.transform === prev.transform && s.width === prev.width && s.height === prev.height) return;
      frame = requestAnimationFrame(redraw);
    });
    return () => {
      off();
      if (frame !== 0) cancelAnimationFrame(frame);
    };
  }, [store, overview, selected, live, roleColors, theme, drawn, drawnVersion]);

  // Zoomed in it is only a stand-in for devices still arriving, not the lab's picture.
  return <canvas ref={ref} className="overview-layer" data-testid={drawn ? 'overview-placeholders' : 'overview'} aria-label={drawn ? undefined : 'Lab overview'} />;
}
