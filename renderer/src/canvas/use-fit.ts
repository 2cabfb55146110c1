import { getViewportForBounds, useReactFlow, useStoreApi } from '@xyflow/react';
import { useCallback, useEffect, useRef, type RefObject } from 'react';
import type { DeviceNodeType } from '../components/DeviceNode.tsx';
import type { LinkEdgeType } from '../components/LinkEdge.tsx';
import type { Overview } from './overview-geometry.ts';

/** Zoom to fit keeps the lab clear of the edit toolbar (top left) and the zoom buttons (bottom left). */
export const FIT = { padding: { top: '64px', left: '56px', right: '24px', bottom: '24px' }, maxZoom: 1.1, duration: 0 } as const;
/** How long after a zoom to fit devices still being measured may refit the view. */
const MEASURE_REFIT_MS = 1500;

/**
 * Zoom to fit, and keeping a fitted lab fitted: when the canvas changes size, and while a newly
 * opened lab's devices are first measured, as long as nobody has panned or zoomed since.
 */
export function useFit(overviewRef: RefObject<Overview | null>): { fit(duration: number): Promise<boolean>; keepFitted(cause: 'resize' | 'measured'): void } {
  const rf = useReactFlow<DeviceNodeType, LinkEdgeType>();
  const storeApi = useStoreApi<DeviceNodeType, LinkEdgeType>();
  /** The view zoom to fit last left, while nobody has panned or zoomed since. */
  const fittedView = useRef<readonly [number, number, number] | null>(null);
  const fittedAt = useRef(0);
  // A large lab is fitted from where its devices are written, since few of them are mounted to be measured.
  const fit = useCallback(
    async (duration: number) => {
      const o = overviewRef.current;
      const { width, height, minZoom } = storeApi.getState();
      let done: boolean;
      if (!o) done = await rf.fitView({ ...FIT, duration });
      else if (width === 0 || height === 0 || o.devices.length === 0) done = false;
      else done = await rf.setViewport(getViewportForBounds(o.bounds, width, height, minZoom, FIT.maxZoom, FIT.padding), { duration });
      fittedView.current = done ? storeApi.getState().transform : null;
      fittedAt.current = performance.now();
      return done;
    },
    [rf, storeApi],
  );

  /** Fits again next frame if the view is still where zoom to fit left it (nobody has panned or zoomed since). */
  const refitFrame = useRef(0);
  const keepFitted = useCallback((cause: 'resize' | 'measured') => {
    const f = fittedView.current;
    const [x, y, zoom] = storeApi.getState().transform;
    if (!f || refitFrame.current !== 0 || x !== f[0] || y !== f[1] || zoom !== f[2]) return;
    // Measurements refit only while a lab is first drawn: a device added later must not make the view jump.
    if (cause === 'measured' && performance.now() - fittedAt.current > MEASURE_REFIT_MS) return;
    refitFrame.current = requestAnimationFrame(() => {
      refitFrame.current = 0;
      void fit(0);
    });
  }, [storeApi, fit]);
  useEffect(() => () => cancelAnimationFrame(refitFrame.current), []);

  // A fitted lab stays fitted when the canvas changes size (the bottom panel opened, the window resized).
  useEffect(
    () =>
      storeApi.subscribe((s, prev) => {
        if (prev.width !== 0 && (s.width !== prev.width || s.height !== prev.height)) keepFitted('resize');
      }),
    [storeApi, keepFitted],
  );

  return { fit, keepFitted };
}
