import {
  Background,
  BackgroundVariant,
  ConnectionMode,
  Controls,
  MiniMap,
  ReactFlow,
  ReactFlowProvider,
  applyNodeChanges,
  useReactFlow,
  type Connection,
  type NodeChange,
  type OnNodeDrag,
} from '@xyflow/react';
import { useCallback, useEffect, useMemo, useState, type DragEvent } from 'react';
import type { CatalogEntry, LabError } from '../../../electron/host/contract.ts';
import { devicePorts, nameStem, resolvePort, shortPortName } from '../lab/catalog-view.ts';
import { addDevice, addLink, errorTarget, freshName, linkRefusal, moveDevice, type LabView } from '../lab/lab-text.ts';
import { useHost } from '../stores/host-store.ts';
import { useLab, type Selection } from '../stores/lab-store.ts';
import { useUi } from '../stores/ui-store.ts';
import { DeviceNode, type DeviceNodeType } from './DeviceNode.tsx';
import { LinkEdge, type LinkEdgeType } from './LinkEdge.tsx';

export const PALETTE_MIME = 'application/x-labbox-kind';

const nodeTypes = { device: DeviceNode };
const edgeTypes = { link: LinkEdge };

const GRID_COLUMNS = 5;

function problemIndexes(errors: readonly LabError[], list: 'devices' | 'links'): Set<number> {
  const out = new Set<number>();
  for (const e of errors) {
    const target = errorTarget(e.path);
    if (target && target.list === list) out.add(target.index);
  }
  return out;
}

function buildNodes(view: LabView, catalog: ReadonlyMap<string, CatalogEntry>, errors: readonly LabError[], selection: Selection): DeviceNodeType[] {
  const linkedPorts = new Map<string, string[]>();
  for (const l of view.links) {
    for (const e of [l.a, l.b]) {
      const list = linkedPorts.get(e.device) ?? [];
      list.push(e.port);
      linkedPorts.set(e.device, list);
    }
  }
  const broken = problemIndexes(errors, 'devices');
  return view.devices.map((d, i) => {
    const entry = catalog.get(d.kind);
    const linked = linkedPorts.get(d.name) ?? [];
    // Devices without a position are laid out on a grid so that they are at least visible.
    const position = d.position ?? { x: (i % GRID_COLUMNS) * 280, y: Math.floor(i / GRID_COLUMNS) * 200 };
    return {
      id: d.name,
      type: 'device',
      position,
      selected: selection?.kind === 'device' && selection.name === d.name,
      data: {
        name: d.name,
        kind: d.kind,
        model: entry?.model ?? d.kind,
        vendor: entry?.vendor ?? '',
        role: entry?.role ?? 'unknown',
        ports: devicePorts(entry, linked),
        linked: linked.map((p) => resolvePort(entry, p)),
        knownKind: entry !== undefined || catalog.size === 0,
        hasProblem: broken.has(i),
      },
    };
  });
}

function buildEdges(view: LabView, catalog: ReadonlyMap<string, CatalogEntry>, selection: Selection): LinkEdgeType[] {
  const kinds = new Map(view.devices.map((d) => [d.name, d.kind]));
  return view.links
    .filter((l) => kinds.has(l.a.device) && kinds.has(l.b.device))
    .map((l) => {
      const aEntry = catalog.get(kinds.get(l.a.device) ?? '');
      const bEntry = catalog.get(kinds.get(l.b.device) ?? '');
      return {
        id: `link-${l.index}`,
        type: 'link',
        source: l.a.device,
        sourceHandle: resolvePort(aEntry, l.a.port),
        target: l.b.device,
        targetHandle: resolvePort(bEntry, l.b.port),
        selected: selection?.kind === 'link' && selection.index === l.index,
        data: { aLabel: shortPortName(l.a.port), bLabel: shortPortName(l.b.port), up: l.up, speed: l.speed },
      };
    });
}

const roleColors: Record<string, string> = {
  switch: '#2f6fde',
  router: '#8a4fd8',
  enclosure: '#5b6472',
  interconnect: '#0f8f86',
  hypervisor: '#d9822b',
  server: '#3d8b40',
  host: '#6b7f99',
};

function CanvasInner() {
  const view = useLab((s) => s.view);
  const errors = useLab((s) => s.errors);
  const selection = useLab((s) => s.selection);
  const generation = useLab((s) => s.generation);
  const edit = useLab((s) => s.edit);
  const select = useLab((s) => s.select);
  const catalog = useHost((s) => s.catalogByKind);
  const theme = useUi((s) => s.theme);
  const notify = useUi((s) => s.notify);
  const { screenToFlowPosition, fitView } = useReactFlow();

  const derivedNodes = useMemo(() => buildNodes(view, catalog, errors, selection), [view, catalog, errors, selection]);
  const edges = useMemo(() => buildEdges(view, catalog, selection), [view, catalog, selection]);
  // Local copy so a drag moves smoothly; the lab text is written once, when the drag ends.
  const [nodes, setNodes] = useState<DeviceNodeType[]>(derivedNodes);
  useEffect(() => setNodes(derivedNodes), [derivedNodes]);

  useEffect(() => {
    if (generation === 0) return;
    // Wait a frame so the new nodes are measured before fitting them.
    const id = requestAnimationFrame(() => void fitView({ padding: 0.15, maxZoom: 1.1, duration: 0 }));
    return () => cancelAnimationFrame(id);
  }, [generation, fitView]);

  const onNodesChange = useCallback((changes: NodeChange<DeviceNodeType>[]) => {
    setNodes((ns) => applyNodeChanges(changes, ns));
  }, []);

  const onNodeDragStop: OnNodeDrag<DeviceNodeType> = useCallback(
    (_e, _node, dragged) => {
      edit((text) => dragged.reduce((t, n) => moveDevice(t, n.id, n.position), text));
    },
    [edit],
  );

  const portFacts = useCallback(
    (e: { device: string; port: string }) => {
      const entry = catalog.get(view.devices.find((d) => d.name === e.device)?.kind ?? '');
      const canonical = resolvePort(entry, e.port);
      return { canonical, medium: entry?.ports.find((p) => p.name === canonical)?.medium ?? null };
    },
    [view, catalog],
  );

  const onConnect = useCallback(
    (c: Connection) => {
      if (!c.sourceHandle || !c.targetHandle) return;
      const a = { device: c.source, port: c.sourceHandle };
      const b = { device: c.target, port: c.targetHandle };
      const refusal = linkRefusal(view, a, b, portFacts);
      if (refusal) {
        notify('error', `Cannot link: ${refusal}`);
        return;
      }
      edit((text) => addLink(text, a, b));
    },
    [view, edit, notify, portFacts],
  );

  const onDragOver = useCallback((e: DragEvent) => {
    if (!e.dataTransfer.types.includes(PALETTE_MIME)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
  }, []);

  const onDrop = useCallback(
    (e: DragEvent) => {
      const kind = e.dataTransfer.getData(PALETTE_MIME);
      if (!kind) return;
      e.preventDefault();
      const at = screenToFlowPosition({ x: e.clientX, y: e.clientY });
      const name = freshName(nameStem(catalog.get(kind)), view.devices.map((d) => d.name));
      // Centre the new device under the pointer rather than hanging it from its corner.
      edit((text) => addDevice(text, { name, kind, position: { x: at.x - 90, y: at.y - 30 } }));
      select({ kind: 'device', name });
    },
    [catalog, view, edit, select, screenToFlowPosition],
  );

  return (
    <ReactFlow<DeviceNodeType, LinkEdgeType>
      nodes={nodes}
      edges={edges}
      nodeTypes={nodeTypes}
      edgeTypes={edgeTypes}
      onNodesChange={onNodesChange}
      onNodeDragStop={onNodeDragStop}
      onNodeClick={(_e, n) => select({ kind: 'device', name: n.id })}
      onEdgeClick={(_e, edge) => select({ kind: 'link', index: Number(edge.id.slice('link-'.length)) })}
      onPaneClick={() => select(null)}
      onConnect={onConnect}
      onDragOver={onDragOver}
      onDrop={onDrop}
      connectionMode={ConnectionMode.Loose}
      colorMode={theme}
      minZoom={0.05}
      maxZoom={2.5}
      deleteKeyCode={null}
      fitView
    >
      <Background variant={BackgroundVariant.Dots} gap={20} size={1.2} />
      <MiniMap<DeviceNodeType> style={{ width: 168, height: 112 }} pannable zoomable nodeColor={(n) => roleColors[n.data.role] ?? '#8893a2'} nodeStrokeWidth={0} />
      <Controls showInteractive={false} />
    </ReactFlow>
  );
}

export function Canvas() {
  return (
    <ReactFlowProvider>
      <CanvasInner />
    </ReactFlowProvider>
  );
}
