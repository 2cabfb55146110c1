/**
 * What a terminal expects from the far end of a line-mode console: typed characters are echoed,
 * Backspace rubs out, Enter ends the line, Ctrl-C abandons it. The device only ever sees whole
 * lines, as on a serial console behind a line-buffering terminal server.
 */
export type ConsoleAction =
  | { kind: 'echo'; data: string }
  | { kind: 'line'; line: string }
  | { kind: 'interrupt' }
  /** Tab: the device is asked how the line so far completes. */
  | { kind: 'complete'; line: string }
  /** `?` on a CLI that answers it at once: the line so far with the `?`, to be answered now. */
  | { kind: 'help'; line: string }
  /** A key pressed at `--More--`: ' ' for a page, '' (Return) for a line, anything else stops. */
  | { kind: 'key'; key: string };

/** Longer lines than any real CLI accepts are refused at the keyboard (the terminal bell). */
const MAX_LINE = 4096;
/** Lines kept for up-arrow recall, as IOS keeps ten by default and most shells far more. */
const MAX_HISTORY = 100;

type EscapeState = 'none' | 'esc' | 'csi' | 'ss3';

export class LineDiscipline {
  private buffer: string[] = [];
  private lastWasCr = false;
  private escape: EscapeState = 'none';
  private readonly history: string[] = [];
  /** Position while recalling with the arrows: history.length means the line being typed. */
  private recall = 0;
  private draft = '';
  /** The device answers `?` as it is typed (IOS); elsewhere `?` is an ordinary character. */
  helpKey = false;
  /** Output waits at a pager prompt: every key goes to the device as it is pressed, unechoed. */
  paging = false;

  get pending(): string {
    return this.buffer.join('');
  }

  /**
   * Replaces the line being typed (after a completion or a help answer) and returns what the
   * terminal must be sent to show the change from where its cursor is.
   */
  replaceLine(text: string): string {
    const old = this.pending;
    let same = 0;
    while (same < old.length && same < text.length && old[same] === text[same]) same++;
    this.buffer = [...text];
    return '\b \b'.repeat([...old.slice(same)].length) + text.slice(same);
  }

  /** Starts a fresh line showing `text` (the terminal already shows it after a new prompt). */
  resetLine(text: string): void {
    this.buffer = [...text];
    this.recall = this.history.length;
  }

  private recallLine(delta: number): string {
    const to = this.recall + delta;
    if (to < 0 || to > this.history.length) return '';
    if (this.recall === this.history.length) this.draft = this.pending;
    this.recall = to;
    return this.replaceLine(to === this.history.length ? this.draft : this.history[to]!);
  }

  private remember(line: string): void {
    const t = line.trim();
    if (t !== '' && this.history[this.history.length - 1] !== t) {
      this.history.push(t);
      if (this.history.length > MAX_HISTORY) this.history.shift();
    }
    this.recall = this.history.length;
  }

  feed(data: string): ConsoleAction[] {
    const actions: ConsoleAction[] = [];
    let echo = '';
    const flushEcho = () => {
      if (echo) actions.push({ kind: 'echo', data: echo });
      echo = '';
    };
    for (const ch of data) {
      const code = ch.codePointAt(0)!;
      // Arrow keys and friends arrive as escape sequences: up and down recall history, the rest
      // (this console has no cursor movement) are swallowed whole rather than echoed as garbage.
      if (this.escape === 'esc') {
        this.escape = ch === '[' ? 'csi' : ch === 'O' ? 'ss3' : 'none';
        continue;
      }
      if (this.escape === 'csi' || this.escape === 'ss3') {
        if (this.escape === 'ss3' || (code >= 0x40 && code <= 0x7e)) {
          this.escape = 'none';
          if (!this.paging && (ch === 'A' || ch === 'B')) echo += this.recallLine(ch === 'A' ? -1 : 1);
        }
        continue;
      }
      const wasCr = this.lastWasCr;
      this.lastWasCr = ch === '\r';
      if (ch === '\n' && wasCr) continue; // CR LF from a paste is one Enter
      if (this.paging && ch !== '\x1b') {
        flushEcho();
        actions.push({ kind: 'key', key: ch === '\r' || ch === '\n' ? '' : ch === ' ' ? ' ' : 'q' });
        continue;
      }
      if (ch === '\r' || ch === '\n') {
        echo += '\r\n';
        flushEcho();
        actions.push({ kind: 'line', line: this.pending });
        this.remember(this.pending);
        this.buffer = [];
      } else if (ch === '\x7f' || ch === '\b') {
        if (this.buffer.length > 0) {
          this.buffer.pop();
          echo += '\b \b';
        }
      } else if (ch === '\x03') {
        echo += '^C\r\n';
        flushEcho();
        this.buffer = [];
        actions.push({ kind: 'interrupt' });
      } else if (ch === '\x15') {
        echo += '\b \b'.repeat(this.buffer.length);
        this.buffer = [];
      } else if (ch === '\x1b') {
        this.escape = 'esc';
      } else if (ch === '\t') {
        flushEcho();
        actions.push({ kind: 'complete', line: this.pending });
      } else if (ch === '?' && this.helpKey) {
        echo += '?\r\n';
        flushEcho();
        actions.push({ kind: 'help', line: this.pending + '?' });
        this.buffer = [];
      } else if (code >= 0x20) {
        if (this.buffer.length >= MAX_LINE) echo += '\x07';
        else {
          this.buffer.push(ch);
          echo += ch;
        }
      }
      // Other control characters (Ctrl-D, …) have no meaning on this console.
    }
    flushEcho();
    return actions;
  }
}

/** Device output uses bare LF; a terminal needs CR LF to return to the first column. */
export function toTerminal(text: string): string {
  return text.replace(/\r?\n/g, '\r\n');
}
