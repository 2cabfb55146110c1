import { describe, expect, it } from 'vitest';
import { localMac } from './mac.ts';
import { Network } from './network.ts';
import { RawFrameHost } from '../l2/raw-host.ts';

describe('ports and links', () => {
  it('delivers after serialisation plus propagation delay', () => {
    const net = new Network();
    const a = new RawFrameHost(net, 'a', localMac(1), 1e9);
    const b = new RawFrameHost(net, 'b', localMac(2), 1e9);
    net.connect(a.nic, b.nic, { rateBps: 1e9, delayNs: 5000 });
    let arrived = -1;
    b.nic.tap = (t, _p, _f, dir) => {
      if (dir === 'rx') arrived = t;
    };
    a.sendFrame(b.mac, 0x88b5, 1500);
    net.runUntil(1e6);
    expect(arrived).toBe(12_000 + 5000); // 1500 B at 1 Gb/s = 12 µs
    expect(b.delivered).toBe(1);
  });

  it('takes carrier down at both ends when the cable is pulled, and up again', () => {
    const net = new Network();
    const a = new RawFrameHost(net, 'a', localMac(1), 1e9);
    const b = new RawFrameHost(net, 'b', localMac(2), 1e9);
    const link = net.connect(a.nic, b.nic, { rateBps: 1e9, delayNs: 1000 });
    expect(a.nic.operUp && b.nic.operUp).toBe(true);
    link.setUp(false);
    net.runUntil(999);
    expect(a.nic.operUp).toBe(true);
    net.runUntil(1000);
    expect(a.nic.operUp || b.nic.operUp).toBe(false);
    a.sendFrame(b.mac, 0x88b5, 64);
    expect(a.nic.outDiscards).toBe(1);
    link.setUp(true);
    net.runUntil(5000);
    expect(a.nic.operUp && b.nic.operUp).toBe(true);
    expect(net.drainEvents().map((e) => `${e.t} ${e.kind} ${e.device ?? ''}`)).toEqual([
      '0 link.down ',
      '1000 port.down a',
      '1000 port.down b',
      '1000 link.up ',
      '2000 port.up a',
      '2000 port.up b',
    ]);
  });

  it('shutdown on one end drops carrier there at once and at the far end after the delay', () => {
    const net = new Network();
    const a = new RawFrameHost(net, 'a', localMac(1), 1e9);
    const b = new RawFrameHost(net, 'b', localMac(2), 1e9);
    net.connect(a.nic, b.nic, { rateBps: 1e9, delayNs: 1000 });
    a.nic.setAdmin(false);
    net.runUntil(0);
    expect([a.nic.operUp, b.nic.operUp]).toEqual([false, true]);
    net.runUntil(1000);
    expect(b.nic.operUp).toBe(false);
  });

  it('loses the frame on the wire when the link fails mid-flight', () => {
    const net = new Network();
    const a = new RawFrameHost(net, 'a', localMac(1), 1e9);
    const b = new RawFrameHost(net, 'b', localMac(2), 1e9);
    const link = net.connect(a.nic, b.nic, { rateBps: 1e9, delayNs: 1000 });
    a.sendFrame(b.mac, 0x88b5, 1500);
    net.runUntil(5000);
    link.setUp(false);
    net.runUntil(1e6);
    expect(b.delivered).toBe(0);
    expect(net.pool.live).toBe(0);
  });
});
