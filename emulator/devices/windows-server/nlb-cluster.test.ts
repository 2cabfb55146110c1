import { describe, expect, it } from 'vitest';
import { parseIpv4 } from '../../core/ipv4.ts';
import { formatMac } from '../../core/mac.ts';
import type { NetEvent } from '../../core/network.ts';
import { MS, SECOND } from '../../core/time.ts';
import { maskedSourceMac, unicastClusterMac } from '../../proto/nlb/addresses.ts';
import { ClientPc } from '../pc/device.ts';
import { WindowsServer } from './device.ts';
import { connect, hypervNlbLab, nlbLab, secondsOf } from './test-support/lab.ts';

const kinds = (events: readonly NetEvent[], kind: string): NetEvent[] => events.filter((e) => e.kind === kind);

describe('NLB convergence', () => {
  for (const n of [2, 4]) {
    it(`${n} hosts converge together within a few heartbeat periods of starting`, () => {
      const lab = nlbLab({ hosts: n });
      lab.net.runUntil(10 * SECOND);
      const all = Array.from({ length: n }, (_, i) => i + 1);
      for (const s of lab.servers) {
        expect(s.nlb?.membership.state).toBe('converged');
        expect(s.nlb?.membership.converged).toEqual(all);
      }
      const conv = kinds(lab.events, 'nlb.converged');
      // Each host converges once, 2.5–3.5 s after the last member it heard joined (all within the first period).
      expect(conv).toHaveLength(n);
      for (const e of conv) {
        expect(secondsOf(e)).toBeGreaterThanOrEqual(2.5);
        expect(secondsOf(e)).toBeLessThan(4.6);
      }
      expect(conv.filter((e) => e.text.includes('as DEFAULT host'))).toHaveLength(1);
      expect(conv.find((e) => e.text.includes('as DEFAULT host'))?.device).toBe('web1');
    });
  }

  it('a host that leaves is noticed after AliveMsgTolerance periods and the rest reconverge 2.5–3.5 s later', () => {
    const lab = nlbLab({ hosts: 3 });
    lab.net.runUntil(20 * SECOND);
    lab.events.length = 0;
    lab.servers[1].powerChanged(false);
    lab.net.runUntil(40 * SECOND);
    const converging = kinds(lab.events, 'nlb.converging');
    const converged = kinds(lab.events, 'nlb.converged');
    expect(converging.map((e) => e.device).sort()).toEqual(['web1', 'web3']);
    for (const e of converging) {
      expect(e.text).toContain('host 2 (10.0.0.12) left');
      const after = secondsOf(e) - 20;
      expect(after).toBeGreaterThan(4);
      expect(after).toBeLessThanOrEqual(6);
    }
    for (const e of converged) {
      expect(e.text).toContain('host(s) 1,3');
      const total = secondsOf(e) - 20;
      // TechNet: about 5 s to detect plus 2.5–3 s to converge.
      expect(total).toBeGreaterThan(6.5);
      expect(total).toBeLessThan(9.5);
    }
    expect(lab.servers[0].nlb?.membership.converged).toEqual([1, 3]);
  });

  it('follows AliveMsgPeriod and AliveMsgTolerance: 500 ms × 10 detects after about 5 s, 1000 ms × 5 too, 200 ms × 5 after about 1 s', () => {
    for (const [period, tolerance, lo, hi] of [
      [500, 10, 4.5, 5.5],
      [200, 5, 0.8, 1.2],
    ] as const) {
      const lab = nlbLab({ hosts: 2, settings: { nlbAliveMsgPeriod: period, nlbAliveMsgTolerance: tolerance } });
      lab.net.runUntil(15 * SECOND);
      lab.events.length = 0;
      lab.servers[1].powerChanged(false);
      lab.net.runUntil(30 * SECOND);
      const c = kinds(lab.events, 'nlb.converging').find((e) => e.device === 'web1');
      expect(c).toBeDefined();
      const after = secondsOf(c!) - 15;
      expect(after).toBeGreaterThanOrEqual(lo);
      expect(after).toBeLessThanOrEqual(hi);
    }
  });

  it('a host that comes back joins: everyone converges again with it', () => {
    const lab = nlbLab({ hosts: 2 });
    lab.net.runUntil(10 * SECOND);
    lab.servers[1].powerChanged(false);
    lab.net.runUntil(20 * SECOND);
    expect(lab.servers[0].nlb?.membership.converged).toEqual([1]);
    lab.servers[1].powerChanged(true);
    lab.net.runUntil(30 * SECOND);
    for (const s of lab.servers) expect(s.nlb?.membership.converged).toEqual([1, 2]);
  });

  it('does not converge while two hosts share a host priority, nor while port rules differ', () => {
    const dup = nlbLab({ hosts: 2, perHost: () => ({ nlbHostPriority: 1 }) });
    dup.net.runUntil(20 * SECOND);
    for (const s of dup.servers) expect(s.nlb?.membership.state).toBe('converging');
    expect(kinds(dup.events, 'nlb.converged')).toHaveLength(0);

    const rules = nlbLab({ hosts: 2, perHost: (i) => ({ nlbPortRules: i === 0 ? '80/tcp/multiple/single' : '80/tcp/multiple/none' }) });
    rules.net.runUntil(20 * SECOND);
    expect(kinds(rules.events, 'nlb.converged')).toHaveLength(0);
    expect(kinds(rules.events, 'nlb.converging')[0].text).toMatch(/different port rules|started/);
  });
});

describe('port rules decide one answering host for every client', () => {
  for (const [n, affinity] of [
    [2, 'single'],
    [4, 'none'],
    [3, 'network'],
  ] as const) {
    it(`${n} hosts, affinity ${affinity}: every datagram is taken by exactly one host, the same one every host computes`, () => {
      const lab = nlbLab({ hosts: n, settings: { nlbPortRules: `5000-5100/udp/multiple/${affinity}` } });
      const got: { host: string; srcPort: number }[] = [];
      for (const s of lab.servers) s.bindUdp(5000, (d) => got.push({ host: s.name, srcPort: d.srcPort }));
      lab.net.runUntil(10 * SECOND);
      const vip = parseIpv4('10.0.0.100');
      lab.client.ping(vip, { count: 1 }); // resolve the VIP first: ARP holds only three packets
      lab.net.runUntil(10.5 * SECOND);
      const acceptedBefore = lab.servers.reduce((a, s) => a + (s.nlb?.counters.accepted ?? 0), 0);
      const filteredBefore = lab.servers.reduce((a, s) => a + (s.nlb?.counters.filtered ?? 0), 0);
      for (let i = 0; i < 60; i++) lab.client.sendUdp(vip, 40000 + i, 5000, 64);
      lab.net.runUntil(11 * SECOND);
      expect(got).toHaveLength(60);
      expect(new Set(got.map((g) => g.srcPort)).size).toBe(60);
      const hosts = new Set(got.map((g) => g.host));
      if (affinity === 'none') expect(hosts.size).toBe(n);
      else expect(hosts.size).toBe(1);
      const accepted = lab.servers.reduce((a, s) => a + (s.nlb?.counters.accepted ?? 0), 0);
      const filtered = lab.servers.reduce((a, s) => a + (s.nlb?.counters.filtered ?? 0), 0);
      expect(accepted - acceptedBefore).toBe(60);
      expect(filtered - filteredBefore).toBe(60 * (n - 1));
    });
  }

  it('a disabled rule is answered by no host, and traffic outside every rule goes to the default host', () => {
    const lab = nlbLab({ hosts: 2, settings: { nlbPortRules: '5000/udp/disabled' } });
    const got: string[] = [];
    for (const s of lab.servers) for (const p of [5000, 6000]) s.bindUdp(p, (d) => got.push(`${s.name}:${d.dstPort}`));
    lab.net.runUntil(10 * SECOND);
    const vip = parseIpv4('10.0.0.100');
    lab.client.ping(vip, { count: 1 });
    lab.net.runUntil(10.5 * SECOND);
    for (let i = 0; i < 10; i++) {
      lab.client.sendUdp(vip, 30000 + i, 5000, 10);
      lab.client.sendUdp(vip, 30000 + i, 6000, 10);
    }
    lab.net.runUntil(11 * SECOND);
    expect(got.filter((g) => g.endsWith(':5000'))).toHaveLength(0);
    expect(got.filter((g) => g.endsWith(':6000'))).toEqual(Array(10).fill('web1:6000'));
  });

  it('moves a departed host’s clients to the survivors only after reconvergence', () => {
    const lab = nlbLab({ hosts: 2, settings: { nlbPortRules: '5000/udp/multiple/none' } });
    const got: { t: number; host: string }[] = [];
    for (const s of lab.servers) s.bindUdp(5000, () => got.push({ t: lab.net.now, host: s.name }));
    lab.net.runUntil(10 * SECOND);
    lab.servers[1].powerChanged(false);
    const vip = parseIpv4('10.0.0.100');
    for (let t = 0; t < 15; t++) {
      for (let p = 0; p < 8; p++) lab.client.sendUdp(vip, 20000 + p, 5000, 10);
      lab.net.runUntil((11 + t) * SECOND);
    }
    const first = got.filter((g) => g.t < 14 * SECOND).length;
    const late = got.filter((g) => g.t > 20 * SECOND);
    expect(first).toBeLessThan(8 * 4); // web2's share is lost while web1 still has the old map
    expect(late.length).toBe(8 * 5); // the batches sent from 20 s on
    expect(new Set(late.map((g) => g.host))).toEqual(new Set(['web1']));
  });
});

describe('unicast mode on a switch', () => {
  function flood(mask: boolean) {
    const lab = nlbLab({ hosts: 2, settings: { nlbMaskSourceMac: mask } });
    lab.net.runUntil(10 * SECOND);
    const flow = lab.client.ping(parseIpv4('10.0.0.100'), { count: 20, intervalNs: 100 * MS });
    const by = lab.swPortOf(lab.bystander);
    const before = by.outUcast;
    lab.net.runUntil(13 * SECOND);
    return { lab, flow, floodedToBystander: by.outUcast - before };
  }

  it('with masking the switch never learns the cluster MAC: frames to the VIP flood to every port', () => {
    const { lab, flow, floodedToBystander } = flood(true);
    const cmac = unicastClusterMac(parseIpv4('10.0.0.100'));
    expect(lab.sw.macTable().map((e) => e.mac)).not.toContain(cmac);
    expect(lab.sw.macTable().map((e) => e.mac)).toContain(maskedSourceMac(1, parseIpv4('10.0.0.100')));
    expect(floodedToBystander).toBeGreaterThanOrEqual(20);
    expect(flow.summary().received).toBe(20);
    // the client learned the cluster MAC from the ARP body even though no frame came from it
    expect(lab.client.arpTable().find((e) => e.ip === parseIpv4('10.0.0.100'))?.mac).toBe(cmac);
  });

  it('without masking the switch learns the cluster MAC on one port: the flood stops and one host gets everything', () => {
    const { lab, flow, floodedToBystander } = flood(false);
    const cmac = unicastClusterMac(parseIpv4('10.0.0.100'));
    expect(lab.sw.macTable().find((e) => e.mac === cmac)?.ports).toHaveLength(1);
    expect(floodedToBystander).toBeLessThan(3);
    // pings still answer (every host answers ICMP), but only through the one port the switch picked
    expect(flow.summary().received).toBe(20);
  });

  it('the hosts cannot reach each other’s dedicated IPs through the cluster adapter; in multicast mode they can', () => {
    for (const [mode, ok] of [
      ['unicast', 0],
      ['multicast', 3],
    ] as const) {
      const lab = nlbLab({ hosts: 2, mode });
      lab.net.runUntil(10 * SECOND);
      const f = lab.servers[0].ping(parseIpv4('10.0.0.12'), { count: 3 });
      lab.net.runUntil(20 * SECOND);
      expect(f.summary().received).toBe(ok);
    }
  });

  it('shows the cluster MAC as the adapter address and sources every frame from 02-<host id>-…', () => {
    const lab = nlbLab({ hosts: 2, vip: '192.168.2.11', subnet: '192.168.2' });
    lab.net.runUntil(5 * SECOND);
    expect(formatMac(lab.servers[0].adapterMac(0), '-')).toBe('02-bf-c0-a8-02-0b');
    const macs = lab.sw.macTable().map((e) => formatMac(e.mac, '-'));
    expect(macs).toContain('02-01-c0-a8-02-0b');
    expect(macs).toContain('02-02-c0-a8-02-0b');
  });
});

describe('multicast and IGMP multicast modes', () => {
  it('multicast: ARP for the VIP answers 03-BF-…, the adapter keeps its own MAC and the switch floods the group', () => {
    const lab = nlbLab({ hosts: 2, mode: 'multicast' });
    lab.net.runUntil(10 * SECOND);
    const f = lab.client.ping(parseIpv4('10.0.0.100'), { count: 5, intervalNs: 100 * MS });
    const by = lab.swPortOf(lab.bystander);
    const before = by.outMcast;
    lab.net.runUntil(12 * SECOND);
    expect(f.summary().received).toBe(5);
    expect(formatMac(lab.client.arpTable().find((e) => e.ip === parseIpv4('10.0.0.100'))?.mac ?? 0, '-')).toBe('03-bf-0a-00-00-64');
    expect(lab.servers[0].adapterMac(0)).not.toBe(parseInt('03bf0a000064', 16));
    expect(by.outMcast - before).toBeGreaterThanOrEqual(5);
    expect(kinds(lab.events, 'ip.duplicate')).toHaveLength(0);
  });

  it('IGMP multicast: hosts join 239.255.c.d and the VIP resolves to 01-00-5E-7F-c-d', () => {
    const lab = nlbLab({ hosts: 2, mode: 'igmp-multicast', vip: '10.0.11.15', subnet: '10.0.11' });
    lab.net.runUntil(10 * SECOND);
    const f = lab.client.ping(parseIpv4('10.0.11.15'), { count: 3, intervalNs: 100 * MS });
    lab.net.runUntil(12 * SECOND);
    expect(f.summary().received).toBe(3);
    expect(formatMac(lab.client.arpTable().find((e) => e.ip === parseIpv4('10.0.11.15'))?.mac ?? 0, '-')).toBe('01-00-5e-7f-0b-0f');
    for (const s of lab.servers) expect(s.nlb?.counters.igmpReportsSent).toBeGreaterThanOrEqual(1);
    for (const s of lab.servers) expect(s.nlb?.membership.converged).toEqual([1, 2]);
  });

  it('hosts in different modes do not form one cluster', () => {
    const lab = nlbLab({ hosts: 2, perHost: (i) => ({ nlbMode: i === 0 ? 'unicast' : 'igmp-multicast' }) });
    lab.net.runUntil(10 * SECOND);
    // The unicast host's adapter does not take the IGMP MAC its peer heartbeats to.
    expect(lab.servers[0].nlb?.membership.converged).toEqual([1]);
  });
});

describe('misconfigured interface', () => {
  it('unicast NLB in Hyper-V VMs with MAC spoofing off: the adapter refuses the cluster MAC, the cluster IP never reaches TCP/IP', () => {
    const lab = hypervNlbLab({ vms: 2, spoofing: false, mode: 'unicast' });
    lab.net.runUntil(10 * SECOND);
    for (const s of lab.servers) {
      expect(s.deviceState('nlb-misconfigured')).toBe(true);
      expect(s.adapterAddresses(0)).toEqual([parseIpv4(`10.0.0.${11 + lab.servers.indexOf(s)}`)]);
    }
    const mis = kinds(lab.events, 'nlb.misconfigured');
    expect(mis).toHaveLength(2);
    expect(mis[0].text).toMatch(/does not support dynamic MAC address updates/);
    expect(mis[0].text).toContain('10.0.0.100');
    const f = lab.client.ping(parseIpv4('10.0.0.100'), { count: 3 });
    lab.net.runUntil(25 * SECOND);
    expect(f.summary().received).toBe(0);
  });

  it('with MAC spoofing on the same VMs converge and answer, and are not misconfigured', () => {
    const lab = hypervNlbLab({ vms: 2, spoofing: true, mode: 'unicast' });
    lab.net.runUntil(10 * SECOND);
    for (const s of lab.servers) {
      expect(s.deviceState('nlb-misconfigured')).toBe(false);
      expect(s.deviceState('nlb-converged')).toBe(true);
    }
    const f = lab.client.ping(parseIpv4('10.0.0.100'), { count: 3 });
    lab.net.runUntil(15 * SECOND);
    expect(f.summary().received).toBe(3);
    expect(kinds(lab.events, 'nlb.misconfigured')).toHaveLength(0);
  });

  it('multicast mode needs no MAC change, so spoofing off does not misconfigure it', () => {
    const lab = hypervNlbLab({ vms: 2, spoofing: false, mode: 'multicast' });
    lab.net.runUntil(10 * SECOND);
    for (const s of lab.servers) {
      expect(s.deviceState('nlb-misconfigured')).toBe(false);
      expect(s.deviceState('nlb-converged')).toBe(true);
    }
  });

  it('turning spoofing on and reloading NLB (Host Properties → OK) clears it', () => {
    const lab = hypervNlbLab({ vms: 2, spoofing: false, mode: 'unicast' });
    lab.net.runUntil(5 * SECOND);
    for (const s of lab.servers) {
      expect(s.applySetting('macSpoofing', true)).toBe(true);
      s.nlb?.reload();
    }
    lab.net.runUntil(15 * SECOND);
    for (const s of lab.servers) {
      expect(s.deviceState('nlb-misconfigured')).toBe(false);
      expect(s.deviceState('nlb-converged')).toBe(true);
    }
  });

  it('a station already using the cluster IP makes duplicate detection fail it: misconfigured, with the Windows warning', () => {
    const lab = nlbLab({ hosts: 2 });
    const rogue = new ClientPc(lab.net, 'rogue', { ip: '10.0.0.100/24' });
    rogue.arpRetryCount = 0; // it takes the address at once, before NLB starts
    connect(lab.net, rogue.ports[0], lab.sw.ports[22]);
    lab.net.runUntil(10 * SECOND);
    for (const s of lab.servers) {
      expect(s.deviceState('nlb-misconfigured')).toBe(true);
      expect(s.deviceState('duplicate-ip-warning')).toBe(true);
    }
    const dup = kinds(lab.events, 'ip.duplicate');
    expect(dup.length).toBeGreaterThanOrEqual(2);
    expect(dup[0].text).toContain('10.0.0.100');
    expect(dup[0].text).toContain(formatMac(rogue.iface('eth0').mac, '-').toUpperCase());
  });
});

describe('duplicate-IP warning', () => {
  it('is never raised between hosts of one cluster, whatever the mode', () => {
    for (const mode of ['unicast', 'multicast', 'igmp-multicast']) {
      const lab = nlbLab({ hosts: 3, mode });
      lab.net.runUntil(15 * SECOND);
      expect(kinds(lab.events, 'ip.duplicate')).toHaveLength(0);
      expect(kinds(lab.events, 'nlb.misconfigured')).toHaveLength(0);
    }
  });

  it('is raised when another station later claims the VIP with another MAC, and ArpRetryCount 0 silences it', () => {
    for (const [retry, warned] of [
      [3, true],
      [0, false],
    ] as const) {
      const lab = nlbLab({ hosts: 2, settings: { arpRetryCount: retry } });
      lab.net.runUntil(10 * SECOND);
      const intruder = new WindowsServer(lab.net, 'intruder', { ip: '10.0.0.100/24' });
      const p = lab.sw.ports[22];
      connect(lab.net, intruder.ports[0], p);
      intruder.start();
      lab.net.runUntil(15 * SECOND);
      expect(lab.servers[0].deviceState('duplicate-ip-warning')).toBe(warned);
      // the VIP was already in use: the cluster keeps it, it is the newcomer that loses it
      expect(lab.servers[0].deviceState('nlb-misconfigured')).toBe(false);
    }
  });
});
