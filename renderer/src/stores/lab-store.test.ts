import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ContractMethod, HostErrorWire, LabDocument, LabError, ValidationResult } from '../../../electron/host/contract.ts';
import { deleteItems, moveDevices } from '../edit/lab-edits.ts';
import { hostApiOver, type HostTransport } from '../host/transport.ts';
import { addDevice, readLab } from '../lab/lab-text.ts';
import { useHost } from './host-store.ts';
import { selectDirty, useLab } from './lab-store.ts';
import { useUi } from './ui-store.ts';

const rackText = `# rack A
apiVersion: labbox/v1
kind: Lab
metadata:
  name: rack-a
devices:
  - name: sw1
    kind: l2-switch
    position: { x: 100, y: 40 }
  - name: pc1
    kind: pc
    position: { x: 100, y: 300 }
links:
  - { a: sw1:Gi0/1, b: pc1:eth0 }
`;

const otherText = 'apiVersion: labbox/v1\nkind: Lab\nmetadata:\n  name: other\ndevices:\n  - { name: r1, kind: router }\n';

const doc = (path: string | null, text: string): LabDocument => ({ id: path, path, text, lab: null, errors: [] });

interface Pending<T> {
  text: string;
  resolve: (value: T) => void;
}

/** A host that answers what the lab store asks of it, and lets a test decide when its answers arrive. */
class FakeHost implements HostTransport {
  readonly labs = new Map<string, string>([
    ['/labs/rack-a.lab.yaml', rackText],
    ['/labs/other.lab.yaml', otherText],
  ]);
  readonly calls: { method: ContractMethod; args: unknown[] }[] = [];
  readonly validations: Pending<ValidationResult>[] = [];
  readonly heldSaves: Pending<LabDocument>[] = [];
  /** How the host writes a lab file: it may tidy the text it was sent. */
  canonical: (text: string) => string = (text) => text;
  holdSaves = false;
  refuseSave: HostErrorWire | null = null;

  invoke(method: ContractMethod, args: unknown[]): Promise<unknown> {
    this.calls.push({ method, args });
    const [first, second] = args.map(String);
    switch (method) {
      case 'openLab': {
        const text = this.labs.get(first);
        return text === undefined ? Promise.reject({ code: 'not-found', message: `no lab ${first}` }) : Promise.resolve(doc(first, text));
      }
      case 'importLab':
        return Promise.resolve(doc(`/labs/${first}`, second));
      case 'saveLab':
      case 'saveLabAs': {
        if (this.refuseSave) return Promise.reject(this.refuseSave);
        const path = first.startsWith('/') ? first : `/labs/${first}`;
        const saved = doc(path, this.canonical(second));
        this.labs.set(path, saved.text);
        if (!this.holdSaves) return Promise.resolve(saved);
        return new Promise((resolve) => this.heldSaves.push({ text: second, resolve: () => resolve(saved) }));
      }
      case 'validateLab':
        return new Promise((resolve) => this.validations.push({ text: second, resolve }));
      case 'listLabs':
      case 'recentLabs':
        return Promise.resolve([]);
      default:
        return Promise.reject({ code: 'internal', message: `${method} is not offered by this host` });
    }
  }

  subscribe(): () => void {
    return () => {};
  }

  called(method: ContractMethod) {
    return this.calls.filter((c) => c.method === method);
  }
}

// Timers are faked so that validation, which waits for typing to settle, runs when a test says;
// a real setImmediate lets a test wait for the host's answers to be taken in.
const realSetImmediate = setImmediate;
const settle = () => new Promise<void>((resolve) => realSetImmediate(resolve));

let host: FakeHost;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  useLab.setState(useLab.getInitialState(), true);
  useUi.setState(useUi.getInitialState(), true);
  useHost.setState(useHost.getInitialState(), true);
  host = new FakeHost();
  useHost.setState({ api: hostApiOver(host) });
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

const lab = () => useLab.getState();
const dirty = () => selectDirty(useLab.getState());
const positionOf = (name: string) => lab().view.devices.find((d) => d.name === name)?.position;
const noticeTexts = () => useUi.getState().notices.map((n) => n.text);

async function openRack() {
  expect(await lab().open('/labs/rack-a.lab.yaml')).toBe(true);
}

describe('undo and redo', () => {
  it('makes every edit one step: undo walks back through the exact earlier texts, redo forward again', async () => {
    await openRack();
    const texts = [lab().text];
    lab().edit((t) => moveDevices(t, new Map([['sw1', { x: 300, y: 40 }]])));
    texts.push(lab().text);
    lab().edit((t) => addDevice(t, { name: 'pc2', kind: 'pc', position: { x: 300, y: 300 } }));
    texts.push(lab().text);
    lab().edit((t) => deleteItems(t, new Set(), new Set([0])));
    texts.push(lab().text);
    expect(new Set(texts).size).toBe(4);

    for (const expected of [texts[2], texts[1], texts[0]]) {
      lab().undo();
      expect(lab().text).toBe(expected);
    }
    expect(lab().text).toBe(rackText);
    lab().undo();
    expect(lab().text).toBe(rackText);

    for (const expected of [texts[1], texts[2], texts[3]]) {
      lab().redo();
      expect(lab().text).toBe(expected);
    }
    lab().redo();
    expect(lab().text).toBe(texts[3]);
    expect(lab().view.links).toEqual([]);
    expect(lab().view.devices.map((d) => d.name)).toEqual(['sw1', 'pc1', 'pc2']);
  });

  it('puts a moved device back at its old position on undo, and moves it again on redo', async () => {
    await openRack();
    lab().edit((t) => moveDevices(t, new Map([['sw1', { x: 640, y: 480 }]])));
    expect(positionOf('sw1')).toEqual({ x: 640, y: 480 });
    lab().undo();
    expect(positionOf('sw1')).toEqual({ x: 100, y: 40 });
    lab().redo();
    expect(positionOf('sw1')).toEqual({ x: 640, y: 480 });
  });

  it('forgets what could be redone once a new edit is made after an undo', async () => {
    await openRack();
    lab().edit((t) => moveDevices(t, new Map([['sw1', { x: 640, y: 480 }]])));
    lab().undo();
    lab().edit((t) => moveDevices(t, new Map([['pc1', { x: 0, y: 0 }]])));
    const afterNewEdit = lab().text;
    expect(lab().future).toEqual([]);
    lab().redo();
    expect(lab().text).toBe(afterNewEdit);
    expect(positionOf('sw1')).toEqual({ x: 100, y: 40 });
    lab().undo();
    expect(lab().text).toBe(rackText);
  });

  it('adds no step for an edit that changes nothing, and keeps what could be redone', async () => {
    await openRack();
    lab().edit((t) => moveDevices(t, new Map([['sw1', { x: 640, y: 480 }]])));
    lab().undo();
    lab().edit((t) => deleteItems(t, new Set(['ghost']), new Set()));
    expect(lab().past).toEqual([]);
    expect(dirty()).toBe(false);
    lab().redo();
    expect(positionOf('sw1')).toEqual({ x: 640, y: 480 });
  });

  it('keeps the last 200 steps, so the oldest edits can no longer be undone', async () => {
    await openRack();
    const texts: string[] = [];
    for (let i = 1; i <= 205; i++) {
      lab().edit((t) => moveDevices(t, new Map([['sw1', { x: i, y: 0 }]])));
      texts.push(lab().text);
    }
    for (let i = 0; i < 210; i++) lab().undo();
    expect(lab().text).toBe(texts[4]);
    expect(positionOf('sw1')).toEqual({ x: 5, y: 0 });
    for (let i = 0; i < 210; i++) lab().redo();
    expect(lab().text).toBe(texts[204]);
  });

  it('starts a fresh history when another lab is opened, so undo cannot bring back the previous lab', async () => {
    await openRack();
    lab().edit((t) => moveDevices(t, new Map([['sw1', { x: 640, y: 480 }]])));
    lab().undo();
    expect(await lab().open('/labs/other.lab.yaml')).toBe(true);
    lab().undo();
    expect(lab().text).toBe(otherText);
    lab().redo();
    expect(lab().text).toBe(otherText);
    expect(lab().view.devices.map((d) => d.name)).toEqual(['r1']);
  });
});

describe('unsaved changes', () => {
  it('counts a lab as unsaved exactly while its text differs from what was saved, through undo and redo', async () => {
    expect(dirty()).toBe(false);
    await openRack();
    expect(dirty()).toBe(false);
    lab().edit((t) => moveDevices(t, new Map([['sw1', { x: 640, y: 480 }]])));
    expect(dirty()).toBe(true);
    lab().undo();
    expect(dirty()).toBe(false);
    lab().redo();
    expect(dirty()).toBe(true);
  });

  it('saves the text, shows it in the form the host wrote, and keeps the history', async () => {
    host.canonical = (t) => t.replace('# rack A\n', '# rack A (tidied)\n');
    await openRack();
    lab().edit((t) => moveDevices(t, new Map([['sw1', { x: 640, y: 480 }]])));
    const edited = lab().text;
    expect(await lab().save()).toBe(true);
    expect(host.called('saveLab').map((c) => c.args)).toEqual([['/labs/rack-a.lab.yaml', edited]]);
    expect(lab().text).toContain('# rack A (tidied)');
    expect(positionOf('sw1')).toEqual({ x: 640, y: 480 });
    expect(dirty()).toBe(false);
    expect(noticeTexts()).toContain('Saved');
    lab().undo();
    expect(lab().text).toBe(rackText);
    expect(dirty()).toBe(true);
    lab().redo();
    expect(dirty()).toBe(false);
  });

  it('keeps edits made while a save is on its way as unsaved', async () => {
    host.holdSaves = true;
    await openRack();
    lab().edit((t) => moveDevices(t, new Map([['sw1', { x: 640, y: 480 }]])));
    const saving = lab().save();
    await settle();
    lab().edit((t) => moveDevices(t, new Map([['pc1', { x: 5, y: 5 }]])));
    const newer = lab().text;
    host.heldSaves[0].resolve(doc(null, ''));
    expect(await saving).toBe(true);
    expect(lab().text).toBe(newer);
    expect(dirty()).toBe(true);
    lab().undo();
    expect(dirty()).toBe(false);
  });

  it('keeps the edits when the host refuses to save, says why, and lists the problems', async () => {
    const problem: LabError = { file: 'rack-a.lab.yaml', line: 7, col: 5, path: 'devices[0].kind', message: 'unknown kind "l2-swich"' };
    host.refuseSave = { code: 'invalid-lab', message: 'the lab has 1 error', errors: [problem] };
    await openRack();
    lab().edit((t) => t.replace('kind: l2-switch', 'kind: l2-swich'));
    expect(await lab().save()).toBe(false);
    expect(dirty()).toBe(true);
    expect(lab().text).toContain('l2-swich');
    expect(noticeTexts()).toContain('Could not save: the lab has 1 error');
    expect(lab().errors).toEqual([problem]);
    expect(useUi.getState()).toMatchObject({ bottomTab: 'problems', bottomOpen: true });
  });

  it('asks for a name, rather than saving, when the lab has no file yet', async () => {
    lab().show(doc(null, rackText));
    lab().edit((t) => moveDevices(t, new Map([['sw1', { x: 640, y: 480 }]])));
    expect(await lab().save()).toBe(false);
    expect(host.called('saveLab')).toEqual([]);
    expect(useUi.getState().dialog).toBe('save-as');
    expect(dirty()).toBe(true);
  });

  it('saving under a new name renames the lab inside the file too, as one step that can be undone', async () => {
    await openRack();
    expect(await lab().saveAs('rack-b')).toBe(true);
    expect(host.called('saveLabAs').map((c) => c.args[0])).toEqual(['rack-b.lab.yaml']);
    expect(lab()).toMatchObject({ path: '/labs/rack-b.lab.yaml' });
    expect(lab().view.name).toBe('rack-b');
    expect(host.labs.get('/labs/rack-b.lab.yaml')).toBe(lab().text);
    expect(dirty()).toBe(false);
    lab().undo();
    expect(lab().view.name).toBe('rack-a');
    expect(dirty()).toBe(true);
  });

  it('keeps recovered work marked unsaved, even once every edit on it is undone', () => {
    lab().showUnsaved('/labs/rack-a.lab.yaml', rackText);
    expect(dirty()).toBe(true);
    expect(lab().path).toBe('/labs/rack-a.lab.yaml');
    lab().edit((t) => moveDevices(t, new Map([['sw1', { x: 640, y: 480 }]])));
    lab().undo();
    expect(lab().text).toBe(rackText);
    expect(dirty()).toBe(true);
  });
});

describe('problems found by the host while editing', () => {
  it('shows the problems with the edited text once typing settles, and drops an answer about text since replaced', async () => {
    await openRack();
    lab().edit((t) => t.replace('kind: pc', 'kind: pcx'));
    vi.advanceTimersByTime(299);
    expect(host.validations).toHaveLength(0);
    lab().edit((t) => t.replace('kind: pcx', 'kind: pcxy'));
    vi.advanceTimersByTime(300);
    expect(host.validations.map((v) => v.text)).toEqual([lab().text]);

    lab().edit((t) => t.replace('kind: pcxy', 'kind: pc'));
    vi.advanceTimersByTime(300);
    expect(host.validations).toHaveLength(2);
    host.validations[1].resolve({ ok: true, errors: [] });
    const stale: LabError = { file: 'rack-a.lab.yaml', line: 11, col: 11, path: 'devices[1].kind', message: 'unknown kind "pcxy"' };
    host.validations[0].resolve({ ok: false, errors: [stale] });
    await settle();
    expect(lab().errors).toEqual([]);
  });

  it('checks the text again after an undo, so the problems shown are those of the restored text', async () => {
    await openRack();
    lab().edit((t) => t.replace('kind: pc', 'kind: pcx'));
    vi.advanceTimersByTime(300);
    const problem: LabError = { file: 'rack-a.lab.yaml', line: 11, col: 11, path: 'devices[1].kind', message: 'unknown kind "pcx"' };
    host.validations[0].resolve({ ok: false, errors: [problem] });
    await settle();
    expect(lab().errors).toEqual([problem]);
    lab().undo();
    vi.advanceTimersByTime(300);
    expect(host.validations[1].text).toBe(rackText);
    host.validations[1].resolve({ ok: true, errors: [] });
    await settle();
    expect(lab().errors).toEqual([]);
  });
});

describe('selection', () => {
  it('shows a single picked device or link in the inspector, and none when several are picked', async () => {
    await openRack();
    lab().selectMany(['sw1'], []);
    expect(lab().selection).toEqual({ kind: 'device', name: 'sw1' });
    lab().selectMany([], [0]);
    expect(lab().selection).toEqual({ kind: 'link', index: 0 });
    lab().selectMany(['sw1', 'pc1'], [0]);
    expect(lab().selection).toBeNull();
    expect([...lab().selectedDevices].sort()).toEqual(['pc1', 'sw1']);
    lab().select({ kind: 'device', name: 'pc1' });
    expect([...lab().selectedDevices]).toEqual(['pc1']);
    expect(lab().selectedLinks.size).toBe(0);
  });

  it('after an undo brings a deleted link back ahead of a selected one, Delete still removes the link that was selected', async () => {
    host.labs.set('/labs/rack-a.lab.yaml', `${rackText}  - { a: sw1:Gi0/2, b: pc1:eth1 }\n`);
    await openRack();
    lab().edit((t) => deleteItems(t, new Set(), new Set([0])));
    lab().selectMany([], [0]);
    expect(lab().view.links[0].a.port).toBe('Gi0/2');
    lab().undo();
    expect(lab().view.links.map((l) => l.a.port)).toEqual(['Gi0/1', 'Gi0/2']);
    lab().edit((t) => deleteItems(t, new Set(), lab().selectedLinks));
    expect(lab().view.links.map((l) => l.a.port)).toEqual(['Gi0/1']);
  });

  it('keeps a selected device selected through undo and redo while it exists, and lets go of it once it does not', async () => {
    await openRack();
    lab().edit((t) => addDevice(t, { name: 'pc2', kind: 'pc', position: { x: 0, y: 0 } }));
    lab().selectMany(['sw1', 'pc2'], []);
    lab().undo();
    expect([...lab().selectedDevices]).toEqual(['sw1']);
    expect(lab().selection).toEqual({ kind: 'device', name: 'sw1' });
    lab().select({ kind: 'device', name: 'sw1' });
    lab().redo();
    expect(lab().selection).toEqual({ kind: 'device', name: 'sw1' });
  });

  it('clears the selection when another lab is opened', async () => {
    await openRack();
    lab().selectMany(['sw1', 'pc1'], [0]);
    await lab().open('/labs/other.lab.yaml');
    expect(lab().selection).toBeNull();
    expect(lab().selectedDevices.size).toBe(0);
    expect(lab().selectedLinks.size).toBe(0);
  });
});

describe('opening a file from disk', () => {
  it('refuses a file that is not a lab file and leaves the open lab as it was', async () => {
    await openRack();
    lab().edit((t) => moveDevices(t, new Map([['sw1', { x: 640, y: 480 }]])));
    const edited = lab().text;
    expect(await lab().importFromDisk(new File(['hello'], 'notes.txt'))).toBe(false);
    expect(noticeTexts()).toContain('notes.txt is not a lab file (*.lab.yaml)');
    expect(lab().text).toBe(edited);
    expect(host.called('importLab')).toEqual([]);
  });

  it('asks before replacing unsaved work, and keeps the work when the answer is no', async () => {
    await openRack();
    lab().edit((t) => moveDevices(t, new Map([['sw1', { x: 640, y: 480 }]])));
    const edited = lab().text;
    const confirm = vi.fn(() => false);
    vi.stubGlobal('window', { confirm });
    expect(await lab().importFromDisk(new File([otherText], 'other.lab.yaml'))).toBe(false);
    expect(confirm).toHaveBeenCalledTimes(1);
    expect(lab().text).toBe(edited);
    expect(host.called('importLab')).toEqual([]);

    confirm.mockReturnValue(true);
    expect(await lab().importFromDisk(new File([otherText], 'other.lab.yaml'))).toBe(true);
    expect(lab()).toMatchObject({ text: otherText, path: '/labs/other.lab.yaml', past: [] });
    expect(dirty()).toBe(false);
  });

  it('does not open a file that is not readable YAML, and says on which line it breaks', async () => {
    await openRack();
    const broken = 'devices: [\n';
    const promise = lab().importFromDisk(new File([broken], 'broken.lab.yaml'));
    await settle();
    const problem: LabError = { file: 'broken.lab.yaml', line: 2, col: 1, path: '', message: 'flow sequence is not closed' };
    host.validations[0].resolve({ ok: false, errors: [problem] });
    expect(await promise).toBe(false);
    expect(noticeTexts()).toContain('broken.lab.yaml was not opened: line 2, file: flow sequence is not closed');
    expect(lab().text).toBe(rackText);
    expect(lab().errors).toEqual([problem]);
    expect(readLab(lab().text).devices).toHaveLength(2);
  });

  it('keeps listing a refused file\'s problems when the check of the open lab answers after it', async () => {
    await openRack();
    lab().edit((t) => t.replace('kind: pc', 'kind: pcx'));
    vi.advanceTimersByTime(300);
    expect(host.validations).toHaveLength(1);

    const refusing = lab().importFromDisk(new File(['devices: [\n'], 'broken.lab.yaml'));
    await settle();
    const broken: LabError = { file: 'broken.lab.yaml', line: 2, col: 1, path: '', message: 'flow sequence is not closed' };
    host.validations[1].resolve({ ok: false, errors: [broken] });
    expect(await refusing).toBe(false);
    expect(lab().errors).toEqual([broken]);

    const own: LabError = { file: '/labs/rack-a.lab.yaml', line: 11, col: 11, path: 'devices[1].kind', message: 'unknown kind "pcx"' };
    host.validations[0].resolve({ ok: false, errors: [own] });
    await settle();
    expect(lab().errors).toEqual([own, broken]);

    lab().edit((t) => t.replace('kind: pcx', 'kind: pc'));
    vi.advanceTimersByTime(300);
    host.validations[2].resolve({ ok: true, errors: [] });
    await settle();
    expect(lab().errors).toEqual([broken]);
  });

  it('still drops an answer about text since replaced once a refused file\'s problems are listed', async () => {
    await openRack();
    lab().edit((t) => t.replace('kind: pc', 'kind: pcx'));
    vi.advanceTimersByTime(300);
    lab().edit((t) => t.replace('kind: pcx', 'kind: pc'));
    vi.advanceTimersByTime(300);
    expect(host.validations).toHaveLength(2);

    const refusing = lab().importFromDisk(new File(['devices: [\n'], 'broken.lab.yaml'));
    await settle();
    const broken: LabError = { file: 'broken.lab.yaml', line: 2, col: 1, path: '', message: 'flow sequence is not closed' };
    host.validations[2].resolve({ ok: false, errors: [broken] });
    expect(await refusing).toBe(false);

    host.validations[1].resolve({ ok: true, errors: [] });
    const stale: LabError = { file: '/labs/rack-a.lab.yaml', line: 11, col: 11, path: 'devices[1].kind', message: 'unknown kind "pcx"' };
    host.validations[0].resolve({ ok: false, errors: [stale] });
    await settle();
    expect(lab().errors).toEqual([broken]);
  });

  it('keeps listing a refused file\'s problems after the open lab is saved', async () => {
    await openRack();
    const refusing = lab().importFromDisk(new File(['devices: [\n'], 'broken.lab.yaml'));
    await settle();
    const broken: LabError = { file: 'broken.lab.yaml', line: 2, col: 1, path: '', message: 'flow sequence is not closed' };
    host.validations[0].resolve({ ok: false, errors: [broken] });
    expect(await refusing).toBe(false);
    lab().edit((t) => moveDevices(t, new Map([['sw1', { x: 640, y: 480 }]])));
    expect(await lab().save()).toBe(true);
    expect(lab().errors).toEqual([broken]);
  });

  it('lets go of a refused file\'s problems once another lab is opened', async () => {
    await openRack();
    const refusing = lab().importFromDisk(new File(['devices: [\n'], 'broken.lab.yaml'));
    await settle();
    host.validations[0].resolve({ ok: false, errors: [{ file: 'broken.lab.yaml', line: 2, col: 1, path: '', message: 'flow sequence is not closed' }] });
    expect(await refusing).toBe(false);
    expect(await lab().open('/labs/other.lab.yaml')).toBe(true);
    expect(lab().errors).toEqual([]);
    lab().edit((t) => t.replace('kind: router', 'kind: routerx'));
    vi.advanceTimersByTime(300);
    host.validations[1].resolve({ ok: true, errors: [] });
    await settle();
    expect(lab().errors).toEqual([]);
  });
});
