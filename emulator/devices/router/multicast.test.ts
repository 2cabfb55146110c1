import { describe, expect, it } from 'vitest';
import { parseIpv4 as ip } from '../../core/ipv4.ts';
import { Network } from '../../core/network.ts';
import { MS, SECOND } from '../../core/time.ts';
import { EthernetSwitch } from '../../l2/switch.ts';
import { ClientPc } from '../pc/device.ts';
import { checkRouterConfig, Router } from './device.ts';

const LINK = { rateBps: 1e9, delayNs: 1000 };
const G = ip('239.1.1.1');

/** r1 is the RP (Loopback0 10.0.0.1) with the source's LAN; r2 has the receivers' LAN and a stray LAN. */
const R1 = `hostname R1
ip multicast-routing
interface Loopback0
 ip address 10.0.0.1 255.255.255.255
interface Gi0/0
 ip address 10.1.1.1 255.255.255.0
 ip pim sparse-mode
 no shutdown
interface Gi0/1
 ip address 10.0.12.1 255.255.255.252
 ip pim sparse-mode
 no shutdown
ip pim rp-address 10.0.0.1
ip route 10.3.3.0 255.255.255.0 10.0.12.2
`;
const R2 = `hostname R2
ip multicast-routing
interface Gi0/0
 ip address 10.3.3.1 255.255.255.0
 ip pim sparse-mode
 no shutdown
interface Gi0/1
 ip address 10.0.12.2 255.255.255.252
 ip pim sparse-mode
 no shutdown
interface Gi0/2
 ip address 10.9.9.1 255.255.255.0
 ip pim sparse-mode
 no shutdown
ip pim rp-address 10.0.0.1
ip route 10.1.1.0 255.255.255.0 10.0.12.1
ip route 10.0.0.1 255.255.255.255 10.0.12.1
`;

function twoRouters(r2Config = R2) {
  const net = new Network(4);
  const r1 = new Router(net, 'r1', {}, R1);
  const r2 = new Router(net, 'r2', {}, r2Config);
  const sw = new EthernetSwitch(net, 'sw', { portNames: ['p1', 'p2', 'p8'], speedBps: 1e9, baseMac: 0x0a0000000000 });
  const src = new ClientPc(net, 'src', { ip: '10.1.1.10/24', gateway: '10.1.1.1' });
  const rx = new ClientPc(net, 'rx', { ip: '10.3.3.11/24', gateway: '10.3.3.1', igmpJoin: '239.1.1.1' });
  // Claims an address of the source's LAN from the wrong side of r2: its traffic fails the RPF check.
  const stray = new ClientPc(net, 'stray', { ip: '10.1.1.99/24' });
  net.connect(src.ports[0], r1.ports[0], LINK);
  net.connect(r1.ports[1], r2.ports[1], LINK);
  net.connect(r2.ports[0], sw.ports[2], LINK);
  net.connect(rx.ports[0], sw.ports[0], LINK);
  net.connect(stray.ports[0], r2.ports[2], LINK);
  let heard = 0;
  const from = new Map<number, number>();
  rx.bindUdp(5004, (_d, s) => {
    heard++;
    from.set(s, (from.get(s) ?? 0) + 1);
  });
  return { net, r1, r2, src, rx, stray, from, heard: () => heard };
}

function enable(r: Router) {
  const con = r.openConsole();
  con.input('enable');
  con.input('terminal length 0');
  return con;
}

/** `count` datagrams to the group, 100 ms apart, from `host`. */
function stream(net: Network, host: ClientPc, count: number): void {
  for (let i = 0; i < count; i++) {
    host.sendUdp(G, 65000, 5004, 512, null, { ttl: 8 });
    net.runUntil(net.now + 100 * MS);
  }
}

describe('PIM sparse mode on the router', () => {
  it('finds its neighbour and elects the higher address DR on the link', () => {
    const { net, r1, r2 } = twoRouters();
    net.runUntil(10 * SECOND);
    const out = enable(r1).input('show ip pim neighbor');
    expect(out).toContain('Neighbor          Interface                Uptime/Expires    Ver   DR\n');
    expect(out).toMatch(/^10\.0\.12\.2 {9}GigabitEthernet0\/1 {7}\d\d:\d\d:\d\d\/00:01:\d\d v2 {4}1 \/ DR S P G$/m);
    expect(enable(r2).input('show ip pim neighbor')).toMatch(/^10\.0\.12\.1 {9}GigabitEthernet0\/1 {7}\S+ +v2 {4}1 \/ S P G$/m);
    expect(r2.pim.isDr(r2.iface('GigabitEthernet0/1').index)).toBe(true);
    expect(r1.pim.isDr(r1.iface('GigabitEthernet0/1').index)).toBe(false);
  });

  it('turns a receiver\'s IGMP report into a (*,G) joined toward the RP, which the RP roots at Null', () => {
    const { net, r1, r2 } = twoRouters();
    // Past the second startup query, answered once the receiver's address is out of duplicate detection.
    net.runUntil(45 * SECOND);
    const c2 = enable(r2);
    expect(c2.input('show ip igmp groups')).toMatch(/^239\.1\.1\.1 {8}GigabitEthernet0\/0 {7}\d\d:\d\d:\d\d {2}00:0[34]:\d\d {2}10\.3\.3\.11$/m);
    expect(c2.input('sh ip mro')).toMatch(/^\(\*, 239\.1\.1\.1\), \S+, RP 10\.0\.0\.1, flags: SJC\n {2}Incoming interface: GigabitEthernet0\/1, RPF nbr 10\.0\.12\.1\n {2}Outgoing interface list:\n {4}GigabitEthernet0\/0, Forward\/Sparse, /m);
    expect(enable(r1).input('show ip mroute 239.1.1.1')).toMatch(/^\(\*, 239\.1\.1\.1\), \S+, RP 10\.0\.0\.1, flags: S\n {2}Incoming interface: Null, RPF nbr 0\.0\.0\.0\n {2}Outgoing interface list:\n {4}GigabitEthernet0\/1, Forward\/Sparse, \d\d:\d\d:\d\d\/00:0[23]:\d\d$/m);
    expect(r1.pim.counters.joinPrunesReceived).toBeGreaterThan(0);
  });

  it('forwards the stream down the tree and drops what arrives off the RPF interface, counting it', () => {
    const { net, r2, src, stray, from } = twoRouters();
    net.runUntil(10 * SECOND);
    stream(net, src, 20);
    stream(net, stray, 5);
    net.runUntil(net.now + SECOND);
    expect(from.get(ip('10.1.1.10'))).toBeGreaterThanOrEqual(19);
    expect(from.get(ip('10.1.1.99'))).toBeUndefined();
    expect(r2.pim.counters.rpfFailed).toBe(5);
    const count = enable(r2).input('show ip mroute count');
    expect(count).toContain('Group: 239.1.1.1, Source count: 1,');
    expect(count).toMatch(/^ {2}RP-tree: Forwarding: \d+\/0\/0\/0, Other: \d+\/5\/0$/m);
  });

  it('stops receiving once the receiver leaves: the leave prunes the tree back to the RP', () => {
    const { net, r1, r2, src, rx, heard } = twoRouters();
    net.runUntil(10 * SECOND);
    stream(net, src, 10);
    const before = heard();
    rx.leaveGroup(G);
    net.runUntil(net.now + 5 * SECOND);
    stream(net, src, 10);
    expect(heard()).toBe(before);
    expect(r1.pim.mroutes.get(0, G)).toBeUndefined();
    expect(r1.pim.olist(r1.pim.mroutes.get(ip('10.1.1.10'), G)!)).toEqual([]);
    // The last-hop entries stay until the source tree's keepalive runs out with no data.
    expect(enable(r2).input('show ip mroute 239.1.1.1')).toMatch(/flags: SP\n {2}Incoming interface: GigabitEthernet0\/1, RPF nbr 10\.0\.12\.1\n {2}Outgoing interface list: Null\n/);
    net.runUntil(net.now + 220 * SECOND);
    expect(r2.pim.mroutes.list()).toEqual([]);
  });

  it('registers a source with the RP: the first-hop router is the RP here, so the entry is a candidate for MSDP', () => {
    const { net, r1, src } = twoRouters();
    net.runUntil(10 * SECOND);
    stream(net, src, 3);
    expect(enable(r1).input('show ip mroute 10.1.1.10')).toMatch(/^\(10\.1\.1\.10, 239\.1\.1\.1\), \S+, flags: TA\n {2}Incoming interface: GigabitEthernet0\/0, RPF nbr 0\.0\.0\.0\n/m);
  });

  it('without PIM on the link toward the RP there is no neighbour and no incoming interface', () => {
    const { net, r2, src, heard } = twoRouters(R2.replace('ip address 10.0.12.2 255.255.255.252\n ip pim sparse-mode\n', 'ip address 10.0.12.2 255.255.255.252\n'));
    net.runUntil(10 * SECOND);
    stream(net, src, 5);
    const c2 = enable(r2);
    expect(c2.input('show ip pim neighbor')).not.toContain('10.0.12.1');
    expect(c2.input('show ip mroute 239.1.1.1')).toContain('  Incoming interface: Null, RPF nbr 0.0.0.0\n');
    expect(heard()).toBe(0);
  });
});

/** Two RPs that each own the anycast address, with a source right on ra and MSDP over unique loopbacks. */
function anycastPair(originator = true) {
  const rp = (n: number, lo1: string, peer: string, link: string, route: string) => `hostname RP${n}
ip multicast-routing
interface Loopback0
 ip address 10.0.0.1 255.255.255.255
interface Loopback1
 ip address ${lo1} 255.255.255.255
interface Gi0/0
 ip address 10.${n}.1.1 255.255.255.0
 ip pim sparse-mode
 no shutdown
interface Gi0/1
 ip address ${link} 255.255.255.252
 ip pim sparse-mode
 no shutdown
ip pim rp-address 10.0.0.1
${route}
ip msdp peer ${peer} connect-source Loopback1
${originator ? 'ip msdp originator-id Loopback1\n' : ''}`;
  const net = new Network(8);
  const ra = new Router(net, 'ra', {}, rp(1, '10.0.0.11', '10.0.0.12', '10.0.12.1', 'ip route 10.0.0.12 255.255.255.255 10.0.12.2\nip route 10.2.1.0 255.255.255.0 10.0.12.2'));
  const rb = new Router(net, 'rb', {}, rp(2, '10.0.0.12', '10.0.0.11', '10.0.12.2', 'ip route 10.0.0.11 255.255.255.255 10.0.12.1\nip route 10.1.1.0 255.255.255.0 10.0.12.1'));
  const src = new ClientPc(net, 'src', { ip: '10.1.1.10/24', gateway: '10.1.1.1' });
  const rx = new ClientPc(net, 'rx', { ip: '10.2.1.11/24', gateway: '10.2.1.1', igmpJoin: '239.1.1.1' });
  net.connect(src.ports[0], ra.ports[0], LINK);
  const link = net.connect(ra.ports[1], rb.ports[1], LINK);
  net.connect(rx.ports[0], rb.ports[0], LINK);
  let heard = 0;
  rx.bindUdp(5004, () => heard++);
  return { net, ra, rb, src, link, heard: () => heard };
}

describe('MSDP between anycast RPs', () => {
  it('peers over the loopbacks, the lower address connecting to TCP 639', () => {
    const { net, ra, rb } = anycastPair();
    net.runUntil(5 * SECOND);
    const peer = enable(ra).input('show ip msdp peer');
    expect(peer).toContain('MSDP Peer 10.0.0.12 (?), AS ?\n  Connection status:\n    State: Up, Resets: 0, Connection source: Loopback1 (10.0.0.11)\n');
    expect(enable(rb).input('show ip msdp summary')).toMatch(/^10\.0\.0\.11 {8}\? {5}Up {7}\d\d:\d\d:\d\d 0 {5}0 {5}\?$/m);
    const conn = ra.tcp.connections().find((c) => c.remotePort === 639);
    expect(conn?.localIp).toBe(ip('10.0.0.11'));
  });

  it('carries a registered source to the other RP, which joins toward it for its receiver', () => {
    const { net, rb, src, heard } = anycastPair();
    net.runUntil(5 * SECOND);
    stream(net, src, 20);
    expect(enable(rb).input('show ip msdp sa-cache')).toMatch(/^MSDP Source-Active Cache - 1 entries\n\(10\.1\.1\.10, 239\.1\.1\.1\), RP 10\.0\.0\.11, AS \?,\d\d:\d\d:\d\d\/00:03:\d\d, Peer 10\.0\.0\.11$/m);
    expect(enable(rb).input('show ip mroute 10.1.1.10')).toMatch(/flags: MT\n {2}Incoming interface: GigabitEthernet0\/1, RPF nbr 10\.0\.12\.1\n/);
    expect(heard()).toBeGreaterThanOrEqual(19);
  });

  it('refuses an SA that names its own (anycast) address as the originator', () => {
    const { net, rb, src, heard } = anycastPair(false);
    net.runUntil(5 * SECOND);
    stream(net, src, 10);
    expect(rb.msdp.saCache.size).toBe(0);
    expect([...rb.msdp.peers.values()][0]?.rpfFailures).toBeGreaterThan(0);
    expect(heard()).toBe(0);
  });

  it('drops the session after the hold time once the link is cut, and the SA ages out', () => {
    const { net, rb, src, link } = anycastPair();
    net.runUntil(5 * SECOND);
    stream(net, src, 3);
    link.setUp(false);
    net.runUntil(net.now + 70 * SECOND);
    expect(rb.msdp.peers.get(ip('10.0.0.11'))?.state).toBe('established');
    net.runUntil(net.now + 20 * SECOND);
    expect(rb.msdp.peers.get(ip('10.0.0.11'))?.state).not.toBe('established');
    expect(rb.msdp.saCache.size).toBe(1);
    net.runUntil(net.now + 130 * SECOND);
    expect(rb.msdp.saCache.size).toBe(0);
  });
});

describe('multicast configuration', () => {
  it('renders and accepts the IOS lines, and warns when PIM is on without multicast routing', () => {
    expect(checkRouterConfig('router', R1 + 'ip msdp peer 10.0.0.12 connect-source Loopback1\nip msdp originator-id Loopback1\nip route 0.0.0.0 0.0.0.0 10.0.12.2 10\n')).toEqual([]);
    const net = new Network();
    const r = new Router(net, 'r', {}, R1 + 'ip msdp peer 10.0.0.12 connect-source Loopback1\nip msdp originator-id Loopback1\n');
    const con = enable(r);
    const run = con.input('show running-config');
    expect(run).toContain('version 15.2\nhostname R1\n!\nip multicast-routing \n!\ninterface Loopback0\n ip address 10.0.0.1 255.255.255.255\n!\n');
    expect(run).toContain('interface GigabitEthernet0/0\n ip address 10.1.1.1 255.255.255.0\n ip pim sparse-mode\n!');
    expect(run).toContain('ip pim rp-address 10.0.0.1\nip route 10.3.3.0 255.255.255.0 10.0.12.2\n!\nip msdp peer 10.0.0.12 connect-source Loopback1\nip msdp originator-id Loopback1\n!');
    expect(con.input('show ip pim rp mapping')).toBe('PIM Group-to-RP Mappings\n\nGroup(s): 224.0.0.0/4, Static\n    RP: 10.0.0.1 (?)\n');
    expect(con.input('show ip interface brief')).toMatch(/^Loopback0 +10\.0\.0\.1 +YES manual up +up$/m);
    con.input('configure terminal');
    con.input('no ip multicast-routing');
    con.input('interface Gi0/2');
    expect(con.input('ip pim sparse-mode')).toBe('WARNING: "ip multicast-routing" is not configured,\n         IP Multicast packets will not be forwarded\n');
    con.input('interface Gi0/3');
    expect(con.input('ip address 10.7.7.7 255.255.255.255')).toContain('Bad mask 0xFFFFFFFF for address 10.7.7.7');
  });

  it('answers show ip rpf for a routed, a connected and an unrouted address', () => {
    const { net, r2 } = twoRouters();
    net.runUntil(2 * SECOND);
    const con = enable(r2);
    expect(con.input('show ip rpf 10.1.1.10')).toBe(
      'RPF information for ? (10.1.1.10)\n  RPF interface: GigabitEthernet0/1\n  RPF neighbor: ? (10.0.12.1)\n  RPF route/mask: 10.1.1.0/24\n  RPF type: unicast (static)\n  Doing distance-preferred lookups across tables\n  RPF topology: ipv4 multicast base, originated from ipv4 unicast base\n',
    );
    expect(con.input('show ip rpf 10.3.3.11')).toContain('  RPF neighbor: ? (10.3.3.11) - directly connected\n');
    expect(con.input('show ip rpf 172.16.0.1')).toBe('RPF information for ? (172.16.0.1) failed, no route exists\n');
  });
});
