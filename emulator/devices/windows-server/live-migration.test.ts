import { describe, expect, it } from 'vitest';
import { parseIpv4 } from '../../core/ipv4.ts';
import { SECOND } from '../../core/time.ts';
import { unicastClusterMac } from '../../proto/nlb/addresses.ts';
import { liveMigrate } from '../hyperv-host/host.ts';
import { createWindowsServer } from './index.ts';
import { hypervNlbLab } from './test-support/lab.ts';

/** Two NLB guests on two Hyper-V hosts, swapped by a simultaneous live migration at 12 s. */
function swap(mode: string, settings = {}) {
  const lab = hypervNlbLab({ vms: 2, spoofing: true, mode, hosts: 2, settings });
  lab.net.runUntil(12 * SECOND);
  expect(liveMigrate(lab.net, ['nlb1', 'nlb2'], ['hv2', 'hv1'])).toEqual([]);
  lab.net.runUntil(30 * SECOND);
  return lab;
}

describe('simultaneous live migration of NLB guests', () => {
  it('unicast: the unsolicited ARP sources the cluster MAC, so the switch pins it to one port (no warning)', () => {
    const lab = swap('unicast');
    const cmac = unicastClusterMac(parseIpv4('10.0.0.100'));
    expect(lab.sw.macTable().find((e) => e.mac === cmac)?.ports).toHaveLength(1);
    expect(lab.events.filter((e) => e.kind === 'ip.duplicate')).toHaveLength(0);
  });

  for (const mode of ['multicast', 'igmp-multicast']) {
    it(`${mode}: the host announces the cluster IP at the cluster MAC the guests answer with, so no node warns of a conflict`, () => {
      const lab = swap(mode);
      const vipAnnounced = lab.events.filter((e) => e.kind === 'arp.unsolicited' && e.text.includes('10.0.0.100'));
      expect(vipAnnounced).toHaveLength(2);
      const clusterMac = mode === 'multicast' ? '03-bf-0a-00-00-64' : '01-00-5e-7f-00-64';
      for (const e of vipAnnounced) expect(e.text).toContain(`at ${clusterMac}`);
      for (const s of lab.servers) expect(s.deviceState('duplicate-ip-warning')).toBe(false);
      for (const s of lab.servers) expect(s.deviceState('nlb-converged')).toBe(true);
      expect(lab.events.filter((e) => e.kind === 'ip.duplicate')).toHaveLength(0);
    });
  }

  it('builds a VM when the lab parent is a Hyper-V host and a physical server otherwise', () => {
    const lab = hypervNlbLab({ vms: 0, spoofing: false, mode: 'unicast' });
    const vm = createWindowsServer(lab.net, { name: 'app1', settings: { ip: '10.0.0.40/24' }, parent: 'hv1' });
    const metal = createWindowsServer(lab.net, { name: 'app2', settings: { ip: '10.0.0.41/24' } });
    expect(vm.vm?.name).toBe('app1');
    expect(vm.adapterPort(0).peer).not.toBeNull();
    expect(metal.vm).toBeNull();
    expect(metal.adapterPort(0).peer).toBeNull();
  });
});
