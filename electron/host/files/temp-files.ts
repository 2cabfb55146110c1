import fs from 'node:fs/promises';
import path from 'node:path';
import { processAlive } from './process-alive.ts';

/**
 * Names of the temporary files atomic saves write before renaming over the target:
 * `.<name>.tmp-<pid>-<n>` in the target's own folder (a rename is only atomic within one file
 * system). The leading dot and the suffix keep them from ever looking like `*.lab.yaml`, and the
 * pid tells a later scan whether the writer is gone and the file can be cleaned up.
 */
const TEMP_NAME = /^\.(.+)\.tmp-(\d+)-(\d+)$/;

/** Long names are shortened so the temp name stays within the usual 255-byte limit. */
const MAX_BASE_IN_TEMP_NAME = 200;

/** A writer that died long ago may have had its pid reused; such leftovers go after a day. */
const ABANDONED_AFTER_MS = 24 * 60 * 60 * 1000;

let counter = 0;
const inFlight = new Set<string>();

export function tempPathFor(target: string): string {
  const base = path.basename(target).slice(0, MAX_BASE_IN_TEMP_NAME);
  counter += 1;
  return path.join(path.dirname(target), `.${base}.tmp-${process.pid}-${counter}`);
}

export function isTempFileName(name: string): boolean {
  return TEMP_NAME.test(name);
}

/** Marks a temp file as being written by this process, so a concurrent scan leaves it alone. */
export function claimTempFile(tempPath: string): void {
  inFlight.add(tempPath);
}

export function releaseTempFile(tempPath: string): void {
  inFlight.delete(tempPath);
}

/**
 * Deletes temp files in `dir` left behind by writers that crashed before their rename. Files of
 * writers still at work are kept. Returns the paths removed.
 */
export async function removeStaleTempFiles(dir: string, now: Date = new Date()): Promise<string[]> {
  const removed: string[] = [];
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return removed;
    throw err;
  }
  for (const name of names) {
    const match = TEMP_NAME.exec(name);
    if (!match) continue;
    const full = path.join(dir, name);
    const pid = Number(match[2]);
    let stale: boolean;
    if (pid === process.pid) {
      stale = !inFlight.has(full);
    } else if (processAlive(pid)) {
      const stat = await fs.lstat(full).catch(() => null);
      stale = stat !== null && now.getTime() - stat.mtimeMs > ABANDONED_AFTER_MS;
    } else {
      stale = true;
    }
    if (!stale) continue;
    try {
      await fs.unlink(full);
      removed.push(full);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  return removed;
}
