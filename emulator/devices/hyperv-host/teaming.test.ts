import { describe, expect, it } from 'vitest';
import { parseIpv4 } from '../../core/ipv4.ts';
import { EthernetSwitch } from '../../l2/switch.ts';
import type { Port } from '../../core/port.ts';
import { MS, SECOND } from '../../core/time.ts';
import type { LoadBalancingAlgorithm } from '../../l2/lbfo-team.ts';
import type { GenericGuest } from './generic-guest.ts';
import { HypervHost } from './host.ts';
import { buildLab, ipVm, LINK, type Lab } from './test-support/topology.ts';

const CLIENT = parseIpv4('10.0.0.100');

/** The guest sends `flows` UDP flows (different source ports) to the client. */
function sendFlows(g: GenericGuest, flows: number, dst = CLIENT): void {
  for (let i = 0; i < flows; i++) g.sendUdp(dst, 2000 + i * 7, 9000, 100);
}

function macPorts(lab: Lab, mac: number): string[] {
  return lab.sw.macTable().filter((e) => e.mac === mac).flatMap((e) => e.ports);
}

function siLab(algorithm: LoadBalancingAlgorithm, vlan = 0) {
  const lab = buildLab({ hosts: 1, host: { teaming: 'SwitchIndependent', loadBalancing: algorithm }, vlan });
  const vms = [ipVm(lab.hosts[0], 'vm1', '10.0.0.11', { vlan }), ipVm(lab.hosts[0], 'vm2', '10.0.0.12', { vlan })];
  lab.net.runUntil(1 * MS);
  // resolve the client first so later sends are not held by ARP
  for (const g of vms) g.sendUdp(CLIENT, 1, 9, 10);
  lab.net.runUntil(50 * MS);
  return { lab, vms };
}

describe('LBFO switch independent', () => {
  for (const vlan of [0, 20]) {
    it(`Hyper-V Port (vlan ${vlan}): each vNIC is pinned to one member, in and out`, () => {
      const { lab, vms } = siLab('HyperVPort', vlan);
      const [nic1, nic2] = lab.hosts[0].nics;
      const out1 = nic1.outUcast;
      const out2 = nic2.outUcast;
      sendFlows(vms[0], 16);
      lab.net.runUntil(60 * MS);
      expect(nic1.outUcast - out1).toBe(16);
      expect(nic2.outUcast - out2).toBe(0);
      expect(macPorts(lab, vms[0].adapterMac(0))).toEqual([lab.portOf(0, 0)]);
      expect(macPorts(lab, vms[1].adapterMac(0))).toEqual([lab.portOf(0, 1)]);
      const in1 = nic1.inUcast;
      const in2 = nic2.inUcast;
      for (let i = 0; i < 5; i++) lab.client.sendUdp(parseIpv4('10.0.0.12'), 3000 + i, 9, 100);
      lab.net.runUntil(100 * MS);
      expect(nic2.inUcast - in2).toBeGreaterThanOrEqual(5);
      expect(nic1.inUcast - in1).toBe(0);
    });
  }

  it('Address Hash: outbound spreads over both members, but the switch learns the VM only on the primary', () => {
    const { lab, vms } = siLab('TransportPorts');
    const [nic1, nic2] = lab.hosts[0].nics;
    const o1 = nic1.outUcast;
    const o2 = nic2.outUcast;
    sendFlows(vms[0], 32);
    lab.net.runUntil(60 * MS);
    expect(nic1.outUcast - o1).toBeGreaterThan(0);
    expect(nic2.outUcast - o2).toBeGreaterThan(0);
    // frames on NIC2 carried NIC2's own MAC, so the VM's MAC stays on the primary's port
    expect(macPorts(lab, vms[0].adapterMac(0))).toEqual([lab.portOf(0, 0)]);
    expect(macPorts(lab, nic2.mac)).toEqual([lab.portOf(0, 1)]);
    expect(lab.net.drainEvents().filter((e) => e.kind === 'mac.move')).toEqual([]);
    const i1 = nic1.inUcast;
    const i2 = nic2.inUcast;
    for (const g of vms) lab.client.sendUdp(parseIpv4(g === vms[0] ? '10.0.0.11' : '10.0.0.12'), 4000, 9, 100);
    lab.net.runUntil(100 * MS);
    expect(nic1.inUcast - i1).toBeGreaterThanOrEqual(2);
    expect(nic2.inUcast - i2).toBe(0);
  });

  it('Dynamic: outbound flowlets use both members, inbound arrives on each VM\'s home member', () => {
    const { lab, vms } = siLab('Dynamic');
    const [nic1, nic2] = lab.hosts[0].nics;
    const o1 = nic1.outUcast;
    const o2 = nic2.outUcast;
    // flowlets: bursts separated by idle gaps longer than the flowlet gap
    for (let burst = 0; burst < 6; burst++) {
      sendFlows(vms[0], 4);
      lab.net.runUntil(lab.net.now + 20 * MS);
    }
    expect(nic1.outUcast - o1).toBeGreaterThan(0);
    expect(nic2.outUcast - o2).toBeGreaterThan(0);
    expect(macPorts(lab, vms[0].adapterMac(0))).toEqual([lab.portOf(0, 0)]);
    expect(macPorts(lab, vms[1].adapterMac(0))).toEqual([lab.portOf(0, 1)]);
  });

  it('a failed member\'s vNICs move to the other member and traffic resumes', () => {
    const { lab } = siLab('HyperVPort');
    const flow = lab.client.ping(parseIpv4('10.0.0.11'), { intervalNs: 50 * MS, timeoutNs: 1 * SECOND });
    lab.net.runUntil(1 * SECOND);
    const link = lab.net.links.find((l) => l.a === lab.hosts[0].nics[0]);
    link?.setUp(false);
    lab.net.runUntil(3 * SECOND);
    flow.running = false;
    lab.net.runUntil(5 * SECOND);
    const s = flow.summary();
    expect(s.received).toBeGreaterThan(50);
    expect(s.outageNs).toBeLessThan(200 * MS);
    expect(lab.hosts[0].team?.memberFor(lab.hosts[0].vms.get('vm1')!.adapters[0].id)).toBe('NIC2');
    const ev = lab.net.drainEvents().map((e) => e.kind);
    expect(ev).toContain('team.member.failed');
  });

  it('a standby member carries nothing until an active member fails', () => {
    const lab = buildLab({ hosts: 1, host: { teaming: 'SwitchIndependent', loadBalancing: 'TransportPorts', standbyMember: 'NIC2' } });
    const g = ipVm(lab.hosts[0], 'vm1', '10.0.0.11');
    lab.net.runUntil(1 * MS);
    g.sendUdp(CLIENT, 1, 9, 10);
    lab.net.runUntil(50 * MS);
    const nic2 = lab.hosts[0].nics[1];
    sendFlows(g, 32);
    lab.net.runUntil(100 * MS);
    expect(nic2.outUcast).toBe(0);
    expect(lab.hosts[0].team?.memberViews().map((m) => m.operationalStatus)).toEqual(['Active', 'Standby']);
    lab.net.links.find((l) => l.a === lab.hosts[0].nics[0])?.setUp(false);
    lab.net.runUntil(200 * MS);
    sendFlows(g, 4);
    lab.net.runUntil(300 * MS);
    expect(nic2.outUcast).toBeGreaterThanOrEqual(4);
    expect(lab.hosts[0].team?.view().status).toBe('Degraded');
  });
});

describe('LBFO switch dependent', () => {
  it('Static with a static port-channel: the VM is learned on the channel and the switch spreads inbound', () => {
    const lab = buildLab({ hosts: 1, host: { teaming: 'Static', loadBalancing: 'TransportPorts' }, channel: 'on' });
    lab.sw.setLoadBalance('src-dst-ip-l4');
    const g = ipVm(lab.hosts[0], 'vm1', '10.0.0.11');
    lab.net.runUntil(1 * MS);
    g.sendUdp(CLIENT, 1, 9, 10);
    lab.net.runUntil(50 * MS);
    sendFlows(g, 32);
    lab.net.runUntil(100 * MS);
    expect(macPorts(lab, g.adapterMac(0))).toEqual(['Port-channel1']);
    const [nic1, nic2] = lab.hosts[0].nics;
    const i1 = nic1.inUcast;
    const i2 = nic2.inUcast;
    for (let i = 0; i < 32; i++) lab.client.sendUdp(parseIpv4('10.0.0.11'), 5000 + i * 3, 9, 100);
    lab.net.runUntil(150 * MS);
    expect(nic1.inUcast - i1).toBeGreaterThan(0);
    expect(nic2.inUcast - i2).toBeGreaterThan(0);
    expect(lab.net.drainEvents().filter((e) => e.kind === 'mac.move')).toEqual([]);
  });

  it('Static against a switch with no port-channel: the VM MAC flaps between the two ports', () => {
    const lab = buildLab({ hosts: 1, host: { teaming: 'Static', loadBalancing: 'TransportPorts' }, channel: null });
    const g = ipVm(lab.hosts[0], 'vm1', '10.0.0.11');
    lab.net.runUntil(1 * MS);
    g.sendUdp(CLIENT, 1, 9, 10);
    lab.net.runUntil(50 * MS);
    sendFlows(g, 32);
    lab.net.runUntil(100 * MS);
    expect(lab.net.drainEvents().filter((e) => e.kind === 'mac.move').length).toBeGreaterThan(2);
  });

  it('LACP: the team and the switch port-channel bundle both members with real LACPDUs', () => {
    const lab = buildLab({ hosts: 1, host: { teaming: 'Lacp', loadBalancing: 'Dynamic' }, channel: 'active' });
    lab.net.runUntil(2 * SECOND);
    const [po] = lab.sw.portChannels();
    expect(po.members.map((m) => m.state)).toEqual(['bundled', 'bundled']);
    expect(po.members[0].partnerSystem).toBe(lab.hosts[0].nics[0].mac);
    const team = lab.hosts[0].team!;
    expect(team.view().status).toBe('Up');
    expect(team.memberViews().every((m) => m.operationalStatus === 'Active' && m.lacpPartner === lab.sw.systemMac)).toBe(true);
    expect(lab.hosts[0].nics[0].outOctets).toBeGreaterThan(0);
  });

  it('LACP: a member whose partner is another switch is suspended', () => {
    const lab = buildLab({ hosts: 0 });
    const hv = new HypervHost(lab.net, 'hvx', { teaming: 'Lacp', loadBalancing: 'Dynamic' });
    const swB = new EthernetSwitch(lab.net, 'swB', { portNames: ['Gi1/0/1'], speedBps: 10e9, baseMac: 0x0022bd00f000 });
    lab.net.connect(hv.nics[0], lab.sw.portByName('Gi1/0/1') as Port, LINK);
    lab.net.connect(hv.nics[1], swB.portByName('Gi1/0/1') as Port, LINK);
    lab.sw.joinChannel('Gi1/0/1', 1, 'active');
    swB.joinChannel('Gi1/0/1', 1, 'active');
    lab.net.runUntil(3 * SECOND);
    const members = hv.team!.memberViews();
    expect(members.map((m) => m.operationalStatus)).toEqual(['Active', 'Failed']);
    expect(members[1].failureReason).toBe('LacpNegotiationIssue');
    expect(hv.team!.view().status).toBe('Degraded');
    const susp = lab.net.drainEvents().filter((e) => e.kind === 'lacp.suspended');
    expect(susp.some((e) => e.device === 'hvx' && e.port === 'NIC2')).toBe(true);
  });

  it('LACP against switch ports that do not run LACP: the team never comes up', () => {
    const lab = buildLab({ hosts: 1, host: { teaming: 'Lacp', loadBalancing: 'Dynamic' }, channel: null });
    lab.net.runUntil(5 * SECOND);
    expect(lab.hosts[0].team!.view().status).toBe('Down');
  });
});
