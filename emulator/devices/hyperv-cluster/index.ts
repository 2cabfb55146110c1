/** The failover cluster kind's public face. */
import type { Network } from '../../core/network.ts';
import { HypervCluster } from './cluster.ts';

export { hypervClusterInfo } from './info.ts';
export { HypervCluster, clusterOf, drainNode, resumeNode } from './cluster.ts';

export function createHypervCluster(net: Network, d: { name: string }): HypervCluster {
  return new HypervCluster(net, d.name);
}
