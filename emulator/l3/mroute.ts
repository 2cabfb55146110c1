/**
 * The multicast routing table a PIM-SM router keeps: (*,G) entries for the shared tree toward the
 * RP and (S,G) entries for source trees, each with its incoming interface (the RPF interface; -1
 * is Null) and its outgoing interfaces with why each is there (a PIM join, an IGMP member).
 */

/** Null: no incoming interface (the RP's own (*,G), or an RPF lookup that failed). */
export const NULL_IIF = -1;

export interface Oif {
  readonly ifc: number;
  readonly since: number;
  /** A PIM join holds the interface until this time; null: no join. */
  joinExpires: number | null;
  /** A prune was heard: the join goes at this time unless a join overrides it first. */
  prunePending: number | null;
  /** A directly connected member reported the group here (IGMP), and this router is the DR. */
  local: boolean;
}

export interface Mroute {
  /** 0 for (*,G). */
  readonly source: number;
  readonly group: number;
  readonly since: number;
  iif: number;
  /** Where joins go: the RPF neighbour; 0 when the source is directly connected or there is none. */
  rpfNbr: number;
  readonly oifs: Map<number, Oif>;
  /** The upstream neighbour this router has joined toward, if any (so a change can prune the old one). */
  upstream: number | null;
  nextJoin: number;
  /** (S,G): data arrived on the source tree (T). */
  spt: boolean;
  /** (S,G): Keepalive Timer; null when not running. */
  keepalive: number | null;
  /** (S,G) at a first-hop DR: the register state machine (RFC 7761 §4.4.1). */
  register: 'none' | 'join' | 'prune' | 'join-pending';
  registerTimer: number;
  /** (S,G) at the RP: learned from a Register (A, a candidate for MSDP advertisement). */
  registered: boolean;
  /** (S,G) made because an MSDP peer advertised the source (M). */
  msdp: boolean;
  /** (S,G) made by the last-hop router's switch to the source tree (J on the (*,G) that did). */
  sptSwitch: boolean;
  /** Interfaces with (S,G,rpt) prune state: the shared tree does not carry S there. Time it lasts. */
  readonly rptPrunes: Map<number, number>;
  packets: number;
  rpfFailures: number;
}

export function keyOf(source: number, group: number): string {
  return `${source >>> 0}/${group >>> 0}`;
}

export class MrouteTable {
  private readonly entries = new Map<string, Mroute>();

  get(source: number, group: number): Mroute | undefined {
    return this.entries.get(keyOf(source, group));
  }

  create(source: number, group: number, now: number): Mroute {
    const existing = this.get(source, group);
    if (existing !== undefined) return existing;
    const e: Mroute = {
      source,
      group,
      since: now,
      iif: NULL_IIF,
      rpfNbr: 0,
      oifs: new Map(),
      upstream: null,
      nextJoin: 0,
      spt: false,
      keepalive: null,
      register: 'none',
      registerTimer: 0,
      registered: false,
      msdp: false,
      sptSwitch: false,
      rptPrunes: new Map(),
      packets: 0,
      rpfFailures: 0,
    };
    this.entries.set(keyOf(source, group), e);
    return e;
  }

  delete(e: Mroute): void {
    this.entries.delete(keyOf(e.source, e.group));
  }

  /** Every entry, (*,G) before its (S,G)s, groups and sources in address order, as IOS lists them. */
  list(): Mroute[] {
    return [...this.entries.values()].sort((a, b) => (a.group >>> 0) - (b.group >>> 0) || (a.source >>> 0) - (b.source >>> 0));
  }

  sourcesOf(group: number): Mroute[] {
    return this.list().filter((e) => e.group === group && e.source !== 0);
  }
}
