import fs from 'node:fs/promises';
import path from 'node:path';
import { claimTempFile, releaseTempFile, tempPathFor } from './temp-files.ts';

export interface AtomicWriteOptions {
  /** Permission bits for a file that does not exist yet (subject to the umask); default 0o666. */
  mode?: number;
}

async function realTarget(target: string): Promise<string> {
  try {
    // Saving through a symlink updates the file it points at and keeps the link.
    return await fs.realpath(target);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return path.resolve(target);
    throw err;
  }
}

async function existingMode(file: string): Promise<number | null> {
  try {
    return (await fs.stat(file)).mode & 0o7777;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** Makes the rename itself durable: the new directory entry reaches the disk. */
async function syncDirectory(dir: string): Promise<void> {
  // Windows cannot open a directory for fsync; NTFS journals the rename itself.
  if (process.platform === 'win32') return;
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Replaces `target` with `data` so that, whatever happens (a crash, a kill, a full disk), the
 * file afterwards holds either its old contents or the new ones in full, never a mix or a
 * truncation: write a temp file beside it, fsync it, rename it over the target, fsync the folder.
 * An existing target keeps its permission bits.
 */
export async function writeFileAtomic(target: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  const file = await realTarget(target);
  const dir = path.dirname(file);
  const keepMode = await existingMode(file);
  const mode = keepMode ?? options.mode ?? 0o666;

  let temp = '';
  let handle: fs.FileHandle | null = null;
  try {
    for (;;) {
      temp = tempPathFor(file);
      try {
        handle = await fs.open(temp, 'wx', mode);
        break;
      } catch (err) {
        // Another process (say, on a shared folder) holds the same pid and counter: next name.
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
    }
    claimTempFile(temp);
    // open() applies the umask; an existing file's bits are restored exactly.
    if (keepMode !== null) await handle.chmod(keepMode);
    await handle.writeFile(data);
    await handle.sync();
    await handle.close();
    handle = null;
    await fs.rename(temp, file);
  } catch (err) {
    if (handle) await handle.close().catch(() => undefined);
    if (temp) await fs.unlink(temp).catch(() => undefined);
    throw err;
  } finally {
    if (temp) releaseTempFile(temp);
  }
  await syncDirectory(dir);
}
