import { create } from 'zustand';
import type { LabDocument, LabError } from '../../../electron/host/contract.ts';
import { toHostError } from '../host/transport.ts';
import { readLab, setLabName, type LabLinkView, type LabView } from '../lab/lab-text.ts';
import { useHost } from './host-store.ts';
import { useUi } from './ui-store.ts';

export type Selection = { kind: 'device'; name: string } | { kind: 'link'; index: number } | null;

interface LabState {
  /** False until a lab has been opened or created. */
  loaded: boolean;
  id: string | null;
  path: string | null;
  text: string;
  savedText: string;
  view: LabView;
  /** The Problems list: the open lab's own problems, then those of `refused`. */
  errors: LabError[];
  /**
   * Problems of files that were dropped or picked but not opened, being unreadable. They are about
   * no open document, so a check or save of the open lab replaces only the lab's own problems and
   * leaves these listed; they go when another lab is shown.
   */
  refused: LabError[];
  selection: Selection;
  /** Every selected device and link (shift-click, box select); `selection` is the one the inspector shows. */
  selectedDevices: ReadonlySet<string>;
  selectedLinks: ReadonlySet<number>;
  /** Earlier and undone texts of this document, newest last: every edit is one step. */
  past: string[];
  future: string[];
  /** Bumped when a different lab is shown, so the canvas zooms to fit it once. */
  generation: number;
  busy: boolean;
  show(doc: LabDocument): void;
  /** Shows recovered text as an unsaved document of the lab it came from (or of no file). */
  showUnsaved(path: string | null, text: string): void;
  open(id: string): Promise<boolean>;
  create(name: string): Promise<boolean>;
  importFile(fileName: string, text: string): Promise<boolean>;
  /** A file the user dropped or picked: checked to be a lab file, unsaved work guarded, then imported. */
  importFromDisk(file: File): Promise<boolean>;
  save(): Promise<boolean>;
  /** Save under a new name (browser shell: a bare name in the workspace) or a path the desktop's dialog granted. */
  saveAs(nameOrPath: string): Promise<boolean>;
  exportFile(): Promise<void>;
  edit(change: (text: string) => string): void;
  select(selection: Selection): void;
  selectMany(devices: Iterable<string>, links: Iterable<number>): void;
  undo(): void;
  redo(): void;
}

/** How many steps undo keeps. */
const HISTORY_LIMIT = 200;

const noDevices: ReadonlySet<string> = new Set();
const noLinks: ReadonlySet<number> = new Set();

function sameSelection(a: Selection, b: Selection): boolean {
  if (a === null || b === null) return a === b;
  if (a.kind === 'device') return b.kind === 'device' && a.name === b.name;
  return b.kind === 'link' && a.index === b.index;
}

const emptyView = readLab('');

const linkKey = (l: LabLinkView) => `${l.a.device}:${l.a.port}|${l.b.device}:${l.b.port}`;

/**
 * The selection carried from one text of the lab to another (undo, redo). Links are known only by
 * their place in the file, and undoing a delete puts a link back ahead of others, so a selected
 * link is found again by its ends; a selection by index alone would then point at a different
 * link, and Delete would remove that one. Whatever the other text lacks is let go.
 */
function selectionIn(s: LabState, view: LabView): Pick<LabState, 'selection' | 'selectedDevices' | 'selectedLinks'> {
  const names = new Set(view.devices.map((d) => d.name));
  const devices = new Set([...s.selectedDevices].filter((n) => names.has(n)));
  const free = new Map<string, number[]>();
  for (const l of view.links) free.set(linkKey(l), [...(free.get(linkKey(l)) ?? []), l.index]);
  const links = new Set<number>();
  for (const l of s.view.links) {
    if (!s.selectedLinks.has(l.index)) continue;
    const found = free.get(linkKey(l))?.shift();
    if (found !== undefined) links.add(found);
  }
  const selection: Selection = devices.size === 1 && links.size === 0 ? { kind: 'device', name: [...devices][0] } : devices.size === 0 && links.size === 1 ? { kind: 'link', index: [...links][0] } : null;
  return { selection, selectedDevices: devices.size > 0 ? devices : noDevices, selectedLinks: links.size > 0 ? links : noLinks };
}

let validateTimer: ReturnType<typeof setTimeout> | null = null;
let validateSeq = 0;

/** The problems list once the open lab's own problems are `own`; a refused file's stay listed after them. */
function withOwnErrors(s: Pick<LabState, 'refused'>, own: LabError[]): Pick<LabState, 'errors'> {
  return { errors: [...own, ...s.refused] };
}

/** Ask the host's real parser about the current text, after typing settles; stale answers are dropped. */
function scheduleValidation(): void {
  if (validateTimer) clearTimeout(validateTimer);
  validateTimer = setTimeout(() => {
    const api = useHost.getState().api;
    const { text, path } = useLab.getState();
    if (!api) return;
    const seq = ++validateSeq;
    api.validateLab(path ?? 'untitled.lab.yaml', text).then(
      (res) => {
        const now = useLab.getState();
        if (seq === validateSeq && now.text === text && now.path === path) useLab.setState(withOwnErrors(now, res.errors));
      },
      () => {
        // A host that cannot validate right now leaves the last known problems in place.
      },
    );
  }, 300);
}

function fail(action: string, e: unknown): false {
  const err = toHostError(e);
  useUi.getState().notify('error', `${action}: ${err.message}`);
  if (err.errors && err.errors.length > 0) {
    const errors = err.errors;
    useLab.setState((s) => withOwnErrors(s, errors));
    useUi.getState().showTab('problems');
  }
  return false;
}

function fileNameOf(path: string | null): string | null {
  return path ? path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1) : null;
}

function download(fileName: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/yaml' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * State after a save. The host may write the text in its canonical form; show that form unless
 * the user kept typing while the save was in flight, in which case their newer text stays (dirty).
 */
function afterSave(s: LabState, sent: string, doc: LabDocument): Partial<LabState> {
  const saved = doc.text || sent;
  const base = { id: doc.id, path: doc.path, savedText: saved, ...withOwnErrors(s, doc.errors) };
  return s.text === sent ? { ...base, text: saved, view: readLab(saved) } : base;
}

export const useLab = create<LabState>()((set, get) => ({
  loaded: false,
  id: null,
  path: null,
  text: '',
  savedText: '',
  view: emptyView,
  errors: [],
  refused: [],
  selection: null,
  selectedDevices: noDevices,
  selectedLinks: noLinks,
  past: [],
  future: [],
  generation: 0,
  busy: false,

  show(doc) {
    set((s) => ({
      loaded: true,
      id: doc.id,
      path: doc.path,
      text: doc.text,
      savedText: doc.text,
      view: readLab(doc.text),
      errors: doc.errors,
      refused: [],
      selection: null,
      selectedDevices: noDevices,
      selectedLinks: noLinks,
      past: [],
      future: [],
      generation: s.generation + 1,
    }));
    if (doc.errors.length > 0) useUi.getState().showTab('problems');
  },

  showUnsaved(path, text) {
    get().show({ id: path, path, text, lab: null, errors: [] });
    // Nothing on disk matches the recovered text, so it stays marked unsaved until saved.
    set({ savedText: '\u0000recovered' });
    scheduleValidation();
  },

  async open(id) {
    const api = useHost.getState().api;
    if (!api) return false;
    set({ busy: true });
    try {
      get().show(await api.openLab(id));
      void useHost.getState().refreshLibrary();
      return true;
    } catch (e) {
      return fail('Could not open the lab', e);
    } finally {
      set({ busy: false });
    }
  },

  async create(name) {
    const api = useHost.getState().api;
    if (!api) return false;
    try {
      get().show(await api.newLab(name));
      return true;
    } catch (e) {
      return fail('Could not create the lab', e);
    }
  },

  async importFile(fileName, text) {
    const api = useHost.getState().api;
    if (!api) return false;
    try {
      get().show(await api.importLab(fileName, text));
      useUi.getState().notify('info', `Imported ${fileName}`);
      void useHost.getState().refreshLibrary();
      return true;
    } catch (e) {
      return fail(`Could not import ${fileName}`, e);
    }
  },

  async importFromDisk(file) {
    if (!/\.lab\.ya?ml$/i.test(file.name)) {
      useUi.getState().notify('error', `${file.name} is not a lab file (*.lab.yaml)`);
      return false;
    }
    const text = await file.text();
    // A file that is not readable YAML cannot be fixed on the canvas: say where it breaks and leave the open lab alone.
    const api = useHost.getState().api;
    if (api && readLab(text).syntaxError !== null) {
      const res = await api.validateLab(file.name, text).catch(() => null);
      const first = res?.errors[0];
      useUi.getState().notify('error', `${file.name} was not opened: ${first ? `line ${first.line}, ${first.path || 'file'}: ${first.message}` : 'it is not a readable lab file'}`);
      if (res && res.errors.length > 0) {
        set((s) => {
          const refused = [...s.refused.filter((e) => e.file !== file.name), ...res.errors];
          return { refused, errors: [...s.errors.filter((e) => !s.refused.includes(e)), ...refused] };
        });
        useUi.getState().showTab('problems');
      }
      return false;
    }
    if (selectDirty(get()) && !window.confirm('The current lab has unsaved changes. Discard them?')) return false;
    return get().importFile(file.name, text);
  },

  async save() {
    const api = useHost.getState().api;
    const { path, text } = get();
    if (!api) return false;
    if (!path) {
      useUi.getState().openDialog('save-as');
      return false;
    }
    try {
      const doc = await api.saveLab(path, text);
      set(afterSave(get(), text, doc));
      useUi.getState().notify('info', 'Saved');
      void useHost.getState().refreshLibrary();
      return true;
    } catch (e) {
      return fail('Could not save', e);
    }
  },

  async saveAs(nameOrPath) {
    const api = useHost.getState().api;
    if (!api) return false;
    const isPath = /[\\/]/.test(nameOrPath);
    const file = isPath ? nameOrPath.slice(Math.max(nameOrPath.lastIndexOf('/'), nameOrPath.lastIndexOf('\\')) + 1) : nameOrPath;
    const bare = file.replace(/\.lab\.ya?ml$/i, '');
    if (/^[A-Za-z][A-Za-z0-9_.-]{0,62}$/.test(bare)) get().edit((t) => setLabName(t, bare));
    const text = get().text;
    // A bare file name: the host puts it in the workspace's labs folder, the only place a page may create files.
    const target = isPath ? nameOrPath : `${bare}.lab.yaml`;
    try {
      const doc = await api.saveLabAs(target, text);
      set(afterSave(get(), text, doc));
      useUi.getState().notify('info', `Saved as ${doc.path ?? target}`);
      void useHost.getState().refreshLibrary();
      return true;
    } catch (e) {
      return fail('Could not save', e);
    }
  },

  async exportFile() {
    const api = useHost.getState().api;
    const { id, text, path } = get();
    if (!api) return;
    try {
      // Unsaved edits are exported as they stand; a saved lab is exported as the file on disk.
      const out = id && !selectDirty(get()) ? await api.exportLab(id) : { fileName: fileNameOf(path) ?? `${get().view.name || 'lab'}.lab.yaml`, text };
      download(out.fileName, out.text);
    } catch (e) {
      fail('Could not export', e);
    }
  },

  edit(change) {
    const before = get().text;
    const text = change(before);
    if (text === before) return;
    set((s) => ({ text, view: readLab(text), past: [...s.past.slice(-(HISTORY_LIMIT - 1)), before], future: [] }));
    scheduleValidation();
  },

  undo() {
    const { past, text, future } = get();
    const prev = past[past.length - 1];
    if (prev === undefined) return;
    const view = readLab(prev);
    set({ text: prev, view, past: past.slice(0, -1), future: [...future, text], ...selectionIn(get(), view) });
    scheduleValidation();
  },

  redo() {
    const { past, text, future } = get();
    const next = future[future.length - 1];
    if (next === undefined) return;
    const view = readLab(next);
    set({ text: next, view, past: [...past, text], future: future.slice(0, -1), ...selectionIn(get(), view) });
    scheduleValidation();
  },

  select(selection) {
    const s = get();
    const devices = selection?.kind === 'device' ? new Set([selection.name]) : noDevices;
    const links = selection?.kind === 'link' ? new Set([selection.index]) : noLinks;
    if (sameSelection(s.selection, selection) && s.selectedDevices.size === devices.size && s.selectedLinks.size === links.size) return;
    set({ selection, selectedDevices: devices, selectedLinks: links });
  },

  selectMany(devices, links) {
    const d = new Set(devices);
    const l = new Set(links);
    const s = get();
    const same = d.size === s.selectedDevices.size && [...d].every((x) => s.selectedDevices.has(x)) && l.size === s.selectedLinks.size && [...l].every((x) => s.selectedLinks.has(x));
    if (same) return;
    const only: Selection = d.size === 1 && l.size === 0 ? { kind: 'device', name: [...d][0] } : d.size === 0 && l.size === 1 ? { kind: 'link', index: [...l][0] } : null;
    set({ selection: only, selectedDevices: d, selectedLinks: l });
  },
}));

export const selectDirty = (s: LabState) => s.loaded && s.text !== s.savedText;
