import { z } from 'zod';
import type { RunReport as ScenarioReport } from '../../emulator/scenario/report.ts';

/**
 * The host contract: everything the UI asks of the host, as one typed interface. The Electron
 * preload (IPC) and the browser shell (WebSocket) are two transports of it; the renderer holds a
 * `HostApi` and never knows which one it has.
 *
 * Each method's arguments are described once, as a zod tuple, so that both transports validate
 * every argument at the boundary with the same rules. This file must stay free of Node imports:
 * the renderer imports its types.
 */

// ---------------------------------------------------------------------------------------------
// Data that crosses the boundary

export interface LabSummary {
  /** Stable id in the workspace library (the lab file's absolute path). */
  id: string;
  path: string;
  name: string;
  title: string;
  devices: number;
  links: number;
  scenarios: string[];
  shipped: boolean;
  modifiedAt: string;
}

export interface LabError {
  file: string;
  line: number;
  col: number;
  path: string;
  message: string;
}

/** A lab document as the renderer edits it: the YAML text plus its parsed form. */
export interface LabDocument {
  id: string | null;
  path: string | null;
  text: string;
  /** The parsed lab (see emulator/lab/schema.ts `Lab`), present when the text is valid. */
  lab: unknown | null;
  errors: LabError[];
}

export interface ValidationResult {
  ok: boolean;
  errors: LabError[];
}

export interface RunStartRequest {
  /** Lab text to run (so unsaved edits can be run) and where it came from. */
  text: string;
  file: string;
  scenario?: string;
  seed: number;
  /** Simulated seconds per wall second; 0 means as fast as possible. */
  speed: number;
  /** For a run without a scenario: simulated duration in seconds. */
  forSeconds?: number;
  /** Start paused at time zero (consoles on the network before anything has run). */
  paused?: boolean;
}

export type RunState = 'running' | 'paused' | 'done' | 'stopped' | 'failed';

/**
 * How far one step of a paused run goes: a number of simulated seconds, or on to the next event
 * the timeline lists, pausing there. A next-event step stops at the run's end, or after
 * `withinSeconds` when given, so a quiet network cannot keep it going for ever.
 */
export type RunStep = number | { to: 'next-event'; withinSeconds?: number };

/** Where a step left the run. */
export interface RunStepResult {
  /** Simulated time the run stands at, in nanoseconds. */
  now: number;
  /**
   * `elapsed`: a timed step went the whole way; `event`: a next-event step stopped at `event`;
   * `limit`: no such event came before its limit; `end`: the run reached its end on the way;
   * `interrupted`: a pause, resume or stop came first, the run failed, or it was not paused.
   */
  reason: 'elapsed' | 'event' | 'limit' | 'end' | 'interrupted';
  event?: RunEventWire;
}

export interface RunEventWire {
  /** Simulated time in nanoseconds (an integer), as everywhere on the wire. */
  t: number;
  kind: string;
  device?: string;
  port?: string;
  text: string;
}

/** Run events reach the UI in batches so a busy run never floods it. */
export interface RunEventBatch {
  runId: string;
  state: RunState;
  /** Simulated time now, in nanoseconds. */
  now: number;
  /** When the run ends by itself, in simulated nanoseconds, or null when it runs until stopped. */
  endTime: number | null;
  events: RunEventWire[];
  /** Events the run produced since the last batch that this batch leaves out (a very busy run). */
  dropped?: number;
  error?: string;
  /** The lab's links in lab-file order, sampled a few times a second while the run moves. */
  links?: LinkLive[];
  /** A scenario run's flows and expectations so far, sampled like `links`. */
  scenario?: ScenarioLive;
  /** On the batch that ends a scenario run: its full report. */
  report?: ScenarioReport;
}

export interface LinkLive {
  /** Carrier at both ends. */
  up: boolean;
  /** Share of the link's rate used in its busier direction since the last sample, 0…1. */
  load: number;
  /** Bits per second in that direction. */
  bps: number;
}

/** One scenario flow so far: every probe it sent, as a `ping -t` window would show them. */
export interface FlowLive {
  id: string;
  text: string;
  kind: string;
  startNs: number;
  /** Interval between probes (0 when unknown); probe k left at startNs + k × everyNs. */
  everyNs: number;
  sent: number;
  answered: number;
  lost: number;
  pending: number;
  longestOutageNs: number;
  totalOutageNs: number;
  /** Lost probes as runs of [index of the first, how many]; the other settled probes were answered. */
  lossRuns: [number, number][];
  error?: string;
}

export interface ExpectationLive {
  index: number;
  name: string;
  /** `pending` until the run decides it. */
  status: 'pending' | 'pass' | 'fail' | 'error' | 'skipped';
  expected: string;
  measured: string;
  atNs: number;
}

export interface ScenarioLive {
  flows: FlowLive[];
  expectations: ExpectationLive[];
  /** Steps that could not be carried out so far. */
  problems: number;
}

export interface RunInfo {
  runId: string;
  lab: string;
  scenario: string | null;
  seed: number;
  state: RunState;
  startedAt: string;
}

export interface ConsoleOutput {
  consoleId: string;
  data: string;
}

export interface CaptureInfo {
  id: string;
  runId: string;
  target: string;
  frames: number;
}

/** One row of a capture's packet list. */
export interface CapturePacketRow {
  /** 1-based frame number, as in the exported file. */
  number: number;
  /** Simulated time, ns. */
  timeNs: number;
  interfaceName: string;
  direction: 'in' | 'out';
  /** IPv4 address for IP packets, else the MAC. */
  source: string;
  destination: string;
  protocol: string;
  length: number;
  info: string;
  comments: string[];
}

/** A window onto a capture's packet list, after the display filter. */
export interface CapturePage {
  /** Frames the capture holds. */
  total: number;
  /** Frames the filter lets through. */
  matched: number;
  /** Position among the matched frames of the first row. */
  offset: number;
  rows: CapturePacketRow[];
  /** Why the filter cannot be read (then nothing matches), with the 1-based column. */
  filterError?: { message: string; column: number };
}

/** A node of a frame's decode tree; offsets are from the frame's first byte. */
export interface CaptureTreeNode {
  label: string;
  offset: number;
  length: number;
  children?: CaptureTreeNode[];
}

export interface CaptureFrameDetail extends CapturePacketRow {
  tree: CaptureTreeNode[];
  /** The frame as captured (no FCS). */
  bytes: number[];
  problems: string[];
}

export interface RecoverySnapshot {
  id: number;
  labPath: string | null;
  savedAt: string;
  text: string;
}

/** A line of a startup config the device's CLI parser refused (1-based line and column). */
export interface ConfigIssueWire {
  line: number;
  column: number;
  message: string;
}

export interface HostInfo {
  transport: 'ipc' | 'websocket';
  version: string;
  workspace: string;
}

// ---------------------------------------------------------------------------------------------
// Argument schemas: the one place that says what each method accepts.

const path = z.string().min(1).max(4096);
const id = z.string().min(1).max(4096);
const labText = z.string().max(20 * 1024 * 1024);
/** The most device port queries one `devicePorts` call takes; a client with more sends several. */
export const DEVICE_PORTS_BATCH = 256;

export const contractArgs = {
  hostInfo: z.tuple([]),
  listLabs: z.tuple([]),
  recentLabs: z.tuple([]),
  openLab: z.tuple([id]),
  newLab: z.tuple([z.string().min(1).max(63)]),
  saveLab: z.tuple([path, labText]),
  saveLabAs: z.tuple([path, labText]),
  importLab: z.tuple([z.string().min(1).max(255), labText]),
  exportLab: z.tuple([id]),
  validateLab: z.tuple([z.string().max(4096), labText]),
  autosave: z.tuple([path.nullable(), labText]),
  recoverySnapshots: z.tuple([]),
  discardSnapshot: z.tuple([z.number().int().nonnegative()]),
  deviceCatalog: z.tuple([]),
  checkConfig: z.tuple([z.string().min(1).max(63), z.string().max(1024 * 1024)]),
  devicePorts: z.tuple([
    z
      .array(
        z.strictObject({
          kind: z.string().min(1).max(63),
          settings: z
            .record(z.string().min(1).max(63), z.union([z.string().max(1024), z.number().finite(), z.boolean()]))
            .refine((s) => Object.keys(s).length <= 32, 'at most 32 settings'),
          parentKind: z.string().min(1).max(63).optional(),
          slot: z.number().int().nonnegative().max(1e6).optional(),
        }),
      )
      .max(DEVICE_PORTS_BATCH),
  ]),
  startRun: z.tuple([
    z.strictObject({
      text: labText,
      file: z.string().max(4096),
      scenario: z.string().max(256).optional(),
      seed: z.number().int().nonnegative().max(2 ** 32 - 1),
      speed: z.number().nonnegative().max(1e9),
      forSeconds: z.number().positive().max(1e7).optional(),
      paused: z.boolean().optional(),
    }),
  ]),
  pauseRun: z.tuple([id]),
  resumeRun: z.tuple([id]),
  stepRun: z.tuple([
    id,
    z.union([
      z.number().positive().max(1e7),
      z.strictObject({ to: z.literal('next-event'), withinSeconds: z.number().positive().max(1e7).optional() }),
    ]),
  ]),
  stopRun: z.tuple([id]),
  setRunSpeed: z.tuple([id, z.number().nonnegative().max(1e9)]),
  listRuns: z.tuple([]),
  openConsole: z.tuple([id, z.string().min(1).max(63)]),
  consoleWrite: z.tuple([id, z.string().max(64 * 1024)]),
  closeConsole: z.tuple([id]),
  startCapture: z.tuple([id, z.string().min(1).max(255)]),
  stopCapture: z.tuple([id, id]),
  listCaptures: z.tuple([id]),
  exportCapture: z.tuple([id, id]),
  capturePackets: z.tuple([id, id, z.number().int().nonnegative(), z.number().int().min(1).max(1000), z.string().max(1024)]),
  captureFrame: z.tuple([id, id, z.number().int().positive()]),
} as const;

export type ContractMethod = keyof typeof contractArgs;

/** One port of a catalog entry; `aliases` are the other spellings links may use (`Gi1/0/1`). */
export interface CatalogPort {
  name: string;
  aliases?: string[];
  speedBps: number;
  medium: string;
}

/** Where the slot number goes in a port name or alias of a slot's port template. */
export const SLOT_MARK = '{slot}';

/**
 * A child kind's ports in a container whose slots rename them, as data: either one list whose
 * names and aliases carry `{slot}` where the slot number goes (`GigabitEthernet{slot}/0/1`), or,
 * for a renaming no such template captures, each slot's own list. A slot absent from `bySlot`
 * gives the child no known ports.
 */
/** A port of a slot template as it is in `slot`. */
export function portInSlot(port: CatalogPort, slot: number): CatalogPort {
  const put = (s: string) => s.split(SLOT_MARK).join(String(slot));
  const out: CatalogPort = { name: put(port.name), speedBps: port.speedBps, medium: port.medium };
  if (port.aliases) out.aliases = port.aliases.map(put);
  return out;
}

export type CatalogSlotPorts = { template: CatalogPort[] } | { bySlot: Record<string, CatalogPort[]> };

/** What a kind that holds other devices declares: the kinds it takes, its slot numbers, how a slot names a child's ports. */
export interface CatalogContainer {
  accepts: string[];
  slots?: { min: number; max: number; word: string };
  /** Per child kind whose port names follow its slot; a child kind not listed keeps its own kind's ports. */
  childPorts?: Record<string, CatalogSlotPorts>;
}

/** Where a setting's value goes in a port name or alias of a setting's port template. */
export const SETTING_MARK = '{value}';

/** A port of a setting's template as it is for a device whose setting holds `value`. */
export function portWithSetting(port: CatalogPort, value: string | number | boolean): CatalogPort {
  const put = (s: string) => s.split(SETTING_MARK).join(String(value));
  const out: CatalogPort = { name: put(port.name), speedBps: port.speedBps, medium: port.medium };
  if (port.aliases) out.aliases = port.aliases.map(put);
  return out;
}

/**
 * A kind whose port names carry one of its settings (a FEX's host ports are Ethernet<fex>/1/x):
 * the ports as one list whose names and aliases have `{value}` where the setting's value goes.
 * The host sends it only when it gives, for every value the setting's spec allows, exactly the
 * ports the kind has with that value and its other settings at their defaults.
 */
export interface CatalogSettingPorts {
  setting: string;
  template: CatalogPort[];
}

/**
 * A device as far as its ports go: its kind, the values of its kind's `portSettings` it sets, and,
 * when its parent's container names its ports (`container.childPorts`), the parent's kind and slot.
 */
export interface DevicePortsQuery {
  kind: string;
  settings: Record<string, string | number | boolean>;
  parentKind?: string;
  slot?: number;
}

/** A device kind as the palette sees it. */
export interface CatalogEntry {
  kind: string;
  vendor: string;
  model: string;
  role: string;
  description: string;
  /**
   * Ports for default settings. A device whose `portsBySetting.setting` holds another value has
   * that template's ports; a device in a container's slot may have others: see `container.childPorts` of its parent's kind.
   */
  ports: CatalogPort[];
  /** Present on kinds whose port names follow a setting's value. */
  portsBySetting?: CatalogSettingPorts;
  /**
   * Present on kinds whose ports change with some of their settings (how many a router has, a
   * blade's mezzanine cards): those settings. A device that sets them otherwise than the default,
   * beyond what `portsBySetting` covers, has the ports `devicePorts` gives for it.
   */
  portSettings?: string[];
  settings: Record<string, unknown>;
  configSyntax: string | null;
  /** Present on kinds that hold other devices in numbered slots or under rules the host checks. */
  container?: CatalogContainer;
}

export interface HostApi {
  hostInfo(): Promise<HostInfo>;
  // lab library
  listLabs(): Promise<LabSummary[]>;
  recentLabs(): Promise<LabSummary[]>;
  openLab(id: string): Promise<LabDocument>;
  newLab(name: string): Promise<LabDocument>;
  saveLab(path: string, text: string): Promise<LabDocument>;
  saveLabAs(path: string, text: string): Promise<LabDocument>;
  /** Import a lab file's text (e.g. dropped onto the window) into the library. */
  importLab(fileName: string, text: string): Promise<LabDocument>;
  /** The lab's file text, for download / export. */
  exportLab(id: string): Promise<{ fileName: string; text: string }>;
  validateLab(file: string, text: string): Promise<ValidationResult>;
  autosave(path: string | null, text: string): Promise<void>;
  recoverySnapshots(): Promise<RecoverySnapshot[]>;
  discardSnapshot(id: number): Promise<void>;
  deviceCatalog(): Promise<CatalogEntry[]>;
  /** A startup config checked by the kind's own CLI parser; empty for a clean config or a kind without one. */
  checkConfig(kind: string, text: string): Promise<ConfigIssueWire[]>;
  /**
   * Each query's ports as the emulator gives them, in order; null for a query it gives none for
   * (an unknown kind, a setting the kind does not take or a value its spec refuses).
   */
  devicePorts(queries: DevicePortsQuery[]): Promise<(CatalogPort[] | null)[]>;
  // runs
  startRun(req: RunStartRequest): Promise<RunInfo>;
  pauseRun(runId: string): Promise<void>;
  resumeRun(runId: string): Promise<void>;
  /** Advance a paused run (see RunStep); resolves once the step is over, the run still paused unless it ended. */
  stepRun(runId: string, step: RunStep): Promise<RunStepResult>;
  stopRun(runId: string): Promise<void>;
  setRunSpeed(runId: string, speed: number): Promise<void>;
  listRuns(): Promise<RunInfo[]>;
  onRunEvents(listener: (batch: RunEventBatch) => void): () => void;
  // consoles
  openConsole(runId: string, device: string): Promise<{ consoleId: string; banner: string }>;
  consoleWrite(consoleId: string, data: string): Promise<void>;
  closeConsole(consoleId: string): Promise<void>;
  onConsoleOutput(listener: (out: ConsoleOutput) => void): () => void;
  // captures
  startCapture(runId: string, target: string): Promise<CaptureInfo>;
  stopCapture(runId: string, captureId: string): Promise<void>;
  listCaptures(runId: string): Promise<CaptureInfo[]>;
  /** pcapng bytes, base64-encoded so both transports carry them as text. */
  exportCapture(runId: string, captureId: string): Promise<{ fileName: string; base64: string }>;
  /** Rows `offset`… of the packet list after the display `filter` (empty: every frame). */
  capturePackets(runId: string, captureId: string, offset: number, limit: number, filter: string): Promise<CapturePage>;
  /** One frame's decode tree and bytes. */
  captureFrame(runId: string, captureId: string, frame: number): Promise<CaptureFrameDetail>;
}

/**
 * A desktop menu choice the window must carry out (Electron shell only). Native dialogs have
 * already run in main: `open` names a lab the user picked (now reachable by `openLab`), `saveAs`
 * a path the user chose (now writable by `saveLabAs`). The others act on the open document.
 */
export type MenuCommand =
  | { command: 'new' | 'save' | 'import' | 'export' }
  | { command: 'open'; id: string }
  | { command: 'saveAs'; path: string };

/** Push channels from host to UI. */
export type HostPush =
  | { channel: 'runEvents'; payload: RunEventBatch }
  | { channel: 'consoleOutput'; payload: ConsoleOutput }
  | { channel: 'menuCommand'; payload: MenuCommand };

/** Errors that cross the boundary carry a code the UI can act on. */
export interface HostErrorWire {
  code: 'invalid-argument' | 'not-found' | 'invalid-lab' | 'conflict' | 'internal';
  message: string;
  errors?: LabError[];
}

// ---------------------------------------------------------------------------------------------
// Transport framing, shared by both transports.

/** What the Electron preload exposes on `window.labboxBridge` (contextBridge). */
export interface PreloadBridge {
  invoke(method: ContractMethod, args: unknown[]): Promise<unknown>;
  subscribe(channel: HostPush['channel'], listener: (payload: unknown) => void): () => void;
}

/** WebSocket (path `/ws` on the browser shell's HTTP server): client → host. */
export interface WsRequest {
  id: number;
  method: ContractMethod;
  args: unknown[];
}

/** WebSocket: host → client, the answer to one request. */
export type WsResponse = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: HostErrorWire };

/** WebSocket: host → client, unsolicited. */
export interface WsPush {
  push: HostPush['channel'];
  payload: unknown;
}
