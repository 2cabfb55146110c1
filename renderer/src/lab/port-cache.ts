import { create, type StoreApi, type UseBoundStore } from 'zustand';
import { DEVICE_PORTS_BATCH, type CatalogPort, type DevicePortsQuery } from '../../../electron/host/contract.ts';
import { useHost } from '../stores/host-store.ts';

/**
 * Ports the host gave for devices whose settings change their kind's port list (a router with
 * `ports: 8`). The emulator's rule is code, so the renderer asks the host once per distinct query
 * and keeps the answer: two thousand routers with the same settings are one question.
 */
export interface PortAnswers {
  /** The host's ports for a query's key; null when it gives none, undefined while not yet answered. */
  get(key: string): readonly CatalogPort[] | null | undefined;
  /** Ask for a key's ports unless already asked; the answer arrives as a new `answers` in the store. */
  want(key: string, query: DevicePortsQuery): void;
}

export interface PortCacheState {
  /** Replaced by a new object whenever answers arrive, so what is derived from it is derived again. */
  answers: PortAnswers;
  /** Forget every answer (the host's catalog was loaded again). */
  reset(): void;
}

/** How the cache reaches the host: undefined while there is no host to ask. */
export type AskPorts = (queries: DevicePortsQuery[]) => Promise<(CatalogPort[] | null)[]> | undefined;

export function createPortCache(ask: AskPorts): UseBoundStore<StoreApi<PortCacheState>> {
  let known = new Map<string, readonly CatalogPort[] | null>();
  /** Keys sent and not yet answered, and keys waiting for the next batch. */
  const asked = new Set<string>();
  let queue = new Map<string, DevicePortsQuery>();
  let generation = 0;

  const store = create<PortCacheState>()((set) => {
    const answersOver = (map: ReadonlyMap<string, readonly CatalogPort[] | null>): PortAnswers => ({
      get: (key) => map.get(key),
      want(key, query) {
        if (map.has(key) || known.has(key) || asked.has(key)) return;
        asked.add(key);
        queue.set(key, query);
        // Every device drawn in one pass is asked about in one batch.
        if (queue.size === 1) queueMicrotask(flush);
      },
    });

    const flush = () => {
      const batch = [...queue];
      queue = new Map();
      const sentIn = generation;
      for (let i = 0; i < batch.length; i += DEVICE_PORTS_BATCH) {
        const part = batch.slice(i, i + DEVICE_PORTS_BATCH);
        const reply = ask(part.map(([, q]) => q));
        if (!reply) {
          // No host yet: the next drawing asks again.
          for (const [key] of part) asked.delete(key);
          continue;
        }
        reply.then(
          (lists) => {
            if (sentIn !== generation) return;
            const next = new Map(known);
            part.forEach(([key], k) => {
              next.set(key, lists[k] ?? null);
              asked.delete(key);
            });
            known = next;
            set({ answers: answersOver(known) });
          },
          () => {
            // A lost connection: the catalog is loaded again on reconnect, which resets the cache.
            if (sentIn === generation) for (const [key] of part) asked.delete(key);
          },
        );
      }
    };

    return {
      answers: answersOver(known),
      reset() {
        generation++;
        known = new Map();
        asked.clear();
        queue = new Map();
        set({ answers: answersOver(known) });
      },
    };
  });
  return store;
}

/** The window's cache, asking the connected host. */
export const usePortAnswers = createPortCache((queries) => useHost.getState().api?.devicePorts(queries));

// A catalog loaded again may come from a host with other kinds: answers from before may not hold.
useHost.subscribe((state, before) => {
  if (state.catalog !== before.catalog) usePortAnswers.getState().reset();
});

/** The answers as they stand, for callers outside React's render (and the default of those inside it). */
export function currentPortAnswers(): PortAnswers {
  return usePortAnswers.getState().answers;
}
