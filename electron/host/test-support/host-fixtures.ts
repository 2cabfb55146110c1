import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RunEventBatch } from '../contract.ts';
import type { WorkerEntry } from '../services/run-manager.ts';

/** Runs tests against the stand-in network instead of the engine. */
export const FAKE_WORKER: WorkerEntry = {
  file: new URL('../worker/bootstrap.mjs', import.meta.url),
  data: { entry: new URL('../worker/test-support/fake-run-worker.ts', import.meta.url).href },
};

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `labbox-${prefix}-`));
}

export const EMPTY_LAB = `apiVersion: labbox/v1
kind: Lab
metadata:
  name: empty
  title: An empty lab
`;

/** Collects run batches and lets a test wait for the one it expects. */
export class BatchLog {
  readonly batches: RunEventBatch[] = [];
  private waiters: { test: (b: RunEventBatch) => boolean; resolve: (b: RunEventBatch) => void }[] = [];

  readonly listener = (b: RunEventBatch): void => {
    this.batches.push(b);
    this.waiters = this.waiters.filter((w) => {
      if (!w.test(b)) return true;
      w.resolve(b);
      return false;
    });
  };

  next(test: (b: RunEventBatch) => boolean): Promise<RunEventBatch> {
    const seen = this.batches.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.push({ test, resolve }));
  }

  /** Like next(), but only batches that arrive from now on count. */
  upcoming(test: (b: RunEventBatch) => boolean): Promise<RunEventBatch> {
    return new Promise((resolve) => this.waiters.push({ test, resolve }));
  }

  events(runId: string) {
    return this.batches.filter((b) => b.runId === runId).flatMap((b) => b.events);
  }
}
