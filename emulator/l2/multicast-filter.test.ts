import { describe, expect, it } from 'vitest';
import { parseIpv4 } from '../core/ipv4.ts';
import { Network } from '../core/network.ts';
import { ETHERTYPE_IPV4, IPPROTO_IGMP } from '../core/packets.ts';
import { MS, SECOND } from '../core/time.ts';
import { IGMP_LEAVE, IGMP_QUERY, IGMP_V2_REPORT } from '../wire/igmp.ts';
import { defaultIgmpVlanSettings, groupMac, isIpv4MulticastMac, macGroupPattern, type IgmpVlanSettings } from './igmp-snooping.ts';
import { defaultMulticastVlanConfig, MulticastFilter, type FilterBridge, type MulticastVlanConfig } from './multicast-filter.ts';
import { RawFrameHost } from './raw-host.ts';
import { EthernetSwitch } from './switch.ts';

const DATA = 0x88b5;

class SnoopingSwitch extends EthernetSwitch implements FilterBridge {
  readonly mfdb: MulticastFilter;
  constructor(net: Network, ports: number) {
    super(net, 'sw', { portNames: Array.from({ length: ports }, (_, i) => `p${i + 1}`), speedBps: 1e9, baseMac: 0x001ec9000100 });
    this.mfdb = new MulticastFilter(this);
    this.multicast = this.mfdb;
  }
  portName(i: number): string {
    return this.bridgePorts[i]!.name;
  }
  bridgePortCount(): number {
    return this.bridgePorts.length;
  }
  bridgePortCarries(i: number, vid: number): boolean {
    return this.bridgePorts[i]!.carries(vid);
  }
  override start(): void {
    super.start();
    this.mfdb.snooping.start();
  }
}

function lab(opts: { ports?: number; filtering?: boolean; snooping?: boolean; vlan?: Partial<MulticastVlanConfig>; igmp?: Partial<IgmpVlanSettings> } = {}) {
  const net = new Network(3);
  const n = opts.ports ?? 6;
  const sw = new SnoopingSwitch(net, n);
  const hosts = Array.from({ length: n }, (_, i) => {
    const h = new RawFrameHost(net, `h${i + 1}`, 0x005056000001 + i, 1e9);
    net.connect(h.nic, sw.ports[i]!, { rateBps: 1e9, delayNs: 500 });
    return h;
  });
  sw.mfdb.configure(opts.filtering ?? true, new Map([[1, { ...defaultMulticastVlanConfig(), ...opts.vlan }]]));
  sw.mfdb.snooping.configureVlan(1, opts.snooping ?? true, { ...defaultIgmpVlanSettings(), ...opts.igmp });
  return { net, sw, hosts };
}

function igmp(h: RawFrameHost, type: number, group: number, src = 0x0a000000 + h.nic.mac % 256): void {
  const net = h.net;
  const f = net.pool.alloc();
  const dstIp = type === IGMP_QUERY ? 0xe0000001 : type === IGMP_LEAVE ? 0xe0000002 : group;
  f.dst = groupMac(dstIp);
  f.src = h.mac;
  f.vlan = 0;
  f.pcp = 0;
  f.etherType = ETHERTYPE_IPV4;
  f.size = 64;
  f.tag = 0;
  f.payload = {
    kind: 'ipv4', src, dst: dstIp, ttl: 1, protocol: IPPROTO_IGMP, ident: 0, dscp: 0, totalLength: 28,
    payload: { kind: 'igmp', type, maxRespTime: type === IGMP_QUERY ? 100 : 0, group },
  };
  h.nic.send(f);
}

/** Sends `count` data frames to `mac` from `h`, one per ms, and runs until they are through. */
function burst(net: Network, h: RawFrameHost, mac: number, count = 10): void {
  const start = net.now + MS;
  h.startStream({ dst: mac, etherType: DATA, size: 200, intervalNs: MS, count, startNs: start });
  net.runUntil(start + (count + 2) * MS);
}

function received(hosts: RawFrameHost[]): number[] {
  return hosts.map((h) => h.delivered);
}

const G = parseIpv4('239.1.1.1');

describe('group MACs', () => {
  it('maps an IPv4 group to 01:00:5e plus its low 23 bits, so 32 groups share a MAC', () => {
    expect(groupMac(parseIpv4('239.255.1.100'))).toBe(0x01005e7f0164);
    expect(groupMac(parseIpv4('224.1.1.1'))).toBe(groupMac(parseIpv4('239.129.1.1')));
    expect(macGroupPattern(groupMac(parseIpv4('224.130.2.3')))).toBe('224-239.130|2.2.3');
    expect(isIpv4MulticastMac(0x01005e7f0164)).toBe(true);
    expect(isIpv4MulticastMac(0x03bf0a000064)).toBe(false);
    expect(isIpv4MulticastMac(0x01005e800001)).toBe(false);
  });
});

describe('IGMP snooping', () => {
  it('sends a reported group only to member ports and the multicast router port', () => {
    const { net, sw, hosts } = lab();
    const [src, m1, m2, quiet1, quiet2, router] = hosts as [RawFrameHost, RawFrameHost, RawFrameHost, RawFrameHost, RawFrameHost, RawFrameHost];
    igmp(router, IGMP_QUERY, 0, parseIpv4('10.0.0.254'));
    net.runUntil(10 * MS);
    igmp(m1, IGMP_V2_REPORT, G);
    igmp(m2, IGMP_V2_REPORT, G);
    net.runUntil(20 * MS);
    // Reports went to the router only (RFC 4541 report suppression), the query to everyone.
    expect(received([quiet1, quiet2])).toEqual([1, 1]);
    expect(router.delivered).toBe(2);
    const before = received(hosts);
    burst(net, src, groupMac(G));
    const after = received(hosts).map((n, i) => n - before[i]!);
    expect(after).toEqual([0, 10, 10, 0, 0, 10]);
    expect(sw.mfdb.snooping.groups()).toEqual([expect.objectContaining({ vlan: 1, group: G, ports: [1, 2] })]);
    expect(sw.mfdb.snooping.vlanViews()[0]!.mrouterPorts).toEqual([5]);
  });

  it('also delivers the other 31 groups on the same MAC to a member', () => {
    const { net, hosts } = lab();
    igmp(hosts[1]!, IGMP_V2_REPORT, parseIpv4('224.1.1.1'));
    net.runUntil(10 * MS);
    burst(net, hosts[0]!, groupMac(parseIpv4('239.129.1.1')));
    expect(received(hosts)).toEqual([0, 10, 0, 0, 0, 0]);
  });

  it('prunes a port on leave after the leave time-out, at once with fast leave', () => {
    const slow = lab({ igmp: { leaveTimeoutNs: 2 * SECOND } });
    igmp(slow.hosts[1]!, IGMP_V2_REPORT, G);
    slow.net.runUntil(10 * MS);
    igmp(slow.hosts[1]!, IGMP_LEAVE, G);
    burst(slow.net, slow.hosts[0]!, groupMac(G));
    expect(slow.hosts[1]!.delivered).toBe(10);
    slow.net.runUntil(3 * SECOND);
    expect(slow.sw.mfdb.snooping.groups()).toEqual([]);
    // Nobody registered any more: the default mode floods the group like any unregistered one.
    const before = received(slow.hosts);
    burst(slow.net, slow.hosts[0]!, groupMac(G));
    expect(received(slow.hosts).map((n, i) => n - before[i]!)).toEqual([0, 10, 10, 10, 10, 10]);

    const fast = lab({ igmp: { leaveTimeoutNs: 0 }, vlan: { mode: 'filter-unregistered' } });
    igmp(fast.hosts[1]!, IGMP_V2_REPORT, G);
    fast.net.runUntil(10 * MS);
    igmp(fast.hosts[1]!, IGMP_LEAVE, G);
    burst(fast.net, fast.hosts[0]!, groupMac(G));
    expect(received(fast.hosts)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('times a silent member out after the group membership interval (260 s)', () => {
    const { net, sw, hosts } = lab({ vlan: { mode: 'filter-unregistered' } });
    igmp(hosts[1]!, IGMP_V2_REPORT, G);
    net.runUntil(259 * SECOND);
    burst(net, hosts[0]!, groupMac(G), 1);
    expect(hosts[1]!.delivered).toBe(1);
    net.runUntil(261 * SECOND);
    expect(sw.mfdb.snooping.groups()).toEqual([]);
    burst(net, hosts[0]!, groupMac(G), 1);
    expect(hosts[1]!.delivered).toBe(1);
    const prune = net.drainEvents().find((e) => e.kind === 'igmp.prune');
    expect(prune!.t - 260 * SECOND).toBeGreaterThanOrEqual(0);
    expect(prune!.t - 260 * SECOND).toBeLessThan(MS);
  });

  it('floods or filters unregistered groups per VLAN mode, keeping router and forward-unregistered ports', () => {
    const flood = lab();
    burst(flood.net, flood.hosts[0]!, groupMac(G));
    expect(received(flood.hosts)).toEqual([0, 10, 10, 10, 10, 10]);

    const filter = lab({ vlan: { mode: 'filter-unregistered', forwardUnregistered: [3] } });
    igmp(filter.hosts[5]!, IGMP_QUERY, 0, parseIpv4('10.0.0.254'));
    filter.net.runUntil(10 * MS);
    const before = received(filter.hosts);
    burst(filter.net, filter.hosts[0]!, groupMac(G));
    expect(received(filter.hosts).map((n, i) => n - before[i]!)).toEqual([0, 0, 0, 10, 0, 10]);
  });

  it('never constrains a non-IP group MAC (NLB 03:bf:…) by snooping, and a static group does', () => {
    const nlb = 0x03bf0a000064;
    const open = lab({ vlan: { mode: 'filter-unregistered' } });
    igmp(open.hosts[5]!, IGMP_QUERY, 0, parseIpv4('10.0.0.254'));
    open.net.runUntil(10 * MS);
    const before = received(open.hosts);
    burst(open.net, open.hosts[0]!, nlb);
    // Filtered as unregistered, and the router port gets no non-IP multicast from snooping.
    expect(received(open.hosts).map((n, i) => n - before[i]!)).toEqual([0, 0, 0, 0, 0, 0]);

    const pinned = lab({ vlan: { groups: [{ mac: nlb, ports: [1, 2], forbidden: [] }] } });
    burst(pinned.net, pinned.hosts[0]!, nlb);
    expect(received(pinned.hosts)).toEqual([0, 10, 10, 0, 0, 0]);
  });

  it('floods everything while bridge multicast filtering is disabled, static groups included', () => {
    const nlb = 0x03bf0a000064;
    const { net, hosts, sw } = lab({ filtering: false, vlan: { groups: [{ mac: nlb, ports: [1, 2], forbidden: [] }] } });
    igmp(hosts[1]!, IGMP_V2_REPORT, G);
    net.runUntil(10 * MS);
    // Snooping still learns (and the report floods).
    expect(sw.mfdb.snooping.groups()).toHaveLength(1);
    const before = received(hosts);
    burst(net, hosts[0]!, nlb);
    burst(net, hosts[0]!, groupMac(G));
    expect(received(hosts).map((n, i) => n - before[i]!)).toEqual([0, 20, 20, 20, 20, 20]);
  });

  it('queries as querier until a lower address is heard, then stays quiet', () => {
    const { net, sw, hosts } = lab({ igmp: { querier: true, querierAddress: parseIpv4('10.0.0.5') } });
    net.runUntil(1 * SECOND);
    // Startup: a query at once, then every QI/4 for the robustness count.
    expect(sw.mfdb.snooping.queriesSent(1)).toBe(1);
    expect(hosts[2]!.delivered).toBe(1);
    net.runUntil(32 * SECOND);
    expect(sw.mfdb.snooping.queriesSent(1)).toBe(2);
    expect(sw.mfdb.snooping.vlanViews()[0]!.isQuerier).toBe(true);
    igmp(hosts[5]!, IGMP_QUERY, 0, parseIpv4('10.0.0.1'));
    net.runUntil(280 * SECOND);
    expect(sw.mfdb.snooping.queriesSent(1)).toBe(2);
    expect(sw.mfdb.snooping.vlanViews()[0]).toMatchObject({ isQuerier: false, otherQuerier: parseIpv4('10.0.0.1'), mrouterPorts: [5] });
    // The other querier fell silent: after the other-querier-present interval (255 s) it takes over again.
    net.runUntil(400 * SECOND);
    expect(sw.mfdb.snooping.vlanViews()[0]).toMatchObject({ isQuerier: true, otherQuerier: null });
    expect(sw.mfdb.snooping.queriesSent(1)).toBe(3);
    // A higher address does not silence it.
    const other = lab({ igmp: { querier: true, querierAddress: parseIpv4('10.0.0.5') } });
    other.net.runUntil(1 * SECOND);
    igmp(other.hosts[5]!, IGMP_QUERY, 0, parseIpv4('10.0.0.9'));
    other.net.runUntil(200 * SECOND);
    expect(other.sw.mfdb.snooping.queriesSent(1)).toBe(4);
  });
});
