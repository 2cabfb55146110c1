import type { CatalogEntry, LabError } from '../../../electron/host/contract.ts';
import { devicePorts, placedEntry, resolvePort, shortPortName, type PortView } from '../lab/catalog-view.ts';
import { errorTarget, type LabDeviceView, type LabView, type Point } from '../lab/lab-text.ts';
import { currentPortAnswers, type PortAnswers } from '../lab/port-cache.ts';
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
/** A host or blade holding VMs has its own port row under its head: its children start lower. */
export const PORTED_CONTAINER_HEAD = 112;
/**
 * Devices at the top level are drawn above every link. React Flow raises a link to a device inside
 * a container to that device's depth, which would otherwise draw it across the faceplate of a
 * switch at the top level; depths of nesting stay well under this.
 */
export const TOP_LEVEL_Z = 10;
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

/**
 * Each device's catalog entry where the lab places it and as it is set: a stack member's ports
 * carry its member number, a FEX's its `fex`, a router's as many ports as its `ports` once the host
 * has answered for those settings. Entries are shared per kind and slot, setting value or question
 * to the host, so an unchanged device keeps its entry and its node.
 */
function entriesOf(devices: readonly LabDeviceView[], catalog: ReadonlyMap<string, CatalogEntry>, answers: PortAnswers): Map<string, CatalogEntry | undefined> {
  const kinds = new Map(devices.map((d) => [d.name, d.kind]));
  const out = new Map<string, CatalogEntry | undefined>();
  for (const d of devices) {
    const parentKind = d.parent === null ? undefined : kinds.get(d.parent);
    out.set(d.name, placedEntry(catalog.get(d.kind), parentKind === undefined ? undefined : catalog.get(parentKind), d.slot, d.settings, answers));
  }
  return out;
}

/**
 * Children without a position line up inside their container by slot, four to a row, each as wide
 * and tall as it measures: a stack's 48-port members are wider than the size assumed before
 * measuring, and spaced by that they would overlap.
 */
function lineUp(kids: readonly LabDeviceView[], top: number, sizeOf: (name: string) => Size, out: Map<string, Point>): void {
  const sorted = [...kids].sort((a, b) => Number(a.slot ?? 1e9) - Number(b.slot ?? 1e9));
  let y = top;
  for (let row = 0; row < sorted.length; row += 4) {
    let x = CONTAINER_PAD;
    let height = 0;
    for (const k of sorted.slice(row, row + 4)) {
      const size = sizeOf(k.name);
      out.set(k.name, k.position ?? { x, y });
      x += size.width + 12;
      height = Math.max(height, size.height);
    }
    y += height + 12;
  }
}

export class GraphBuilder {
  private nodes = new Map<string, Cached<DeviceNodeType>>();
  private edges = new Map<string, Cached<LinkEdgeType>>();
  /** Port lists by linked ports, per catalog entry (as placed), and for devices of unknown kind. */
  private ports = new WeakMap<CatalogEntry, Map<string, PortView[]>>();
  private unknownPorts = new Map<string, PortView[]>();
  /** Port name as written in a link → the handle it attaches to, per catalog entry. */
  private handles = new WeakMap<CatalogEntry, Map<string, string>>();
  private lastNodes: DeviceNodeType[] = [];
  private lastEdges: LinkEdgeType[] = [];

  /** Catalog entries told apart in node keys: a member moved to another slot has another entry. */
  private entryIds = new WeakMap<CatalogEntry, number>();
  private nextEntryId = 1;

  private entryId(entry: CatalogEntry | undefined): number {
    if (!entry) return 0;
    let id = this.entryIds.get(entry);
    if (id === undefined) {
      id = this.nextEntryId++;
      this.entryIds.set(entry, id);
    }
    return id;
  }

  private portsFor(entry: CatalogEntry | undefined, linked: readonly string[]): PortView[] {
    let known = entry ? this.ports.get(entry) : this.unknownPorts;
    if (!known) {
      known = new Map();
      if (entry) this.ports.set(entry, known);
    }
    const key = linked.join('\n');
    let ports = known.get(key);
    if (!ports) {
      ports = devicePorts(entry, linked);
      if (known.size > 5000) known.clear();
      known.set(key, ports);
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

  /** `answers`: the host's ports for devices whose settings change them; pass the store's to be redrawn when they arrive. */
  buildNodes(
    view: LabView,
    catalog: ReadonlyMap<string, CatalogEntry>,
    errors: readonly LabError[],
    measured: ReadonlyMap<string, Size>,
    answers: PortAnswers = currentPortAnswers(),
  ): DeviceNodeType[] {
    const linkedPorts = new Map<string, string[]>();
    for (const l of view.links) {
      for (const e of [l.a, l.b]) {
        const list = linkedPorts.get(e.device);
        if (list) list.push(e.port);
        else linkedPorts.set(e.device, [e.port]);
      }
    }
    const broken = problemIndexes(errors, 'devices');
    const entries = entriesOf(view.devices, catalog, answers);
    const ordered = parentsFirst(view.devices);
    const children = new Map<string, LabDeviceView[]>();
    for (const o of ordered) {
      if (o.parent === null) continue;
      const list = children.get(o.parent);
      if (list) list.push(o.device);
      else children.set(o.parent, [o.device]);
    }
    const childPos = new Map<string, Point>();
    const sizes = new Map<string, Size>();
    const sizeOf = (name: string): Size => sizes.get(name) ?? measured.get(name) ?? ESTIMATED_SIZE;
    // Innermost first, so a container's size counts its children's own grown sizes.
    for (let i = ordered.length - 1; i >= 0; i--) {
      const d = ordered[i].device;
      const kids = children.get(d.name);
      const top = isContainerKind(d.kind) ? CONTAINER_HEAD : PORTED_CONTAINER_HEAD;
      if (kids) lineUp(kids, top, sizeOf, childPos);
      if (!kids && !isContainerKind(d.kind)) continue;
      let w = 260;
      let h = top + 60;
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
      const entry = entries.get(d.name);
      const linked = linkedPorts.get(d.name) ?? [];
      const position = parent !== null ? (childPos.get(d.name) ?? { x: 0, y: 0 }) : (d.position ?? { x: (i % GRID_COLUMNS) * 280, y: Math.floor(i / GRID_COLUMNS) * 200 });
      const size = sizes.get(d.name) ?? null;
      // The host counts entries in the file, including ones not drawn for want of a name.
      const problem = broken.has(d.index);
      const known = entry !== undefined || catalog.size === 0;
      const key = [d.kind, linked.join(','), problem, known, parent, this.entryId(entry), position.x, position.y, size ? `${size.width}x${size.height}` : ''].join('|');
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
          ports: this.portsFor(entry, linked),
          linked: linked.map((p) => resolvePort(entry, p)),
          knownKind: known,
          hasProblem: problem,
          container: size !== null,
        },
      };
      if (parent !== null) {
        node.parentId = parent;
        node.extent = 'parent';
      } else if (size === null) node.zIndex = TOP_LEVEL_Z;
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

  buildEdges(view: LabView, catalog: ReadonlyMap<string, CatalogEntry>, answers: PortAnswers = currentPortAnswers()): LinkEdgeType[] {
    const entries = entriesOf(view.devices, catalog, answers);
    let changed = false;
    const seen = new Set<string>();
    const out: LinkEdgeType[] = [];
    for (const l of view.links) {
      if (!entries.has(l.a.device) || !entries.has(l.b.device)) continue;
      const id = `link-${l.index}`;
      seen.add(id);
      // The handles are part of the key: the same link text attaches to other handles once the
      // catalog has arrived, and an edge kept with the old ones would hang loose.
      const sourceHandle = this.handleFor(entries.get(l.a.device), l.a.port);
      const targetHandle = this.handleFor(entries.get(l.b.device), l.b.port);
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
