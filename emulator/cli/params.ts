/**
 * Typed command parameters. A parameter reads one or more tokens and yields a value; it also
 * answers `?` (what may go here) and tab (how this partial token could continue).
 */

export interface Token {
  readonly text: string;
  /** Column of the first character in the typed line. */
  readonly start: number;
}

/** A resolved interface name: `GigabitEthernet` + `1/0/1`. */
export interface InterfaceRef {
  readonly type: string;
  readonly number: string;
  /** Canonical full name, `GigabitEthernet1/0/1`. */
  readonly name: string;
}

export type ArgValue = string | number | readonly number[] | InterfaceRef | readonly InterfaceRef[];

export interface ParamRead {
  readonly value: ArgValue;
  /** How many tokens the value took. */
  readonly used: number;
}

export interface ParamType {
  /** What `?` prints in the left column: `<1-4094>`, `WORD`, `LINE`, `H.H.H`, `A.B.C.D`. */
  readonly label: string;
  /** Default help text; a command can give its own. */
  readonly help: string;
  /** Reads a value at `tokens[i]`, or null when the tokens there are not this parameter. */
  read(tokens: readonly Token[], i: number, line: string): ParamRead | null;
  /** Could a token starting with `partial` still become this parameter? Used by `?` on a partial word. */
  couldStart(partial: string): boolean;
  /** Extra `?` rows for this parameter (interface types list themselves). */
  helpRows?(partial: string): readonly HelpRow[];
  /** Completions of a partial token (interface type names); plain values complete to nothing. */
  complete?(partial: string): readonly string[];
  /** Takes every remaining token, so output modifiers (`|`) cannot follow. */
  readonly restOfLine?: boolean;
}

export interface HelpRow {
  readonly label: string;
  readonly help: string;
}

/** A parameter that is one token, whose value `parse` reads from its text (null: not this parameter). */
export function oneToken(label: string, help: string, parse: (text: string) => ArgValue | null, couldStart: (partial: string) => boolean): ParamType {
  return {
    label,
    help,
    read(tokens, i) {
      const t = tokens[i];
      const v = t ? parse(t.text) : null;
      return v === null ? null : { value: v, used: 1 };
    },
    couldStart,
  };
}

export function integer(min: number, max: number, help = ''): ParamType {
  const parse = (text: string): number | null => {
    if (!/^\d+$/.test(text)) return null;
    const n = Number(text);
    return n >= min && n <= max ? n : null;
  };
  return oneToken(`<${min}-${max}>`, help, parse, (p) => /^\d*$/.test(p));
}

export function word(help = '', label = 'WORD'): ParamType {
  return oneToken(label, help, (text) => (text !== '|' ? text : null), () => true);
}

/** Everything to the end of the line, spacing kept (descriptions, names, regexes). */
export function restOfLine(help = '', label = 'LINE'): ParamType {
  return {
    label,
    help,
    restOfLine: true,
    read(tokens, i, line) {
      const t = tokens[i];
      if (!t) return null;
      return { value: line.slice(t.start).trimEnd(), used: tokens.length - i };
    },
    couldStart: () => true,
  };
}

export function parseIpv4(text: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return null;
  let v = 0;
  for (let k = 1; k <= 4; k++) {
    const octet = Number(m[k]);
    if (octet > 255) return null;
    v = v * 256 + octet;
  }
  return v;
}

export function formatIpv4(v: number): string {
  return `${Math.floor(v / 16777216) % 256}.${Math.floor(v / 65536) % 256}.${Math.floor(v / 256) % 256}.${v % 256}`;
}

export function ipv4(help = ''): ParamType {
  return oneToken('A.B.C.D', help, parseIpv4, (p) => /^[\d.]*$/.test(p));
}

/** IOS writes MACs as three dotted groups of four hex digits: `aabb.ccdd.eeff`. */
export function parseDottedMac(text: string): number | null {
  const m = /^([0-9a-f]{1,4})\.([0-9a-f]{1,4})\.([0-9a-f]{1,4})$/i.exec(text);
  if (!m) return null;
  return parseInt(m[1]!, 16) * 2 ** 32 + parseInt(m[2]!, 16) * 2 ** 16 + parseInt(m[3]!, 16);
}

export function formatDottedMac(mac: number): string {
  const hex = mac.toString(16).padStart(12, '0');
  return `${hex.slice(0, 4)}.${hex.slice(4, 8)}.${hex.slice(8, 12)}`;
}

export function dottedMac(help = ''): ParamType {
  return oneToken('H.H.H', help, parseDottedMac, (p) => /^[0-9a-f.]*$/i.test(p));
}

/** `1,10-20,30`: ascending unique ids, each within [min, max]. */
export function parseIdList(text: string, min: number, max: number): number[] | null {
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) return null;
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    if (lo < min || hi > max || hi < lo) return null;
    for (let v = lo; v <= hi; v++) out.add(v);
  }
  return [...out].sort((a, b) => a - b);
}

/** Prints ids the way IOS does in running-config: `1,10-20,30`. */
export function formatIdList(ids: readonly number[]): string {
  const parts: string[] = [];
  let k = 0;
  while (k < ids.length) {
    let j = k;
    while (j + 1 < ids.length && ids[j + 1] === ids[j]! + 1) j++;
    parts.push(j > k ? `${ids[k]}-${ids[j]}` : `${ids[k]}`);
    k = j + 1;
  }
  return parts.join(',');
}

export function idList(min: number, max: number, help = '', label = 'WORD'): ParamType {
  return oneToken(label, help, (text) => parseIdList(text, min, max), (p) => /^[\d,-]*$/.test(p));
}

/** One kind of interface a device has, e.g. GigabitEthernet with numbers like `1/0/1`. */
export interface InterfaceTypeSpec {
  readonly name: string;
  readonly help: string;
  /** Label for `?` after the type: `<1-9>`, `<1-48>`. */
  readonly numberLabel: string;
  readonly numberHelp: string;
  /** Does this number exist (or may it be created, for logical interfaces)? */
  valid(number: string): boolean;
}

function matchTypes(types: readonly InterfaceTypeSpec[], prefix: string): InterfaceTypeSpec[] {
  const p = prefix.toLowerCase();
  const exact = types.filter((t) => t.name.toLowerCase() === p);
  if (exact.length > 0) return exact;
  return types.filter((t) => t.name.toLowerCase().startsWith(p));
}

/** Splits `gi1/0/1` into `gi` + `1/0/1`; returns null for a token without a type part. */
function splitInterfaceToken(text: string): { type: string; number: string } | null {
  const m = /^([A-Za-z][A-Za-z-]*)\s*([\d/.:]*)$/.exec(text);
  return m ? { type: m[1]!, number: m[2]! } : null;
}

/** Reads `Gi1/0/1`, `gi 1/0/1` or `GigabitEthernet1/0/1` (unique type prefix, any case). */
export function readInterface(
  types: readonly InterfaceTypeSpec[],
  tokens: readonly Token[],
  i: number,
): { ref: InterfaceRef; used: number } | null {
  const t = tokens[i];
  if (!t) return null;
  const split = splitInterfaceToken(t.text);
  if (!split) return null;
  const found = matchTypes(types, split.type);
  if (found.length !== 1) return null;
  const type = found[0]!;
  let number = split.number;
  let used = 1;
  if (number === '') {
    const next = tokens[i + 1];
    if (!next || !/^[\d/.:]+$/.test(next.text)) return null;
    number = next.text;
    used = 2;
  }
  if (!type.valid(number)) return null;
  return { ref: { type: type.name, number, name: type.name + number }, used };
}

export function interfaceName(types: readonly InterfaceTypeSpec[], help = ''): ParamType {
  return {
    label: 'interface',
    help,
    read(tokens, i) {
      const r = readInterface(types, tokens, i);
      return r ? { value: r.ref, used: r.used } : null;
    },
    couldStart(partial) {
      const split = splitInterfaceToken(partial);
      if (partial === '') return true;
      return split !== null && matchTypes(types, split.type).length > 0;
    },
    helpRows(partial) {
      const split = splitInterfaceToken(partial);
      if (split && split.number !== '') {
        const t = matchTypes(types, split.type);
        return t.length === 1 ? [{ label: t[0]!.numberLabel, help: t[0]!.numberHelp }] : [];
      }
      const found = partial === '' ? [...types] : matchTypes(types, partial);
      return found.map((t) => ({ label: t.name, help: t.help }));
    },
    complete(partial) {
      return matchTypes(types, partial).map((t) => t.name);
    },
  };
}

/**
 * `interface range` lists: `gi1/0/1 - 4, gi1/0/10`, `Gi1/0/1-4`. The last number component
 * is the one that ranges.
 */
export function parseInterfaceRange(types: readonly InterfaceTypeSpec[], text: string): InterfaceRef[] | null {
  const out: InterfaceRef[] = [];
  const seen = new Set<string>();
  for (const raw of text.split(',')) {
    const part = raw.trim();
    const m = /^([A-Za-z][A-Za-z-]*)\s*([\d/]*?)(\d+)\s*(?:-\s*(\d+))?$/.exec(part);
    if (!m) return null;
    const found = matchTypes(types, m[1]!);
    if (found.length !== 1) return null;
    const type = found[0]!;
    const lo = Number(m[3]);
    const hi = m[4] === undefined ? lo : Number(m[4]);
    if (hi < lo) return null;
    for (let n = lo; n <= hi; n++) {
      const number = `${m[2]}${n}`;
      if (!type.valid(number)) return null;
      const name = type.name + number;
      if (!seen.has(name)) {
        seen.add(name);
        out.push({ type: type.name, number, name });
      }
    }
  }
  return out.length > 0 ? out : null;
}

export function interfaceRange(types: readonly InterfaceTypeSpec[], help = ''): ParamType {
  return {
    label: 'interface-list',
    help,
    restOfLine: true,
    read(tokens, i, line) {
      const t = tokens[i];
      if (!t) return null;
      const v = parseInterfaceRange(types, line.slice(t.start));
      return v ? { value: v, used: tokens.length - i } : null;
    },
    couldStart: (partial) => partial === '' || matchTypes(types, splitInterfaceToken(partial)?.type ?? '').length > 0,
    helpRows: (partial) => matchTypes(types, partial).map((t) => ({ label: t.name, help: t.help })),
    complete: (partial) => matchTypes(types, partial).map((t) => t.name),
  };
}
