import type { Dirent } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { isTempFileName, removeStaleTempFiles } from './temp-files.ts';

export const LAB_FILE_SUFFIX = '.lab.yaml';

export interface LabFileInfo {
  path: string;
  size: number;
  /** The file's modification time, ISO 8601. */
  modifiedAt: string;
}

export interface LabFolderScanOptions {
  /** Descend into subfolders (hidden ones excepted). Default true. */
  recursive?: boolean;
  /** Delete temp files of crashed saves while passing through. Default true. */
  removeStale?: boolean;
}

/**
 * The lab files under `dir`, sorted by path: regular `*.lab.yaml` files only. Hidden files —
 * among them the temp files of saves in progress or cut short — are never taken for labs.
 * A missing folder is simply empty.
 */
export async function listLabFiles(dir: string, options: LabFolderScanOptions = {}): Promise<LabFileInfo[]> {
  const recursive = options.recursive ?? true;
  const removeStale = options.removeStale ?? true;
  const found: LabFileInfo[] = [];

  async function visit(folder: string): Promise<void> {
    let entries: Dirent[];
    try {
      entries = await fs.readdir(folder, { withFileTypes: true });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return;
      throw err;
    }
    if (removeStale && entries.some((e) => isTempFileName(e.name))) await removeStaleTempFiles(folder);
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) {
        if (recursive) await visit(full);
      } else if ((entry.isFile() || entry.isSymbolicLink()) && entry.name.endsWith(LAB_FILE_SUFFIX)) {
        // A symlinked lab counts when it leads to a file; symlinked folders are not followed (loops).
        const stat = await fs.stat(full).catch(() => null);
        if (stat?.isFile()) found.push({ path: full, size: stat.size, modifiedAt: stat.mtime.toISOString() });
      }
    }
  }

  await visit(path.resolve(dir));
  return found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
