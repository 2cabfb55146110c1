import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { LabError } from '../errors.ts';

export const fixturesDir = fileURLToPath(new URL('../../../labs/fixtures/', import.meta.url));

export function fixture(name: string): { file: string; text: string } {
  return { file: `labs/fixtures/${name}`, text: readFileSync(`${fixturesDir}${name}`, 'utf8') };
}

/** `line:col: path: message`, the part of a CLI error line after the file name. */
export function brief(e: LabError): string {
  return `${e.line}:${e.col}: ${e.path}: ${e.message}`;
}
