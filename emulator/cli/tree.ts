/**
 * The declarative command tree. A vendor grammar lists commands as syntax strings; they are merged
 * into one tree per mode, so `show mac address-table` and `show vlan brief` share the `show` node
 * and abbreviation, help and completion all work from the same structure.
 *
 * Syntax: words are keywords, `$name` is a parameter declared in `params`, `(a|b|c)` is a choice
 * of keywords. `no` forms come from `no: true` (same syntax after `no`) or an explicit syntax.
 */
import type { ArgValue, InterfaceRef, ParamType } from './params.ts';

export interface CliNode<D> {
  readonly word: string | null;
  readonly param: ParamType | null;
  readonly argName: string | null;
  help: string;
  readonly children: CliNode<D>[];
  run: Handler<D> | null;
  /** Output modifiers (`| include …`) are allowed after this command. */
  pipe: boolean;
  /** Accepted but not listed by `?` or tab. */
  hidden: boolean;
}

export class Args {
  private readonly values = new Map<string, ArgValue>();
  private readonly words = new Set<string>();

  set(name: string, value: ArgValue): void {
    this.values.set(name, value);
  }
  addWord(word: string): void {
    this.words.add(word);
  }
  /** Was this keyword typed (in any abbreviation)? */
  has(keyword: string): boolean {
    return this.words.has(keyword);
  }
  /** Was this parameter given? */
  given(name: string): boolean {
    return this.values.has(name);
  }
  int(name: string): number {
    const v = this.values.get(name);
    if (typeof v !== 'number') throw new Error(`argument ${name} is not a number`);
    return v;
  }
  optInt(name: string): number | undefined {
    return this.given(name) ? this.int(name) : undefined;
  }
  str(name: string): string {
    const v = this.values.get(name);
    if (typeof v !== 'string') throw new Error(`argument ${name} is not text`);
    return v;
  }
  optStr(name: string): string | undefined {
    return this.given(name) ? this.str(name) : undefined;
  }
  ids(name: string): readonly number[] {
    const v = this.values.get(name);
    if (!Array.isArray(v) || (v.length > 0 && typeof v[0] !== 'number')) throw new Error(`argument ${name} is not a list`);
    return v as readonly number[];
  }
  iface(name: string): InterfaceRef {
    const v = this.values.get(name);
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(`argument ${name} is not an interface`);
    return v as InterfaceRef;
  }
  optIface(name: string): InterfaceRef | undefined {
    return this.given(name) ? this.iface(name) : undefined;
  }
  ifaces(name: string): readonly InterfaceRef[] {
    const v = this.values.get(name);
    if (!Array.isArray(v) || (v.length > 0 && typeof v[0] !== 'object')) throw new Error(`argument ${name} is not an interface list`);
    return v as readonly InterfaceRef[];
  }
}

/** What a command handler can do. `D` is the per-mode data of the device (e.g. the interfaces being configured). */
export interface CommandContext<D> {
  readonly args: Args;
  /** The command was typed in its `no` form. */
  readonly no: boolean;
  /** Data of the mode the command runs in (null in exec and global config). */
  readonly data: D | null;
  print(text: string): void;
  /** Print an error (`% …`); marks the command as failed, which startup-config reports with its line. */
  fail(message: string): void;
  /** Enter a sub-mode (config-if, config-vlan, …) or another top mode (enable, configure terminal). */
  enterMode(mode: string, data?: D | null): void;
  /** Leave the current mode for its parent (as `exit`). */
  exitMode(): void;
  /** Drop to privileged exec (as `end`). */
  endConfig(): void;
  /** Leave the CLI entirely (`exit` from exec). */
  logout(): void;
  setTerminalLength(lines: number): void;
  history(): readonly string[];
}

export type Handler<D> = (ctx: CommandContext<D>) => void;

export interface CommandSpec<D> {
  readonly syntax: string;
  /** Help for keywords of this syntax; the first command to define a keyword's node sets its help. */
  readonly help?: Readonly<Record<string, string>>;
  /** Parameters by name: a type, or a type with command-specific help. */
  readonly params?: Readonly<Record<string, ParamType | readonly [ParamType, string]>>;
  readonly run: Handler<D>;
  /** `true`: `no <syntax>` also runs `run` with `no` set; a string: the `no` form's own syntax (without `no`). */
  readonly no?: boolean | string;
  readonly pipe?: boolean;
  readonly hidden?: boolean;
}

type Element = { kind: 'word'; words: string[] } | { kind: 'param'; name: string };

function parseSyntax(syntax: string): Element[] {
  const out: Element[] = [];
  for (const part of syntax.trim().split(/\s+/)) {
    if (part.startsWith('$')) out.push({ kind: 'param', name: part.slice(1) });
    else if (part.startsWith('(') && part.endsWith(')')) out.push({ kind: 'word', words: part.slice(1, -1).split('|') });
    else out.push({ kind: 'word', words: [part] });
  }
  return out;
}

export function newNode<D>(word: string | null, param: ParamType | null, argName: string | null, help: string): CliNode<D> {
  return { word, param, argName, help, children: [], run: null, pipe: false, hidden: false };
}

export const NO_HELP = 'Negate a command or set its defaults';

/** Builds and extends one mode's command tree. */
export class CommandTree<D> {
  readonly root: CliNode<D> = newNode<D>(null, null, null, '');

  add(spec: CommandSpec<D>): this {
    this.insert(spec, parseSyntax(spec.syntax), this.root);
    if (spec.no) {
      const noSyntax = spec.no === true ? spec.syntax : spec.no;
      this.insert(spec, [{ kind: 'word', words: ['no'] }, ...parseSyntax(noSyntax)], this.root);
    }
    return this;
  }

  addAll(specs: readonly CommandSpec<D>[]): this {
    for (const s of specs) this.add(s);
    return this;
  }

  private insert(spec: CommandSpec<D>, elements: readonly Element[], at: CliNode<D>): void {
    if (elements.length === 0) {
      at.run = spec.run;
      at.pipe = spec.pipe ?? false;
      return;
    }
    const [first, ...rest] = elements as [Element, ...Element[]];
    if (first.kind === 'word') {
      for (const w of first.words) {
        let child = at.children.find((c) => c.word === w);
        if (!child) {
          const help = w === 'no' && at === this.root ? NO_HELP : (spec.help?.[w] ?? '');
          child = newNode<D>(w, null, null, help);
          child.hidden = spec.hidden ?? false;
          at.children.push(child);
        } else if (!(spec.hidden ?? false)) {
          child.hidden = false;
        }
        if (child.help === '' && spec.help?.[w]) child.help = spec.help[w]!;
        this.insert(spec, rest, child);
      }
      return;
    }
    const decl = spec.params?.[first.name];
    if (!decl) throw new Error(`syntax "${spec.syntax}" uses $${first.name} without declaring it`);
    const [type, help] = Array.isArray(decl) ? (decl as readonly [ParamType, string]) : [decl as ParamType, (decl as ParamType).help];
    let child = at.children.find((c) => c.argName === first.name && c.param?.label === type.label);
    if (!child) {
      child = newNode<D>(null, type, first.name, help);
      child.hidden = spec.hidden ?? false;
      at.children.push(child);
    }
    this.insert(spec, rest, child);
  }
}
