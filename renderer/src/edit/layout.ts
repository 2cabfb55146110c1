import ELK, { type ElkExtendedEdge, type ElkNode, type ElkPort } from 'elkjs/lib/elk.bundled.js';
import type { Point } from '../lab/lab-text.ts';

/**
 * Auto-layout with ELK's layered algorithm: links run top to bottom between layers, and where a
 * port's place on its device is known the port is pinned there, so ELK orders devices to keep
 * links from crossing at the faceplate. Containers are laid out as one block each; what they hold
 * keeps its place inside them.
 */

export interface LayoutNode {
  id: string;
  width: number;
  height: number;
  /** Handle centres relative to the node's top-left corner, by port name. */
  ports: ReadonlyMap<string, Point>;
}

export interface LayoutEdge {
  id: string;
  source: string;
  sourcePort: string | null;
  target: string;
  targetPort: string | null;
}

let elk: InstanceType<typeof ELK> | null = null;

export async function layeredLayout(nodes: readonly LayoutNode[], edges: readonly LayoutEdge[]): Promise<Map<string, Point>> {
  elk ??= new ELK();
  const portId = (node: string, port: string) => `${node}\u0000${port}`;
  const usedPorts = new Map<string, Set<string>>();
  for (const e of edges) {
    for (const [n, p] of [
      [e.source, e.sourcePort],
      [e.target, e.targetPort],
    ] as const) {
      if (p === null) continue;
      const set = usedPorts.get(n) ?? new Set<string>();
      set.add(p);
      usedPorts.set(n, set);
    }
  }
  const children: ElkNode[] = nodes.map((n) => {
    const ports: ElkPort[] = [];
    for (const p of usedPorts.get(n.id) ?? []) {
      const at = n.ports.get(p);
      if (at) ports.push({ id: portId(n.id, p), x: at.x, y: at.y, width: 1, height: 1 });
    }
    const node: ElkNode = { id: n.id, width: n.width, height: n.height, ports };
    if (ports.length > 0) node.layoutOptions = { 'elk.portConstraints': 'FIXED_POS' };
    return node;
  });
  const known = new Set(nodes.map((n) => n.id));
  const withPort = (n: string, p: string | null) => (p !== null && nodes.find((x) => x.id === n)?.ports.has(p) ? portId(n, p) : n);
  const elkEdges: ElkExtendedEdge[] = edges
    .filter((e) => known.has(e.source) && known.has(e.target) && e.source !== e.target)
    .map((e) => ({ id: e.id, sources: [withPort(e.source, e.sourcePort)], targets: [withPort(e.target, e.targetPort)] }));
  const graph = await elk.layout({
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'DOWN',
      'elk.layered.spacing.nodeNodeBetweenLayers': '90',
      'elk.spacing.nodeNode': '50',
      'elk.layered.crossingMinimization.semiInteractive': 'true',
      'elk.separateConnectedComponents': 'true',
      'elk.spacing.componentComponent': '80',
    },
    children,
    edges: elkEdges,
  });
  const out = new Map<string, Point>();
  for (const c of graph.children ?? []) out.set(c.id, { x: c.x ?? 0, y: c.y ?? 0 });
  return out;
}

/** What a device holds, for laying out the inside of containers before the containers themselves. */
export interface LayoutTree {
  /** Every device, parents before what they hold. */
  nodes: readonly (LayoutNode & { parent: string | null; container: boolean; slot: string | null; role: string })[];
  edges: readonly LayoutEdge[];
  /** Where a container's children may start, below its own head and ports, by container name. */
  contentTop: ReadonlyMap<string, number>;
}

/** Room kept around children inside a container, and the smallest a container is drawn. */
const INNER_PAD = 16;

/**
 * Which end of a link goes higher up: the network above what it serves, whichever way round the
 * file writes the link, so a lab reads top down from routers to hosts.
 */
const ROLE_TIER: Readonly<Record<string, number>> = { router: 0, switch: 1, interconnect: 2, enclosure: 3, hypervisor: 3, server: 4, host: 5 };
const tierOf = (role: string | undefined) => ROLE_TIER[role ?? ''] ?? 4;
const MIN_CONTAINER = { width: 260, height: 124 };

/**
 * Lays out a whole lab: the inside of each container first (innermost first, each as a small
 * layered layout of what it holds, ordered by bay where there are bays), so every container knows
 * its size, then the top level with containers as single blocks. Positions of children are
 * relative to their container, as the lab file writes them.
 */
export async function nestedLayout(tree: LayoutTree): Promise<Map<string, Point>> {
  const byId = new Map(tree.nodes.map((n) => [n.id, n]));
  const kids = new Map<string | null, LayoutTree['nodes'][number][]>();
  for (const n of tree.nodes) {
    const p = n.parent !== null && byId.has(n.parent) ? n.parent : null;
    const list = kids.get(p) ?? [];
    list.push(n);
    kids.set(p, list);
  }
  /** The device that stands for `id` among the children of `level` (itself or the ancestor at that level). */
  const atLevel = (id: string, level: string | null): string | null => {
    let at: string | null = id;
    for (let guard = 0; at !== null && guard < 32; guard++) {
      const parent: string | null = byId.get(at)?.parent ?? null;
      if ((parent !== null && byId.has(parent) ? parent : null) === level) return at;
      at = parent;
    }
    return null;
  };
  const sizes = new Map<string, { width: number; height: number }>();
  const out = new Map<string, Point>();

  const layoutLevel = async (level: string | null): Promise<void> => {
    const members = [...(kids.get(level) ?? [])].sort((a, b) => Number(a.slot ?? 1e9) - Number(b.slot ?? 1e9));
    for (const m of members) if (kids.has(m.id)) await layoutLevel(m.id);
    const nodes: LayoutNode[] = members.map((m) => ({ ...m, ...(sizes.get(m.id) ?? { width: m.width, height: m.height }), ports: sizes.has(m.id) ? new Map() : m.ports }));
    const edges: LayoutEdge[] = [];
    for (const e of tree.edges) {
      const s = atLevel(e.source, level);
      const t = atLevel(e.target, level);
      if (s === null || t === null || s === t) continue;
      const out = { id: e.id, source: s, sourcePort: s === e.source ? e.sourcePort : null, target: t, targetPort: t === e.target ? e.targetPort : null };
      const flip = tierOf(byId.get(t)?.role) < tierOf(byId.get(s)?.role);
      edges.push(flip ? { id: out.id, source: out.target, sourcePort: out.targetPort, target: out.source, targetPort: out.sourcePort } : out);
    }
    const placed = await layeredLayout(nodes, edges);
    if (level === null) {
      for (const [id, p] of placed) out.set(id, p);
      return;
    }
    // Inside a container: from its top-left corner, under its head.
    let x0 = Infinity;
    let y0 = Infinity;
    for (const p of placed.values()) {
      x0 = Math.min(x0, p.x);
      y0 = Math.min(y0, p.y);
    }
    const top = tree.contentTop.get(level) ?? 64;
    let w = MIN_CONTAINER.width;
    let h = Math.max(MIN_CONTAINER.height, top + 60);
    for (const n of nodes) {
      const p = placed.get(n.id) ?? { x: x0, y: y0 };
      const at = { x: Math.round(p.x - x0 + INNER_PAD), y: Math.round(p.y - y0 + top) };
      out.set(n.id, at);
      w = Math.max(w, at.x + n.width + INNER_PAD);
      h = Math.max(h, at.y + n.height + INNER_PAD);
    }
    sizes.set(level, { width: w, height: h });
  };
  await layoutLevel(null);
  return out;
}
