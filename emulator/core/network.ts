import { FramePool } from './frame.ts';
import { Link } from './link.ts';
import type { NetworkNode } from './node.ts';
import type { Port } from './port.ts';
import { RandomStreams } from './prng.ts';
import { Scheduler } from './scheduler.ts';

/** A notable event for timelines (same shape as the run layer's RunEvent). */
export interface NetEvent {
  t: number;
  kind: string;
  device?: string;
  port?: string;
  text: string;
}

export class NetStats {
  frameHops = 0;
  queueDrops = 0;
  floods = 0;
}

export interface LinkOptions {
  rateBps: number;
  delayNs: number;
  up?: boolean;
}

/** One simulated network: the clock, the frame pool, the devices and cables, and run-wide counters. */
export class Network {
  readonly sched = new Scheduler();
  readonly pool = new FramePool();
  readonly random: RandomStreams;
  readonly nodes: NetworkNode[] = [];
  readonly links: Link[] = [];

  /** Run-wide counters, in one small object the forwarding path keeps a direct reference to. */
  readonly stats = new NetStats();

  /** Frames delivered across a link into a receiving device. */
  get frameHops(): number {
    return this.stats.frameHops;
  }
  /** Frames dropped because a transmit queue was full. */
  get queueDrops(): number {
    return this.stats.queueDrops;
  }
  /** Frames a bridge flooded (unknown unicast, broadcast, multicast). */
  get floods(): number {
    return this.stats.floods;
  }
  set floods(n: number) {
    this.stats.floods = n;
  }

  /** Notable events since the last `drainEvents`. */
  private events: NetEvent[] = [];
  onEvent: ((e: NetEvent) => void) | null = null;
  private byName = new Map<string, NetworkNode>();
  private started = false;

  constructor(seed = 1) {
    this.random = new RandomStreams(seed);
  }

  get now(): number {
    return this.sched.now;
  }

  /** @internal nodes register themselves on construction. */
  addNode(node: NetworkNode): void {
    if (this.byName.has(node.name)) throw new Error(`duplicate device name: ${node.name}`);
    this.byName.set(node.name, node);
    this.nodes.push(node);
  }

  node(name: string): NetworkNode | undefined {
    return this.byName.get(name);
  }

  connect(a: Port, b: Port, opts: LinkOptions): Link {
    const link = new Link(this, a, b, opts.rateBps, opts.delayNs, opts.up ?? true);
    this.links.push(link);
    return link;
  }

  emit(kind: string, text: string, device?: string, port?: string): void {
    const e: NetEvent = { t: this.sched.now, kind, text };
    if (device !== undefined) e.device = device;
    if (port !== undefined) e.port = port;
    this.events.push(e);
    if (this.onEvent !== null) this.onEvent(e);
  }

  drainEvents(): NetEvent[] {
    const out = this.events;
    this.events = [];
    return out;
  }

  /** Let every device start its protocols (gratuitous ARP, LACP, timers). Idempotent. */
  start(): void {
    if (this.started) return;
    this.started = true;
    for (const n of this.nodes) n.start();
  }

  /** Run until simulated time `untilNs`. */
  runUntil(untilNs: number): void {
    this.start();
    this.sched.runUntil(untilNs);
  }
}

export type { Port };
