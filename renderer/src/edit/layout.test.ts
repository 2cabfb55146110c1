import { describe, expect, it } from 'vitest';
import { nestedLayout, type LayoutTree } from './layout.ts';

type TreeNode = LayoutTree['nodes'][number];

const node = (id: string, parent: string | null, width: number, height: number, extra: Partial<TreeNode> = {}): TreeNode => ({ id, parent, width, height, ports: new Map(), container: false, slot: null, role: 'server', ...extra });

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

const overlaps = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** A switch above a cluster of two hosts, each holding two VMs: the NLB lab's shape. */
function clusterLab(): LayoutTree {
  const nodes = [
    node('sw1', null, 220, 100, { role: 'switch' }),
    node('cl1', null, 300, 200, { container: true, role: 'hypervisor' }),
    node('hv1', 'cl1', 248, 200, { container: true }),
    node('hv2', 'cl1', 248, 200, { container: true }),
    node('web1', 'hv1', 248, 80),
    node('app1', 'hv1', 248, 80),
    node('web2', 'hv2', 248, 80),
    node('app2', 'hv2', 248, 80),
  ];
  // Written host first, as lab files often do: the switch must still come out on top.
  const edges = [
    { id: 'link-0', source: 'hv1', sourcePort: null, target: 'sw1', targetPort: null },
    { id: 'link-1', source: 'sw1', sourcePort: null, target: 'hv2', targetPort: null },
  ];
  return { nodes, edges, contentTop: new Map([['cl1', 64], ['hv1', 110], ['hv2', 110]]) };
}

/** Absolute boxes from the relative positions the layout writes, with containers sized to hold their children. */
function absolute(tree: LayoutTree, at: Map<string, { x: number; y: number }>): Map<string, Box> {
  const out = new Map<string, Box>();
  const byId = new Map(tree.nodes.map((n) => [n.id, n]));
  const abs = (id: string): { x: number; y: number } => {
    const n = byId.get(id);
    const p = at.get(id) ?? { x: 0, y: 0 };
    if (!n || n.parent === null) return p;
    const o = abs(n.parent);
    return { x: o.x + p.x, y: o.y + p.y };
  };
  for (const n of [...tree.nodes].reverse()) {
    const p = abs(n.id);
    let { width, height } = n;
    for (const k of tree.nodes.filter((c) => c.parent === n.id)) {
      const b = out.get(k.id);
      if (b) {
        width = Math.max(width, b.x - p.x + b.width + 16);
        height = Math.max(height, b.y - p.y + b.height + 16);
      }
    }
    out.set(n.id, { ...p, width, height });
  }
  return out;
}

describe('nestedLayout', () => {
  it('places what a container holds inside it, under its head, without overlaps, and the switch clear of the cluster', async () => {
    const tree = clusterLab();
    const at = await nestedLayout(tree);
    expect(at.size).toBe(tree.nodes.length);
    // Children are written relative to their container, below its head and ports.
    for (const n of tree.nodes) {
      if (n.parent === null) continue;
      const p = at.get(n.id);
      expect(p?.x).toBeGreaterThanOrEqual(16);
      expect(p?.y).toBeGreaterThanOrEqual(tree.contentTop.get(n.parent) ?? 0);
    }
    const boxes = absolute(tree, at);
    const siblings = (parent: string | null) => tree.nodes.filter((n) => n.parent === parent).map((n) => boxes.get(n.id) as Box);
    for (const parent of [null, 'cl1', 'hv1', 'hv2']) {
      const list = siblings(parent);
      for (let i = 0; i < list.length; i++) for (let j = i + 1; j < list.length; j++) expect(overlaps(list[i], list[j])).toBe(false);
    }
    // Links run top to bottom: the switch sits above the cluster it feeds.
    const sw = boxes.get('sw1') as Box;
    const cl = boxes.get('cl1') as Box;
    expect(sw.y + sw.height).toBeLessThanOrEqual(cl.y);
  });

  it('puts the devices of a bay container in bay order', async () => {
    const nodes = [node('enc', null, 400, 300, { container: true }), ...[3, 1, 2].map((bay) => node(`blade${bay}`, 'enc', 200, 90, { slot: String(bay) }))];
    const at = await nestedLayout({ nodes, edges: [], contentTop: new Map([['enc', 64]]) });
    const order = ['blade1', 'blade2', 'blade3'].map((id) => at.get(id) as { x: number; y: number });
    // Reading order: left to right, then top to bottom.
    const key = (p: { x: number; y: number }) => p.y * 10_000 + p.x;
    expect(key(order[0])).toBeLessThan(key(order[1]));
    expect(key(order[1])).toBeLessThan(key(order[2]));
  });

  it('is the same layout every time for the same lab', async () => {
    const a = await nestedLayout(clusterLab());
    const b = await nestedLayout(clusterLab());
    expect([...b]).toEqual([...a]);
  });
});
