import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from './atomic-write.ts';
import { isTempFileName } from './temp-files.ts';

let dir: string;
const isRoot = process.getuid?.() === 0;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'labbox-atomic-'));
});

afterEach(() => {
  fs.chmodSync(dir, 0o700);
  fs.rmSync(dir, { recursive: true, force: true });
});

const tempFiles = (folder = dir): string[] => fs.readdirSync(folder).filter(isTempFileName);

describe('writeFileAtomic', () => {
  it('creates a file and replaces it, leaving no temp files', async () => {
    const target = path.join(dir, 'net.lab.yaml');
    await writeFileAtomic(target, 'first\n');
    expect(fs.readFileSync(target, 'utf8')).toBe('first\n');
    await writeFileAtomic(target, new TextEncoder().encode('second, longer than the first\n'));
    expect(fs.readFileSync(target, 'utf8')).toBe('second, longer than the first\n');
    await writeFileAtomic(target, '');
    expect(fs.readFileSync(target, 'utf8')).toBe('');
    expect(fs.readdirSync(dir)).toEqual(['net.lab.yaml']);
  });

  it('keeps an existing file’s permission bits, whatever the umask', async () => {
    const target = path.join(dir, 'script.lab.yaml');
    fs.writeFileSync(target, 'old');
    fs.chmodSync(target, 0o754);
    await writeFileAtomic(target, 'new');
    expect(fs.statSync(target).mode & 0o7777).toBe(0o754);
    fs.chmodSync(target, 0o600);
    await writeFileAtomic(target, 'newer');
    expect(fs.statSync(target).mode & 0o7777).toBe(0o600);
  });

  it('gives a new file the requested mode', async () => {
    const target = path.join(dir, 'private.lab.yaml');
    await writeFileAtomic(target, 'x', { mode: 0o600 });
    expect(fs.statSync(target).mode & 0o777).toBe(0o600);
  });

  it('writes through a symlink to the file it points at, keeping the link', async () => {
    const real = path.join(dir, 'real.lab.yaml');
    const link = path.join(dir, 'link.lab.yaml');
    fs.writeFileSync(real, 'old');
    fs.symlinkSync(real, link);
    await writeFileAtomic(link, 'via link');
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(real, 'utf8')).toBe('via link');
    expect(tempFiles()).toEqual([]);
  });

  it('cleans up its temp file when the rename fails, and leaves the target as it was', async () => {
    const target = path.join(dir, 'taken.lab.yaml');
    fs.mkdirSync(target);
    fs.writeFileSync(path.join(target, 'inside'), 'keep');
    await expect(writeFileAtomic(target, 'text')).rejects.toThrow();
    expect(tempFiles()).toEqual([]);
    expect(fs.readFileSync(path.join(target, 'inside'), 'utf8')).toBe('keep');
  });

  it.skipIf(isRoot)('fails cleanly in a folder it may not write, leaving the old file', async () => {
    const target = path.join(dir, 'ro.lab.yaml');
    fs.writeFileSync(target, 'old');
    fs.chmodSync(dir, 0o500);
    await expect(writeFileAtomic(target, 'new')).rejects.toMatchObject({ code: 'EACCES' });
    expect(fs.readFileSync(target, 'utf8')).toBe('old');
    expect(tempFiles()).toEqual([]);
  });

  it('fails when the folder does not exist', async () => {
    await expect(writeFileAtomic(path.join(dir, 'missing', 'a.lab.yaml'), 'x')).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('ends with one whole version when saves of the same file race', async () => {
    const target = path.join(dir, 'raced.lab.yaml');
    const versions = Array.from({ length: 12 }, (_, i) => `version ${i}\n`.repeat(1000 + i * 500));
    await Promise.all(versions.map((v) => writeFileAtomic(target, v)));
    expect(versions).toContain(fs.readFileSync(target, 'utf8'));
    expect(tempFiles()).toEqual([]);
  });
});
