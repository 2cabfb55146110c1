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

/**
 * The event queue and clock. A binary heap over typed arrays ordered by (time, insertion
 * sequence), so events at the same nanosecond run in the order they were scheduled — the same
 * tie-break ns-3 uses, which the benchmark's exact count match depends on. Event payloads live in
 * preallocated slots; the heap moves only (time, seq, slot) triples.
 */
export class Scheduler {
  /** Current simulated time (ns). */
  now = 0;
  /** Events executed so far (cancelled ones are not counted). */
  executed = 0;
  logHook: EventLogHook | null = null;

  private seq = 0;
  private size = 0;
  // Every field gets its final type at declaration: under define semantics a bare declaration
  // starts as undefined, which widens V8's field representation on the hot path.
  private hTime: Float64Array = new Float64Array(0);
  private hSeq: Float64Array = new Float64Array(0);
  private hSlot: Int32Array = new Int32Array(0);

  private sHandler: Int32Array = new Int32Array(0);
  private sCode: Int32Array = new Int32Array(0);
  private sGen: Int32Array = new Int32Array(0);
  private sFrame: (Frame | null)[] = [];
  private free: Int32Array = new Int32Array(0);
  private freeTop = 0;

  private handlers: EventHandler[] = [];
  private stopped = false;

  constructor(initialCapacity = 1024) {
    const n = initialCapacity;
    this.hTime = new Float64Array(n);
    this.hSeq = new Float64Array(n);
    this.hSlot = new Int32Array(n);
    this.sHandler = new Int32Array(n);
    this.sCode = new Int32Array(n);
    this.sGen = new Int32Array(n);
    this.sFrame = new Array<Frame | null>(n).fill(null);
    this.free = new Int32Array(n);
    for (let i = 0; i < n; i++) this.free[i] = n - 1 - i;
    this.freeTop = n;
  }

  /** Register a handler; the returned id is what events are addressed to. */
  register(handler: EventHandler): number {
    this.handlers.push(handler);
    return this.handlers.length - 1;
  }

  /** Events waiting. */
  get pending(): number {
    return this.size;
  }

  /** Time of the next event, or Infinity when none is queued. */
  nextTime(): number {
    return this.size > 0 ? this.hTime[0] : Infinity;
  }

  /**
   * Schedule an event `delayNs` from now. Returns a token for `cancel`. Delays must be
   * non-negative integers: time never goes backwards and never becomes fractional.
   */
  schedule(delayNs: number, handler: number, code: number, frame: Frame | null): number {
    return this.scheduleAt(this.now + delayNs, handler, code, frame);
  }

  scheduleAt(timeNs: number, handler: number, code: number, frame: Frame | null): number {
    if (this.freeTop === 0) this.grow();
    const slot = this.free[--this.freeTop];
    this.sHandler[slot] = handler;
    this.sCode[slot] = code;
    this.sFrame[slot] = frame;
    const s = this.seq++;
    // sift the hole up from the end
    const hTime = this.hTime;
    const hSeq = this.hSeq;
    const hSlot = this.hSlot;
    let hole = this.size++;
    while (hole > 0) {
      const parent = (hole - 1) >> 1;
      const pt = hTime[parent];
      if (pt < timeNs || (pt === timeNs && hSeq[parent] < s)) break;
      hTime[hole] = pt;
      hSeq[hole] = hSeq[parent];
      hSlot[hole] = hSlot[parent];
      hole = parent;
    }
    hTime[hole] = timeNs;
    hSeq[hole] = s;
    hSlot[hole] = slot;
    return slot + (this.sGen[slot] & GEN_MASK) * SLOT_BITS;
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

  /**
   * Run every event with time <= `endNs`, then leave the clock at `endNs` (if finite).
   * Returns the number of events executed.
   */
  runUntil(endNs: number): number {
    const handlers = this.handlers;
    const start = this.executed;
    this.stopped = false;
    while (this.size > 0) {
      const t = this.hTime[0];
      if (t > endNs) break;
      const slot = this.popTop();
      this.now = t;
      const h = this.sHandler[slot];
      const code = this.sCode[slot];
      const frame = this.sFrame[slot];
      this.sFrame[slot] = null;
      this.sGen[slot]++;
      this.free[this.freeTop++] = slot;
      if (h < 0) continue;
      this.executed++;
      if (this.logHook !== null) this.logHook(t, h, code, frame);
      handlers[h].onEvent(code, frame);
      if (this.stopped) return this.executed - start;
    }
    if (endNs !== Infinity && endNs > this.now) this.now = endNs;
    return this.executed - start;
  }

  private popTop(): number {
    const hTime = this.hTime;
    const hSeq = this.hSeq;
    const hSlot = this.hSlot;
    const top = hSlot[0];
    const n = --this.size;
    if (n === 0) return top;
    const t = hTime[n];
    const s = hSeq[n];
    const sl = hSlot[n];
    let hole = 0;
    for (;;) {
      let child = 2 * hole + 1;
      if (child >= n) break;
      let ct = hTime[child];
      const right = child + 1;
      if (right < n) {
        const rt = hTime[right];
        if (rt < ct || (rt === ct && hSeq[right] < hSeq[child])) {
          child = right;
          ct = rt;
        }
      }
      if (t < ct || (t === ct && s < hSeq[child])) break;
      hTime[hole] = ct;
      hSeq[hole] = hSeq[child];
      hSlot[hole] = hSlot[child];
      hole = child;
    }
    hTime[hole] = t;
    hSeq[hole] = s;
    hSlot[hole] = sl;
    return top;
  }

  private grow(): void {
    const old = this.hTime.length;
    const n = old * 2;
    const grow64 = (a: Float64Array): Float64Array => {
      const b = new Float64Array(n);
      b.set(a);
      return b;
    };
    const grow32 = (a: Int32Array): Int32Array => {
      const b = new Int32Array(n);
      b.set(a);
      return b;
    };
    this.hTime = grow64(this.hTime);
    this.hSeq = grow64(this.hSeq);
    this.hSlot = grow32(this.hSlot);
    this.sHandler = grow32(this.sHandler);
    this.sCode = grow32(this.sCode);
    this.sGen = grow32(this.sGen);
    for (let i = old; i < n; i++) this.sFrame.push(null);
    const free = new Int32Array(n);
    free.set(this.free.subarray(0, this.freeTop));
    for (let i = n - 1; i >= old; i--) free[this.freeTop++] = i;
    this.free = free;
  }
}
