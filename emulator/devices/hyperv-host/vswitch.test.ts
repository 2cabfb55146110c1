import { describe, expect, it } from 'vitest';
import { parseMac } from '../../core/mac.ts';
import { MS } from '../../core/time.ts';
import { buildLab, clientRaw, RawGuest } from './test-support/topology.ts';

const CLUSTER_MAC = parseMac('02-bf-0a-00-00-32');

function spoofLab(spoofing: boolean, vlan = 0) {
  const lab = buildLab({ hosts: 1, host: { teaming: 'None', nics: 1 }, vlan });
  const vm = lab.hosts[0].createVm({ name: 'nlb1', adapters: [{ macSpoofing: spoofing, vlan }] });
  const guest = new RawGuest(lab.net, vm);
  return { ...lab, vm, guest };
}

describe('external vSwitch, MAC address spoofing', () => {
  for (const vlan of [0, 30]) {
    it(`off (vlan ${vlan}): frames sourced from another MAC never leave the host`, () => {
      const { net, sw, guest, hosts } = spoofLab(false, vlan);
      net.runUntil(1 * MS);
      guest.send(0xffffffffffff, CLUSTER_MAC);
      guest.send(0xffffffffffff, parseMac('02-01-0a-00-00-32'));
      guest.send(0xffffffffffff, guest.mac, 7);
      net.runUntil(2 * MS);
      const macs = sw.macTable().map((e) => e.mac);
      expect(macs).not.toContain(CLUSTER_MAC);
      expect(macs).toContain(guest.mac);
      expect(hosts[0].vswitch.spoofDrops).toBe(2);
      const ev = net.drainEvents().filter((e) => e.kind === 'vswitch.spoof-drop');
      expect(ev.length).toBe(2);
      expect(ev[0].text).toContain('02-bf-0a-00-00-32');
    });

    it(`off (vlan ${vlan}): unicast for the cluster MAC is not delivered, the assigned MAC and broadcasts are`, () => {
      const lab = spoofLab(false, vlan);
      lab.net.runUntil(1 * MS);
      clientRaw(lab, CLUSTER_MAC, 1);
      clientRaw(lab, lab.guest.mac, 2);
      clientRaw(lab, 0xffffffffffff, 3);
      lab.net.runUntil(2 * MS);
      expect(lab.guest.received.map((f) => f.tag)).toEqual([2, 3]);
      expect(lab.guest.received.every((f) => f.vlan === 0)).toBe(true);
    });
  }

  it('on: the vSwitch learns the MAC the guest uses and delivers the flooded cluster MAC', () => {
    const lab = spoofLab(true);
    lab.net.runUntil(1 * MS);
    clientRaw(lab, CLUSTER_MAC, 1);
    lab.net.runUntil(2 * MS);
    expect(lab.guest.received.map((f) => f.tag)).toEqual([1]);
    lab.guest.send(0xffffffffffff, CLUSTER_MAC);
    lab.net.runUntil(3 * MS);
    expect(lab.hosts[0].vswitch.macTable().find((e) => e.mac === CLUSTER_MAC)).toMatchObject({ vm: 'nlb1', learned: true });
    expect(lab.sw.macTable().find((e) => e.mac === CLUSTER_MAC)?.ports).toEqual(['Gi1/0/1']);
    expect(lab.hosts[0].vswitch.spoofDrops).toBe(0);
  });

  it('turning spoofing off forgets the learned MAC and drops it again', () => {
    const lab = spoofLab(true);
    lab.net.runUntil(1 * MS);
    lab.guest.send(0xffffffffffff, CLUSTER_MAC);
    lab.net.runUntil(2 * MS);
    lab.hosts[0].setMacSpoofing('nlb1', false);
    expect(lab.hosts[0].vswitch.macTable().map((e) => e.mac)).not.toContain(CLUSTER_MAC);
    lab.guest.send(0xffffffffffff, CLUSTER_MAC);
    clientRaw(lab, CLUSTER_MAC, 9);
    lab.net.runUntil(3 * MS);
    expect(lab.hosts[0].vswitch.spoofDrops).toBe(1);
    expect(lab.guest.received.map((f) => f.tag)).not.toContain(9);
  });

  it('two VMs on one host reach each other locally; only the spoofing VM gets unknown unicast', () => {
    const lab = buildLab({ hosts: 1, host: { teaming: 'None', nics: 1 } });
    const a = new RawGuest(lab.net, lab.hosts[0].createVm({ name: 'a', adapters: [{ macSpoofing: true }] }));
    const b = new RawGuest(lab.net, lab.hosts[0].createVm({ name: 'b', adapters: [{ macSpoofing: false }] }));
    lab.net.runUntil(1 * MS);
    a.send(b.mac, a.mac, 5);
    clientRaw(lab, CLUSTER_MAC, 6);
    lab.net.runUntil(2 * MS);
    expect(b.received.map((f) => f.tag)).toEqual([5]);
    expect(a.received.map((f) => f.tag)).toEqual([6]);
    // the local frame never went out the uplink
    expect(lab.sw.macTable().map((e) => e.mac)).not.toContain(a.mac);
  });

  it('VMs on different VLANs do not see each other', () => {
    const lab = buildLab({ hosts: 1, host: { teaming: 'None', nics: 1 }, vlan: 40 });
    const a = new RawGuest(lab.net, lab.hosts[0].createVm({ name: 'a', adapters: [{ vlan: 40 }] }));
    const b = new RawGuest(lab.net, lab.hosts[0].createVm({ name: 'b', adapters: [{ vlan: 41 }] }));
    lab.net.runUntil(1 * MS);
    a.send(0xffffffffffff, a.mac, 1);
    clientRaw(lab, 0xffffffffffff, 2);
    lab.net.runUntil(2 * MS);
    expect(b.received).toEqual([]);
    expect(a.received.map((f) => f.tag)).toEqual([2]);
    expect(lab.sw.macTable({ vlan: 40 }).map((e) => e.mac)).toContain(a.mac);
  });
});
