import { useEffect } from 'react';
import { create } from 'zustand';
import type { RecoverySnapshot } from '../../../electron/host/contract.ts';
import { useHost } from '../stores/host-store.ts';
import { selectDirty, useLab } from '../stores/lab-store.ts';

/** Idle time after the last edit before unsaved text is written to the workspace store. */
export const AUTOSAVE_IDLE_MS = 2500;

interface RecoveryState {
  /** The snapshot being offered for restore, newest first; null when there is nothing to offer. */
  offer: RecoverySnapshot | null;
  rest: RecoverySnapshot[];
}

export const useRecovery = create<RecoveryState>()(() => ({ offer: null, rest: [] }));

let timer: ReturnType<typeof setTimeout> | null = null;

function scheduleAutosave(): void {
  if (timer) clearTimeout(timer);
  timer = setTimeout(() => {
    timer = null;
    const api = useHost.getState().api;
    const lab = useLab.getState();
    if (!api || !selectDirty(lab)) return;
    api.autosave(lab.path, lab.text).catch(() => {
      // A workspace without a store has no autosave; the unsaved-changes guard still protects the work.
    });
  }, AUTOSAVE_IDLE_MS);
}

/** After the user chose to throw away unsaved work, its snapshots must not be offered again. */
export async function dropSnapshotsOf(path: string | null): Promise<void> {
  const api = useHost.getState().api;
  if (!api) return;
  try {
    for (const s of await api.recoverySnapshots()) if (s.labPath === path) await api.discardSnapshot(s.id);
  } catch {
    // Nothing to drop when the store is unavailable.
  }
}

export function restoreOffered(): void {
  const { offer, rest } = useRecovery.getState();
  if (!offer) return;
  useLab.getState().showUnsaved(offer.labPath, offer.text);
  useRecovery.setState({ offer: null, rest: [] });
}

export function discardOffered(): void {
  const { offer, rest } = useRecovery.getState();
  if (!offer) return;
  void useHost.getState().api?.discardSnapshot(offer.id);
  useRecovery.setState({ offer: rest[0] ?? null, rest: rest.slice(1) });
}

/**
 * Autosave and crash recovery for the window: unsaved text is snapshotted a few seconds after the
 * last edit, and when the window starts with snapshots left over (it closed without saving) the
 * newest is offered for restore.
 */
export function useAutosaveAndRecovery(): void {
  const api = useHost((s) => s.api);
  const connected = useHost((s) => s.connection === 'connected');

  useEffect(
    () =>
      useLab.subscribe((s, prev) => {
        if (s.text !== prev.text && selectDirty(s)) scheduleAutosave();
        // Work first saved under a name leaves its nameless snapshots behind; the host drops only the named ones.
        if (prev.path === null && s.path !== null && !selectDirty(s) && prev.loaded) void dropSnapshotsOf(null);
      }),
    [],
  );

  useEffect(() => {
    if (!api || !connected) return;
    let live = true;
    api.recoverySnapshots().then(
      (snaps) => {
        // Only at start: a lab already on screen means the user moved on.
        if (!live || snaps.length === 0 || useLab.getState().loaded || useRecovery.getState().offer) return;
        useRecovery.setState({ offer: snaps[0], rest: snaps.slice(1) });
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [api, connected]);
}
