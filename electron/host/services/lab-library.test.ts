import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type WorkspaceStore } from '../store/workspace-store.ts';
import { EMPTY_LAB, tempDir } from '../test-support/host-fixtures.ts';
import { HostError } from './host-error.ts';
import { LabLibrary } from './lab-library.ts';

let dir: string;
let shipped: string;
let own: string;
let store: WorkspaceStore;
let library: LabLibrary;

const SHIPPED_LAB = EMPTY_LAB.replace('name: empty', 'name: shipped-one').replace('An empty lab', 'A shipped lab');

beforeEach(() => {
  dir = tempDir('library');
  shipped = path.join(dir, 'app', 'labs');
  own = path.join(dir, 'home', 'labs');
  fs.mkdirSync(path.join(shipped, 'fixtures'), { recursive: true });
  fs.writeFileSync(path.join(shipped, 'shipped-one.lab.yaml'), SHIPPED_LAB);
  fs.writeFileSync(path.join(shipped, 'fixtures', 'broken.lab.yaml'), 'not: a lab');
  fs.writeFileSync(path.join(dir, 'outside.lab.yaml'), EMPTY_LAB);
  store = openStore(path.join(dir, 'home'));
  library = new LabLibrary({ shippedDir: shipped, workspaceLabsDir: own, store });
});

afterEach(() => store.close());

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'resolved';
  } catch (err) {
    return err instanceof HostError ? err.code : String(err);
  }
}

describe('lab library', () => {
  it('lists shipped labs (not their test fixtures) and the workspace labs', async () => {
    fs.mkdirSync(own, { recursive: true });
    fs.writeFileSync(path.join(own, 'mine.lab.yaml'), EMPTY_LAB.replace('name: empty', 'name: mine'));
    fs.writeFileSync(path.join(own, 'typo.lab.yaml'), 'apiVersion: labbox/v1\nkind: Lab\nmetadta: {}\n');
    const labs = await library.list();
    expect(labs.map((l) => [l.name, l.shipped, l.id === l.path])).toEqual([
      ['shipped-one', true, true],
      ['mine', false, true],
      ['typo', false, true],
    ]);
  });

  it('opens a lab with its parsed form, and an invalid one with every error', async () => {
    const doc = await library.open(path.join(shipped, 'shipped-one.lab.yaml'));
    expect(doc).toMatchObject({ errors: [], lab: { metadata: { name: 'shipped-one' } } });
    fs.mkdirSync(own, { recursive: true });
    const bad = path.join(own, 'bad.lab.yaml');
    fs.writeFileSync(bad, 'apiVersion: labbox/v1\nkind: Lab\nmetadata: { name: 1x }\nextra: true\n');
    const opened = await library.open(bad);
    expect(opened.lab).toBeNull();
    expect(opened.text).toContain('extra: true');
    expect(opened.errors.map((e) => e.path)).toEqual(['metadata.name', 'extra']);
    expect((await library.recent()).map((l) => l.name)).toEqual(expect.arrayContaining(['shipped-one', 'bad']));
  });

  it('reaches no file outside the library unless the user picked it in a dialog', async () => {
    const outside = path.join(dir, 'outside.lab.yaml');
    expect(await codeOf(library.open(outside))).toBe('not-found');
    expect(await codeOf(library.open('/etc/passwd'))).toBe('not-found');
    expect(await codeOf(library.open(path.join(own, '..', '..', 'outside.lab.yaml')))).toBe('not-found');
    expect(await codeOf(library.export(path.join(shipped, 'fixtures', 'broken.lab.yaml')))).toBe('not-found');
    expect(await codeOf(library.save(outside, EMPTY_LAB))).toBe('invalid-argument');
    expect(await codeOf(library.saveAs('/tmp/x/../evil.lab.yaml', EMPTY_LAB))).toBe('invalid-argument');
    library.grant(outside);
    expect((await library.open(outside)).errors).toEqual([]);
  });

  it('saves invalid text rather than lose it, and reports its errors', async () => {
    const created = await library.saveAs('draft', EMPTY_LAB);
    expect(created.path).toBe(path.join(own, 'draft.lab.yaml'));
    const half = `${EMPTY_LAB}devices:\n  - name: sw1\n`;
    const saved = await library.save(created.path!, half);
    expect(saved.errors.map((e) => e.path)).toEqual(['devices[0].kind']);
    expect(fs.readFileSync(created.path!, 'utf8')).toBe(half);
    expect(fs.readdirSync(own)).toEqual(['draft.lab.yaml']);
  });

  it('turns a save of a shipped lab into a copy in the workspace', async () => {
    const original = path.join(shipped, 'shipped-one.lab.yaml');
    const edited = SHIPPED_LAB.replace('A shipped lab', 'My version');
    const saved = await library.save(original, edited);
    expect(saved.path).toBe(path.join(own, 'shipped-one.lab.yaml'));
    expect(fs.readFileSync(original, 'utf8')).toBe(SHIPPED_LAB);
    expect(fs.readFileSync(saved.path!, 'utf8')).toBe(edited);
    expect((await library.save(original, edited)).path).toBe(path.join(own, 'shipped-one-2.lab.yaml'));
    expect(await codeOf(library.saveAs(original, edited))).toBe('invalid-argument');
  });

  it('does not let Save As overwrite an existing lab', async () => {
    await library.saveAs('taken', EMPTY_LAB);
    expect(await codeOf(library.saveAs('taken', EMPTY_LAB))).toBe('conflict');
    expect(await codeOf(library.saveAs('taken.lab.yaml', EMPTY_LAB))).toBe('conflict');
  });

  it('imports dropped files under a unique, safe name', async () => {
    const a = await library.import('../../etc/core lab.yaml', EMPTY_LAB);
    const b = await library.import('core lab.lab.yaml', EMPTY_LAB);
    const c = await library.import('..\\..\\evil.yml', 'garbage: [');
    expect([a, b, c].map((d) => path.relative(own, d.path!))).toEqual(['core lab.lab.yaml', 'core lab-2.lab.yaml', 'evil.lab.yaml']);
    expect(c.errors.length).toBeGreaterThan(0);
    expect((await library.export(a.id!)).text).toBe(EMPTY_LAB);
  });

  it('creates a valid empty lab with the name asked for, and refuses names the format cannot hold', async () => {
    const doc = await library.create('core-rehearsal');
    expect(doc).toMatchObject({ id: null, path: null, errors: [], lab: { metadata: { name: 'core-rehearsal' }, devices: [] } });
    expect(library.validate('x.lab.yaml', doc.text)).toEqual({ ok: true, errors: [] });
    await expect(library.create('two words')).rejects.toMatchObject({ code: 'invalid-argument' });
  });
});
