import { create } from 'zustand';
import type { LabDocument, LabError } from '../../../electron/host/contract.ts';
import { toHostError } from '../host/transport.ts';
import { readLab, setLabName, type LabView } from '../lab/lab-text.ts';
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
  errors: LabError[];
  selection: Selection;
  /** Bumped when a different lab is shown, so the canvas zooms to fit it once. */
  generation: number;
  busy: boolean;
  show(doc: LabDocument): void;
  open(id: string): Promise<boolean>;
  create(name: string): Promise<boolean>;
  importFile(fileName: string, text: string): Promise<boolean>;
  save(): Promise<boolean>;
  saveAs(name: string): Promise<boolean>;
  edit(change: (text: string) => string): void;
  select(selection: Selection): void;
}

const emptyView = readLab('');

let validateTimer: ReturnType<typeof setTimeout> | null = null;
let validateSeq = 0;

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
        if (seq === validateSeq && useLab.getState().text === text) useLab.setState({ errors: res.errors });
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
    useLab.setState({ errors: err.errors });
    useUi.getState().showTab('problems');
  }
  return false;
}

/**
 * State after a save. The host may write the text in its canonical form; show that form unless
 * the user kept typing while the save was in flight, in which case their newer text stays (dirty).
 */
function afterSave(current: string, sent: string, doc: LabDocument): Partial<LabState> {
  const saved = doc.text || sent;
  const base = { id: doc.id, path: doc.path, savedText: saved, errors: doc.errors };
  return current === sent ? { ...base, text: saved, view: readLab(saved) } : base;
}

export const useLab = create<LabState>()((set, get) => ({
  loaded: false,
  id: null,
  path: null,
  text: '',
  savedText: '',
  view: emptyView,
  errors: [],
  selection: null,
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
      selection: null,
      generation: s.generation + 1,
    }));
    if (doc.errors.length > 0) useUi.getState().showTab('problems');
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
      set(afterSave(get().text, text, doc));
      useUi.getState().notify('info', 'Saved');
      void useHost.getState().refreshLibrary();
      return true;
    } catch (e) {
      return fail('Could not save', e);
    }
  },

  async saveAs(name) {
    const api = useHost.getState().api;
    if (!api) return false;
    const bare = name.replace(/\.lab\.ya?ml$/i, '');
    get().edit((t) => setLabName(t, bare));
    const text = get().text;
    // A bare file name: the host puts it in the workspace's labs folder, the only place a page may create files.
    const target = `${bare}.lab.yaml`;
    try {
      const doc = await api.saveLabAs(target, text);
      set(afterSave(get().text, text, doc));
      useUi.getState().notify('info', `Saved as ${doc.path ?? target}`);
      void useHost.getState().refreshLibrary();
      return true;
    } catch (e) {
      return fail('Could not save', e);
    }
  },

  edit(change) {
    const before = get().text;
    const text = change(before);
    if (text === before) return;
    set({ text, view: readLab(text) });
    scheduleValidation();
  },

  select(selection) {
    set({ selection });
  },
}));

export const selectDirty = (s: LabState) => s.loaded && s.text !== s.savedText;
