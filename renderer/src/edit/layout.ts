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
