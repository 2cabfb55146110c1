/**
 * A Windows Server failover cluster of Hyper-V hosts: it owns no ports, it groups hosts and
 * moves VMs between them. Draining a node is what Cluster-Aware Updating does before patching:
 * the node is paused (it takes no new roles) and every running VM on it is live-migrated away,
 * all started at once; the hosts' simultaneous-migration limit decides how many run together.
 */
import type { Frame } from '../../core/frame.ts';
import type { Network } from '../../core/network.ts';
import { NetworkNode } from '../../core/node.ts';
import type { Port } from '../../core/port.ts';
import { HypervHost } from '../hyperv-host/host.ts';
import { LiveMigrationEngine } from '../hyperv-host/migration.ts';
import type { VirtualMachine } from '../hyperv-host/vm.ts';

export type ClusterNodeState = 'Up' | 'Paused' | 'Down';

export interface ClusterNodeView {
  name: string;
  state: ClusterNodeState;
  vms: string[];
}

export class HypervCluster extends NetworkNode {
  private readonly added: HypervHost[] = [];
  private readonly paused = new Set<HypervHost>();
  /** VMs each drain still waits for, by node. */
  private readonly draining = new Map<HypervHost, Set<VirtualMachine>>();

  constructor(net: Network, name: string) {
    super(net, name);
    LiveMigrationEngine.of(net).listeners.push((vm, from) => this.migrationEnded(vm, from));
  }

  /** A cluster has no ports of its own. */
  receive(_port: Port, f: Frame): void {
    this.net.pool.release(f);
  }

  addHost(host: HypervHost): void {
    if (!this.added.includes(host)) this.added.push(host);
  }

  /** Nodes: hosts added explicitly, then hosts whose lab `parent` is this cluster, in network order. */
  get hosts(): HypervHost[] {
    const out = [...this.added];
    for (const n of this.net.nodes) if (n instanceof HypervHost && n.parentName === this.name && !out.includes(n)) out.push(n);
    return out;
  }

  private host(name: string): HypervHost {
    const h = this.hosts.find((x) => x.name.toLowerCase() === name.toLowerCase());
    if (h === undefined) throw new Error(`${name} is not a node of cluster ${this.name}`);
    return h;
  }

  nodeState(h: HypervHost): ClusterNodeState {
    if (!h.powered) return 'Down';
    return this.paused.has(h) ? 'Paused' : 'Up';
  }

  nodes(): ClusterNodeView[] {
    return this.hosts.map((h) => ({ name: h.name, state: this.nodeState(h), vms: [...h.vms.keys()].sort() }));
  }

  /**
   * Pause `nodeName` and live-migrate its running VMs to the other nodes that are up, each to
   * the node with the fewest VMs at that moment (counting the ones already sent), ties to the
   * first in cluster order: the spread a drain produces. Returns the moves that could not start.
   */
  drain(nodeName: string): string[] {
    const node = this.host(nodeName);
    this.paused.add(node);
    const targets = this.hosts.filter((h) => h !== node && this.nodeState(h) === 'Up');
    const running = [...node.vms.values()].filter((vm) => vm.state === 'Running').sort((a, b) => a.name.localeCompare(b.name));
    this.net.emit('cluster.drain.start', `${this.name}: draining ${node.name} (${running.length} virtual machines)`, node.name);
    if (running.length > 0 && targets.length === 0) return [`${this.name}: no other node is up to take the roles of ${node.name}`];
    const load = new Map(targets.map((t) => [t, t.vms.size]));
    const waiting = new Set<VirtualMachine>();
    const errors: string[] = [];
    for (const vm of running) {
      let best = targets[0];
      for (const t of targets) if ((load.get(t) as number) < (load.get(best) as number)) best = t;
      load.set(best, (load.get(best) as number) + 1);
      const err = node.moveVm(vm.name, best.name);
      if (err !== null) errors.push(err);
      else waiting.add(vm);
    }
    this.draining.set(node, waiting);
    if (waiting.size === 0) this.drainDone(node);
    return errors;
  }

  /** Resume a paused node: it takes roles again (VMs do not fail back by themselves). */
  resume(nodeName: string): void {
    const node = this.host(nodeName);
    this.paused.delete(node);
    this.net.emit('cluster.resume', `${this.name}: ${node.name} resumed`, node.name);
  }

  private migrationEnded(vm: VirtualMachine, from: { name: string }): void {
    for (const [node, waiting] of this.draining) {
      if (node.name !== from.name || !waiting.delete(vm)) continue;
      if (waiting.size === 0) this.drainDone(node);
    }
  }

  private drainDone(node: HypervHost): void {
    this.draining.delete(node);
    const left = [...node.vms.values()].filter((v) => v.state === 'Running').length;
    this.net.emit('cluster.drain.end', `${this.name}: drain of ${node.name} ${left === 0 ? 'completed' : `left ${left} virtual machines`}`, node.name);
  }
}

/** The cluster a host belongs to, if any. */
export function clusterOf(net: Network, host: HypervHost): HypervCluster | null {
  for (const n of net.nodes) if (n instanceof HypervCluster && n.hosts.includes(host)) return n;
  return null;
}

/** The scenario's `drain-node` step: drain `nodeName` in whichever cluster holds it. */
export function drainNode(net: Network, nodeName: string): string[] {
  const h = net.node(nodeName);
  if (!(h instanceof HypervHost)) return [`${nodeName} is not a Hyper-V host`];
  const c = clusterOf(net, h);
  if (c === null) return [`${nodeName} is not in a failover cluster`];
  return c.drain(h.name);
}

export function resumeNode(net: Network, nodeName: string): string[] {
  const h = net.node(nodeName);
  if (!(h instanceof HypervHost)) return [`${nodeName} is not a Hyper-V host`];
  const c = clusterOf(net, h);
  if (c === null) return [`${nodeName} is not in a failover cluster`];
  c.resume(h.name);
  return [];
}
