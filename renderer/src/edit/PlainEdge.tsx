import type { EdgeProps } from '@xyflow/react';
import { memo, useContext } from 'react';
import { LinkEdge, type LinkEdgeType } from '../components/LinkEdge.tsx';
import { LowDetail } from './detail.ts';

/** A link zoomed out: a straight line, no port tags (they could not be read at this size anyway). */
function PlainEdge({ id, sourceX, sourceY, targetX, targetY, data, selected }: EdgeProps<LinkEdgeType>) {
  const cls = ['react-flow__edge-path', 'link-edge', data?.up === false ? 'down' : '', selected ? 'selected' : ''].filter(Boolean).join(' ');
  // One path and no wide hit area: at this zoom a link is a hairline, and a second path per link doubles the drawing.
  return <path id={id} d={`M${sourceX},${sourceY}L${targetX},${targetY}`} className={cls} fill="none" />;
}

/** The canvas's link: the full drawing when ports can be read, the plain line when zoomed out. */
function AdaptiveEdgeImpl(props: EdgeProps<LinkEdgeType>) {
  return useContext(LowDetail) ? <PlainEdge {...props} /> : <LinkEdge {...props} />;
}

export const AdaptiveEdge = memo(AdaptiveEdgeImpl);
