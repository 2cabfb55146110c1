import { describe, expect, it } from 'vitest';
import { localMac } from '../core/mac.ts';
import { Network } from '../core/network.ts';
import { MS, SECOND, US } from '../core/time.ts';
import { RawFrameHost } from './raw-host.ts';
import { EthernetSwitch } from './switch.ts';

const G1 = 1e9;
const LINK = { rateBps: G1, delayNs: 500 };
const ET = 0x88b5;

function sw(net: Network, name: string, ports = 8, base = 0x0a0000000000): EthernetSwitch {
  return new EthernetSwitch(net, name, {
    portNames: Array.from({ length: ports }, (_, i) => `Gi0/${i + 1}`),
    speedBps: G1,
    baseMac: base,
  });
}

function host(net: Network, n: number): RawFrameHost {
  return new RawFrameHost(net, `h${n}`, localMac(n), G1);
}

function settle(net: Network, ns = 10 * MS): void {
  net.runUntil(net.now + ns);
}

describe('learning bridge', () => {
  it('floods an unknown destination, then forwards only to the learned port', () => {
    const net = new Network();
    const s = sw(net, 's1');
    const [a, b, c] = [host(net, 1), host(net, 2), host(net, 3)];
    net.connect(a.nic, s.ports[0], LINK);
    net.connect(b.nic, s.ports[1], LINK);
    net.connect(c.nic, s.ports[2], LINK);
    a.sendFrame(b.mac, ET, 64);
    settle(net);
    expect(b.delivered).toBe(1);
    expect(c.filtered).toBe(1); // the flood reached c's NIC, which dropped it
    b.sendFrame(a.mac, ET, 64); // a is known: no flood
    settle(net);
    expect(a.delivered).toBe(1);
    expect(c.filtered).toBe(1);
    a.sendFrame(b.mac, ET, 64);
    settle(net);
    expect(c.filtered).toBe(1);
    expect(s.macTable().map((e) => [e.mac, e.ports[0]])).toEqual([
      [a.mac, 'Gi0/1'],
      [b.mac, 'Gi0/2'],
    ]);
    expect(s.counters('Gi0/3').outUcast).toBe(1);
    expect(s.counters('Gi0/1').inUcast).toBe(2);
  });

  it('floods broadcast to every port in the VLAN but never back out of the ingress port', () => {
    const net = new Network();
    const s = sw(net, 's1');
    const hs = [1, 2, 3, 4].map((n) => host(net, n));
    hs.forEach((h, i) => net.connect(h.nic, s.ports[i], LINK));
    hs[0].sendFrame(0xffffffffffff, ET, 64);
    settle(net);
    expect(hs.map((h) => h.delivered)).toEqual([0, 1, 1, 1]);
    expect(s.counters(0).inBcast).toBe(1);
    expect(s.counters(3).outBcast).toBe(1);
  });

  it('ages entries out after the ageing time (300 s by default) and floods again', () => {
    const net = new Network();
    const s = sw(net, 's1');
    const [a, b, c] = [host(net, 1), host(net, 2), host(net, 3)];
    [a, b, c].forEach((h, i) => net.connect(h.nic, s.ports[i], LINK));
    b.sendFrame(a.mac, ET, 64);
    settle(net);
    expect(c.filtered).toBe(1);
    net.runUntil(net.now + 299 * SECOND);
    a.sendFrame(b.mac, ET, 64);
    settle(net);
    expect(c.filtered).toBe(1); // still known
    net.runUntil(net.now + 301 * SECOND);
    expect(s.macTable({ vlan: 1 }).map((e) => e.mac)).toEqual([]);
    a.sendFrame(b.mac, ET, 64);
    settle(net);
    expect(c.filtered).toBe(2); // aged out: flooded
  });

  it('honours a configured ageing time', () => {
    const net = new Network();
    const s = sw(net, 's1');
    s.setAgeingTime(10);
    const [a, b, c] = [host(net, 1), host(net, 2), host(net, 3)];
    [a, b, c].forEach((h, i) => net.connect(h.nic, s.ports[i], LINK));
    b.sendFrame(a.mac, ET, 64);
    net.runUntil(11 * SECOND);
    a.sendFrame(b.mac, ET, 64);
    settle(net);
    expect(c.filtered).toBe(2);
  });

  it('flushes a port’s entries when it goes down', () => {
    const net = new Network();
    const s = sw(net, 's1');
    const [a, b] = [host(net, 1), host(net, 2)];
    net.connect(a.nic, s.ports[0], LINK);
    const lb = net.connect(b.nic, s.ports[1], LINK);
    b.sendFrame(a.mac, ET, 64);
    settle(net);
    expect(s.macTable().some((e) => e.mac === b.mac)).toBe(true);
    lb.setUp(false);
    settle(net);
    expect(s.macTable().some((e) => e.mac === b.mac)).toBe(false);
    const kinds = net.drainEvents().map((e) => e.kind);
    expect(kinds).toContain('link.down');
    expect(kinds.filter((k) => k === 'port.down')).toHaveLength(2);
  });

  it('reports a MAC move when a source appears on another port', () => {
    const net = new Network();
    const s = sw(net, 's1');
    const [a, b] = [host(net, 1), host(net, 2)];
    const spoof = new RawFrameHost(net, 'spoof', a.mac, G1);
    net.connect(a.nic, s.ports[0], LINK);
    net.connect(b.nic, s.ports[1], LINK);
    net.connect(spoof.nic, s.ports[2], LINK);
    a.sendFrame(b.mac, ET, 64);
    settle(net);
    net.drainEvents();
    spoof.sendFrame(b.mac, ET, 64);
    settle(net);
    const moves = net.drainEvents().filter((e) => e.kind === 'mac.move');
    expect(moves).toHaveLength(1);
    expect(moves[0].text).toContain('from Gi0/1 to Gi0/3');
    expect(s.macTable().find((e) => e.mac === a.mac)?.ports).toEqual(['Gi0/3']);
  });

  it('keeps static entries against learning and forwards a multi-port static entry to each listed port', () => {
    const net = new Network();
    const s = sw(net, 's1');
    const hs = [1, 2, 3, 4].map((n) => host(net, n));
    hs.forEach((h, i) => net.connect(h.nic, s.ports[i], LINK));
    const cluster = 0x03bf0a000001; // multicast cluster MAC
    s.addStaticMac(1, cluster, ['Gi0/2', 'Gi0/3']);
    s.addStaticMac(1, hs[3].mac, ['Gi0/4']);
    hs[0].sendFrame(cluster, ET, 64);
    settle(net);
    expect(hs.map((h) => h.delivered)).toEqual([0, 1, 1, 0]);
    const impostor = new RawFrameHost(net, 'imp', hs[3].mac, G1);
    net.connect(impostor.nic, s.ports[4], LINK);
    impostor.sendFrame(hs[0].mac, ET, 64);
    settle(net);
    expect(s.macTable().find((e) => e.mac === hs[3].mac)).toMatchObject({ type: 'static', ports: ['Gi0/4'] });
  });

  it('drops the frames a full queue cannot hold (drop-tail, 100 frames behind the one on the wire)', () => {
    const net = new Network();
    const s = sw(net, 's1');
    const fast = { rateBps: 10e9, delayNs: 50 };
    const [a, b, c] = [host(net, 1), host(net, 2), host(net, 3)];
    net.connect(a.nic, s.ports[0], fast);
    net.connect(b.nic, s.ports[1], fast);
    net.connect(c.nic, s.ports[2], { rateBps: 1e9, delayNs: 50 }); // slow egress
    c.sendFrame(a.mac, ET, 64); // learn c
    settle(net);
    // two 10G senders into one 1G port: 2 × 500 frames arrive much faster than 1G drains
    a.startStream({ dst: c.mac, etherType: ET, size: 1500, intervalNs: 1_200, count: 500, startNs: net.now + 1 * US });
    b.startStream({ dst: c.mac, etherType: ET, size: 1500, intervalNs: 1_200, count: 500, startNs: net.now + 1 * US });
    settle(net, 100 * MS);
    const drops = s.counters('Gi0/3').outDiscards;
    expect(drops).toBeGreaterThan(0);
    expect(c.delivered + drops).toBe(1000);
    expect(net.queueDrops).toBe(drops);
    expect(net.pool.live).toBe(0);
  });
});

describe('802.1Q VLANs', () => {
  function twoSwitches() {
    const net = new Network();
    const s1 = sw(net, 's1', 8, 0x0a0000000000);
    const s2 = sw(net, 's2', 8, 0x0b0000000000);
    for (const s of [s1, s2]) {
      s.createVlan(10);
      s.createVlan(20);
      s.setTrunk('Gi0/8', { allowed: [1, 10, 20] });
      s.setAccess('Gi0/1', 10);
      s.setAccess('Gi0/2', 20);
    }
    const trunk = net.connect(s1.ports[7], s2.ports[7], LINK);
    const a10 = host(net, 1);
    const a20 = host(net, 2);
    const b10 = host(net, 3);
    const b20 = host(net, 4);
    net.connect(a10.nic, s1.ports[0], LINK);
    net.connect(a20.nic, s1.ports[1], LINK);
    net.connect(b10.nic, s2.ports[0], LINK);
    net.connect(b20.nic, s2.ports[1], LINK);
    return { net, s1, s2, a10, a20, b10, b20, trunk };
  }

  it('keeps VLANs apart: a broadcast in VLAN 10 crosses the trunk tagged and reaches only VLAN 10', () => {
    const t = twoSwitches();
    const seen: number[] = [];
    t.s2.ports[7].tap = (_t, _p, f, dir) => {
      if (dir === 'rx') seen.push(f.vlan, f.size);
    };
    t.a10.sendFrame(0xffffffffffff, ET, 64);
    settle(t.net);
    expect([t.b10.delivered, t.b20.delivered, t.a20.delivered]).toEqual([1, 0, 0]);
    expect(seen).toEqual([10, 68]); // tagged on the trunk: 4 more bytes
    expect(t.s2.macTable({ vlan: 10 }).map((e) => e.ports[0])).toEqual(['Gi0/8']);
    expect(t.s2.macTable({ vlan: 20 })).toEqual([]);
  });

  it('sends the native VLAN untagged on a trunk', () => {
    const t = twoSwitches();
    for (const s of [t.s1, t.s2]) s.setTrunk('Gi0/8', { nativeVlan: 20, allowed: [10, 20] });
    const tags: number[] = [];
    t.s2.ports[7].tap = (_t, _p, f, dir) => {
      if (dir === 'rx') tags.push(f.vlan);
    };
    t.a20.sendFrame(0xffffffffffff, ET, 64);
    settle(t.net);
    expect(tags).toEqual([0]);
    expect(t.b20.delivered).toBe(1);
  });

  it('drops a frame whose VLAN the trunk does not allow and counts it as a discard', () => {
    const t = twoSwitches();
    t.s2.setTrunk('Gi0/8', { allowed: [1, 20] }); // s1 still sends VLAN 10
    t.a10.sendFrame(0xffffffffffff, ET, 64);
    settle(t.net);
    expect(t.b10.delivered).toBe(0);
    expect(t.s2.counters('Gi0/8').inDiscards).toBe(1);
    expect(t.s2.vlanDiscards).toBe(1);
  });

  it('drops a tagged frame for another VLAN arriving on an access port', () => {
    const t = twoSwitches();
    t.a10.sendFrame(0xffffffffffff, ET, 68, 0, 20);
    settle(t.net);
    expect(t.a20.delivered + t.b20.delivered + t.b10.delivered).toBe(0);
    expect(t.s1.counters('Gi0/1').inDiscards).toBe(1);
  });

  it('lists VLAN membership', () => {
    const t = twoSwitches();
    expect(t.s1.vlans().find((v) => v.id === 10)?.ports).toEqual(['Gi0/1', 'Gi0/8']);
    expect(t.s1.switchport('Gi0/8')).toMatchObject({ mode: 'trunk', allowedVlans: [1, 10, 20] });
  });
});
