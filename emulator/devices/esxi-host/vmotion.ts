/**
 * vMotion as a timed mechanism, kept simple:
 * - pre-copy: the VM's memory crosses at the vMotion bandwidth (the smaller of the two hosts'),
 *   then each further pass resends what the guest dirtied during the previous one, until a pass
 *   leaves little enough or the pass limit is reached;
 * - switchover: the VM is stunned on the source (its vNICs disconnect), the last dirty memory
 *   crosses, plus a fixed hand-over time (a host setting);
 * - arrival: the vNICs connect on the target host, are pinned to an uplink there, and — with
 *   Notify Switches on — a RARP per vNIC tells the physical switches (DOMAIN §2.4, "certain
 *   vMotion operations", VMW-KB1556). With it off nothing is sent for the VM, and the switches
 *   learn the new port only when the guest talks.
 */
import type { Network } from '../../core/network.ts';
import type { EventHandler } from '../../core/scheduler.ts';
import { MS } from '../../core/time.ts';
import type { EsxiHost, EsxiVm } from './host.ts';

/** Pre-copy passes before the VM is stunned whatever is left [U: our choice]. */
export const MAX_PRECOPY_PASSES = 8;
/** A pass leaving less than this much dirty memory ends pre-copy [U: our choice]. */
export const STOP_COPY_BYTES = 16 * 1024 * 1024;

type Phase = 'precopy' | 'switchover' | 'done' | 'failed';

export interface VmotionView {
  vm: string;
  from: string;
  to: string;
  phase: Phase;
  passes: number;
  startedNs: number;
  stunNs: number | null;
  endedNs: number | null;
}

class Move {
  phase: Phase = 'precopy';
  passes = 0;
  passStartNs = 0;
  stunNs: number | null = null;
  endedNs: number | null = null;
  token = -1;
  constructor(
    readonly id: number,
    readonly e: EsxiVm,
    readonly from: EsxiHost,
    readonly to: EsxiHost,
    readonly startedNs: number,
  ) {}
}

const engines = new WeakMap<Network, VmotionEngine>();

export class VmotionEngine implements EventHandler {
  readonly handlerId: number;
  private readonly moves: Move[] = [];

  static of(net: Network): VmotionEngine {
    let e = engines.get(net);
    if (e === undefined) {
      e = new VmotionEngine(net);
      engines.set(net, e);
    }
    return e;
  }

  private constructor(private readonly net: Network) {
    this.handlerId = net.sched.register(this);
  }

  migrate(e: EsxiVm, from: EsxiHost, to: EsxiHost): string | null {
    if (from === to) return `${e.vm.name} already runs on ${to.name}`;
    if (e.vm.state !== 'Running') return `${e.vm.name} is not powered on`;
    if (!to.powered) return `${to.name} is not available`;
    for (const a of e.adapters) if (to.findPortGroup(a.portGroup) === null) return `${to.name} has no port group "${a.portGroup}" for ${e.vm.name}`;
    if (this.moves.some((m) => m.e === e && (m.phase === 'precopy' || m.phase === 'switchover'))) return `${e.vm.name} is already being migrated`;
    const m = new Move(this.moves.length, e, from, to, this.net.now);
    this.moves.push(m);
    m.passes = 1;
    m.passStartNs = this.net.now;
    this.net.emit('esxi.vmotion', `vMotion of ${e.vm.name} from ${from.name} to ${to.name} started (${e.vm.memoryMb} MB)`, from.name, e.vm.name);
    this.after(m, this.transferNs(m, e.vm.memoryMb * 1024 * 1024));
    return null;
  }

  views(): VmotionView[] {
    return this.moves.map((m) => ({
      vm: m.e.vm.name,
      from: m.from.name,
      to: m.to.name,
      phase: m.phase,
      passes: m.passes,
      startedNs: m.startedNs,
      stunNs: m.stunNs,
      endedNs: m.endedNs,
    }));
  }

  /** A host lost power: its moves fail; a VM stunned on a live source resumes there. */
  hostDown(host: EsxiHost): void {
    for (const m of this.moves) {
      if ((m.phase !== 'precopy' && m.phase !== 'switchover') || (m.from !== host && m.to !== host)) continue;
      if (m.token >= 0) this.net.sched.cancel(m.token);
      const stunned = m.phase === 'switchover';
      m.phase = 'failed';
      m.endedNs = this.net.now;
      if (stunned && m.from.powered) m.from.connectVm(m.e, 'power-on');
      this.net.emit('esxi.vmotion', `vMotion of ${m.e.vm.name} to ${m.to.name} failed: ${host.name} lost power`, host.name, m.e.vm.name);
    }
  }

  onEvent(code: number): void {
    const m = this.moves[code];
    m.token = -1;
    if (m.phase === 'precopy') this.passDone(m);
    else if (m.phase === 'switchover') this.arrive(m);
  }

  private bytesPerNs(m: Move): number {
    return Math.min(m.from.options.vmotionBps, m.to.options.vmotionBps) / 8e9;
  }

  private transferNs(m: Move, bytes: number): number {
    return Math.ceil(bytes / this.bytesPerNs(m));
  }

  private after(m: Move, ns: number): void {
    m.token = this.net.sched.schedule(Math.max(0, ns), this.handlerId, m.id, null);
  }

  private passDone(m: Move): void {
    const passNs = this.net.now - m.passStartNs;
    const memBytes = m.e.vm.memoryMb * 1024 * 1024;
    const dirty = Math.min(memBytes, Math.round((m.e.vm.dirtyMbPerSecond * 1024 * 1024 * passNs) / 1e9));
    if (dirty > STOP_COPY_BYTES && m.passes < MAX_PRECOPY_PASSES) {
      m.passes++;
      m.passStartNs = this.net.now;
      this.after(m, this.transferNs(m, dirty));
      return;
    }
    m.phase = 'switchover';
    m.stunNs = this.net.now;
    m.from.disconnectVm(m.e);
    m.e.vm.state = 'Paused';
    this.net.emit(
      'esxi.vmotion',
      `${m.e.vm.name} stunned on ${m.from.name} after ${m.passes} pre-copy pass${m.passes === 1 ? '' : 'es'}, ${(dirty / (1024 * 1024)).toFixed(1)} MB left`,
      m.from.name,
      m.e.vm.name,
    );
    this.after(m, this.transferNs(m, dirty) + m.to.options.vmotionSwitchoverNs);
  }

  private arrive(m: Move): void {
    m.phase = 'done';
    m.endedNs = this.net.now;
    m.to.adoptVm(m.e);
    const total = Math.round((m.endedNs - m.startedNs) / MS);
    const stun = Math.round((m.endedNs - (m.stunNs as number)) / MS);
    this.net.emit('esxi.vmotion', `${m.e.vm.name} now runs on ${m.to.name}: vMotion took ${total} ms, switchover ${stun} ms`, m.to.name, m.e.vm.name);
  }
}
