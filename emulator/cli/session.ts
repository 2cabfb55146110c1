/**
 * A console attached to one device: the contract between a device's CLI grammar (emulator/cli
 * machinery + the kind's commands) and whoever types at it (a run's console, a startup config).
 */
export interface CliSession {
  /** The prompt as the device prints it now, e.g. `sw1#`, `sw1(config-if)#`, `C:\Users\admin>`. */
  prompt(): string;
  /**
   * One line typed by the user (without the newline). Returns everything the device prints in
   * answer, not including the next prompt. A line ending in `?` asks for help and is not executed.
   */
  input(line: string): string;
  /** Candidates for completing a partial line (tab). */
  complete(partial: string): string[];
  /** True while output waits at a pager prompt (`--More--`): the next input is one key, not a command. */
  paging?(): boolean;
  /** After a `?` help answer, the text the device retypes after the new prompt (IOS keeps the line). */
  lineAfterHelp?(): string;
  /** Commands typed so far, oldest first (for up-arrow recall in a terminal). */
  history?(): readonly string[];
}

/** Devices that have a console implement this. */
export interface ConsoleCapable {
  openConsole(): CliSession;
}
