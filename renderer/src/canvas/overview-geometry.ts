import type { DeviceNodeType } from '../components/DeviceNode.tsx';
import type { LinkEdgeType } from '../components/LinkEdge.tsx';

/**
 * Where every device and link of a lab sits in flow coordinates, worked out from the lab alone so
 * a large lab can be drawn (and fitted to the window) without React Flow mounting and measuring a
 * single node.
 */

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface OverviewDevice extends Box {
  id: string;
  parent: string | null;
  role: string;
  /** What the device is, as its node's second line says. */
  model: string;
  container: boolean;
  problem: boolean;
}

export interface OverviewLink {
  index: number;
  a: string;
  b: string;
  from: { x: number; y: number };
  to: { x: number; y: number };
  down: boolean;
}

export interface Overview {
  devices: OverviewDevice[];
  links: OverviewLink[];
  bounds: Box;
}

/** What a zoomed-out device measures on the canvas (the low-detail box: its name only). */
export const PLAIN_DEVICE = { width: 150, height: 46 };

/** Remembers what devices measured in the browser, by what decides their size (kind and port count). */
export class SizeHints {
  private sizes = new Map<string, { width: number; height: number }>();

  private static key(n: DeviceNodeType): string {
    return `${n.data.kind}|${n.data.ports.length}`;
  }

  note(n: DeviceNodeType, size: { width: number; height: number }): void {
    if (!n.data.container) this.sizes.set(SizeHints.key(n), size);
  }

  of(n: DeviceNodeType): { width: number; height: number } | undefined {
    return this.sizes.get(SizeHints.key(n));
  }
}

/**
 * Built from the lab's own reading of its devices, not from what the browser measured: a
 * measurement must not rebuild a 2,000-device overview. Sizes measured before come in as hints,
 * so a device drawn zoomed out is about the size it has zoomed in.
 */
export function overviewOf(nodes: readonly DeviceNodeType[], edges: readonly LinkEdgeType[], hints?: SizeHints): Overview {
  const byId = new Map<string, OverviewDevice>();
  const devices: OverviewDevice[] = [];
  // Nodes come parents first, so a child's container already has its absolute place.
  for (const n of nodes) {
    const parent = n.parentId ? byId.get(n.parentId) : undefined;
    const container = n.data.container;
    const d: OverviewDevice = {
      id: n.id,
      parent: parent ? n.parentId ?? null : null,
      x: n.position.x + (parent?.x ?? 0),
      y: n.position.y + (parent?.y ?? 0),
      width: (container ? n.width : (n.measured?.width ?? hints?.of(n)?.width)) ?? PLAIN_DEVICE.width,
      height: (container ? n.height : (n.measured?.height ?? hints?.of(n)?.height)) ?? PLAIN_DEVICE.height,
      role: n.data.role,
      model: n.data.model,
      container,
      problem: n.data.hasProblem || !n.data.knownKind,
    };
    byId.set(n.id, d);
    devices.push(d);
  }
  const links: OverviewLink[] = [];
  for (const e of edges) {
    const a = byId.get(e.source);
    const b = byId.get(e.target);
    if (!a || !b) continue;
    links.push({
      index: Number(e.id.slice('link-'.length)),
      a: e.source,
      b: e.target,
      from: { x: a.x + a.width / 2, y: a.y + a.height / 2 },
      to: { x: b.x + b.width / 2, y: b.y + b.height / 2 },
      down: e.data?.up === false,
    });
  }
  return { devices, links, bounds: boundsOf(devices) };
}

export function boundsOf(boxes: readonly Box[]): Box {
  if (boxes.length === 0) return { x: 0, y: 0, width: 0, height: 0 };
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const b of boxes) {
    x0 = Math.min(x0, b.x);
    y0 = Math.min(y0, b.y);
    x1 = Math.max(x1, b.x + b.width);
    y1 = Math.max(y1, b.y + b.height);
  }
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/**
 * The device a click at a flow-coordinate point means: the innermost one under it, or else the
 * nearest within `slop` (flow units), since zoomed out a device can be a pixel or two tall.
 */
export function deviceAt(overview: Overview, p: { x: number; y: number }, slop = 0): OverviewDevice | null {
  let best: OverviewDevice | null = null;
  let near: OverviewDevice | null = null;
  let nearest = slop;
  for (const d of overview.devices) {
    const dx = Math.max(d.x - p.x, 0, p.x - (d.x + d.width));
    const dy = Math.max(d.y - p.y, 0, p.y - (d.y + d.height));
    if (dx === 0 && dy === 0) {
      if (!best || d.width * d.height < best.width * best.height) best = d;
    } else if (!d.container && Math.hypot(dx, dy) <= nearest) {
      nearest = Math.hypot(dx, dy);
      near = d;
    }
  }
  // A device just beside the pointer wins over the container the pointer is in.
  if (near && (!best || best.container)) return near;
  return best;
}

/** The devices a box (flow coordinates) touches, containers only when wholly inside, as box selection on the canvas picks them. */
export function devicesIn(overview: Overview, box: Box): OverviewDevice[] {
  const x1 = box.x + box.width;
  const y1 = box.y + box.height;
  return overview.devices.filter((d) =>
    d.container
      ? d.x >= box.x && d.y >= box.y && d.x + d.width <= x1 && d.y + d.height <= y1
      : !(d.x > x1 || d.y > y1 || d.x + d.width < box.x || d.y + d.height < box.y),
  );
}
