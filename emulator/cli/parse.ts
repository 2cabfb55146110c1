/**
 * Matching a typed line against a command tree: unique-prefix abbreviations, typed parameters,
 * output modifiers, and the three ways a line can be wrong (ambiguous, incomplete, invalid at a
 * column). Also the answers to `?` and tab, computed from the same walk.
 */
import type { HelpRow, Token } from './params.ts';
import { Args, type CliNode } from './tree.ts';

export function tokenize(line: string): Token[] {
  const out: Token[] = [];
  const re = /\||[^\s|]+/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(line)) !== null) out.push({ text: m[0], start: m.index });
  return out;
}

export type FilterKind = 'begin' | 'include' | 'exclude' | 'count';

export interface OutputFilter {
  readonly kind: FilterKind;
  readonly pattern: RegExp;
}

const FILTERS: readonly { word: FilterKind; help: string }[] = [
  { word: 'begin', help: 'Begin with the line that matches' },
  { word: 'count', help: 'Count number of lines which match regexp' },
  { word: 'exclude', help: 'Exclude lines that match' },
  { word: 'include', help: 'Include lines that match' },
];

export type ParseOutcome<D> =
  | { readonly kind: 'ok'; readonly node: CliNode<D>; readonly args: Args; readonly negated: boolean; readonly filter: OutputFilter | null }
  | { readonly kind: 'empty' }
  | { readonly kind: 'incomplete' }
  /** `text` is the line up to and including the ambiguous word, as IOS quotes it. */
  | { readonly kind: 'ambiguous'; readonly text: string; readonly tokenIndex: number }
  | { readonly kind: 'invalid'; readonly column: number; readonly tokenIndex: number };

interface Walk<D> {
  node: CliNode<D>;
  args: Args;
  negated: boolean;
  /** Index of the first token not consumed. */
  next: number;
  failure: ParseOutcome<D> | null;
}

function keywordMatches<D>(node: CliNode<D>, text: string): CliNode<D>[] {
  const t = text.toLowerCase();
  const exact = node.children.filter((c) => c.word !== null && c.word.toLowerCase() === t);
  if (exact.length > 0) return exact;
  return node.children.filter((c) => c.word !== null && c.word.toLowerCase().startsWith(t));
}

/** Consume tokens[0..stop) from `root`. Stops early at a failure or at `|`. */
function walk<D>(root: CliNode<D>, tokens: readonly Token[], line: string, stop: number): Walk<D> {
  const w: Walk<D> = { node: root, args: new Args(), negated: false, next: 0, failure: null };
  while (w.next < stop) {
    const t = tokens[w.next]!;
    if (t.text === '|') return w;
    const kws = keywordMatches(w.node, t.text);
    if (kws.length > 1) {
      w.failure = { kind: 'ambiguous', text: line.slice(0, t.start + t.text.length), tokenIndex: w.next };
      return w;
    }
    if (kws.length === 1) {
      const kw = kws[0]!;
      if (w.node === root && kw.word === 'no') w.negated = true;
      w.args.addWord(kw.word!);
      w.node = kw;
      w.next++;
      continue;
    }
    let matched = false;
    for (const c of w.node.children) {
      if (!c.param) continue;
      const r = c.param.read(tokens.slice(0, stop), w.next, line);
      if (r) {
        w.args.set(c.argName!, r.value);
        w.node = c;
        w.next += r.used;
        matched = true;
        break;
      }
    }
    if (!matched) {
      w.failure = { kind: 'invalid', column: t.start, tokenIndex: w.next };
      return w;
    }
  }
  return w;
}

export function parseLine<D>(root: CliNode<D>, line: string): ParseOutcome<D> {
  const tokens = tokenize(line);
  if (tokens.length === 0) return { kind: 'empty' };
  const w = walk(root, tokens, line, tokens.length);
  if (w.failure) return w.failure;
  let filter: OutputFilter | null = null;
  if (w.next < tokens.length) {
    // Stopped at `|`.
    const bar = tokens[w.next]!;
    if (!w.node.run || !w.node.pipe) return { kind: 'invalid', column: bar.start, tokenIndex: w.next };
    const kwTok = tokens[w.next + 1];
    if (!kwTok) return { kind: 'incomplete' };
    const kinds = FILTERS.filter((f) => f.word.startsWith(kwTok.text.toLowerCase()));
    if (kinds.length > 1) return { kind: 'ambiguous', text: line.slice(0, kwTok.start + kwTok.text.length), tokenIndex: w.next + 1 };
    if (kinds.length === 0) return { kind: 'invalid', column: kwTok.start, tokenIndex: w.next + 1 };
    const reTok = tokens[w.next + 2];
    if (!reTok) return { kind: 'incomplete' };
    let pattern: RegExp;
    try {
      pattern = new RegExp(line.slice(reTok.start).trimEnd());
    } catch {
      return { kind: 'invalid', column: reTok.start, tokenIndex: w.next + 2 };
    }
    filter = { kind: kinds[0]!.word, pattern };
  }
  if (!w.node.run) return { kind: 'incomplete' };
  return { kind: 'ok', node: w.node, args: w.args, negated: w.negated, filter };
}

/** Applies an output modifier to finished output. */
export function applyFilter(text: string, filter: OutputFilter): string {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  let kept: string[];
  switch (filter.kind) {
    case 'include':
      kept = lines.filter((l) => filter.pattern.test(l));
      break;
    case 'exclude':
      kept = lines.filter((l) => !filter.pattern.test(l));
      break;
    case 'begin': {
      const at = lines.findIndex((l) => filter.pattern.test(l));
      kept = at < 0 ? [] : lines.slice(at);
      break;
    }
    case 'count':
      kept = [`Number of lines which match regexp = ${lines.filter((l) => filter.pattern.test(l)).length}`];
      break;
  }
  return kept.length > 0 ? kept.join('\n') + '\n' : '';
}

export type HelpAnswer<D> =
  /** `sh ?`: rows of keyword/parameter and help. */
  | { readonly kind: 'rows'; readonly rows: readonly HelpRow[] }
  /** `sh?`: the words the partial token could become. */
  | { readonly kind: 'words'; readonly words: readonly string[] }
  | { readonly kind: 'error'; readonly outcome: ParseOutcome<D> };

function sortRows(rows: HelpRow[]): HelpRow[] {
  // IOS lists in plain character order, so `GigabitEthernet` sorts before `range`.
  return rows.sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
}

/** Answers `?` typed at the end of `before` (the text left of the `?`). */
export function helpFor<D>(root: CliNode<D>, before: string): HelpAnswer<D> {
  const tokens = tokenize(before);
  const partialWord = before.length > 0 && !/\s$/.test(before) && tokens.length > 0;
  const stop = partialWord ? tokens.length - 1 : tokens.length;
  const w = walk(root, tokens, before, stop);
  if (w.failure) return { kind: 'error', outcome: w.failure };

  if (w.next < stop) {
    // Inside output modifiers.
    const rest = tokens.slice(w.next + 1, stop);
    if (rest.length === 0) {
      if (partialWord) return { kind: 'words', words: FILTERS.filter((f) => f.word.startsWith(tokens[stop]!.text.toLowerCase())).map((f) => f.word) };
      return { kind: 'rows', rows: FILTERS.map((f) => ({ label: f.word, help: f.help })) };
    }
    return { kind: 'rows', rows: [{ label: 'LINE', help: 'Regular Expression' }] };
  }

  const node = w.node;
  if (partialWord) {
    const partial = tokens[stop]!.text;
    const p = partial.toLowerCase();
    const words: string[] = [];
    for (const c of node.children) {
      if (c.hidden) continue;
      if (c.word !== null && c.word.toLowerCase().startsWith(p)) words.push(c.word);
      if (c.param && c.param.couldStart(partial)) {
        if (c.param.helpRows) for (const r of c.param.helpRows(partial)) words.push(r.label);
        else words.push(c.param.label);
      }
    }
    if (partial === '|' && node.run && node.pipe) words.push('|');
    return { kind: 'words', words: [...new Set(words)].sort() };
  }

  const fixed: HelpRow[] = [];
  const named: HelpRow[] = [];
  for (const c of node.children) {
    if (c.hidden) continue;
    if (c.word !== null) named.push({ label: c.word, help: c.help });
    else if (c.param) {
      if (c.param.helpRows) named.push(...c.param.helpRows(''));
      else fixed.push({ label: c.param.label, help: c.help });
    }
  }
  const rows = [...fixed, ...sortRows(named)];
  if (node.run && node.pipe) rows.push({ label: '|', help: 'Output modifiers' });
  if (node.run) rows.push({ label: '<cr>', help: '' });
  return { kind: 'rows', rows };
}

/** Tab: full-line candidates for the last (partial) word. */
export function completeLine<D>(root: CliNode<D>, line: string): string[] {
  const tokens = tokenize(line);
  if (tokens.length === 0 || /\s$/.test(line)) return [];
  const stop = tokens.length - 1;
  const w = walk(root, tokens, line, stop);
  if (w.failure || w.next < stop) return [];
  const last = tokens[stop]!;
  const head = line.slice(0, last.start);
  const p = last.text.toLowerCase();
  const out: string[] = [];
  for (const c of w.node.children) {
    if (c.hidden) continue;
    if (c.word !== null && c.word.toLowerCase().startsWith(p)) out.push(`${head}${c.word} `);
    if (c.param?.complete) for (const name of c.param.complete(last.text)) out.push(`${head}${name}`);
  }
  const exact = out.filter((o) => o.trimEnd().slice(head.length).toLowerCase() === p);
  return exact.length === 1 ? exact : [...new Set(out)].sort();
}

/** `  label<pad>help`, the label column as wide as the longest label plus two. */
export function formatHelpRows(rows: readonly HelpRow[]): string {
  const width = Math.max(0, ...rows.map((r) => r.label.length)) + 2;
  return rows.map((r) => (r.help ? `  ${r.label.padEnd(width)}${r.help}` : `  ${r.label}`)).join('\n') + '\n';
}

/** `word1  word2  word3`, wrapped at 80 columns. */
export function formatHelpWords(words: readonly string[]): string {
  const lines: string[] = [];
  let cur = '';
  for (const w of words) {
    const piece = `${w}  `;
    if (cur.length + piece.length > 80 && cur !== '') {
      lines.push(cur.trimEnd());
      cur = '';
    }
    cur += piece;
  }
  if (cur !== '') lines.push(cur.trimEnd());
  return lines.join('\n') + '\n';
}
