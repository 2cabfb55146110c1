import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LABBOX_APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION, migrate, userVersion, type Migration } from './migrations.ts';
import { StoreError } from './store-error.ts';
import { STORE_FILE_NAME, openStore, type WorkspaceStore } from './workspace-store.ts';

/**
 * For every released schema version: rows written with that version's own SQL, and what the
 * current code must still find after upgrading. Adding migration N+1 means adding fixture N+1
 * here; the upgrade test below then covers every older version without further edits.
 */
interface VersionFixture {
  seed(db: Database.Database): void;
  check(store: WorkspaceStore): void;
}

const FIXTURES: Record<number, VersionFixture> = {
  1: {
    seed(db) {
      db.prepare(
        `INSERT INTO labs (path, name, title, device_count, link_count, scenario_names, shipped, modified_at, last_opened_at)
         VALUES ('/w/labs/core.lab.yaml', 'core', 'Core fabric', 12, 14, '["failover","nlb"]', 0, '2026-01-02T03:04:05.000Z', '2026-02-01T00:00:00.000Z'),
                ('/app/labs/intro.lab.yaml', 'intro', 'Intro', 2, 1, '[]', 1, '2026-01-01T00:00:00.000Z', NULL)`,
      ).run();
      db.prepare(
        `INSERT INTO runs (lab_path, scenario, seed, started_at, finished_at, status, report, host_pid)
         VALUES ('/w/labs/core.lab.yaml', 'failover', 7, '2026-02-01T00:00:01.000Z', '2026-02-01T00:00:09.000Z', 'passed', '{"held":3}', 1)`,
      ).run();
      db.prepare(
        `INSERT INTO guide_progress (lab_path, step, completed, score, updated_at)
         VALUES ('/app/labs/intro.lab.yaml', 0, 1, 0.75, '2026-02-02T00:00:00.000Z')`,
      ).run();
      db.prepare(
        `INSERT INTO autosaves (lab_path, text, saved_at) VALUES
           (NULL, 'apiVersion: labbox/v1', '2026-02-03T00:00:00.000Z'),
           ('/w/labs/core.lab.yaml', 'draft', '2026-02-03T00:00:01.000Z')`,
      ).run();
      db.prepare(`INSERT INTO settings (key, value) VALUES ('theme', '"dark"')`).run();
    },
    check(store) {
      expect(store.getLab('/w/labs/core.lab.yaml')).toMatchObject({
        title: 'Core fabric',
        devices: 12,
        links: 14,
        scenarios: ['failover', 'nlb'],
        shipped: false,
        lastOpenedAt: '2026-02-01T00:00:00.000Z',
      });
      expect(store.getLab('/app/labs/intro.lab.yaml')?.shipped).toBe(true);
      expect(store.recentLabs().map((l) => l.name)).toEqual(['core']);
      const [run] = store.listRuns({ labPath: '/w/labs/core.lab.yaml' });
      expect(store.getRun(run.id)).toMatchObject({ scenario: 'failover', seed: 7, status: 'passed', report: { held: 3 } });
      expect(store.guideProgress('/app/labs/intro.lab.yaml')).toEqual([
        { labPath: '/app/labs/intro.lab.yaml', step: 0, completed: true, score: 0.75, updatedAt: '2026-02-02T00:00:00.000Z' },
      ]);
      expect(store.listSnapshots().map((s) => [s.labPath, s.text])).toEqual([
        ['/w/labs/core.lab.yaml', 'draft'],
        [null, 'apiVersion: labbox/v1'],
      ]);
      expect(store.getSetting('theme')).toBe('dark');
    },
  },
};

/**
 * Fingerprints of each released version's schema. A released migration must never change (old
 * stores have already run it); if this fails, put the change in a new migration instead.
 */
const RELEASED_SCHEMA_SHA256: Record<number, string> = {
  1: '2610e52e53d93eb39b6bd1960164719d12131a467867a164ccb712f4aaea5222',
};

let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'labbox-migrate-'));
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function schemaFingerprint(db: Database.Database): string {
  const rows = db.prepare<[], { sql: string }>("SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL ORDER BY type, name").all();
  return createHash('sha256')
    .update(rows.map((r) => r.sql.replace(/\s+/g, ' ').trim()).join(';\n'))
    .digest('hex');
}

/** A store file as version `k` of LabBox left it, with that version's representative rows. */
function storeAtVersion(k: number): string {
  const file = path.join(dir, `v${k}`, STORE_FILE_NAME);
  fs.mkdirSync(path.dirname(file));
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  migrate(db, file, MIGRATIONS, k);
  expect(userVersion(db)).toBe(k);
  if (k > 0) FIXTURES[k].seed(db);
  db.close();
  return path.dirname(file);
}

describe('schema history', () => {
  it('has a fixture and a recorded fingerprint for every version', () => {
    for (let v = 1; v <= SCHEMA_VERSION; v++) {
      expect(FIXTURES[v], `fixture for schema version ${v}`).toBeDefined();
      expect(RELEASED_SCHEMA_SHA256[v], `fingerprint for schema version ${v}`).toBeDefined();
    }
  });

  it('never changes a released version', () => {
    for (let v = 1; v <= SCHEMA_VERSION; v++) {
      const db = new Database(':memory:');
      migrate(db, ':memory:', MIGRATIONS, v);
      expect(schemaFingerprint(db), `schema version ${v}`).toBe(RELEASED_SCHEMA_SHA256[v]);
      db.close();
    }
  });

  // Version 0 is the empty file a first start finds; every other entry is a released schema.
  for (let k = 0; k <= SCHEMA_VERSION; k++) {
    const title = k === SCHEMA_VERSION ? `reopens a current (version ${k}) store` : `upgrades a store from version ${k} to ${SCHEMA_VERSION}`;
    it(`${title} with its data intact`, () => {
      const storeDir = storeAtVersion(k);
      const store = openStore(storeDir);
      try {
        expect(store.schemaVersion).toBe(SCHEMA_VERSION);
        expect(store.integrityCheck()).toEqual(['ok']);
        if (k > 0) FIXTURES[k].check(store);
        // The upgraded store takes writes in every table.
        store.upsertLab({ path: '/w/labs/new.lab.yaml', name: 'new', title: 'New', devices: 0, links: 0, scenarios: [], shipped: false, modifiedAt: '2026-03-01T00:00:00.000Z' });
        const run = store.recordRunStart({ labPath: '/w/labs/new.lab.yaml', scenario: null, seed: 1 });
        store.recordRunFinish(run, 'passed', { ok: true });
        store.setStepProgress({ labPath: '/w/labs/new.lab.yaml', step: 2, completed: true });
        store.saveSnapshot('/w/labs/new.lab.yaml', 'text');
        store.setSetting('k', 1);
      } finally {
        store.close();
      }
    });
  }
});

describe('the migration runner', () => {
  const table = (name: string): Migration['up'] => (db) => void db.exec(`CREATE TABLE ${name} (id INTEGER PRIMARY KEY)`);
  const synthetic: Migration[] = [
    { version: 1, summary: 'a', up: table('a') },
    { version: 2, summary: 'b', up: table('b') },
    {
      version: 3,
      summary: 'c, then a failure',
      up(db) {
        db.exec('CREATE TABLE c (id INTEGER PRIMARY KEY)');
        db.exec('INSERT INTO no_such_table VALUES (1)');
      },
    },
  ];
  const tables = (db: Database.Database): string[] =>
    db.prepare<[], string>("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").pluck().all();

  it('applies only the pending migrations, in order', () => {
    const db = new Database(':memory:');
    expect(migrate(db, 'mem', synthetic.slice(0, 1))).toEqual({ from: 0, to: 1 });
    expect(migrate(db, 'mem', synthetic.slice(0, 2))).toEqual({ from: 1, to: 2 });
    expect(migrate(db, 'mem', synthetic.slice(0, 2))).toEqual({ from: 2, to: 2 });
    expect(tables(db)).toEqual(['a', 'b']);
    expect(Number(db.pragma('application_id', { simple: true }))).toBe(LABBOX_APPLICATION_ID);
    db.close();
  });

  it('rolls a failing migration back whole and keeps the steps before it', () => {
    const db = new Database(':memory:');
    expect(() => migrate(db, 'mem', synthetic)).toThrow(/no_such_table/);
    expect(userVersion(db)).toBe(2);
    expect(tables(db)).toEqual(['a', 'b']);
    db.close();
  });

  it('refuses misnumbered migrations and unknown targets', () => {
    const db = new Database(':memory:');
    expect(() => migrate(db, 'mem', [synthetic[1]])).toThrow(/numbered 2/);
    expect(() => migrate(db, 'mem', synthetic, 4)).toThrow(RangeError);
    db.close();
  });

  it('refuses to run older code’s migrations over a newer store', () => {
    const db = new Database(':memory:');
    migrate(db, 'mem', synthetic.slice(0, 2));
    expect(() => migrate(db, 'mem', synthetic.slice(0, 1))).toThrow(StoreError);
    expect(userVersion(db)).toBe(2);
    db.close();
  });
});
