/**
 * Hyper-V live migration as a timed mechanism (DOMAIN.md §2.3):
 * - pre-copy: memory is copied while the VM runs; each pass re-sends what the guest dirtied
 *   during the previous one, at most 5 passes (WS2012 R2+ [V]);
 * - blackout: the VM pauses on the source, the remaining dirty pages and device state cross,
 *   and the VM resumes on the target;
 * - then an unsolicited ARP reply per VM address leaves the target host so switches and routers
 *   learn the new port [V].
 *
 * Copy time is bytes over the migration network: each host has a migration bandwidth, and the
 * transfers running on a host share it equally (a transfer gets the smaller of its share at the
 * source and at the target), so several VMs moved at once each take longer. A host runs at most
 * `maxSimultaneous` migrations (Hyper-V's "Simultaneous live migrations", default 2 [U: recalled
 * product default]); the rest wait in order.
 */
import type { Network } from '../../core/network.ts';
import type { EventHandler } from '../../core/scheduler.ts';
import { MS } from '../../core/time.ts';
import type { ExternalVSwitch } from './vswitch.ts';
import type { VirtualMachine } from './vm.ts';

/** WS2012 R2 copies memory in at most this many passes before it pauses the VM (DOMAIN §2.3 [V]). */
export const MAX_COPY_PASSES = 5;
/** Pre-copy stops early once a pass leaves this little dirty memory; our choice [U]. */
export const STOP_COPY_BYTES = 16 * 1024 * 1024;
/** Device state (CPU, devices) sent during the blackout; our choice [U]. */
export const DEVICE_STATE_BYTES = 1024 * 1024;
/**
 * Fixed part of the blackout besides moving bytes: pausing, handing storage and the vNIC over,
 * resuming. "Milliseconds, below TCP timeouts" [V]; the figure is our choice [U], a host setting.
 */
export const DEFAULT_SWITCHOVER_NS = 50 * MS;
export const DEFAULT_MAX_SIMULTANEOUS = 2;

/** What the migration engine needs from a host. */
export interface MigrationHost {
  readonly name: string;
  readonly powered: boolean;
  readonly vswitch: ExternalVSwitch;
  /** Migration network bandwidth, bits per second. */
  readonly migrationBandwidthBps: number;
  readonly maxSimultaneousMigrations: number;
  readonly switchoverNs: number;
  /** Take a VM that resumes here: it becomes this host's, its vNICs attach and the unsolicited ARP leaves. */
  adoptVm(vm: VirtualMachine): void;
  /** Let go of a VM that leaves (it is paused; its vNICs detach). */
  releaseVm(vm: VirtualMachine): void;
}

type Phase = 'queued' | 'precopy' | 'blackout' | 'switchover' | 'done' | 'failed';

export interface MigrationView {
  vm: string;
  from: string;
  to: string;
  phase: Phase;
  pass: number;
  startedNs: number;
  blackoutNs: number | null;
  endedNs: number | null;
  /** Bytes copied over the migration network so far. */
  bytesCopied: number;
}

class Migration {
  phase: Phase = 'queued';
  pass = 0;
  /** Bytes left in the current transfer (a pass, or the blackout's remainder). */
  left = 0;
  passStartNs = 0;
  /** Bytes per ns now. */
  rate = 0;
  token = -1;
  startedNs = -1;
  blackoutNs: number | null = null;
  endedNs: number | null = null;
  bytesCopied = 0;

  constructor(
    readonly id: number,
    readonly vm: VirtualMachine,
    readonly from: MigrationHost,
    readonly to: MigrationHost,
    readonly queuedNs: number,
  ) {}

  get transferring(): boolean {
    return this.phase === 'precopy' || this.phase === 'blackout';
  }
  get running(): boolean {
    return this.phase === 'precopy' || this.phase === 'blackout' || this.phase === 'switchover';
  }
}

const engines = new WeakMap<Network, LiveMigrationEngine>();

/** One per network: live migrations between any of its Hyper-V hosts. */
export type MigrationListener = (vm: VirtualMachine, from: MigrationHost, to: MigrationHost, ok: boolean) => void;

export class LiveMigrationEngine implements EventHandler {
  readonly handlerId: number;
  /** Told when a migration ends, either way (a cluster waits for its drain this way). */
  readonly listeners: MigrationListener[] = [];
  private readonly all: Migration[] = [];
  private lastNs = 0;

  static of(net: Network): LiveMigrationEngine {
    let e = engines.get(net);
    if (e === undefined) {
      e = new LiveMigrationEngine(net);
      engines.set(net, e);
    }
    return e;
  }

  private constructor(private readonly net: Network) {
    this.handlerId = net.sched.register(this);
  }

  /** Queue a migration; it starts as soon as both hosts have a free migration slot. Returns an error text, or null. */
  migrate(vm: VirtualMachine, from: MigrationHost, to: MigrationHost): string | null {
    if (from === to) return `${vm.name} already runs on ${to.name}`;
    if (vm.state !== 'Running') return `${vm.name} is not running`;
    if (!to.powered) return `${to.name} is not available`;
    if (this.all.some((m) => m.vm === vm && (m.running || m.phase === 'queued'))) return `${vm.name} is already being migrated`;
    const m = new Migration(this.all.length, vm, from, to, this.net.now);
    this.all.push(m);
    this.schedule();
    return null;
  }

  views(): MigrationView[] {
    return this.all.map((m) => ({
      vm: m.vm.name,
      from: m.from.name,
      to: m.to.name,
      phase: m.phase,
      pass: m.pass,
      startedNs: m.startedNs,
      blackoutNs: m.blackoutNs,
      endedNs: m.endedNs,
      bytesCopied: Math.round(m.bytesCopied),
    }));
  }

  /** Migrations queued or running, touching `host`. */
  busy(host: MigrationHost): number {
    return this.all.filter((m) => (m.running || m.phase === 'queued') && (m.from === host || m.to === host)).length;
  }

  /** A host lost power: its migrations fail; a VM already paused for the move stays with the source. */
  hostDown(host: MigrationHost): void {
    this.advance();
    for (const m of this.all) {
      if (!(m.running || m.phase === 'queued') || (m.from !== host && m.to !== host)) continue;
      this.cancelTimer(m);
      const wasPaused = m.phase === 'blackout' || m.phase === 'switchover';
      m.phase = 'failed';
      m.endedNs = this.net.now;
      if (wasPaused && m.from.powered) {
        m.vm.state = 'Running';
        m.from.adoptVm(m.vm);
      }
      this.net.emit('migration.failed', `live migration of ${m.vm.name} from ${m.from.name} to ${m.to.name} failed: ${host.name} lost power`, m.vm.name);
      this.tell(m, false);
    }
    this.schedule();
  }

  // ---- the fluid model -----------------------------------------------------------------------

  onEvent(code: number): void {
    const m = this.all[code];
    m.token = -1;
    this.advance();
    if (m.phase === 'switchover') this.finish(m);
    else if (m.transferring) this.transferDone(m);
    this.schedule();
  }

  /** Account the bytes every running transfer moved since the last change. */
  private advance(): void {
    const now = this.net.now;
    const dt = now - this.lastNs;
    this.lastNs = now;
    if (dt <= 0) return;
    for (const m of this.all) {
      if (!m.transferring) continue;
      const moved = Math.min(m.left, m.rate * dt);
      m.left -= moved;
      m.bytesCopied += moved;
    }
  }

  private transferDone(m: Migration): void {
    const now = this.net.now;
    if (m.phase === 'blackout') {
      m.phase = 'switchover';
      m.token = this.net.sched.schedule(m.to.switchoverNs, this.handlerId, m.id, null);
      return;
    }
    const passNs = now - m.passStartNs;
    const memBytes = m.vm.memoryMb * 1024 * 1024;
    const dirty = Math.min(memBytes, Math.round((m.vm.dirtyMbPerSecond * 1024 * 1024 * passNs) / 1e9));
    if (m.pass >= MAX_COPY_PASSES || dirty <= STOP_COPY_BYTES) {
      m.phase = 'blackout';
      m.blackoutNs = now;
      m.left = dirty + DEVICE_STATE_BYTES;
      m.vm.state = 'Paused';
      m.from.releaseVm(m.vm);
      this.net.emit(
        'migration.blackout',
        `${m.vm.name} paused on ${m.from.name} after ${m.pass} copy pass${m.pass === 1 ? '' : 'es'}: ${mb(m.left)} MB left to copy`,
        m.vm.name,
      );
      return;
    }
    m.pass++;
    m.passStartNs = now;
    m.left = dirty;
  }

  private finish(m: Migration): void {
    m.phase = 'done';
    m.endedNs = this.net.now;
    m.vm.state = 'Running';
    m.to.adoptVm(m.vm);
    const blackout = m.endedNs - (m.blackoutNs as number);
    this.net.emit(
      'migration.end',
      `${m.vm.name} now runs on ${m.to.name}: live migration took ${ms(m.endedNs - m.startedNs)} ms, blackout ${ms(blackout)} ms`,
      m.vm.name,
    );
    this.tell(m, true);
  }

  private tell(m: Migration, ok: boolean): void {
    for (const l of this.listeners) l(m.vm, m.from, m.to, ok);
  }

  /** Start what may start, recompute every transfer's rate and its next event. */
  private schedule(): void {
    const now = this.net.now;
    const running = (h: MigrationHost): number => this.all.filter((x) => x.running && (x.from === h || x.to === h)).length;
    for (const m of this.all) {
      if (m.phase !== 'queued') continue;
      if (running(m.from) >= m.from.maxSimultaneousMigrations || running(m.to) >= m.to.maxSimultaneousMigrations) continue;
      if (!m.to.powered || !m.from.powered || m.vm.state !== 'Running') {
        m.phase = 'failed';
        m.endedNs = now;
        this.net.emit('migration.failed', `live migration of ${m.vm.name} to ${m.to.name} could not start`, m.vm.name);
        this.tell(m, false);
        continue;
      }
      m.phase = 'precopy';
      m.pass = 1;
      m.startedNs = now;
      m.passStartNs = now;
      m.left = m.vm.memoryMb * 1024 * 1024;
      this.net.emit('migration.start', `live migration of ${m.vm.name} from ${m.from.name} to ${m.to.name} started (${m.vm.memoryMb} MB)`, m.vm.name);
    }
    const transferring = (h: MigrationHost): number => this.all.filter((x) => x.transferring && (x.from === h || x.to === h)).length;
    for (const m of this.all) {
      if (!m.transferring) continue;
      const share = (h: MigrationHost): number => h.migrationBandwidthBps / 8e9 / transferring(h);
      const rate = Math.min(share(m.from), share(m.to));
      this.cancelTimer(m);
      m.rate = rate;
      const eta = Math.max(0, Math.ceil(m.left / rate));
      m.token = this.net.sched.schedule(eta, this.handlerId, m.id, null);
    }
  }

  private cancelTimer(m: Migration): void {
    if (m.token >= 0) this.net.sched.cancel(m.token);
    m.token = -1;
  }
}

function mb(bytes: number): string {
  return (bytes / (1024 * 1024)).toFixed(1);
}

function ms(ns: number): string {
  return String(Math.round(ns / MS));
}
