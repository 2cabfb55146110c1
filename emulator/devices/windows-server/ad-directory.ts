/**
 * One naming context of an Active Directory database as a small object store: objects by
 * distinguished name, each attribute value carrying its replication metadata (version, the
 * originating DC's invocation ID and USN, the originating time, and the USN it got here).
 *
 * Replication follows the DRS rules in miniature: a destination asks for changes above its
 * high-water mark (the source's USN it has seen) and hands over its up-to-dateness vector, so a
 * change that originated on a DC the destination already has up to that USN is not sent again.
 * A value received wins over the held one when its version is higher; on equal versions the later
 * originating time, then the greater invocation ID, wins.
 */

export interface AttributeValue {
  value: string;
  version: number;
  originInvocation: string;
  originUsn: number;
  originTimeNs: number;
  /** The USN this database stamped when it stored the value (originating or replicated). */
  localUsn: number;
}

/** One attribute value as it travels from source to destination. */
export interface ReplicatedChange {
  dn: string;
  attribute: string;
  value: AttributeValue;
}

export interface ChangesReply {
  changes: ReplicatedChange[];
  /** The source's highest USN: the destination's new high-water mark. */
  highUsn: number;
  /** The source's up-to-dateness vector, merged into the destination's when the changes are in. */
  utd: Map<string, number>;
}

export class NamingContext {
  /** Objects by lower-case DN; attribute name (lower case) → value. */
  readonly objects = new Map<string, Map<string, AttributeValue>>();
  usn: number;
  /** Up-to-dateness vector: invocation ID → the highest originating USN of that DC applied here. */
  readonly utd = new Map<string, number>();
  /** Told about every value stored by replication (not originating writes). */
  onReplicated: ((dn: string, attribute: string) => void) | null = null;

  constructor(
    readonly dn: string,
    public invocationId: string,
    firstUsn: number,
  ) {
    this.usn = firstUsn;
  }

  get(dn: string, attribute: string): string | undefined {
    return this.objects.get(dn.toLowerCase())?.get(attribute.toLowerCase())?.value;
  }

  /** Objects whose DN ends with `suffix` (the object itself included). */
  below(suffix: string): string[] {
    const s = suffix.toLowerCase();
    return [...this.objects.keys()].filter((k) => k === s || k.endsWith(`,${s}`));
  }

  /** An originating write on this DC; a value equal to the held one changes nothing. */
  write(dn: string, attribute: string, value: string, nowNs: number): boolean {
    const key = dn.toLowerCase();
    const attr = attribute.toLowerCase();
    const obj = this.objects.get(key) ?? new Map<string, AttributeValue>();
    const old = obj.get(attr);
    if (old !== undefined && old.value === value) return false;
    const usn = ++this.usn;
    obj.set(attr, { value, version: (old?.version ?? 0) + 1, originInvocation: this.invocationId, originUsn: usn, originTimeNs: nowNs, localUsn: usn });
    this.objects.set(key, obj);
    this.utd.set(this.invocationId, usn);
    return true;
  }

  /** Content every DC of the domain starts with, stamped alike so it never needs to travel. */
  seed(dn: string, attribute: string, value: string, origin: { invocation: string; usn: number }): void {
    const obj = this.objects.get(dn.toLowerCase()) ?? new Map<string, AttributeValue>();
    obj.set(attribute.toLowerCase(), { value, version: 1, originInvocation: origin.invocation, originUsn: origin.usn, originTimeNs: 0, localUsn: 0 });
    this.objects.set(dn.toLowerCase(), obj);
    this.utd.set(origin.invocation, Math.max(this.utd.get(origin.invocation) ?? 0, origin.usn));
  }

  /** What a destination with high-water mark `hwm` and vector `utd` still needs from here. */
  changesFor(hwm: number, utd: ReadonlyMap<string, number>): ChangesReply {
    const changes: ReplicatedChange[] = [];
    for (const [dn, obj] of this.objects) {
      for (const [attribute, v] of obj) {
        if (v.localUsn <= hwm) continue;
        if ((utd.get(v.originInvocation) ?? 0) >= v.originUsn) continue;
        changes.push({ dn, attribute, value: { ...v } });
      }
    }
    changes.sort((a, b) => a.value.localUsn - b.value.localUsn);
    return { changes, highUsn: this.usn, utd: new Map(this.utd) };
  }

  /** Stores what replication brought; returns how many values won. */
  apply(reply: ChangesReply): number {
    let won = 0;
    for (const c of reply.changes) {
      const obj = this.objects.get(c.dn) ?? new Map<string, AttributeValue>();
      const held = obj.get(c.attribute);
      if (held !== undefined && !newer(c.value, held)) continue;
      obj.set(c.attribute, { ...c.value, localUsn: ++this.usn });
      this.objects.set(c.dn, obj);
      won++;
      this.onReplicated?.(c.dn, c.attribute);
    }
    for (const [inv, usn] of reply.utd) if (inv !== this.invocationId) this.utd.set(inv, Math.max(this.utd.get(inv) ?? 0, usn));
    return won;
  }
}

function newer(a: AttributeValue, b: AttributeValue): boolean {
  if (a.version !== b.version) return a.version > b.version;
  if (a.originTimeNs !== b.originTimeNs) return a.originTimeNs > b.originTimeNs;
  return a.originInvocation > b.originInvocation;
}

/** `DC=corp,DC=example` for corp.example. */
export function domainDn(domain: string): string {
  return domain
    .replace(/\.$/, '')
    .split('.')
    .map((l) => `DC=${l}`)
    .join(',');
}

/**
 * A GUID derived from a text (FNV-1a over four lanes), so a DC's GUIDs repeat run after run
 * and differ between DCs; formatted as Windows prints GUIDs.
 */
export function guidFrom(text: string): string {
  const words: number[] = [];
  for (let lane = 0; lane < 4; lane++) {
    let h = (0x811c9dc5 ^ Math.imul(lane + 1, 0x9e3779b1)) >>> 0;
    for (const ch of `${lane}:${text}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
    h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
    words.push((h ^ (h >>> 13)) >>> 0);
  }
  const hex = words.map((w) => w.toString(16).padStart(8, '0')).join('');
  // Version 4 and the RFC 4122 variant bits, as the GUIDs Windows generates carry.
  const v = `${hex.slice(0, 12)}4${hex.slice(13, 16)}${((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16)}${hex.slice(17)}`;
  return `${v.slice(0, 8)}-${v.slice(8, 12)}-${v.slice(12, 16)}-${v.slice(16, 20)}-${v.slice(20, 32)}`;
}
