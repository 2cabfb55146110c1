/**
 * What a terminal expects from the far end of a line-mode console: typed characters are echoed,
 * Backspace rubs out, Enter ends the line, Ctrl-C abandons it. The device only ever sees whole
 * lines, as on a serial console behind a line-buffering terminal server.
 */
export type ConsoleAction =
  | { kind: 'echo'; data: string }
  | { kind: 'line'; line: string }
  | { kind: 'interrupt' };

/** Longer lines than any real CLI accepts are refused at the keyboard (the terminal bell). */
const MAX_LINE = 4096;

type EscapeState = 'none' | 'esc' | 'csi' | 'ss3';

export class LineDiscipline {
  private buffer: string[] = [];
  private lastWasCr = false;
  private escape: EscapeState = 'none';

  get pending(): string {
    return this.buffer.join('');
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
      // Arrow keys and friends arrive as escape sequences; this console has no history or
      // cursor movement, so they are swallowed whole rather than echoed as garbage.
      if (this.escape === 'esc') {
        this.escape = ch === '[' ? 'csi' : ch === 'O' ? 'ss3' : 'none';
        continue;
      }
      if (this.escape === 'csi') {
        if (code >= 0x40 && code <= 0x7e) this.escape = 'none';
        continue;
      }
      if (this.escape === 'ss3') {
        this.escape = 'none';
        continue;
      }
      const wasCr = this.lastWasCr;
      this.lastWasCr = ch === '\r';
      if (ch === '\n' && wasCr) continue; // CR LF from a paste is one Enter
      if (ch === '\r' || ch === '\n') {
        echo += '\r\n';
        flushEcho();
        actions.push({ kind: 'line', line: this.pending });
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
      } else if (code >= 0x20) {
        if (this.buffer.length >= MAX_LINE) echo += '\x07';
        else {
          this.buffer.push(ch);
          echo += ch;
        }
      }
      // Other control characters (Tab, Ctrl-D, …) have no meaning on this console.
    }
    flushEcho();
    return actions;
  }
}

/** Device output uses bare LF; a terminal needs CR LF to return to the first column. */
export function toTerminal(text: string): string {
  return text.replace(/\r?\n/g, '\r\n');
}
