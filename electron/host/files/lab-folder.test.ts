import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listLabFiles } from './lab-folder.ts';
import { isTempFileName, removeStaleTempFiles, tempPathFor } from './temp-files.ts';

let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'labbox-folder-'));
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The pid of a process that has already exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid!;
}

function touch(rel: string, text = 'x'): string {
  const full = path.join(dir, rel);
  fs.mkdirSync(path.dirname(full), { recursive: true });
  fs.writeFileSync(full, text);
  return full;
}

describe('temp file names', () => {
  it('are hidden, unique, beside the target and never end in .lab.yaml', () => {
    const a = tempPathFor('/w/labs/core.lab.yaml');
    const b = tempPathFor('/w/labs/core.lab.yaml');
    expect(a).not.toBe(b);
    expect(path.dirname(a)).toBe('/w/labs');
    expect(path.basename(a)).toMatch(new RegExp(`^\\.core\\.lab\\.yaml\\.tmp-${process.pid}-\\d+$`));
    expect(a.endsWith('.lab.yaml')).toBe(false);
    expect(isTempFileName(path.basename(a))).toBe(true);
    expect(isTempFileName('core.lab.yaml')).toBe(false);
    expect(isTempFileName('.hidden.lab.yaml')).toBe(false);
  });

  it('stay within the file-name length limit for long lab names', () => {
    const long = `${'n'.repeat(240)}.lab.yaml`;
    expect(path.basename(tempPathFor(path.join('/w', long))).length).toBeLessThanOrEqual(255);
  });
});

describe('listLabFiles', () => {
  it('finds lab files in the folder and below, and nothing else', async () => {
    touch('b.lab.yaml', 'bb');
    touch('a.lab.yaml');
    touch('sub/deep/c.lab.yaml');
    touch('notes.yaml');
    touch('a.lab.yaml.bak');
    touch('.hidden.lab.yaml');
    touch('.cache/d.lab.yaml');
    fs.mkdirSync(path.join(dir, 'folder.lab.yaml'));
    touch(`.a.lab.yaml.tmp-${process.ppid}-3`);
    fs.symlinkSync(path.join(dir, 'a.lab.yaml'), path.join(dir, 'linked.lab.yaml'));
    fs.symlinkSync(path.join(dir, 'nowhere'), path.join(dir, 'dangling.lab.yaml'));

    const found = await listLabFiles(dir);
    expect(found.map((f) => path.relative(dir, f.path))).toEqual(['a.lab.yaml', 'b.lab.yaml', 'linked.lab.yaml', 'sub/deep/c.lab.yaml']);
    expect(found[1].size).toBe(2);
    expect(Number.isNaN(Date.parse(found[1].modifiedAt))).toBe(false);
    expect((await listLabFiles(dir, { recursive: false })).map((f) => path.basename(f.path))).toEqual(['a.lab.yaml', 'b.lab.yaml', 'linked.lab.yaml']);
  });

  it('treats a missing folder as empty', async () => {
    expect(await listLabFiles(path.join(dir, 'nope'))).toEqual([]);
  });

  it('removes temp files of crashed saves on the way, but not those of live writers', async () => {
    touch('net.lab.yaml');
    const crashed = touch(`.net.lab.yaml.tmp-${deadPid()}-7`, 'half a lab');
    const live = touch(`.net.lab.yaml.tmp-${process.ppid}-2`, 'being written');
    const found = await listLabFiles(dir);
    expect(found.map((f) => path.basename(f.path))).toEqual(['net.lab.yaml']);
    expect(fs.existsSync(crashed)).toBe(false);
    expect(fs.existsSync(live)).toBe(true);
  });
});

describe('removeStaleTempFiles', () => {
  it('removes dead writers’ files, this process’s finished leftovers and day-old files of reused pids', async () => {
    const dead = touch(`.a.lab.yaml.tmp-${deadPid()}-1`);
    const ownLeftover = touch(`.a.lab.yaml.tmp-${process.pid}-999999`);
    const liveFresh = touch(`.a.lab.yaml.tmp-${process.ppid}-1`);
    const liveOld = touch(`.b.lab.yaml.tmp-${process.ppid}-2`);
    const twoDaysAgo = new Date(Date.now() - 2 * 24 * 3600 * 1000);
    fs.utimesSync(liveOld, twoDaysAgo, twoDaysAgo);
    const lab = touch('a.lab.yaml');

    const removed = await removeStaleTempFiles(dir);
    expect(removed.sort()).toEqual([dead, ownLeftover, liveOld].sort());
    expect(fs.existsSync(liveFresh)).toBe(true);
    expect(fs.existsSync(lab)).toBe(true);
  });
});
