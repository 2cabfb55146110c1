import type { Box, Overview } from './overview-geometry.ts';

/**
 * Which devices of a large lab React Flow is given. React Flow draws every node it has never
 * measured, wherever it is, so handing it 2,000 devices at once means mounting 2,000 faceplates
 * in one frame. Instead it gets the devices that have come near the window since the lab opened,
 * with their containers (a child needs its parent) and the devices at the far end of their links
 * (so a link leaving the window is still drawn). Once given, a device stays: React Flow culls it
 * cheaply when it is off screen, having measured it.
 */
export class NearbyDevices {
  private ids = new Set<string>();
  private parentOf = new Map<string, string | null>();
  private neighbours = new Map<string, string[]>();
  private overview: Overview | null = null;

  /** Starts again for a newly opened lab; keeps what was given for an edit of the same lab. */
  reset(overview: Overview | null, keep: boolean): void {
    this.overview = overview;
    if (!keep) this.ids = new Set();
    this.parentOf = new Map();
    this.neighbours = new Map();
    if (!overview) return;
    for (const d of overview.devices) this.parentOf.set(d.id, d.parent);
    for (const l of overview.links) {
      this.neighbourList(l.a).push(l.b);
      this.neighbourList(l.b).push(l.a);
    }
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  get size(): number {
    return this.ids.size;
  }

  /**
   * Adds the devices within `area` (flow coordinates), and with `neighbours` those their links
   * lead to, stopping after `budget` new ones. Says how many it added and whether it stopped short.
   */
  reach(area: Box, budget: number, neighbours: boolean): { added: number; more: boolean } {
    const o = this.overview;
    if (!o) return { added: 0, more: false };
    const before = this.ids.size;
    const x1 = area.x + area.width;
    const y1 = area.y + area.height;
    const inside = (d: Box) => !(d.x > x1 || d.y > y1 || d.x + d.width < area.x || d.y + d.height < area.y);
    let more = false;
    for (const d of o.devices) {
      if (this.ids.size - before >= budget) {
        more = true;
        break;
      }
      // An empty container is a device of its own that nothing else brings in; a full one comes with what it holds.
      if (!inside(d)) continue;
      this.add(d.id);
      if (neighbours) for (const n of this.neighbours.get(d.id) ?? []) this.add(n);
    }
    return { added: this.ids.size - before, more };
  }

  private add(id: string): void {
    let at: string | null | undefined = id;
    for (let guard = 0; at && guard < 16 && !this.ids.has(at); guard++) {
      this.ids.add(at);
      at = this.parentOf.get(at);
    }
  }

  private neighbourList(id: string): string[] {
    let list = this.neighbours.get(id);
    if (!list) this.neighbours.set(id, (list = []));
    return list;
  }
}

/** The window in flow coordinates, grown by `margin` of its size on every side, so devices about to scroll in are ready. */
export function viewArea(transform: readonly [number, number, number], width: number, height: number, margin: number): Box {
  const [tx, ty, zoom] = transform;
  const w = width / zoom;
  const h = height / zoom;
  return { x: -tx / zoom - w * margin, y: -ty / zoom - h * margin, width: w * (1 + 2 * margin), height: h * (1 + 2 * margin) };
}
