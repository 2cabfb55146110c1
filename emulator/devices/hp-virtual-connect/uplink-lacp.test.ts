import { describe, expect, it } from 'vitest';
import { SECOND } from '../../core/time.ts';
import type { ChannelMode } from '../../l2/port-channel.ts';
import { blade, buildLab, ping, replies, type TestLab } from '../hp-c7000/test-support/build.ts';
import { VcCli } from './cli.ts';
import { VcConfig } from './config.ts';

const WEB = { name: 'web1', bay: 3, settings: { ip: '10.0.0.11/24' } };

/** Network Prod on X1 and X2 of module 1 and X1 of module 2; a profile with a NIC on each module. */
function config(networkOptions = ''): string {
  return `
add network Prod SmartLink=Enabled ${networkOptions}
add uplinkport enc0:1:X1 Network=Prod
add uplinkport enc0:1:X2 Network=Prod
add uplinkport enc0:2:X1 Network=Prod
add profile web1
add enet-connection web1 Network=Prod
add enet-connection web1 Network=Prod
assign profile web1 enc0:3
`;
}

/** The upstream switch's ports p1 and p2 (module 1's X1 and X2) in channel 1 with `mode`; p3 (module 2's X1) a plain port. */
function lab(mode: ChannelMode | null, cfg = config()): TestLab {
  const l = buildLab({ modules: [{ bay: 1 }, { bay: 2 }], blades: [WEB], config: cfg, uplinks: ['1:X1', '1:X2', '2:X1'] });
  if (mode !== null) {
    l.sw.joinChannel('p1', 1, mode);
    l.sw.joinChannel('p2', 1, mode);
  }
  return l;
}

function pull(l: TestLab, bay: number, port: string, up = false): void {
  l.net.links.find((x) => x.a === l.modules.get(bay)!.uplink(port))!.setUp(up);
}

function vcm(l: TestLab, line: string): string {
  return new VcCli(l.modules.get(1)!).input(line);
}

describe('VC uplink LAGs (connection mode Auto)', () => {
  it('two uplinks of one module in an LACP channel bundle into one LAG, which is active over the single uplink of the other module', () => {
    const l = lab('active');
    const flow = ping(l, '10.0.0.11', 500);
    l.net.runUntil(8 * SECOND);
    const a = l.enc.domain.activeUplink(1)!;
    expect(a.module.bay).toBe(1);
    expect(a.lag).toBe(25);
    expect(a.ports.map((p) => p.name)).toEqual(['X1', 'X2']);
    expect(l.sw.portChannels()[0].members.map((m) => m.state)).toEqual(['bundled', 'bundled']);
    // The client's first ARP goes out before the channel has bundled; the replies start once it asks again.
    const r = replies(flow, 3, 8);
    expect(r.ok).toBe(r.sent);
    const ports = vcm(l, 'show uplinkport');
    expect(ports).toMatch(/enc0:1:X1\s+enc0\s+Linked \(Active\)\s+10Gb\s+25\s+Prod/);
    expect(ports).toMatch(/enc0:1:X2\s+enc0\s+Linked \(Active\)\s+10Gb\s+25\s+Prod/);
    expect(ports).toMatch(/enc0:2:X1\s+enc0\s+Linked \(Standby\)\s+10Gb\s+--\s+Prod/);
    expect(vcm(l, 'show network')).toMatch(/Prod\s+OK\s+Enabled\s+--\s+--\s+enc0:1:X1 \(LAG 25: X1,X2\)\s+Auto/);
    expect(vcm(l, 'show uplinkport enc0:1:X2')).toMatch(/LAG ID\s+: 25\nLACP Partner\s+: 00-22-BD-00-01-00 Key 1 Port 2/);
  });

  it('a member cable pulled: the LAG stays active with the other member, and pings carry on', () => {
    const l = lab('active');
    const flow = ping(l, '10.0.0.11', 200);
    l.net.runUntil(5 * SECOND);
    pull(l, 1, 'X1');
    l.net.runUntil(12 * SECOND);
    const a = l.enc.domain.activeUplink(1)!;
    expect([a.module.bay, a.lag, a.ports.map((p) => p.name)]).toEqual([1, 25, ['X2']]);
    const r = replies(flow, 4, 12);
    expect(r.sent - r.ok).toBeLessThanOrEqual(1);
    // Back in: it bundles again, without the network ever leaving the LAG.
    pull(l, 1, 'X1', true);
    l.net.runUntil(16 * SECOND);
    expect(l.enc.domain.activeUplink(1)!.ports.map((p) => p.name)).toEqual(['X1', 'X2']);
    expect(replies(flow, 12, 16).ok).toBe(replies(flow, 12, 16).sent);
  });

  it('both members pulled: the network fails over to module 2 after the failover delay', () => {
    const l = lab('active');
    const flow = ping(l, '10.0.0.11', 200);
    l.net.runUntil(5 * SECOND);
    pull(l, 1, 'X1');
    pull(l, 1, 'X2');
    l.net.runUntil(12 * SECOND);
    const a = l.enc.domain.activeUplink(1)!;
    expect([a.module.bay, a.lag, a.port.name]).toEqual([2, null, 'X1']);
    const r = replies(flow, 5, 12);
    // uplinkFailoverMs 2000 at one ping per 200 ms: about ten lost, then Fast MAC Cache Failover moves the core at once.
    expect(r.sent - r.ok).toBeGreaterThanOrEqual(9);
    expect(r.sent - r.ok).toBeLessThanOrEqual(11);
  });

  it('upstream `mode on`: no LACPDUs come back, so the ports stay single uplinks and only one is active', () => {
    const l = lab('on');
    l.net.runUntil(8 * SECOND);
    const a = l.enc.domain.activeUplink(1)!;
    expect([a.module.bay, a.lag, a.port.name]).toEqual([1, null, 'X1']);
    const ports = vcm(l, 'show uplinkport');
    expect(ports).toMatch(/enc0:1:X1\s+enc0\s+Linked \(Active\)\s+10Gb\s+--/);
    expect(ports).toMatch(/enc0:1:X2\s+enc0\s+Linked \(Standby\)\s+10Gb\s+--/);
    expect(l.modules.get(1)!.lacp.view(l.modules.get(1)!.uplink('X2')!).individual).toBe(true);
    expect(l.sw.portChannels()[0].members.map((m) => m.state)).toEqual(['bundled', 'bundled']);
  });

  it.each([
    // The switch spreads the static channel by its hash: what lands on the standby port is dropped there.
    { balance: 'src-dst-mac' as const, hashedTo: 'X2', before: 0 },
    { balance: 'dst-mac' as const, hashedTo: 'X1', before: 25 },
  ])('upstream `mode on` hashing the client onto $hashedTo: $before of 25 replies; after the active port is pulled, a failover outage', ({ balance, hashedTo, before }) => {
    const l = lab('on');
    l.sw.setLoadBalance(balance);
    const flow = ping(l, '10.0.0.11', 200);
    l.net.runUntil(8 * SECOND);
    expect(replies(flow, 3, 8).ok).toBe(before);
    const x2 = l.modules.get(1)!.uplink('X2')!;
    expect(x2.inDiscards > 0).toBe(hashedTo === 'X2');
    pull(l, 1, 'X1');
    l.net.runUntil(16 * SECOND);
    const b = l.enc.domain.activeUplink(1)!;
    // X2 and module 2's X1 are equal; the lower bay wins.
    expect([b.module.bay, b.port.name]).toEqual([1, 'X2']);
    const after = replies(flow, 8, 16);
    // uplinkFailoverMs 2000 at one ping per 200 ms, then all of them.
    expect(after.sent - after.ok).toBeGreaterThanOrEqual(9);
    expect(after.sent - after.ok).toBeLessThanOrEqual(11);
    expect(replies(flow, 11, 16).ok).toBe(25);
  });

  it('uplinks of two modules in one upstream channel never bundle together: the switch suspends the second system', () => {
    const l = buildLab({ modules: [{ bay: 1 }, { bay: 2 }], blades: [WEB], config: config(), uplinks: ['1:X1', '2:X1', '1:X2'] });
    l.sw.joinChannel('p1', 1, 'active');
    l.sw.joinChannel('p2', 1, 'active');
    l.net.runUntil(3 * SECOND);
    expect(l.sw.portChannels()[0].members.map((m) => m.state)).toEqual(['bundled', 'suspended']);
    const a = l.enc.domain.activeUplink(1)!;
    expect([a.module.bay, a.lag, a.ports.map((p) => p.name)]).toEqual([1, 25, ['X1']]);
    expect(vcm(l, 'show uplinkport')).toMatch(/enc0:2:X1\s+enc0\s+Linked \(Not Bundled\)\s+10Gb\s+--/);
  });

  it('ports of one module facing two partners form two LAGs; the one with more bandwidth is active', () => {
    const cfg = config().replace('add uplinkport enc0:2:X1 Network=Prod\n', 'add uplinkport enc0:1:X3 Network=Prod\nadd uplinkport enc0:1:X4 Network=Prod\nadd uplinkport enc0:1:X5 Network=Prod\n');
    const l = buildLab({ modules: [{ bay: 1 }, { bay: 2 }], blades: [WEB], config: cfg, uplinks: ['1:X1', '1:X2', '1:X3', '1:X4', '1:X5'] });
    l.sw.joinChannel('p1', 1, 'active');
    l.sw.joinChannel('p2', 1, 'active');
    l.sw.joinChannel('p3', 2, 'active');
    l.sw.joinChannel('p4', 2, 'active');
    l.sw.joinChannel('p5', 2, 'active');
    const flow = ping(l, '10.0.0.11', 500);
    l.net.runUntil(8 * SECOND);
    const a = l.enc.domain.activeUplink(1)!;
    expect([a.lag, a.ports.map((p) => p.name)]).toEqual([26, ['X3', 'X4', 'X5']]);
    expect(l.sw.portChannels().map((c) => c.members.map((m) => m.state))).toEqual([
      ['bundled', 'bundled'],
      ['bundled', 'bundled', 'bundled'],
    ]);
    expect(vcm(l, 'show uplinkport')).toMatch(/enc0:1:X1\s+enc0\s+Linked \(Standby\)\s+10Gb\s+25/);
    const r = replies(flow, 3, 8);
    expect(r.ok).toBe(r.sent);
  });
});

describe('connection mode Failover', () => {
  it('sends no LACPDUs and prefers the Primary uplink over bandwidth and bay order', () => {
    const cfg = config('ConnectionMode=Failover') + 'set uplinkport enc0:2:X1 Role=Primary\n';
    const l = lab(null, cfg);
    const flow = ping(l, '10.0.0.11', 500);
    l.net.runUntil(8 * SECOND);
    const a = l.enc.domain.activeUplink(1)!;
    expect([a.module.bay, a.lag, a.port.name]).toEqual([2, null, 'X1']);
    expect(l.modules.get(2)!.uplink('X1')!.outMcast).toBe(0);
    expect(vcm(l, 'show uplinkport enc0:2:X1')).toMatch(/Connection Mode : Failover\nPort Role\s+: Primary\nLACP\s+: Disabled/);
    const r = replies(flow, 3, 8);
    expect(r.ok).toBe(r.sent);
    expect(blade(l, 'web1').hw.nics[1].operUp).toBe(true);
  });

  it('against an LACP channel upstream nothing bundles and the switch forwards nothing to the module', () => {
    const l = lab('active', config('ConnectionMode=Failover'));
    l.net.runUntil(4 * SECOND);
    expect(l.sw.portChannels()[0].members.map((m) => m.state)).toEqual(['waiting', 'waiting']);
  });
});

describe('uplink settings in the VC configuration', () => {
  it('reads ConnectionMode and LacpTimer on uplink sets and networks, and Role on uplink ports', () => {
    const c = new VcConfig();
    expect(
      c.apply(`add uplinkset SUS-A ConnectionMode=Failover LacpTimer=Long
add network A UplinkSet=SUS-A VLanID=10
add network B
set network B ConnectionMode=failover
add uplinkport enc0:1:X1 UplinkSet=SUS-A Role=Primary
add uplinkport enc0:1:X2 UplinkSet=SUS-A
set uplinkport enc0:1:X2 Role=Secondary
add uplinkport enc0:2:X1 Network=B
set uplinkset SUS-A ConnectionMode=Auto`),
    ).toEqual([]);
    expect(c.policyOf(c.vnets.get('A')!)).toMatchObject({ connectionMode: 'Auto', lacpTimer: 'Long' });
    expect(c.policyOf(c.vnets.get('B')!)).toEqual({ connectionMode: 'Failover', lacpTimer: 'Short' });
    expect(c.uplinkSets.get('SUS-A')!.ports.map((r) => r.role)).toEqual(['Primary', 'Secondary']);
  });

  it('refuses unknown modes and roles, and a port used twice', () => {
    const c = new VcConfig();
    const problems = c.apply(`add uplinkset S ConnectionMode=Active
add network N
add uplinkport enc0:1:X1 Network=N Role=Backup
add uplinkport enc0:1:X1 Network=N
add uplinkport enc0:1:X1 Network=N`);
    expect(problems.map((p) => p.message)).toEqual([
      'ERROR: Invalid ConnectionMode: Active (expected Auto or Failover)',
      'ERROR: Invalid Role: Backup (expected Primary or Secondary)',
      'ERROR: Port enc0:1:X1 is already in use',
    ]);
  });
});
