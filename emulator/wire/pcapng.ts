/**
 * pcapng (the capture format Wireshark writes by default) as far as LabBox needs it: one section,
 * one Interface Description Block per captured port, Enhanced Packet Blocks with nanosecond
 * timestamps, a direction flag and comments. Written little-endian; read in either byte order.
 *
 * Block layout: type (4), total length (4), body, options, total length again (4). Options are
 * code (2), length (2), value padded to 4 bytes, ended by opt_endofopt (code 0, length 0).
 */

import { utf8Decode, utf8Encode } from './bytes.ts';

export const LINKTYPE_ETHERNET = 1;

const BLOCK_SHB = 0x0a0d0d0a;
const BLOCK_IDB = 0x00000001;
const BLOCK_SPB = 0x00000003;
const BLOCK_EPB = 0x00000006;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;

const OPT_ENDOFOPT = 0;
const OPT_COMMENT = 1;
const OPT_SHB_HARDWARE = 2;
const OPT_SHB_OS = 3;
const OPT_SHB_USERAPPL = 4;
const OPT_IF_NAME = 2;
const OPT_IF_DESCRIPTION = 3;
const OPT_IF_TSRESOL = 9;
const OPT_EPB_FLAGS = 2;

/** epb_flags bits 0–1: 01 inbound, 10 outbound. */
const FLAG_INBOUND = 1;
const FLAG_OUTBOUND = 2;

const TWO_32 = 0x1_0000_0000;
const NS_RESOLUTION = 9;

export type PacketDirection = 'in' | 'out';

export interface PcapngInterface {
  name: string;
  description?: string;
  /** LINKTYPE_* value; Ethernet when absent. */
  linkType?: number;
  /** 0 means no limit. */
  snapLength?: number;
}

export interface PcapngPacket {
  ifIndex: number;
  /** Nanoseconds since the epoch of the capture (simulated time for LabBox). */
  timestampNs: number;
  data: Uint8Array;
  /** Length on the wire when `data` was cut short; defaults to `data.length`. */
  originalLength?: number;
  direction?: PacketDirection;
  comments?: string[];
}

export interface PcapngCapture {
  /** shb_userappl: the application that wrote the file. */
  application?: string;
  hardware?: string;
  os?: string;
  /** Section comments (shown by `capinfos` and Wireshark's capture file properties). */
  comments?: string[];
  interfaces: PcapngInterface[];
  packets: PcapngPacket[];
}


function pad4(n: number): number {
  return (n + 3) & ~3;
}

interface Option {
  code: number;
  value: Uint8Array;
}

function textOption(code: number, text: string): Option {
  return { code, value: utf8Encode(text) };
}

function u32Option(code: number, value: number): Option {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, value, true);
  return { code, value: bytes };
}

function optionsLength(options: Option[]): number {
  if (options.length === 0) return 0;
  return options.reduce((n, o) => n + 4 + pad4(o.value.length), 0) + 4;
}

function writeOptions(bytes: Uint8Array, view: DataView, off: number, options: Option[]): number {
  if (options.length === 0) return off;
  for (const o of options) {
    if (o.value.length > 0xffff) throw new RangeError(`pcapng option ${o.code} longer than 65535 bytes`);
    view.setUint16(off, o.code, true);
    view.setUint16(off + 2, o.value.length, true);
    bytes.set(o.value, off + 4);
    off += 4 + pad4(o.value.length);
  }
  view.setUint16(off, OPT_ENDOFOPT, true);
  view.setUint16(off + 2, 0, true);
  return off + 4;
}

interface Block {
  type: number;
  bodyLength: number;
  fillBody: (view: DataView, off: number, bytes: Uint8Array) => void;
  options: Option[];
}

function blockLength(b: Block): number {
  return 8 + pad4(b.bodyLength) + optionsLength(b.options) + 4;
}

/** Writes a whole block at `off`: type, length, fixed body, options, length again. */
function writeBlock(bytes: Uint8Array, view: DataView, off: number, b: Block): number {
  const total = blockLength(b);
  view.setUint32(off, b.type, true);
  view.setUint32(off + 4, total, true);
  b.fillBody(view, off + 8, bytes);
  writeOptions(bytes, view, off + 8 + pad4(b.bodyLength), b.options);
  view.setUint32(off + total - 4, total, true);
  return off + total;
}

function sectionHeader(c: PcapngCapture): Block {
  const options: Option[] = [];
  for (const text of c.comments ?? []) options.push(textOption(OPT_COMMENT, text));
  if (c.hardware) options.push(textOption(OPT_SHB_HARDWARE, c.hardware));
  if (c.os) options.push(textOption(OPT_SHB_OS, c.os));
  if (c.application) options.push(textOption(OPT_SHB_USERAPPL, c.application));
  return {
    type: BLOCK_SHB,
    bodyLength: 16,
    fillBody: (v, at) => {
      v.setUint32(at, BYTE_ORDER_MAGIC, true);
      v.setUint16(at + 4, 1, true);
      v.setUint16(at + 6, 0, true);
      // Section length unknown (-1): readers walk the blocks instead.
      v.setUint32(at + 8, 0xffffffff, true);
      v.setUint32(at + 12, 0xffffffff, true);
    },
    options,
  };
}

function interfaceDescription(i: PcapngInterface): Block {
  const options: Option[] = [textOption(OPT_IF_NAME, i.name)];
  if (i.description) options.push(textOption(OPT_IF_DESCRIPTION, i.description));
  options.push({ code: OPT_IF_TSRESOL, value: Uint8Array.of(NS_RESOLUTION) });
  return {
    type: BLOCK_IDB,
    bodyLength: 8,
    fillBody: (v, at) => {
      v.setUint16(at, i.linkType ?? LINKTYPE_ETHERNET, true);
      v.setUint16(at + 2, 0, true);
      v.setUint32(at + 4, i.snapLength ?? 0, true);
    },
    options,
  };
}

const INBOUND_OPTION = u32Option(OPT_EPB_FLAGS, FLAG_INBOUND);
const OUTBOUND_OPTION = u32Option(OPT_EPB_FLAGS, FLAG_OUTBOUND);

function enhancedPacket(p: PcapngPacket): Block {
  const options: Option[] = [];
  for (const text of p.comments ?? []) options.push(textOption(OPT_COMMENT, text));
  if (p.direction) options.push(p.direction === 'in' ? INBOUND_OPTION : OUTBOUND_OPTION);
  const t = Math.max(0, Math.floor(p.timestampNs));
  return {
    type: BLOCK_EPB,
    bodyLength: 20 + p.data.length,
    fillBody: (v, at, bytes) => {
      v.setUint32(at, p.ifIndex, true);
      v.setUint32(at + 4, Math.floor(t / TWO_32), true);
      v.setUint32(at + 8, t % TWO_32, true);
      v.setUint32(at + 12, p.data.length, true);
      v.setUint32(at + 16, p.originalLength ?? p.data.length, true);
      bytes.set(p.data, at + 20);
    },
    options,
  };
}

export function writePcapng(capture: PcapngCapture): Uint8Array {
  const blocks: Block[] = [sectionHeader(capture)];
  for (const i of capture.interfaces) blocks.push(interfaceDescription(i));
  for (const p of capture.packets) {
    if (p.ifIndex < 0 || p.ifIndex >= capture.interfaces.length) {
      throw new RangeError(`packet on interface ${p.ifIndex}, but only ${capture.interfaces.length} interfaces are described`);
    }
    blocks.push(enhancedPacket(p));
  }
  let total = 0;
  for (const b of blocks) total += blockLength(b);
  // One buffer for the whole file: zero-filled, so padding needs no writes of its own.
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  let off = 0;
  for (const b of blocks) off = writeBlock(out, view, off, b);
  return out;
}

export class PcapngFormatError extends Error {
  constructor(message: string, offset: number) {
    super(`pcapng: ${message} at byte ${offset}`);
    this.name = 'PcapngFormatError';
  }
}

interface ReadInterface extends PcapngInterface {
  /** Timestamp units per second. */
  unitsPerSecond: number;
}

function readOptions(view: DataView, bytes: Uint8Array, off: number, end: number, le: boolean): Option[] {
  const options: Option[] = [];
  while (off + 4 <= end) {
    const code = view.getUint16(off, le);
    const length = view.getUint16(off + 2, le);
    if (code === OPT_ENDOFOPT) break;
    if (off + 4 + length > end) throw new PcapngFormatError(`option ${code} overruns its block`, off);
    options.push({ code, value: bytes.slice(off + 4, off + 4 + length) });
    off += 4 + pad4(length);
  }
  return options;
}

function resolution(value: Uint8Array): number {
  const r = value[0];
  // High bit set: a negative power of two; otherwise a negative power of ten.
  return r & 0x80 ? 2 ** (r & 0x7f) : 10 ** r;
}

/**
 * Reads a capture written by LabBox or any other pcapng writer (EPB and SPB packets; other block
 * types are skipped). Timestamps are converted to nanoseconds.
 */
export function readPcapng(bytes: Uint8Array): PcapngCapture {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const capture: PcapngCapture = { interfaces: [], packets: [], comments: [] };
  let interfaces: ReadInterface[] = [];
  let ifBase = 0;
  let le = true;
  let off = 0;
  if (bytes.length < 12 || view.getUint32(0, true) !== BLOCK_SHB) throw new PcapngFormatError('not a pcapng file (no section header)', 0);
  while (off + 12 <= bytes.length) {
    const type = view.getUint32(off, le);
    if (type === BLOCK_SHB) {
      const magic = view.getUint32(off + 8, true);
      if (magic === BYTE_ORDER_MAGIC) le = true;
      else if (magic === 0x4d3c2b1a) le = false;
      else throw new PcapngFormatError('bad byte-order magic', off + 8);
      ifBase = capture.interfaces.length;
      interfaces = [];
    }
    const total = view.getUint32(off + 4, le);
    if (total < 12 || total % 4 !== 0 || off + total > bytes.length) throw new PcapngFormatError(`bad block length ${total}`, off + 4);
    if (view.getUint32(off + total - 4, le) !== total) throw new PcapngFormatError('trailing block length differs from the leading one', off + total - 4);
    const body = off + 8;
    const end = off + total - 4;
    switch (type) {
      case BLOCK_SHB: {
        for (const o of readOptions(view, bytes, body + 16, end, le)) {
          const text = utf8Decode(o.value);
          if (o.code === OPT_COMMENT) capture.comments?.push(text);
          else if (o.code === OPT_SHB_HARDWARE) capture.hardware = text;
          else if (o.code === OPT_SHB_OS) capture.os = text;
          else if (o.code === OPT_SHB_USERAPPL) capture.application = text;
        }
        break;
      }
      case BLOCK_IDB: {
        const i: ReadInterface = {
          name: '',
          linkType: view.getUint16(body, le),
          snapLength: view.getUint32(body + 4, le),
          unitsPerSecond: 1e6,
        };
        for (const o of readOptions(view, bytes, body + 8, end, le)) {
          if (o.code === OPT_IF_NAME) i.name = utf8Decode(o.value);
          else if (o.code === OPT_IF_DESCRIPTION) i.description = utf8Decode(o.value);
          else if (o.code === OPT_IF_TSRESOL && o.value.length >= 1) i.unitsPerSecond = resolution(o.value);
        }
        interfaces.push(i);
        const { unitsPerSecond: _units, ...described } = i;
        capture.interfaces.push(described);
        break;
      }
      case BLOCK_EPB: {
        const ifIndex = view.getUint32(body, le);
        const iface = interfaces[ifIndex];
        if (!iface) throw new PcapngFormatError(`packet on undescribed interface ${ifIndex}`, body);
        const ts = view.getUint32(body + 4, le) * TWO_32 + view.getUint32(body + 8, le);
        const captured = view.getUint32(body + 12, le);
        const original = view.getUint32(body + 16, le);
        if (body + 20 + captured > end) throw new PcapngFormatError('packet data overruns its block', body + 12);
        const p: PcapngPacket = {
          ifIndex: ifBase + ifIndex,
          timestampNs: iface.unitsPerSecond === 1e9 ? ts : Math.round((ts * 1e9) / iface.unitsPerSecond),
          data: bytes.slice(body + 20, body + 20 + captured),
          originalLength: original,
        };
        for (const o of readOptions(view, bytes, body + 20 + pad4(captured), end, le)) {
          if (o.code === OPT_COMMENT) (p.comments ??= []).push(utf8Decode(o.value));
          else if (o.code === OPT_EPB_FLAGS && o.value.length === 4) {
            const dir = new DataView(o.value.buffer).getUint32(0, le) & 3;
            if (dir === FLAG_INBOUND) p.direction = 'in';
            else if (dir === FLAG_OUTBOUND) p.direction = 'out';
          }
        }
        capture.packets.push(p);
        break;
      }
      case BLOCK_SPB: {
        const iface = interfaces[0];
        if (!iface) throw new PcapngFormatError('simple packet without an interface', body);
        const original = view.getUint32(body, le);
        const captured = Math.min(original, end - body - 4);
        capture.packets.push({ ifIndex: ifBase, timestampNs: 0, data: bytes.slice(body + 4, body + 4 + captured), originalLength: original });
        break;
      }
      default:
        break;
    }
    off += total;
  }
  if (off !== bytes.length) throw new PcapngFormatError('trailing bytes after the last block', off);
  return capture;
}
