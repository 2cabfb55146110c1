import { create } from 'zustand';
import type { CaptureFrameDetail, CaptureInfo, CapturePacketRow, HostApi, RunState } from '../../../electron/host/contract.ts';
import { toHostError } from '../host/transport.ts';
import { useRun } from '../run/run-store.ts';
import { useHost } from '../stores/host-store.ts';
import { useUi } from '../stores/ui-store.ts';
import { downloadBytes, nodeAt, type NodePath } from './capture-model.ts';

/** Rows fetched beyond the visible ones on each side, so a scroll of a few rows needs no round trip. */
export const ROW_OVERSCAN = 20;

export interface RunSeen {
  runId: string;
  state: RunState;
  now: number;
}

interface CaptureState {
  /** The run captures act on: the run bar's. */
  run: RunSeen | null;
  captures: CaptureInfo[];
  /** Captures this window stopped (the host lists stopped ones too, with their frames). */
  stopped: ReadonlySet<string>;
  selected: string | null;
  /** The filter as typed, and the one the list shows. */
  filterDraft: string;
  filter: string;
  filterError: { message: string; column: number } | null;
  total: number;
  matched: number;
  /** Rows by their position among matched frames, for the window on screen. */
  rows: ReadonlyMap<number, CapturePacketRow>;
  /** Position range on screen, kept so polling refreshes what is shown. */
  window: { first: number; count: number };
  frame: CaptureFrameDetail | null;
  /** Selected decode-tree node and the expanded ones. */
  node: NodePath | null;
  expanded: ReadonlySet<NodePath>;
  noteRun(run: RunSeen): void;
  start(target: string): Promise<void>;
  stop(id: string): Promise<void>;
  select(id: string): void;
  setFilterDraft(text: string): void;
  applyFilter(): void;
  show(first: number, count: number): void;
  refresh(): Promise<void>;
  openFrame(number: number): Promise<void>;
  selectNode(path: NodePath | null): void;
  toggleNode(path: NodePath): void;
  exportPcapng(id: string): Promise<void>;
}

function complain(action: string, e: unknown): void {
  useUi.getState().notify('error', `${action}: ${toHostError(e).message}`);
}

function api(): HostApi {
  const a = useHost.getState().api;
  if (!a) throw new Error('not connected to the host');
  return a;
}

/** Answers to list requests arrive out of order when scrolling fast; only the newest is shown. */
let pageSeq = 0;
let frameSeq = 0;

export const useCaptures = create<CaptureState>()((set, get) => ({
  run: null,
  captures: [],
  stopped: new Set(),
  selected: null,
  filterDraft: '',
  filter: '',
  filterError: null,
  total: 0,
  matched: 0,
  rows: new Map(),
  window: { first: 0, count: 40 },
  frame: null,
  node: null,
  expanded: new Set(),

  noteRun(run) {
    const cur = get().run;
    if (cur && cur.runId === run.runId) {
      if (cur.state !== run.state || cur.now !== run.now) set({ run });
      return;
    }
    // Another run: its captures are its own.
    set({ run, captures: [], stopped: new Set(), selected: null, rows: new Map(), total: 0, matched: 0, frame: null, node: null });
  },

  async start(target) {
    const run = get().run;
    if (!run) return;
    try {
      const cap = await api().startCapture(run.runId, target);
      set((s) => ({ captures: [...s.captures.filter((c) => c.id !== cap.id), cap] }));
      get().select(cap.id);
    } catch (e) {
      complain(`Could not capture on ${target}`, e);
    }
  },

  async stop(id) {
    const run = get().run;
    if (!run) return;
    try {
      await api().stopCapture(run.runId, id);
      // Read the final count before showing the capture as stopped, so the two never disagree.
      await get().refresh();
      set((s) => ({ stopped: new Set([...s.stopped, id]) }));
    } catch (e) {
      complain('Could not stop the capture', e);
    }
  },

  select(id) {
    if (get().selected === id) return;
    set({ selected: id, rows: new Map(), total: 0, matched: 0, frame: null, node: null, expanded: new Set() });
    void get().refresh();
  },

  setFilterDraft(text) {
    set({ filterDraft: text });
  },

  applyFilter() {
    set((s) => ({ filter: s.filterDraft.trim(), rows: new Map(), filterError: null }));
    void get().refresh();
  },

  show(first, count) {
    const w = get().window;
    if (w.first === first && w.count === count) return;
    set({ window: { first, count } });
    void get().refresh();
  },

  async refresh() {
    const { run, selected, filter, window } = get();
    if (!run) return;
    const seq = ++pageSeq;
    try {
      const host = api();
      const captures = await host.listCaptures(run.runId);
      if (seq !== pageSeq) return;
      set({ captures });
      if (!selected || !captures.some((c) => c.id === selected)) return;
      const offset = Math.max(0, window.first - ROW_OVERSCAN);
      const limit = Math.min(1000, window.count + 2 * ROW_OVERSCAN);
      const page = await host.capturePackets(run.runId, selected, offset, limit, filter);
      if (seq !== pageSeq || get().selected !== selected || get().filter !== filter) return;
      const rows = new Map<number, CapturePacketRow>();
      page.rows.forEach((r, i) => rows.set(page.offset + i, r));
      set({ rows, total: page.total, matched: page.matched, filterError: page.filterError ?? null });
    } catch (e) {
      // A run that was released (or a host that restarted) has nothing more to show.
      const err = toHostError(e);
      if (err.code === 'not-found') set({ run: null, captures: [], selected: null, rows: new Map(), frame: null });
    }
  },

  async openFrame(number) {
    const { run, selected } = get();
    if (!run || !selected) return;
    const seq = ++frameSeq;
    try {
      const frame = await api().captureFrame(run.runId, selected, number);
      if (seq !== frameSeq) return;
      // Keep the same layers open, and the same field picked, from frame to frame, as a protocol analyser does.
      const node = get().node;
      set({ frame, node: node !== null && (node === 'frame' || nodeAt(frame.tree, node)) ? node : null });
    } catch (e) {
      complain(`Could not decode frame ${number}`, e);
    }
  },

  selectNode(path) {
    set({ node: path });
  },

  toggleNode(path) {
    set((s) => {
      const expanded = new Set(s.expanded);
      if (expanded.has(path)) expanded.delete(path);
      else expanded.add(path);
      return { expanded };
    });
  },

  async exportPcapng(id) {
    const run = get().run;
    if (!run) return;
    try {
      const file = await api().exportCapture(run.runId, id);
      const size = downloadBytes(file.fileName, file.base64);
      useUi.getState().notify('info', `Exported ${file.fileName} (${size} bytes)`);
    } catch (e) {
      complain('Could not export the capture', e);
    }
  },
}));

// Captures act on the run of this window's run bar: the one its user started and watches.
function followRunBar(r: { runId: string | null; state: RunState | null; now: number }): void {
  if (r.runId && r.state) useCaptures.getState().noteRun({ runId: r.runId, state: r.state, now: r.now });
}
followRunBar(useRun.getState());
useRun.subscribe(followRunBar);
