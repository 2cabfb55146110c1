/**
 * NLB cluster membership and convergence, one host's view (DOMAIN.md §1.4):
 * - every `aliveMsgPeriod` the host broadcasts a heartbeat and checks who it has heard;
 * - a host unheard for `aliveMsgTolerance` periods is declared offline, and any change of
 *   membership (a host leaves, a new host is heard) starts convergence;
 * - convergence ends once the membership has held still for `convergenceMs`; then the bucket
 *   map is recomputed from the new member list. A host keeps handling the buckets it had while
 *   the cluster converges, so the buckets of a departed host go unanswered until the end, and a
 *   joining host handles nothing until it has converged.
 * - hosts that disagree (two hosts with one host ID, different port rules) keep each other
 *   converging: the cluster does not converge until the conflict goes away.
 *
 * Pure state: time comes in as arguments, events go out through `emit`, so the same logic runs
 * under the simulator and in unit tests.
 */
import { formatIpv4 } from '../../core/ipv4.ts';
import { MS } from '../../core/time.ts';

export interface NlbTimers {
  /** AliveMsgPeriod, ms between heartbeats. Default 1000, range 100–10000 [V: MS-KB193601]. */
  aliveMsgPeriodMs: number;
  /** AliveMsgTolerance, missed periods before a host is offline. Default 5, range 5–100 [V]. */
  aliveMsgTolerance: number;
  /**
   * How long the membership must hold still before convergence completes. TechNet gives 2.5–3 s
   * for the whole convergence after detection [V: MS-TN-cc739690]; the algorithm behind it is
   * not published, so LabBox waits this long and completes at the next heartbeat tick [U].
   */
  convergenceMs: number;
}

export const DEFAULT_TIMERS: NlbTimers = { aliveMsgPeriodMs: 1000, aliveMsgTolerance: 5, convergenceMs: 2500 };

export type ConvergenceState = 'stopped' | 'converging' | 'converged';

export interface HeardHeartbeat {
  hostId: number;
  dedicatedIp: number;
  rulesHash: number;
  converging: boolean;
}

interface Member {
  hostId: number;
  dip: number;
  rulesHash: number;
  lastHeardNs: number;
  converging: boolean;
  /** Why this host cannot converge with us, or null. */
  conflict: string | null;
}

export interface SelfIdentity {
  clusterIp: number;
  hostId: number;
  dedicatedIp: number;
  rulesHash: number;
}

export type MembershipEmit = (kind: 'nlb.converging' | 'nlb.converged', text: string) => void;

export class NlbMembership {
  state: ConvergenceState = 'stopped';
  /** Times this host entered convergence since it joined. */
  convergences = 0;
  /** When convergence last completed, or null. */
  lastConvergedNs: number | null = null;
  /** Member host IDs at the last completed convergence (sorted): the bucket map's basis. */
  converged: number[] = [];
  private readonly others = new Map<number, Member>();
  private lastChangeNs = 0;
  private reportedConflicts = new Set<string>();

  constructor(
    private readonly self: SelfIdentity,
    readonly timers: NlbTimers,
    private readonly emit: MembershipEmit,
  ) {}

  get periodNs(): number {
    return this.timers.aliveMsgPeriodMs * MS;
  }

  /** Hosts this one sees now (itself included), sorted. */
  present(): number[] {
    const ids = new Set<number>([this.self.hostId]);
    for (const m of this.others.values()) ids.add(m.hostId);
    return [...ids].sort((a, b) => a - b);
  }

  /** Conflicts currently keeping the cluster from converging. */
  conflicts(): string[] {
    const out: string[] = [];
    for (const m of this.others.values()) if (m.conflict !== null) out.push(m.conflict);
    return out;
  }

  /** The default host: the highest priority (lowest ID) of the converged membership. */
  isDefault(): boolean {
    return this.converged.length > 0 && this.converged[0] === this.self.hostId;
  }

  /** The dedicated IP heartbeats carry (known once TCP/IP holds the address list). */
  setDedicatedIp(ip: number): void {
    this.self.dedicatedIp = ip;
  }

  start(nowNs: number): void {
    this.others.clear();
    this.converged = [];
    this.enterConverging(nowNs, `host ${this.self.hostId} started`);
  }

  stop(): void {
    this.state = 'stopped';
    this.others.clear();
    this.converged = [];
  }

  heard(hb: HeardHeartbeat, nowNs: number): void {
    if (this.state === 'stopped') return;
    const me = this.self;
    let conflict: string | null = null;
    if (hb.hostId === me.hostId) {
      if (hb.dedicatedIp === me.dedicatedIp) return; // our own, looped back
      conflict = `host ${formatIpv4(hb.dedicatedIp)} uses this host's priority ${me.hostId}`;
    } else if (hb.rulesHash !== me.rulesHash) conflict = `host ${hb.hostId} (${formatIpv4(hb.dedicatedIp)}) has different port rules`;
    const key = hb.hostId === me.hostId ? -hb.dedicatedIp - 1 : hb.hostId;
    const prev = this.others.get(key);
    if (prev !== undefined && prev.dip !== hb.dedicatedIp && nowNs - prev.lastHeardNs < this.toleranceNs()) {
      conflict = `hosts ${formatIpv4(prev.dip)} and ${formatIpv4(hb.dedicatedIp)} both use priority ${hb.hostId}`;
    }
    const m: Member = { hostId: hb.hostId, dip: hb.dedicatedIp, rulesHash: hb.rulesHash, lastHeardNs: nowNs, converging: hb.converging, conflict };
    this.others.set(key, m);
    if (conflict !== null) {
      if (!this.reportedConflicts.has(conflict)) {
        this.reportedConflicts.add(conflict);
        this.enterConverging(nowNs, conflict);
      } else if (this.state === 'converged') this.enterConverging(nowNs, conflict);
      return;
    }
    if (prev === undefined || prev.conflict !== null) this.enterConverging(nowNs, `host ${hb.hostId} (${formatIpv4(hb.dedicatedIp)}) joined`);
  }

  private toleranceNs(): number {
    return this.timers.aliveMsgTolerance * this.periodNs;
  }

  /** One heartbeat period passed: declare silent hosts offline, and complete convergence when due. */
  tick(nowNs: number): void {
    if (this.state === 'stopped') return;
    const gone: Member[] = [];
    for (const [key, m] of this.others) {
      if (nowNs - m.lastHeardNs >= this.toleranceNs()) {
        this.others.delete(key);
        gone.push(m);
      }
    }
    const leavers = gone.filter((m) => m.conflict === null);
    if (leavers.length > 0) this.enterConverging(nowNs, leavers.map((m) => `host ${m.hostId} (${formatIpv4(m.dip)}) left`).join(', '));
    else if (gone.length > 0 && this.state === 'converging') this.lastChangeNs = nowNs;
    if (this.state === 'converging' && nowNs - this.lastChangeNs >= this.timers.convergenceMs * MS && this.conflicts().length === 0) this.complete(nowNs);
  }

  private enterConverging(nowNs: number, why: string): void {
    this.lastChangeNs = nowNs;
    if (this.state === 'converging') return;
    this.state = 'converging';
    this.convergences++;
    this.emit('nlb.converging', `NLB cluster [${formatIpv4(this.self.clusterIp)}]: host ${this.self.hostId} is converging (${why})`);
  }

  private complete(nowNs: number): void {
    this.state = 'converged';
    this.lastConvergedNs = nowNs;
    this.converged = this.present();
    this.emit(
      'nlb.converged',
      `NLB cluster [${formatIpv4(this.self.clusterIp)}]: host ${this.self.hostId} converged${this.isDefault() ? ' as DEFAULT host' : ''} with host(s) ${this.converged.join(',')} as part of the cluster`,
    );
  }
}
