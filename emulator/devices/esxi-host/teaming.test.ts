import { describe, expect, it } from 'vitest';
import { parseIpv4 } from '../../core/ipv4.ts';
import { MS, SECOND } from '../../core/time.ts';
import { chooseUplink } from './policy.ts';
import { buildEsxiLab, corePortOf, ipVm, type EsxiLabOptions } from './test-support/lab.ts';

function vmsLab(o: EsxiLabOptions & { vms?: number } = {}) {
  const lab = buildEsxiLab({ hosts: 1, ...o });
  const pg = o.vlan ? 'Prod' : 'VM Network';
  const guests = Array.from({ length: o.vms ?? 4 }, (_, i) => ipVm(lab.hosts[0], `vm${i + 1}`, `10.0.0.${21 + i}/24`, pg));
  return { ...lab, guests, pg };
}

function uplinkOf(lab: ReturnType<typeof vmsLab>, vm: string): string | null {
  const e = lab.hosts[0].vms.get(vm);
  if (e === undefined) throw new Error(vm);
  return lab.hosts[0].portsOf(e)[0]?.uplink ?? null;
}

describe('route based on originating virtual port', () => {
  it('picks the home uplink by port ID, then survivors, then standby', () => {
    const up = (set: string[]) => (n: string) => set.includes(n);
    const p = { active: ['vmnic0', 'vmnic1'], standby: ['vmnic2'], notifySwitches: true, failback: true };
    expect(chooseUplink(50331660, null, p, up(['vmnic0', 'vmnic1', 'vmnic2']))).toBe('vmnic0');
    expect(chooseUplink(50331661, null, p, up(['vmnic0', 'vmnic1', 'vmnic2']))).toBe('vmnic1');
    expect(chooseUplink(50331660, 'vmnic0', p, up(['vmnic1', 'vmnic2']))).toBe('vmnic1');
    expect(chooseUplink(50331660, 'vmnic1', p, up(['vmnic2']))).toBe('vmnic2');
    expect(chooseUplink(50331660, 'vmnic2', p, up([]))).toBeNull();
    // failback off: stays where it is while that uplink has link
    expect(chooseUplink(50331660, 'vmnic1', { ...p, failback: false }, up(['vmnic0', 'vmnic1']))).toBe('vmnic1');
  });

  for (const uplinks of [2, 3]) {
    it(`spreads consecutive vNICs over ${uplinks} uplinks, the same way every run`, () => {
      const pins = (seed: number) => {
        const lab = vmsLab({ uplinks, vms: 6, seed });
        lab.net.runUntil(1 * MS);
        return lab.guests.map((g) => uplinkOf(lab, g.name));
      };
      const a = pins(1);
      expect(a).toEqual(pins(7));
      const counts = new Map<string, number>();
      for (const u of a) counts.set(u as string, (counts.get(u as string) ?? 0) + 1);
      expect(counts.size).toBe(uplinks);
      for (const c of counts.values()) expect(c).toBe(6 / uplinks);
    });
  }

  it('power-on sends one RARP per vNIC out its uplink, and the core learns each VM behind that edge', () => {
    const lab = vmsLab();
    lab.net.runUntil(1 * MS);
    const rarps = lab.net.drainEvents().filter((e) => e.kind === 'esxi.rarp');
    expect(rarps.filter((e) => e.text.includes('ethernet0')).length).toBe(4);
    for (const g of lab.guests) {
      const nic = uplinkOf(lab, g.name) as string;
      expect(corePortOf(lab, g.interfaces[0].mac)).toBe(lab.corePortOfEdge(Number(nic.slice(5))));
    }
  });
});

describe('link-state failover', () => {
  for (const variant of [
    { vlan: 0, uplinks: 2, clientIp: '10.0.0.100/24' },
    { vlan: 98, uplinks: 3, clientIp: '10.0.0.200/24' },
  ]) {
    const host: Record<string, string> = variant.vlan ? { portGroups: `Prod/${variant.vlan}` } : {};
    it(`notify on (vlan ${variant.vlan}, ${variant.uplinks} uplinks): vNICs on the dead uplink move, RARPs move the core's entries, pings barely notice`, () => {
      const lab = vmsLab({ ...variant, host });
      const vlan = variant.vlan || 1;
      lab.net.runUntil(1 * SECOND);
      const victims = lab.guests.filter((g) => uplinkOf(lab, g.name) === 'vmnic0');
      const others = lab.guests.filter((g) => uplinkOf(lab, g.name) !== 'vmnic0');
      const flows = victims.map((g) => lab.client.ping(g.interfaces[0].addrs[0].ip, { intervalNs: 100 * MS, timeoutNs: 1 * SECOND }));
      lab.net.runUntil(2 * SECOND);
      lab.net.drainEvents();
      lab.cable(0, 0).setUp(false);
      lab.net.runUntil(5 * SECOND);
      const ev = lab.net.drainEvents();
      expect(ev.filter((e) => e.kind === 'esxi.failover').length).toBeGreaterThan(0);
      // the victims' RARPs, plus vmk0's when it was on vmnic0 too
      expect(ev.filter((e) => e.kind === 'esxi.rarp' && e.text.includes('ethernet0')).length).toBe(victims.length);
      for (const g of victims) {
        const nic = uplinkOf(lab, g.name) as string;
        expect(nic).not.toBe('vmnic0');
        expect(corePortOf(lab, g.interfaces[0].mac, vlan)).toBe(lab.corePortOfEdge(Number(nic.slice(5))));
      }
      for (const g of others) expect(ev.some((e) => e.text.includes(`${g.name} ethernet0`))).toBe(false);
      for (const f of flows) expect(f.summary().lost).toBeLessThanOrEqual(1);
    });
  }

  it('notify off: the core keeps the stale entry and pings are lost until the VM talks', () => {
    const lab = vmsLab({ host: { notifySwitches: false } });
    lab.net.runUntil(1 * SECOND);
    const g = lab.guests.find((x) => uplinkOf(lab, x.name) === 'vmnic0');
    if (g === undefined) throw new Error('no VM on vmnic0');
    // Without power-on RARPs the core learns the VM only when it speaks.
    g.ping(lab.client.interfaces[0].addrs[0].ip, { count: 1 });
    lab.net.runUntil(2 * SECOND);
    expect(corePortOf(lab, g.interfaces[0].mac)).toBe('Gi1/0/1');
    const flow = lab.client.ping(g.interfaces[0].addrs[0].ip, { intervalNs: 1 * SECOND, timeoutNs: 1 * SECOND });
    lab.net.runUntil(3 * SECOND);
    lab.cable(0, 0).setUp(false);
    lab.net.runUntil(33 * SECOND);
    expect(lab.net.drainEvents().filter((e) => e.kind === 'esxi.rarp')).toEqual([]);
    expect(uplinkOf(lab, g.name)).toBe('vmnic1');
    expect(corePortOf(lab, g.interfaces[0].mac)).toBe('Gi1/0/1');
    const during = flow.summary();
    expect(during.lost).toBeGreaterThanOrEqual(28);
    // the VM speaks: the core learns the new edge, pings come back
    g.ping(lab.client.interfaces[0].addrs[0].ip, { count: 1 });
    lab.net.runUntil(40 * SECOND);
    expect(corePortOf(lab, g.interfaces[0].mac)).toBe('Gi1/0/2');
    const after = flow.probes.filter((p) => p.sentNs >= 35 * SECOND && p.result !== 'pending');
    expect(after.length).toBeGreaterThanOrEqual(4);
    expect(after.every((p) => p.result === 'reply')).toBe(true);
  });

  it('notify off: a short ageing time ends the outage when the stale entries age out', () => {
    const lab = vmsLab({ host: { notifySwitches: false } });
    // The surviving edge holds a stale entry too (the VM's first broadcast reached it through
    // the core), so it must age as well before the flood can reach the VM.
    for (const sw of [lab.core, ...lab.edges]) sw.setAgeingTime(10);
    lab.net.runUntil(1 * SECOND);
    const g = lab.guests.find((x) => uplinkOf(lab, x.name) === 'vmnic0');
    if (g === undefined) throw new Error('no VM on vmnic0');
    g.ping(lab.client.interfaces[0].addrs[0].ip, { count: 1 });
    lab.net.runUntil(2 * SECOND);
    const flow = lab.client.ping(g.interfaces[0].addrs[0].ip, { intervalNs: 1 * SECOND, timeoutNs: 1 * SECOND });
    lab.net.runUntil(3 * SECOND);
    lab.cable(0, 0).setUp(false);
    lab.net.runUntil(40 * SECOND);
    const s = flow.summary();
    // the entry was last refreshed about 1 s in, so it goes at about 11 s: some 8–10 probes lost
    expect(s.lost).toBeGreaterThanOrEqual(7);
    expect(s.lost).toBeLessThanOrEqual(11);
    expect(flow.probes.filter((p) => p.sentNs >= 20 * SECOND && p.result !== 'pending').every((p) => p.result === 'reply')).toBe(true);
  });

  it('failback on: vNICs return to their home uplink when it recovers and announce themselves again', () => {
    const lab = vmsLab();
    lab.net.runUntil(1 * SECOND);
    const home = lab.guests.map((g) => uplinkOf(lab, g.name));
    lab.cable(0, 0).setUp(false);
    lab.net.runUntil(2 * SECOND);
    expect(lab.guests.every((g) => uplinkOf(lab, g.name) === 'vmnic1')).toBe(true);
    lab.net.drainEvents();
    lab.cable(0, 0).setUp(true);
    lab.net.runUntil(3 * SECOND);
    expect(lab.guests.map((g) => uplinkOf(lab, g.name))).toEqual(home);
    const ev = lab.net.drainEvents();
    expect(ev.filter((e) => e.kind === 'esxi.failover' && e.text.includes('failback')).length).toBe(1);
    const back = lab.guests.filter((g, i) => home[i] === 'vmnic0');
    expect(ev.filter((e) => e.kind === 'esxi.rarp' && e.text.includes('ethernet0')).length).toBe(back.length);
    for (const g of back) expect(corePortOf(lab, g.interfaces[0].mac)).toBe('Gi1/0/1');
  });

  it('failback off: vNICs stay on the surviving uplink after the home uplink recovers', () => {
    const lab = vmsLab({ host: { failback: false } });
    lab.net.runUntil(1 * SECOND);
    lab.cable(0, 0).setUp(false);
    lab.net.runUntil(2 * SECOND);
    lab.cable(0, 0).setUp(true);
    lab.net.runUntil(3 * SECOND);
    expect(lab.guests.every((g) => uplinkOf(lab, g.name) === 'vmnic1')).toBe(true);
  });

  it('explicit standby: vNICs use the standby uplink only while no active uplink has link', () => {
    const lab = vmsLab({ uplinks: 3, host: { vSwitch0Uplinks: 'vmnic0,vmnic1', vSwitch0Standby: 'vmnic2' } });
    lab.net.runUntil(1 * SECOND);
    expect(lab.guests.some((g) => uplinkOf(lab, g.name) === 'vmnic2')).toBe(false);
    lab.cable(0, 0).setUp(false);
    lab.net.runUntil(2 * SECOND);
    expect(lab.guests.every((g) => uplinkOf(lab, g.name) === 'vmnic1')).toBe(true);
    lab.cable(0, 1).setUp(false);
    lab.net.runUntil(3 * SECOND);
    expect(lab.guests.every((g) => uplinkOf(lab, g.name) === 'vmnic2')).toBe(true);
    const flow = lab.client.ping(parseIpv4('10.0.0.21'), { count: 3, intervalNs: 100 * MS });
    lab.net.runUntil(4 * SECOND);
    expect(flow.summary().received).toBe(3);
  });
});
