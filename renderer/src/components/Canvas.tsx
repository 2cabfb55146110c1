import {
  Background,
  BackgroundVariant,
  ConnectionMode,
  Controls,
  MiniMap,
  Panel,
  ReactFlow,
  ReactFlowProvider,
  SelectionMode,
  useReactFlow,
  useStore,
  useStoreApi,
  type Connection,
  type EdgeChange,
  type NodeChange,
  type OnNodeDrag,
  type ReactFlowState,
} from '@xyflow/react';
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent, type MouseEvent } from 'react';
import { OverviewHover } from '../canvas/OverviewHover.tsx';
import { OverviewLayer } from '../canvas/OverviewLayer.tsx';
import { OverviewMiniMap } from '../canvas/OverviewMiniMap.tsx';
import { deviceAt, devicesIn } from '../canvas/overview-geometry.ts';
import { useFit } from '../canvas/use-fit.ts';
import { useLargeLab } from '../canvas/use-large-lab.ts';
import '../edit/edit.css';
import { hold, nextPaste } from '../edit/clipboard.ts';
import { acceptsChild, freeSlot } from '../edit/containers.ts';
import { LOW_DETAIL_ZOOM, LowDetail, OVERVIEW_ZOOM } from '../edit/detail.ts';
import { CONTAINER_HEAD, GraphBuilder, type Size } from '../edit/graph.ts';
import { addChildDevice, copyItems, deleteItems, moveDevices, pasteItems, withDescendants } from '../edit/lab-edits.ts';
import { nestedLayout, type LayoutEdge, type LayoutTree } from '../edit/layout.ts';
import { LocalNodes } from '../edit/local-nodes.ts';
import { AdaptiveEdge } from '../edit/PlainEdge.tsx';
import { isTyping, shortcuts } from '../edit/shortcuts.ts';
import { nameStem, portFactsIn } from '../lab/catalog-view.ts';
import { addDevice, addLink, freshName, linkRefusal, type Point } from '../lab/lab-text.ts';
import { usePortAnswers } from '../lab/port-cache.ts';
import { useHost } from '../stores/host-store.ts';
import { useLab } from '../stores/lab-store.ts';
import { useUi } from '../stores/ui-store.ts';
import { DeviceNode, type DeviceNodeType } from './DeviceNode.tsx';
import type { LinkEdgeType } from './LinkEdge.tsx';

export const PALETTE_MIME = 'application/x-labbox-kind';

const nodeTypes = { device: DeviceNode };
const edgeTypes = { link: AdaptiveEdge };

const roleColors: Record<string, string> = {
  switch: '#2f6fde',
  router: '#8a4fd8',
  enclosure: '#5b6472',
  interconnect: '#0f8f86',
  hypervisor: '#d9822b',
  server: '#3d8b40',
  host: '#6b7f99',
};

const lowDetailSelector = (s: ReactFlowState) => s.transform[2] < LOW_DETAIL_ZOOM;
const overviewSelector = (s: ReactFlowState) => s.transform[2] < OVERVIEW_ZOOM;
const linkIndex = (edgeId: string) => Number(edgeId.slice('link-'.length));
/** Above this many devices a lab is drawn as one overview picture when zoomed out, and React Flow gets only the devices near the window. */
const LARGE_LAB = 150;
/** Where a click on the overview takes the view: close enough that devices are real nodes again. */
const OVERVIEW_CLICK_ZOOM = 0.8;
const CLICK_SLOP_PX = 8;

/**
 * How far below a container's top its children may start: under its head and its own port row,
 * read from the drawn node, since a host with NICs has a taller head than a bare cluster frame.
 */
function contentTopOf(id: string, zoom: number): number {
  const el = document.querySelector<HTMLElement>(`.react-flow__node[data-id="${CSS.escape(id)}"]`);
  if (!el) return CONTAINER_HEAD;
  const top = el.getBoundingClientRect().top;
  let bottom = top;
  for (const part of el.querySelectorAll<HTMLElement>(':scope > .device-node > .device-head, :scope > .device-node > .ports')) bottom = Math.max(bottom, part.getBoundingClientRect().bottom);
  return Math.max(CONTAINER_HEAD, Math.ceil((bottom - top) / zoom) + 12);
}

function ShortcutHelp({ onClose }: { onClose(): void }) {
  return (
    <div className="shortcut-help" role="dialog" aria-label="Keyboard shortcuts" onMouseLeave={onClose}>
      <h3>Keyboard shortcuts</h3>
      <table>
        <tbody>
          {shortcuts.map((s) => (
            <tr key={s.what}>
              <td>
                {s.keys.map((k, i) => (
                  <span key={k}>
                    {i > 0 && '+'}
                    <kbd>{k}</kbd>
                  </span>
                ))}
              </td>
              <td>{s.what}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function CanvasInner() {
  const view = useLab((s) => s.view);
  const allErrors = useLab((s) => s.errors);
  const refused = useLab((s) => s.refused);
  // A dropped file that could not be read has problems of its own; they say nothing about the devices drawn here.
  const errors = useMemo(() => (refused.length === 0 ? allErrors : allErrors.filter((e) => !refused.includes(e))), [allErrors, refused]);
  const generation = useLab((s) => s.generation);
  const selectedDevices = useLab((s) => s.selectedDevices);
  const selectedLinks = useLab((s) => s.selectedLinks);
  const canUndo = useLab((s) => s.past.length > 0);
  const canRedo = useLab((s) => s.future.length > 0);
  const edit = useLab((s) => s.edit);
  const select = useLab((s) => s.select);
  const selectMany = useLab((s) => s.selectMany);
  const catalog = useHost((s) => s.catalogByKind);
  // A device whose settings change its ports is drawn again when the host's answer for it arrives.
  const portAnswers = usePortAnswers((s) => s.answers);
  const theme = useUi((s) => s.theme);
  const notify = useUi((s) => s.notify);
  const rf = useReactFlow<DeviceNodeType, LinkEdgeType>();
  // Only a small lab is ever drawn in low detail: a large one is the overview drawing below OVERVIEW_ZOOM.
  const lowDetail = useStore(lowDetailSelector);
  const large = useLab((s) => s.view.devices.length > LARGE_LAB);
  // A large lab stays the overview drawing until it has been fitted: drawing faceplates at zoom 1 only to drop them costs seconds.
  const [fitted, setFitted] = useState(-1);
  // Zoomed out, a large lab is one drawing rather than thousands of nodes; React Flow takes over once devices can be told apart.
  const belowOverview = useStore(overviewSelector);
  const overviewMode = large && (belowOverview || fitted !== generation);
  const storeApi = useStoreApi<DeviceNodeType, LinkEdgeType>();
  const [help, setHelp] = useState(false);

  const [builder] = useState(() => new GraphBuilder());
  const [local] = useState(() => new LocalNodes());
  /** Measured sizes of devices inside containers, so a container grows to hold them. */
  const [childSizes, setChildSizes] = useState<ReadonlyMap<string, Size>>(() => new Map());

  const derivedNodes = useMemo(() => builder.buildNodes(view, catalog, errors, childSizes, portAnswers), [builder, view, catalog, errors, childSizes, portAnswers]);
  const derivedEdges = useMemo(() => builder.buildEdges(view, catalog, portAnswers), [builder, view, catalog, portAnswers]);
  const merged = useMemo(() => local.merge(derivedNodes, selectedDevices), [local, derivedNodes, selectedDevices]);
  // Drags and measurements change the local copy between lab edits; the lab text is written once, when a drag ends.
  const [applied, setApplied] = useState<{ base: DeviceNodeType[]; nodes: DeviceNodeType[] } | null>(null);
  const nodes = applied && applied.base === merged ? applied.nodes : merged;
  const mergedRef = useRef(merged);
  mergedRef.current = merged;

  const edges = useMemo(
    () => (selectedLinks.size === 0 ? derivedEdges : derivedEdges.map((e) => (selectedLinks.has(linkIndex(e.id)) ? { ...e, selected: true } : e))),
    [derivedEdges, selectedLinks],
  );

  const { overview, sizeHints, nearby, reached, flowNodes, flowEdges } = useLargeLab({ large, overviewMode, generation, derivedNodes, derivedEdges, nodes, edges });
  const overviewRef = useRef(overview);
  overviewRef.current = overview;
  const { fit, keepFitted } = useFit(overviewRef);

  useEffect(() => {
    if (generation === 0) return;
    // Wait a frame so the new nodes are measured before fitting them.
    const id = requestAnimationFrame(() => void fit(0).then(() => setFitted(generation)));
    return () => cancelAnimationFrame(id);
  }, [generation, fit]);

  // Box selection on the overview: React Flow draws the box but holds no nodes to pick, so the box picks from the lab's own drawing.
  const lastBox = useRef<{ x: number; y: number; width: number; height: number } | null>(null);
  useEffect(
    () =>
      storeApi.subscribe((s) => {
        if (s.userSelectionRect) lastBox.current = s.userSelectionRect;
      }),
    [storeApi],
  );
  const onSelectionEnd = useCallback(() => {
    const o = overviewRef.current;
    const box = lastBox.current;
    lastBox.current = null;
    if (!overviewMode || !o || !box) return;
    const [tx, ty, zoom] = storeApi.getState().transform;
    const picked = devicesIn(o, { x: (box.x - tx) / zoom, y: (box.y - ty) / zoom, width: box.width / zoom, height: box.height / zoom });
    selectMany(
      picked.map((d) => d.id),
      [],
    );
  }, [overviewMode, storeApi, selectMany]);

  const onPaneClick = useCallback(
    (e: MouseEvent) => {
      const o = overviewRef.current;
      if (!overviewMode || !o) return;
      const at = rf.screenToFlowPosition({ x: e.clientX, y: e.clientY });
      // Zoomed out a device may be a pixel tall: a click within a few pixels of one means it.
      const hit = deviceAt(o, at, CLICK_SLOP_PX / rf.getZoom());
      if (hit) select({ kind: 'device', name: hit.id });
      void rf.setCenter(hit ? hit.x + hit.width / 2 : at.x, hit ? hit.y + hit.height / 2 : at.y, { zoom: OVERVIEW_CLICK_ZOOM, duration: 200 });
    },
    [overviewMode, rf, select],
  );

  const onNodesChange = useCallback(
    (changes: NodeChange<DeviceNodeType>[]) => {
      const picks = changes.filter((c) => c.type === 'select');
      if (picks.length > 0) {
        const s = useLab.getState();
        const next = new Set(s.selectedDevices);
        for (const c of picks) {
          if (c.type !== 'select') continue;
          if (c.selected) next.add(c.id);
          else next.delete(c.id);
        }
        selectMany(next, s.selectedLinks);
      }
      const rest = changes.filter((c) => c.type !== 'select' && c.type !== 'remove');
      if (rest.length === 0) return;
      // The local copy always holds what is on screen, so the changes apply to it.
      setApplied({ base: mergedRef.current, nodes: local.apply(rest) });
      // A device inside a container that changed size may make its container grow.
      const grown: [string, Size][] = [];
      for (const c of rest) {
        if (c.type !== 'dimensions' || !c.dimensions) continue;
        const inner = rf.getInternalNode(c.id);
        if (inner) sizeHints.note(inner, c.dimensions);
        if (inner?.parentId) grown.push([c.id, { width: c.dimensions.width, height: c.dimensions.height }]);
      }
      // Devices measure larger than assumed once drawn (a wide faceplate, a wrapped model name): a fitted lab is fitted again to hold them.
      if (!large && rest.some((c) => c.type === 'dimensions')) keepFitted('measured');
      if (grown.length > 0) {
        setChildSizes((prev) => {
          if (grown.every(([id, s]) => prev.get(id)?.width === s.width && prev.get(id)?.height === s.height)) return prev;
          const next = new Map(prev);
          for (const [id, s] of grown) next.set(id, s);
          return next;
        });
      }
    },
    [local, selectMany, rf, sizeHints, large, keepFitted],
  );

  const onEdgesChange = useCallback(
    (changes: EdgeChange<LinkEdgeType>[]) => {
      const picks = changes.filter((c) => c.type === 'select');
      if (picks.length === 0) return;
      const s = useLab.getState();
      const next = new Set(s.selectedLinks);
      for (const c of picks) {
        if (c.type !== 'select') continue;
        if (c.selected) next.add(linkIndex(c.id));
        else next.delete(linkIndex(c.id));
      }
      selectMany(s.selectedDevices, next);
    },
    [selectMany],
  );

  const onNodeDragStop: OnNodeDrag<DeviceNodeType> = useCallback(
    (_e, _node, dragged) => {
      edit((text) => moveDevices(text, new Map(dragged.map((n) => [n.id, n.position]))));
    },
    [edit],
  );

  // A stack member's ports carry its member number, so the facts come from the entry placed in its slot.
  const portFacts = useMemo(() => portFactsIn(catalog, view.devices, portAnswers), [view, catalog, portAnswers]);

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

  /** The innermost container under a point that takes this kind of device. */
  const containerAt = useCallback(
    (at: Point, kind: string) => {
      let best: { name: string; kind: string; origin: Point; area: number } | null = null;
      for (const n of local.nodes) {
        if (!n.data.container || !acceptsChild(n.data.kind, kind)) continue;
        const inner = rf.getInternalNode(n.id);
        if (!inner) continue;
        const { x, y } = inner.internals.positionAbsolute;
        const w = inner.measured.width ?? 0;
        const h = inner.measured.height ?? 0;
        if (at.x < x || at.y < y || at.x > x + w || at.y > y + h) continue;
        if (!best || w * h < best.area) best = { name: n.id, kind: n.data.kind, origin: { x, y }, area: w * h };
      }
      return best;
    },
    [local, rf],
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
      const at = rf.screenToFlowPosition({ x: e.clientX, y: e.clientY });
      const name = freshName(nameStem(catalog.get(kind)), view.devices.map((d) => d.name));
      const host = containerAt(at, kind);
      if (host) {
        const slot = freeSlot(host.kind, kind, view.devices.filter((d) => d.parent === host.name));
        if (slot === undefined) {
          notify('error', `${host.name} has no free bay for a ${catalog.get(kind)?.model ?? kind}`);
          return;
        }
        // Inside a container a position is relative to it, so moving the container carries the device along; one
        // given a bay is lined up with the others by bay rather than dropped on top of them.
        const position = slot !== null ? null : { x: Math.max(8, at.x - host.origin.x - 90), y: Math.max(64, at.y - host.origin.y - 30) };
        edit((text) => addChildDevice(text, { name, kind, position, parent: host.name, slot }));
      } else {
        // Centre the new device under the pointer rather than hanging it from its corner.
        edit((text) => addDevice(text, { name, kind, position: { x: at.x - 90, y: at.y - 30 } }));
      }
      select({ kind: 'device', name });
    },
    [catalog, view, edit, select, notify, rf, containerAt],
  );

  const autoLayout = useCallback(async () => {
    const lab = useLab.getState();
    const byName = new Map(lab.view.devices.map((d) => [d.name, d]));
    const sizeNow = (id: string) => {
      const inner = rf.getInternalNode(id);
      const drawn = overviewRef.current?.devices.find((d) => d.id === id);
      return { width: inner?.measured.width ?? drawn?.width ?? 200, height: inner?.measured.height ?? drawn?.height ?? 90 };
    };
    const nodes: LayoutTree['nodes'][number][] = [];
    const contentTop = new Map<string, number>();
    for (const n of local.nodes) {
      const inner = rf.getInternalNode(n.id);
      const ports = new Map<string, Point>();
      for (const h of inner?.internals.handleBounds?.source ?? []) if (h.id) ports.set(h.id, { x: h.x + h.width / 2, y: h.y + h.height / 2 });
      const device = byName.get(n.id);
      nodes.push({ id: n.id, ...sizeNow(n.id), ports, parent: n.parentId ?? null, container: n.data.container, slot: device?.slot ?? null, role: n.data.role });
      if (n.data.container) contentTop.set(n.id, contentTopOf(n.id, rf.getZoom()));
    }
    const edges: LayoutEdge[] = derivedEdges.map((e) => ({ id: e.id, source: e.source, sourcePort: e.sourceHandle ?? null, target: e.target, targetPort: e.targetHandle ?? null }));
    const positions = await nestedLayout({ nodes, edges, contentTop });
    edit((text) => moveDevices(text, positions));
    requestAnimationFrame(() => void fit(0));
  }, [local, rf, derivedEdges, edit, fit]);

  const copySelection = useCallback(() => {
    const s = useLab.getState();
    const names = withDescendants(s.view.devices, s.selectedDevices);
    const clip = copyItems(s.text, names);
    if (clip) hold(clip);
    return clip;
  }, []);

  const deleteSelection = useCallback(() => {
    const s = useLab.getState();
    const names = withDescendants(s.view.devices, s.selectedDevices);
    if (names.size === 0 && s.selectedLinks.size === 0) return;
    edit((text) => deleteItems(text, names, s.selectedLinks));
    selectMany([], []);
  }, [edit, selectMany]);

  const paste = useCallback(() => {
    const next = nextPaste();
    if (!next) return;
    let names: string[] = [];
    edit((text) => {
      const out = pasteItems(text, next.clip, next.offset);
      names = out.names;
      return out.text;
    });
    selectMany(names, []);
  }, [edit, selectMany]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (isTyping(e.target) || useUi.getState().dialog !== null) return;
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      const lab = useLab.getState();
      if (mod && key === 'z' && !e.shiftKey) lab.undo();
      else if (mod && ((key === 'z' && e.shiftKey) || key === 'y')) lab.redo();
      else if (mod && key === 'c') copySelection();
      else if (mod && key === 'x') {
        if (copySelection()) deleteSelection();
      } else if (mod && key === 'v') paste();
      else if (mod && key === 'd') {
        if (copySelection()) paste();
      } else if (mod && key === 'a') selectMany(lab.view.devices.map((d) => d.name), []);
      else if (!mod && (e.key === 'Delete' || e.key === 'Backspace')) deleteSelection();
      else if (!mod && key === 'l') void autoLayout();
      else if (!mod && key === 'f') void fit(200);
      else if (!mod && e.key === '?') setHelp((h) => !h);
      else if (!mod && e.key === 'Escape') {
        setHelp(false);
        selectMany([], []);
      } else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [copySelection, deleteSelection, paste, autoLayout, selectMany, fit]);

  return (
    <LowDetail.Provider value={lowDetail}>
      <ReactFlow<DeviceNodeType, LinkEdgeType>
        className={large ? 'large-lab' : undefined}
        nodes={flowNodes}
        edges={flowEdges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onNodeDragStop={onNodeDragStop}
        onConnect={onConnect}
        onDragOver={onDragOver}
        onDrop={onDrop}
        onPaneClick={onPaneClick}
        onSelectionEnd={onSelectionEnd}
        // Shift-click and shift-drag select devices; without this the browser also extends a text selection across the window.
        onMouseDownCapture={(e) => e.shiftKey && e.preventDefault()}
        connectionMode={ConnectionMode.Loose}
        colorMode={theme}
        minZoom={0.02}
        maxZoom={2.5}
        deleteKeyCode={null}
        multiSelectionKeyCode={['Shift', 'Meta', 'Control']}
        selectionKeyCode="Shift"
        selectionMode={SelectionMode.Partial}
        onlyRenderVisibleElements
        elevateNodesOnSelect={false}
      >
        <Background variant={BackgroundVariant.Dots} gap={20} size={1.2} />
        {overview && (
          <OverviewLayer overview={overview} selected={selectedDevices} roleColors={roleColors} theme={theme} drawn={overviewMode ? null : nearby} drawnVersion={reached} />
        )}
        {overview && overviewMode && <OverviewHover overview={overview} />}
        {overview && <OverviewMiniMap overview={overview} roleColors={roleColors} theme={theme} />}
        {!overview && <MiniMap<DeviceNodeType> style={{ width: 168, height: 112 }} pannable zoomable nodeColor={(n) => roleColors[n.data.role] ?? '#8893a2'} nodeStrokeWidth={0} />}
        <Controls showInteractive={false} />
        <Panel position="top-left">
          <div className="canvas-toolbar" role="toolbar" aria-label="Edit">
            <button onClick={() => useLab.getState().undo()} disabled={!canUndo} title="Undo (Ctrl+Z)">
              Undo
            </button>
            <button onClick={() => useLab.getState().redo()} disabled={!canRedo} title="Redo (Ctrl+Shift+Z)">
              Redo
            </button>
            <span className="sep" />
            <button onClick={() => void autoLayout()} title="Auto-layout (L)">
              Layout
            </button>
            <button onClick={() => void fit(200)} title="Zoom to fit (F)">
              Fit
            </button>
            <span className="sep" />
            <button onClick={() => setHelp((h) => !h)} title="Keyboard shortcuts (?)" aria-label="Keyboard shortcuts" aria-expanded={help}>
              ?
            </button>
          </div>
          {help && <ShortcutHelp onClose={() => setHelp(false)} />}
        </Panel>
      </ReactFlow>
    </LowDetail.Provider>
  );
}

export function Canvas() {
  return (
    <ReactFlowProvider>
      <CanvasInner />
    </ReactFlowProvider>
  );
}
