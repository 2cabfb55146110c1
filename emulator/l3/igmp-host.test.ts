import { describe, expect, it } from 'vitest';
import type { Frame } from '../core/frame.ts';
import { parseIpv4 as ip } from '../core/ipv4.ts';
import { localMac } from '../core/mac.ts';
import { Network } from '../core/network.ts';
import { NetworkNode } from '../core/node.ts';
import { ETHERTYPE_IPV4, IPPROTO_IGMP } from '../core/packets.ts';
import type { Port } from '../core/port.ts';
import { SECOND } from '../core/time.ts';
import { EthernetSwitch } from '../l2/switch.ts';
import { IGMP_LEAVE, IGMP_QUERY, IGMP_V2_REPORT } from '../wire/igmp.ts';
import { IpHost } from './ip-host.ts';

const G1 = 1e9;
const LINK = { rateBps: G1, delayNs: 1000 };
const GROUP = ip('239.1.1.1');

interface Heard {
  t: number;
  type: number;
  group: number;
  src: number;
  dst: number;
}

/** A router port as IGMP sees it: records every IGMP message and sends queries. */
class Querier extends NetworkNode {
  readonly heard: Heard[] = [];
  readonly nic: Port;
  constructor(net: Network) {
    super(net, 'querier');
    this.nic = this.addPort('eth0', G1);
    this.nic.mac = localMac(200);
  }
  receive(_port: Port, f: Frame): void {
    const p = f.payload;
    if (p !== null && p.kind === 'ipv4' && p.payload.kind === 'igmp') this.heard.push({ t: this.net.now, type: p.payload.type, group: p.payload.group, src: p.src, dst: p.dst });
    this.net.pool.release(f);
  }
  query(maxRespTenths: number, group = 0): void {
    const f = this.net.pool.alloc();
    f.dst = 0x01005e000001;
    f.src = this.nic.mac;
    f.vlan = 0;
    f.pcp = 0;
    f.etherType = ETHERTYPE_IPV4;
    f.size = 64;
    f.tag = 0;
    f.payload = { kind: 'ipv4', src: ip('10.0.0.254'), dst: ip('224.0.0.1'), ttl: 1, protocol: IPPROTO_IGMP, ident: 0, dscp: 0, totalLength: 28, payload: { kind: 'igmp', type: IGMP_QUERY, maxRespTime: maxRespTenths, group } };
    this.nic.send(f);
  }
}

/** Hosts and a querier on a switch without snooping, so everyone hears everyone's reports. */
function segment(n: number, seed = 5) {
  const net = new Network(seed);
  const sw = new EthernetSwitch(net, 'sw', { portNames: Array.from({ length: 8 }, (_, i) => `p${i + 1}`), speedBps: G1, baseMac: 0x0a0000000000 });
  const q = new Querier(net);
  net.connect(q.nic, sw.ports[7], LINK);
  const hosts: IpHost[] = [];
  for (let i = 0; i < n; i++) {
    const h = new IpHost(net, `h${i + 1}`);
    h.addInterface('eth0', localMac(i + 1), G1);
    h.addAddress('eth0', ip(`10.0.0.${i + 1}`), 24);
    net.connect(h.ports[0], sw.ports[i], LINK);
    hosts.push(h);
  }
  return { net, q, hosts };
}

const reports = (q: Querier) => q.heard.filter((h) => h.type === IGMP_V2_REPORT);

describe('IGMPv2 host membership', () => {
  it('a join sends a report to the group at once and one repeat within the unsolicited report interval', () => {
    const { net, q, hosts } = segment(1);
    net.runUntil(4 * SECOND);
    hosts[0].joinGroup(GROUP);
    net.runUntil(20 * SECOND);
    const r = reports(q);
    expect(r).toHaveLength(2);
    expect(r[0]).toMatchObject({ group: GROUP, dst: GROUP, src: ip('10.0.0.1') });
    expect(r[0].t - 4 * SECOND).toBeLessThan(SECOND / 1000);
    expect(r[1].t - r[0].t).toBeLessThanOrEqual(10 * SECOND);
    expect(hosts[0].joinedGroups()).toEqual([{ iface: 'eth0', group: GROUP }]);
  });

  it('a group joined before the host runs is announced when it starts', () => {
    const net = new Network(1);
    const q = new Querier(net);
    const h = new IpHost(net, 'h');
    h.addInterface('eth0', localMac(1), G1);
    net.connect(h.ports[0], q.nic, LINK);
    h.joinGroup(GROUP);
    expect(reports(q)).toHaveLength(0);
    net.runUntil(11 * SECOND);
    expect(reports(q).length).toBe(2);
  });

  it('answers a general query within its Max Response Time, at a random moment, and only for joined groups', () => {
    const { net, q, hosts } = segment(2);
    hosts[0].joinGroup(GROUP);
    net.runUntil(30 * SECOND);
    q.heard.length = 0;
    q.query(100); // 10 s
    net.runUntil(45 * SECOND);
    const r = reports(q);
    expect(r).toHaveLength(1);
    expect(r[0].src).toBe(ip('10.0.0.1'));
    expect(r[0].t - 30 * SECOND).toBeGreaterThan(0);
    expect(r[0].t - 30 * SECOND).toBeLessThanOrEqual(10 * SECOND);
  });

  it('a report heard from another member suppresses our own (one answer per segment)', () => {
    const { net, q, hosts } = segment(3);
    for (const h of hosts) h.joinGroup(GROUP);
    net.runUntil(30 * SECOND);
    q.heard.length = 0;
    const suppressed = () => hosts.reduce((n, h) => n + (h.igmpCounters?.reportsSuppressed ?? 0), 0);
    const before = suppressed();
    q.query(100);
    net.runUntil(45 * SECOND);
    expect(reports(q)).toHaveLength(1);
    expect(suppressed() - before).toBe(2);
  });

  it('the last host to report sends a leave to all-routers; a host whose report was suppressed does not', () => {
    const { net, q, hosts } = segment(2);
    for (const h of hosts) h.joinGroup(GROUP);
    net.runUntil(30 * SECOND);
    q.query(100);
    net.runUntil(45 * SECOND);
    const reporter = reports(q).at(-1)?.src;
    const [last, other] = reporter === ip('10.0.0.1') ? [hosts[0], hosts[1]] : [hosts[1], hosts[0]];
    q.heard.length = 0;
    other.leaveGroup(GROUP);
    net.runUntil(46 * SECOND);
    expect(q.heard).toEqual([]);
    last.leaveGroup(GROUP);
    net.runUntil(47 * SECOND);
    expect(q.heard.map((h) => [h.type, h.dst, h.group])).toEqual([[IGMP_LEAVE, ip('224.0.0.2'), GROUP]]);
    q.heard.length = 0;
    q.query(100);
    net.runUntil(60 * SECOND);
    expect(reports(q)).toEqual([]);
  });

  it('delivers a group datagram only to members, without answering non-members with port unreachable', () => {
    const { net, hosts } = segment(3);
    hosts[1].joinGroup(GROUP);
    net.runUntil(15 * SECOND);
    const got: string[] = [];
    for (const h of hosts) h.bindUdp(5001, () => got.push(h.name));
    const inBefore = hosts[2].ports[0].inMcast;
    const outBefore = hosts[2].ports[0].outUcast;
    hosts[0].sendUdp(GROUP, 40000, 5001, 100, null, { ttl: 1 });
    net.runUntil(16 * SECOND);
    expect(got).toEqual(['h2']);
    expect(hosts[2].ports[0].inMcast - inBefore).toBe(1); // flooded to h3's NIC, dropped by its filter
    expect(hosts[2].ports[0].outUcast - outBefore).toBe(0);
  });

  it('the same seed draws the same answer delays', () => {
    const times = (seed: number) => {
      const { net, q, hosts } = segment(3, seed);
      for (const h of hosts) h.joinGroup(GROUP);
      net.runUntil(30 * SECOND);
      q.query(100);
      net.runUntil(45 * SECOND);
      return reports(q).map((r) => [r.t, r.src]);
    };
    expect(times(8)).toEqual(times(8));
  });

  it('refuses to join what is not a group', () => {
    const { hosts } = segment(1);
    expect(() => hosts[0].joinGroup(ip('10.0.0.9'))).toThrow(/not a multicast group/);
    expect(() => hosts[0].joinGroup(ip('224.0.0.1'))).toThrow(/not a multicast group/);
  });
});
