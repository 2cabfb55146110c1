import { describe, expect, it } from 'vitest';
import { localMac } from '../core/mac.ts';
import { Network } from '../core/network.ts';
import { MS, SECOND } from '../core/time.ts';
import { hashFrame } from './port-channel.ts';
import { RawFrameHost } from './raw-host.ts';
import { EthernetSwitch } from './switch.ts';

const G1 = 1e9;
const LINK = { rateBps: G1, delayNs: 500 };
const ET = 0x88b5;

function sw(net: Network, name: string, base: number): EthernetSwitch {
  return new EthernetSwitch(net, name, { portNames: Array.from({ length: 8 }, (_, i) => `Gi0/${i + 1}`), speedBps: G1, baseMac: base });
}

function pair(mode1: 'on' | 'active' | 'passive', mode2: 'on' | 'active' | 'passive') {
  const net = new Network();
  const s1 = sw(net, 's1', 0x0a0000000000);
  const s2 = sw(net, 's2', 0x0b0000000000);
  const links = [0, 1].map((i) => net.connect(s1.ports[6 + i], s2.ports[6 + i], LINK));
  for (const p of ['Gi0/7', 'Gi0/8']) {
    s1.joinChannel(p, 1, mode1);
    s2.joinChannel(p, 1, mode2);
  }
  return { net, s1, s2, links };
}

describe('LACP port-channels', () => {
  it('bundles both members after exchanging LACPDUs', () => {
    const { net, s1, s2 } = pair('active', 'active');
    net.runUntil(100 * MS);
    for (const s of [s1, s2]) {
      const [po] = s.portChannels();
      expect(po).toMatchObject({ name: 'Port-channel1', protocol: 'lacp', up: true });
      expect(po.members.map((m) => m.state)).toEqual(['bundled', 'bundled']);
    }
    expect(s1.portChannels()[0].members[0].partnerSystem).toBe(s2.systemMac);
    expect(net.drainEvents().filter((e) => e.kind === 'lag.up')).toHaveLength(2);
  });

  it('bundles active with passive, but two passive ends never talk', () => {
    const ap = pair('active', 'passive');
    ap.net.runUntil(100 * MS);
    expect(ap.s2.portChannels()[0].up).toBe(true);
    const pp = pair('passive', 'passive');
    pp.net.runUntil(10 * SECOND);
    expect(pp.s1.portChannels()[0].up).toBe(false);
    expect(pp.s1.portChannels()[0].members.every((m) => m.pdusOut === 0)).toBe(true);
  });

  it('sends LACPDUs every 30 s at the slow rate and every second when the partner asks for fast', () => {
    const slow = pair('active', 'active');
    slow.net.runUntil(95 * SECOND);
    const outSlow = slow.s1.portChannels()[0].members[0].pdusOut;
    const fast = pair('active', 'active');
    for (const p of ['Gi0/7', 'Gi0/8']) fast.s2.setLacpRate(p, 'fast');
    fast.net.runUntil(95 * SECOND);
    const outFast = fast.s1.portChannels()[0].members[0].pdusOut;
    expect(outSlow).toBeLessThanOrEqual(8);
    expect(outFast).toBeGreaterThanOrEqual(90);
  });

  it('suspends a member whose partner is a different system', () => {
    const net = new Network();
    const s1 = sw(net, 's1', 0x0a0000000000);
    const s2 = sw(net, 's2', 0x0b0000000000);
    const s3 = sw(net, 's3', 0x0c0000000000);
    net.connect(s1.ports[6], s2.ports[6], LINK);
    net.connect(s1.ports[7], s3.ports[7], LINK); // miscabled: second member goes to another switch
    s1.joinChannel('Gi0/7', 1, 'active');
    s1.joinChannel('Gi0/8', 1, 'active');
    s2.joinChannel('Gi0/7', 1, 'active');
    s3.joinChannel('Gi0/8', 1, 'active');
    net.runUntil(100 * MS);
    const members = s1.portChannels()[0].members;
    expect(members.map((m) => m.state)).toEqual(['bundled', 'suspended']);
    const suspended = net.drainEvents().filter((e) => e.kind === 'lacp.suspended');
    expect(suspended).toHaveLength(1);
    expect(suspended[0].port).toBe('Gi0/8');
  });

  it('unbundles a member when three LACPDUs in a row are missed (fast rate: 3 s)', () => {
    const { net, s1, s2 } = pair('active', 'active');
    for (const p of ['Gi0/7', 'Gi0/8']) s1.setLacpRate(p, 'fast');
    net.runUntil(5 * SECOND);
    expect(s1.portChannels()[0].members[1].state).toBe('bundled');
    s2.leaveChannel('Gi0/8'); // the far end stops speaking LACP on that cable, carrier stays up
    net.drainEvents();
    net.runUntil(net.now + 1500 * MS); // the last LACPDU arrived at most 1 s before
    expect(s1.portChannels()[0].members[1].state).toBe('bundled');
    net.runUntil(net.now + 2 * SECOND);
    expect(s1.portChannels()[0].members[1].state).toBe('waiting');
    expect(net.drainEvents().some((e) => e.kind === 'lacp.timeout' && e.port === 'Gi0/8')).toBe(true);
  });

  it('carries traffic over the bundle and keeps it up when one member fails', () => {
    const { net, s1, s2, links } = pair('active', 'active');
    const a = new RawFrameHost(net, 'a', localMac(1), G1);
    const b = new RawFrameHost(net, 'b', localMac(2), G1);
    net.connect(a.nic, s1.ports[0], LINK);
    net.connect(b.nic, s2.ports[0], LINK);
    net.runUntil(100 * MS);
    a.sendFrame(b.mac, ET, 64);
    net.runUntil(net.now + MS);
    expect(b.delivered).toBe(1);
    expect(s2.macTable().find((e) => e.mac === a.mac)?.ports).toEqual(['Port-channel1']);
    links[0].setUp(false);
    net.runUntil(net.now + MS);
    expect(s1.portChannels()[0].up).toBe(true);
    a.sendFrame(b.mac, ET, 64);
    b.sendFrame(a.mac, ET, 64);
    net.runUntil(net.now + MS);
    expect([a.delivered, b.delivered]).toEqual([1, 2]);
  });
});

describe('static port-channels', () => {
  it('bundle on carrier alone and send no LACPDUs', () => {
    const { net, s1 } = pair('on', 'on');
    net.runUntil(SECOND);
    const [po] = s1.portChannels();
    expect(po.protocol).toBe('static');
    expect(po.members.map((m) => [m.state, m.pdusOut])).toEqual([
      ['bundled', 0],
      ['bundled', 0],
    ]);
  });

  it('refuses to mix static and LACP members', () => {
    const net = new Network();
    const s = sw(net, 's', 0x0a0000000000);
    s.joinChannel('Gi0/1', 2, 'on');
    expect(() => s.joinChannel('Gi0/2', 2, 'active')).toThrow(/mode on/);
  });
});

describe('load-balancing hash', () => {
  it('is deterministic and spreads different flows over the members', () => {
    const net = new Network();
    const picks = new Set<number>();
    for (let i = 0; i < 64; i++) {
      const f = net.pool.alloc();
      f.src = localMac(i);
      f.dst = localMac(1000);
      const h = hashFrame(f, 'src-dst-mac');
      expect(hashFrame(f, 'src-dst-mac')).toBe(h);
      picks.add(h % 4);
    }
    expect(picks.size).toBe(4);
  });

  it('hashes on IP addresses and UDP ports when asked', () => {
    const net = new Network();
    const f = net.pool.alloc();
    f.src = 1;
    f.dst = 2;
    const udp = { kind: 'udp' as const, srcPort: 1000, dstPort: 53, dataLength: 0, data: null };
    f.payload = { kind: 'ipv4', src: 0x0a000001, dst: 0x0a000002, ttl: 64, protocol: 17, ident: 0, dscp: 0, totalLength: 28, payload: udp };
    const ip = hashFrame(f, 'src-dst-ip');
    f.payload = { ...f.payload, payload: { ...udp, srcPort: 1001 } };
    expect(hashFrame(f, 'src-dst-ip')).toBe(ip);
    expect(hashFrame(f, 'src-dst-ip-l4')).not.toBe(hashFrame({ ...f, payload: { ...f.payload, payload: udp } } as typeof f, 'src-dst-ip-l4'));
  });
});
