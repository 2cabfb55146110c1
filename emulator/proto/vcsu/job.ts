/**
 * A VCSU-style firmware update of a Virtual Connect domain (DOMAIN §3.5, VCSU 1.15 help text and
 * readme [V]): health check and configuration backup, copy of the package to every module,
 * update, then activation in the chosen order with a delay between activations. Progress is
 * reported with the utility's own phrases as network events.
 *
 * Activation orders [V]:
 * - parallel: every module at once.
 * - odd-even (Enet default): the backup module first, a forced VCM failover, then the (old)
 *   primary, then the remaining odd bays, finally the even bays.
 * - serial (FC default): backup, failover, primary, then the rest one at a time from the lowest bay.
 * - manual: updated but not activated; the module runs the new firmware after its next restart
 *   (an OA reset, say).
 * FC modules hold no VCM, so their orders have no failover step. Ethernet modules are activated
 * before FC modules [U: order between the two kinds is ours].
 *
 * VCSU waits for a rebooted module by polling ("Waiting for the module to be reachable, retrying
 * after 30 seconds" [V]), so activations land on 30-second steps.
 */
import type { Network } from '../../core/network.ts';
import type { EventHandler } from '../../core/scheduler.ts';
import { SECOND } from '../../core/time.ts';

export const ACTIVATION_ORDERS = ['parallel', 'odd-even', 'serial', 'manual'] as const;
export type ActivationOrder = (typeof ACTIVATION_ORDERS)[number];

/** What the job drives: one interconnect module. */
export interface VcsuModule {
  readonly bay: number;
  readonly name: string;
  readonly kind: 'enet' | 'fc';
  firmware(): string;
  /** Running and reachable. */
  isUp(): boolean;
  /** Write the new image; it runs after the next restart. */
  stage(version: string): void;
  /** Graceful reboot into the staged image. */
  rebootGraceful(): void;
}

/** What the job drives: the domain, through the active OA (`-i`). */
export interface VcsuDomain {
  readonly name: string;
  modules(): VcsuModule[];
  vcmPrimary(): number | null;
  vcmBackup(): number | null;
  forceFailover(): boolean;
}

export interface VcsuTimings {
  /** Health check and configuration backup [U: 60 s]. */
  healthCheckSeconds: number;
  /** Copying the package to all modules in parallel [U: 120 s]. */
  transferSeconds: number;
  /** Update time per module, one after another: ≈20 min per VC-Enet, ≈5 min per VC-FC [V readme]. */
  enetUpdateMinutes: number;
  fcUpdateMinutes: number;
  /** VCSU's poll while waiting for a module or the failover [V: 30 s]. */
  pollSeconds: number;
}

export const DEFAULT_VCSU_TIMINGS: VcsuTimings = {
  healthCheckSeconds: 60,
  transferSeconds: 120,
  enetUpdateMinutes: 20,
  fcUpdateMinutes: 5,
  pollSeconds: 30,
};

export interface VcsuOptions {
  /** Firmware version the package holds (`-l`). */
  version: string;
  enetOrder?: ActivationOrder;
  fcOrder?: ActivationOrder;
  /** Minutes between activations (`-we` / `-wf`, 0–60). */
  enetDelayMinutes?: number;
  fcDelayMinutes?: number;
  timings?: Partial<VcsuTimings>;
}

type Step = { kind: 'activate'; bays: number[]; delayNs: number } | { kind: 'failover'; delayNs: number };

export type JobState = 'running' | 'done' | 'aborted';

const NEXT = 1;
const POLL = 2;

export class VcsuJob implements EventHandler {
  readonly handlerId: number;
  state: JobState = 'running';
  readonly startedNs: number;
  finishedNs: number | null = null;
  /** Progress lines with their simulated time, as the utility prints them. */
  readonly log: { t: number; text: string }[] = [];
  /** Bays in the order they were activated, with the time each activation started. */
  readonly activations: { bay: number; t: number }[] = [];
  private readonly timings: VcsuTimings;
  private readonly phases: (() => void)[] = [];
  private steps: Step[] = [];
  private waiting: Step | null = null;
  private failoverFrom: number | null = null;

  constructor(
    private readonly net: Network,
    private readonly domain: VcsuDomain,
    private readonly options: VcsuOptions,
  ) {
    this.handlerId = net.sched.register(this);
    this.timings = { ...DEFAULT_VCSU_TIMINGS, ...options.timings };
    this.startedNs = net.now;
    for (const o of [options.enetOrder, options.fcOrder]) if (o !== undefined && !ACTIVATION_ORDERS.includes(o)) throw new Error(`unknown activation order: ${o}`);
    for (const d of [options.enetDelayMinutes, options.fcDelayMinutes]) if (d !== undefined && (d < 0 || d > 60)) throw new Error('activation delay must be 0-60 minutes');
    this.healthCheck();
  }

  private say(text: string): void {
    this.log.push({ t: this.net.now, text });
    this.net.emit('vcsu.progress', `VCSU ${this.domain.name}: ${text}`, this.domain.name);
  }

  private after(seconds: number, then: () => void): void {
    this.phases.push(then);
    this.net.sched.schedule(Math.round(seconds * SECOND), this.handlerId, NEXT, null);
  }

  private abort(reason: string): void {
    this.say(`ERROR: ${reason}`);
    this.state = 'aborted';
    this.finishedNs = this.net.now;
  }

  private healthCheck(): void {
    this.say('Initializing');
    this.say('Verifying package signature...');
    if (this.domain.vcmPrimary() === null) return this.abort('Primary VCM not found');
    const down = this.domain.modules().filter((m) => !m.isUp());
    if (down.length > 0) return this.abort(`Module in bay ${down[0].bay} is not available; health check failed`);
    if (this.domain.vcmBackup() !== null) this.say('Checkpoint Validation Succeeded between primary and backup module');
    this.say('Backing up the domain configuration');
    this.after(this.timings.healthCheckSeconds, () => this.transfer());
  }

  private transfer(): void {
    this.say('Transferring firmware images to modules');
    this.after(this.timings.transferSeconds, () => this.update(this.modulesInOrder(), 0));
  }

  private modulesInOrder(): VcsuModule[] {
    return this.domain.modules().sort((a, b) => (a.kind === b.kind ? a.bay - b.bay : a.kind === 'enet' ? -1 : 1));
  }

  private update(list: VcsuModule[], i: number): void {
    if (i === 0) this.say('Updating firmware');
    const m = list[i];
    if (m === undefined) return this.activate();
    if (!m.isUp()) return this.abort(`Module in bay ${m.bay} is not reachable; update failed`);
    this.say(`Bay ${m.bay}: Update progress = 0`);
    const minutes = m.kind === 'enet' ? this.timings.enetUpdateMinutes : this.timings.fcUpdateMinutes;
    this.after(minutes * 60, () => {
      m.stage(this.options.version);
      this.say(`Bay ${m.bay}: Update progress = 100`);
      this.update(list, i + 1);
    });
  }

  /** Steps for one kind of module in one order. */
  private plan(kind: 'enet' | 'fc', order: ActivationOrder, delayMin: number): Step[] {
    const delayNs = delayMin * 60 * SECOND;
    const bays = this.domain.modules().filter((m) => m.kind === kind).map((m) => m.bay).sort((a, b) => a - b);
    if (bays.length === 0 || order === 'manual') return [];
    if (order === 'parallel') return [{ kind: 'activate', bays, delayNs }];
    const steps: Step[] = [];
    let rest = bays;
    if (kind === 'enet') {
      const primary = this.domain.vcmPrimary();
      const backup = this.domain.vcmBackup();
      if (backup !== null && bays.includes(backup)) steps.push({ kind: 'activate', bays: [backup], delayNs }, { kind: 'failover', delayNs: 0 });
      if (primary !== null && bays.includes(primary)) steps.push({ kind: 'activate', bays: [primary], delayNs });
      rest = bays.filter((b) => b !== primary && b !== backup);
    }
    if (order === 'odd-even') {
      const odd = rest.filter((b) => b % 2 === 1);
      const even = rest.filter((b) => b % 2 === 0);
      if (odd.length > 0) steps.push({ kind: 'activate', bays: odd, delayNs });
      if (even.length > 0) steps.push({ kind: 'activate', bays: even, delayNs });
    } else for (const b of rest) steps.push({ kind: 'activate', bays: [b], delayNs });
    return steps;
  }

  private activate(): void {
    const o = this.options;
    const enet = o.enetOrder ?? 'odd-even';
    const fc = o.fcOrder ?? 'serial';
    this.steps = [...this.plan('enet', enet, o.enetDelayMinutes ?? 0), ...this.plan('fc', fc, o.fcDelayMinutes ?? 0)];
    if (enet === 'manual' || fc === 'manual') this.say('Activation order is manual: modules updated but not activated');
    if (this.steps.length > 0) this.say('Starting Activation');
    this.nextStep(true);
  }

  private nextStep(first: boolean): void {
    const s = this.steps.shift();
    if (s === undefined) {
      this.state = 'done';
      this.finishedNs = this.net.now;
      this.say(`Update complete: the job took ${minutesAndSeconds(this.finishedNs - this.startedNs)}`);
      return;
    }
    const go = (): void => this.runStep(s);
    if (!first && s.delayNs > 0) {
      this.say(`Waiting ${s.delayNs / (60 * SECOND)} minutes before the next activation`);
      this.after(s.delayNs / SECOND, go);
    } else go();
  }

  private runStep(s: Step): void {
    if (s.kind === 'failover') {
      this.failoverFrom = this.domain.vcmPrimary();
      this.say('Force failover started');
      if (!this.domain.forceFailover()) return this.abort('Force failover failed. Will not continue');
      this.say('Waiting for backup module to become primary');
    } else {
      const mods = this.domain.modules().filter((m) => s.bays.includes(m.bay));
      for (const m of mods) {
        this.say(`Activating ${m.kind === 'enet' ? 'Enet' : 'FC'} Module in bay ${m.bay}: Activate Progress: 5%`);
        this.activations.push({ bay: m.bay, t: this.net.now });
        m.rebootGraceful();
      }
    }
    this.waiting = s;
    this.net.sched.schedule(this.timings.pollSeconds * SECOND, this.handlerId, POLL, null);
  }

  private poll(): void {
    const s = this.waiting;
    if (s === null) return;
    const done =
      s.kind === 'failover'
        ? this.domain.vcmPrimary() !== null && this.domain.vcmPrimary() !== this.failoverFrom
        : this.domain.modules().filter((m) => s.bays.includes(m.bay)).every((m) => m.isUp());
    if (!done) {
      if (s.kind === 'activate') this.say('Waiting for the module to be reachable, retrying after 30 seconds');
      this.net.sched.schedule(this.timings.pollSeconds * SECOND, this.handlerId, POLL, null);
      return;
    }
    this.waiting = null;
    if (s.kind === 'activate') for (const b of s.bays) this.say(`Bay ${b}: Activate Progress: 100%`);
    this.nextStep(false);
  }

  onEvent(code: number): void {
    if (this.state !== 'running') return;
    if (code === POLL) this.poll();
    else this.phases.shift()?.();
  }

  get durationNs(): number | null {
    return this.finishedNs === null ? null : this.finishedNs - this.startedNs;
  }
}

/** `52 min 30 s`: how a change window is planned and reported. */
function minutesAndSeconds(ns: number): string {
  const total = Math.round(ns / SECOND);
  return `${Math.floor(total / 60)} min ${total % 60} s`;
}
