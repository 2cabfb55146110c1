import { parseDocument, stringify } from 'yaml';
import type { LabError } from '../contract.ts';
import { labSchema, type Lab } from '../../../emulator/lab/schema.ts';

/**
 * The host's one doorway to the lab-file format (parse with precise errors, serialize). Kept in
 * one file so the rest of the host does not care where the format lives.
 *
 * Provisional: a schema-only check until emulator/lab's full parser (positions, catalog checks,
 * migrations) lands; the signatures here are the ones it offers.
 */
export type ParseResult = { ok: true; lab: Lab } | { ok: false; errors: LabError[] };

export function parseLab(file: string, text: string): ParseResult {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((e) => ({ file, line: e.linePos?.[0]?.line ?? 1, col: e.linePos?.[0]?.col ?? 1, path: '', message: e.message })),
    };
  }
  const parsed = labSchema.safeParse(doc.toJS());
  if (parsed.success) return { ok: true, lab: parsed.data };
  return {
    ok: false,
    errors: parsed.error.issues.map((i) => ({ file, line: 1, col: 1, path: i.path.map(String).join('.'), message: i.message })),
  };
}

export function serializeLab(lab: Lab): string {
  return stringify(lab);
}

export function formatLabError(e: LabError): string {
  return `${e.file}:${e.line}:${e.col}: ${e.path === '' ? '(document)' : e.path}: ${e.message}`;
}
