import { BaseEdge, EdgeLabelRenderer, useInternalNode, type Edge, type EdgeProps, type InternalNode } from '@xyflow/react';
import { memo } from 'react';
import { linkRunStyle } from '../run/link-style.ts';
import { useRun } from '../run/run-store.ts';

export type LinkEdgeData = {
  aLabel: string;
  bLabel: string;
  up: boolean;
  speed: string | null;
};

export type LinkEdgeType = Edge<LinkEdgeData, 'link'>;

interface Pt {
  x: number;
  y: number;
}

/**
 * Where the segment from `inside` towards `toward` leaves the node's box. Port handles sit inside
 * the node, under which edges are drawn, so the end labels belong where the line comes into view.
 */
function exitPoint(node: InternalNode | undefined, inside: Pt, toward: Pt): Pt {
  if (!node) return inside;
  const { x, y } = node.internals.positionAbsolute;
  const w = node.measured.width ?? 0;
  const h = node.measured.height ?? 0;
  const dx = toward.x - inside.x;
  const dy = toward.y - inside.y;
  let t = 1;
  if (dx > 0) t = Math.min(t, (x + w - inside.x) / dx);
  if (dx < 0) t = Math.min(t, (x - inside.x) / dx);
  if (dy > 0) t = Math.min(t, (y + h - inside.y) / dy);
  if (dy < 0) t = Math.min(t, (y - inside.y) / dy);
  t = Math.max(0, t);
  return { x: inside.x + dx * t, y: inside.y + dy * t };
}

const TAG_HALF_HEIGHT = 8;
const tagHalfWidth = (label: string) => (label.length * 6 + 10) / 2;

/** How far a tag reaches along a line leaving at this angle. */
function tagReach(ux: number, uy: number, label: string): number {
  return Math.abs(ux) * tagHalfWidth(label) + Math.abs(uy) * TAG_HALF_HEIGHT;
}

function unit(from: Pt, to: Pt): Pt {
  const len = Math.hypot(to.x - from.x, to.y - from.y) || 1;
  return { x: (to.x - from.x) / len, y: (to.y - from.y) / len };
}

/**
 * Links from neighbouring ports leave side by side, closer than a tag is wide: the tags of
 * odd-numbered ports sit one tag further out, so neighbours' tags stagger instead of overlapping.
 */
function stagger(label: string): number {
  const n = /(\d+)$/.exec(label);
  return n && Number(n[1]) % 2 === 1 ? 2 * TAG_HALF_HEIGHT + 4 : 0;
}

/** Centre of a port tag placed just clear of the node, whatever angle the link leaves at. */
function tagCentre(from: Pt, to: Pt, label: string): Pt {
  const u = unit(from, to);
  const distance = tagReach(u.x, u.y, label) + 5 + stagger(label);
  return { x: from.x + u.x * distance, y: from.y + u.y * distance };
}

function LinkEdgeImpl({ id, source, target, sourceX, sourceY, targetX, targetY, data, selected }: EdgeProps<LinkEdgeType>) {
  const sNode = useInternalNode(source);
  const tNode = useInternalNode(target);
  const s = { x: sourceX, y: sourceY };
  const t = { x: targetX, y: targetY };
  const path = `M ${s.x},${s.y} L ${t.x},${t.y}`;
  const sOut = exitPoint(sNode, s, t);
  const tOut = exitPoint(tNode, t, s);
  const gap = Math.hypot(tOut.x - sOut.x, tOut.y - sOut.y);
  // Labels only when there is room for both between the two boxes.
  const aLabel = data?.aLabel ?? '';
  const bLabel = data?.bLabel ?? '';
  const u = unit(sOut, tOut);
  const room = gap > 2 * (tagReach(u.x, u.y, aLabel) + tagReach(u.x, u.y, bLabel)) + stagger(aLabel) + stagger(bLabel) + 16;
  const aAt = tagCentre(sOut, tOut, aLabel);
  const bAt = tagCentre(tOut, sOut, bLabel);
  // While a run goes, the link's carrier and load from the run replace how the file draws it.
  const live = linkRunStyle(useRun((r) => r.links?.[Number(id.slice('link-'.length))]));
  const cls = ['link-edge', live ? live.className : data?.up === false ? 'down' : '', selected ? 'selected' : ''].filter(Boolean).join(' ');
  return (
    <>
      <BaseEdge id={id} path={path} className={cls} style={live?.style} interactionWidth={14} />
      {room && data && (
        <EdgeLabelRenderer>
          <div className="port-tag" style={{ transform: `translate(-50%, -50%) translate(${aAt.x}px, ${aAt.y}px)` }}>
            {data.aLabel}
          </div>
          <div className="port-tag" style={{ transform: `translate(-50%, -50%) translate(${bAt.x}px, ${bAt.y}px)` }}>
            {data.bLabel}
          </div>
        </EdgeLabelRenderer>
      )}
    </>
  );
}

export const LinkEdge = memo(LinkEdgeImpl);
