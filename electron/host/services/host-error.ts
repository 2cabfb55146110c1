import type { HostErrorWire, LabError } from '../contract.ts';

/**
 * An error the UI can act on. Anything else thrown inside the host is reported as `internal`
 * without its stack, so a transport never leaks host internals to a page.
 */
export class HostError extends Error {
  readonly code: HostErrorWire['code'];
  readonly errors: LabError[] | undefined;

  constructor(code: HostErrorWire['code'], message: string, errors?: LabError[]) {
    super(message);
    this.name = 'HostError';
    this.code = code;
    this.errors = errors;
  }
}

export function toWireError(err: unknown): HostErrorWire {
  if (err instanceof HostError) {
    const wire: HostErrorWire = { code: err.code, message: err.message };
    if (err.errors) wire.errors = err.errors;
    return wire;
  }
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'internal', message };
}
