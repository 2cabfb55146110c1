/**
 * A binary min-heap of (time, sequence, slot) triples over typed arrays: ordered by time, then by
 * insertion sequence. The scheduler keeps events beyond its near-time wheel here.
 */
export class EventHeap {
  size = 0;
  private hTime: Float64Array = new Float64Array(64);
  private hSeq: Float64Array = new Float64Array(64);
  private hSlot: Int32Array = new Int32Array(64);

  minTime(): number {
    return this.size > 0 ? this.hTime[0] : Infinity;
  }

  push(time: number, seq: number, slot: number): void {
    if (this.size === this.hTime.length) this.grow();
    const hTime = this.hTime;
    const hSeq = this.hSeq;
    const hSlot = this.hSlot;
    let hole = this.size++;
    while (hole > 0) {
      const parent = (hole - 1) >> 1;
      const pt = hTime[parent];
      if (pt < time || (pt === time && hSeq[parent] < seq)) break;
      hTime[hole] = pt;
      hSeq[hole] = hSeq[parent];
      hSlot[hole] = hSlot[parent];
      hole = parent;
    }
    hTime[hole] = time;
    hSeq[hole] = seq;
    hSlot[hole] = slot;
  }

  /** Remove the earliest entry and return its slot. */
  pop(): number {
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
    const n = this.hTime.length * 2;
    const t = new Float64Array(n);
    t.set(this.hTime);
    const s = new Float64Array(n);
    s.set(this.hSeq);
    const l = new Int32Array(n);
    l.set(this.hSlot);
    this.hTime = t;
    this.hSeq = s;
    this.hSlot = l;
  }
}
