/**
 * The process atomic-write-crash.test.ts kills with SIGKILL. Not part of the app.
 *
 *   node --import tsx crash-test-rewriter.ts TARGET
 *     saves TARGET over and over with writeFileAtomic, alternating between the versions below,
 *     printing "saved N" after each save.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from './atomic-write.ts';

/**
 * Versions of very different sizes and contents, so a truncated or interleaved file cannot pass
 * for any of them.
 */
export function versions(): string[] {
  const big = Array.from({ length: 60_000 }, (_, i) => `  - name: sw-${i}\n    kind: cisco-catalyst\n`).join('');
  const small = Array.from({ length: 9_000 }, (_, i) => `# small version, line ${i}\n`).join('');
  return [`apiVersion: labbox/v1\nversion: big\n${big}# end big\n`, `apiVersion: labbox/v1\nversion: small\n${small}# end small\n`];
}

async function rewrite(target: string): Promise<void> {
  const texts = versions();
  for (let n = 0; ; n++) {
    await writeFileAtomic(target, texts[n % texts.length]);
    fs.writeSync(1, `saved ${n}\n`);
  }
}

const invokedDirectly = process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) await rewrite(process.argv[2]);
