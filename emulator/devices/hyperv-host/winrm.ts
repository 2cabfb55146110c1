/**
 * The Hyper-V host's WinRM service, as a management server (VMM) drives it: each request is one
 * WS-Management operation that runs on the host until its work is done.
 *
 * What an operation costs: creating a VM writes its virtual disk to the host's storage, and the
 * operations writing at the same time share the storage's throughput equally (processor
 * sharing), so one creation alone is quick and several at once each take several times longer.
 *
 * What bounds it: the request's OperationTimeout, capped by the service's MaxTimeoutms [U: that
 * WinRM caps rather than refuses a longer OperationTimeout]. An operation still running at that
 * deadline is cancelled and its client gets 0x80338029. Requests beyond a user's
 * MaxConcurrentOperationsPerUser are refused at once.
 *
 * Configuration: `winrm set` writes the stored values; the running service keeps the values it
 * read when it started until it is restarted (`net stop winrm` / `net start winrm`), as the
 * field note's procedure has it [U: whether WinRM re-reads some values without a restart].
 *
 * The request travels as a message handed from the VMM side to this service rather than as
 * HTTP on TCP 5985: the host kind has no IP stack of its own to terminate a connection on.
 */
import type { Network } from '../../core/network.ts';
import type { EventHandler } from '../../core/scheduler.ts';
import { SECOND } from '../../core/time.ts';
import {
  WSMAN_CANNOT_CONNECT,
  WSMAN_OPERATION_TIMEDOUT,
  WSMAN_QUOTA_MAX_OPERATIONS_USER,
  type WinRmConfigStore,
  type WinRmConfigValues,
} from '../windows-shell/winrm-command.ts';

/**
 * MaxTimeoutms shipped as 60000 [U: recalled]; MaxConcurrentOperationsPerUser as 1500 from
 * WinRM 3.0 (the host kind's Windows Server 2012 R2) on, and 15 in WinRM 2.0 (Windows Server
 * 2008 R2) [U: recalled], which labs of 2008 R2 hosts set.
 */
export const DEFAULT_WINRM_CONFIG: WinRmConfigValues = { maxTimeoutMs: 60000, maxConcurrentOperationsPerUser: 1500 };

/** How an operation ended, as its client sees it. */
export type WinRmOutcome = { ok: true } | { ok: false; code: number; arg?: string };

export interface WinRmRequest {
  /** The account the client authenticates as: the per-user quota counts by it. */
  user: string;
  /** The client machine, for the host's log and the timeline. */
  from: string;
  /** What the operation does, for the log: "create virtual machine web1". */
  what: string;
  /** The client's OperationTimeout, in ms. */
  timeoutMs: number;
  /** Bytes the operation writes to the host's storage. */
  workBytes: number;
  /** Runs on the host when the work is done, before the client is answered. */
  complete?: () => void;
  /** The client's answer. */
  done(outcome: WinRmOutcome): void;
}

interface Operation {
  id: number;
  req: WinRmRequest;
  remainingBytes: number;
  deadlineToken: number;
  startedNs: number;
}

/** One line of the host's record of finished operations. */
export interface WinRmLogEntry {
  atNs: number;
  startedNs: number;
  from: string;
  user: string;
  what: string;
  outcome: WinRmOutcome;
}

const SHARE_TICK = 0;

export class WinRmService implements EventHandler, WinRmConfigStore {
  running = true;
  /** The configuration as stored: what `winrm set` writes. */
  stored: WinRmConfigValues;
  /** The configuration the running service read at its start. */
  private active: WinRmConfigValues;
  private readonly ops = new Map<number, Operation>();
  private nextId = 1;
  private lastShareNs = 0;
  private shareToken = -1;
  private readonly handlerId: number;
  readonly log: WinRmLogEntry[] = [];

  constructor(
    private readonly net: Network,
    private readonly hostName: string,
    config: WinRmConfigValues,
    /** The storage's write throughput, in bytes per second. */
    public storageBytesPerSecond: number,
  ) {
    this.stored = { ...config };
    this.active = { ...config };
    this.handlerId = net.sched.register(this);
  }

  /** The values the running service works with (the stored ones only after a restart). */
  get effective(): WinRmConfigValues {
    return this.active;
  }

  get inFlight(): number {
    return this.ops.size;
  }

  store(values: Partial<WinRmConfigValues>): void {
    this.stored = { ...this.stored, ...values };
  }

  /** `net stop winrm`: operations under way are dropped and their clients lose the connection. */
  stop(): void {
    if (!this.running) return;
    this.settleShares();
    this.running = false;
    for (const op of [...this.ops.values()]) this.finish(op, { ok: false, code: WSMAN_CANNOT_CONNECT });
    this.reschedule();
  }

  /** `net start winrm`: the service reads the stored configuration. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.active = { ...this.stored };
  }

  /** A request arrives from a client. Its answer comes through `req.done`, now or later. */
  request(req: WinRmRequest): void {
    if (!this.running) {
      this.answer(req, this.net.now, { ok: false, code: WSMAN_CANNOT_CONNECT });
      return;
    }
    const mine = [...this.ops.values()].filter((o) => o.req.user.toLowerCase() === req.user.toLowerCase()).length;
    const limit = this.active.maxConcurrentOperationsPerUser;
    if (mine >= limit) {
      this.answer(req, this.net.now, { ok: false, code: WSMAN_QUOTA_MAX_OPERATIONS_USER, arg: String(limit) });
      return;
    }
    this.settleShares();
    const id = this.nextId++;
    const timeoutMs = Math.min(req.timeoutMs, this.active.maxTimeoutMs);
    const op: Operation = { id, req, remainingBytes: req.workBytes, deadlineToken: -1, startedNs: this.net.now };
    op.deadlineToken = this.net.sched.schedule(Math.round(timeoutMs * (SECOND / 1000)), this.handlerId, id, null);
    this.ops.set(id, op);
    this.reschedule();
  }

  onEvent(code: number): void {
    if (code === SHARE_TICK) {
      this.shareToken = -1;
      this.settleShares();
      for (const op of [...this.ops.values()]) {
        if (op.remainingBytes <= 0) {
          op.req.complete?.();
          this.finish(op, { ok: true });
        }
      }
      this.reschedule();
      return;
    }
    const op = this.ops.get(code);
    if (op === undefined) return;
    op.deadlineToken = -1;
    this.settleShares();
    // The service cancels the provider's work when the operation times out.
    this.finish(op, { ok: false, code: WSMAN_OPERATION_TIMEDOUT });
    this.reschedule();
  }

  /** Take the bytes written since the last change off every operation under way. */
  private settleShares(): void {
    const now = this.net.now;
    const n = this.ops.size;
    if (n > 0 && now > this.lastShareNs) {
      const written = (this.storageBytesPerSecond * (now - this.lastShareNs)) / SECOND / n;
      for (const op of this.ops.values()) op.remainingBytes = Math.max(0, op.remainingBytes - written);
    }
    this.lastShareNs = now;
  }

  /** Schedule the next completion: the operation with the least left, at the current share. */
  private reschedule(): void {
    if (this.shareToken >= 0) this.net.sched.cancel(this.shareToken);
    this.shareToken = -1;
    if (this.ops.size === 0) return;
    let least = Infinity;
    for (const op of this.ops.values()) least = Math.min(least, op.remainingBytes);
    const delayNs = Math.ceil((least * this.ops.size * SECOND) / this.storageBytesPerSecond);
    this.shareToken = this.net.sched.schedule(Math.max(0, delayNs), this.handlerId, SHARE_TICK, null);
  }

  private finish(op: Operation, outcome: WinRmOutcome): void {
    if (op.deadlineToken >= 0) this.net.sched.cancel(op.deadlineToken);
    this.ops.delete(op.id);
    this.answer(op.req, op.startedNs, outcome);
  }

  private answer(req: WinRmRequest, startedNs: number, outcome: WinRmOutcome): void {
    this.log.push({ atNs: this.net.now, startedNs, from: req.from, user: req.user, what: req.what, outcome });
    const result = outcome.ok ? 'completed' : `failed: 0x${outcome.code.toString(16).toUpperCase()}`;
    this.net.emit(outcome.ok ? 'winrm.done' : 'winrm.fault', `${this.hostName}: WinRM operation from ${req.from} (${req.what}) ${result}`, this.hostName);
    req.done(outcome);
  }
}
