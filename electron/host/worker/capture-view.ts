import type { CaptureFrameDetail, CapturePacketRow, CapturePage } from '../contract.ts';
import { formatIpv4 } from '../../../emulator/core/ipv4.ts';
import { formatMac } from '../../../emulator/core/mac.ts';
import type { CapturedPacketInfo } from '../../../emulator/capture/recorder.ts';
import type { CaptureReader } from '../../../emulator/run/types.ts';
import type { FrameView } from '../../../emulator/wire/frame.ts';
import { compileFilter, FilterSyntaxError, readFilterFrame, type FramePredicate } from './capture-filter.ts';

/**
 * Serves packet-list pages of a capture from inside the run's worker, so a capture of a hundred
 * thousand frames never crosses the thread boundary: only the rows on screen do.
 *
 * Captures only grow at the end, so the frames a filter matched stay matched: each capture keeps
 * the matches of the last filter asked for and scans only frames recorded since. When the byte
 * budget drops old frames every number shifts, and the scan starts over.
 */

interface FilterState {
  text: string;
  predicate: FramePredicate;
  /** Frame numbers that passed, ascending. */
  matches: number[];
  /** Frames 1…scanned have been tested. */
  scanned: number;
  /** The reader's dropped count when the scan began; a change renumbers every frame. */
  dropped: number;
}

function endpoints(frame: FrameView): { source: string; destination: string } {
  if (frame.payload?.kind === 'ipv4') return { source: formatIpv4(frame.payload.src), destination: formatIpv4(frame.payload.dst) };
  return { source: formatMac(frame.src), destination: formatMac(frame.dst) };
}

function toRow(info: CapturedPacketInfo, frame: FrameView): CapturePacketRow {
  return {
    number: info.number,
    timeNs: info.timeNs,
    interfaceName: info.interfaceName,
    direction: info.direction,
    ...endpoints(frame),
    protocol: info.protocol,
    length: info.length,
    info: info.summary,
    comments: info.comments,
  };
}

export class CaptureViews {
  private readonly filters = new Map<string, FilterState>();

  constructor(private readonly reader: (captureId: string) => CaptureReader) {}

  page(captureId: string, offset: number, limit: number, filter: string): CapturePage {
    const rec = this.reader(captureId);
    const total = rec.frameCount;
    if (filter.trim() === '') {
      this.filters.delete(captureId);
      const from = Math.min(offset, total) + 1;
      return { total, matched: total, offset, rows: this.rows(rec, Array.from({ length: Math.max(0, Math.min(limit, total - from + 1)) }, (_, i) => from + i)) };
    }
    let state: FilterState;
    try {
      state = this.filterState(captureId, filter, rec);
    } catch (e) {
      if (!(e instanceof FilterSyntaxError)) throw e;
      return { total, matched: 0, offset: 0, rows: [], filterError: { message: e.message, column: e.column } };
    }
    for (let n = state.scanned + 1; n <= total; n++) if (state.predicate(readFilterFrame(rec.frameBytes(n)))) state.matches.push(n);
    state.scanned = total;
    return { total, matched: state.matches.length, offset, rows: this.rows(rec, state.matches.slice(offset, offset + limit)) };
  }

  frame(captureId: string, number: number): CaptureFrameDetail {
    const rec = this.reader(captureId);
    const d = rec.detail(number);
    const [info] = rec.packets(number, number);
    return { ...toRow(info, d.frame), tree: d.tree, bytes: Array.from(d.bytes), problems: d.problems };
  }

  private filterState(captureId: string, text: string, rec: CaptureReader): FilterState {
    const old = this.filters.get(captureId);
    if (old && old.text === text && old.dropped === rec.droppedCount) return old;
    const predicate = old && old.text === text ? old.predicate : compileFilter(text);
    const state: FilterState = { text, predicate, matches: [], scanned: 0, dropped: rec.droppedCount };
    this.filters.set(captureId, state);
    return state;
  }

  private rows(rec: CaptureReader, numbers: number[]): CapturePacketRow[] {
    return numbers.map((n) => toRow(rec.packets(n, n)[0], rec.detail(n).frame));
  }
}
