import { describe, expect, it } from 'vitest';
import { parseMac } from '../../core/mac.ts';
import { MS } from '../../core/time.ts';
import { buildEsxiLab, rawFrame, RawGuest } from './test-support/lab.ts';

const A = parseMac('00:50:56:80:00:0a');
const B = parseMac('00:50:56:80:00:0b');
const NOBODY = parseMac('00:50:56:80:00:99');

function twoVms(host: Record<string, string | boolean> = {}) {
  const lab = buildEsxiLab({ hosts: 1, host: { portGroups: 'VM Network/0; Other/0/forged=reject', ...host } });
  const a = new RawGuest(lab.hosts[0], 'a', 'VM Network', A);
  const b = new RawGuest(lab.hosts[0], 'b', 'VM Network', B);
  return { ...lab, a, b };
}

describe('ESXi vSwitch forwarding', () => {
  it('unicast from a VM to a MAC no port has goes out its uplink only, never to the other VMs', () => {
    const lab = twoVms();
    lab.net.runUntil(1 * MS);
    lab.a.send(NOBODY, A, 1);
    lab.net.runUntil(2 * MS);
    expect(lab.b.received).toEqual([]);
    // it reached the physical network: the core learned A from it
    expect(lab.core.macTable().some((e) => e.mac === A)).toBe(true);
  });

  it('VM to VM on the same host stays inside the host', () => {
    const lab = twoVms({ notifySwitches: false });
    lab.net.runUntil(1 * MS);
    lab.a.send(B, A, 2);
    lab.net.runUntil(2 * MS);
    expect(lab.b.received).toEqual([2]);
    expect(lab.core.macTable().some((e) => e.mac === A)).toBe(false);
  });

  it('unknown unicast from the wire is dropped, not flooded to the VMs', () => {
    const lab = twoVms();
    lab.net.runUntil(1 * MS);
    lab.client.interfaces[0].port.send(rawFrame(lab.net, NOBODY, lab.client.interfaces[0].mac, 3));
    lab.net.runUntil(2 * MS);
    expect(lab.a.received).toEqual([]);
    expect(lab.b.received).toEqual([]);
    expect(lab.hosts[0].vswitch0.unknownUnicastDrops).toBeGreaterThan(0);
  });

  it('a broadcast flooded to both uplinks reaches each VM once, through its own team uplink', () => {
    const lab = twoVms();
    lab.net.runUntil(1 * MS);
    lab.client.interfaces[0].port.send(rawFrame(lab.net, 0xffffffffffff, lab.client.interfaces[0].mac, 4));
    lab.net.runUntil(2 * MS);
    expect(lab.a.received).toEqual([4]);
    expect(lab.b.received).toEqual([4]);
    expect(lab.hosts[0].vswitch0.reverseFilterDrops).toBeGreaterThan(0);
  });

  it('forged transmits rejected: frames with another source MAC are dropped at the port', () => {
    const lab = buildEsxiLab({ hosts: 1, host: { portGroups: 'Strict/0/forged=reject' } });
    const g = new RawGuest(lab.hosts[0], 'g', 'Strict', A);
    lab.net.runUntil(1 * MS);
    g.send(0xffffffffffff, NOBODY, 5);
    g.send(0xffffffffffff, A, 6);
    lab.net.runUntil(2 * MS);
    const port = lab.hosts[0].portsOf(lab.hosts[0].vms.get('g')!)[0];
    expect(port.securityDrops).toBe(1);
    expect(lab.core.macTable().some((e) => e.mac === NOBODY)).toBe(false);
  });

  it('a VM powered on later announces itself; powered off it stops receiving', () => {
    const lab = twoVms();
    lab.net.runUntil(1 * MS);
    lab.hosts[0].powerOffVm('b');
    lab.net.drainEvents();
    lab.a.send(B, A, 7);
    lab.net.runUntil(2 * MS);
    expect(lab.b.received).toEqual([]);
    lab.hosts[0].powerOnVm('b');
    lab.net.runUntil(3 * MS);
    expect(lab.net.drainEvents().some((e) => e.kind === 'esxi.rarp' && e.text.includes('b ethernet0') && e.text.includes('power-on'))).toBe(true);
  });

  it('the management vmknic answers pings on its address', () => {
    const lab = buildEsxiLab({ hosts: 1 });
    lab.net.runUntil(1 * MS);
    const flow = lab.client.ping(lab.hosts[0].vmk0.interfaces[0].addrs[0].ip, { count: 2, intervalNs: 10 * MS });
    lab.net.runUntil(100 * MS);
    expect(flow.summary().received).toBe(2);
  });
});
