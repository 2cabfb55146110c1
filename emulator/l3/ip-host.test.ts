import { describe, expect, it } from 'vitest';
import { parseIpv4 as ip } from '../core/ipv4.ts';
import { localMac } from '../core/mac.ts';
import { Network } from '../core/network.ts';
import { MS, SECOND } from '../core/time.ts';
import { EthernetSwitch } from '../l2/switch.ts';
import { IpHost } from './ip-host.ts';

const G1 = 1e9;
const LINK = { rateBps: G1, delayNs: 1000 };

function lan(n: number) {
  const net = new Network(7);
  const sw = new EthernetSwitch(net, 'sw', { portNames: Array.from({ length: 8 }, (_, i) => `p${i + 1}`), speedBps: G1, baseMac: 0x0a0000000000 });
  const hosts: IpHost[] = [];
  for (let i = 0; i < n; i++) {
    const h = new IpHost(net, `pc${i + 1}`);
    h.addInterface('eth0', localMac(i + 1), G1);
    h.addAddress('eth0', ip(`10.0.0.${i + 1}`), 24);
    net.connect(h.ports[0], sw.ports[i], LINK);
    hosts.push(h);
  }
  return { net, sw, hosts };
}

describe('ARP and ping on one LAN', () => {
  it('resolves by ARP, answers echo and records every probe', () => {
    const { net, hosts } = lan(2);
    net.runUntil(4 * SECOND); // duplicate detection: 3 gratuitous ARPs, 1 s apart
    const flow = hosts[0].ping(ip('10.0.0.2'), { count: 5 });
    net.runUntil(10 * SECOND);
    const s = flow.summary();
    expect(s).toMatchObject({ sent: 5, received: 5, lost: 0 });
    expect(s.longestGapNs).toBe(SECOND);
    expect(hosts[0].arpTable().map((e) => [e.ip, e.mac, e.type])).toEqual([[ip('10.0.0.2'), localMac(2), 'dynamic']]);
    // the target learned the pinger from its request
    expect(hosts[1].arpTable().map((e) => e.ip)).toEqual([ip('10.0.0.1')]);
  });

  it('does not answer or use an address before duplicate detection completes', () => {
    const { net, hosts } = lan(2);
    net.runUntil(1 * SECOND);
    expect(hosts[1].isLocal(ip('10.0.0.2'))).toBe(false);
    net.runUntil(4 * SECOND);
    expect(hosts[1].isLocal(ip('10.0.0.2'))).toBe(true);
  });

  it('detects a duplicate address (ArpRetryCount gratuitous ARPs) and disables it', () => {
    const { net, sw, hosts } = lan(2);
    net.runUntil(4 * SECOND);
    const late = new IpHost(net, 'late');
    late.addInterface('eth0', localMac(99), G1);
    late.addAddress('eth0', ip('10.0.0.2'), 24);
    net.connect(late.ports[0], sw.ports[5], LINK);
    net.drainEvents();
    late.start();
    net.runUntil(8 * SECOND);
    const dups = net.drainEvents().filter((e) => e.kind === 'arp.duplicate');
    expect(dups.map((e) => e.device).sort()).toEqual(['late', 'pc2']);
    expect(dups.find((e) => e.device === 'late')?.text).toContain('address conflict for IP address 10.0.0.2 with the system having network hardware address 02-00-00-00-00-02');
    expect(late.iface('eth0').addrs[0].state).toBe('duplicate');
    expect(hosts[1].isLocal(ip('10.0.0.2'))).toBe(true); // the owner keeps its address
  });

  it('sends no detection ARPs when ArpRetryCount is 0', () => {
    const net = new Network();
    const h = new IpHost(net, 'h');
    h.arpRetryCount = 0;
    h.addInterface('eth0', localMac(1), G1);
    const other = new IpHost(net, 'o');
    other.addInterface('eth0', localMac(2), G1);
    net.connect(h.ports[0], other.ports[0], LINK);
    h.addAddress('eth0', ip('10.0.0.1'), 24);
    net.runUntil(5 * SECOND);
    expect(h.ports[0].outBcast).toBe(0);
    expect(h.isLocal(ip('10.0.0.1'))).toBe(true);
  });

  it('fails a ping at once while its address is in duplicate detection, sending nothing, then answers once it is usable', () => {
    const { net, hosts } = lan(2);
    const flow = hosts[0].ping(ip('10.0.0.2'), { count: 5 });
    net.runUntil(500 * MS);
    // No usable source address yet: the request never leaves, and no error claims to come from 0.0.0.0.
    expect(flow.probes[0]).toMatchObject({ result: 'transmit-failed', from: null, answeredNs: 0 });
    expect(hosts[0].iface('eth0').counters.outPackets).toBe(1); // the first duplicate-detection ARP
    net.runUntil(10 * SECOND);
    const results = flow.probes.map((p) => p.result);
    expect(results).not.toContain('unreachable');
    expect(results.at(-1)).toBe('reply');
    // The failed probes count as sent and lost.
    const failed = results.filter((r) => r === 'transmit-failed').length;
    expect(failed).toBeGreaterThan(0);
    expect(flow.summary()).toMatchObject({ sent: 5, received: 5 - failed, lost: failed });
  });

  it('reports host unreachable after three unanswered ARP requests', () => {
    const { net, hosts } = lan(2);
    net.runUntil(4 * SECOND);
    const flow = hosts[0].ping(ip('10.0.0.50'), { count: 1 });
    net.runUntil(10 * SECOND);
    expect(flow.probes[0].result).toBe('unreachable');
    expect(hosts[0].ports[0].outBcast).toBe(3 + 3); // 3 detection ARPs + 3 requests
  });

  it('ages ARP entries out after ArpCacheLife (120 s) when unused', () => {
    const { net, hosts } = lan(2);
    net.runUntil(4 * SECOND);
    hosts[0].ping(ip('10.0.0.2'), { count: 1 });
    net.runUntil(10 * SECOND);
    // pc2 learned pc1 from the request but never sent to it again after the reply → referenced once
    expect(hosts[1].arpTable()).toHaveLength(1);
    net.runUntil(200 * SECOND);
    expect(hosts[1].arpTable()).toHaveLength(1); // it was used for the reply: referenced life 600 s
    net.runUntil(700 * SECOND);
    expect(hosts[1].arpTable()).toHaveLength(0);
  });

  it('updates neighbours with a gratuitous ARP when its link comes back up', () => {
    const { net, sw, hosts } = lan(3);
    net.runUntil(4 * SECOND);
    hosts[0].ping(ip('10.0.0.2'), { count: 1 });
    net.runUntil(5 * SECOND);
    // pc2 moves its address to a new NIC MAC (as after a NIC swap) on another port
    const moved = new IpHost(net, 'pc2b');
    moved.addInterface('eth0', localMac(22), G1);
    moved.addAddress('eth0', ip('10.0.0.2'), 24);
    hosts[1].ports[0].setAdmin(false);
    const l = net.connect(moved.ports[0], sw.ports[6], { ...LINK, up: false });
    moved.start();
    l.setUp(true);
    net.runUntil(6 * SECOND);
    expect(hosts[0].arpTable()[0].mac).toBe(localMac(22));
    // an address already in use announces itself again when carrier returns
    const before = hosts[2].ports[0].outBcast;
    hosts[2].ports[0].setAdmin(false);
    net.runUntil(7 * SECOND);
    hosts[2].ports[0].setAdmin(true);
    net.runUntil(8 * SECOND);
    expect(hosts[2].ports[0].outBcast).toBe(before + 1);
  });

  it('answers an unbound UDP port with port unreachable and hands bound ports their datagrams', () => {
    const { net, hosts } = lan(2);
    net.runUntil(4 * SECOND);
    const got: number[] = [];
    hosts[1].bindUdp(9, (d) => got.push(d.dataLength));
    hosts[0].sendUdp(ip('10.0.0.2'), 5000, 9, 100);
    hosts[0].sendUdp(ip('10.0.0.2'), 5000, 10, 100);
    net.runUntil(5 * SECOND);
    expect(got).toEqual([100]);
    expect(hosts[0].ports[0].inUcast).toBe(2); // ARP reply + ICMP port unreachable
  });
});

describe('routing', () => {
  function routed() {
    const net = new Network(3);
    const a = new IpHost(net, 'a');
    const r1 = new IpHost(net, 'r1');
    const r2 = new IpHost(net, 'r2');
    const b = new IpHost(net, 'b');
    for (const h of [a, r1, r2, b]) h.arpRetryCount = 0;
    r1.forwarding = r2.forwarding = true;
    a.addInterface('eth0', localMac(1), G1);
    r1.addInterface('eth0', localMac(2), G1);
    r1.addInterface('eth1', localMac(3), G1);
    r2.addInterface('eth0', localMac(4), G1);
    r2.addInterface('eth1', localMac(5), G1);
    b.addInterface('eth0', localMac(6), G1);
    a.addAddress('eth0', ip('10.1.0.10'), 24);
    r1.addAddress('eth0', ip('10.1.0.1'), 24);
    r1.addAddress('eth1', ip('10.12.0.1'), 30);
    r2.addAddress('eth0', ip('10.12.0.2'), 30);
    r2.addAddress('eth1', ip('10.2.0.1'), 24);
    b.addAddress('eth0', ip('10.2.0.10'), 24);
    b.addLoopback(ip('192.168.255.1'));
    a.setGateway(ip('10.1.0.1'));
    b.setGateway(ip('10.2.0.1'));
    r1.addRoute(ip('10.2.0.0'), 24, ip('10.12.0.2'));
    r2.addRoute(ip('10.1.0.0'), 24, ip('10.12.0.1'));
    r2.addRoute(ip('192.168.255.1'), 32, ip('10.2.0.10'));
    net.connect(a.ports[0], r1.ports[0], LINK);
    net.connect(r1.ports[1], r2.ports[0], LINK);
    net.connect(r2.ports[1], b.ports[0], LINK);
    return { net, a, r1, r2, b };
  }

  it('forwards across two routers by longest-prefix match, including to a /32 loopback', () => {
    const { net, a, r1 } = routed();
    r1.addRoute(ip('192.168.0.0'), 16, ip('10.1.0.99')); // less specific, wrong way
    r1.addRoute(ip('192.168.255.0'), 24, ip('10.12.0.2'));
    const f1 = a.ping(ip('10.2.0.10'), { count: 2 });
    const f2 = a.ping(ip('192.168.255.1'), { count: 2 });
    net.runUntil(5 * SECOND);
    expect(f1.summary().received).toBe(2);
    expect(f2.summary().received).toBe(2);
  });

  it('returns ICMP time exceeded when the TTL runs out', () => {
    const { net, a } = routed();
    const f = a.ping(ip('10.2.0.10'), { count: 1, ttl: 2 });
    net.runUntil(5 * SECOND);
    expect(f.probes[0].result).toBe('ttl-expired');
    expect(f.probes[0].from).toBe(ip('10.12.0.2')); // the second router, where TTL 2 ran out
  });

  it('returns network unreachable from a router without a route', () => {
    const { net, a } = routed();
    a.addRoute(ip('172.16.0.0'), 12, ip('10.1.0.1'));
    const f = a.ping(ip('172.16.1.1'), { count: 1 });
    net.runUntil(5 * SECOND);
    expect(f.probes[0]).toMatchObject({ result: 'unreachable', from: ip('10.1.0.1') });
  });

  it('reports a local network-unreachable when the host itself has no route', () => {
    const net = new Network();
    const h = new IpHost(net, 'h');
    h.arpRetryCount = 0;
    h.addInterface('eth0', localMac(1), G1);
    h.addAddress('eth0', ip('10.0.0.1'), 24);
    // A neighbour gives the port carrier, so the address is usable and only the route is missing.
    const other = new IpHost(net, 'o');
    other.addInterface('eth0', localMac(2), G1);
    net.connect(h.ports[0], other.ports[0], LINK);
    net.start();
    const f = h.ping(ip('8.8.8.8'), { count: 1 });
    net.runUntil(SECOND);
    expect(f.probes[0]).toMatchObject({ result: 'unreachable', from: ip('10.0.0.1') });
  });

  it('measures lost probes, the longest gap and the outage while a link is down', () => {
    const { net, a, r1 } = routed();
    const f = a.ping(ip('10.2.0.10'), { intervalNs: 100 * MS, timeoutNs: 1 * SECOND });
    net.runUntil(2 * SECOND);
    const mid = net.links.find((l) => l.a === r1.ports[1]);
    mid?.setUp(false);
    net.runUntil(3 * SECOND + 50 * MS);
    mid?.setUp(true);
    net.runUntil(6 * SECOND);
    f.running = false;
    net.runUntil(8 * SECOND);
    const s = f.summary();
    // probes sent at 2.0 s … 3.0 s are lost (the 2.0 s one was on the wire when the link failed)
    expect(s.lost).toBe(11);
    expect(s.outageNs).toBe(11 * 100 * MS);
    expect(s.longestGapNs).toBe(12 * 100 * MS);
  });
});
