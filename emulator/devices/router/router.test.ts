import { describe, expect, it } from 'vitest';
import { parseIpv4 as ip } from '../../core/ipv4.ts';
import { Network } from '../../core/network.ts';
import { SECOND } from '../../core/time.ts';
import { EthernetSwitch } from '../../l2/switch.ts';
import { deviceKind } from '../catalog.ts';
import { configChecker } from '../config-checkers.ts';
import { deviceFactory } from '../factories.ts';
import { ClientPc } from '../pc/device.ts';
import { checkRouterConfig, Router } from './device.ts';

const LINK = { rateBps: 1e9, delayNs: 1000 };

const TWO_NETS = `hostname R1
interface GigabitEthernet0/0
 ip address 10.0.1.1 255.255.255.0
 no shutdown
interface GigabitEthernet0/1
 ip address 10.0.2.1 255.255.255.0
 no shutdown
`;

/** pc1 on Gi0/0 (10.0.1.0/24), pc2 on Gi0/1 (10.0.2.0/24), each with the router as gateway. */
function twoSubnets(config = TWO_NETS, gateways = true) {
  const net = new Network(3);
  const r = new Router(net, 'r1', {}, config);
  const pc1 = new ClientPc(net, 'pc1', { ip: '10.0.1.11/24', ...(gateways ? { gateway: '10.0.1.1' } : {}) });
  const pc2 = new ClientPc(net, 'pc2', { ip: '10.0.2.22/24', ...(gateways ? { gateway: '10.0.2.1' } : {}) });
  net.connect(pc1.ports[0], r.ports[0], LINK);
  net.connect(pc2.ports[0], r.ports[1], LINK);
  net.runUntil(4 * SECOND); // the PCs' duplicate-address detection
  return { net, r, pc1, pc2 };
}

const STICK = `interface Gi0/0
 no shutdown
interface Gi0/0.10
 encapsulation dot1Q 10
 ip address 192.168.10.1 255.255.255.0
interface Gi0/0.20
 encapsulation dot1Q 20
 ip address 192.168.20.1 255.255.255.0
`;

/** Router-on-a-stick: a switch with pc1 in VLAN 10, pc2 in VLAN 20 and a trunk to the router. */
function onAStick(config = STICK) {
  const net = new Network(5);
  const sw = new EthernetSwitch(net, 'sw', { portNames: ['p1', 'p2', 'p3', 'p8'], speedBps: 1e9, baseMac: 0x0a0000000000 });
  sw.createVlan(10, 'ten');
  sw.createVlan(20, 'twenty');
  sw.setAccess('p1', 10);
  sw.setAccess('p2', 20);
  sw.setTrunk('p8', { nativeVlan: 1, allowed: [10, 20] });
  const r = new Router(net, 'r1', {}, config);
  const pc1 = new ClientPc(net, 'pc1', { ip: '192.168.10.11/24', gateway: '192.168.10.1' });
  const pc2 = new ClientPc(net, 'pc2', { ip: '192.168.20.22/24', gateway: '192.168.20.1' });
  net.connect(pc1.ports[0], sw.ports[0], LINK);
  net.connect(pc2.ports[0], sw.ports[1], LINK);
  net.connect(r.ports[0], sw.ports[3], LINK);
  net.runUntil(4 * SECOND);
  return { net, r, pc1, pc2 };
}

function enable(r: Router) {
  const con = r.openConsole();
  con.input('enable');
  return con;
}

describe('router kind', () => {
  it('is in the catalog with Gi0/0–Gi0/3 by default, a port-count setting and a factory', () => {
    const info = deviceKind('router');
    expect(info?.ports({}).map((p) => p.name)).toEqual(['GigabitEthernet0/0', 'GigabitEthernet0/1', 'GigabitEthernet0/2', 'GigabitEthernet0/3']);
    expect(info?.ports({ ports: 2 }).map((p) => p.aliases?.[0])).toEqual(['Gi0/0', 'Gi0/1']);
    const node = deviceFactory('router')?.(new Network(), { name: 'gw', kind: 'router', settings: { ports: 6 }, config: 'hostname GW\n' });
    expect(node).toBeInstanceOf(Router);
    expect((node as Router).ports).toHaveLength(6);
    expect((node as Router).openConsole().prompt()).toBe('GW>');
  });
});

describe('routing between subnets', () => {
  it('forwards between two directly connected subnets, decrementing the TTL once', () => {
    const { net, pc1, pc2, r } = twoSubnets();
    const flow = pc1.ping(ip('10.0.2.22'), { count: 4 });
    net.runUntil(10 * SECOND);
    expect(flow.summary()).toMatchObject({ sent: 4, received: 4 });
    expect(r.iface('GigabitEthernet0/1').counters.outPackets).toBeGreaterThanOrEqual(4);
    // One hop less than the PC's TTL: ask with TTL 1 and the router reports expiry.
    const ttl1 = pc1.ping(ip('10.0.2.22'), { count: 1, ttl: 1 });
    net.runUntil(12 * SECOND);
    expect(ttl1.probes[0]).toMatchObject({ result: 'ttl-expired', from: ip('10.0.1.1') });
    expect(pc2.iface('eth0').counters.inPackets).toBeGreaterThan(0);
  });

  it('does not reach the other subnet when the PCs have no gateway', () => {
    const { net, pc1 } = twoSubnets(TWO_NETS, false);
    const flow = pc1.ping(ip('10.0.2.22'), { count: 2 });
    net.runUntil(10 * SECOND);
    expect(flow.summary().received).toBe(0);
  });

  it('stops forwarding when the far interface is shut, and resumes after no shutdown', () => {
    const { net, pc1, r } = twoSubnets();
    const con = enable(r);
    con.input('conf t');
    con.input('int gi0/1');
    con.input('shutdown');
    con.input('end');
    net.runUntil(5 * SECOND);
    const down = pc1.ping(ip('10.0.2.22'), { count: 2 });
    net.runUntil(12 * SECOND);
    expect(down.summary().received).toBe(0);
    expect(con.input('sh ip int br')).toMatch(/GigabitEthernet0\/1 +10\.0\.2\.1 +YES manual administratively down down/);
    expect(con.input('sh ip ro')).not.toContain('10.0.2.0/24');
    con.input('configure terminal');
    con.input('interface GigabitEthernet0/1');
    con.input('no shut');
    con.input('end');
    net.runUntil(14 * SECOND);
    const up = pc1.ping(ip('10.0.2.22'), { count: 2 });
    net.runUntil(20 * SECOND);
    expect(up.summary().received).toBe(2);
  });

  it('needs a route to a network behind another router; with none, it answers net unreachable', () => {
    const net = new Network(9);
    const r1 = new Router(net, 'r1', {}, `${TWO_NETS}interface Gi0/2\n ip address 172.16.0.1 255.255.255.252\n no shutdown\n`);
    const r2 = new Router(net, 'r2', {}, 'interface Gi0/0\n ip address 172.16.0.2 255.255.255.252\n no shutdown\ninterface Gi0/1\n ip address 10.9.0.1 255.255.255.0\n no shutdown\nip route 0.0.0.0 0.0.0.0 172.16.0.1\n');
    const pc1 = new ClientPc(net, 'pc1', { ip: '10.0.1.11/24', gateway: '10.0.1.1' });
    const far = new ClientPc(net, 'far', { ip: '10.9.0.9/24', gateway: '10.9.0.1' });
    net.connect(pc1.ports[0], r1.ports[0], LINK);
    net.connect(r1.ports[2], r2.ports[0], LINK);
    net.connect(far.ports[0], r2.ports[1], LINK);
    net.runUntil(4 * SECOND);
    const none = pc1.ping(ip('10.9.0.9'), { count: 1 });
    net.runUntil(6 * SECOND);
    expect(none.probes[0]).toMatchObject({ result: 'unreachable', from: ip('10.0.1.1') });
    const con = enable(r1);
    con.input('conf t');
    expect(con.input('ip route 10.9.0.0 255.255.255.0 172.16.0.2')).toBe('');
    con.input('end');
    const routed = pc1.ping(ip('10.9.0.9'), { count: 3 });
    net.runUntil(12 * SECOND);
    expect(routed.summary().received).toBe(3);
    // Two routers on the way: TTL 2 expires at the second.
    const ttl2 = pc1.ping(ip('10.9.0.9'), { count: 1, ttl: 2 });
    net.runUntil(14 * SECOND);
    expect(ttl2.probes[0]).toMatchObject({ result: 'ttl-expired', from: ip('172.16.0.2') });
  });

  it('routes between VLANs on one trunk with dot1Q subinterfaces, and not once a subinterface is shut', () => {
    const { net, pc1, r } = onAStick();
    const flow = pc1.ping(ip('192.168.20.22'), { count: 3 });
    net.runUntil(10 * SECOND);
    expect(flow.summary().received).toBe(3);
    const con = enable(r);
    const detail = con.input('show interfaces Gi0/0.20');
    expect(detail).toContain('Encapsulation 802.1Q Virtual LAN, Vlan ID  20.');
    expect(Number(/(\d+) packets output/.exec(detail)?.[1])).toBeGreaterThanOrEqual(3);
    con.input('conf t');
    con.input('int gi0/0.20');
    expect(con.prompt()).toBe('r1(config-subif)#');
    con.input('shut');
    con.input('end');
    const cut = pc1.ping(ip('192.168.20.22'), { count: 2 });
    net.runUntil(20 * SECOND);
    expect(cut.summary().received).toBe(0);
  });

  it('does not route a VLAN the router has no subinterface for', () => {
    const { net, pc1 } = onAStick(STICK.replace(/interface Gi0\/0\.20[\s\S]*$/, ''));
    const flow = pc1.ping(ip('192.168.20.22'), { count: 2 });
    net.runUntil(10 * SECOND);
    expect(flow.summary().received).toBe(0);
  });
});

describe('the IOS console', () => {
  it('shows the routing table in IOS shape after configuration, through abbreviations', () => {
    const { r } = twoSubnets();
    const con = r.openConsole();
    expect(con.prompt()).toBe('R1>');
    con.input('en');
    con.input('conf t');
    expect(con.prompt()).toBe('R1(config)#');
    con.input('ip route 0.0.0.0 0.0.0.0 10.0.2.254');
    con.input('ip route 192.168.5.0 255.255.255.0 10.0.1.5');
    con.input('end');
    const out = con.input('sh ip ro');
    expect(out).toContain('Codes: L - local, C - connected, S - static');
    expect(out).toContain('Gateway of last resort is 10.0.2.254 to network 0.0.0.0\n');
    expect(out).toContain('      10.0.0.0/8 is variably subnetted, 4 subnets, 2 masks\n');
    expect(out).toContain('C        10.0.1.0/24 is directly connected, GigabitEthernet0/0\n');
    expect(out).toContain('L        10.0.1.1/32 is directly connected, GigabitEthernet0/0\n');
    expect(out).toContain('S*    0.0.0.0/0 [1/0] via 10.0.2.254\n');
    expect(out).toContain('S     192.168.5.0/24 [1/0] via 10.0.1.5\n');
    const first = con.input('show running-config');
    expect(first).toContain('interface GigabitEthernet0/1\n ip address 10.0.2.1 255.255.255.0\n!');
    // Longer than a screen: the pager holds the rest until a key.
    expect(con.paging?.()).toBe(true);
    con.input('q');
    con.input('terminal length 0');
    expect(con.input('show running-config')).toContain('ip route 0.0.0.0 0.0.0.0 10.0.2.254\n');
    expect(con.input('show ip route')).toBe(out);
  });

  it('lists interfaces, ARP entries and per-interface counters', () => {
    const { net, r, pc1 } = twoSubnets();
    pc1.ping(ip('10.0.2.22'), { count: 2 });
    net.runUntil(8 * SECOND);
    const con = enable(r);
    const brief = con.input('show ip interface brief');
    expect(brief).toContain('Interface                  IP-Address      OK? Method Status                Protocol\n');
    expect(brief).toMatch(/GigabitEthernet0\/0 +10\.0\.1\.1 +YES manual up +up/);
    expect(brief).toMatch(/GigabitEthernet0\/2 +unassigned +YES unset +administratively down down/);
    const arp = con.input('show arp');
    expect(arp).toMatch(/Internet {2}10\.0\.1\.1 +- +[0-9a-f.]+ {2}ARPA {3}GigabitEthernet0\/0/);
    expect(arp).toMatch(/Internet {2}10\.0\.1\.11 +0 +[0-9a-f.]+ {2}ARPA {3}GigabitEthernet0\/0/);
    expect(arp).toMatch(/Internet {2}10\.0\.2\.22 +0/);
    const gi1 = con.input('show interfaces gi0/1');
    expect(gi1).toContain('GigabitEthernet0/1 is up, line protocol is up');
    expect(gi1).toContain('Internet address is 10.0.2.1/24');
    expect(Number(/(\d+) packets output/.exec(gi1)?.[1])).toBeGreaterThanOrEqual(2);
  });

  it('pings in IOS shape: the header at once, the marks and success rate as time passes', () => {
    const { net, r } = twoSubnets();
    const con = enable(r);
    expect(con.input('ping 10.0.2.22')).toBe('Type escape sequence to abort.\nSending 5, 100-byte ICMP Echos to 10.0.2.22, timeout is 2 seconds:\n');
    expect(con.prompt()).toBe('');
    net.runUntil(20 * SECOND);
    expect(con.input('')).toMatch(/^!!!!!\nSuccess rate is 100 percent \(5\/5\), round-trip min\/avg\/max = \d+\/\d+\/\d+ ms\n$/);
    expect(con.prompt()).toBe('R1#');
    con.input('ping 10.0.3.3');
    net.runUntil(40 * SECOND);
    expect(con.input('')).toBe('UUUUU\nSuccess rate is 0 percent (0/5)\n');
  });

  it('refuses what IOS refuses', () => {
    const { r } = twoSubnets();
    const con = enable(r);
    con.input('conf t');
    con.input('int gi0/2');
    expect(con.input('ip address 10.0.1.9 255.255.255.0')).toBe('% 10.0.1.0 overlaps with GigabitEthernet0/0\n');
    expect(con.input('ip address 10.0.5.1 255.0.255.0')).toContain('Bad mask 0xFF00FF00 for address 10.0.5.1');
    con.input('exit');
    expect(con.input('ip route 10.5.0.0 255.255.255.0 10.0.1.1')).toBe("%Invalid next hop address (it's this router)\n");
    con.input('int gi0/0.5');
    expect(con.input('ip address 10.0.9.1 255.255.255.0')).toContain('only allowed if that\nsubinterface is already configured');
  });
});

describe('startup configuration', () => {
  it('names each line the router refuses', () => {
    const text = `hostname R9
interface Gi0/0
 ip address 10.0.0.1 255.255.255.0
 no shutdown
interface Gi0/9
 ip adress 10.0.1.1 255.255.255.0
interface Gi0/1.30
 ip address 10.0.3.1 255.255.255.0
ip route 10.8.0.0 255.255.0.0 10.0.0.254
`;
    const issues = checkRouterConfig('router', text);
    expect(issues.map((i) => i.line)).toEqual([5, 6, 8]);
    expect(configChecker('router')?.('router', text).map((i) => i.line)).toEqual([5, 6, 8]);
    expect(checkRouterConfig('router', TWO_NETS + STICK.replace(/Gi0\/0/g, 'Gi0/2'))).toEqual([]);
    const net = new Network();
    expect(new Router(net, 'r', {}, text).configIssues.map((i) => i.line)).toEqual([5, 6, 8]);
  });
});
