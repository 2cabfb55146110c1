import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseLab } from '../../lab/parse.ts';
import type { Lab } from '../../lab/schema.ts';

const labsDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'labs');

/** Parse a shipped lab from labs/ (throws with the parser's errors). */
export function shippedLab(file: string): Lab {
  const r = parseLab(file, readFileSync(join(labsDir, file), 'utf8'));
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.lab;
}
