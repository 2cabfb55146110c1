import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BATCH_ROWS, COMMITTED_FOLDER, UNCOMMITTED_FOLDER, committedLabs, committedReport } from './kill-test-writer.ts';
import { STORE_FILE_NAME, openStore } from './workspace-store.ts';

const WRITER = fileURLToPath(new URL('./kill-test-writer.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'labbox-kill-'));
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/**
 * Runs the writer, SIGKILLs it `delayMs` after it prints a line matching `killOn`, and returns
 * every line it printed. Fails if the writer ended any other way.
 */
async function runAndKill(args: string[], killOn: (line: string) => boolean, delayMs: number): Promise<string[]> {
  const child = spawn(process.execPath, ['--import', 'tsx', WRITER, ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let armed = false;
  readline.createInterface({ input: child.stdout }).on('line', (line) => {
    lines.push(line);
    if (!armed && killOn(line)) {
      armed = true;
      if (delayMs === 0) child.kill('SIGKILL');
      else setTimeout(() => child.kill('SIGKILL'), delayMs);
    }
  });
  const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, sig) => resolve(sig)));
  expect(signal, `writer ended without being killed; stderr:\n${stderr}`).toBe('SIGKILL');
  return lines;
}

function walBytes(): number {
  const wal = path.join(dir, `${STORE_FILE_NAME}-wal`);
  return fs.existsSync(wal) ? fs.statSync(wal).size : 0;
}

describe('a writer killed mid-transaction', () => {
  // Kill points: right after BEGIN, after a few rows, and far enough in that uncommitted pages
  // have spilled into the WAL; each with the writer killed at once or while still writing.
  const cases: { signalAfterRows: number; delayMs: number }[] = [
    { signalAfterRows: 0, delayMs: 0 },
    { signalAfterRows: 1, delayMs: 0 },
    { signalAfterRows: 40, delayMs: 15 },
    { signalAfterRows: 400, delayMs: 0 },
    { signalAfterRows: 1500, delayMs: 60 },
    { signalAfterRows: 3000, delayMs: 200 },
  ];

  for (const { signalAfterRows, delayMs } of cases) {
    it(`leaves the last commit intact and nothing of the open transaction (kill after ${signalAfterRows} rows + ${delayMs} ms)`, async () => {
      const lines = await runAndKill(['open-transaction', dir, String(signalAfterRows)], (l) => l === 'inside', delayMs);
      expect(lines).toEqual(['committed', 'inside']);
      if (signalAfterRows >= 1500) {
        // Uncommitted pages were on disk when the writer died (the case recovery must get right).
        expect(walBytes()).toBeGreaterThan(4 * 1024 * 1024);
      }

      const store = openStore(dir);
      try {
        expect(store.integrityCheck()).toEqual(['ok']);
        // The committed batch, exactly.
        const labs = store.listLabs().filter((l) => l.path.startsWith(`${COMMITTED_FOLDER}/`));
        expect(labs.map(({ lastOpenedAt: _l, id: _id, ...entry }) => entry).sort((a, b) => a.path.localeCompare(b.path))).toEqual(committedLabs());
        const runs = store.listRuns({ labPath: `${COMMITTED_FOLDER}/lab-000.lab.yaml`, limit: 1000 });
        expect(runs).toHaveLength(50);
        for (const run of runs) {
          const i = run.seed;
          expect(store.getRun(run.id)).toMatchObject({ scenario: `run-${i}`, status: i % 3 === 0 ? 'failed' : 'passed', report: committedReport(i) });
        }
        expect(store.getSetting('kill-test')).toBe('committed');
        // Nothing of the transaction that never committed.
        expect(store.listLabs().filter((l) => l.path.startsWith(`${UNCOMMITTED_FOLDER}/`))).toEqual([]);
        expect(store.listRuns({ limit: 100_000 }).filter((r) => r.scenario === 'doomed')).toEqual([]);
        expect(store.listSnapshots()).toEqual([]);
        // And the store takes writes again.
        store.saveSnapshot(null, 'after the crash');
        expect(store.listSnapshots()).toHaveLength(1);
      } finally {
        store.close();
      }
    });
  }
});

describe('a writer killed during a stream of commits', () => {
  for (const delayMs of [0, 35, 150]) {
    it(`keeps every reported batch and never half a batch (kill ${delayMs} ms after the first commit)`, async () => {
      const lines = await runAndKill(['commit-stream', dir], (l) => l.startsWith('batch '), delayMs);
      const lastReported = Number(lines[lines.length - 1].slice('batch '.length));

      const store = openStore(dir);
      try {
        expect(store.integrityCheck()).toEqual(['ok']);
        const perBatch = new Map<string, number>();
        for (const run of store.listRuns({ limit: 10_000_000 })) {
          perBatch.set(run.scenario!, (perBatch.get(run.scenario!) ?? 0) + 1);
        }
        const lastBatch = store.getSetting('last-batch');
        expect(typeof lastBatch).toBe('number');
        const last = lastBatch as number;
        // A commit the writer announced is there; the one it may have finished unannounced too.
        expect(last === lastReported || last === lastReported + 1).toBe(true);
        expect([...perBatch.keys()].sort()).toEqual(Array.from({ length: last + 1 }, (_, i) => `batch-${i}`).sort());
        for (const [batch, rows] of perBatch) expect(rows, batch).toBe(BATCH_ROWS);
      } finally {
        store.close();
      }
    });
  }
});
