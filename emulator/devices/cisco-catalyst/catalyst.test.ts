import { describe, expect, it } from 'vitest';
import { Network } from '../../core/network.ts';
import { MS, SECOND } from '../../core/time.ts';
import { RawFrameHost } from '../../l2/raw-host.ts';
import { CatalystSwitch, checkCatalystConfig } from './device.ts';
import { catalyst2960Info, catalyst3750Info } from './info.ts';
import { findPort } from '../kind.ts';

const ETHERTYPE_TEST = 0x88b5;

function lab(config?: string, kind = 'cisco-catalyst-3750') {
  const net = new Network(7);
  const sw = new CatalystSwitch(net, 'core1', kind, {}, config);
  const hosts = [1, 2, 3].map((k) => {
    const h = new RawFrameHost(net, `h${k}`, 0x00505600000 + k, 1e9);
    net.connect(h.nic, sw.portByName(`GigabitEthernet1/0/${k}`)!, { rateBps: 1e9, delayNs: 500 });
    return h;
  });
  const con = sw.openConsole();
  con.input('enable');
  con.input('terminal length 0');
  return { net, sw, hosts, con };
}

function at(net: Network, t: number, f: () => void): void {
  net.runUntil(t);
  f();
}

describe('catalog entries', () => {
  it('names ports as IOS does, with the short aliases', () => {
    const p3750 = catalyst3750Info.ports({});
    expect(p3750).toHaveLength(50);
    expect(p3750[0]!.name).toBe('GigabitEthernet1/0/1');
    expect(findPort(p3750, 'Gi1/0/48')?.name).toBe('GigabitEthernet1/0/48');
    expect(findPort(p3750, 'te1/1/2')?.speedBps).toBe(10e9);
    const p2960 = catalyst2960Info.ports({});
    expect(p2960).toHaveLength(28);
    expect(findPort(p2960, 'Gi1/0/28')?.medium).toBe('sfp');
    expect(findPort(p2960, 'Gi1/0/29')).toBeUndefined();
  });
});

describe('IOS console on a Catalyst', () => {
  it('accepts the usual abbreviations', () => {
    const { con, sw } = lab();
    expect(con.input('conf t')).toContain('Enter configuration commands');
    con.input('int gi1/0/1');
    expect(con.prompt()).toBe('core1(config-if)#');
    con.input('sw tr en dot1q');
    expect(con.input('sw mo tr')).toBe('');
    con.input('end');
    expect(sw.state.config.iface('GigabitEthernet1/0/1').mode).toBe('trunk');
    expect(con.input('sh mac add')).toContain('Total Mac Addresses for this criterion: 20');
    expect(con.input('sh i')).toBe('% Ambiguous command:  "sh i"\n');
  });

  it('rejects a trunk on a 3750 port whose encapsulation is still auto, as IOS does', () => {
    const { con, sw } = lab();
    con.input('configure terminal');
    con.input('interface Gi1/0/2');
    expect(con.input('switchport mode trunk')).toContain('Command rejected');
    expect(sw.state.config.iface('GigabitEthernet1/0/2').mode).toBeNull();
    // The 2960-S does only 802.1Q, so it has no such step.
    const two = lab(undefined, 'cisco-catalyst-2960');
    two.con.input('conf t');
    two.con.input('int gi1/0/2');
    expect(two.con.input('switchport mode trunk')).toBe('');
    expect(two.con.input('switchport trunk encapsulation dot1q')).toContain('% Invalid input');
  });

  it('answers ? with IOS help columns', () => {
    const { con } = lab();
    const h = con.input('show mac address-table ?');
    expect(h).toContain('  address     address keyword\n');
    expect(h).toContain('  |           Output modifiers\n');
    expect(h.trimEnd().endsWith('<cr>')).toBe(true);
    con.input('conf t');
    con.input('int gi1/0/5');
    expect(con.input('switchport trunk allowed vlan ?').split('\n')[0]).toBe('  WORD    VLAN IDs of the allowed VLANs when this port is in trunking mode');
    expect(con.input('channel-group 1 mode ?')).toContain('  active     Enable LACP unconditionally\n');
  });

  it('puts the caret under an unknown interface and a bad VLAN', () => {
    const { con } = lab();
    con.input('conf t');
    expect(con.input('interface gi1/0/49')).toBe(`${' '.repeat('core1(config)#interface '.length)}^\n% Invalid input detected at '^' marker.\n\n`);
    con.input('int gi1/0/4');
    expect(con.input('switchport access vlan 4095').split('\n')[0]).toBe(`${' '.repeat('core1(config-if)#switchport access vlan '.length)}^`);
  });

  it('creates a missing access VLAN with the IOS notice, and lists it in show vlan brief', () => {
    const { con } = lab();
    con.input('conf t');
    con.input('interface range gi1/0/1 - 2');
    expect(con.prompt()).toBe('core1(config-if-range)#');
    expect(con.input('switchport access vlan 20')).toBe('% Access VLAN does not exist. Creating vlan 20\n');
    con.input('end');
    const out = con.input('show vlan brief');
    expect(out).toContain('20   VLAN0020                         active    Gi1/0/1, Gi1/0/2\n');
    expect(out).toContain('1002 fddi-default                     act/unsup');
  });

  it('pages long output at 24 lines until terminal length 0', () => {
    const net = new Network(1);
    const sw = new CatalystSwitch(net, 'sw', 'cisco-catalyst-3750');
    const con = sw.openConsole();
    con.input('en');
    const first = con.input('show interfaces status');
    expect(first.split('\n').length - 1).toBe(23);
    expect(con.prompt()).toBe(' --More-- ');
    con.input('q');
    expect(con.prompt()).toBe('sw#');
  });

  it('filters show output with include', () => {
    const { con } = lab();
    expect(con.input('show running-config | include hostname')).toBe('hostname core1\n');
    expect(con.input('show version | i Model number')).toBe('Model number                    : WS-C3750X-48T-S\n');
  });

  it('tells the time from simulated time', () => {
    const { con, net } = lab();
    net.runUntil(65 * SECOND + 250 * MS);
    expect(con.input('show clock')).toBe('*00:01:05.250 UTC Mon Mar 1 1993\n');
    con.input('conf t');
    expect(con.input('end')).toBe('*Mar  1 00:01:05.250: %SYS-5-CONFIG_I: Configured from console by console\n');
    net.runUntil(40 * 86400 * SECOND);
    expect(con.input('show clock')).toBe('*00:00:00.000 UTC Sat Apr 10 1993\n');
  });
});

describe('startup config', () => {
  const config = [
    'hostname dist1',
    '!',
    'vlan 10',
    ' name users',
    '!',
    'vlan 20',
    ' name servers',
    '!',
    'mac address-table aging-time 600',
    'mac address-table static 0300.5e01.0101 vlan 10 interface GigabitEthernet1/0/1 GigabitEthernet1/0/2',
    'interface GigabitEthernet1/0/1',
    ' description to h1',
    ' switchport access vlan 10',
    ' switchport mode access',
    '!',
    'interface GigabitEthernet1/0/2',
    ' switchport access vlan 10',
    '!',
    'interface GigabitEthernet1/0/3',
    ' switchport access vlan 20',
    '!',
    'arp 10.100.1.99 0300.5e01.0101 ARPA',
    'end',
  ].join('\n');

  it('is applied and shows in the running configuration', () => {
    const { sw, con } = lab(config);
    expect(sw.configIssues).toEqual([]);
    expect(con.prompt()).toBe('dist1#');
    const run = con.input('show running-config');
    expect(run).toContain('\nvlan 10\n name users\n!\nvlan 20\n name servers\n!\n');
    expect(run).toContain('\ninterface GigabitEthernet1/0/1\n description to h1\n switchport access vlan 10\n switchport mode access\n!\n');
    expect(run).toContain('\nmac address-table aging-time 600\n');
    expect(run).toContain('\nmac address-table static 0300.5e01.0101 vlan 10 interface GigabitEthernet1/0/1 GigabitEthernet1/0/2\n');
    expect(run).toContain('\narp 10.100.1.99 0300.5e01.0101 ARPA\n');
    expect(con.input('show mac address-table static')).toContain('  10    0300.5e01.0101    STATIC      Gi1/0/1 Gi1/0/2\n');
  });

  it('decides forwarding: hosts in different VLANs do not hear each other', () => {
    const { net, hosts } = lab(config);
    const [h1, h2, h3] = hosts as [RawFrameHost, RawFrameHost, RawFrameHost];
    net.runUntil(1 * MS);
    h1.sendFrame(0xffffffffffff, ETHERTYPE_TEST, 64);
    net.runUntil(2 * MS);
    expect(h2.delivered).toBe(1);
    expect(h3.delivered).toBe(0);
  });

  it('reports bad lines with their numbers, and still applies the good ones', () => {
    const issues = checkCatalystConfig('cisco-catalyst-3750', ['hostname x', 'interface GigabitEthernet1/0/99', ' switchport access vlan 10', 'vlan 5000', 'interface Gi1/0/1', ' switchport mode trunk'].join('\n'));
    expect(issues.map((i) => [i.line, i.column])).toEqual([[2, 10], [3, 1], [4, 5], [6, 1]]);
    expect(issues[3]!.message).toContain('Command rejected');
  });

  it('accepts a pasted show running-config from the same switch', () => {
    const { con } = lab(config);
    const text = con.input('show running-config');
    expect(checkCatalystConfig('cisco-catalyst-3750', text)).toEqual([]);
  });
});

describe('the data plane through IOS', () => {
  it('lists learned MACs after traffic, per VLAN and per interface', () => {
    const { net, hosts, con } = lab();
    const [h1, h2] = hosts as [RawFrameHost, RawFrameHost];
    at(net, 1 * MS, () => h1.sendFrame(h2.mac, ETHERTYPE_TEST, 100));
    at(net, 2 * MS, () => h2.sendFrame(h1.mac, ETHERTYPE_TEST, 100));
    net.runUntil(3 * MS);
    const out = con.input('show mac address-table dynamic');
    expect(out).toContain('          Mac Address Table\n-------------------------------------------\n\nVlan    Mac Address       Type        Ports\n----    -----------       --------    -----\n');
    expect(out).toContain('   1    0005.0560.0001    DYNAMIC     Gi1/0/1\n');
    expect(out).toContain('   1    0005.0560.0002    DYNAMIC     Gi1/0/2\n');
    expect(out).toContain('Total Mac Addresses for this criterion: 2\n');
    expect(con.input('sh mac address-table interface gi1/0/2')).toContain('Total Mac Addresses for this criterion: 1\n');
    expect(con.input('sh mac address-table vlan 10')).toContain('Total Mac Addresses for this criterion: 0\n');
    con.input('clear mac address-table dynamic');
    expect(con.input('show mac address-table dynamic')).toContain('Total Mac Addresses for this criterion: 0\n');
    // The full table also lists the switch's own entries, as a Catalyst does.
    const all = con.input('show mac address-table');
    expect(all).toContain(' All    0100.0ccc.cccc    STATIC      CPU\n');
    expect(all).toContain('Total Mac Addresses for this criterion: 20\n');
  });

  it('drops frames on a VLAN mismatch made at the console, and counts them', () => {
    const { net, hosts, con } = lab();
    const [h1, h2] = hosts as [RawFrameHost, RawFrameHost];
    con.input('conf t');
    con.input('int gi1/0/2');
    con.input('switchport access vlan 30');
    con.input('end');
    at(net, 1 * MS, () => h1.sendFrame(0xffffffffffff, ETHERTYPE_TEST, 64));
    net.runUntil(2 * MS);
    expect(h2.delivered).toBe(0);
    const counters = con.input('show interfaces counters');
    expect(counters).toMatch(/\nPort {12}InOctets {4}InUcastPkts {4}InMcastPkts {4}InBcastPkts\n/);
    expect(counters).toMatch(/\nGi1\/0\/1 +64 +0 +0 +1\n/);
    expect(counters).toMatch(/\nGi1\/0\/2 +0 +0 +0 +0\n/);
  });

  it('shows the interface status of connected and idle ports', () => {
    const { net, con } = lab();
    net.runUntil(1 * MS);
    const out = con.input('show interfaces status');
    expect(out).toContain('\nPort      Name               Status       Vlan       Duplex  Speed Type\n');
    expect(out).toMatch(/\nGi1\/0\/1 +connected +1 +a-full +a-1000 10\/100\/1000BaseTX\n/);
    expect(out).toMatch(/\nGi1\/0\/9 +notconnect +1 +auto +auto 10\/100\/1000BaseTX\n/);
    expect(con.input('show interfaces gi1/0/1').split('\n')[0]).toBe('GigabitEthernet1/0/1 is up, line protocol is up (connected)');
  });

  it('carries a VLAN over a trunk only when both ends allow it', () => {
    const net = new Network(5);
    const trunk = (allowed: string) => `vlan 10\nvlan 20\ninterface Gi1/0/24\n switchport trunk encapsulation dot1q\n switchport trunk allowed vlan ${allowed}\n switchport mode trunk\ninterface Gi1/0/1\n switchport access vlan 10\n`;
    const a = new CatalystSwitch(net, 'a', 'cisco-catalyst-3750', {}, trunk('10,20'));
    const b = new CatalystSwitch(net, 'b', 'cisco-catalyst-3750', {}, trunk('20'));
    expect([...a.configIssues, ...b.configIssues]).toEqual([]);
    net.connect(a.portByName('GigabitEthernet1/0/24')!, b.portByName('GigabitEthernet1/0/24')!, { rateBps: 1e9, delayNs: 500 });
    const ha = new RawFrameHost(net, 'ha', 0x020000000001, 1e9);
    const hb = new RawFrameHost(net, 'hb', 0x020000000002, 1e9);
    net.connect(ha.nic, a.portByName('GigabitEthernet1/0/1')!, { rateBps: 1e9, delayNs: 500 });
    net.connect(hb.nic, b.portByName('GigabitEthernet1/0/1')!, { rateBps: 1e9, delayNs: 500 });
    at(net, 1 * MS, () => ha.sendFrame(0xffffffffffff, ETHERTYPE_TEST, 64));
    net.runUntil(2 * MS);
    expect(hb.delivered).toBe(0);
    const con = b.openConsole();
    con.input('en');
    con.input('conf t');
    con.input('int gi1/0/24');
    con.input('sw tr al vl add 10');
    con.input('end');
    expect(con.input('show running-config interface gi1/0/24')).toContain(' switchport trunk allowed vlan 10,20\n');
    at(net, 3 * MS, () => ha.sendFrame(0xffffffffffff, ETHERTYPE_TEST, 64));
    net.runUntil(4 * MS);
    expect(hb.delivered).toBe(1);
    con.input('terminal length 0');
    expect(con.input('show interfaces trunk')).toMatch(/\nGi1\/0\/24 +on +802\.1q +trunking +1\n/);
  });

  it('bundles two links with LACP and shows them in show etherchannel summary', () => {
    const net = new Network(3);
    const a = new CatalystSwitch(net, 'a', 'cisco-catalyst-3750', {}, 'interface range gi1/0/1 - 2\n channel-group 1 mode active\n');
    const b = new CatalystSwitch(net, 'b', 'cisco-catalyst-2960', {}, 'interface range gi1/0/1 - 2\n channel-group 1 mode passive\n');
    for (const k of [1, 2]) net.connect(a.portByName(`GigabitEthernet1/0/${k}`)!, b.portByName(`GigabitEthernet1/0/${k}`)!, { rateBps: 1e9, delayNs: 500 });
    net.runUntil(10 * SECOND);
    const con = a.openConsole();
    con.input('en');
    const out = con.input('show etherchannel summary');
    expect(out).toContain('Group  Port-channel  Protocol    Ports\n------+-------------+-----------+-----------------------------------------------\n');
    expect(out).toMatch(/\n1 +Po1\(SU\) +LACP +Gi1\/0\/1\(P\)  Gi1\/0\/2\(P\)\n/);
    expect(a.configIssues).toEqual([]);
    // One side static, the other LACP: no bundle.
    const net2 = new Network(3);
    const c = new CatalystSwitch(net2, 'c', 'cisco-catalyst-3750', {}, 'interface range gi1/0/1 - 2\n channel-group 1 mode on\n');
    const d = new CatalystSwitch(net2, 'd', 'cisco-catalyst-3750', {}, 'interface range gi1/0/1 - 2\n channel-group 1 mode passive\n');
    for (const k of [1, 2]) net2.connect(c.portByName(`GigabitEthernet1/0/${k}`)!, d.portByName(`GigabitEthernet1/0/${k}`)!, { rateBps: 1e9, delayNs: 500 });
    net2.runUntil(10 * SECOND);
    const con2 = d.openConsole();
    con2.input('en');
    expect(con2.input('show etherchannel summary')).not.toContain('(P)');
  });

  it('refuses to mix LACP and static members in one channel', () => {
    const { con } = lab();
    con.input('conf t');
    con.input('int gi1/0/5');
    expect(con.input('channel-group 2 mode active')).toBe('Creating a port-channel interface Port-channel 2\n');
    con.input('int gi1/0/6');
    expect(con.input('channel-group 2 mode on')).toBe('Command rejected (Port-channel2, GigabitEthernet1/0/6): Invalid etherchnl mode\n');
  });
});
