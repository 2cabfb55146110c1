import { describe, expect, it } from 'vitest';
import type { CatalogEntry, LabError } from '../../../electron/host/contract.ts';
import { FakePortAnswers, routerPorts } from '../lab/fake-port-answers.ts';
import { readLab } from '../lab/lab-text.ts';
import { CONTAINER_HEAD, CONTAINER_PAD, ESTIMATED_SIZE, GraphBuilder, PORTED_CONTAINER_HEAD, TOP_LEVEL_Z } from './graph.ts';
import { moveDevices } from './lab-edits.ts';

const entry = (kind: string, role: string, model: string, ports: CatalogEntry['ports'] = []): CatalogEntry => ({
  kind,
  vendor: 'Generic',
  role,
  model,
  description: '',
  ports,
  settings: {},
  configSyntax: null,
});

const catalog: ReadonlyMap<string, CatalogEntry> = new Map(
  [
    entry('l2-switch', 'switch', 'L2 switch', [
      { name: 'GigabitEthernet0/1', aliases: ['Gi0/1'], speedBps: 1e9, medium: 'copper' },
      { name: 'GigabitEthernet0/2', aliases: ['Gi0/2'], speedBps: 1e9, medium: 'copper' },
    ]),
    entry('pc', 'host', 'PC', [
      { name: 'eth0', speedBps: 1e9, medium: 'copper' },
      { name: 'eth1', speedBps: 1e9, medium: 'copper' },
    ]),
    entry('hyperv-cluster', 'hypervisor', 'Hyper-V cluster'),
    entry('hyperv-host', 'hypervisor', 'Hyper-V host'),
    entry('hyperv-vm', 'server', 'Hyper-V VM', [{ name: 'nic0', speedBps: 1e10, medium: 'virtual' }]),
    entry('hp-c7000', 'enclosure', 'BladeSystem c7000'),
    entry('hp-bl460c', 'server', 'ProLiant BL460c'),
  ].map((e) => [e.kind, e]),
);

const noCatalog: ReadonlyMap<string, CatalogEntry> = new Map();
const noSizes = new Map<string, { width: number; height: number }>();

// The VM and its host are written before the cluster they sit in, as a hand-written file may have them.
const lab = `devices:
  - { name: vm1, kind: hyperv-vm, parent: hv1 }
  - { name: hv1, kind: hyperv-host, parent: cl1, position: { x: 20, y: 70 } }
  - { name: cl1, kind: hyperv-cluster, position: { x: 0, y: 400 } }
  - { name: sw1, kind: l2-switch, position: { x: 500, y: 40 } }
  - { name: pc1, kind: pc }
  - { name: pc2, kind: pc }
  - { name: pc3, kind: pc }
links:
  - { a: sw1:Gi0/1, b: pc1:eth0 }
  - { a: pc2:eth0, b: ghost:eth0 }
  - { a: sw1:GigabitEthernet0/2, b: vm1:nic0, up: false, speed: 100M }
`;

function nodesOf(text: string, builder = new GraphBuilder(), errors: readonly LabError[] = [], cat = catalog, sizes = noSizes) {
  return builder.buildNodes(readLab(text), cat, errors, sizes);
}

function nodeOf(nodes: ReturnType<typeof nodesOf>, name: string) {
  const n = nodes.find((x) => x.id === name);
  if (!n) throw new Error(`no node ${name}`);
  return n;
}

describe('devices on the canvas', () => {
  it('draws each device at its position, and lays devices without one on a five-wide grid by their order', () => {
    const nodes = nodesOf(lab);
    expect(nodes.map((n) => n.id).sort()).toEqual(['cl1', 'hv1', 'pc1', 'pc2', 'pc3', 'sw1', 'vm1']);
    expect(nodeOf(nodes, 'sw1').position).toEqual({ x: 500, y: 40 });
    expect(nodeOf(nodes, 'pc1').position).toEqual({ x: 4 * 280, y: 0 });
    expect(nodeOf(nodes, 'pc2').position).toEqual({ x: 0, y: 200 });
    expect(nodeOf(nodes, 'pc3').position).toEqual({ x: 280, y: 200 });
  });

  it('puts a container before what it holds, and keeps what it holds inside it', () => {
    const nodes = nodesOf(lab);
    const at = (name: string) => nodes.findIndex((n) => n.id === name);
    expect(at('cl1')).toBeLessThan(at('hv1'));
    expect(at('hv1')).toBeLessThan(at('vm1'));
    expect(nodeOf(nodes, 'hv1')).toMatchObject({ parentId: 'cl1', extent: 'parent', position: { x: 20, y: 70 } });
    expect(nodeOf(nodes, 'vm1')).toMatchObject({ parentId: 'hv1', extent: 'parent' });
    expect(nodeOf(nodes, 'cl1').parentId).toBeUndefined();
    expect([nodeOf(nodes, 'cl1'), nodeOf(nodes, 'hv1'), nodeOf(nodes, 'vm1'), nodeOf(nodes, 'sw1')].map((n) => n.data.container)).toEqual([true, true, false, false]);
  });

  it('starts a VM without a position below its host\'s own port row, and a host in a bare cluster frame right under its head', () => {
    const nodes = nodesOf(lab);
    expect(nodeOf(nodes, 'vm1').position.y).toBeGreaterThanOrEqual(PORTED_CONTAINER_HEAD);
    const bare = nodesOf('devices:\n  - { name: cl1, kind: hyperv-cluster }\n  - { name: hv1, kind: hyperv-host, parent: cl1 }\n');
    expect(nodeOf(bare, 'hv1').position.y).toBe(CONTAINER_HEAD);
  });

  it('draws top-level devices above links, which React Flow raises to the depth of a device inside a container', () => {
    const nodes = nodesOf(lab);
    expect(nodeOf(nodes, 'sw1').zIndex).toBe(TOP_LEVEL_Z);
    // Containers and what they hold keep React Flow's own stacking: children over their container.
    expect(nodeOf(nodes, 'cl1').zIndex).toBeUndefined();
    expect(nodeOf(nodes, 'vm1').zIndex).toBeUndefined();
  });

  it('draws an empty enclosure as a frame ready to take blades', () => {
    const [enc] = nodesOf('devices:\n  - { name: enc1, kind: hp-c7000 }\n');
    expect(enc.data.container).toBe(true);
    expect(enc.style).toEqual({ width: enc.width, height: enc.height });
    expect(enc.width).toBeGreaterThanOrEqual(ESTIMATED_SIZE.width);
  });

  it('lines up blades without a position inside their enclosure by bay, and grows the enclosure to hold them', () => {
    const blades = [3, 1, 2, 4, 5].map((bay) => `  - { name: esx${bay}, kind: hp-bl460c, parent: enc1, slot: "${bay}" }\n`).join('');
    const nodes = nodesOf(`devices:\n  - { name: enc1, kind: hp-c7000 }\n${blades}`);
    const step = { x: ESTIMATED_SIZE.width + 12, y: ESTIMATED_SIZE.height + 12 };
    expect(nodeOf(nodes, 'esx1').position).toEqual({ x: CONTAINER_PAD, y: CONTAINER_HEAD });
    expect(nodeOf(nodes, 'esx2').position).toEqual({ x: CONTAINER_PAD + step.x, y: CONTAINER_HEAD });
    expect(nodeOf(nodes, 'esx4').position).toEqual({ x: CONTAINER_PAD + 3 * step.x, y: CONTAINER_HEAD });
    expect(nodeOf(nodes, 'esx5').position).toEqual({ x: CONTAINER_PAD, y: CONTAINER_HEAD + step.y });
    const enc = nodeOf(nodes, 'enc1');
    expect(enc.width).toBe(CONTAINER_PAD + 3 * step.x + ESTIMATED_SIZE.width + CONTAINER_PAD);
    expect(enc.height).toBe(CONTAINER_HEAD + step.y + ESTIMATED_SIZE.height + CONTAINER_PAD);
  });

  it('grows a container, and the one around it, when a device inside measures larger than assumed', () => {
    const text = 'devices:\n  - { name: cl1, kind: hyperv-cluster }\n  - { name: hv1, kind: hyperv-host, parent: cl1, position: { x: 16, y: 64 } }\n  - { name: vm1, kind: hyperv-vm, parent: hv1, position: { x: 16, y: 64 } }\n';
    const small = nodesOf(text);
    const big = nodesOf(text, new GraphBuilder(), [], catalog, new Map([['vm1', { width: 500, height: 300 }]]));
    expect(nodeOf(big, 'hv1').width).toBe(16 + 500 + CONTAINER_PAD);
    expect(nodeOf(big, 'hv1').height).toBe(64 + 300 + CONTAINER_PAD);
    expect(nodeOf(big, 'cl1').width).toBe(16 + (16 + 500 + CONTAINER_PAD) + CONTAINER_PAD);
    expect(nodeOf(big, 'cl1').width).toBeGreaterThan(nodeOf(small, 'cl1').width ?? 0);
  });

  it('draws a device whose parent is missing or part of a loop on its own rather than losing it', () => {
    const nodes = nodesOf('devices:\n  - { name: a, kind: pc, parent: b }\n  - { name: b, kind: pc, parent: a }\n  - { name: c, kind: pc, parent: gone }\n');
    expect(nodes.map((n) => [n.id, n.parentId])).toEqual([
      ['a', undefined],
      ['b', undefined],
      ['c', undefined],
    ]);
  });

  it('shows the model from the catalog, and marks a kind the catalog does not know only once the catalog has loaded', () => {
    const text = 'devices:\n  - { name: sw1, kind: l2-switch }\n  - { name: x1, kind: flux-capacitor }\n';
    const loaded = nodesOf(text);
    expect(nodeOf(loaded, 'sw1').data).toMatchObject({ model: 'L2 switch', role: 'switch', knownKind: true });
    expect(nodeOf(loaded, 'x1').data).toMatchObject({ model: 'flux-capacitor', role: 'unknown', knownKind: false });
    expect(nodeOf(nodesOf(text, new GraphBuilder(), [], noCatalog), 'x1').data.knownKind).toBe(true);
  });

  it('marks the device the host reports a problem with, and no other', () => {
    const errors: LabError[] = [{ file: 'lab.lab.yaml', line: 5, col: 5, path: 'devices[3].settings.ports', message: 'expected an integer' }];
    const nodes = nodesOf(lab, new GraphBuilder(), errors);
    expect(nodes.filter((n) => n.data.hasProblem).map((n) => n.id)).toEqual(['sw1']);
  });

  it('does not blame the next device for a problem with a device entry that has no name yet', () => {
    const errors: LabError[] = [{ file: 'lab.lab.yaml', line: 2, col: 5, path: 'devices[0].name', message: 'required field is missing' }];
    const nodes = nodesOf('devices:\n  - { kind: pc }\n  - { name: pc1, kind: pc }\n', new GraphBuilder(), errors);
    expect(nodeOf(nodes, 'pc1').data.hasProblem).toBe(false);
  });

  it('marks a device after a nameless entry by its place in the file', () => {
    const errors: LabError[] = [{ file: 'lab.lab.yaml', line: 4, col: 5, path: 'devices[2].kind', message: 'unknown kind' }];
    const nodes = nodesOf('devices:\n  - { kind: pc }\n  - { name: pc1, kind: pc }\n  - { name: pc2, kind: pc }\n', new GraphBuilder(), errors);
    expect(nodes.filter((n) => n.data.hasProblem).map((n) => n.id)).toEqual(['pc2']);
  });

  it('shows the catalog ports, with links written in short form attached to them, plus any port a link names that the kind lacks', () => {
    const nodes = nodesOf(`${lab}  - { a: pc3:eth7, b: pc2:eth1 }\n`);
    expect(nodeOf(nodes, 'sw1').data.linked).toEqual(['GigabitEthernet0/1', 'GigabitEthernet0/2']);
    expect(nodeOf(nodes, 'sw1').data.ports.map((p) => p.label)).toEqual(['Gi0/1', 'Gi0/2']);
    expect(nodeOf(nodes, 'pc3').data.ports.map((p) => [p.name, p.unknown])).toEqual([
      ['eth0', false],
      ['eth1', false],
      ['eth7', true],
    ]);
  });
});

describe('links on the canvas', () => {
  it('draws one edge per link between existing devices, attached to the canonical ports with short labels', () => {
    const edges = new GraphBuilder().buildEdges(readLab(lab), catalog);
    expect(edges.map((e) => e.id)).toEqual(['link-0', 'link-2']);
    expect(edges[0]).toMatchObject({ source: 'sw1', sourceHandle: 'GigabitEthernet0/1', target: 'pc1', targetHandle: 'eth0' });
    expect(edges[0].data).toEqual({ aLabel: 'Gi0/1', bLabel: 'eth0', up: true, speed: null });
    expect(edges[1]).toMatchObject({ source: 'sw1', sourceHandle: 'GigabitEthernet0/2', target: 'vm1', targetHandle: 'nic0' });
    expect(edges[1].data).toEqual({ aLabel: 'Gi0/2', bLabel: 'nic0', up: false, speed: '100M' });
  });

  it('attaches links to the canonical ports once the catalog arrives after the lab was first drawn', () => {
    const builder = new GraphBuilder();
    const view = readLab(lab);
    const before = builder.buildEdges(view, noCatalog);
    expect(before[0].sourceHandle).toBe('Gi0/1');
    const edges = builder.buildEdges(view, catalog);
    expect(edges[0].sourceHandle).toBe('GigabitEthernet0/1');
    expect(nodeOf(builder.buildNodes(view, catalog, [], noSizes), 'sw1').data.ports.map((p) => p.name)).toContain(edges[0].sourceHandle);
    // A link whose handles were already right is kept as it was.
    expect(edges[1]).toBe(before[1]);
    expect(builder.buildEdges(view, catalog)).toBe(edges);
  });
});

describe('redrawing only what an edit changed', () => {
  it('gives back the very same nodes and edges when the lab text is read again unchanged', () => {
    const builder = new GraphBuilder();
    const nodes = builder.buildNodes(readLab(lab), catalog, [], noSizes);
    const edges = builder.buildEdges(readLab(lab), catalog);
    expect(builder.buildNodes(readLab(lab), catalog, [], noSizes)).toBe(nodes);
    expect(builder.buildEdges(readLab(lab), catalog)).toBe(edges);
  });

  it('after a device is moved, makes a new node for it alone and keeps the edges', () => {
    const builder = new GraphBuilder();
    const before = builder.buildNodes(readLab(lab), catalog, [], noSizes);
    const edges = builder.buildEdges(readLab(lab), catalog);
    const moved = readLab(moveDevices(lab, new Map([['sw1', { x: 900, y: 40 }]])));
    const after = builder.buildNodes(moved, catalog, [], noSizes);
    expect(after).not.toBe(before);
    expect(nodeOf(after, 'sw1').position).toEqual({ x: 900, y: 40 });
    expect(nodeOf(after, 'sw1')).not.toBe(nodeOf(before, 'sw1'));
    for (const name of ['cl1', 'hv1', 'vm1', 'pc1', 'pc2', 'pc3']) expect(nodeOf(after, name)).toBe(nodeOf(before, name));
    expect(builder.buildEdges(moved, catalog)).toBe(edges);
  });

  it('after a link is added, redraws the two devices it joins and keeps the other edges', () => {
    const builder = new GraphBuilder();
    const before = builder.buildNodes(readLab(lab), catalog, [], noSizes);
    const edgesBefore = builder.buildEdges(readLab(lab), catalog);
    const linked = readLab(`${lab}  - { a: pc2:eth1, b: pc3:eth0 }\n`);
    const after = builder.buildNodes(linked, catalog, [], noSizes);
    expect(nodeOf(after, 'pc2')).not.toBe(nodeOf(before, 'pc2'));
    expect(nodeOf(after, 'pc3')).not.toBe(nodeOf(before, 'pc3'));
    expect(nodeOf(after, 'pc3').data.linked).toEqual(['eth0']);
    for (const name of ['sw1', 'pc1', 'cl1']) expect(nodeOf(after, name)).toBe(nodeOf(before, name));
    const edgesAfter = builder.buildEdges(linked, catalog);
    expect(edgesAfter.map((e) => e.id)).toEqual(['link-0', 'link-2', 'link-3']);
    expect(edgesAfter[0]).toBe(edgesBefore[0]);
    expect(edgesAfter[1]).toBe(edgesBefore[1]);
  });

  it('drops the node and edges of a deleted device, and draws it afresh if it comes back', () => {
    const builder = new GraphBuilder();
    const before = builder.buildNodes(readLab(lab), catalog, [], noSizes);
    builder.buildEdges(readLab(lab), catalog);
    const without = lab.replace('  - { name: pc1, kind: pc }\n', '');
    const after = builder.buildNodes(readLab(without), catalog, [], noSizes);
    expect(after.map((n) => n.id)).not.toContain('pc1');
    expect(builder.buildEdges(readLab(without), catalog).map((e) => e.id)).toEqual(['link-2']);
    const back = builder.buildNodes(readLab(lab), catalog, [], noSizes);
    expect(nodeOf(back, 'pc1')).toEqual(nodeOf(before, 'pc1'));
    expect(builder.buildEdges(readLab(lab), catalog).map((e) => e.id)).toEqual(['link-0', 'link-2']);
  });

  it('redraws a device when the host starts or stops reporting a problem with it', () => {
    const builder = new GraphBuilder();
    const view = readLab(lab);
    const clean = builder.buildNodes(view, catalog, [], noSizes);
    const errors: LabError[] = [{ file: 'lab.lab.yaml', line: 6, col: 5, path: 'devices.4.kind', message: 'unknown kind' }];
    const flagged = builder.buildNodes(view, catalog, errors, noSizes);
    expect(nodeOf(flagged, 'pc1').data.hasProblem).toBe(true);
    expect(nodeOf(flagged, 'sw1')).toBe(nodeOf(clean, 'sw1'));
    expect(nodeOf(builder.buildNodes(view, catalog, [], noSizes), 'pc1').data.hasProblem).toBe(false);
  });
});

describe('stack members on the canvas', () => {
  const member = (n: number) => ({ name: `GigabitEthernet${n}/0/1`, aliases: [`Gi${n}/0/1`], speedBps: 1e9, medium: 'copper' });
  const cat3750 = entry('cisco-catalyst-3750', 'switch', 'Catalyst 3750-X', [
    member(1),
    { name: 'GigabitEthernet1/0/3', aliases: ['Gi1/0/3'], speedBps: 1e9, medium: 'copper' },
  ]);
  const stack: CatalogEntry = {
    ...entry('cisco-catalyst-3750-stack', 'switch', 'Catalyst 3750-X StackWise stack'),
    container: {
      accepts: ['cisco-catalyst-3750'],
      slots: { min: 1, max: 9, word: 'stack member number' },
      childPorts: {
        'cisco-catalyst-3750': {
          template: [1, 3].map((n) => ({ name: `GigabitEthernet{slot}/0/${n}`, aliases: [`Gi{slot}/0/${n}`], speedBps: 1e9, medium: 'copper' })),
        },
      },
    },
  };
  const stackCatalog = new Map([...catalog, [cat3750.kind, cat3750], [stack.kind, stack]]);
  const stackLab = `devices:
  - { name: stk1, kind: cisco-catalyst-3750-stack }
  - { name: sw1, kind: cisco-catalyst-3750, parent: stk1, slot: "1" }
  - { name: sw2, kind: cisco-catalyst-3750, parent: stk1, slot: "2" }
  - { name: pc1, kind: pc }
  - { name: pc2, kind: pc }
links:
  - { a: pc1:eth0, b: sw1:Gi1/0/1 }
  - { a: pc2:eth0, b: sw2:Gi2/0/3 }
`;

  it('gives member 2 the ports Gi2/0/1 and on, and member 1 its own, with no unknown port for a link to Gi2/0/3', () => {
    const nodes = nodesOf(stackLab, new GraphBuilder(), [], stackCatalog);
    expect(nodeOf(nodes, 'sw2').data.ports.map((p) => [p.label, p.unknown])).toEqual([
      ['Gi2/0/1', false],
      ['Gi2/0/3', false],
    ]);
    expect(nodeOf(nodes, 'sw2').data.linked).toEqual(['GigabitEthernet2/0/3']);
    expect(nodeOf(nodes, 'sw1').data.ports.map((p) => p.label)).toEqual(['Gi1/0/1', 'Gi1/0/3']);
  });

  it('attaches a link to sw2:Gi2/0/3 to a handle member 2 has', () => {
    const builder = new GraphBuilder();
    const view = readLab(stackLab);
    const nodes = builder.buildNodes(view, stackCatalog, [], noSizes);
    const edges = builder.buildEdges(view, stackCatalog);
    expect(edges[1]).toMatchObject({ source: 'pc2', target: 'sw2', targetHandle: 'GigabitEthernet2/0/3' });
    expect(edges[1].data?.bLabel).toBe('Gi2/0/3');
    expect(nodeOf(nodes, 'sw2').data.ports.map((p) => p.name)).toContain(edges[1].targetHandle);
    expect(edges[0]).toMatchObject({ target: 'sw1', targetHandle: 'GigabitEthernet1/0/1' });
  });

  it('lines up members without a position by member number, spaced by their measured size so they do not overlap', () => {
    // sw1 moved to member 3, so sw2 (member 2) comes first.
    const text = stackLab.replace('slot: "1"', 'slot: "3"');
    const wide = new Map([
      ['sw1', { width: 300, height: 200 }],
      ['sw2', { width: 300, height: 200 }],
    ]);
    const nodes = nodesOf(text, new GraphBuilder(), [], stackCatalog, wide);
    expect(nodeOf(nodes, 'sw2').position).toEqual({ x: CONTAINER_PAD, y: CONTAINER_HEAD });
    expect(nodeOf(nodes, 'sw1').position).toEqual({ x: CONTAINER_PAD + 300 + 12, y: CONTAINER_HEAD });
    expect(nodeOf(nodes, 'stk1').width).toBe(CONTAINER_PAD + 2 * 300 + 12 + CONTAINER_PAD);
  });

  it('renumbers a member\'s ports when it moves to another slot, and keeps it as it was otherwise', () => {
    const builder = new GraphBuilder();
    const first = builder.buildNodes(readLab(stackLab), stackCatalog, [], noSizes);
    expect(nodeOf(builder.buildNodes(readLab(stackLab), stackCatalog, [], noSizes), 'sw2')).toBe(nodeOf(first, 'sw2'));
    const moved = builder.buildNodes(readLab(stackLab.replace('slot: "2"', 'slot: "5"')), stackCatalog, [], noSizes);
    expect(nodeOf(moved, 'sw2').data.ports.map((p) => p.label)).toEqual(['Gi5/0/1', 'Gi5/0/3', 'Gi2/0/3']);
    expect(nodeOf(moved, 'sw2').data.ports[2].unknown).toBe(true);
  });
});

describe('devices whose ports follow a setting', () => {
  const host = (fex: number, n: number) => ({ name: `Ethernet${fex}/1/${n}`, aliases: [`Eth${fex}/1/${n}`], speedBps: 1e9, medium: 'copper' });
  const fexKind: CatalogEntry = {
    ...entry('cisco-nexus-2248', 'switch', 'Nexus 2248TP FEX', [host(101, 1), host(101, 10)]),
    settings: { fex: { type: 'integer', description: 'FEX number', default: 101, min: 100, max: 199 } },
    portsBySetting: { setting: 'fex', template: [1, 10].map((n) => ({ name: `Ethernet{value}/1/${n}`, aliases: [`Eth{value}/1/${n}`], speedBps: 1e9, medium: 'copper' })) },
  };
  const fexCatalog = new Map([...catalog, [fexKind.kind, fexKind]]);
  const fexLab = `devices:
  - { name: fex101, kind: cisco-nexus-2248, settings: { fex: 101 } }
  - { name: fex102, kind: cisco-nexus-2248, settings: { fex: 102 } }
  - { name: pc1, kind: pc }
  - { name: pc2, kind: pc }
links:
  - { a: pc1:eth0, b: fex101:Eth101/1/1 }
  - { a: pc2:eth0, b: fex102:Ethernet102/1/10 }
`;

  it('gives a FEX with fex: 102 the handles Eth102/1/1 and on, with no unknown port for its link', () => {
    const nodes = nodesOf(fexLab, new GraphBuilder(), [], fexCatalog);
    expect(nodeOf(nodes, 'fex102').data.ports.map((p) => [p.label, p.unknown])).toEqual([
      ['Eth102/1/1', false],
      ['Eth102/1/10', false],
    ]);
    expect(nodeOf(nodes, 'fex102').data.linked).toEqual(['Ethernet102/1/10']);
    expect(nodeOf(nodes, 'fex101').data.ports.map((p) => [p.label, p.unknown])).toEqual([
      ['Eth101/1/1', false],
      ['Eth101/1/10', false],
    ]);
  });

  it('attaches a link to fex102:Ethernet102/1/10 to a handle the FEX has', () => {
    const builder = new GraphBuilder();
    const view = readLab(fexLab);
    const nodes = builder.buildNodes(view, fexCatalog, [], noSizes);
    const edges = builder.buildEdges(view, fexCatalog);
    expect(edges[1]).toMatchObject({ source: 'pc2', target: 'fex102', targetHandle: 'Ethernet102/1/10' });
    expect(nodeOf(nodes, 'fex102').data.ports.map((p) => p.name)).toContain(edges[1].targetHandle);
    expect(edges[0]).toMatchObject({ target: 'fex101', targetHandle: 'Ethernet101/1/1' });
  });

  it('renumbers a FEX\'s ports when its setting changes, and keeps every other node and edge object as it was', () => {
    const builder = new GraphBuilder();
    const view = readLab(fexLab);
    const first = builder.buildNodes(view, fexCatalog, [], noSizes);
    const firstEdges = builder.buildEdges(view, fexCatalog);
    const again = readLab(fexLab);
    expect(builder.buildNodes(again, fexCatalog, [], noSizes)).toBe(first);
    expect(builder.buildEdges(again, fexCatalog)).toBe(firstEdges);
    const renumbered = readLab(fexLab.replace('fex: 102', 'fex: 103'));
    const nodes = builder.buildNodes(renumbered, fexCatalog, [], noSizes);
    for (const name of ['fex101', 'pc1', 'pc2']) expect(nodeOf(nodes, name)).toBe(nodeOf(first, name));
    expect(nodeOf(nodes, 'fex102').data.ports.map((p) => [p.label, p.unknown])).toEqual([
      ['Eth103/1/1', false],
      ['Eth103/1/10', false],
      ['Eth102/1/10', true],
    ]);
    const edges = builder.buildEdges(renumbered, fexCatalog);
    expect(edges[0]).toBe(firstEdges[0]);
  });
});

describe('devices whose settings change how many ports they have', () => {
  const routerKind: CatalogEntry = {
    ...entry('router', 'router', 'IPv4 router', routerPorts({ kind: 'router', settings: {} }) ?? []),
    settings: { ports: { type: 'integer', description: 'ports', default: 4, min: 1, max: 8 } },
    portSettings: ['ports'],
  };
  const routerCatalog = new Map([...catalog, [routerKind.kind, routerKind]]);
  const routerLab = `devices:
  - { name: r1, kind: router, settings: { ports: 8 } }
  - { name: r2, kind: router, settings: { ports: 8 } }
  - { name: r3, kind: router }
  - { name: pc1, kind: pc }
  - { name: pc2, kind: pc }
links:
  - { a: pc1:eth0, b: r1:Gi0/5 }
  - { a: pc2:eth0, b: r3:Gi0/1 }
`;
  const labels = (n: number) => Array.from({ length: n }, (_, i) => `Gi0/${i}`);

  it('draws a router with ports: 8 with its link\'s port pending, not unknown, until the host answers, then with eight handles', () => {
    const builder = new GraphBuilder();
    const asking = new FakePortAnswers(routerPorts);
    const view = readLab(routerLab);
    const before = builder.buildNodes(view, routerCatalog, [], noSizes, asking);
    expect(nodeOf(before, 'r1').data.ports.map((p) => [p.label, p.unknown])).toEqual([...labels(4), 'Gi0/5'].map((l) => [l, false]));
    expect(nodeOf(before, 'r1').data.ports.at(-1)?.pending).toBe(true);
    expect([...asking.wanted.values()]).toEqual([{ kind: 'router', settings: { ports: 8 } }]);
    const answers = asking.answered();
    const after = builder.buildNodes(view, routerCatalog, [], noSizes, answers);
    expect(nodeOf(after, 'r1').data.ports.map((p) => [p.label, p.unknown, p.pending])).toEqual(labels(8).map((l) => [l, false, false]));
    expect(nodeOf(after, 'r2').data.ports.map((p) => p.label)).toEqual(labels(8));
    expect(nodeOf(after, 'r3').data.ports.map((p) => p.label)).toEqual(labels(4));
    for (const name of ['r3', 'pc1', 'pc2']) expect(nodeOf(after, name)).toBe(nodeOf(before, name));
  });

  it('attaches a link to r1:Gi0/5, its sixth port, to a handle the router has once the answer is in', () => {
    const builder = new GraphBuilder();
    const view = readLab(routerLab);
    const asking = new FakePortAnswers(routerPorts);
    builder.buildNodes(view, routerCatalog, [], noSizes, asking);
    const answers = asking.answered();
    const nodes = builder.buildNodes(view, routerCatalog, [], noSizes, answers);
    const edges = builder.buildEdges(view, routerCatalog, answers);
    expect(edges[0]).toMatchObject({ source: 'pc1', target: 'r1', targetHandle: 'GigabitEthernet0/5' });
    expect(nodeOf(nodes, 'r1').data.ports[5].name).toBe(edges[0].targetHandle);
    expect(nodeOf(nodes, 'r1').data.linked).toEqual(['GigabitEthernet0/5']);
  });

  it('keeps every node, edge and port list as it was while the answers and the lab stay the same, and shares one list between routers set alike', () => {
    const builder = new GraphBuilder();
    const asking = new FakePortAnswers(routerPorts);
    builder.buildNodes(readLab(routerLab), routerCatalog, [], noSizes, asking);
    const answers = asking.answered();
    const first = builder.buildNodes(readLab(routerLab), routerCatalog, [], noSizes, answers);
    const firstEdges = builder.buildEdges(readLab(routerLab), routerCatalog, answers);
    expect(builder.buildNodes(readLab(routerLab), routerCatalog, [], noSizes, answers)).toBe(first);
    expect(builder.buildEdges(readLab(routerLab), routerCatalog, answers)).toBe(firstEdges);
    // Answers that arrived for something else leave the routers' entries and nodes as they were.
    const more = answers.answered();
    expect(builder.buildNodes(readLab(routerLab), routerCatalog, [], noSizes, more)).toBe(first);
    const unlinked = readLab(routerLab.replace('b: r1:Gi0/5', 'b: r3:Gi0/2'));
    const nodes = builder.buildNodes(unlinked, routerCatalog, [], noSizes, more);
    expect(nodeOf(nodes, 'r1').data.ports).toBe(nodeOf(nodes, 'r2').data.ports);
    expect(nodeOf(nodes, 'r2')).toBe(nodeOf(first, 'r2'));
  });
});
