import type Database from 'better-sqlite3';
import { StoreError } from './store-error.ts';

/**
 * The schema history of the workspace store. `PRAGMA user_version` records how many of these
 * have been applied. A migration is never edited once released: a schema change is a new entry
 * at the end, and migrations.test.ts then checks the upgrade from every older version by itself.
 */
export interface Migration {
  /** 1-based; equal to the array position + 1. */
  readonly version: number;
  readonly summary: string;
  up(db: Database.Database): void;
}

/** "LBOX": marks the file as ours, so a stray database in the workspace folder is not adopted. */
export const LABBOX_APPLICATION_ID = 0x4c424f58;

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    summary: 'lab library, run history, guided-lab progress, autosave snapshots, settings',
    up(db) {
      // Run history, progress and autosaves are keyed by lab path text with no foreign key to the
      // library on purpose: the library is an index rebuilt from folder scans, and a lab that
      // is moved away and back must not lose its history on the way.
      db.exec(`
        CREATE TABLE labs (
          path            TEXT PRIMARY KEY NOT NULL,
          name            TEXT NOT NULL,
          title           TEXT NOT NULL,
          device_count    INTEGER NOT NULL CHECK (device_count >= 0),
          link_count      INTEGER NOT NULL CHECK (link_count >= 0),
          scenario_names  TEXT NOT NULL CHECK (json_valid(scenario_names) AND json_type(scenario_names) = 'array'),
          shipped         INTEGER NOT NULL CHECK (shipped IN (0, 1)),
          modified_at     TEXT NOT NULL,
          last_opened_at  TEXT
        ) STRICT;
        CREATE INDEX labs_by_last_opened ON labs (last_opened_at DESC) WHERE last_opened_at IS NOT NULL;

        CREATE TABLE runs (
          id           INTEGER PRIMARY KEY,
          lab_path     TEXT NOT NULL,
          scenario     TEXT,
          seed         INTEGER NOT NULL CHECK (seed >= 0),
          started_at   TEXT NOT NULL,
          finished_at  TEXT,
          status       TEXT NOT NULL
                       CHECK (status IN ('running', 'passed', 'failed', 'stopped', 'error', 'interrupted')),
          report       TEXT CHECK (report IS NULL OR json_valid(report)),
          host_pid     INTEGER
        ) STRICT;
        CREATE INDEX runs_by_lab ON runs (lab_path, id DESC);
        CREATE INDEX runs_running ON runs (status) WHERE status = 'running';

        CREATE TABLE guide_progress (
          lab_path    TEXT NOT NULL,
          step        INTEGER NOT NULL CHECK (step >= 0),
          completed   INTEGER NOT NULL CHECK (completed IN (0, 1)),
          score       REAL,
          updated_at  TEXT NOT NULL,
          PRIMARY KEY (lab_path, step)
        ) STRICT, WITHOUT ROWID;

        -- AUTOINCREMENT so a discarded snapshot's id is never reused: a stale "discard" from the
        -- UI must not delete a newer snapshot that happened to get the same id.
        CREATE TABLE autosaves (
          id        INTEGER PRIMARY KEY AUTOINCREMENT,
          lab_path  TEXT,
          text      TEXT NOT NULL,
          saved_at  TEXT NOT NULL
        ) STRICT;
        CREATE INDEX autosaves_by_lab ON autosaves (lab_path, id DESC);

        CREATE TABLE settings (
          key    TEXT PRIMARY KEY NOT NULL,
          value  TEXT NOT NULL CHECK (json_valid(value))
        ) STRICT, WITHOUT ROWID;
      `);
    },
  },
];

export const SCHEMA_VERSION = MIGRATIONS.length;

export function userVersion(db: Database.Database): number {
  return Number(db.pragma('user_version', { simple: true }));
}

function applicationId(db: Database.Database): number {
  return Number(db.pragma('application_id', { simple: true }));
}

function hasTables(db: Database.Database): boolean {
  return db.prepare<[], { n: number }>("SELECT count(*) AS n FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'").get()!.n > 0;
}

/**
 * Refuses a database this code must not touch: one from a newer LabBox, or one that is not a
 * LabBox store at all. Runs before any write so a refused file is left exactly as it was.
 */
export function assertUsable(db: Database.Database, file: string, migrations: readonly Migration[] = MIGRATIONS): void {
  // One read transaction, so the three readings come from one snapshot: read one by one, a
  // process migrating a brand-new file at the same moment could commit in between, and its tables
  // would be seen beside an application id read before they existed.
  const [tables, version, appId] = db.transaction((): [boolean, number, number] => [hasTables(db), userVersion(db), applicationId(db)])();
  const pristine = version === 0 && appId === 0 && !tables;
  if (!pristine && appId !== LABBOX_APPLICATION_ID) {
    throw new StoreError('not-a-store', `${file} is a database but not a LabBox workspace store; move it away or point LABBOX_HOME at another folder.`);
  }
  if (version > migrations.length) {
    throw new StoreError(
      'newer-schema',
      `${file} was written by a newer LabBox (store schema version ${version}; this LabBox knows up to ${migrations.length}). Update LabBox, or point LABBOX_HOME at another folder.`,
    );
  }
}

/**
 * Brings the database up to `target` (default: the newest version), one migration per
 * transaction. Each step takes the write lock first and re-reads the version inside it, so two
 * processes opening the same old store at once do not both apply a step.
 */
export function migrate(
  db: Database.Database,
  file: string,
  migrations: readonly Migration[] = MIGRATIONS,
  target: number = migrations.length,
): { from: number; to: number } {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration at position ${i} is numbered ${m.version}`);
  });
  if (target < 0 || target > migrations.length) throw new RangeError(`no schema version ${target}`);
  assertUsable(db, file, migrations);
  const from = userVersion(db);
  const step = db.transaction((): boolean => {
    const current = userVersion(db);
    assertUsable(db, file, migrations);
    if (current >= target) return false;
    const next = migrations[current];
    next.up(db);
    db.pragma(`user_version = ${next.version}`);
    db.pragma(`application_id = ${LABBOX_APPLICATION_ID}`);
    return true;
  });
  while (step.immediate()) {
    // one migration per turn
  }
  return { from, to: userVersion(db) };
}
