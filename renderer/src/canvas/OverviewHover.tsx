import { useStore, useStoreApi } from '@xyflow/react';
import { useEffect, useState } from 'react';
import { deviceAt, type Overview, type OverviewDevice } from './overview-geometry.ts';

/**
 * Names the device under the pointer on a zoomed-out large lab, where boxes are a few pixels and
 * their names too small to draw. It listens on the canvas element itself, so moving the pointer
 * re-renders this label alone.
 */

const SLOP_PX = 8;

export function OverviewHover({ overview }: { overview: Overview }) {
  const store = useStoreApi();
  const domNode = useStore((s) => s.domNode);
  const [hover, setHover] = useState<{ device: OverviewDevice; x: number; y: number } | null>(null);

  useEffect(() => {
    if (!domNode) return;
    let frame = 0;
    let last: PointerEvent | null = null;
    const update = () => {
      frame = 0;
      const e = last;
      if (!e) return;
      const rect = domNode.getBoundingClientRect();
      const [tx, ty, zoom] = store.getState().transform;
      const at = { x: (e.clientX - rect.left - tx) / zoom, y: (e.clientY - rect.top - ty) / zoom };
      // Only over the canvas itself, not over its toolbar, minimap or buttons.
      const onPane = e.target instanceof Element && e.target.classList.contains('react-flow__pane');
      const device = onPane && e.buttons === 0 ? deviceAt(overview, at, SLOP_PX / zoom) : null;
      setHover((h) => (device ? (h?.device === device ? { ...h, x: e.clientX - rect.left, y: e.clientY - rect.top } : { device, x: e.clientX - rect.left, y: e.clientY - rect.top }) : null));
    };
    const onMove = (e: PointerEvent) => {
      last = e;
      if (frame === 0) frame = requestAnimationFrame(update);
    };
    const onLeave = () => setHover(null);
    domNode.addEventListener('pointermove', onMove);
    domNode.addEventListener('pointerleave', onLeave);
    return () => {
      domNode.removeEventListener('pointermove', onMove);
      domNode.removeEventListener('pointerleave', onLeave);
      if (frame !== 0) cancelAnimationFrame(frame);
    };
  }, [domNode, store, overview]);

  if (!hover) return null;
  return (
    <div className="overview-hover" role="tooltip" data-testid="overview-hover" style={{ transform: `translate(${hover.x + 14}px, ${hover.y + 12}px)` }}>
      <strong>{hover.device.id}</strong>
      <span>{hover.device.model}</span>
    </div>
  );
}
