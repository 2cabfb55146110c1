import { create } from 'zustand';
import type { CatalogEntry, HostApi, HostInfo, LabSummary, RunEventWire } from '../../../electron/host/contract.ts';
import type { HostConnection } from '../host/connect.ts';
import type { ConnectionState } from '../host/transport.ts';

/** Events kept for the Events tab; older ones fall off so a long run cannot grow the page forever. */
const MAX_EVENTS = 2000;

export interface RunEventRow extends RunEventWire {
  runId: string;
}

interface HostState {
  api: HostApi | null;
  transport: HostConnection['transport'] | null;
  connection: ConnectionState;
  info: HostInfo | null;
  catalog: CatalogEntry[];
  catalogByKind: ReadonlyMap<string, CatalogEntry>;
  labs: LabSummary[];
  recent: LabSummary[];
  events: RunEventRow[];
  /** Why the catalog or library could not be loaded, shown instead of an empty palette. */
  loadError: string | null;
  attach(conn: HostConnection): void;
  refresh(): Promise<void>;
  refreshLibrary(): Promise<void>;
  clearEvents(): void;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

export const useHost = create<HostState>()((set, get) => ({
  api: null,
  transport: null,
  connection: 'connecting',
  info: null,
  catalog: [],
  catalogByKind: new Map(),
  labs: [],
  recent: [],
  events: [],
  loadError: null,

  attach(conn) {
    set({ api: conn.api, transport: conn.transport, connection: conn.connection.state });
    conn.connection.onState((state) => {
      set({ connection: state });
      // After a reconnect the host may have restarted: reload what we show from it.
      if (state === 'connected') void get().refresh();
    });
    conn.api.onRunEvents((batch) => {
      const rows = batch.events.map((e) => ({ ...e, runId: batch.runId }));
      if (rows.length === 0) return;
      set((s) => ({ events: [...s.events, ...rows].slice(-MAX_EVENTS) }));
    });
    void get().refresh();
  },

  async refresh() {
    const api = get().api;
    if (!api) return;
    try {
      const [info, catalog] = await Promise.all([api.hostInfo(), api.deviceCatalog()]);
      set({ info, catalog, catalogByKind: new Map(catalog.map((c) => [c.kind, c])), loadError: null });
    } catch (e) {
      set({ loadError: message(e) });
    }
    await get().refreshLibrary();
  },

  async refreshLibrary() {
    const api = get().api;
    if (!api) return;
    try {
      const [labs, recent] = await Promise.all([api.listLabs(), api.recentLabs()]);
      set({ labs, recent });
    } catch (e) {
      set({ loadError: message(e) });
    }
  },

  clearEvents() {
    set({ events: [] });
  },
}));
