/**
 * The `--More--` pager. Output longer than the terminal shows one screen less a line, then waits:
 * space shows the next screen, Return one more line, anything else drops the rest.
 */
export const MORE_PROMPT = ' --More-- ';

export class Pager {
  private pending: string[] = [];

  get active(): boolean {
    return this.pending.length > 0;
  }

  /** Starts paging `text`; returns what is shown before the first `--More--`. */
  start(text: string, terminalLength: number): string {
    const lines = text.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    if (terminalLength === 0 || lines.length < terminalLength) {
      this.pending = [];
      return text;
    }
    const page = terminalLength - 1;
    this.pending = lines.slice(page);
    return lines.slice(0, page).join('\n') + '\n';
  }

  /** A key pressed at `--More--`: ' ' (next page), '' (Return: one line), anything else quits. */
  key(key: string, terminalLength: number): string {
    let take: number;
    if (key === ' ' || key === '') take = key === ' ' ? Math.max(1, terminalLength - 1) : 1;
    else {
      this.pending = [];
      return '';
    }
    const shown = this.pending.slice(0, take);
    this.pending = this.pending.slice(take);
    return shown.join('\n') + '\n';
  }
}
