/**
 * One problem found in a lab file. The shape is the host contract's `LabError`
 * (electron/host/contract.ts); it is restated here because the emulator may not import from the
 * host, and both sides must stay field-for-field equal.
 */
export interface LabError {
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  col: number;
  /** Field path such as `devices[2].settings.ports`; empty when the whole document is at fault. */
  path: string;
  message: string;
}

export type PathSegment = string | number;

const plainKey = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** `['devices', 2, 'settings', 'ports']` → `devices[2].settings.ports`; odd keys are quoted. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (plainKey.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/** The line the CLI prints: `FILE:LINE:COL: field.path: message`. */
export function formatLabError(e: LabError): string {
  return `${e.file}:${e.line}:${e.col}: ${e.path === '' ? '(document)' : e.path}: ${e.message}`;
}
