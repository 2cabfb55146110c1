/**
 * The writer process that store-kill.test.ts kills with SIGKILL. Not part of the app.
 *
 *   node --import tsx kill-test-writer.ts open-transaction DIR SIGNAL_AFTER_ROWS
 *     commits the known batch, prints "committed", then writes rows inside one transaction that
 *     never commits, printing "inside" once SIGNAL_AFTER_ROWS rows are in, and keeps writing.
 *   node --import tsx kill-test-writer.ts commit-stream DIR
 *     commits batch after batch of BATCH_ROWS runs, printing "batch N" after each commit.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore, type LabIndexEntry } from './workspace-store.ts';

export const COMMITTED_FOLDER = '/kill-test/committed';
export const UNCOMMITTED_FOLDER = '/kill-test/uncommitted';
export const BATCH_ROWS = 50;

/** The batch committed before the doomed transaction; the test expects exactly this back. */
export function committedLabs(): LabIndexEntry[] {
  return Array.from({ length: 200 }, (_, i) => ({
    path: `${COMMITTED_FOLDER}/lab-${String(i).padStart(3, '0')}.lab.yaml`,
    name: `lab-${i}`,
    title: `Committed lab ${i}`,
    devices: i,
    links: i * 2,
    scenarios: [`s${i % 7}`],
    shipped: i % 2 === 0,
    modifiedAt: '2026-01-01T00:00:00.000Z',
  }));
}

export function committedReport(i: number): { index: number; lines: string[] } {
  return { index: i, lines: Array.from({ length: 20 }, (_, j) => `line ${j} of committed run ${i}`) };
}

function say(line: string): void {
  // Synchronous, so the line is out before the next instruction: the parent may kill at once.
  fs.writeSync(1, `${line}\n`);
}

function openTransaction(dir: string, signalAfterRows: number): void {
  const store = openStore(dir);
  store.transaction(() => {
    store.replaceFolder(COMMITTED_FOLDER, committedLabs());
    for (let i = 0; i < 50; i++) {
      const id = store.recordRunStart({ labPath: `${COMMITTED_FOLDER}/lab-000.lab.yaml`, scenario: `run-${i}`, seed: i });
      store.recordRunFinish(id, i % 3 === 0 ? 'failed' : 'passed', committedReport(i));
    }
    store.setSetting('kill-test', 'committed');
  });
  say('committed');
  // Rows big enough that the page cache spills uncommitted pages into the WAL long before the
  // kill: recovery must then skip frames that are physically on disk.
  const filler = 'x'.repeat(8000);
  store.transaction(() => {
    store.setSetting('kill-test', 'uncommitted');
    for (let row = 0; ; row++) {
      if (row === signalAfterRows) say('inside');
      const labPath = `${UNCOMMITTED_FOLDER}/lab-${row}.lab.yaml`;
      store.upsertLab({ ...committedLabs()[0], path: labPath, title: filler });
      const id = store.recordRunStart({ labPath, scenario: 'doomed', seed: row });
      store.recordRunFinish(id, 'passed', { filler });
      store.saveSnapshot(labPath, filler);
    }
  });
}

function commitStream(dir: string): void {
  const store = openStore(dir);
  for (let batch = 0; ; batch++) {
    store.transaction(() => {
      for (let j = 0; j < BATCH_ROWS; j++) {
        store.recordRunStart({ labPath: `${COMMITTED_FOLDER}/stream.lab.yaml`, scenario: `batch-${batch}`, seed: j });
      }
      store.setSetting('last-batch', batch);
    });
    say(`batch ${batch}`);
  }
}

const invokedDirectly = process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  const [mode, dir, arg] = process.argv.slice(2);
  if (mode === 'open-transaction') openTransaction(dir, Number(arg));
  else if (mode === 'commit-stream') commitStream(dir);
  else throw new Error(`unknown mode ${mode}`);
}
