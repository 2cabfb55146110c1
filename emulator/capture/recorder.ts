/**
 * A capture of one or more ports: the engine's port taps call `record` for every frame seen, and
 * scenario events arrive through `comment`. Frames are encoded to bytes at once because the engine
 * reuses frame objects after delivery; decoding for the packet list happens only when asked.
 *
 * Memory is bounded by a byte budget: when it is exceeded the oldest frames are dropped (the end
 * of a run is usually what someone wants to see), and the export says so plainly.
 *
 * Comments for events that have no frame of their own (a link going down, a module pulled) are
 * attached to the next frame the capture records, prefixed with the event's own time, because
 * packet comments are what tshark and Wireshark show inline. Comments still pending when the
 * capture is exported go into the section comment (capinfos, Wireshark's capture properties).
 */

import { decodeFrame, encodeFrame, type DecodedFrame, type FrameView } from '../wire/frame.ts';
import { writePcapng, type PacketDirection, type PcapngPacket } from '../wire/pcapng.ts';

export const DEFAULT_CAPTURE_BYTES = 64 * 1024 * 1024;
/** Bookkeeping per retained frame, counted against the budget so tiny frames cannot exhaust memory. */
const ENTRY_OVERHEAD = 96;

export interface CaptureOptions {
  /** Byte budget for retained frames and their comments. */
  maxBytes?: number;
  /** Written as the capture's application (shb_userappl). */
  application?: string;
}

export interface CaptureInterfaceInfo {
  name: string;
  description?: string;
}

/** One row of a packet list. */
export interface CapturedPacketInfo {
  /** 1-based frame number as it will appear in the exported file. */
  number: number;
  timeNs: number;
  ifIndex: number;
  interfaceName: string;
  direction: PacketDirection;
  length: number;
  protocol: string;
  summary: string;
  comments: string[];
}

interface Entry {
  timeNs: number;
  ifIndex: number;
  direction: PacketDirection;
  data: Uint8Array;
  comments: string[] | null;
  cost: number;
  /** Packet-list columns, decoded on first display; the full tree is decoded per request, not kept. */
  columns: { protocol: string; summary: string } | null;
}

interface PendingComment {
  timeNs: number;
  text: string;
}

/** Simulated nanoseconds as seconds with nine decimals ("12.000250000 s"). */
export function formatSimTime(ns: number): string {
  const s = Math.floor(ns / 1e9);
  const frac = String(ns - s * 1e9).padStart(9, '0');
  return `${s}.${frac} s`;
}

export class CaptureRecorder {
  private readonly interfaces: CaptureInterfaceInfo[] = [];
  private entries: Entry[] = [];
  /** Index of the oldest retained entry; dropped entries before it are compacted away lazily. */
  private head = 0;
  private bytes = 0;
  private dropped = 0;
  private recorded = 0;
  private pending: PendingComment[] = [];
  private readonly maxBytes: number;
  private readonly application: string;

  constructor(options: CaptureOptions = {}) {
    this.maxBytes = options.maxBytes ?? DEFAULT_CAPTURE_BYTES;
    this.application = options.application ?? 'LabBox';
    if (!(this.maxBytes > 0)) throw new RangeError('capture byte budget must be positive');
  }

  /** Declares a captured port; returns the interface index to pass to `record`. */
  addInterface(name: string, description?: string): number {
    this.interfaces.push(description ? { name, description } : { name });
    return this.interfaces.length - 1;
  }

  interfaceList(): readonly CaptureInterfaceInfo[] {
    return this.interfaces;
  }

  record(timeNs: number, ifIndex: number, frame: FrameView, direction: PacketDirection): void {
    if (ifIndex < 0 || ifIndex >= this.interfaces.length) throw new RangeError(`capture has no interface ${ifIndex}`);
    const data = encodeFrame(frame);
    let comments: string[] | null = null;
    let cost = ENTRY_OVERHEAD + data.length;
    if (this.pending.length > 0) {
      comments = this.pending.map((c) => (c.timeNs === timeNs ? c.text : `[${formatSimTime(c.timeNs)}] ${c.text}`));
      for (const c of comments) cost += c.length * 2;
      this.pending = [];
    }
    this.entries.push({ timeNs, ifIndex, direction, data, comments, cost, columns: null });
    this.bytes += cost;
    this.recorded++;
    this.evict();
  }

  /** A scenario event: becomes the comment of the next frame recorded (see the file comment). */
  comment(timeNs: number, text: string): void {
    this.pending.push({ timeNs, text });
    this.bytes += ENTRY_OVERHEAD + text.length * 2;
    this.evict();
  }

  /** Frames retained (what an export would contain). */
  get frameCount(): number {
    return this.entries.length - this.head;
  }

  /** Frames ever recorded, including ones dropped by the budget. */
  get recordedCount(): number {
    return this.recorded;
  }

  get droppedCount(): number {
    return this.dropped;
  }

  get truncated(): boolean {
    return this.dropped > 0;
  }

  get retainedBytes(): number {
    return this.bytes;
  }

  private evict(): void {
    while (this.bytes > this.maxBytes && this.head < this.entries.length - 1) {
      this.bytes -= this.entries[this.head].cost;
      this.head++;
      this.dropped++;
    }
    // Pending comments never outlive the budget either: oldest go first.
    while (this.bytes > this.maxBytes && this.pending.length > 0) {
      const c = this.pending.shift();
      if (c) this.bytes -= ENTRY_OVERHEAD + c.text.length * 2;
    }
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
  }

  private entry(number: number): Entry {
    const e = this.entries[this.head + number - 1];
    if (!e || number < 1) throw new RangeError(`capture has no frame ${number}`);
    return e;
  }

  private columns(e: Entry): { protocol: string; summary: string } {
    if (!e.columns) {
      const d = decodeFrame(e.data);
      e.columns = { protocol: d.protocol, summary: d.summary };
    }
    return e.columns;
  }

  private truncationNote(): string {
    return (
      `Capture truncated: ${this.dropped} earlier frame(s) were dropped to stay within ` +
      `the ${this.maxBytes}-byte capture budget; ${this.frameCount} of ${this.recorded} frames kept.`
    );
  }

  /** Rows for a packet list, frames `from`..`to` (1-based, inclusive). */
  packets(from = 1, to = this.frameCount): CapturedPacketInfo[] {
    const rows: CapturedPacketInfo[] = [];
    for (let n = Math.max(1, from); n <= Math.min(to, this.frameCount); n++) {
      const e = this.entry(n);
      const d = this.columns(e);
      rows.push({
        number: n,
        timeNs: e.timeNs,
        ifIndex: e.ifIndex,
        interfaceName: this.interfaces[e.ifIndex].name,
        direction: e.direction,
        length: e.data.length,
        protocol: d.protocol,
        summary: d.summary,
        comments: this.commentsOf(n, e),
      });
    }
    return rows;
  }

  /** One frame's bytes as captured (no FCS), for readers that need less than a full decode. */
  frameBytes(number: number): Uint8Array {
    return this.entry(number).data;
  }

  /** The detail tree and record of one frame, for a packet-detail view. */
  detail(number: number): DecodedFrame & { bytes: Uint8Array } {
    const e = this.entry(number);
    return { ...decodeFrame(e.data), bytes: e.data };
  }

  private commentsOf(number: number, e: Entry): string[] {
    const own = e.comments ?? [];
    return number === 1 && this.truncated ? [this.truncationNote(), ...own] : own;
  }

  /** Comments waiting for a frame to carry them. */
  pendingComments(): string[] {
    return this.pending.map((c) => `[${formatSimTime(c.timeNs)}] ${c.text}`);
  }

  toPcapng(): Uint8Array {
    const packets: PcapngPacket[] = [];
    for (let n = 1; n <= this.frameCount; n++) {
      const e = this.entry(n);
      const comments = this.commentsOf(n, e);
      packets.push({
        ifIndex: e.ifIndex,
        timestampNs: e.timeNs,
        data: e.data,
        direction: e.direction,
        ...(comments.length > 0 ? { comments } : {}),
      });
    }
    const sectionComments: string[] = [];
    if (this.truncated) sectionComments.push(this.truncationNote());
    sectionComments.push(...this.pendingComments());
    return writePcapng({
      application: this.application,
      comments: sectionComments,
      interfaces: this.interfaces,
      packets,
    });
  }
}
