/**
 * One VLAN's MAC address table: open addressing with linear probing over typed arrays, keyed by
 * the 48-bit MAC as a number, so learning and lookup allocate nothing.
 *
 * Values are bridge-port indices (>= 0). A static entry may instead name a port set (value
 * `-2 - setIndex`), used for static multicast / NLB entries that list several interfaces.
 */

const EMPTY = -1;
const INV_TWO32 = 1 / 4294967296;

export const NOT_FOUND = -1;

export interface MacTableEntry {
  mac: number;
  /** Bridge-port index, or `-2 - portSet` for multi-port static entries. */
  port: number;
  isStatic: boolean;
  /** Expiry time (ns); Infinity for static entries. */
  expiresNs: number;
}

export class MacTable {
  private keys: Float64Array = new Float64Array(0);
  private values: Int32Array = new Int32Array(0);
  private expires: Float64Array = new Float64Array(0);
  private statics: Uint8Array = new Uint8Array(0);
  private mask = 0;
  private used = 0;

  constructor(initialCapacity = 16) {
    let cap = 16;
    while (cap < initialCapacity * 2) cap *= 2;
    this.keys = new Float64Array(cap).fill(EMPTY);
    this.values = new Int32Array(cap);
    this.expires = new Float64Array(cap);
    this.statics = new Uint8Array(cap);
    this.mask = cap - 1;
  }

  /** Entries, including ones that have expired but were not looked up since. */
  get size(): number {
    return this.used;
  }

  private slotOf(mac: number): number {
    const lo = mac >>> 0;
    const hi = (mac * INV_TWO32) | 0;
    let h = Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b);
    h ^= h >>> 15;
    return h & this.mask;
  }

  /** Port for `mac`, or NOT_FOUND. An entry whose age has run out is removed on the way. */
  lookup(mac: number, nowNs: number): number {
    const keys = this.keys;
    const mask = this.mask;
    let i = this.slotOf(mac);
    for (;;) {
      const k = keys[i];
      if (k === mac) {
        if (this.expires[i] > nowNs) return this.values[i];
        this.removeAt(i);
        return NOT_FOUND;
      }
      if (k === EMPTY) return NOT_FOUND;
      i = (i + 1) & mask;
    }
  }

  /**
   * Learn `mac` on `port` until `expiresNs`. Returns the port the address was on before when it
   * moved, NOT_FOUND when it was new or on the same port, and -2 when a static entry holds it
   * (static entries are never overwritten by learning).
   */
  learn(mac: number, port: number, expiresNs: number, nowNs: number): number {
    const keys = this.keys;
    const mask = this.mask;
    let i = this.slotOf(mac);
    for (;;) {
      const k = keys[i];
      if (k === mac) {
        if (this.statics[i] !== 0) return -2;
        const old = this.values[i];
        const alive = this.expires[i] > nowNs;
        this.expires[i] = expiresNs;
        if (old === port) return NOT_FOUND;
        this.values[i] = port;
        return alive ? old : NOT_FOUND;
      }
      if (k === EMPTY) break;
      i = (i + 1) & mask;
    }
    if ((this.used + 1) * 2 > keys.length) {
      this.rehash(keys.length * 2);
      return this.learn(mac, port, expiresNs, nowNs);
    }
    keys[i] = mac;
    this.values[i] = port;
    this.expires[i] = expiresNs;
    this.statics[i] = 0;
    this.used++;
    return NOT_FOUND;
  }

  setStatic(mac: number, port: number): void {
    this.remove(mac);
    this.learn(mac, port, Infinity, 0);
    const i = this.find(mac);
    this.statics[i] = 1;
  }

  remove(mac: number): boolean {
    const i = this.find(mac);
    if (i < 0) return false;
    this.removeAt(i);
    return true;
  }

  /** Forget every dynamic entry on `port` (link down, port leaves the VLAN). Returns how many. */
  flushPort(port: number): number {
    return this.flushWhere((v, s) => s === 0 && v === port);
  }

  /** Forget every dynamic entry. */
  flushDynamic(): number {
    return this.flushWhere((_v, s) => s === 0);
  }

  /** Live entries (age not run out) in table order. */
  entries(nowNs: number): MacTableEntry[] {
    const out: MacTableEntry[] = [];
    const keys = this.keys;
    for (let i = 0; i < keys.length; i++) {
      if (keys[i] === EMPTY || this.expires[i] <= nowNs) continue;
      out.push({ mac: keys[i], port: this.values[i], isStatic: this.statics[i] !== 0, expiresNs: this.expires[i] });
    }
    return out;
  }

  private find(mac: number): number {
    let i = this.slotOf(mac);
    for (;;) {
      const k = this.keys[i];
      if (k === mac) return i;
      if (k === EMPTY) return -1;
      i = (i + 1) & this.mask;
    }
  }

  private flushWhere(pred: (value: number, isStatic: number) => boolean): number {
    const victims: number[] = [];
    for (let i = 0; i < this.keys.length; i++) {
      if (this.keys[i] !== EMPTY && pred(this.values[i], this.statics[i])) victims.push(this.keys[i]);
    }
    for (const mac of victims) this.remove(mac);
    return victims.length;
  }

  /** Backward-shift deletion keeps probe chains intact without tombstones. */
  private removeAt(slot: number): void {
    const keys = this.keys;
    const mask = this.mask;
    let hole = slot;
    let i = slot;
    for (;;) {
      i = (i + 1) & mask;
      const k = keys[i];
      if (k === EMPTY) break;
      const home = this.slotOf(k);
      // move k back into the hole if its home is not cyclically in (hole, i]
      const inRange = hole <= i ? home > hole && home <= i : home > hole || home <= i;
      if (!inRange) {
        keys[hole] = k;
        this.values[hole] = this.values[i];
        this.expires[hole] = this.expires[i];
        this.statics[hole] = this.statics[i];
        hole = i;
      }
    }
    keys[hole] = EMPTY;
    this.used--;
  }

  private rehash(capacity: number): void {
    const oldKeys = this.keys;
    const oldValues = this.values;
    const oldExpires = this.expires;
    const oldStatics = this.statics;
    this.keys = new Float64Array(capacity).fill(EMPTY);
    this.values = new Int32Array(capacity);
    this.expires = new Float64Array(capacity);
    this.statics = new Uint8Array(capacity);
    this.mask = capacity - 1;
    this.used = 0;
    for (let j = 0; j < oldKeys.length; j++) {
      const k = oldKeys[j];
      if (k === EMPTY) continue;
      let i = this.slotOf(k);
      while (this.keys[i] !== EMPTY) i = (i + 1) & this.mask;
      this.keys[i] = k;
      this.values[i] = oldValues[j];
      this.expires[i] = oldExpires[j];
      this.statics[i] = oldStatics[j];
      this.used++;
    }
  }
}
