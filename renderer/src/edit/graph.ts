import type { CatalogEntry, LabError } from '../../../electron/host/contract.ts';
import { devicePorts, resolvePort, shortPortName, type PortView } from '../lab/catalog-view.ts';
import { errorTarget, type LabDeviceView, type LabView, type Point } from '../lab/lab-text.ts';
import type { DeviceNodeType } from '../components/DeviceNode.tsx';
import type { LinkEdgeType } from '../components/LinkEdge.tsx';
import { isContainerKind } from './containers.ts';

/**
 * The canvas's nodes and edges, derived from the lab view. A 2,000-device lab is redrawn after
 * every edit, so each node and edge object is kept from one build to the next while what it shows
 * is unchanged: React Flow then skips it, and only the edited devices are drawn again.
 */

const GRID_COLUMNS = 5;
/** Room a container keeps above its children for its own head and ports, and around them. */
export const CONTAINER_HEAD = 64;
export const CONTAINER_PAD = 16;
/** What a device is assumed to measure before the browser has measured it. */
export const ESTIMATED_SIZE = { width: 210, height: 96 };

export interface Size {
  width: number;
  height: number;
}

interface Cached<T> {
  key: string;
  value: T;
}

function problemIndexes(errors: readonly LabError[], list: 'devices' | 'links'): Set<number> {
  const out = new Set<number>();
  for (const e of errors) {
    const target = errorTarget(e.path);
    if (target && target.list === list) out.add(target.index);
  }
  return out;
}

/** Devices ordered so each parent comes before what it holds, as React Flow requires; a parent that does not exist, or a loop, is ignored. */
function parentsFirst(devices: readonly LabDeviceView[]): { device: LabDeviceView; order: number; parent: string | null }[] {
  const byName = new Map(devices.map((d, i) => [d.name, i]));
  const resolvedParent = (d: LabDeviceView): string | null => {
    const seen = new Set<string>([d.name]);
    let p = d.parent;
    while (p !== null) {
      if (seen.has(p) || !byName.has(p)) return null;
      seen.add(p);
      p = devices[byName.get(p) ?? 0].parent;
    }
    return d.parent;
  };
  const out: { device: LabDeviceView; order: number; parent: string | null }[] = [];
  const placed = new Set<string>();
  const pending = devices.map((device, order) => ({ device, order, parent: resolvedParent(device) }));
  while (pending.length > 0) {
    const rest: typeof pending = [];
    for (const p of pending) {
      if (p.parent === null || placed.has(p.parent)) {
        out.push(p);
        placed.add(p.device.name);
      } else rest.push(p);
    }
    if (rest.length === pending.length) break;
    pending.splice(0, pending.length, ...rest);
  }
  return out;
}

export class GraphBuilder {
  private nodes = new Map<string, Cached<DeviceNodeType>>();
  private edges = new Map<string, Cached<LinkEdgeType>>();
  private ports = new Map<string, PortView[]>();
  /** Port name as written in a link → the handle it attaches to, per catalog entry. */
  private handles = new WeakMap<CatalogEntry, Map<string, string>>();
  private lastNodes: DeviceNodeType[] = [];
  private lastEdges: LinkEdgeType[] = [];

  private portsFor(kind: string, entry: CatalogEntry | undefined, linked: readonly string[]): PortView[] {
    const key = `${kind}|${entry ? 1 : 0}|${linked.join('\n')}`;
    let ports = this.ports.get(key);
    if (!ports) {
      ports = devicePorts(entry, linked);
      if (this.ports.size > 5000) this.ports.clear();
      this.ports.set(key, ports);
    }
    return ports;
  }

  private handleFor(entry: CatalogEntry | undefined, port: string): string {
    if (!entry) return port;
    let known = this.handles.get(entry);
    if (!known) {
      known = new Map();
      this.handles.set(entry, known);
    }
    let handle = known.get(port);
    if (handle === undefined) {
      handle = resolvePort(entry, port);
      known.set(port, handle);
    }
    return handle;
  }

  buildNodes(view: LabView, catalog: ReadonlyMap<string, CatalogEntry>, errors: readonly LabError[], measured: ReadonlyMap<string, Size>): DeviceNodeType[] {
    const linkedPorts = new Map<string, string[]>();
    for (const l of view.links) {
      for (const e of [l.a, l.b]) {
        const list = linkedPorts.get(e.device);
        if (list) list.push(e.port);
        else linkedPorts.set(e.device, [e.port]);
      }
    }
    const broken = problemIndexes(errors, 'devices');
    const ordered = parentsFirst(view.devices);
    const children = new Map<string, LabDeviceView[]>();
    for (const o of ordered) {
      if (o.parent === null) continue;
      const list = children.get(o.parent);
      if (list) list.push(o.device);
      else children.set(o.parent, [o.device]);
    }
    // Children without a position line up inside their container; containers grow to hold them.
    const childPos = new Map<string, Point>();
    for (const [, kids] of children) {
      const sorted = [...kids].sort((a, b) => Number(a.slot ?? 1e9) - Number(b.slot ?? 1e9));
      sorted.forEach((k, i) => {
        childPos.set(k.name, k.position ?? { x: CONTAINER_PAD + (i % 4) * (ESTIMATED_SIZE.width + 12), y: CONTAINER_HEAD + Math.floor(i / 4) * (ESTIMATED_SIZE.height + 12) });
      });
    }
    const sizes = new Map<string, Size>();
    const sizeOf = (name: string): Size => sizes.get(name) ?? measured.get(name) ?? ESTIMATED_SIZE;
    // Innermost first, so a container's size counts its children's own grown sizes.
    for (let i = ordered.length - 1; i >= 0; i--) {
      const d = ordered[i].device;
      const kids = children.get(d.name);
      if (!kids && !isContainerKind(d.kind)) continue;
      let w = 260;
      let h = CONTAINER_HEAD + 60;
      for (const k of kids ?? []) {
        const p = childPos.get(k.name) ?? { x: 0, y: 0 };
        const s = sizeOf(k.name);
        w = Math.max(w, p.x + s.width + CONTAINER_PAD);
        h = Math.max(h, p.y + s.height + CONTAINER_PAD);
      }
      sizes.set(d.name, { width: Math.ceil(w), height: Math.ceil(h) });
    }

    let changed = ordered.length !== this.lastNodes.length;
    const seen = new Set<string>();
    const out = ordered.map(({ device: d, order: i, parent }, at) => {
      seen.add(d.name);
      const entry = catalog.get(d.kind);
      const linked = linkedPorts.get(d.name) ?? [];
      const position = parent !== null ? (childPos.get(d.name) ?? { x: 0, y: 0 }) : (d.position ?? { x: (i % GRID_COLUMNS) * 280, y: Math.floor(i / GRID_COLUMNS) * 200 });
      const size = sizes.get(d.name) ?? null;
      // The host counts entries in the file, including ones not drawn for want of a name.
      const problem = broken.has(d.index);
      const known = entry !== undefined || catalog.size === 0;
      const key = [d.kind, linked.join(','), problem, known, parent, position.x, position.y, size ? `${size.width}x${size.height}` : '', entry ? entry.model : ''].join('|');
      const cached = this.nodes.get(d.name);
      if (cached && cached.key === key) {
        if (this.lastNodes[at] !== cached.value) changed = true;
        return cached.value;
      }
      changed = true;
      const node: DeviceNodeType = {
        id: d.name,
        type: 'device',
        position,
        data: {
          name: d.name,
          kind: d.kind,
          model: entry?.model ?? d.kind,
          vendor: entry?.vendor ?? '',
          role: entry?.role ?? 'unknown',
          ports: this.portsFor(d.kind, entry, linked),
          linked: linked.map((p) => resolvePort(entry, p)),
          knownKind: known,
          hasProblem: problem,
          container: size !== null,
        },
      };
      if (parent !== null) {
        node.parentId = parent;
        node.extent = 'parent';
      }
      if (size) {
        node.style = { width: size.width, height: size.height };
        node.width = size.width;
        node.height = size.height;
      }
      this.nodes.set(d.name, { key, value: node });
      return node;
    });
    for (const name of this.nodes.keys()) if (!seen.has(name)) this.nodes.delete(name);
    if (!changed) return this.lastNodes;
    this.lastNodes = out;
    return out;
  }

  buildEdges(view: LabView, catalog: ReadonlyMap<string, CatalogEntry>): LinkEdgeType[] {
    const kinds = new Map(view.devices.map((d) => [d.name, d.kind]));
    let changed = false;
    const seen = new Set<string>();
    const out: LinkEdgeType[] = [];
    for (const l of view.links) {
      const ka = kinds.get(l.a.device);
      const kb = kinds.get(l.b.device);
      if (ka === undefined || kb === undefined) continue;
      const id = `link-${l.index}`;
      seen.add(id);
      // The handles are part of the key: the same link text attaches to other handles once the
      // catalog has arrived, and an edge kept with the old ones would hang loose.
      const sourceHandle = this.handleFor(catalog.get(ka), l.a.port);
      const targetHandle = this.handleFor(catalog.get(kb), l.b.port);
      const key = [l.a.device, l.a.port, sourceHandle, l.b.device, l.b.port, targetHandle, l.up, l.speed].join('|');
      const cached = this.edges.get(id);
      if (cached && cached.key === key) {
        if (this.lastEdges[out.length] !== cached.value) changed = true;
        out.push(cached.value);
        continue;
      }
      changed = true;
      const edge: LinkEdgeType = {
        id,
        type: 'link',
        source: l.a.device,
        sourceHandle,
        target: l.b.device,
        targetHandle,
        data: { aLabel: shortPortName(l.a.port), bLabel: shortPortName(l.b.port), up: l.up, speed: l.speed },
      };
      this.edges.set(id, { key, value: edge });
      out.push(edge);
    }
    for (const id of this.edges.keys()) if (!seen.has(id)) this.edges.delete(id);
    if (!changed && out.length === this.lastEdges.length) return this.lastEdges;
    this.lastEdges = out;
    return out;
  }
}
