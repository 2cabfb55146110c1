import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type {
  CaptureFrameDetail,
  CaptureInfo,
  CapturePage,
  CatalogEntry,
  CatalogPort,
  ConfigIssueWire,
  ConsoleOutput,
  DevicePortsQuery,
  HostApi,
  HostInfo,
  LabDocument,
  LabSummary,
  RecoverySnapshot,
  RunEventBatch,
  RunInfo,
  RunStartRequest,
  RunStep,
  RunStepResult,
  ValidationResult,
} from '../contract.ts';
import { configChecker } from '../../../emulator/devices/config-checkers.ts';
import type { Lab } from '../../../emulator/lab/schema.ts';
import type { ConsoleReply, ConsoleTraits } from '../../../emulator/run/types.ts';
import { openStore, type WorkspaceStore } from '../store/workspace-store.ts';
import { resolveWorkspaceDir } from '../store/workspace-dir.ts';
import { catalogEntries, devicePortsFor } from './device-catalog.ts';
import { HostError } from './host-error.ts';
import { LabLibrary } from './lab-library.ts';
import { parseLab } from './lab-codec.ts';
import { LineDiscipline, toTerminal, type ConsoleAction } from './line-discipline.ts';
import { RunManager, type WorkerEntry } from './run-manager.ts';
import type { RunReport } from './run-report.ts';

/** The repository (or unpacked app) root, where `labs/` and `package.json` live. */
export const APP_ROOT = path.resolve(fileURLToPath(new URL('../../..', import.meta.url)));

export interface HostServicesOptions {
  transport: HostInfo['transport'];
  version: string;
  /** The workspace folder (store + `labs/`). */
  workspaceDir: string;
  workspaceLabsDir: string;
  shippedLabsDir: string;
  store: WorkspaceStore | null;
  worker?: WorkerEntry;
  batchMs?: number;
}

interface ConsoleSession {
  runId: string;
  device: string;
  discipline: LineDiscipline;
  prompt: string;
  queue: Promise<void>;
}

function commonPrefix(words: readonly string[]): string {
  if (words.length === 0) return '';
  let p = words[0]!;
  for (const w of words) while (!w.startsWith(p)) p = p.slice(0, -1);
  return p;
}

export function packageVersion(root = APP_ROOT): string {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/**
 * Everything the UI (and the CLI) can ask of the host, behind the one contract both transports
 * serve. Arguments arrive here already validated by the transport's dispatcher.
 */
export class HostServices implements HostApi {
  readonly library: LabLibrary;
  readonly runs: RunManager;
  private readonly consoles = new Map<string, ConsoleSession>();
  private readonly consoleListeners = new Set<(out: ConsoleOutput) => void>();
  private nextConsole = 1;
  private disposed = false;

  constructor(private readonly options: HostServicesOptions) {
    this.library = new LabLibrary({ shippedDir: options.shippedLabsDir, workspaceLabsDir: options.workspaceLabsDir, store: options.store });
    this.runs = new RunManager({ worker: options.worker, batchMs: options.batchMs, history: options.store });
  }

  /**
   * Services for the browser shell and the CLI: the workspace from $LABBOX_HOME (or the XDG data
   * folder), the shipped labs from the app root. A store that cannot be opened is reported
   * through `onStoreError` and the services go on without history, recents and autosave.
   */
  static forNode(opts: {
    transport: HostInfo['transport'];
    env?: Record<string, string | undefined>;
    worker?: WorkerEntry;
    batchMs?: number;
    onStoreError?: (err: Error) => void;
  }): HostServices {
    const where = resolveWorkspaceDir(opts.env ? { env: opts.env } : {});
    let store: WorkspaceStore | null = null;
    try {
      store = openStore(where.dir);
      store.markInterruptedRuns();
    } catch (err) {
      opts.onStoreError?.(err instanceof Error ? err : new Error(String(err)));
    }
    return new HostServices({
      transport: opts.transport,
      version: packageVersion(),
      workspaceDir: where.dir,
      workspaceLabsDir: where.labsDir,
      shippedLabsDir: path.join(APP_ROOT, 'labs'),
      store,
      ...(opts.worker ? { worker: opts.worker } : {}),
      ...(opts.batchMs !== undefined ? { batchMs: opts.batchMs } : {}),
    });
  }

  get store(): WorkspaceStore | null {
    return this.options.store;
  }

  async hostInfo(): Promise<HostInfo> {
    return { transport: this.options.transport, version: this.options.version, workspace: this.options.workspaceDir };
  }

  // -- lab library ------------------------------------------------------------------------------

  async listLabs(): Promise<LabSummary[]> {
    return this.library.list();
  }

  async recentLabs(): Promise<LabSummary[]> {
    return this.library.recent();
  }

  async openLab(id: string): Promise<LabDocument> {
    return this.library.open(id);
  }

  async newLab(name: string): Promise<LabDocument> {
    return this.library.create(name);
  }

  async saveLab(file: string, text: string): Promise<LabDocument> {
    return this.library.save(file, text);
  }

  async saveLabAs(file: string, text: string): Promise<LabDocument> {
    return this.library.saveAs(file, text);
  }

  async importLab(fileName: string, text: string): Promise<LabDocument> {
    return this.library.import(fileName, text);
  }

  async exportLab(id: string): Promise<{ fileName: string; text: string }> {
    return this.library.export(id);
  }

  async validateLab(file: string, text: string): Promise<ValidationResult> {
    return this.library.validate(file, text);
  }

  async autosave(labPath: string | null, text: string): Promise<void> {
    const key = labPath === null ? null : path.resolve(labPath);
    this.requireStore().saveSnapshot(key, text);
  }

  async recoverySnapshots(): Promise<RecoverySnapshot[]> {
    return this.options.store?.listSnapshots() ?? [];
  }

  async discardSnapshot(id: number): Promise<void> {
    this.options.store?.discardSnapshot(id);
  }

  async deviceCatalog(): Promise<CatalogEntry[]> {
    return catalogEntries();
  }

  async devicePorts(queries: DevicePortsQuery[]): Promise<(CatalogPort[] | null)[]> {
    return queries.map(devicePortsFor);
  }

  async checkConfig(kind: string, text: string): Promise<ConfigIssueWire[]> {
    const check = configChecker(kind);
    if (!check) return [];
    return check(kind, text).map((i) => ({ line: i.line, column: i.column, message: i.message }));
  }

  // -- runs -------------------------------------------------------------------------------------

  /** Parses the text the run is to use; a lab with errors does not run. */
  labForRun(file: string, text: string): Lab {
    const parsed = parseLab(file || 'untitled.lab.yaml', text);
    if (!parsed.ok) {
      const n = parsed.errors.length;
      throw new HostError('invalid-lab', `the lab has ${n} error${n === 1 ? '' : 's'}; fix ${n === 1 ? 'it' : 'them'} before running`, parsed.errors);
    }
    return parsed.lab;
  }

  async startRun(req: RunStartRequest): Promise<RunInfo> {
    this.assertOpen();
    const lab = this.labForRun(req.file, req.text);
    if (req.scenario !== undefined && !lab.scenarios.some((s) => s.name === req.scenario)) {
      const names = lab.scenarios.map((s) => s.name);
      throw new HostError('not-found', `no scenario "${req.scenario}" in ${lab.metadata.name}${names.length ? `; it has ${names.join(', ')}` : '; it has none'}`);
    }
    return this.runs.start({
      lab,
      file: req.file,
      scenario: req.scenario ?? null,
      seed: req.seed,
      speed: req.speed,
      ...(req.forSeconds !== undefined ? { forNs: Math.round(req.forSeconds * 1e9) } : {}),
      ...(req.paused ? { paused: true } : {}),
    });
  }

  async pauseRun(runId: string): Promise<void> {
    this.runs.pause(runId);
  }

  async resumeRun(runId: string): Promise<void> {
    this.runs.resume(runId);
  }

  async stepRun(runId: string, step: RunStep): Promise<RunStepResult> {
    return this.runs.step(runId, step);
  }

  async stopRun(runId: string): Promise<void> {
    this.runs.stop(runId);
  }

  async setRunSpeed(runId: string, speed: number): Promise<void> {
    this.runs.setSpeed(runId, speed);
  }

  async listRuns(): Promise<RunInfo[]> {
    return this.runs.list();
  }

  onRunEvents(listener: (batch: RunEventBatch) => void): () => void {
    return this.runs.onBatch(listener);
  }

  /** Not part of the contract: the CLI waits on a run's report. */
  runFinished(runId: string): Promise<RunReport> {
    return this.runs.finished(runId);
  }

  // -- consoles ---------------------------------------------------------------------------------

  async openConsole(runId: string, device: string): Promise<{ consoleId: string; banner: string }> {
    const prompt = (await this.runs.call(runId, { op: 'consolePrompt', device })) as string;
    const traits = (await this.runs.call(runId, { op: 'consoleTraits', device })) as ConsoleTraits;
    const consoleId = `console-${this.nextConsole++}`;
    const discipline = new LineDiscipline();
    discipline.helpKey = traits.helpKey;
    this.consoles.set(consoleId, { runId, device, discipline, prompt, queue: Promise.resolve() });
    return { consoleId, banner: `Connected to ${device} console.\r\n\r\n${prompt}` };
  }

  /**
   * Keystrokes from a terminal. Work is queued per console so that echo, the device's answer
   * and type-ahead reach the terminal in the order a real console would print them.
   */
  async consoleWrite(consoleId: string, data: string): Promise<void> {
    const session = this.consoles.get(consoleId);
    if (!session) throw new HostError('not-found', `no console ${consoleId}`);
    // One key at a time: what a key means (text, a pager key, where Tab completes from) depends on
    // the device's answer to the keys before it.
    session.queue = session.queue.then(async () => {
      for (const ch of data) {
        for (const action of session.discipline.feed(ch)) await this.consoleAction(consoleId, session, action);
      }
    });
    await session.queue;
  }

  private async consoleAction(consoleId: string, session: ConsoleSession, action: ConsoleAction): Promise<void> {
    const { discipline } = session;
    if (action.kind === 'echo') return this.emitConsole(consoleId, action.data);
    if (action.kind === 'interrupt') return this.emitConsole(consoleId, session.prompt);
    try {
      if (action.kind === 'complete') {
        const options = (await this.runs.call(session.runId, { op: 'consoleComplete', device: session.device, partial: action.line })) as string[];
        const shared = commonPrefix(options);
        if (options.length === 0) return this.emitConsole(consoleId, '\x07');
        if (options.length === 1 || shared.length > action.line.length) return this.emitConsole(consoleId, discipline.replaceLine(options.length === 1 ? options[0]! : shared));
        // Several ways on from here: list the words they differ in, then the line again.
        const words = options.map((o) => o.slice(o.lastIndexOf(' ', o.trimEnd().length - 1) + 1).trimEnd());
        return this.emitConsole(consoleId, `\r\n${words.join('  ')}\r\n${session.prompt}${action.line}`);
      }
      const line = action.kind === 'key' ? action.key : action.line;
      const reply = (await this.runs.call(session.runId, { op: 'consoleInput', device: session.device, line })) as ConsoleReply;
      // The pager prompt is wiped before what comes next, as a terminal's --More-- is.
      const wipe = action.kind === 'key' ? `\r${' '.repeat(session.prompt.length)}\r` : '';
      session.prompt = reply.prompt;
      discipline.paging = reply.paging ?? false;
      const out = reply.output.endsWith(reply.prompt) ? reply.output : reply.output + reply.prompt;
      let retype = '';
      if (action.kind === 'help' && !discipline.paging) {
        retype = reply.retype ?? '';
        discipline.resetLine(retype);
      }
      this.emitConsole(consoleId, wipe + toTerminal(out) + retype);
    } catch (err) {
      this.emitConsole(consoleId, toTerminal(`% ${err instanceof Error ? err.message : String(err)}\n`));
    }
  }

  async closeConsole(consoleId: string): Promise<void> {
    this.consoles.delete(consoleId);
  }

  onConsoleOutput(listener: (out: ConsoleOutput) => void): () => void {
    this.consoleListeners.add(listener);
    return () => this.consoleListeners.delete(listener);
  }

  private emitConsole(consoleId: string, data: string): void {
    if (!data) return;
    for (const l of [...this.consoleListeners]) l({ consoleId, data });
  }

  // -- captures ---------------------------------------------------------------------------------

  async startCapture(runId: string, target: string): Promise<CaptureInfo> {
    const id = (await this.runs.call(runId, { op: 'startCapture', target })) as string;
    return { id, runId, target, frames: 0 };
  }

  async stopCapture(runId: string, captureId: string): Promise<void> {
    await this.runs.call(runId, { op: 'stopCapture', id: captureId });
  }

  async listCaptures(runId: string): Promise<CaptureInfo[]> {
    const list = (await this.runs.call(runId, { op: 'listCaptures' })) as { id: string; target: string; frames: number }[];
    return list.map((c) => ({ id: c.id, runId, target: c.target, frames: c.frames }));
  }

  async capturePackets(runId: string, captureId: string, offset: number, limit: number, filter: string): Promise<CapturePage> {
    return (await this.runs.call(runId, { op: 'capturePackets', id: captureId, offset, limit, filter })) as CapturePage;
  }

  async captureFrame(runId: string, captureId: string, frame: number): Promise<CaptureFrameDetail> {
    return (await this.runs.call(runId, { op: 'captureFrame', id: captureId, frame })) as CaptureFrameDetail;
  }

  async exportCapture(runId: string, captureId: string): Promise<{ fileName: string; base64: string }> {
    const [bytes, list] = await Promise.all([
      this.runs.call(runId, { op: 'exportCapture', id: captureId }) as Promise<Uint8Array>,
      this.listCaptures(runId),
    ]);
    const target = list.find((c) => c.id === captureId)?.target ?? captureId;
    const lab = this.runs.info(runId).lab;
    const stem = `${path.basename(lab).replace(/\.lab\.yaml$/, '')}-${target}`.replace(/[^A-Za-z0-9_.-]+/g, '_');
    return { fileName: `${stem}.pcapng`, base64: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64') };
  }

  // -- lifetime ---------------------------------------------------------------------------------

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.runs.dispose();
    this.consoleListeners.clear();
    this.consoles.clear();
    this.options.store?.close();
  }

  private assertOpen(): void {
    if (this.disposed) throw new HostError('conflict', 'the host is shutting down');
  }

  private requireStore(): WorkspaceStore {
    const store = this.options.store;
    if (!store) throw new HostError('internal', 'the workspace store is not available, so autosave is off');
    return store;
  }
}
