import { describe, expect, it } from 'vitest';
import { parseIpv4 } from '../../core/ipv4.ts';
import { Network } from '../../core/network.ts';
import { ETHERTYPE_IPV4, IPPROTO_IGMP } from '../../core/packets.ts';
import { MS, SECOND } from '../../core/time.ts';
import { groupMac } from '../../l2/igmp-snooping.ts';
import { RawFrameHost } from '../../l2/raw-host.ts';
import { IGMP_V2_REPORT } from '../../wire/igmp.ts';
import { findPort } from '../kind.ts';
import { checkPowerConnectConfig, PowerConnectSwitch } from './device.ts';
import { powerConnect5424Info, powerConnect5448Info } from './info.ts';

const NLB_MAC = 0x03bf0a000064; // NLB multicast mode, VIP 10.0.0.100

/** The seed 002 switch: two Hyper-V hosts on LACP LAGs ch1 (g1-2) and ch2 (g3-4), NLB in VLAN 10. */
function coreConfig(withGroup: boolean, filtering = true): string {
  return `vlan database
vlan 10
exit
interface range ethernet g(1-2)
channel-group 1 mode auto
exit
interface range ethernet g3-4
channel-group 2 mode auto
exit
interface port-channel 1
switchport mode trunk
switchport trunk allowed vlan add 10
exit
interface port-channel 2
switchport mode trunk
switchport trunk allowed vlan add 10
exit
interface range ethernet g10-12
switchport access vlan 10
exit
interface vlan 10
name NLB
${withGroup ? 'bridge multicast address 03:bf:0a:00:00:64\nbridge multicast address 03bf.0a00.0064 add port-channel 1-2' : ''}
exit
${filtering ? 'bridge multicast filtering' : ''}
ip igmp snooping
hostname core
`;
}

/** A Hyper-V host's LACP team, played by a second switch: LAG on g1-2 towards the core, the NLB guest on g3. */
const HOST_SIDE = `vlan database
vlan 10
exit
interface range ethernet g(1-2)
channel-group 1 mode auto
exit
interface port-channel 1
switchport mode trunk
switchport trunk allowed vlan add 10
exit
interface ethernet g3
switchport access vlan 10
exit
`;

function nlbLab(withGroup: boolean, filtering = true) {
  const net = new Network(11);
  const link = { rateBps: 1e9, delayNs: 500 };
  const core = new PowerConnectSwitch(net, 'core', 'dell-powerconnect-5424', {}, coreConfig(withGroup, filtering));
  expect(core.configIssues).toEqual([]);
  const nodes = [1, 2].map((k) => {
    const hv = new PowerConnectSwitch(net, `hv${k}`, 'dell-powerconnect-5424', {}, HOST_SIDE);
    net.connect(hv.portByName('g1')!, core.portByName(`g${2 * k - 1}`)!, link);
    net.connect(hv.portByName('g2')!, core.portByName(`g${2 * k}`)!, link);
    const guest = new RawFrameHost(net, `nlb${k}`, 0x00155d000000 + k, 1e9);
    net.connect(guest.nic, hv.portByName('g3')!, link);
    return guest;
  });
  const [client, other1, other2] = [10, 11, 12].map((p) => {
    const h = new RawFrameHost(net, `pc${p}`, 0x005056000000 + p, 1e9);
    net.connect(h.nic, core.portByName(`g${p}`)!, link);
    return h;
  }) as [RawFrameHost, RawFrameHost, RawFrameHost];
  const con = core.openConsole();
  con.input('enable');
  con.input('terminal datadump');
  return { net, core, nodes, client, other1, other2, con };
}

function outMcast(sw: PowerConnectSwitch, ports: string[]): number {
  return ports.reduce((s, p) => s + sw.counters(p).outMcast, 0);
}

describe('catalog entries', () => {
  it('names ports g1–g24 on the 5424 and g1–g48 on the 5448', () => {
    const p = powerConnect5424Info.ports({});
    expect(p).toHaveLength(24);
    expect(p[0]!.name).toBe('g1');
    expect(findPort(p, 'ethernet g24')?.name).toBe('g24');
    expect(findPort(p, 'g25')).toBeUndefined();
    expect(powerConnect5448Info.ports({})).toHaveLength(48);
    expect(powerConnect5424Info.settings['igmp-host-timeout']).toMatchObject({ default: 260 });
  });
});

describe('NLB multicast cluster MAC through the switch (seed 002)', () => {
  it('with a bridge multicast group on the two LAGs, only the LAG counters rise', () => {
    const { net, core, nodes, client, other1, other2, con } = nlbLab(true);
    net.runUntil(3 * SECOND);
    expect(con.input('show interfaces port-channel')).toContain('ch1      Active: g(1-2)');
    const lagBefore = outMcast(core, ['g1', 'g2', 'g3', 'g4']);
    const quietBefore = outMcast(core, ['g11', 'g12']);
    client.startStream({ dst: NLB_MAC, etherType: 0x0800, size: 300, intervalNs: MS, count: 50, startNs: net.now + MS });
    net.runUntil(net.now + 100 * MS);
    expect(nodes.map((n) => n.delivered)).toEqual([50, 50]);
    expect([other1.delivered, other2.delivered]).toEqual([0, 0]);
    expect(outMcast(core, ['g11', 'g12']) - quietBefore).toBe(0);
    expect(outMcast(core, ['g1', 'g2', 'g3', 'g4']) - lagBefore).toBeGreaterThanOrEqual(100);
    const table = con.input('show bridge multicast address-table');
    expect(table).toMatch(/10 +03:bf:0a:00:00:64 +Static +ch\(1-2\)/);
    const counters = con.input('show interfaces counters port-channel 1');
    expect(counters).toMatch(/ch1 +\d+ +\d+ +\d+ +\d+/);
  });

  it('without the group, the cluster MAC floods every port of the VLAN', () => {
    const { net, core, client, other1, other2 } = nlbLab(false);
    net.runUntil(3 * SECOND);
    const quietBefore = outMcast(core, ['g11', 'g12']);
    client.startStream({ dst: NLB_MAC, etherType: 0x0800, size: 300, intervalNs: MS, count: 50, startNs: net.now + MS });
    net.runUntil(net.now + 100 * MS);
    expect([other1.delivered, other2.delivered]).toEqual([50, 50]);
    expect(outMcast(core, ['g11', 'g12']) - quietBefore).toBe(100);
  });

  it('with the group but bridge multicast filtering left disabled, it still floods', () => {
    const { net, client, other1 } = nlbLab(true, false);
    net.runUntil(3 * SECOND);
    client.startStream({ dst: NLB_MAC, etherType: 0x0800, size: 300, intervalNs: MS, count: 10, startNs: net.now + MS });
    net.runUntil(net.now + 50 * MS);
    expect(other1.delivered).toBe(10);
  });
});

describe('IGMP multicast NLB through snooping', () => {
  it('learns the guests\' joins on the LAGs and shows them the Radlan way', () => {
    const cfg = coreConfig(false).replace('name NLB\n', 'name NLB\nip igmp snooping\n');
    const net = new Network(5);
    const core = new PowerConnectSwitch(net, 'core', 'dell-powerconnect-5424', {}, cfg);
    const guest = new RawFrameHost(net, 'g', 0x00155d000001, 1e9);
    const quiet = new RawFrameHost(net, 'q', 0x00155d000002, 1e9);
    net.connect(guest.nic, core.portByName('g10')!, { rateBps: 1e9, delayNs: 500 });
    net.connect(quiet.nic, core.portByName('g11')!, { rateBps: 1e9, delayNs: 500 });
    const group = parseIpv4('239.255.0.100');
    const f = net.pool.alloc();
    Object.assign(f, { dst: groupMac(group), src: guest.mac, vlan: 0, pcp: 0, etherType: ETHERTYPE_IPV4, size: 64, tag: 0 });
    f.payload = { kind: 'ipv4', src: parseIpv4('10.0.0.11'), dst: group, ttl: 1, protocol: IPPROTO_IGMP, ident: 0, dscp: 0, totalLength: 28, payload: { kind: 'igmp', type: IGMP_V2_REPORT, maxRespTime: 0, group } };
    guest.nic.send(f);
    net.runUntil(SECOND);
    const con = core.openConsole();
    con.input('enable');
    expect(con.input('show ip igmp snooping groups')).toMatch(/10 +224-239\.255\|127\.0\.100 +No +g10/);
    expect(con.input('show bridge multicast address-table vlan 10')).toMatch(/10 +01:00:5e:7f:00:64 +Dynamic +g10/);
    expect(con.input('show ip igmp snooping interface 10')).toContain('host-time-out: 260 sec');
    // The report went nowhere (no router port), and the group reaches only its member.
    expect(quiet.delivered).toBe(0);
    quiet.startStream({ dst: groupMac(group), etherType: 0x0800, size: 100, intervalNs: MS, count: 5, startNs: net.now + MS });
    net.runUntil(net.now + 20 * MS);
    expect(guest.delivered).toBe(5);
    net.runUntil(262 * SECOND);
    expect(con.input('show ip igmp snooping groups')).not.toContain('224-239');
  });
});

describe('Radlan console', () => {
  it('has the PowerConnect prompts and modes', () => {
    const net = new Network(1);
    const sw = new PowerConnectSwitch(net, 'sw1', 'dell-powerconnect-5448');
    const con = sw.openConsole();
    expect(con.prompt()).toBe('console>');
    con.input('en');
    expect(con.prompt()).toBe('console#');
    con.input('conf');
    expect(con.prompt()).toBe('console(config)#');
    con.input('vlan data');
    expect(con.prompt()).toBe('console(config-vlan)#');
    con.input('vlan 10,20');
    con.input('exit');
    con.input('int e g48');
    expect(con.prompt()).toBe('console(config-if)#');
    expect(con.input('sw m tr')).toBe('');
    expect(con.input('sw tr al vl add 10')).toBe('');
    con.input('int vl 10');
    expect(con.prompt()).toBe('console(config-if)#');
    con.input('bridge mu add 01:00:5e:7f:00:01 add ethernet g1,g2');
    con.input('hostname lab-sw');
    expect(con.prompt()).toBe('lab-sw(config)#');
    con.input('end');
    expect(con.prompt()).toBe('lab-sw#');
    const run = con.input('sh ru');
    expect(run).toContain('vlan 10,20');
    expect(run).toContain('interface ethernet g48\nswitchport mode trunk\nswitchport trunk allowed vlan add 10\nexit');
    expect(run).toContain('bridge multicast address 01:00:5e:7f:00:01 add ethernet g(1-2)');
  });

  it('answers ? with the commands of the mode and rejects what it does not know', () => {
    const net = new Network(1);
    const con = new PowerConnectSwitch(net, 'sw1', 'dell-powerconnect-5424').openConsole();
    con.input('enable');
    const top = con.input('show ?');
    expect(top).toContain('  bridge');
    expect(top).toContain('  interfaces');
    expect(con.input('show bridge multicast ?')).toContain('address-table');
    expect(con.input('show foo')).toBe('% Unrecognized command\n');
    expect(con.input('frobnicate')).toBe('% Unrecognized command\n');
    expect(con.input('show bridge')).toBe('% Incomplete command\n');
    con.input('configure');
    con.input('interface ethernet g1');
    expect(con.input('channel-group 1 mode ?')).toMatch(/auto +LACP\n/);
    expect(con.input('channel-group 1 mode active')).toBe('% Unrecognized command\n');
    con.input('exit');
    expect(con.input('interface vlan 30')).toContain('VLAN 30 does not exist');
    expect(con.input('interface ethernet g25')).toBe('% Unrecognized command\n');
  });

  it('loads a startup config in its own syntax and prints it back unchanged', () => {
    const text = coreConfig(true).replace('name NLB\n', 'name NLB\nip igmp snooping\nip igmp snooping leave-time-out immediate-leave\nbridge multicast unregistered filtering\nbridge multicast forward-all add ethernet g12\n');
    const net = new Network(1);
    const sw = new PowerConnectSwitch(net, 'core', 'dell-powerconnect-5424', {}, text);
    expect(sw.configIssues).toEqual([]);
    const run = sw.state.config.render();
    expect(run).toContain('interface ethernet g1\nchannel-group 1 mode auto\nexit');
    expect(run).toContain('bridge multicast address 03:bf:0a:00:00:64 add port-channel 1-2');
    expect(run).toContain('ip igmp snooping leave-time-out immediate-leave');
    expect(run).toContain('bridge multicast filtering\nip igmp snooping\nhostname core\n');
    // Loading what it printed gives the same configuration.
    const again = new PowerConnectSwitch(new Network(1), 'core', 'dell-powerconnect-5424', {}, run);
    expect(again.configIssues).toEqual([]);
    expect(again.state.config.render()).toBe(run);
    expect(sw.mfdb.filteringEnabled).toBe(true);
  });

  it('reports bad startup lines by line number and refuses a LAG member as a group port', () => {
    const issues = checkPowerConnectConfig('dell-powerconnect-5424', 'vlan database\nvlan 10\nexit\ninterface ethernet g1\nchannel-group 1 mode auto\nexit\ninterface vlan 10\nbridge multicast address 03:bf:0a:00:00:64 add ethernet g1\nexit\ninterface ethernet g99\n');
    expect(issues.map((i) => i.line)).toEqual([8, 10]);
    expect(issues[0]!.message).toContain('member of port-channel 1');
  });
});

describe('in a lab file', () => {
  it('runs from a lab with its startup config and answers at the console', async () => {
    const { parseLab } = await import('../../lab/parse.ts');
    const { createLabNetworkRun } = await import('../../run/lab-run.ts');
    const text = `apiVersion: labbox/v1
kind: Lab
metadata: { name: pc-lab, title: PowerConnect in a lab }
devices:
  - name: core
    kind: dell-powerconnect-5424
    position: { x: 0, y: 0 }
    settings: { hostname: core }
    config: |
${coreConfig(true).split('\n').map((l) => `      ${l}`).join('\n')}
  - { name: hv1, kind: dell-powerconnect-5448, position: { x: 200, y: 0 }, config: "interface range ethernet g1-2\\nchannel-group 1 mode auto\\nexit\\n" }
links:
  - { a: core:g1, b: hv1:g1 }
  - { a: core:ethernet g2, b: hv1:g2 }
`;
    const parsed = parseLab('pc.lab.yaml', text);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const run = createLabNetworkRun(parsed.lab, { seed: 1, forNs: 10 * SECOND });
    run.advance(3 * SECOND);
    expect(run.consolePrompt('core')).toBe('core>');
    run.consoleInput('core', 'enable');
    expect(run.consoleInput('core', 'show interfaces port-channel 1').output).toContain('ch1      Active: g(1-2)');
    expect(run.consoleInput('core', 'show bridge multicast address-table').output).toContain('03:bf:0a:00:00:64');
  });
});
