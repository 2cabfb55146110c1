import type {
  CaptureFrameDetail,
  CaptureInfo,
  CapturePage,
  CatalogEntry,
  CatalogPort,
  ConfigIssueWire,
  ConsoleOutput,
  ContractMethod,
  HostApi,
  HostErrorWire,
  HostInfo,
  HostPush,
  LabDocument,
  LabError,
  LabSummary,
  RecoverySnapshot,
  RunEventBatch,
  RunInfo,
  RunStepResult,
  ValidationResult,
} from '../../../electron/host/contract.ts';

/**
 * What a transport must offer: the same two primitives the Electron preload bridge exposes.
 * Both the IPC and the WebSocket client reduce to this, so the HostApi surface is written once.
 */
export interface HostTransport {
  invoke(method: ContractMethod, args: unknown[]): Promise<unknown>;
  subscribe(channel: HostPush['channel'], listener: (payload: unknown) => void): () => void;
}

export type ConnectionState = 'connecting' | 'connected' | 'disconnected';

export interface ConnectionSource {
  readonly state: ConnectionState;
  onState(listener: (state: ConnectionState) => void): () => void;
}

/** A host failure as the UI sees it: an Error (for stacks and `instanceof`) carrying the wire fields. */
export class HostError extends Error implements HostErrorWire {
  readonly code: HostErrorWire['code'];
  readonly errors?: LabError[];
  constructor(wire: HostErrorWire) {
    super(wire.message);
    this.name = 'HostError';
    this.code = wire.code;
    if (wire.errors) this.errors = wire.errors;
  }
}

export function isHostErrorWire(value: unknown): value is HostErrorWire {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.code === 'string' && typeof v.message === 'string';
}

/** Any failure, whatever threw it, as a HostError so callers handle one shape. */
export function toHostError(err: unknown): HostError {
  if (err instanceof HostError) return err;
  if (isHostErrorWire(err)) return new HostError(err);
  const message = err instanceof Error ? err.message : String(err);
  return new HostError({ code: 'internal', message });
}

export function hostApiOver(t: HostTransport): HostApi {
  const call = <T>(method: ContractMethod, ...args: unknown[]): Promise<T> =>
    t.invoke(method, args).then(
      (r) => r as T,
      (e: unknown) => Promise.reject(toHostError(e)),
    );
  return {
    hostInfo: () => call<HostInfo>('hostInfo'),
    listLabs: () => call<LabSummary[]>('listLabs'),
    recentLabs: () => call<LabSummary[]>('recentLabs'),
    openLab: (id) => call<LabDocument>('openLab', id),
    newLab: (name) => call<LabDocument>('newLab', name),
    saveLab: (path, text) => call<LabDocument>('saveLab', path, text),
    saveLabAs: (path, text) => call<LabDocument>('saveLabAs', path, text),
    importLab: (fileName, text) => call<LabDocument>('importLab', fileName, text),
    exportLab: (id) => call<{ fileName: string; text: string }>('exportLab', id),
    validateLab: (file, text) => call<ValidationResult>('validateLab', file, text),
    autosave: (path, text) => call<void>('autosave', path, text),
    recoverySnapshots: () => call<RecoverySnapshot[]>('recoverySnapshots'),
    discardSnapshot: (id) => call<void>('discardSnapshot', id),
    deviceCatalog: () => call<CatalogEntry[]>('deviceCatalog'),
    checkConfig: (kind, text) => call<ConfigIssueWire[]>('checkConfig', kind, text),
    devicePorts: (queries) => call<(CatalogPort[] | null)[]>('devicePorts', queries),
    startRun: (req) => call<RunInfo>('startRun', req),
    pauseRun: (runId) => call<void>('pauseRun', runId),
    resumeRun: (runId) => call<void>('resumeRun', runId),
    stepRun: (runId, step) => call<RunStepResult>('stepRun', runId, step),
    stopRun: (runId) => call<void>('stopRun', runId),
    setRunSpeed: (runId, speed) => call<void>('setRunSpeed', runId, speed),
    listRuns: () => call<RunInfo[]>('listRuns'),
    onRunEvents: (listener) => t.subscribe('runEvents', (p) => listener(p as RunEventBatch)),
    openConsole: (runId, device) => call<{ consoleId: string; banner: string }>('openConsole', runId, device),
    consoleWrite: (consoleId, data) => call<void>('consoleWrite', consoleId, data),
    closeConsole: (consoleId) => call<void>('closeConsole', consoleId),
    onConsoleOutput: (listener) => t.subscribe('consoleOutput', (p) => listener(p as ConsoleOutput)),
    startCapture: (runId, target) => call<CaptureInfo>('startCapture', runId, target),
    stopCapture: (runId, captureId) => call<void>('stopCapture', runId, captureId),
    listCaptures: (runId) => call<CaptureInfo[]>('listCaptures', runId),
    exportCapture: (runId, captureId) => call<{ fileName: string; base64: string }>('exportCapture', runId, captureId),
    capturePackets: (runId, captureId, offset, limit, filter) => call<CapturePage>('capturePackets', runId, captureId, offset, limit, filter),
    captureFrame: (runId, captureId, frame) => call<CaptureFrameDetail>('captureFrame', runId, captureId, frame),
  };
}
