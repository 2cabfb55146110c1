import type { DeviceKindInfo } from '../kind.ts';

/** Catalog entry for a failover cluster: hosts join it by naming it as their `parent`. */
export const hypervClusterInfo: DeviceKindInfo = {
  kind: 'hyperv-cluster',
  vendor: 'Microsoft',
  model: 'Windows Server 2012 R2 failover cluster',
  role: 'hypervisor',
  description: 'A failover cluster of Hyper-V hosts (hosts set their parent to it): node drain as Cluster-Aware Updating does, VMs spread over the other nodes',
  settings: {},
  ports: () => [],
  configSyntax: null,
};
