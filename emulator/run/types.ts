import type { CaptureRecorder } from '../capture/recorder.ts';
import type { RunReport as ScenarioReport } from '../scenario/report.ts';

/**
 * The face a running lab shows to its host (a worker thread in the desktop app, the browser
 * shell or the CLI). Everything here is plain data so it can cross a worker boundary.
 */

/** Simulated time is an integer number of nanoseconds. */
export type SimTime = number;

export interface RunOptions {
  seed: number;
  /** Scenario to run; absent means "just run the lab" (free-running for `forNs`). */
  scenario?: string;
  /** For free runs: how long to run, in ns. */
  forNs?: SimTime;
}

/** A notable event for timelines and reports (not every frame: those go to captures). */
export interface RunEvent {
  /** Simulated time, ns. */
  t: SimTime;
  /** Dotted category: `link.down`, `port.up`, `lacp.suspended`, `arp.duplicate`, `mac.move`, … */
  kind: string;
  device?: string;
  port?: string;
  text: string;
}

export interface RunStatus {
  now: SimTime;
  /** When the run ends by itself (scenario duration or `forNs`), else null. */
  endTime: SimTime | null;
  done: boolean;
  eventsExecuted: number;
  frameHops: number;
}

export interface ConsoleReply {
  /** Text the device printed in answer, including its next prompt. */
  output: string;
  prompt: string;
  /** After a `?` help answer: what the device puts back on the new prompt line (IOS keeps the line). */
  retype?: string;
  /** Output waits at a pager prompt (`--More--`): the next input is one key, not a line. */
  paging?: boolean;
}

/** What a device's console does with keys a terminal cannot treat as plain text. */
export interface ConsoleTraits {
  /** `?` asks for help the moment it is typed, without Enter (IOS, Radlan). */
  helpKey: boolean;
  /** Tab completes the word being typed. */
  completion: boolean;
}

/** A lab link as the canvas colours it: carrier and how much it has carried. */
export interface LinkState {
  /** Carrier at both ends (cable in, neither end shut down or pulled). */
  up: boolean;
  /** Octets sent from the link's `a` end towards `b` since the start, and back. */
  octetsAB: number;
  octetsBA: number;
  rateBps: number;
}

export interface LabRun {
  status(): RunStatus;
  /** Run the event loop until simulated time `untilNs` (or the end), returning the notable events that happened. */
  advance(untilNs: SimTime): RunEvent[];
  /**
   * When anything is next due (a queued network event or a scenario action), or null when nothing
   * is. A host that must halt right at an event advances to each of these times in turn.
   */
  nextEventAt?(): SimTime | null;
  /** Type one line at a device's console (CLI). */
  consoleInput(device: string, line: string): ConsoleReply;
  /** The prompt a fresh console on this device shows. */
  consolePrompt(device: string): string;
  /** Candidate completions of a partly typed line (Tab), each the whole line as completed. */
  consoleComplete?(device: string, partial: string): string[];
  consoleTraits?(device: string): ConsoleTraits;
  /** The lab's links in lab-file order. */
  linkStates?(): LinkState[];
  /** Start or stop capturing on a `device:port` endpoint or a link; returns the capture id. */
  startCapture(target: string): string;
  stopCapture(id: string): void;
  /** Captured bytes as a pcapng file. */
  exportCapture(id: string): Uint8Array;
  listCaptures(): { id: string; target: string; frames: number }[];
  /** A capture's frames for a packet list served beside the run, in the same thread (not plain data). */
  captureReader?(id: string): CaptureReader;
  /**
   * For a scenario run: the scenario's report so far (complete once the run reached its end),
   * which the host turns into pass/fail, history and CLI exit codes. Absent or null for a run
   * without a scenario.
   */
  scenarioReport?(): ScenarioReport | null;
}

/** What a packet list reads of a capture: rows, one frame's decode, and the count that renumbers frames. */
export type CaptureReader = Pick<CaptureRecorder, 'frameCount' | 'droppedCount' | 'packets' | 'detail' | 'frameBytes'>;
