import type { RunEvent, SimTime } from '../run/types.ts';

/**
 * What the scenario engine needs from a running network, and nothing more. The engine knows no
 * device classes: it drives a ScenarioTarget, which the run layer implements over its network
 * (and tests implement with a few lines of fake). Names are the lab file's: device names,
 * `device:port` endpoints, setting and counter names as the device kinds define them.
 *
 * Errors: any method may throw an Error whose message a person can act on ("no device named
 * sw9", "hv1 cannot live-migrate: its kind has no virtual machines"). The engine never lets a
 * throw end the run: a failed step is recorded as a problem (the run fails), a failed reading
 * fails that expectation with the message as its measured value.
 */
export interface ScenarioTarget {
  /** Current simulated time. */
  now(): SimTime;

  /**
   * Runs the network until `untilNs` (never before now()): every event scheduled at a time
   * ≤ untilNs runs, including those at now(), and now() becomes untilNs. Returns the notable
   * events that happened, for the timeline. The engine calls this between its own actions, so an
   * action at t sees every event at t that was already scheduled, and what it schedules itself
   * for t runs on the next call.
   */
  advance(untilNs: SimTime): readonly RunEvent[];

  // --- actions ---------------------------------------------------------------------------

  /** Takes the link attached at `link.end` down or up (both ends lose or regain carrier). */
  setLinkState(link: LinkRef, up: boolean): void;
  /** Hard power off (no clean shutdown) or power on (boot from the startup configuration). */
  setPower(device: string, on: boolean): void;
  /** Removes or inserts the module in bay `bay` of chassis `device`. */
  setModule(device: string, bay: string, inserted: boolean): void;
  /**
   * Starts every move at the same moment (the caller's "simultaneous live migration"); each
   * completes when the target's own model says so. Targets whose devices cannot migrate throw.
   */
  liveMigrate(moves: readonly VmMove[]): void;
  /** A VMM server sends one WinRM operation per new VM to a host; each ends as the host's model says. */
  vmmDeploy(d: VmmDeploymentRequest): void;
  /** Drains (pause + move roles away, as Cluster-Aware Updating does) or resumes a cluster node. */
  setNodeDrained(node: string, drained: boolean): void;
  /** Changes one device setting at run time, as `settings` in the lab file names it. */
  setSetting(device: string, setting: string, value: string | number | boolean): void;
  /**
   * Types one line at the device's console and returns everything it printed in answer, with any
   * pager run through to the end (the engine cannot press space).
   */
  cli(device: string, line: string): string;
  /** Starts capturing on a port (`device:port`) or a device; returns the capture's id. */
  startCapture(target: string): string;
  stopCapture(id: string): void;
  listCaptures(): readonly CaptureInfo[];

  // --- traffic -----------------------------------------------------------------------------

  /**
   * Starts a flow now: its first packet leaves at now(), the next every `everyNs` after, until
   * `count` have been sent (or the run ends when count is null). The returned handle's logs
   * fill in as the flow runs; the engine reads them whenever it evaluates.
   */
  startFlow(flow: FlowSpec): FlowHandle;

  // --- observations ------------------------------------------------------------------------

  /** A counter's current value, e.g. counter('sw1', 'Gi1/0/5', 'out-multicast'). Throws if unknown. */
  counter(device: string, port: string, name: string): number;
  /** Whether a named state holds now, e.g. deviceState('web1', 'nlb-converged'). Throws if the kind has no such state. */
  deviceState(device: string, state: string): boolean;
}

/** A link, named by one of its ends, optionally with the other end to confirm which link is meant. */
export interface LinkRef {
  end: string;
  otherEnd?: string;
}

/** New VMs a VMM server asks a Hyper-V host to create, one WinRM operation each. */
export interface VmmDeploymentRequest {
  from: string;
  to: string;
  vms: string[];
  /** Each VM's fixed virtual disk, which the host writes. */
  diskBytes: number;
  /** The OperationTimeout on each request. */
  timeoutMs: number;
}

export interface VmMove {
  vm: string;
  to: string;
}

export interface CaptureInfo {
  id: string;
  target: string;
  frames: number;
}

/** What a flow sends. `id` is the scenario's name for it, for the target's own logs and events. */
export type FlowSpec = PingFlowSpec | UdpFlowSpec | MulticastFlowSpec | SessionsFlowSpec;

interface FlowCommon {
  id: string;
  from: string;
  everyNs: SimTime;
  /** How many packets (per session, for sessions) to send; null: until the run ends. */
  count: number | null;
}

/** ICMP echo requests; a probe is answered when its echo reply gets back to `from`. */
export interface PingFlowSpec extends FlowCommon {
  kind: 'ping';
  /** IPv4 address, or a device name meaning that device's address. */
  to: string;
  size: number;
}

/** One-way UDP datagrams; a probe is answered when the datagram reaches `to` (rtt = one-way delay). */
export interface UdpFlowSpec extends FlowCommon {
  kind: 'udp';
  to: string;
  port: number;
  size: number;
}

/** UDP to a group; one log per receiver, a probe answered when that receiver got the datagram. */
export interface MulticastFlowSpec extends FlowCommon {
  kind: 'multicast';
  group: string;
  port: number;
  ttl: number;
  size: number;
  /** Devices to measure; null: every device that joins the group. */
  receivers: readonly string[] | null;
}

/**
 * `sessions` client sessions from source ports sourcePort … sourcePort + sessions − 1; each
 * sends one request every `everyNs`, answered when the reply gets back. One log per session.
 */
export interface SessionsFlowSpec extends FlowCommon {
  kind: 'sessions';
  to: string;
  port: number;
  protocol: 'tcp' | 'udp';
  sessions: number;
  sourcePort: number;
}

export interface FlowHandle {
  /**
   * One log per measured path (the destination for ping and udp, each receiver for multicast,
   * each session for sessions). The engine only reads these; the target appends and fills in.
   */
  logs(): readonly ProbeLog[];
}

export interface ProbeLog {
  /** Names the path in reports: a receiver's name, "sport 49153", or the destination. */
  path: string;
  /** Every packet sent, in send order: one entry per packet, created when it leaves `from`. */
  probes: readonly Probe[];
}

export interface Probe {
  sentAt: SimTime;
  /**
   * Time from sending until the answer (or, for one-way streams, the arrival) — null while none
   * has come. Set it even when the answer is late: whether that counts as lost is decided by the
   * scenario's timeout, in one place (measure.ts).
   */
  rtt: SimTime | null;
}
