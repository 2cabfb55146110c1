import { EventHeap } from './event-heap.ts';
import type { Frame } from './frame.ts';

/**
 * Something that receives events. Events carry no closures: a handler id (from `register`), a
 * small integer code the handler interprets, and optionally the frame the event is about.
 */
export interface EventHandler {
  onEvent(code: number, frame: Frame | null): void;
}

/** Called for every executed event when set; used to hash a run's full event log. */
export type EventLogHook = (timeNs: number, handler: number, code: number, frame: Frame | null) => void;

const SLOT_BITS = 2 ** 26;
const GEN_MASK = 0x3ffffff;
/** The near-time wheel covers this many nanoseconds ahead of `now`, one bucket per ns. */
const WHEEL_BITS = 16;
const WHEEL = 1 << WHEEL_BITS;
const WHEEL_MASK = WHEEL - 1;
const WORDS = WHEEL >> 5;

/**
 * The event queue and clock. Events run in order of time, and events at the same nanosecond in
 * the order they were scheduled — the tie-break ns-3 uses, which the benchmark's exact count
 * match depends on.
 *
 * Events due within the next 65 µs sit in a timing wheel with one FIFO bucket per nanosecond
 * (O(1) to add and to take); later ones wait in a (time, sequence) heap and move into the wheel as
 * the clock approaches them. Moving happens whenever the clock advances and before any event at
 * the new time runs, so a moved event always precedes events scheduled directly into the same
 * bucket later, and FIFO order within a bucket is insertion order. Payloads live in preallocated
 * slots addressed by index.
 */
export class Scheduler {
  /** Current simulated time (ns). */
  now = 0;
  /** Events executed so far (cancelled ones are not counted). */
  executed = 0;
  logHook: EventLogHook | null = null;

  /** `now` modulo the wheel size, kept as a small integer so bucket arithmetic never truncates a large double. */
  private nowLow = 0;
  private seq = 0;
  private inWheel = 0;
  private far = new EventHeap();

  // wheel: bucket FIFOs linked through slots, plus a two-level occupancy bitmap
  private head: Int32Array = new Int32Array(WHEEL).fill(-1);
  private tail: Int32Array = new Int32Array(WHEEL).fill(-1);
  private bits: Int32Array = new Int32Array(WORDS);
  private summary: Int32Array = new Int32Array(WORDS >> 5);

  // slots
  private sHandler: Int32Array = new Int32Array(0);
  private sCode: Int32Array = new Int32Array(0);
  private sGen: Int32Array = new Int32Array(0);
  private sNext: Int32Array = new Int32Array(0);
  private sFrame: (Frame | null)[] = [];
  private free: Int32Array = new Int32Array(0);
  private freeTop = 0;

  private handlers: EventHandler[] = [];
  private stopped = false;

  constructor(initialSlots = 1024) {
    this.growSlots(initialSlots);
  }

  /** Register a handler; the returned id is what events are addressed to. */
  register(handler: EventHandler): number {
    this.handlers.push(handler);
    return this.handlers.length - 1;
  }

  /** Events waiting (including cancelled ones not yet reached). */
  get pending(): number {
    return this.inWheel + this.far.size;
  }

  /** Time of the next event, or Infinity when none is queued. */
  nextTime(): number {
    if (this.inWheel > 0) {
      const b = this.nextBucket();
      return this.now + ((b - this.nowLow) & WHEEL_MASK);
    }
    return this.far.minTime();
  }

  /**
   * Schedule an event `delayNs` from now. Returns a token for `cancel`. Delays must be
   * non-negative: time never goes backwards. Fractional times are rounded up to whole ns.
   */
  schedule(delayNs: number, handler: number, code: number, frame: Frame | null): number {
    return this.scheduleAt(this.now + delayNs, handler, code, frame);
  }

  scheduleAt(timeNs: number, handler: number, code: number, frame: Frame | null): number {
    if (!(timeNs >= this.now)) throw new RangeError(`cannot schedule at ${timeNs} ns (now ${this.now} ns)`);
    // the clock ticks in whole nanoseconds: a computed fractional time runs at the next tick
    const slot = this.postAt(Math.ceil(timeNs), handler, code, frame);
    return slot + (this.sGen[slot] & GEN_MASK) * SLOT_BITS;
  }

  /**
   * `scheduleAt` for the forwarding path: returns the slot (a small integer) rather than a
   * cancel token, which would be a heap-allocated double once generations grow.
   */
  postAt(timeNs: number, handler: number, code: number, frame: Frame | null): number {
    if (this.freeTop === 0) this.growSlots(this.sCode.length * 2);
    const slot = this.free[--this.freeTop];
    this.sHandler[slot] = handler;
    this.sCode[slot] = code;
    this.sFrame[slot] = frame;
    const s = this.seq++;
    if (timeNs - this.now < WHEEL) this.toWheel(slot, timeNs);
    else this.far.push(timeNs, s, slot);
    return slot;
  }

  private toWheel(slot: number, timeNs: number): void {
    const b = (this.nowLow + (timeNs - this.now)) & WHEEL_MASK;
    this.sNext[slot] = -1;
    const t = this.tail[b];
    if (t < 0) {
      this.head[b] = slot;
      const w = b >> 5;
      this.bits[w] |= 1 << (b & 31);
      this.summary[w >> 5] |= 1 << (w & 31);
    } else this.sNext[t] = slot;
    this.tail[b] = slot;
    this.inWheel++;
  }

  /** Cancel a scheduled event; a token of an event that already ran is ignored. */
  cancel(token: number): void {
    const slot = token % SLOT_BITS;
    const gen = Math.floor(token / SLOT_BITS);
    if (slot < this.sGen.length && (this.sGen[slot] & GEN_MASK) === gen && this.sHandler[slot] >= 0) {
      this.sHandler[slot] = -1;
      this.sFrame[slot] = null;
    }
  }

  /** Stop the loop after the current event (used by tests and scenario ends). */
  stop(): void {
    this.stopped = true;
  }

  /** First occupied bucket at or after `now` (cyclically); only call with events in the wheel. */
  private nextBucket(): number {
    const bits = this.bits;
    const start = this.nowLow;
    let w = start >> 5;
    let word = bits[w] & (-1 << (start & 31));
    if (word !== 0) return (w << 5) | (31 - Math.clz32(word & -word));
    // scan the summary for the next non-empty word, wrapping once
    const summary = this.summary;
    for (let i = 0; i <= WORDS; i++) {
      w = (w + 1) & (WORDS - 1);
      const sw = w >> 5;
      const sbits = summary[sw] & (-1 << (w & 31));
      if (sbits === 0) {
        // skip to the next summary word
        w = ((sw + 1) << 5) - 1;
        continue;
      }
      w = (sw << 5) | (31 - Math.clz32(sbits & -sbits));
      word = bits[w];
      return (w << 5) | (31 - Math.clz32(word & -word));
    }
    throw new Error('scheduler wheel bookkeeping is inconsistent');
  }

  /** Move far events that the window now reaches into the wheel. */
  private pullFar(): void {
    const far = this.far;
    const limit = this.now + WHEEL;
    while (far.size > 0) {
      const t = far.minTime();
      if (t >= limit) break;
      this.toWheel(far.pop(), t);
    }
  }

  /**
   * Run every event with time <= `endNs`, then leave the clock at `endNs` (if finite).
   * Returns the number of events executed.
   */
  runUntil(endNs: number): number {
    const handlers = this.handlers;
    const start = this.executed;
    this.stopped = false;
    for (;;) {
      let t: number;
      if (this.inWheel > 0) {
        const b = this.nextBucket();
        t = this.now + ((b - this.nowLow) & WHEEL_MASK);
        if (t > endNs) break;
        if (b !== this.nowLow) {
          this.now = t;
          this.nowLow = b;
          if (this.far.size > 0) this.pullFar();
        }
        const slot = this.head[b];
        const next = this.sNext[slot];
        this.head[b] = next;
        if (next < 0) {
          this.tail[b] = -1;
          const w = b >> 5;
          const word = this.bits[w] & ~(1 << (b & 31));
          this.bits[w] = word;
          if (word === 0) this.summary[w >> 5] &= ~(1 << (w & 31));
        }
        this.inWheel--;
        const h = this.sHandler[slot];
        const code = this.sCode[slot];
        // the slot keeps its stale frame reference until reused: frames are pooled, so nothing leaks
        const frame = this.sFrame[slot];
        this.sGen[slot]++;
        this.free[this.freeTop++] = slot;
        if (h < 0) continue;
        this.executed++;
        if (this.logHook !== null) this.logHook(t, h, code, frame);
        handlers[h].onEvent(code, frame);
        if (this.stopped) return this.executed - start;
      } else if (this.far.size > 0) {
        t = this.far.minTime();
        if (t > endNs) break;
        this.setNow(t);
      } else break;
    }
    if (endNs !== Infinity && endNs > this.now) this.setNow(endNs);
    return this.executed - start;
  }

  /** Move the clock forward with no event to run (keeps the wheel window consistent). */
  private setNow(t: number): void {
    this.now = t;
    this.nowLow = (t % WHEEL) | 0;
    if (this.far.size > 0) this.pullFar();
  }

  private growSlots(n: number): void {
    const old = this.sCode.length;
    const g32 = (a: Int32Array): Int32Array => {
      const b = new Int32Array(n);
      b.set(a);
      return b;
    };
    this.sHandler = g32(this.sHandler);
    this.sCode = g32(this.sCode);
    this.sGen = g32(this.sGen);
    this.sNext = g32(this.sNext);
    for (let i = old; i < n; i++) this.sFrame.push(null);
    const free = new Int32Array(n);
    free.set(this.free.subarray(0, this.freeTop));
    for (let i = n - 1; i >= old; i--) free[this.freeTop++] = i;
    this.free = free;
  }
}
