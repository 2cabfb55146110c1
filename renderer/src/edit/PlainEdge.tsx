import type { EdgeProps } from '@xyflow/react';
import { memo, useContext } from 'react';
import { LinkEdge, type LinkEdgeType } from '../components/LinkEdge.tsx';
import { linkRunStyle } from '../run/link-style.ts';
import { useRun } from '../run/run-store.ts';
import { LowDetail } from './detail.ts';

/** A link zoomed out: a straight line, no port tags (they could not be read at this size anyway), but still the run's colours. */
function PlainEdge({ id, sourceX, sourceY, targetX, targetY, data, selected }: EdgeProps<LinkEdgeType>) {
  const live = linkRunStyle(useRun((r) => r.links?.[Number(id.slice('link-'.length))]));
  const cls = ['react-flow__edge-path', 'link-edge', live ? live.className : data?.up === false ? 'down' : '', selected ? 'selected' : ''].filter(Boolean).join(' ');
  // One path and no wide hit area: at this zoom a link is a hairline, and a second path per link doubles the drawing.
  return <path id={id} d={`M${sourceX},${sourceY}L${targetX},${targetY}`} className={cls} style={live?.style} fill="none" />;
}

/** The canvas's link: the full drawing when ports can be read, the plain line when zoomed out. */
function AdaptiveEdgeImpl(props: EdgeProps<LinkEdgeType>) {
  return useContext(LowDetail) ? <PlainEdge {...props} /> : <LinkEdge {...props} />;
}

export const AdaptiveEdge = memo(AdaptiveEdgeImpl);
