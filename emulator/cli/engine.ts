/**
 * A CLI session over a vendor grammar: the mode stack, IOS-style error answers, `?` and tab,
 * `do` and global-command fallback in config sub-modes, output modifiers, the pager, history,
 * and the startup-config loader (the same parser, line by line, in global config).
 */
import { MORE_PROMPT, Pager } from './pager.ts';
import { applyFilter, completeLine, formatHelpRows, formatHelpWords, helpFor, parseLine, type ParseOutcome } from './parse.ts';
import { integer, restOfLine } from './params.ts';
import type { CliSession } from './session.ts';
import { CommandTree, type CommandContext, type CommandSpec } from './tree.ts';

export interface ModeSpec<D> {
  readonly name: string;
  /** Printed after the hostname: `>`, `#`, `(config)#`, `(config-if)#`. */
  readonly prompt: string;
  /** Where `exit` goes; null for the exec modes, where `exit` logs out. */
  readonly parent: string | null;
  readonly commands: readonly CommandSpec<D>[];
  /** Runs when the mode is left by any route (IOS applies `vlan` sub-mode changes on exit). */
  readonly onExit?: (data: D | null) => void;
}

export interface DialectSpec<D> {
  readonly modes: readonly ModeSpec<D>[];
  hostname(): string;
  /** Mode of a fresh console (`>`). */
  readonly initialMode: string;
  /** Where `end` and Ctrl-Z land, and where `do` runs its command. */
  readonly privilegedMode: string;
  /** Global configuration: where a startup config is applied. */
  readonly configMode: string;
  /** Printed when the console is left with `exit` from exec. */
  logoutBanner?(): string;
  /** Printed when configuration mode is left with `end` or Ctrl-Z (IOS logs a syslog line). */
  configuredMessage?(): string | null;
}

/** One problem found while applying a startup config. Lines are 1-based, columns 0-based. */
export interface ConfigIssue {
  readonly line: number;
  readonly column: number;
  readonly text: string;
  readonly message: string;
}

interface Frame<D> {
  readonly mode: ModeSpec<D>;
  readonly data: D | null;
}

interface RunResult {
  output: string;
  /** The first error message, without the caret line, when the command failed. */
  error: { message: string; column: number } | null;
}

const DEFAULT_TERMINAL_LENGTH = 24;
const HISTORY_SIZE = 20;

export class CliEngine<D> implements CliSession {
  private readonly modes = new Map<string, { spec: ModeSpec<D>; tree: CommandTree<D> }>();
  private stack: Frame<D>[];
  private readonly pager = new Pager();
  private terminalLength = DEFAULT_TERMINAL_LENGTH;
  private readonly historyLines: string[] = [];
  private loggedOut = false;
  private retypeText = '';
  /** Marks the built-in `do` node: it needs the engine, not a command context. */
  private readonly doHandler = (): void => {};

  constructor(private readonly dialect: DialectSpec<D>) {
    for (const spec of dialect.modes) {
      const tree = new CommandTree<D>().addAll(spec.commands).addAll(this.builtins(spec));
      this.modes.set(spec.name, { spec, tree });
    }
    this.stack = [{ mode: this.mode(dialect.initialMode), data: null }];
  }

  private mode(name: string): ModeSpec<D> {
    const m = this.modes.get(name);
    if (!m) throw new Error(`unknown CLI mode ${name}`);
    return m.spec;
  }

  private tree(name: string): CommandTree<D> {
    return this.modes.get(name)!.tree;
  }

  private isConfig(mode: ModeSpec<D>): boolean {
    return mode.parent !== null && mode.name !== this.dialect.privilegedMode && mode.name !== this.dialect.initialMode;
  }

  private builtins(mode: ModeSpec<D>): CommandSpec<D>[] {
    const exec = mode.parent === null;
    const out: CommandSpec<D>[] = [];
    const hasExit = mode.commands.some((c) => c.syntax.trim() === 'exit');
    if (!hasExit) {
      out.push({ syntax: 'exit', help: { exit: exec ? 'Exit from the EXEC' : 'Exit from configure mode' }, run: (ctx) => (exec ? ctx.logout() : ctx.exitMode()) });
    }
    if (exec) {
      out.push(
        { syntax: 'logout', help: { logout: 'Exit from the EXEC' }, run: (ctx) => ctx.logout() },
        {
          syntax: 'terminal length $n',
          help: { terminal: 'Set terminal line parameters', length: 'Set number of lines on a screen' },
          params: { n: integer(0, 512, 'Number of lines on screen (0 for no pausing)') },
          run: (ctx) => ctx.setTerminalLength(ctx.args.int('n')),
        },
        {
          syntax: 'terminal no length',
          help: { no: 'Negate a command or set its defaults', length: 'Set number of lines on a screen' },
          run: (ctx) => ctx.setTerminalLength(DEFAULT_TERMINAL_LENGTH),
        },
        {
          syntax: 'show history',
          help: { show: 'Show running system information', history: 'Display the session command history' },
          pipe: true,
          run: (ctx) => ctx.print(ctx.history().map((h) => `  ${h}\n`).join('')),
        },
      );
    } else {
      out.push(
        { syntax: 'end', help: { end: 'Exit from configure mode' }, run: (ctx) => ctx.endConfig() },
        {
          syntax: 'do $line',
          help: { do: 'To run exec commands in config mode' },
          params: { line: restOfLine('Exec Command') },
          run: this.doHandler,
        },
      );
    }
    return out;
  }

  // --- CliSession -------------------------------------------------------------------------

  prompt(): string {
    if (this.pager.active) return MORE_PROMPT;
    if (this.loggedOut) return '';
    return this.dialect.hostname() + this.top().mode.prompt;
  }

  input(rawLine: string): string {
    this.retypeText = '';
    if (this.pager.active) return this.pager.key(rawLine.startsWith(' ') ? ' ' : rawLine, this.terminalLength);
    if (this.loggedOut) {
      this.loggedOut = false;
      this.stack = [{ mode: this.mode(this.dialect.initialMode), data: null }];
      return '\n';
    }
    const ctrlZ = rawLine.indexOf('\x1a');
    if (ctrlZ >= 0) {
      const before = rawLine.slice(0, ctrlZ);
      let out = before.trim() === '' ? '' : this.runInteractive(before);
      if (this.isConfig(this.top().mode)) out += this.endConfigMode();
      return out;
    }
    if (rawLine.endsWith('?')) return this.help(rawLine.slice(0, -1));
    return this.runInteractive(rawLine);
  }

  complete(partial: string): string[] {
    return completeLine(this.tree(this.top().mode.name).root, partial);
  }

  /** True while output waits at `--More--`: the next input is a key, not a command. */
  paging(): boolean {
    return this.pager.active;
  }

  /** After `?`, the text IOS puts back on the new prompt line. */
  lineAfterHelp(): string {
    return this.retypeText;
  }

  history(): readonly string[] {
    return this.historyLines;
  }

  /** The current mode's name (`exec`, `privileged`, `config`, `config-if`, …). */
  modeName(): string {
    return this.top().mode.name;
  }

  /** The data of the innermost mode, e.g. the interfaces a `config-if` is editing. */
  modeData(): D | null {
    return this.top().data;
  }

  // --- startup config ---------------------------------------------------------------------

  /**
   * Applies a configuration text in global config mode, line by line, as if pasted at the
   * console. `!` lines are comments; indentation is not significant (as on IOS, the commands
   * themselves decide the sub-mode). Returns every line the parser rejected.
   */
  applyConfig(text: string): ConfigIssue[] {
    const saved = this.stack;
    this.stack = [
      { mode: this.mode(this.dialect.privilegedMode), data: null },
      { mode: this.mode(this.dialect.configMode), data: null },
    ];
    const issues: ConfigIssue[] = [];
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const raw = lines[i]!.replace(/\r$/, '');
      const trimmed = raw.trim();
      if (trimmed === '' || trimmed.startsWith('!')) continue;
      if (trimmed === 'end') break;
      const indent = raw.length - raw.trimStart().length;
      const r = this.run(trimmed, false, 0, false);
      if (r.error) issues.push({ line: i + 1, column: indent + r.error.column, text: raw, message: r.error.message });
      // A config that leaves configuration mode (`end`, `exit` too often) is carried on in global config.
      if (!this.isConfig(this.top().mode)) this.stack = [this.stack[0]!, { mode: this.mode(this.dialect.configMode), data: null }];
    }
    this.popTo(1);
    this.stack = saved;
    return issues;
  }

  // --- internals --------------------------------------------------------------------------

  private top(): Frame<D> {
    return this.stack[this.stack.length - 1]!;
  }

  private help(before: string): string {
    const tree = this.tree(this.top().mode.name);
    const answer = helpFor(tree.root, before);
    this.retypeText = before;
    if (answer.kind === 'error') return this.formatError(answer.outcome, this.prompt().length, false) ?? '';
    if (answer.kind === 'words') {
      if (answer.words.length === 0) return '% Unrecognized command\n';
      return formatHelpWords(answer.words) + '\n';
    }
    return formatHelpRows(answer.rows) + '\n';
  }

  private runInteractive(line: string): string {
    if (line.trim() !== '') {
      this.historyLines.push(line.trim());
      if (this.historyLines.length > HISTORY_SIZE) this.historyLines.shift();
    }
    const r = this.run(line, true, this.prompt().length, false);
    return this.pager.start(r.output, this.terminalLength);
  }

  /** Parses `line` in the current mode, falling back to enclosing config modes as IOS does. */
  private run(line: string, interactive: boolean, caretBase: number, nested: boolean): RunResult {
    const here = this.top().mode;
    const first = parseLine(this.tree(here.name).root, line);
    if (first.kind === 'empty') return { output: '', error: null };
    if (first.kind === 'ok') return this.execute(first, line, interactive, caretBase);
    let best: ParseOutcome<D> = first;
    if (this.isConfig(here)) {
      for (let depth = this.stack.length - 2; depth >= 0; depth--) {
        const mode = this.stack[depth]!.mode;
        if (!this.isConfig(mode)) break;
        const o = parseLine(this.tree(mode.name).root, line);
        if (o.kind === 'ok') {
          this.popTo(depth);
          return this.execute(o, line, interactive, caretBase);
        }
        if (reach(o) > reach(best)) best = o;
      }
    }
    const text = this.formatError(best, caretBase, nested) ?? '';
    return { output: text, error: errorOf(best) };
  }

  private execute(ok: Extract<ParseOutcome<D>, { kind: 'ok' }>, line: string, interactive: boolean, caretBase: number): RunResult {
    let output = '';
    let error: RunResult['error'] = null;
    const frame = this.top();
    const ctx: CommandContext<D> = {
      args: ok.args,
      no: ok.negated,
      data: frame.data,
      print: (text) => {
        output += text.endsWith('\n') || text === '' ? text : text + '\n';
      },
      fail: (message) => {
        output += message.endsWith('\n') ? message : message + '\n';
        if (!error) error = { message: message.replace(/^%\s*/, '').trim(), column: 0 };
      },
      enterMode: (name, data) => this.enterMode(name, data ?? null),
      exitMode: () => this.exitMode(),
      endConfig: () => {
        output += this.endConfigMode();
      },
      logout: () => {
        this.popTo(0);
        this.loggedOut = true;
        output += this.dialect.logoutBanner?.() ?? '';
      },
      setTerminalLength: (n) => {
        this.terminalLength = n;
      },
      history: () => this.historyLines,
    };
    if (ok.node.run === this.doHandler) {
      // `do <exec command>` from a config mode: run in privileged exec without leaving config.
      const inner = ok.args.str('line');
      const saved = this.stack;
      this.stack = [{ mode: this.mode(this.dialect.privilegedMode), data: null }];
      const r = this.run(inner, interactive, caretBase + line.indexOf(inner), true);
      this.stack = saved;
      return r;
    }
    ok.node.run!(ctx);
    if (ok.filter) output = applyFilter(output, ok.filter);
    return { output, error };
  }

  private enterMode(name: string, data: D | null): void {
    const target = this.mode(name);
    if (target.parent === null) {
      this.popTo(0);
      this.stack = [{ mode: target, data }];
      return;
    }
    let at = this.stack.length - 1;
    while (at >= 0 && this.stack[at]!.mode.name !== target.parent) at--;
    if (at < 0) {
      this.stack = [...this.stack, { mode: target, data }];
      return;
    }
    this.popTo(at);
    this.stack.push({ mode: target, data });
  }

  private exitMode(): void {
    if (this.stack.length <= 1) return;
    this.popTo(this.stack.length - 2);
  }

  private endConfigMode(): string {
    let depth = 0;
    while (depth < this.stack.length && this.stack[depth]!.mode.name !== this.dialect.privilegedMode) depth++;
    if (depth >= this.stack.length) return '';
    this.popTo(depth);
    const msg = this.dialect.configuredMessage?.() ?? null;
    return msg ? `${msg}\n` : '';
  }

  /** Pops frames above `depth`, running each mode's exit hook. */
  private popTo(depth: number): void {
    while (this.stack.length > depth + 1) {
      const f = this.stack.pop()!;
      f.mode.onExit?.(f.data);
    }
  }

  private formatError(o: ParseOutcome<D>, caretBase: number, nested: boolean): string | null {
    switch (o.kind) {
      case 'ok':
      case 'empty':
        return null;
      case 'incomplete':
        return '% Incomplete command.\n\n';
      case 'ambiguous':
        return `% Ambiguous command:  "${o.text}"\n`;
      case 'invalid': {
        if (o.tokenIndex === 0 && !nested && !this.isConfig(this.top().mode)) {
          // At exec level IOS takes an unknown first word for a host to connect to.
          return '% Unknown command or computer name, or unable to find computer address\n';
        }
        return `${' '.repeat(caretBase + o.column)}^\n% Invalid input detected at '^' marker.\n\n`;
      }
    }
  }
}

function reach<D>(o: ParseOutcome<D>): number {
  if (o.kind === 'invalid' || o.kind === 'ambiguous') return o.tokenIndex;
  if (o.kind === 'incomplete') return Number.MAX_SAFE_INTEGER - 1;
  return -1;
}

function errorOf<D>(o: ParseOutcome<D>): RunResult['error'] {
  switch (o.kind) {
    case 'incomplete':
      return { message: 'Incomplete command.', column: 0 };
    case 'ambiguous':
      return { message: `Ambiguous command:  "${o.text}"`, column: 0 };
    case 'invalid':
      return { message: "Invalid input detected at '^' marker.", column: o.column };
    default:
      return null;
  }
}
