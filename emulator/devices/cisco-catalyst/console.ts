/**
 * A Catalyst console line: the IOS engine plus what the engine alone cannot do. `reload` asks
 * questions whose answers are the next lines typed (save the modified configuration? confirm?);
 * while the switch reboots the line shows nothing; after each boot the line starts over with a
 * parser for the template the switch booted with, since the template decides which commands exist.
 */
import type { CliEngine } from '../../cli/engine.ts';
import type { CliSession } from '../../cli/session.ts';
import { CONFIRM_QUESTION, SAVE_QUESTION, type CatalystState, type CatalystTerminal, type ModeData } from './grammar.ts';

export class CatalystConsole implements CliSession {
  private readonly term: CatalystTerminal = { question: null };
  private engine: CliEngine<ModeData>;
  private boots: number;

  constructor(
    private readonly st: CatalystState,
    private readonly build: (term: CatalystTerminal) => CliEngine<ModeData>,
  ) {
    this.engine = build(this.term);
    this.boots = st.boots;
  }

  private current(): CliEngine<ModeData> {
    if (this.boots !== this.st.boots) {
      this.boots = this.st.boots;
      this.term.question = null;
      this.engine = this.build(this.term);
    }
    return this.engine;
  }

  prompt(): string {
    if (this.st.rebooting || this.term.question !== null) return '';
    return this.current().prompt();
  }

  input(line: string): string {
    if (this.st.rebooting) return '';
    const q = this.term.question;
    if (q === null) return this.current().input(line);
    const answer = line.trim().toLowerCase();
    if (q.step === 'save') {
      if (answer === 'y' || answer === 'yes') {
        this.st.startup = this.st.config.render();
        q.step = 'confirm';
        return `Building configuration...\n[OK]\n${CONFIRM_QUESTION}\n`;
      }
      if (answer === 'n' || answer === 'no') {
        q.step = 'confirm';
        return `${CONFIRM_QUESTION}\n`;
      }
      return `% Please answer 'yes' or 'no'.\n${SAVE_QUESTION}\n`;
    }
    this.term.question = null;
    // [confirm] takes Return (or y) as yes; n aborts.
    if (answer.startsWith('n')) return '';
    return q.proceed();
  }

  complete(partial: string): string[] {
    return this.st.rebooting || this.term.question !== null ? [] : this.current().complete(partial);
  }

  paging(): boolean {
    return this.current().paging();
  }

  lineAfterHelp(): string {
    return this.current().lineAfterHelp();
  }

  history(): readonly string[] {
    return this.current().history();
  }
}
