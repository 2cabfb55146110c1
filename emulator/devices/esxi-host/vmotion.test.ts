import { describe, expect, it } from 'vitest';
import { MS, SECOND } from '../../core/time.ts';
import { buildEsxiLab, corePortOf, ipVm } from './test-support/lab.ts';

/** Host 1's uplinks sit on edge0/edge1 ports X1, host 2's on X2: the core sees both behind the same edges, so use the edge tables. */
function edgePortOf(lab: ReturnType<typeof buildEsxiLab>, edge: number, mac: number): string | null {
  const e = lab.edges[edge].macTable().find((x) => x.mac === mac);
  return e === undefined ? null : e.ports.join(',');
}

function moveLab(notify: boolean, memoryMb = 1024, bw = '10G') {
  const lab = buildEsxiLab({ hosts: 2, host: { notifySwitches: notify, vmotionBandwidth: bw } });
  const e = lab.hosts[0].createVm({ name: 'app1', memoryMb, dirtyMbPerSecond: 50, adapters: [{}] }, [{ portGroup: 'VM Network' }]);
  void e;
  return lab;
}

describe('vMotion', () => {
  it('copies memory at the vMotion bandwidth, stuns briefly, and with notify on the switches learn the new host at once', () => {
    const lab = buildEsxiLab({ hosts: 2 });
    const g = ipVm(lab.hosts[0], 'app1', '10.0.0.50/24');
    lab.net.runUntil(1 * SECOND);
    const flow = lab.client.ping(g.interfaces[0].addrs[0].ip, { intervalNs: 100 * MS, timeoutNs: 1 * SECOND });
    lab.net.runUntil(2 * SECOND);
    expect(lab.hosts[0].vmotion('app1', 'esx2')).toBeNull();
    lab.net.runUntil(10 * SECOND);
    const ev = lab.net.drainEvents();
    const end = ev.find((e) => e.kind === 'esxi.vmotion' && e.text.includes('now runs on esx2'));
    expect(end).toBeDefined();
    // 2048 MB at 10 Gb/s is about 1.7 s for the first pass
    expect((end?.t ?? 0) - 2 * SECOND).toBeGreaterThan(1700 * MS);
    expect(ev.some((e) => e.kind === 'esxi.rarp' && e.text.startsWith('esx2') && e.text.includes('app1') && e.text.includes('vmotion'))).toBe(true);
    const nic = lab.hosts[1].portsOf(lab.hosts[1].vms.get('app1')!)[0].uplink as string;
    expect(edgePortOf(lab, Number(nic.slice(5)), g.interfaces[0].mac)).toBe('X2');
    expect(flow.summary().lost).toBeLessThanOrEqual(3);
    expect(lab.hosts[0].vms.has('app1')).toBe(false);
  });

  it('with notify off the edge keeps pointing at the old host until the VM talks', () => {
    const lab = buildEsxiLab({ hosts: 2, host: { notifySwitches: false } });
    const g = ipVm(lab.hosts[0], 'app1', '10.0.0.50/24');
    lab.net.runUntil(1 * SECOND);
    g.ping(lab.client.interfaces[0].addrs[0].ip, { count: 1 });
    const flow = lab.client.ping(g.interfaces[0].addrs[0].ip, { intervalNs: 1 * SECOND, timeoutNs: 1 * SECOND });
    lab.net.runUntil(2 * SECOND);
    lab.hosts[0].vmotion('app1', 'esx2');
    lab.net.runUntil(20 * SECOND);
    expect(lab.net.drainEvents().some((e) => e.kind === 'esxi.rarp' && e.text.includes('app1'))).toBe(false);
    expect(lab.hosts[1].vms.has('app1')).toBe(true);
    const lostBefore = flow.summary().lost;
    expect(lostBefore).toBeGreaterThanOrEqual(14);
    g.ping(lab.client.interfaces[0].addrs[0].ip, { count: 1 });
    lab.net.runUntil(25 * SECOND);
    expect(flow.probes.filter((p) => p.sentNs >= 21 * SECOND && p.result !== 'pending').every((p) => p.result === 'reply')).toBe(true);
  });

  for (const [bw, mem] of [['1G', 1024], ['10G', 8192]] as const) {
    it(`takes longer with more memory or less bandwidth (${mem} MB at ${bw})`, () => {
      const lab = moveLab(true, mem, bw);
      lab.net.runUntil(1 * MS);
      lab.hosts[0].vmotion('app1', 'esx2');
      lab.net.runUntil(200 * SECOND);
      const end = lab.net.drainEvents().find((e) => e.kind === 'esxi.vmotion' && e.text.includes('now runs'));
      const firstPassNs = ((mem * 1024 * 1024 * 8) / (bw === '1G' ? 1e9 : 10e9)) * 1e9;
      expect((end?.t ?? 0) - 1 * MS).toBeGreaterThan(firstPassNs);
    });
  }

  it('refuses a move to a host without the port group, or of a VM that is off', () => {
    const lab = buildEsxiLab({ hosts: 2 });
    lab.hosts[0].createVm({ name: 'x', adapters: [{}] }, [{ portGroup: 'VM Network' }]);
    const other = buildEsxiLab({ hosts: 1, host: { portGroups: 'Other/5' } });
    void other;
    lab.net.runUntil(1 * MS);
    lab.hosts[0].powerOffVm('x');
    expect(lab.hosts[0].vmotion('x', 'esx2')).toContain('not powered on');
    expect(lab.hosts[0].vmotion('x', 'core')).toContain('not an ESXi host');
    expect(corePortOf(lab, 0)).toBeNull();
  });
});
