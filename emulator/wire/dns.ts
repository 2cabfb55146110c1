/**
 * DNS messages (RFC 1035 §4) and the UPDATE opcode (RFC 2136 §2) as the data of a UDP datagram on
 * port 53: the record resolvers and servers exchange, its bytes and its decode tree. The engine
 * carries the message record as the datagram's `data`; bytes are made to size the datagram and
 * when a frame is captured or shown.
 *
 * Names are written with compression (a suffix already written is a pointer to it, §4.1.4) and
 * read with pointers followed, so captures from other tools decode too.
 */

import { formatIpv4 } from '../core/ipv4.ts';
import { hex, viewOf } from './bytes.ts';
import { field, type DecodeNode } from './decode-tree.ts';

export const DNS_PORT = 53;
export const DNS_HEADER_LENGTH = 12;

export const TYPE_A = 1;
export const TYPE_NS = 2;
export const TYPE_CNAME = 5;
export const TYPE_SOA = 6;
export const TYPE_PTR = 12;
export const TYPE_SRV = 33;
export const TYPE_ANY = 255;

export const CLASS_IN = 1;
/** RFC 2136 §2.4/§2.5: NONE deletes one record, ANY deletes a set or asserts it exists. */
export const CLASS_NONE = 254;
export const CLASS_ANY = 255;

export const OPCODE_QUERY = 0;
export const OPCODE_UPDATE = 5;

export const RCODE_NOERROR = 0;
export const RCODE_FORMERR = 1;
export const RCODE_SERVFAIL = 2;
export const RCODE_NXDOMAIN = 3;
export const RCODE_NOTIMP = 4;
export const RCODE_REFUSED = 5;
export const RCODE_NOTAUTH = 9;

const TYPE_NAMES: Record<number, string> = { 1: 'A', 2: 'NS', 5: 'CNAME', 6: 'SOA', 12: 'PTR', 33: 'SRV', 255: 'ANY' };
const RCODE_NAMES: Record<number, string> = { 0: 'No error', 1: 'Format error', 2: 'Server failure', 3: 'No such name', 4: 'Not implemented', 5: 'Refused', 9: 'Not authoritative' };
const OPCODE_NAMES: Record<number, string> = { 0: 'Standard query', 5: 'Dynamic update' };

export function typeName(t: number): string {
  return TYPE_NAMES[t] ?? `TYPE${t}`;
}

export function typeFromName(name: string): number | null {
  const u = name.toUpperCase();
  for (const [k, v] of Object.entries(TYPE_NAMES)) if (v === u) return Number(k);
  return null;
}

export function rcodeName(r: number): string {
  return RCODE_NAMES[r] ?? `Unknown (${r})`;
}

export interface SoaData {
  mname: string;
  rname: string;
  serial: number;
  refresh: number;
  retry: number;
  expire: number;
  minimum: number;
}

export interface SrvData {
  priority: number;
  weight: number;
  port: number;
  target: string;
}

/**
 * Record data by type: an address (uint32) for A, a name for NS/CNAME/PTR, SOA and SRV fields;
 * null for the empty RDATA of an RFC 2136 delete or prerequisite. Other types keep their bytes.
 */
export type DnsRdata = number | string | SoaData | SrvData | Uint8Array | null;

export interface DnsRecord {
  /** Owner name, lower case, without the trailing dot ("" is the root). */
  name: string;
  type: number;
  class: number;
  ttl: number;
  data: DnsRdata;
}

export interface DnsQuestion {
  name: string;
  type: number;
  class: number;
}

export interface DnsMessage {
  readonly kind: 'dns';
  id: number;
  /** Response (QR set). */
  response: boolean;
  opcode: number;
  authoritative: boolean;
  truncated: boolean;
  recursionDesired: boolean;
  recursionAvailable: boolean;
  rcode: number;
  /** For UPDATE, the zone section. */
  questions: DnsQuestion[];
  /** For UPDATE, the prerequisite section. */
  answers: DnsRecord[];
  /** For UPDATE, the update section. */
  authority: DnsRecord[];
  additional: DnsRecord[];
}

export function isDnsMessage(x: unknown): x is DnsMessage {
  return typeof x === 'object' && x !== null && (x as { kind?: unknown }).kind === 'dns';
}

/** Names compare case-insensitively (RFC 4343); the engine keeps them lower case without the final dot. */
export function canonicalName(name: string): string {
  const n = name.toLowerCase();
  return n.endsWith('.') ? n.slice(0, -1) : n;
}

export function dnsQuery(id: number, name: string, type: number, recursionDesired = true): DnsMessage {
  return {
    kind: 'dns', id, response: false, opcode: OPCODE_QUERY, authoritative: false, truncated: false, recursionDesired, recursionAvailable: false, rcode: RCODE_NOERROR,
    questions: [{ name: canonicalName(name), type, class: CLASS_IN }], answers: [], authority: [], additional: [],
  };
}

// ---- encode ---------------------------------------------------------------------------------

class Writer {
  bytes = new Uint8Array(512);
  at = 0;
  private readonly names = new Map<string, number>();

  private room(n: number): void {
    if (this.at + n <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.at + n));
    grown.set(this.bytes);
    this.bytes = grown;
  }

  u8(v: number): void {
    this.room(1);
    this.bytes[this.at++] = v & 0xff;
  }

  u16(v: number): void {
    this.u8(v >>> 8);
    this.u8(v);
  }

  u32(v: number): void {
    this.u16((v >>> 16) & 0xffff);
    this.u16(v & 0xffff);
  }

  raw(b: Uint8Array): void {
    this.room(b.length);
    this.bytes.set(b, this.at);
    this.at += b.length;
  }

  name(name: string): void {
    const labels = name === '' ? [] : name.split('.');
    for (let i = 0; i < labels.length; i++) {
      const suffix = labels.slice(i).join('.').toLowerCase();
      const earlier = this.names.get(suffix);
      if (earlier !== undefined) {
        this.u16(0xc000 | earlier);
        return;
      }
      // Pointers hold 14 bits: a suffix written past that cannot be pointed at.
      if (this.at < 0x4000) this.names.set(suffix, this.at);
      const label = labels[i];
      this.u8(Math.min(label.length, 63));
      for (let k = 0; k < Math.min(label.length, 63); k++) this.u8(label.charCodeAt(k));
    }
    this.u8(0);
  }
}

function writeRdata(w: Writer, r: DnsRecord): void {
  const lengthAt = w.at;
  w.u16(0);
  const start = w.at;
  const d = r.data;
  if (d === null) {
    // RFC 2136 deletes and prerequisites carry no data.
  } else if (r.type === TYPE_A && typeof d === 'number') w.u32(d >>> 0);
  else if ((r.type === TYPE_NS || r.type === TYPE_CNAME || r.type === TYPE_PTR) && typeof d === 'string') w.name(d);
  else if (r.type === TYPE_SOA && typeof d === 'object' && 'mname' in d) {
    w.name(d.mname);
    w.name(d.rname);
    w.u32(d.serial);
    w.u32(d.refresh);
    w.u32(d.retry);
    w.u32(d.expire);
    w.u32(d.minimum);
  } else if (r.type === TYPE_SRV && typeof d === 'object' && 'target' in d) {
    w.u16(d.priority);
    w.u16(d.weight);
    w.u16(d.port);
    // RFC 2782: the target is not compressed.
    for (const label of d.target === '' ? [] : d.target.split('.')) {
      w.u8(label.length);
      for (let k = 0; k < label.length; k++) w.u8(label.charCodeAt(k));
    }
    w.u8(0);
  } else if (d instanceof Uint8Array) w.raw(d);
  const length = w.at - start;
  w.bytes[lengthAt] = length >>> 8;
  w.bytes[lengthAt + 1] = length & 0xff;
}

/** The message as bytes on the wire. */
export function encodeDns(m: DnsMessage): Uint8Array {
  const w = new Writer();
  w.u16(m.id);
  const flags =
    (m.response ? 0x8000 : 0) | ((m.opcode & 0xf) << 11) | (m.authoritative ? 0x0400 : 0) | (m.truncated ? 0x0200 : 0) | (m.recursionDesired ? 0x0100 : 0) | (m.recursionAvailable ? 0x0080 : 0) | (m.rcode & 0xf);
  w.u16(flags);
  w.u16(m.questions.length);
  w.u16(m.answers.length);
  w.u16(m.authority.length);
  w.u16(m.additional.length);
  for (const q of m.questions) {
    w.name(q.name);
    w.u16(q.type);
    w.u16(q.class);
  }
  for (const r of [...m.answers, ...m.authority, ...m.additional]) {
    w.name(r.name);
    w.u16(r.type);
    w.u16(r.class);
    w.u32(r.ttl);
    writeRdata(w, r);
  }
  return w.bytes.slice(0, w.at);
}

export function dnsLength(m: DnsMessage): number {
  return encodeDns(m).length;
}

export function writeDns(m: DnsMessage, bytes: Uint8Array, off: number): number {
  const b = encodeDns(m);
  bytes.set(b.subarray(0, Math.max(0, Math.min(b.length, bytes.length - off))), off);
  return off + b.length;
}

// ---- decode ---------------------------------------------------------------------------------

class DnsFormatError extends Error {}

/** Reads a possibly compressed name at `at`; returns it and where the name ended in place. */
function readName(bytes: Uint8Array, at: number): { name: string; end: number } {
  const labels: string[] = [];
  let pos = at;
  let end = -1;
  for (let hops = 0; hops < 128; hops++) {
    if (pos >= bytes.length) throw new DnsFormatError('name runs past the message');
    const len = bytes[pos];
    if ((len & 0xc0) === 0xc0) {
      if (pos + 1 >= bytes.length) throw new DnsFormatError('pointer runs past the message');
      if (end < 0) end = pos + 2;
      pos = ((len & 0x3f) << 8) | bytes[pos + 1];
      continue;
    }
    if ((len & 0xc0) !== 0) throw new DnsFormatError(`label type ${hex(len, 2)}`);
    if (len === 0) return { name: labels.join('.').toLowerCase(), end: end < 0 ? pos + 1 : end };
    if (pos + 1 + len > bytes.length) throw new DnsFormatError('label runs past the message');
    labels.push(String.fromCharCode(...bytes.subarray(pos + 1, pos + 1 + len)));
    pos += 1 + len;
  }
  throw new DnsFormatError('compression loop');
}

function readRecord(bytes: Uint8Array, at: number): { record: DnsRecord; end: number; rdataAt: number } {
  const v = viewOf(bytes);
  const { name, end } = readName(bytes, at);
  if (end + 10 > bytes.length) throw new DnsFormatError('record runs past the message');
  const type = v.getUint16(end);
  const cls = v.getUint16(end + 2);
  const ttl = v.getUint32(end + 4);
  const rdlength = v.getUint16(end + 8);
  const rdataAt = end + 10;
  if (rdataAt + rdlength > bytes.length) throw new DnsFormatError('RDATA runs past the message');
  let data: DnsRdata = null;
  if (rdlength > 0) {
    if (type === TYPE_A && rdlength === 4) data = v.getUint32(rdataAt);
    else if (type === TYPE_NS || type === TYPE_CNAME || type === TYPE_PTR) data = readName(bytes, rdataAt).name;
    else if (type === TYPE_SOA) {
      const m = readName(bytes, rdataAt);
      const r = readName(bytes, m.end);
      const n = r.end;
      data = { mname: m.name, rname: r.name, serial: v.getUint32(n), refresh: v.getUint32(n + 4), retry: v.getUint32(n + 8), expire: v.getUint32(n + 12), minimum: v.getUint32(n + 16) };
    } else if (type === TYPE_SRV) data = { priority: v.getUint16(rdataAt), weight: v.getUint16(rdataAt + 2), port: v.getUint16(rdataAt + 4), target: readName(bytes, rdataAt + 6).name };
    else data = bytes.slice(rdataAt, rdataAt + rdlength);
  }
  return { record: { name, type, class: cls, ttl, data }, end: rdataAt + rdlength, rdataAt };
}

function className(c: number): string {
  return c === CLASS_IN ? 'IN' : c === CLASS_ANY ? 'ANY' : c === CLASS_NONE ? 'NONE' : `${hex(c, 4)}`;
}

function shown(name: string): string {
  return name === '' ? '<Root>' : name;
}

/** The record as a capture tool lists it: `web.corp.example: type A, class IN, addr 10.0.0.20`. */
export function recordText(r: DnsRecord): string {
  const head = `${shown(r.name)}: type ${typeName(r.type)}, class ${className(r.class)}`;
  const d = r.data;
  if (d === null) return head;
  if (r.type === TYPE_A && typeof d === 'number') return `${head}, addr ${formatIpv4(d)}`;
  if (r.type === TYPE_NS && typeof d === 'string') return `${head}, ns ${d}`;
  if (r.type === TYPE_CNAME && typeof d === 'string') return `${head}, cname ${d}`;
  if (r.type === TYPE_PTR && typeof d === 'string') return `${head}, ${d}`;
  if (r.type === TYPE_SOA && typeof d === 'object' && 'mname' in d) return `${head}, mname ${d.mname}`;
  if (r.type === TYPE_SRV && typeof d === 'object' && 'target' in d) return `${head}, priority ${d.priority}, weight ${d.weight}, port ${d.port}, target ${d.target}`;
  return head;
}

export interface DnsDecode {
  message: DnsMessage;
  nodes: DecodeNode[];
  summary: string;
  problems: string[];
}

/** Reads a message from the datagram's data; null when it is shorter than a header. */
export function decodeDns(bytes: Uint8Array, base: number): DnsDecode | null {
  if (bytes.length < DNS_HEADER_LENGTH) return null;
  const v = viewOf(bytes);
  const flags = v.getUint16(2);
  const counts = [v.getUint16(4), v.getUint16(6), v.getUint16(8), v.getUint16(10)];
  const m: DnsMessage = {
    kind: 'dns',
    id: v.getUint16(0),
    response: (flags & 0x8000) !== 0,
    opcode: (flags >> 11) & 0xf,
    authoritative: (flags & 0x0400) !== 0,
    truncated: (flags & 0x0200) !== 0,
    recursionDesired: (flags & 0x0100) !== 0,
    recursionAvailable: (flags & 0x0080) !== 0,
    rcode: flags & 0xf,
    questions: [],
    answers: [],
    authority: [],
    additional: [],
  };
  const problems: string[] = [];
  const update = m.opcode === OPCODE_UPDATE;
  const sectionNames = update ? ['Zone', 'Prerequisites', 'Updates', 'Additional records'] : ['Queries', 'Answers', 'Authoritative nameservers', 'Additional records'];
  const sections: DecodeNode[] = [];
  let at = DNS_HEADER_LENGTH;
  try {
    const qNodes: DecodeNode[] = [];
    for (let i = 0; i < counts[0]; i++) {
      const { name, end } = readName(bytes, at);
      if (end + 4 > bytes.length) throw new DnsFormatError('question runs past the message');
      const q: DnsQuestion = { name, type: v.getUint16(end), class: v.getUint16(end + 2) };
      m.questions.push(q);
      qNodes.push(field(`${shown(q.name)}: type ${typeName(q.type)}, class ${className(q.class)}`, base + at, end + 4 - at));
      at = end + 4;
    }
    if (qNodes.length > 0) sections.push(field(sectionNames[0], base + DNS_HEADER_LENGTH, at - DNS_HEADER_LENGTH, qNodes));
    const lists = [m.answers, m.authority, m.additional];
    for (let s = 0; s < 3; s++) {
      const start = at;
      const nodes: DecodeNode[] = [];
      for (let i = 0; i < counts[s + 1]; i++) {
        const { record, end } = readRecord(bytes, at);
        lists[s].push(record);
        nodes.push(field(recordText(record), base + at, end - at, [field(`Time to live: ${record.ttl}`, base + at, 0)]));
        at = end;
      }
      if (nodes.length > 0) sections.push(field(sectionNames[s + 1], base + start, at - start, nodes));
    }
  } catch (e) {
    if (!(e instanceof DnsFormatError)) throw e;
    problems.push(`DNS: ${e.message}`);
  }
  const opName = OPCODE_NAMES[m.opcode] ?? `Opcode ${m.opcode}`;
  const head = [
    field(`Transaction ID: ${hex(m.id, 4)}`, base, 2),
    field(`Flags: ${hex(flags, 4)} ${opName}${m.response ? ' response' : ''}${m.response ? `, ${rcodeName(m.rcode)}` : ''}`, base + 2, 2, [
      field(`Response: Message is a ${m.response ? 'response' : 'query'}`, base + 2, 2),
      field(`Opcode: ${opName} (${m.opcode})`, base + 2, 2),
      ...(m.response ? [field(`Authoritative: ${m.authoritative ? 'Server is an authority for domain' : 'Server is not an authority for domain'}`, base + 2, 2)] : []),
      field(`Recursion desired: ${m.recursionDesired ? 'Do query recursively' : "Don't do query recursively"}`, base + 2, 2),
      ...(m.response ? [field(`Reply code: ${rcodeName(m.rcode)} (${m.rcode})`, base + 2, 2)] : []),
    ]),
    field(`${update ? 'Zones' : 'Questions'}: ${counts[0]}`, base + 4, 2),
    field(`${update ? 'Prerequisites' : 'Answer RRs'}: ${counts[1]}`, base + 6, 2),
    field(`${update ? 'Updates' : 'Authority RRs'}: ${counts[2]}`, base + 8, 2),
    field(`Additional RRs: ${counts[3]}`, base + 10, 2),
  ];
  const kindText = update ? (m.response ? 'update response' : 'update') : m.response ? 'response' : 'query';
  const nodes = [field(`Domain Name System (${kindText})`, base, at, [...head, ...sections])];
  const q = m.questions[0];
  const qText = q === undefined ? '' : ` ${typeName(q.type)} ${shown(q.name)}`;
  const answerText = m.answers.map((r) => (r.type === TYPE_A && typeof r.data === 'number' ? ` A ${formatIpv4(r.data)}` : ` ${typeName(r.type)}`)).join('');
  const summary = `${opName}${m.response ? ' response' : ''} ${hex(m.id, 4)}${m.response && m.rcode !== 0 ? ` ${rcodeName(m.rcode)}` : ''}${update ? (q ? ` SOA ${shown(q.name)}` : '') : qText}${m.response && !update ? answerText : ''}`;
  return { message: m, nodes, summary, problems };
}
