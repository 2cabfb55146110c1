import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { versions } from './crash-test-rewriter.ts';
import { listLabFiles } from './lab-folder.ts';
import { isTempFileName } from './temp-files.ts';

const REWRITER = fileURLToPath(new URL('./crash-test-rewriter.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'labbox-crash-'));
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Lets the rewriter save `savesBeforeArming` times, then SIGKILLs it `delayMs` later. */
async function killRewriter(target: string, savesBeforeArming: number, delayMs: number): Promise<number> {
  const child = spawn(process.execPath, ['--import', 'tsx', REWRITER, target], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let saves = 0;
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  readline.createInterface({ input: child.stdout }).on('line', () => {
    saves += 1;
    if (saves === savesBeforeArming) setTimeout(() => child.kill('SIGKILL'), delayMs);
  });
  const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, sig) => resolve(sig)));
  expect(signal, `rewriter ended without being killed; stderr:\n${stderr}`).toBe('SIGKILL');
  return saves;
}

describe('a save killed at a random moment', () => {
  it('always leaves exactly one complete version, and no temp file passes for a lab', async () => {
    const texts = versions();
    const target = path.join(dir, 'fabric.lab.yaml');
    // Kill points spread over the save cycle (a few ms per save here); one seeded sequence so a
    // failure can be replayed.
    let seed = 0x2545f491;
    const nextDelay = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % 40;
    };
    let leftovers = 0;
    for (let round = 0; round < 10; round++) {
      await killRewriter(target, 1 + (round % 3), nextDelay());
      const text = fs.readFileSync(target, 'utf8');
      const which = texts.indexOf(text);
      expect(which, `round ${round}: the file is ${text.length} bytes and matches no complete version`).toBeGreaterThanOrEqual(0);
      if (fs.readdirSync(dir).some(isTempFileName)) leftovers += 1;
      // A scan lists only the real lab and clears what the killed save left behind.
      expect((await listLabFiles(dir)).map((f) => f.path)).toEqual([target]);
      expect(fs.readdirSync(dir)).toEqual(['fabric.lab.yaml']);
    }
    // Informational: how often the kill landed between creating the temp file and the rename.
    console.info(`atomic-write crash test: ${leftovers}/10 kills left a temp file behind`);
  });
});
