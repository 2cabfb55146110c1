import { describe, expect, it } from 'vitest';
import { parseMac } from '../../core/mac.ts';
import { MS } from '../../core/time.ts';
import { buildEsxiLab, rawFrame, RawGuest } from './test-support/lab.ts';

const CLUSTER_MAC = parseMac('02:bf:0a:00:00:32');

/**
 * KB 1556 by mechanism: two unicast-NLB VMs on two hosts whose adapters present the cluster MAC.
 * The hosts' RARPs carry that MAC, the switches learn it on one port, and the other VM goes dark.
 * Nothing here knows about NLB: the outcome comes from the RARP and MAC learning.
 */
function nlbLab(notify: boolean, o: { vlan?: number; guestSetsMac?: boolean; macChanges?: boolean } = {}) {
  const vlan = o.vlan ?? 0;
  const opts = [`notify=${notify ? 'yes' : 'no'}`];
  // A dvSwitch rejects MAC changes unless the port group accepts them, as seed 001's do.
  opts.push(`macchanges=${o.macChanges === false ? 'reject' : 'accept'}`);
  const lab = buildEsxiLab({ hosts: 2, vlan, host: { dvsUplinks: 'vmnic0,vmnic1', dvPortGroups: `NLB/${vlan}/${opts.join('/')}` } });
  // Either the vNIC is configured with the cluster MAC, or the guest programs it (NLB unicast
  // on a VM with its own 00:50:56 vNIC MAC) and the port group accepts the change.
  const vms = lab.hosts.map((h, i) =>
    o.guestSetsMac ? new RawGuest(h, `nlb${i + 1}`, 'NLB', parseMac(`00:50:56:80:00:0${i + 1}`), CLUSTER_MAC) : new RawGuest(h, `nlb${i + 1}`, 'NLB', CLUSTER_MAC),
  );
  return { ...lab, vms, vlanId: vlan || 1 };
}

function sendToCluster(lab: ReturnType<typeof nlbLab>, n: number): void {
  for (let i = 0; i < n; i++) lab.client.interfaces[0].port.send(rawFrame(lab.net, CLUSTER_MAC, lab.client.interfaces[0].mac, 100 + i));
}

describe('unicast NLB VMs and Notify Switches (VMware KB 1556)', () => {
  for (const vlan of [0, 98]) {
    it(`notify on (vlan ${vlan}): the core learns the cluster MAC on one port and the other node stops receiving`, () => {
      const lab = nlbLab(true, { vlan });
      lab.net.runUntil(1 * MS);
      const entry = lab.core.macTable({ vlan: lab.vlanId }).find((e) => e.mac === CLUSTER_MAC);
      expect(entry?.ports.length).toBe(1);
      sendToCluster(lab, 5);
      lab.net.runUntil(2 * MS);
      const got = lab.vms.map((v) => v.received.length);
      expect(got.filter((n) => n > 0).length).toBe(1);
      expect(Math.max(...got)).toBeGreaterThanOrEqual(5);
    });

    it(`notify off (vlan ${vlan}): nothing exposes the cluster MAC, frames flood and both nodes receive`, () => {
      const lab = nlbLab(false, { vlan });
      lab.net.runUntil(1 * MS);
      expect(lab.core.macTable({ vlan: lab.vlanId }).find((e) => e.mac === CLUSTER_MAC)).toBeUndefined();
      sendToCluster(lab, 5);
      lab.net.runUntil(2 * MS);
      for (const v of lab.vms) expect(new Set(v.received)).toEqual(new Set([100, 101, 102, 103, 104]));
      expect(lab.net.drainEvents().filter((e) => e.kind === 'esxi.rarp' && e.text.includes('nlb'))).toEqual([]);
    });
  }

  it('notify on, MAC set by the guest: the RARP carries the MAC the adapter presents, with the same result', () => {
    const lab = nlbLab(true, { guestSetsMac: true });
    lab.net.runUntil(1 * MS);
    const rarps = lab.net.drainEvents().filter((e) => e.kind === 'esxi.rarp' && e.text.includes('nlb'));
    expect(rarps.length).toBe(2);
    for (const r of rarps) expect(r.text).toContain('02:bf:0a:00:00:32');
    sendToCluster(lab, 3);
    lab.net.runUntil(2 * MS);
    expect(lab.vms.filter((v) => v.received.length > 0).length).toBe(1);
  });

  it('MAC address changes rejected: the port keeps its vNIC MAC, the RARP exposes that, and cluster frames reach no one', () => {
    const lab = nlbLab(true, { guestSetsMac: true, macChanges: false });
    lab.net.runUntil(1 * MS);
    expect(lab.core.macTable().find((e) => e.mac === CLUSTER_MAC)).toBeUndefined();
    expect(lab.core.macTable().some((e) => e.mac === parseMac('00:50:56:80:00:01'))).toBe(true);
    sendToCluster(lab, 3);
    lab.net.runUntil(2 * MS);
    expect(lab.vms.every((v) => v.received.length === 0)).toBe(true);
  });

  it('notify off, then the node the switch would have picked fails over: both keep receiving', () => {
    const lab = nlbLab(false);
    lab.net.runUntil(1 * MS);
    lab.cable(0, 0).setUp(false);
    lab.net.runUntil(2 * MS);
    sendToCluster(lab, 3);
    lab.net.runUntil(3 * MS);
    for (const v of lab.vms) expect(v.received.length).toBeGreaterThanOrEqual(3);
  });
});
