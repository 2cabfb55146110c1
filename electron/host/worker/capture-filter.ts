import { ETHERTYPE_ARP, ETHERTYPE_IPV4, ETHERTYPE_RARP, ETHERTYPE_VLAN, IPPROTO_ICMP, IPPROTO_IGMP, IPPROTO_PIM, IPPROTO_TCP, IPPROTO_UDP } from '../../../emulator/core/packets.ts';
import { parseIpv4, prefixMask } from '../../../emulator/core/ipv4.ts';
import { parseMac } from '../../../emulator/core/mac.ts';
import { decodeFrame } from '../../../emulator/wire/frame.ts';
import { icmpQuotes } from '../../../emulator/wire/icmp.ts';

/**
 * Display filters for the packet list, in the small subset of Wireshark's syntax that people type
 * without thinking: protocol names (`arp`, `icmp`), address and VLAN comparisons
 * (`eth.addr == 02:bf:0a:00:00:32`, `ip.addr == 10.0.0.1`, `vlan.id == 98`), joined with
 * `&&`/`||`/`!` (or `and`/`or`/`not`) and parentheses. A filter compiles once to a predicate over
 * the few fields of a frame it can test, so a long capture is scanned without building decode trees.
 */

/**
 * What a filter reads of a frame: the parts of the decoded frame record (`FrameView`) it tests,
 * so a full record satisfies it and so does the quick read below.
 */
export interface FilterFrame {
  src: number;
  dst: number;
  vlan: number;
  etherType: number;
  payload: FilterPayload | null;
}

type FilterPayload =
  | { readonly kind: 'arp'; op: number; senderIp: number; targetIp: number }
  | { readonly kind: 'ipv4'; src: number; dst: number; ttl: number; protocol: number; payload: FilterIpPayload }
  | { readonly kind: 'lacp' }
  | { readonly kind: 'nlb-heartbeat' }
  | { readonly kind: 'mpls' }
  | { readonly kind: 'opaque' };

type FilterIpPayload =
  | { readonly kind: 'icmp'; type: number }
  | { readonly kind: 'udp'; srcPort: number; dstPort: number }
  | { readonly kind: 'tcp'; srcPort: number; dstPort: number }
  | { readonly kind: 'igmp' }
  | { readonly kind: 'pim' }
  | { readonly kind: 'opaque' };

export type FramePredicate = (frame: FilterFrame) => boolean;

const ARP_BYTES = 28;
const FIRST_BYTES_OF_INNER = 8;

/**
 * The filter's view of captured bytes. Scanning a long capture with the full decoder spends its
 * time on the detail tree's text, so the common clean shapes (tagged or not: ARP, and unfragmented
 * IPv4 carrying ICMP echo, UDP or IGMP) are read here directly; anything else, or anything short
 * or odd, goes to the full decoder, so both always agree on what a frame is.
 */
const TCP_FIXED_HEADER = 20;

export function readFilterFrame(b: Uint8Array): FilterFrame {
  if (b.length < 18) return decodeFrame(b).frame;
  let etherType = u16(b, 12);
  let vlan = 0;
  let off = 14;
  if (etherType === ETHERTYPE_VLAN) {
    vlan = u16(b, 14) & 0x0fff;
    etherType = u16(b, 16);
    off = 18;
  }
  const left = b.length - off;
  let payload: FilterPayload;
  if (etherType === ETHERTYPE_ARP || etherType === ETHERTYPE_RARP) {
    if (left < ARP_BYTES) return decodeFrame(b).frame;
    payload = { kind: 'arp', op: u16(b, off + 6), senderIp: u32(b, off + 14), targetIp: u32(b, off + 24) };
  } else {
    if (etherType !== ETHERTYPE_IPV4 || left < 20) return decodeFrame(b).frame;
    const ihl = (b[off] & 0x0f) * 4;
    const totalLength = u16(b, off + 2);
    const protocol = b[off + 9];
    // Options, fragments and lengths that disagree with the bytes are the full decoder's business.
    if (b[off] >> 4 !== 4 || ihl !== 20 || totalLength > left || totalLength - ihl < FIRST_BYTES_OF_INNER || (u16(b, off + 6) & 0x3fff) !== 0) {
      return decodeFrame(b).frame;
    }
    const inner = off + ihl;
    let ip: FilterIpPayload;
    if (protocol === IPPROTO_ICMP) {
      // Error messages quote a datagram the full decoder reads; echo and the rest carry none.
      if (icmpQuotes(b[inner])) return decodeFrame(b).frame;
      ip = { kind: 'icmp', type: b[inner] };
    } else if (protocol === IPPROTO_UDP) ip = { kind: 'udp', srcPort: u16(b, inner), dstPort: u16(b, inner + 2) };
    else if (protocol === IPPROTO_TCP) {
      // A segment too short for its fixed header is the full decoder's business, as for options.
      if (totalLength - ihl < TCP_FIXED_HEADER) return decodeFrame(b).frame;
      ip = { kind: 'tcp', srcPort: u16(b, inner), dstPort: u16(b, inner + 2) };
    }
    else if (protocol === IPPROTO_IGMP) ip = { kind: 'igmp' };
    else if (protocol === IPPROTO_PIM) ip = { kind: 'pim' };
    else ip = { kind: 'opaque' };
    payload = { kind: 'ipv4', src: u32(b, off + 12), dst: u32(b, off + 16), ttl: b[off + 8], protocol, payload: ip };
  }
  return { src: u16(b, 6) * 0x1_0000_0000 + u32(b, 8), dst: u16(b, 0) * 0x1_0000_0000 + u32(b, 2), vlan, etherType, payload };
}

function u16(b: Uint8Array, o: number): number {
  return (b[o] << 8) | b[o + 1];
}

function u32(b: Uint8Array, o: number): number {
  return ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
}

export class FilterSyntaxError extends Error {
  /** 1-based column where the problem was found, for an error shown under the filter box. */
  readonly column: number;
  constructor(message: string, column: number) {
    super(`${message} (column ${column})`);
    this.name = 'FilterSyntaxError';
    this.column = column;
  }
}

// ---- tokens --------------------------------------------------------------------------------

type TokenKind = 'word' | '(' | ')' | '!' | '&&' | '||' | '==' | '!=' | 'end';
interface Token {
  kind: TokenKind;
  text: string;
  /** 0-based offset in the filter text. */
  at: number;
}

const WORD = /[A-Za-z0-9_.:/\-]/;
const SYMBOLS: [string, TokenKind][] = [
  ['&&', '&&'],
  ['||', '||'],
  ['==', '=='],
  ['!=', '!='],
  ['!', '!'],
  ['(', '('],
  [')', ')'],
];
const KEYWORDS: Record<string, TokenKind> = { and: '&&', or: '||', not: '!', eq: '==', ne: '!=' };

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  outer: while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    for (const [sym, kind] of SYMBOLS) {
      if (text.startsWith(sym, i)) {
        out.push({ kind, text: sym, at: i });
        i += sym.length;
        continue outer;
      }
    }
    if (c === '=') throw new FilterSyntaxError('"=" is not an operator here: compare with "=="', i + 1);
    if (c === '&' || c === '|') throw new FilterSyntaxError(`"${c}" on its own is not an operator: use "${c}${c}"`, i + 1);
    if (!WORD.test(c)) throw new FilterSyntaxError(`unexpected character "${c}"`, i + 1);
    const start = i;
    while (i < text.length && WORD.test(text[i])) i++;
    const word = text.slice(start, i);
    const keyword = KEYWORDS[word.toLowerCase()];
    out.push({ kind: keyword ?? 'word', text: word, at: start });
  }
  out.push({ kind: 'end', text: '', at: text.length });
  return out;
}

// ---- fields --------------------------------------------------------------------------------

const ipv4Of = (f: FilterFrame) => (f.payload?.kind === 'ipv4' ? f.payload : null);

/** Protocols that may be named on their own: true when the frame carries that layer. */
const PROTOCOLS: Record<string, FramePredicate> = {
  eth: () => true,
  vlan: (f) => f.vlan !== 0,
  arp: (f) => f.payload?.kind === 'arp' && f.etherType === ETHERTYPE_ARP,
  rarp: (f) => f.payload?.kind === 'arp' && f.etherType === ETHERTYPE_RARP,
  ip: (f) => ipv4Of(f) !== null,
  icmp: (f) => ipv4Of(f)?.payload.kind === 'icmp',
  udp: (f) => ipv4Of(f)?.payload.kind === 'udp',
  igmp: (f) => ipv4Of(f)?.payload.kind === 'igmp',
  tcp: (f) => ipv4Of(f)?.protocol === IPPROTO_TCP,
  lacp: (f) => f.payload?.kind === 'lacp',
  nlb: (f) => f.payload?.kind === 'nlb-heartbeat',
  mpls: (f) => f.payload?.kind === 'mpls',
};

type ValueKind = 'mac' | 'ipv4' | 'number';

interface FieldSpec {
  kind: ValueKind;
  /** The field's values in this frame (several for `*.addr`); empty when the frame lacks the field. */
  values: (f: FilterFrame) => number[];
}

const NONE: number[] = [];

const FIELDS: Record<string, FieldSpec> = {
  'eth.addr': { kind: 'mac', values: (f) => [f.src, f.dst] },
  'eth.src': { kind: 'mac', values: (f) => [f.src] },
  'eth.dst': { kind: 'mac', values: (f) => [f.dst] },
  'eth.type': { kind: 'number', values: (f) => [f.etherType] },
  'vlan.id': { kind: 'number', values: (f) => (f.vlan !== 0 ? [f.vlan] : NONE) },
  'ip.addr': { kind: 'ipv4', values: (f) => (f.payload?.kind === 'ipv4' ? [f.payload.src, f.payload.dst] : NONE) },
  'ip.src': { kind: 'ipv4', values: (f) => (f.payload?.kind === 'ipv4' ? [f.payload.src] : NONE) },
  'ip.dst': { kind: 'ipv4', values: (f) => (f.payload?.kind === 'ipv4' ? [f.payload.dst] : NONE) },
  'ip.ttl': { kind: 'number', values: (f) => (f.payload?.kind === 'ipv4' ? [f.payload.ttl] : NONE) },
  'arp.src.proto_ipv4': { kind: 'ipv4', values: (f) => (f.payload?.kind === 'arp' ? [f.payload.senderIp] : NONE) },
  'arp.dst.proto_ipv4': { kind: 'ipv4', values: (f) => (f.payload?.kind === 'arp' ? [f.payload.targetIp] : NONE) },
  'arp.opcode': { kind: 'number', values: (f) => (f.payload?.kind === 'arp' ? [f.payload.op] : NONE) },
  'icmp.type': {
    kind: 'number',
    values: (f) => (f.payload?.kind === 'ipv4' && f.payload.payload.kind === 'icmp' ? [f.payload.payload.type] : NONE),
  },
  'udp.port': {
    kind: 'number',
    values: (f) => (f.payload?.kind === 'ipv4' && f.payload.payload.kind === 'udp' ? [f.payload.payload.srcPort, f.payload.payload.dstPort] : NONE),
  },
  'udp.srcport': {
    kind: 'number',
    values: (f) => (f.payload?.kind === 'ipv4' && f.payload.payload.kind === 'udp' ? [f.payload.payload.srcPort] : NONE),
  },
  'tcp.port': {
    kind: 'number',
    values: (f) => (f.payload?.kind === 'ipv4' && f.payload.payload.kind === 'tcp' ? [f.payload.payload.srcPort, f.payload.payload.dstPort] : NONE),
  },
  'udp.dstport': {
    kind: 'number',
    values: (f) => (f.payload?.kind === 'ipv4' && f.payload.payload.kind === 'udp' ? [f.payload.payload.dstPort] : NONE),
  },
};

/** Every name a filter accepts, for help text and completion. */
export const FILTER_NAMES: readonly string[] = [...Object.keys(PROTOCOLS), ...Object.keys(FIELDS)];

/** A value to compare against: `test(v)` is true when field value `v` equals it (or lies in its subnet). */
function parseValue(kind: ValueKind, token: Token): (v: number) => boolean {
  const col = token.at + 1;
  switch (kind) {
    case 'mac': {
      let mac: number;
      try {
        mac = parseMac(token.text);
      } catch {
        throw new FilterSyntaxError(`"${token.text}" is not a MAC address (like 02:bf:0a:00:00:32)`, col);
      }
      return (v) => v === mac;
    }
    case 'ipv4': {
      const [addr, prefixText] = token.text.split('/');
      let ip: number;
      try {
        ip = parseIpv4(addr);
      } catch {
        throw new FilterSyntaxError(`"${token.text}" is not an IPv4 address (like 10.0.0.1 or 10.0.0.0/24)`, col);
      }
      if (prefixText === undefined) return (v) => v === ip;
      const prefix = /^\d{1,2}$/.test(prefixText) ? Number(prefixText) : -1;
      if (prefix < 0 || prefix > 32) throw new FilterSyntaxError(`"/${prefixText}" is not a prefix length from 0 to 32`, col);
      const mask = prefixMask(prefix);
      const net = (ip & mask) >>> 0;
      return (v) => ((v & mask) >>> 0) === net;
    }
    case 'number': {
      const n = /^0x[0-9a-f]+$/i.test(token.text) ? parseInt(token.text, 16) : /^\d+$/.test(token.text) ? Number(token.text) : NaN;
      if (!Number.isFinite(n)) throw new FilterSyntaxError(`"${token.text}" is not a number`, col);
      return (v) => v === n;
    }
  }
}

// ---- parser (recursive descent: || binds loosest, then &&, then !) ---------------------------

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.i];
  }

  private take(): Token {
    return this.tokens[this.i++];
  }

  parseAll(): FramePredicate {
    const p = this.or();
    const t = this.peek();
    if (t.kind !== 'end') throw new FilterSyntaxError(t.kind === ')' ? 'unmatched ")"' : `expected "&&" or "||" before "${t.text}"`, t.at + 1);
    return p;
  }

  private or(): FramePredicate {
    const parts = [this.and()];
    while (this.peek().kind === '||') {
      this.take();
      parts.push(this.and());
    }
    return parts.length === 1 ? parts[0] : (f) => parts.some((p) => p(f));
  }

  private and(): FramePredicate {
    const parts = [this.unary()];
    while (this.peek().kind === '&&') {
      this.take();
      parts.push(this.unary());
    }
    return parts.length === 1 ? parts[0] : (f) => parts.every((p) => p(f));
  }

  private unary(): FramePredicate {
    if (this.peek().kind === '!') {
      this.take();
      const inner = this.unary();
      return (f) => !inner(f);
    }
    return this.primary();
  }

  private primary(): FramePredicate {
    const t = this.take();
    if (t.kind === '(') {
      const inner = this.or();
      const close = this.take();
      if (close.kind !== ')') throw new FilterSyntaxError('missing ")"', close.at + 1);
      return inner;
    }
    if (t.kind === 'end') throw new FilterSyntaxError('the filter ends where a protocol or field was expected', t.at + 1);
    if (t.kind !== 'word') throw new FilterSyntaxError(`expected a protocol or field, found "${t.text}"`, t.at + 1);
    const name = t.text.toLowerCase();
    const op = this.peek();
    const field = FIELDS[name];
    if (op.kind === '==' || op.kind === '!=') {
      if (!field) {
        const hint = PROTOCOLS[name] ? `"${t.text}" is a protocol and cannot be compared` : `unknown field "${t.text}"`;
        throw new FilterSyntaxError(hint, t.at + 1);
      }
      this.take();
      const value = this.take();
      if (value.kind !== 'word') throw new FilterSyntaxError(`expected a value after "${op.text}"`, value.at + 1);
      const test = parseValue(field.kind, value);
      const equal: FramePredicate = (f) => field.values(f).some(test);
      // "!=" reads as "not equal", the way people mean it: ip.addr != X hides every frame to or from X.
      return op.kind === '==' ? equal : (f) => !equal(f);
    }
    const proto = PROTOCOLS[name];
    if (proto) return proto;
    // A field on its own tests that the frame has it, as in Wireshark (`vlan.id`).
    if (field) return (f) => field.values(f).length > 0;
    throw new FilterSyntaxError(`unknown protocol or field "${t.text}"`, t.at + 1);
  }
}

/** Compile a display filter; an empty filter shows every frame. Throws FilterSyntaxError. */
export function compileFilter(text: string): FramePredicate {
  if (text.trim() === '') return () => true;
  return new Parser(tokenize(text)).parseAll();
}
