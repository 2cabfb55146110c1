/** Why the workspace store refused something; the host maps these onto user-facing messages. */
export type StoreErrorCode =
  /** The file was written by a newer LabBox whose schema this build does not know. */
  | 'newer-schema'
  /** The file is an SQLite database, but not a LabBox workspace store. */
  | 'not-a-store'
  /** The file is damaged or not a database at all. */
  | 'corrupt'
  /** The caller asked for something that does not exist (e.g. finishing an unknown run). */
  | 'not-found'
  /** The request contradicts the stored state (e.g. finishing a run twice). */
  | 'conflict'
  /** The request itself is malformed (e.g. a relative lab path). */
  | 'invalid';

export class StoreError extends Error {
  readonly code: StoreErrorCode;

  constructor(code: StoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreError';
    this.code = code;
  }
}
