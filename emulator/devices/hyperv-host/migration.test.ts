import { describe, expect, it } from 'vitest';
import type { NetEvent } from '../../core/network.ts';
import { parseIpv4 } from '../../core/ipv4.ts';
import { MS, SECOND } from '../../core/time.ts';
import { HypervCluster, drainNode } from '../hyperv-cluster/cluster.ts';
import { liveMigrate } from './host.ts';
import { LiveMigrationEngine } from './migration.ts';
import { parseMac } from '../../core/mac.ts';
import { buildLab, clientRaw, ipVm, RawGuest } from './test-support/topology.ts';

function first(events: NetEvent[], kind: string, device?: string): NetEvent {
  const e = events.find((x) => x.kind === kind && (device === undefined || x.device === device));
  if (e === undefined) throw new Error(`no ${kind} event`);
  return e;
}

function duration(net: Parameters<typeof LiveMigrationEngine.of>[0], vm: string): number {
  const v = LiveMigrationEngine.of(net).views().find((m) => m.vm === vm && m.phase === 'done');
  if (v === undefined || v.endedNs === null) throw new Error(`${vm} did not finish`);
  return v.endedNs - v.startedNs;
}

describe('live migration', () => {
  for (const variant of [
    { vlan: 0, ip: '10.0.0.11', client: '10.0.0.100', teaming: 'SwitchIndependent' as const, lb: 'HyperVPort' as const, channel: null },
    { vlan: 120, ip: '172.16.5.20', client: '172.16.5.1', teaming: 'Lacp' as const, lb: 'Dynamic' as const, channel: 'active' as const },
  ]) {
    it(`a ping through the VM stops at the blackout and resumes at the unsolicited ARP (vlan ${variant.vlan}, ${variant.teaming})`, () => {
      const lab = buildLab({ vlan: variant.vlan, clientIp: variant.client, host: { teaming: variant.teaming, loadBalancing: variant.lb }, channel: variant.channel });
      const g = ipVm(lab.hosts[0], 'vm1', variant.ip, { vlan: variant.vlan });
      const flow = lab.client.ping(parseIpv4(variant.ip), { intervalNs: 5 * MS, timeoutNs: 1 * SECOND });
      lab.net.runUntil(2 * SECOND);
      lab.net.drainEvents();
      expect(liveMigrate(lab.net, ['vm1'], ['hv2'])).toEqual([]);
      lab.net.runUntil(6 * SECOND);
      flow.running = false;
      lab.net.runUntil(8 * SECOND);
      const ev = lab.net.drainEvents();
      const start = first(ev, 'migration.start');
      const blackout = first(ev, 'migration.blackout');
      const arp = first(ev, 'arp.unsolicited');
      const end = first(ev, 'migration.end');
      expect(start.t).toBeLessThan(blackout.t);
      expect(blackout.t).toBeLessThan(arp.t);
      expect(arp.t).toBeLessThanOrEqual(end.t);
      expect(arp.device).toBe('hv2');
      expect(lab.hosts[1].vms.has('vm1')).toBe(true);
      expect(lab.hosts[0].vms.has('vm1')).toBe(false);
      // the switch moved the VM's MAC to hv2's side, because of the unsolicited ARP
      const move = ev.find((e) => e.kind === 'mac.move' && e.text.includes(g.adapterMac(0).toString(16).padStart(12, '0').replace(/(..)(?!$)/g, '$1:')));
      expect(move).toBeDefined();
      expect(move!.t).toBeGreaterThanOrEqual(arp.t);
      const hv2Side = variant.channel ? 'Port-channel2' : [lab.portOf(1, 0), lab.portOf(1, 1)];
      const entry = lab.sw.macTable({ vlan: variant.vlan || 1 }).find((e) => e.mac === g.adapterMac(0));
      expect(Array.isArray(hv2Side) ? hv2Side.includes(entry!.ports[0]) : entry!.ports[0] === hv2Side).toBe(true);
      // every lost probe was sent inside the blackout; replies came back right after the ARP
      // (an LACP team needs a few milliseconds to bundle at start: count from one second in)
      const lost = flow.probes.filter((p) => p.result === 'timeout' && p.sentNs > 1 * SECOND);
      expect(lost.length).toBeGreaterThan(0);
      for (const p of lost) {
        expect(p.sentNs).toBeGreaterThanOrEqual(blackout.t - 1 * MS);
        expect(p.sentNs).toBeLessThanOrEqual(arp.t);
      }
      const firstAfter = flow.probes.find((p) => p.sentNs > arp.t);
      expect(firstAfter?.result).toBe('reply');
      const gap = Math.max(...lost.map((p) => p.sentNs)) - Math.min(...lost.map((p) => p.sentNs));
      expect(gap).toBeLessThan(arp.t - blackout.t + 10 * MS);
    });
  }

  it('copy time follows memory size and migration bandwidth', () => {
    const runs = [
      { mem: 2048, bw: 10e9 },
      { mem: 4096, bw: 10e9 },
      { mem: 2048, bw: 1e9 },
    ].map(({ mem, bw }) => {
      const lab = buildLab({ host: { migrationBandwidthBps: bw } });
      ipVm(lab.hosts[0], 'vm1', '10.0.0.11', { memoryMb: mem });
      lab.net.runUntil(1 * SECOND);
      liveMigrate(lab.net, ['vm1'], ['hv2']);
      lab.net.runUntil(60 * SECOND);
      return duration(lab.net, 'vm1');
    });
    // 2 GB over 10 Gb/s: about 1.7 s for the first pass plus smaller passes
    expect(runs[0]).toBeGreaterThan(1.7 * SECOND);
    expect(runs[0]).toBeLessThan(2.2 * SECOND);
    expect(runs[1] / runs[0]).toBeGreaterThan(1.9);
    expect(runs[2] / runs[0]).toBeGreaterThan(9);
  });

  it('several VMs at once share the bandwidth: each takes longer and the last ends much later', () => {
    const single = (() => {
      const lab = buildLab();
      ipVm(lab.hosts[0], 'vm1', '10.0.0.11');
      lab.net.runUntil(1 * SECOND);
      liveMigrate(lab.net, ['vm1'], ['hv2']);
      lab.net.runUntil(30 * SECOND);
      return duration(lab.net, 'vm1');
    })();
    for (const atOnce of [2, 4]) {
      const lab = buildLab({ host: { maxSimultaneousMigrations: atOnce } });
      const names = ['vm1', 'vm2', 'vm3', 'vm4'];
      names.forEach((n, i) => ipVm(lab.hosts[0], n, `10.0.0.${11 + i}`));
      lab.net.runUntil(1 * SECOND);
      expect(liveMigrate(lab.net, names, ['hv2'])).toEqual([]);
      lab.net.runUntil(60 * SECOND);
      const views = LiveMigrationEngine.of(lab.net).views();
      expect(views.every((v) => v.phase === 'done')).toBe(true);
      for (const n of names) expect(duration(lab.net, n)).toBeGreaterThan(single * (atOnce - 0.5));
      const lastEnd = Math.max(...views.map((v) => v.endedNs as number));
      expect(lastEnd - 1 * SECOND).toBeGreaterThan(single * 3.5);
      // with the default limit of 2, the third and fourth wait for a slot
      const starts = views.map((v) => v.startedNs);
      expect(new Set(starts).size).toBe(atOnce === 4 ? 1 : 2);
      expect(lab.hosts[1].vms.size).toBe(4);
    }
  });

  it('spreads VMs over a list of targets', () => {
    const lab = buildLab({ hosts: 3 });
    ['a', 'b', 'c', 'd'].forEach((n, i) => ipVm(lab.hosts[0], n, `10.0.0.${11 + i}`));
    lab.net.runUntil(1 * SECOND);
    liveMigrate(lab.net, ['a', 'b', 'c', 'd'], ['hv2', 'hv3']);
    lab.net.runUntil(30 * SECOND);
    expect([...lab.hosts[1].vms.keys()].sort()).toEqual(['a', 'c']);
    expect([...lab.hosts[2].vms.keys()].sort()).toEqual(['b', 'd']);
  });

  it('refuses a VM that does not exist or a target that is not a host', () => {
    const lab = buildLab();
    ipVm(lab.hosts[0], 'vm1', '10.0.0.11');
    expect(liveMigrate(lab.net, ['nope'], ['hv2'])[0]).toMatch(/no virtual machine/);
    expect(liveMigrate(lab.net, ['vm1'], ['sw1'])[0]).toMatch(/not a Hyper-V host/);
  });
});

describe('live migration of NLB-unicast-style guests (seed 002)', () => {
  it('the unsolicited ARP carries the adapter MAC the guest set, pinning a never-sourced cluster MAC to one port', () => {
    const CLUSTER = parseMac('02-bf-0a-00-00-32');
    const lab = buildLab({ hosts: 3, host: { teaming: 'SwitchIndependent', loadBalancing: 'HyperVPort' } });
    const nodes = ['nlb1', 'nlb2'].map((n, i) => {
      const g = new RawGuest(lab.net, lab.hosts[i].createVm({ name: n, adapters: [{ macSpoofing: true }] }));
      g.mac = CLUSTER; // NLB unicast replaces the adapter MAC
      g.addresses = [parseIpv4('10.0.0.50'), parseIpv4(`10.0.0.${51 + i}`)];
      return g;
    });
    lab.net.runUntil(10 * MS);
    // before: nothing sourced the cluster MAC, so the switch floods it to every host port; a
    // switch-independent team on one switch takes the flooded copy on each member, so each node
    // gets it twice (the team drops duplicate group frames, not flooded unicast)
    clientRaw(lab, CLUSTER, 1);
    lab.net.runUntil(20 * MS);
    expect(nodes.map((g) => g.received.filter((f) => f.tag === 1).length)).toEqual([2, 2]);
    liveMigrate(lab.net, ['nlb1'], ['hv3']);
    lab.net.runUntil(10 * SECOND);
    const entry = lab.sw.macTable().find((e) => e.mac === CLUSTER);
    expect(entry?.ports[0]).toMatch(new RegExp(`^(${lab.portOf(2, 0)}|${lab.portOf(2, 1)})$`));
    const hv1In = lab.hosts[0].nics.map((n) => n.inUcast);
    clientRaw(lab, CLUSTER, 2);
    lab.net.runUntil(10 * SECOND + 10 * MS);
    // after: the switch sends the cluster MAC out one hv3 port only, no longer flooding: the moved
    // nlb1 gets all of it, nlb2 (still on hv2) gets nothing, hv1 gets nothing
    expect(lab.hosts[0].nics.map((n) => n.inUcast)).toEqual(hv1In);
    expect(nodes.map((g) => g.received.filter((f) => f.tag === 2).length)).toEqual([1, 0]);
  });

  it('with spoofing off the host announces the assigned MAC instead, and the cluster MAC stays unknown', () => {
    const CLUSTER = parseMac('02-bf-0a-00-00-32');
    const lab = buildLab();
    const g = new RawGuest(lab.net, lab.hosts[0].createVm({ name: 'nlb1', adapters: [{ macSpoofing: false }] }));
    const assigned = g.mac;
    g.mac = CLUSTER;
    g.addresses = [parseIpv4('10.0.0.50')];
    lab.net.runUntil(10 * MS);
    liveMigrate(lab.net, ['nlb1'], ['hv2']);
    lab.net.runUntil(10 * SECOND);
    const macs = lab.sw.macTable().map((e) => e.mac);
    expect(macs).toContain(assigned);
    expect(macs).not.toContain(CLUSTER);
  });
});

describe('failover cluster', () => {
  for (const nodes of [2, 3]) {
    it(`draining a node of ${nodes} moves every VM off it, spread over the others`, () => {
      const lab = buildLab({ hosts: nodes });
      const cluster = new HypervCluster(lab.net, 'cl1');
      for (const h of lab.hosts) cluster.addHost(h);
      ['a', 'b', 'c', 'd'].forEach((n, i) => ipVm(lab.hosts[0], n, `10.0.0.${11 + i}`));
      ipVm(lab.hosts[1], 'e', '10.0.0.20');
      lab.net.runUntil(1 * SECOND);
      expect(drainNode(lab.net, 'hv1')).toEqual([]);
      expect(cluster.nodes()[0].state).toBe('Paused');
      lab.net.runUntil(60 * SECOND);
      expect(lab.hosts[0].vms.size).toBe(0);
      const counts = lab.hosts.slice(1).map((h) => h.vms.size);
      expect(counts.reduce((a, b) => a + b, 0)).toBe(5);
      expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(nodes === 2 ? 5 : 1);
      const ev = lab.net.drainEvents();
      expect(ev.filter((e) => e.kind === 'migration.end')).toHaveLength(4);
      expect(first(ev, 'cluster.drain.end').text).toContain('completed');
    });
  }

  it('a powered-off host drops its NICs and its VMs stop answering', () => {
    const lab = buildLab();
    ipVm(lab.hosts[0], 'vm1', '10.0.0.11');
    const flow = lab.client.ping(parseIpv4('10.0.0.11'), { intervalNs: 100 * MS, timeoutNs: 1 * SECOND });
    lab.net.runUntil(1 * SECOND);
    lab.hosts[0].powerOff();
    lab.net.runUntil(3 * SECOND);
    expect(lab.sw.portByName('Gi1/0/1')?.operUp).toBe(false);
    expect(lab.hosts[0].vms.get('vm1')?.state).toBe('Off');
    const late = flow.probes.filter((p) => p.sentNs > 1.1 * SECOND && p.sentNs < 2 * SECOND);
    expect(late.every((p) => p.result !== 'reply')).toBe(true);
    lab.hosts[0].powerOn();
    lab.net.runUntil(6 * SECOND);
    flow.running = false;
    lab.net.runUntil(8 * SECOND);
    expect(flow.probes.filter((p) => p.sentNs > 5 * SECOND).every((p) => p.result === 'reply')).toBe(true);
  });
});
