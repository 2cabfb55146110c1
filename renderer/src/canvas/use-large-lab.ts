import { useStoreApi } from '@xyflow/react';
import { useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { DeviceNodeType } from '../components/DeviceNode.tsx';
import type { LinkEdgeType } from '../components/LinkEdge.tsx';
import { NearbyDevices, viewArea } from './nearby-nodes.ts';
import { overviewOf, SizeHints, type Overview } from './overview-geometry.ts';

/**
 * What React Flow is given for a large lab: zoomed out, nothing but hidden copies of what it had
 * (the overview drawing shows the lab); zoomed in, the devices near the window and the links
 * between them, handed over a few a frame (see NearbyDevices). A small lab passes straight through.
 */

const NO_EDGES: LinkEdgeType[] = [];
/** How many off-screen devices a large lab hands React Flow per frame. */
const NEARBY_BATCH = 6;
/** How many on-screen devices a large lab hands React Flow per frame when the view first comes in close. */
const ONSCREEN_BATCH = 8;
/** How far beyond the window (as a share of its size) devices are handed over ahead of being scrolled to. */
const NEARBY_MARGIN = 0.15;

export interface LargeLabInput {
  large: boolean;
  /** Zoomed out far enough that the overview drawing shows the lab. */
  overviewMode: boolean;
  /** Changes when another lab is opened. */
  generation: number;
  /** The lab's own reading of its devices and links, before measurements and selection. */
  derivedNodes: DeviceNodeType[];
  derivedEdges: LinkEdgeType[];
  /** What is on screen now: measured, selected, mid-drag. */
  nodes: DeviceNodeType[];
  edges: LinkEdgeType[];
}

export interface LargeLab {
  overview: Overview | null;
  sizeHints: SizeHints;
  nearby: NearbyDevices;
  /** Counts the growth of `nearby`, which is mutable. */
  reached: number;
  flowNodes: DeviceNodeType[];
  flowEdges: LinkEdgeType[];
}

export function useLargeLab({ large, overviewMode, generation, derivedNodes, derivedEdges, nodes, edges }: LargeLabInput): LargeLab {
  const storeApi = useStoreApi<DeviceNodeType, LinkEdgeType>();
  const [sizeHints] = useState(() => new SizeHints());
  const overview = useMemo(() => (large ? overviewOf(derivedNodes, derivedEdges, sizeHints) : null), [large, derivedNodes, derivedEdges, sizeHints]);
  // A large lab gives React Flow only the devices that have come near the window (see NearbyDevices).
  const [nearby] = useState(() => new NearbyDevices());
  const nearbyGeneration = useRef(-1);
  useMemo(() => {
    nearby.reset(overview, nearbyGeneration.current === generation);
    nearbyGeneration.current = generation;
  }, [nearby, overview, generation]);
  const [reached, setReached] = useState(0);
  useLayoutEffect(() => {
    if (!large || overviewMode) return;
    let frame = 0;
    // What is on screen comes first, a few a frame (the overview layer stands in for the rest meanwhile); then what is
    // around it and at the far end of its links, a few a frame, so no frame mounts more than a handful of faceplates.
    const reach = () => {
      frame = 0;
      const s = storeApi.getState();
      const now = nearby.reach(viewArea(s.transform, s.width, s.height, 0), ONSCREEN_BATCH, false);
      const soon = now.more ? now : nearby.reach(viewArea(s.transform, s.width, s.height, NEARBY_MARGIN), NEARBY_BATCH, true);
      if (now.added + (soon === now ? 0 : soon.added) > 0) setReached((n) => n + 1);
      if (soon.more) frame = requestAnimationFrame(reach);
    };
    reach();
    const off = storeApi.subscribe((s, prev) => {
      if (frame === 0 && (s.transform !== prev.transform || s.width !== prev.width || s.height !== prev.height)) frame = requestAnimationFrame(reach);
    });
    return () => {
      off();
      if (frame !== 0) cancelAnimationFrame(frame);
    };
  }, [large, overviewMode, nearby, storeApi, overview]);
  // Zoomed out, what React Flow was given stays, hidden, so it keeps its measurements for when the view comes back in.
  const [hiddenCopies] = useState(() => new WeakMap<DeviceNodeType, DeviceNodeType>());
  // `reached` is in the dependencies below because it counts the growth of the (mutable) nearby set.
  const flowNodes = useMemo(() => {
    if (!large) return nodes;
    const given = nodes.filter((n) => nearby.has(n.id));
    if (!overviewMode) return given;
    return given.map((n) => {
      let h = hiddenCopies.get(n);
      if (!h) hiddenCopies.set(n, (h = { ...n, hidden: true }));
      return h;
    });
  }, [large, nodes, overviewMode, nearby, hiddenCopies, reached]);
  const flowEdges = useMemo(() => {
    if (!large) return edges;
    if (overviewMode) return NO_EDGES;
    return edges.filter((e) => nearby.has(e.source) && nearby.has(e.target));
  }, [large, edges, overviewMode, nearby, reached]);

  return { overview, sizeHints, nearby, reached, flowNodes, flowEdges };
}
