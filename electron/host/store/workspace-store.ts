import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { LabSummary, RecoverySnapshot } from '../contract.ts';
import { processAlive } from '../files/process-alive.ts';
import { SCHEMA_VERSION, assertUsable, migrate } from './migrations.ts';
import { StoreError } from './store-error.ts';

/** The store's file inside the workspace folder. */
export const STORE_FILE_NAME = 'workspace.db';

/** What a folder scan (or a save) knows about one lab file. */
export type LabIndexEntry = Omit<LabSummary, 'id'>;

export interface LabRecord extends LabSummary {
  lastOpenedAt: string | null;
}

export type RunStatus = 'running' | 'passed' | 'failed' | 'stopped' | 'error' | 'interrupted';
/** How a run may end when its host reports the end. */
export type RunOutcome = 'passed' | 'failed' | 'stopped' | 'error';

export interface RunStartRecord {
  labPath: string;
  /** null for a run of the lab without a scenario. */
  scenario: string | null;
  seed: number;
}

export interface RunSummaryRecord {
  id: number;
  labPath: string;
  scenario: string | null;
  seed: number;
  startedAt: string;
  finishedAt: string | null;
  status: RunStatus;
}

export interface RunRecord extends RunSummaryRecord {
  /** The run's report as it was recorded (parsed JSON), or null if none yet. */
  report: unknown;
}

export interface StepProgress {
  labPath: string;
  /** Position of the step in the lab's guide section, from 0. */
  step: number;
  completed: boolean;
  score: number | null;
  updatedAt: string;
}

export interface StoreOptions {
  /** Where timestamps come from; tests pass a fake clock. */
  now?: () => Date;
  /** How many autosave snapshots to keep per lab (the newest ones). */
  snapshotsPerLab?: number;
  /** How long to wait for another process holding the write lock, in ms. */
  busyTimeoutMs?: number;
}

interface LabRow {
  path: string;
  name: string;
  title: string;
  device_count: number;
  link_count: number;
  scenario_names: string;
  shipped: number;
  modified_at: string;
  last_opened_at: string | null;
}

interface RunRow {
  id: number;
  lab_path: string;
  scenario: string | null;
  seed: number;
  started_at: string;
  finished_at: string | null;
  status: RunStatus;
  host_pid: number | null;
}

interface SnapshotRow {
  id: number;
  lab_path: string | null;
  text: string;
  saved_at: string;
}

interface ProgressRow {
  lab_path: string;
  step: number;
  completed: number;
  score: number | null;
  updated_at: string;
}

const LAB_COLUMNS = 'path, name, title, device_count, link_count, scenario_names, shipped, modified_at, last_opened_at';
const RUN_COLUMNS = 'id, lab_path, scenario, seed, started_at, finished_at, status, host_pid';

function labRecord(row: LabRow): LabRecord {
  return {
    id: row.path,
    path: row.path,
    name: row.name,
    title: row.title,
    devices: row.device_count,
    links: row.link_count,
    scenarios: JSON.parse(row.scenario_names) as string[],
    shipped: row.shipped === 1,
    modifiedAt: row.modified_at,
    lastOpenedAt: row.last_opened_at,
  };
}

function runSummary(row: RunRow): RunSummaryRecord {
  return {
    id: row.id,
    labPath: row.lab_path,
    scenario: row.scenario,
    seed: row.seed,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    status: row.status,
  };
}

function snapshotRecord(row: SnapshotRow): RecoverySnapshot {
  return { id: row.id, labPath: row.lab_path, savedAt: row.saved_at, text: row.text };
}

function progressRecord(row: ProgressRow): StepProgress {
  return { labPath: row.lab_path, step: row.step, completed: row.completed === 1, score: row.score, updatedAt: row.updated_at };
}

/** Lab paths are the library's identity, so they are stored absolute and normalised. */
function labKey(p: string): string {
  if (!path.isAbsolute(p)) throw new StoreError('invalid', `lab path must be absolute: ${p}`);
  return path.resolve(p);
}

/** Same, but null stands for a lab that has never been saved. */
function optionalLabKey(p: string | null): string | null {
  return p === null ? null : labKey(p);
}

/**
 * A run may come from text that was never saved, named by whatever the host calls it (e.g. an
 * empty string); absolute paths are normalised like library paths so history lines up.
 */
function runLabKey(p: string): string {
  return path.isAbsolute(p) ? path.resolve(p) : p;
}

/**
 * The workspace store: one SQLite file holding the lab library index, run history, guided-lab
 * progress, autosave snapshots and settings. Every method is synchronous (better-sqlite3) and
 * every multi-row write runs in one transaction, so a crash leaves the last commit intact.
 */
export class WorkspaceStore {
  /** Absolute path of the database file. */
  readonly file: string;
  /** The journal mode SQLite actually granted ('wal' except on file systems without shared memory). */
  readonly journalMode: string;
  private readonly db: Database.Database;
  private readonly now: () => Date;
  private readonly snapshotsPerLab: number;

  constructor(file: string, options: StoreOptions = {}) {
    this.file = path.resolve(file);
    this.now = options.now ?? (() => new Date());
    this.snapshotsPerLab = options.snapshotsPerLab ?? 5;
    if (!Number.isInteger(this.snapshotsPerLab) || this.snapshotsPerLab < 1) {
      throw new StoreError('invalid', 'snapshotsPerLab must be a positive integer');
    }
    const db = new Database(this.file, { timeout: options.busyTimeoutMs ?? 5000 });
    try {
      // Checked before anything writes, so a refused file is left untouched.
      assertUsable(db, this.file);
      this.journalMode = String(db.pragma('journal_mode = WAL', { simple: true }));
      // FULL, not NORMAL: with WAL, NORMAL can lose the last commits on power loss (never on a
      // process crash). Autosave snapshots exist precisely for the crash that takes the machine
      // down, and the store commits a few times a second at most, so an fsync per commit is cheap.
      db.pragma('synchronous = FULL');
      db.pragma('foreign_keys = ON');
      migrate(db, this.file);
    } catch (err) {
      db.close();
      if (err instanceof StoreError) throw err;
      const code = (err as { code?: unknown }).code;
      if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
        throw new StoreError('corrupt', `${this.file} is damaged or not a database (${(err as Error).message}).`, { cause: err });
      }
      throw err;
    }
    this.db = db;
  }

  get schemaVersion(): number {
    return Number(this.db.pragma('user_version', { simple: true }));
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  /**
   * Groups several store calls into one atomic write: all of them commit or none do. `fn` must
   * be synchronous; nested calls join the outer transaction.
   */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  /** SQLite's own consistency check; ['ok'] when the file is sound. */
  integrityCheck(): string[] {
    return this.sql<[], string>('PRAGMA integrity_check').pluck().all();
  }

  private readonly statements = new Map<string, Database.Statement<unknown[], unknown>>();

  /** Prepared once per SQL text; each text is always used with the same parameter and row types. */
  private sql<P extends unknown[] | object = unknown[], R = unknown>(source: string): Database.Statement<P extends unknown[] ? P : [P], R> {
    let stmt = this.statements.get(source);
    if (!stmt) {
      stmt = this.db.prepare<unknown[], unknown>(source);
      this.statements.set(source, stmt);
    }
    return stmt as unknown as Database.Statement<P extends unknown[] ? P : [P], R>;
  }

  private stamp(): string {
    return this.now().toISOString();
  }

  // -------------------------------------------------------------------------------------------
  // Lab library

  private upsertLabStmt(): Database.Statement<[LabRow]> {
    return this.sql<[LabRow]>(`
      INSERT INTO labs (${LAB_COLUMNS})
      VALUES (@path, @name, @title, @device_count, @link_count, @scenario_names, @shipped, @modified_at, @last_opened_at)
      ON CONFLICT (path) DO UPDATE SET
        name = excluded.name, title = excluded.title, device_count = excluded.device_count,
        link_count = excluded.link_count, scenario_names = excluded.scenario_names,
        shipped = excluded.shipped, modified_at = excluded.modified_at`);
  }

  private labRow(entry: LabIndexEntry): LabRow {
    return {
      path: labKey(entry.path),
      name: entry.name,
      title: entry.title,
      device_count: entry.devices,
      link_count: entry.links,
      scenario_names: JSON.stringify(entry.scenarios),
      shipped: entry.shipped ? 1 : 0,
      modified_at: entry.modifiedAt,
      last_opened_at: null,
    };
  }

  /** Adds a lab to the library or refreshes what is known about it; keeps its "last opened". */
  upsertLab(entry: LabIndexEntry): LabRecord {
    const row = this.labRow(entry);
    this.upsertLabStmt().run(row);
    return this.getLab(row.path)!;
  }

  /**
   * Makes the library's view of one folder (and everything below it) exactly `entries`, in one
   * transaction: labs that vanished from the folder are dropped, the rest are inserted or
   * updated, and "last opened" survives for labs that are still there.
   */
  replaceFolder(folder: string, entries: readonly LabIndexEntry[]): { added: number; updated: number; removed: number } {
    const root = labKey(folder);
    const prefix = root.endsWith(path.sep) ? root : root + path.sep;
    const rows = entries.map((e) => this.labRow(e));
    for (const row of rows) {
      if (!row.path.startsWith(prefix)) throw new StoreError('invalid', `${row.path} is not inside ${folder}`);
    }
    const upsert = this.upsertLabStmt();
    return this.transaction(() => {
      const before = new Set(
        this.sql<[string, string], string>('SELECT path FROM labs WHERE substr(path, 1, length(?)) = ?').pluck().all(prefix, prefix),
      );
      const after = new Set(rows.map((r) => r.path));
      const remove = this.sql<[string]>('DELETE FROM labs WHERE path = ?');
      let removed = 0;
      for (const p of before) {
        if (!after.has(p)) removed += remove.run(p).changes;
      }
      let added = 0;
      for (const row of rows) {
        upsert.run(row);
        if (!before.has(row.path)) added += 1;
      }
      return { added, updated: after.size - added, removed };
    });
  }

  removeLab(labPath: string): boolean {
    return this.sql<[string]>('DELETE FROM labs WHERE path = ?').run(labKey(labPath)).changes > 0;
  }

  getLab(labPath: string): LabRecord | null {
    const row = this.sql<[string], LabRow>(`SELECT ${LAB_COLUMNS} FROM labs WHERE path = ?`).get(labKey(labPath));
    return row ? labRecord(row) : null;
  }

  /** Every lab in the library, shipped labs first, then by title. */
  listLabs(): LabRecord[] {
    return this.sql<[], LabRow>(`SELECT ${LAB_COLUMNS} FROM labs ORDER BY shipped DESC, title COLLATE NOCASE, path`)
      .all()
      .map(labRecord);
  }

  /** Records that the user opened a lab; false when the lab is not in the library. */
  markLabOpened(labPath: string): boolean {
    return this.sql<[string, string]>('UPDATE labs SET last_opened_at = ? WHERE path = ?').run(this.stamp(), labKey(labPath)).changes > 0;
  }

  /** Most recently opened labs first. */
  recentLabs(limit = 10): LabRecord[] {
    return this.sql<[number], LabRow>(
        `SELECT ${LAB_COLUMNS} FROM labs WHERE last_opened_at IS NOT NULL ORDER BY last_opened_at DESC, path LIMIT ?`,
      )
      .all(limit)
      .map(labRecord);
  }

  clearRecentLabs(): void {
    this.sql<[]>('UPDATE labs SET last_opened_at = NULL WHERE last_opened_at IS NOT NULL').run();
  }

  // -------------------------------------------------------------------------------------------
  // Run history

  /** Records a run as started by this process; returns its id for `recordRunFinish`. */
  recordRunStart(run: RunStartRecord): number {
    const result = this.sql<[string, string | null, number, string, number]>(
        "INSERT INTO runs (lab_path, scenario, seed, started_at, status, host_pid) VALUES (?, ?, ?, ?, 'running', ?)",
      )
      .run(runLabKey(run.labPath), run.scenario, run.seed, this.stamp(), process.pid);
    return Number(result.lastInsertRowid);
  }

  /** Records how a running run ended, with its report. A run ends once. */
  recordRunFinish(id: number, outcome: RunOutcome, report: unknown = null): RunRecord {
    const reportText = report === null || report === undefined ? null : JSON.stringify(report);
    const changes = this.sql<[string, RunOutcome, string | null, number]>(
        "UPDATE runs SET finished_at = ?, status = ?, report = ? WHERE id = ? AND status = 'running'",
      )
      .run(this.stamp(), outcome, reportText, id).changes;
    if (changes === 0) {
      const existing = this.getRun(id);
      if (!existing) throw new StoreError('not-found', `no run ${id} in the history`);
      throw new StoreError('conflict', `run ${id} already ended (${existing.status})`);
    }
    return this.getRun(id)!;
  }

  getRun(id: number): RunRecord | null {
    const row = this.sql<[number], RunRow & { report: string | null }>(`SELECT ${RUN_COLUMNS}, report FROM runs WHERE id = ?`).get(id);
    if (!row) return null;
    return { ...runSummary(row), report: row.report === null ? null : (JSON.parse(row.report) as unknown) };
  }

  /** Newest first, optionally for one lab; reports are left out (fetch one with `getRun`). */
  listRuns(filter: { labPath?: string; limit?: number } = {}): RunSummaryRecord[] {
    const limit = filter.limit ?? 100;
    const rows =
      filter.labPath === undefined
        ? this.sql<[number], RunRow>(`SELECT ${RUN_COLUMNS} FROM runs ORDER BY id DESC LIMIT ?`).all(limit)
        : this.sql<[string, number], RunRow>(`SELECT ${RUN_COLUMNS} FROM runs WHERE lab_path = ? ORDER BY id DESC LIMIT ?`)
            .all(runLabKey(filter.labPath), limit);
    return rows.map(runSummary);
  }

  /**
   * Marks runs still "running" whose recording process is gone (a crash, a kill) as
   * interrupted. Runs of live processes — another window, a CLI run in CI — are left alone.
   */
  markInterruptedRuns(): number {
    const running = this.sql<[], RunRow>(`SELECT ${RUN_COLUMNS} FROM runs WHERE status = 'running'`).all();
    const orphans = running.filter((r) => r.host_pid === null || (r.host_pid !== process.pid && !processAlive(r.host_pid)));
    if (orphans.length === 0) return 0;
    const mark = this.sql<[number]>("UPDATE runs SET status = 'interrupted' WHERE id = ? AND status = 'running'");
    return this.transaction(() => orphans.reduce((n, r) => n + mark.run(r.id).changes, 0));
  }

  // -------------------------------------------------------------------------------------------
  // Guided-lab progress

  setStepProgress(progress: { labPath: string; step: number; completed: boolean; score?: number | null }): StepProgress {
    if (!Number.isInteger(progress.step) || progress.step < 0) throw new StoreError('invalid', `step must be a non-negative integer: ${progress.step}`);
    const row: ProgressRow = {
      lab_path: labKey(progress.labPath),
      step: progress.step,
      completed: progress.completed ? 1 : 0,
      score: progress.score ?? null,
      updated_at: this.stamp(),
    };
    this.sql<[ProgressRow]>(
        `INSERT INTO guide_progress (lab_path, step, completed, score, updated_at)
         VALUES (@lab_path, @step, @completed, @score, @updated_at)
         ON CONFLICT (lab_path, step) DO UPDATE SET
           completed = excluded.completed, score = excluded.score, updated_at = excluded.updated_at`,
      )
      .run(row);
    return progressRecord(row);
  }

  /** The lab's recorded steps in guide order; steps never touched are absent. */
  guideProgress(labPath: string): StepProgress[] {
    return this.sql<[string], ProgressRow>('SELECT lab_path, step, completed, score, updated_at FROM guide_progress WHERE lab_path = ? ORDER BY step')
      .all(labKey(labPath))
      .map(progressRecord);
  }

  resetGuideProgress(labPath: string): number {
    return this.sql<[string]>('DELETE FROM guide_progress WHERE lab_path = ?').run(labKey(labPath)).changes;
  }

  // -------------------------------------------------------------------------------------------
  // Autosave snapshots

  /**
   * Keeps a snapshot of a lab's unsaved text (labPath null for a lab never saved) and drops the
   * lab's snapshots beyond the newest few. Text identical to the lab's newest snapshot is not
   * stored twice; its id is returned instead.
   */
  saveSnapshot(labPath: string | null, text: string): number {
    const key = optionalLabKey(labPath);
    return this.transaction(() => {
      const newest = this.sql<[string | null], SnapshotRow>('SELECT id, lab_path, text, saved_at FROM autosaves WHERE lab_path IS ? ORDER BY id DESC LIMIT 1')
        .get(key);
      if (newest && newest.text === text) return newest.id;
      const id = Number(
        this.sql<[string | null, string, string]>('INSERT INTO autosaves (lab_path, text, saved_at) VALUES (?, ?, ?)').run(key, text, this.stamp())
          .lastInsertRowid,
      );
      this.sql<[string | null, string | null, number]>(
          'DELETE FROM autosaves WHERE lab_path IS ? AND id NOT IN (SELECT id FROM autosaves WHERE lab_path IS ? ORDER BY id DESC LIMIT ?)',
        )
        .run(key, key, this.snapshotsPerLab);
      return id;
    });
  }

  /** Every kept snapshot, newest first: what crash recovery offers the user. */
  listSnapshots(): RecoverySnapshot[] {
    return this.sql<[], SnapshotRow>('SELECT id, lab_path, text, saved_at FROM autosaves ORDER BY id DESC').all().map(snapshotRecord);
  }

  getSnapshot(id: number): RecoverySnapshot | null {
    const row = this.sql<[number], SnapshotRow>('SELECT id, lab_path, text, saved_at FROM autosaves WHERE id = ?').get(id);
    return row ? snapshotRecord(row) : null;
  }

  discardSnapshot(id: number): boolean {
    return this.sql<[number]>('DELETE FROM autosaves WHERE id = ?').run(id).changes > 0;
  }

  /** Drops every snapshot of one lab, e.g. once it has been saved for real. */
  discardSnapshotsFor(labPath: string | null): number {
    return this.sql<[string | null]>('DELETE FROM autosaves WHERE lab_path IS ?').run(optionalLabKey(labPath)).changes;
  }

  // -------------------------------------------------------------------------------------------
  // Settings (JSON values)

  getSetting(key: string): unknown {
    const value = this.sql<[string], string>('SELECT value FROM settings WHERE key = ?').pluck().get(key);
    return value === undefined ? undefined : (JSON.parse(value) as unknown);
  }

  setSetting(key: string, value: unknown): void {
    if (value === undefined) {
      this.deleteSetting(key);
      return;
    }
    this.sql<[string, string]>('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
      .run(key, JSON.stringify(value));
  }

  deleteSetting(key: string): boolean {
    return this.sql<[string]>('DELETE FROM settings WHERE key = ?').run(key).changes > 0;
  }
}

/**
 * Opens (creating and migrating as needed) the workspace store in `dir`. Throws StoreError
 * 'newer-schema' for a store from a newer LabBox, 'not-a-store' / 'corrupt' for a file that is
 * not ours.
 */
export function openStore(dir: string, options: StoreOptions = {}): WorkspaceStore {
  fs.mkdirSync(dir, { recursive: true });
  return new WorkspaceStore(path.join(dir, STORE_FILE_NAME), options);
}

export { SCHEMA_VERSION, StoreError };
