import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from './migrations.ts';
import { StoreError } from './store-error.ts';
import { STORE_FILE_NAME, openStore, type LabIndexEntry, type WorkspaceStore } from './workspace-store.ts';

let dir: string;
let store: WorkspaceStore;
let clock: number;

/** A clock that ticks one second per reading, so orderings by time are unambiguous. */
function fakeNow(): Date {
  clock += 1000;
  return new Date(clock);
}

function lab(p: string, extra: Partial<LabIndexEntry> = {}): LabIndexEntry {
  const name = path.basename(p, '.lab.yaml');
  return {
    path: p,
    name,
    title: `Title of ${name}`,
    devices: 3,
    links: 2,
    scenarios: ['baseline'],
    shipped: false,
    modifiedAt: '2026-01-01T00:00:00.000Z',
    ...extra,
  };
}

function expectStoreError(fn: () => unknown, code: StoreError['code']): StoreError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).code).toBe(code);
    return err as StoreError;
  }
  throw new Error(`expected a StoreError '${code}'`);
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'labbox-store-'));
  clock = Date.parse('2026-03-01T12:00:00.000Z');
  store = openStore(dir, { now: fakeNow, snapshotsPerLab: 3 });
});

afterEach(() => {
  store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('opening', () => {
  it('creates a WAL-mode store at the current schema version', () => {
    expect(fs.existsSync(path.join(dir, STORE_FILE_NAME))).toBe(true);
    expect(store.journalMode).toBe('wal');
    expect(store.schemaVersion).toBe(SCHEMA_VERSION);
    expect(store.integrityCheck()).toEqual(['ok']);
  });

  it('keeps data across close and reopen', () => {
    store.upsertLab(lab('/labs/a.lab.yaml'));
    store.setSetting('theme', { dark: true });
    store.close();
    store = openStore(dir);
    expect(store.getLab('/labs/a.lab.yaml')?.title).toBe('Title of a');
    expect(store.getSetting('theme')).toEqual({ dark: true });
  });

  it('refuses a store written by a newer LabBox and leaves the file untouched', () => {
    store.close();
    const file = path.join(dir, STORE_FILE_NAME);
    const raw = new Database(file);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    const before = fs.readFileSync(file);
    const err = expectStoreError(() => openStore(dir), 'newer-schema');
    expect(err.message).toContain('newer LabBox');
    expect(err.message).toContain(`version ${SCHEMA_VERSION + 1}`);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    store = openStore(fs.mkdtempSync(path.join(dir, 'other-')));
  });

  it('refuses to adopt some other application’s database', () => {
    store.close();
    const other = fs.mkdtempSync(path.join(dir, 'foreign-'));
    const raw = new Database(path.join(other, STORE_FILE_NAME));
    raw.exec('CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)');
    raw.close();
    expectStoreError(() => openStore(other), 'not-a-store');
    store = openStore(dir);
  });

  it('reports a file that is not a database as corrupt', () => {
    store.close();
    const other = fs.mkdtempSync(path.join(dir, 'garbage-'));
    fs.writeFileSync(path.join(other, STORE_FILE_NAME), 'this is not sqlite '.repeat(400));
    expectStoreError(() => openStore(other), 'corrupt');
    store = openStore(dir);
  });

  it('lets two connections (app and CLI) share the store and see each other’s commits', () => {
    const second = openStore(dir);
    try {
      const id = second.recordRunStart({ labPath: '/labs/a.lab.yaml', scenario: 'x', seed: 1 });
      expect(store.getRun(id)?.status).toBe('running');
    } finally {
      second.close();
    }
  });
});

describe('first start from several processes at once', () => {
  it('creates and migrates a brand-new workspace exactly once while all of them write', async () => {
    store.close();
    const fresh = fs.mkdtempSync(path.join(dir, 'fresh-'));
    const storeModule = fileURLToPath(new URL('./workspace-store.ts', import.meta.url));
    const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
    const script = (i: number): string =>
      `const { openStore } = await import(${JSON.stringify(storeModule)});
       const s = openStore(${JSON.stringify(fresh)});
       s.recordRunStart({ labPath: '/x.lab.yaml', scenario: 'p${i}', seed: ${i} });
       s.close();`;
    const exits = await Promise.all(
      [0, 1, 2, 3].map(
        (i) =>
          new Promise<{ code: number | null; stderr: string }>((resolve) => {
            const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script(i)], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'] });
            let stderr = '';
            child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
            child.on('exit', (code) => resolve({ code, stderr }));
          }),
      ),
    );
    expect(exits).toEqual(exits.map(() => ({ code: 0, stderr: '' })));
    store = openStore(fresh);
    expect(store.schemaVersion).toBe(SCHEMA_VERSION);
    expect(store.listRuns().map((r) => r.scenario).sort()).toEqual(['p0', 'p1', 'p2', 'p3']);
  });
});

describe('lab library', () => {
  it('lists labs shipped first, then by title', () => {
    store.upsertLab(lab('/u/zeta.lab.yaml', { title: 'zeta' }));
    store.upsertLab(lab('/u/alpha.lab.yaml', { title: 'Alpha' }));
    store.upsertLab(lab('/s/shipped.lab.yaml', { title: 'Shipped', shipped: true }));
    expect(store.listLabs().map((l) => l.title)).toEqual(['Shipped', 'Alpha', 'zeta']);
    const a = store.getLab('/u/alpha.lab.yaml')!;
    expect(a).toMatchObject({ id: '/u/alpha.lab.yaml', devices: 3, links: 2, scenarios: ['baseline'], shipped: false, lastOpenedAt: null });
  });

  it('normalises paths and refuses relative ones', () => {
    store.upsertLab(lab('/u/x/../a.lab.yaml'));
    expect(store.getLab('/u/a.lab.yaml')).not.toBeNull();
    expectStoreError(() => store.upsertLab(lab('relative/a.lab.yaml')), 'invalid');
  });

  it('orders recent labs by last opening and keeps that across metadata updates', () => {
    for (const n of ['a', 'b', 'c']) store.upsertLab(lab(`/u/${n}.lab.yaml`));
    expect(store.recentLabs()).toEqual([]);
    store.markLabOpened('/u/a.lab.yaml');
    store.markLabOpened('/u/c.lab.yaml');
    store.markLabOpened('/u/b.lab.yaml');
    store.markLabOpened('/u/a.lab.yaml');
    expect(store.recentLabs().map((l) => l.name)).toEqual(['a', 'b', 'c']);
    expect(store.recentLabs(2).map((l) => l.name)).toEqual(['a', 'b']);
    store.upsertLab(lab('/u/a.lab.yaml', { devices: 40 }));
    expect(store.recentLabs()[0]).toMatchObject({ name: 'a', devices: 40 });
    expect(store.markLabOpened('/u/missing.lab.yaml')).toBe(false);
    store.clearRecentLabs();
    expect(store.recentLabs()).toEqual([]);
  });

  it('replaces one folder’s labs from a scan, leaving other folders alone', () => {
    store.upsertLab(lab('/u/old.lab.yaml'));
    store.upsertLab(lab('/u/kept.lab.yaml', { devices: 1 }));
    store.upsertLab(lab('/u/sub/deep.lab.yaml'));
    store.upsertLab(lab('/u2/elsewhere.lab.yaml'));
    store.upsertLab(lab('/s/shipped.lab.yaml', { shipped: true }));
    store.markLabOpened('/u/kept.lab.yaml');

    const result = store.replaceFolder('/u', [lab('/u/kept.lab.yaml', { devices: 9 }), lab('/u/new.lab.yaml')]);
    expect(result).toEqual({ added: 1, updated: 1, removed: 2 });
    expect(store.listLabs().map((l) => l.path).sort()).toEqual([
      '/s/shipped.lab.yaml',
      '/u/kept.lab.yaml',
      '/u/new.lab.yaml',
      '/u2/elsewhere.lab.yaml',
    ]);
    const kept = store.getLab('/u/kept.lab.yaml')!;
    expect(kept.devices).toBe(9);
    expect(kept.lastOpenedAt).not.toBeNull();
  });

  it('changes nothing when a scan batch fails part-way', () => {
    store.upsertLab(lab('/u/a.lab.yaml'));
    store.upsertLab(lab('/u/b.lab.yaml'));
    const before = store.listLabs();
    // The third entry breaks a constraint after two rows were already written in the batch.
    expect(() =>
      store.replaceFolder('/u', [lab('/u/c.lab.yaml'), lab('/u/d.lab.yaml'), lab('/u/e.lab.yaml', { devices: -1 })]),
    ).toThrow();
    expect(store.listLabs()).toEqual(before);
    // An entry outside the folder is refused before anything is written.
    expectStoreError(() => store.replaceFolder('/u', [lab('/elsewhere/x.lab.yaml')]), 'invalid');
    expect(store.listLabs()).toEqual(before);
  });

  it('removes a lab', () => {
    store.upsertLab(lab('/u/a.lab.yaml'));
    expect(store.removeLab('/u/a.lab.yaml')).toBe(true);
    expect(store.removeLab('/u/a.lab.yaml')).toBe(false);
    expect(store.getLab('/u/a.lab.yaml')).toBeNull();
  });
});

describe('run history', () => {
  it('records a run from start to finish with its report', () => {
    const id = store.recordRunStart({ labPath: '/u/a.lab.yaml', scenario: 'failover', seed: 42 });
    const running = store.getRun(id)!;
    expect(running).toMatchObject({ labPath: '/u/a.lab.yaml', scenario: 'failover', seed: 42, status: 'running', finishedAt: null, report: null });
    const report = { expectations: [{ name: 'ping ok', held: false }], lost: 3 };
    const done = store.recordRunFinish(id, 'failed', report);
    expect(done.status).toBe('failed');
    expect(done.report).toEqual(report);
    expect(Date.parse(done.finishedAt!)).toBeGreaterThan(Date.parse(done.startedAt));
  });

  it('refuses to finish a run twice or a run that does not exist', () => {
    const id = store.recordRunStart({ labPath: '/u/a.lab.yaml', scenario: null, seed: 0 });
    store.recordRunFinish(id, 'passed');
    expectStoreError(() => store.recordRunFinish(id, 'failed'), 'conflict');
    expect(store.getRun(id)?.status).toBe('passed');
    expectStoreError(() => store.recordRunFinish(id + 100, 'passed'), 'not-found');
  });

  it('lists runs newest first, per lab, without reports', () => {
    const a1 = store.recordRunStart({ labPath: '/u/a.lab.yaml', scenario: 's', seed: 1 });
    const b1 = store.recordRunStart({ labPath: '/u/b.lab.yaml', scenario: 's', seed: 2 });
    const a2 = store.recordRunStart({ labPath: '/u/a.lab.yaml', scenario: 's', seed: 3 });
    expect(store.listRuns().map((r) => r.id)).toEqual([a2, b1, a1]);
    expect(store.listRuns({ labPath: '/u/a.lab.yaml' }).map((r) => r.seed)).toEqual([3, 1]);
    expect(store.listRuns({ limit: 1 }).map((r) => r.id)).toEqual([a2]);
    expect(store.listRuns()[0]).not.toHaveProperty('report');
  });

  it('marks runs of a vanished process as interrupted, but not runs of live ones', () => {
    const mine = store.recordRunStart({ labPath: '/u/a.lab.yaml', scenario: 's', seed: 1 });
    const orphan = store.recordRunStart({ labPath: '/u/a.lab.yaml', scenario: 's', seed: 2 });
    const exited = spawnSync(process.execPath, ['-e', '0']);
    const raw = new Database(path.join(dir, STORE_FILE_NAME));
    raw.prepare('UPDATE runs SET host_pid = ? WHERE id = ?').run(exited.pid, orphan);
    raw.close();
    expect(store.markInterruptedRuns()).toBe(1);
    expect(store.getRun(orphan)?.status).toBe('interrupted');
    expect(store.getRun(mine)?.status).toBe('running');
    expectStoreError(() => store.recordRunFinish(orphan, 'passed'), 'conflict');
  });
});

describe('guided-lab progress', () => {
  it('records, updates and resets step progress per lab', () => {
    store.setStepProgress({ labPath: '/s/guide.lab.yaml', step: 1, completed: false });
    store.setStepProgress({ labPath: '/s/guide.lab.yaml', step: 0, completed: true, score: 1 });
    store.setStepProgress({ labPath: '/s/other.lab.yaml', step: 0, completed: true });
    store.setStepProgress({ labPath: '/s/guide.lab.yaml', step: 1, completed: true, score: 0.5 });
    const progress = store.guideProgress('/s/guide.lab.yaml');
    expect(progress.map((p) => [p.step, p.completed, p.score])).toEqual([
      [0, true, 1],
      [1, true, 0.5],
    ]);
    expect(Date.parse(progress[1].updatedAt)).toBeGreaterThan(Date.parse(progress[0].updatedAt));
    expect(store.resetGuideProgress('/s/guide.lab.yaml')).toBe(2);
    expect(store.guideProgress('/s/guide.lab.yaml')).toEqual([]);
    expect(store.guideProgress('/s/other.lab.yaml')).toHaveLength(1);
    expectStoreError(() => store.setStepProgress({ labPath: '/s/guide.lab.yaml', step: -1, completed: true }), 'invalid');
  });
});

describe('autosave snapshots', () => {
  it('keeps only the newest few snapshots per lab, the unsaved lab included', () => {
    for (let i = 1; i <= 5; i++) store.saveSnapshot('/u/a.lab.yaml', `a v${i}`);
    for (let i = 1; i <= 4; i++) store.saveSnapshot(null, `new v${i}`);
    store.saveSnapshot('/u/b.lab.yaml', 'b v1');
    const all = store.listSnapshots();
    expect(all.filter((s) => s.labPath === '/u/a.lab.yaml').map((s) => s.text)).toEqual(['a v5', 'a v4', 'a v3']);
    expect(all.filter((s) => s.labPath === null).map((s) => s.text)).toEqual(['new v4', 'new v3', 'new v2']);
    expect(all[0].text).toBe('b v1');
    expect(all.map((s) => s.id)).toEqual([...all.map((s) => s.id)].sort((x, y) => y - x));
  });

  it('does not store identical text twice in a row', () => {
    const first = store.saveSnapshot('/u/a.lab.yaml', 'same');
    expect(store.saveSnapshot('/u/a.lab.yaml', 'same')).toBe(first);
    expect(store.listSnapshots()).toHaveLength(1);
  });

  it('discards one snapshot or all of a lab’s, and never reuses an id', () => {
    const a1 = store.saveSnapshot('/u/a.lab.yaml', 'a1');
    const a2 = store.saveSnapshot('/u/a.lab.yaml', 'a2');
    store.saveSnapshot(null, 'n1');
    expect(store.getSnapshot(a1)?.text).toBe('a1');
    expect(store.discardSnapshot(a2)).toBe(true);
    expect(store.discardSnapshot(a2)).toBe(false);
    const a3 = store.saveSnapshot('/u/a.lab.yaml', 'a3');
    expect(a3).toBeGreaterThan(a2);
    expect(store.discardSnapshotsFor('/u/a.lab.yaml')).toBe(2);
    expect(store.listSnapshots().map((s) => s.text)).toEqual(['n1']);
    expect(store.discardSnapshotsFor(null)).toBe(1);
    expect(store.listSnapshots()).toEqual([]);
  });
});

describe('settings and transactions', () => {
  it('stores JSON settings', () => {
    expect(store.getSetting('missing')).toBeUndefined();
    store.setSetting('layout', { panel: 240, open: ['a'] });
    store.setSetting('count', 3);
    expect(store.getSetting('layout')).toEqual({ panel: 240, open: ['a'] });
    store.setSetting('count', 4);
    expect(store.getSetting('count')).toBe(4);
    expect(store.deleteSetting('count')).toBe(true);
    expect(store.getSetting('count')).toBeUndefined();
  });

  it('commits grouped calls together or not at all', () => {
    expect(() =>
      store.transaction(() => {
        store.upsertLab(lab('/u/a.lab.yaml'));
        store.discardSnapshotsFor('/u/a.lab.yaml');
        store.recordRunFinish(999, 'passed');
      }),
    ).toThrow(StoreError);
    expect(store.getLab('/u/a.lab.yaml')).toBeNull();
    store.saveSnapshot('/u/a.lab.yaml', 'draft');
    store.transaction(() => {
      store.upsertLab(lab('/u/a.lab.yaml'));
      store.discardSnapshotsFor('/u/a.lab.yaml');
    });
    expect(store.getLab('/u/a.lab.yaml')).not.toBeNull();
    expect(store.listSnapshots()).toEqual([]);
  });
});
