/**
 * The router console: the IOS-like CLI engine plus a foreground `ping`. A console line returns at
 * once (emulator/cli/session.ts) while echo replies arrive only as simulated time advances, so
 * `ping` starts a probe flow and prints its header; each later line first shows the `!`/`.`/`U`
 * marks of the probes answered since, then the success-rate line once all are done. While the
 * ping runs no prompt shows and typed lines are not run, as the real console is busy.
 */
import type { CliEngine } from '../../cli/engine.ts';
import type { CliSession } from '../../cli/session.ts';
import { MS } from '../../core/time.ts';
import type { PingProbe } from '../../l3/ping.ts';
import type { ModeData, RouterTerminal } from './grammar.ts';

function mark(p: PingProbe): string {
  return p.result === 'reply' ? '!' : p.result === 'unreachable' ? 'U' : p.result === 'ttl-expired' ? '&' : '.';
}

export class RouterConsole implements CliSession {
  private shown = 0;

  constructor(
    private readonly engine: CliEngine<ModeData>,
    private readonly term: RouterTerminal,
  ) {}

  prompt(): string {
    return this.term.ping !== null ? '' : this.engine.prompt();
  }

  input(line: string): string {
    if (this.term.ping === null) {
      const out = this.engine.input(line);
      this.shown = 0;
      return this.term.ping === null ? out : out + this.progress();
    }
    return this.progress();
  }

  complete(partial: string): string[] {
    return this.engine.complete(partial);
  }

  paging(): boolean {
    return this.engine.paging();
  }

  lineAfterHelp(): string {
    return this.engine.lineAfterHelp();
  }

  history(): readonly string[] {
    return this.engine.history();
  }

  private progress(): string {
    const flow = this.term.ping;
    if (flow === null) return '';
    let out = '';
    while (this.shown < flow.probes.length && flow.probes[this.shown]!.result !== 'pending') out += mark(flow.probes[this.shown++]!);
    if (flow.running || this.shown < flow.options.count) return out;
    const ok = flow.probes.filter((p) => p.result === 'reply');
    const pct = Math.floor((ok.length * 100) / flow.probes.length);
    out += `\nSuccess rate is ${pct} percent (${ok.length}/${flow.probes.length})`;
    if (ok.length > 0) {
      const rtts = ok.map((p) => Math.round(((p.answeredNs as number) - p.sentNs) / MS));
      out += `, round-trip min/avg/max = ${Math.min(...rtts)}/${Math.round(rtts.reduce((a, b) => a + b, 0) / rtts.length)}/${Math.max(...rtts)} ms`;
    }
    this.term.ping = null;
    return out + '\n';
  }
}
