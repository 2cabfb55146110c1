import { describe, expect, it } from 'vitest';
import { parseIpv4 as ip } from '../core/ipv4.ts';
import { localMac } from '../core/mac.ts';
import { Network } from '../core/network.ts';
import { TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN, type TcpSegment } from '../core/packets.ts';
import { MS, SECOND } from '../core/time.ts';
import { EthernetSwitch } from '../l2/switch.ts';
import { IpHost } from './ip-host.ts';
import type { TcpCloseReason, TcpConnection } from './tcp.ts';
import { TcpEchoService } from './tcp-services.ts';

const G1 = 1e9;
const LINK = { rateBps: G1, delayNs: 1000 };
const CLIENT = ip('10.0.0.1');
const SERVER = ip('10.0.0.2');

interface Seen {
  t: number;
  dir: 'tx' | 'rx';
  seg: TcpSegment;
}

/** A client and a server on one switch, after duplicate detection; every TCP segment at the client's NIC is logged. */
function pair(seed = 7) {
  const net = new Network(seed);
  const sw = new EthernetSwitch(net, 'sw', { portNames: ['p1', 'p2'], speedBps: G1, baseMac: 0x0a0000000000 });
  const hosts: IpHost[] = [];
  for (let i = 0; i < 2; i++) {
    const h = new IpHost(net, `pc${i + 1}`);
    h.addInterface('eth0', localMac(i + 1), G1);
    h.addAddress('eth0', ip(`10.0.0.${i + 1}`), 24);
    net.connect(h.ports[0], sw.ports[i], LINK);
    hosts.push(h);
  }
  const seen: Seen[] = [];
  const icmp: number[] = [];
  hosts[0].ports[0].tap = (t, _port, f, dir) => {
    const p = f.payload;
    if (p !== null && p.kind === 'ipv4' && p.payload.kind === 'tcp') seen.push({ t, dir, seg: { ...p.payload } });
    if (p !== null && p.kind === 'ipv4' && p.payload.kind === 'icmp' && dir === 'rx') icmp.push(p.payload.type);
  };
  net.start();
  net.runUntil(4 * SECOND);
  return { net, client: hosts[0], server: hosts[1], seen, icmp };
}

function flagsOf(s: TcpSegment): string {
  const names: string[] = [];
  if (s.flags & TCP_SYN) names.push('SYN');
  if (s.flags & TCP_FIN) names.push('FIN');
  if (s.flags & TCP_RST) names.push('RST');
  if (s.flags & TCP_ACK) names.push('ACK');
  return names.join('+') + (s.dataLength > 0 ? `(${s.dataLength})` : '');
}

/** A client connection that records what it heard. */
function dial(client: IpHost, port: number, localPort = 49152) {
  const log = { opened: -1, echoed: 0, closed: null as TcpCloseReason | null, closedAt: -1 };
  const c: TcpConnection = client.tcp.connect(SERVER, port, localPort, {
    onOpen: () => (log.opened = client.net.now),
    onData: (_c, n) => (log.echoed += n),
    onClosed: (_c, why) => {
      log.closed = why;
      log.closedAt = client.net.now;
    },
  });
  return { c, log };
}

describe('TCP between two hosts', () => {
  it('opens with SYN, SYN-ACK, ACK; echoes each request; closes with FIN both ways', () => {
    const { net, client, server, seen } = pair();
    const echo = new TcpEchoService(server);
    echo.setPorts([80]);
    const t0 = net.now;
    const { c, log } = dial(client, 80);
    net.runUntil(t0 + 10 * MS);
    expect(c.state).toBe('established');
    expect(log.opened).toBeGreaterThan(t0);
    c.send(100);
    net.runUntil(t0 + 20 * MS);
    c.send(2000); // more than one MSS: two segments
    net.runUntil(t0 + 30 * MS);
    expect(log.echoed).toBe(2100);
    c.close();
    net.runUntil(t0 + 40 * MS);
    expect(seen.map((s) => `${s.dir} ${flagsOf(s.seg)}`)).toEqual([
      'tx SYN',
      'rx SYN+ACK',
      'tx ACK',
      'tx ACK(100)',
      'rx ACK(100)',
      'tx ACK',
      'tx ACK(1460)',
      'tx ACK(540)',
      'rx ACK(1460)',
      'tx ACK',
      'rx ACK(540)',
      'tx ACK',
      'tx FIN+ACK',
      'rx FIN+ACK',
      'tx ACK',
    ]);
    // Sequence numbers: the SYN-ACK acknowledges the SYN, data follows on from it.
    const [syn, synAck] = seen;
    expect(synAck.seg.ack).toBe((syn.seg.seq + 1) >>> 0);
    expect(seen[3].seg.seq).toBe((syn.seg.seq + 1) >>> 0);
    // The client closed first, so it waits in TIME-WAIT; the server is gone at once.
    expect(c.state).toBe('time-wait');
    expect(server.tcp.connections()).toHaveLength(0);
    expect(echo.clients.get('10.0.0.1:49152')).toBe(2100);
    net.runUntil(t0 + 241 * SECOND);
    expect(log.closed).toBe('closed');
    expect(client.tcp.connections()).toHaveLength(0);
  });

  it('a SYN to a port nobody listens on is answered by RST, never by ICMP', () => {
    const { net, client, server, seen, icmp } = pair();
    new TcpEchoService(server).setPorts([80]);
    const t0 = net.now;
    const { log } = dial(client, 8080);
    net.runUntil(t0 + 10 * MS);
    expect(log.closed).toBe('reset');
    expect(log.opened).toBe(-1);
    expect(seen.map((s) => `${s.dir} ${flagsOf(s.seg)}`)).toEqual(['tx SYN', 'rx RST+ACK']);
    expect(seen[1].seg.ack).toBe((seen[0].seg.seq + 1) >>> 0);
    expect(server.tcp.counters.resetsSent).toBe(1);
    // Unlike UDP, no port unreachable.
    expect(icmp).toEqual([]);
  });

  it('data for a connection the server does not have is reset, even on a listening port', () => {
    const { net, client, server, seen } = pair();
    new TcpEchoService(server).setPorts([80]);
    client.sendIp(SERVER, 6, { kind: 'tcp', srcPort: 49999, dstPort: 80, seq: 1000, ack: 5000, flags: TCP_ACK, window: 65535, dataLength: 64 }, CLIENT);
    net.runUntil(net.now + 10 * MS);
    const rst = seen.find((s) => s.dir === 'rx');
    // RFC 793: the reset takes its sequence number from the offending segment's acknowledgement.
    expect(rst?.seg).toMatchObject({ flags: TCP_RST, seq: 5000, srcPort: 80, dstPort: 49999 });
    expect(server.tcp.connections()).toHaveLength(0);
  });

  it('retransmits an unanswered SYN after 3 s and 6 s more, gives up 12 s after that, then connects once the path is back', () => {
    const { net, client, server, seen } = pair();
    new TcpEchoService(server).setPorts([80]);
    const t0 = net.now;
    // The server's link is down, but the client still knows its MAC: SYNs leave and are lost.
    client.sendIp(SERVER, 1, { kind: 'icmp', type: 8, code: 0, ident: 9, seq: 0, dataLength: 0, quoted: null });
    net.runUntil(t0 + 10 * MS);
    seen.length = 0;
    const t1 = net.now;
    const link = server.ports[0].link;
    link?.setUp(false);
    const { log } = dial(client, 80);
    net.runUntil(t1 + 30 * SECOND);
    const syns = seen.filter((s) => s.dir === 'tx' && s.seg.flags === TCP_SYN).map((s) => s.t - t1);
    expect(syns).toEqual([0, 3 * SECOND, 9 * SECOND]);
    expect(log.closed).toBe('timeout');
    expect(log.closedAt - t1).toBe(21 * SECOND);
    expect(client.tcp.counters.retransmissions).toBe(2);

    // Recovery: the link returns while a new attempt is retrying; its next SYN gets through.
    const t2 = net.now;
    const second = dial(client, 80);
    net.runUntil(t2 + 5 * SECOND);
    link?.setUp(true);
    net.runUntil(t2 + 20 * SECOND);
    expect(second.log.opened - t2).toBeGreaterThanOrEqual(9 * SECOND);
    expect(second.log.opened - t2).toBeLessThan(9 * SECOND + 10 * MS);
    expect(second.c.state).toBe('established');
  });

  it('retransmits unacknowledged data with a doubling RTO from 300 ms, and the echo arrives once the path is back', () => {
    const { net, client, server, seen } = pair();
    new TcpEchoService(server).setPorts([80]);
    const { c, log } = dial(client, 80);
    net.runUntil(net.now + 10 * MS);
    const link = server.ports[0].link;
    link?.setUp(false);
    seen.length = 0;
    const t1 = net.now;
    c.send(64);
    net.runUntil(t1 + 3 * SECOND);
    link?.setUp(true);
    net.runUntil(t1 + 6 * SECOND);
    const data = seen.filter((s) => s.dir === 'tx' && s.seg.dataLength > 0).map((s) => s.t - t1);
    // 0.3, 0.9, 2.1 s lost; the one at 4.5 s gets through.
    expect(data).toEqual([0, 300 * MS, 900 * MS, 2100 * MS, 4500 * MS]);
    expect(log.echoed).toBe(64);
    expect(c.state).toBe('established');
  });

  it('abandons a connection after five data retransmissions', () => {
    const { net, client, server } = pair();
    new TcpEchoService(server).setPorts([80]);
    const { c, log } = dial(client, 80);
    net.runUntil(net.now + 10 * MS);
    server.ports[0].link?.setUp(false);
    const t1 = net.now;
    c.send(64);
    net.runUntil(t1 + 60 * SECOND);
    expect(log.closed).toBe('timeout');
    // 0.3 + 0.6 + 1.2 + 2.4 + 4.8, then twice the last (9.6 s) before giving up.
    expect(log.closedAt - t1).toBe(18_900 * MS);
  });

  it('the same seed gives the same sequence numbers and segments; another seed other sequence numbers', () => {
    const trace = (seed: number) => {
      const { net, client, server, seen } = pair(seed);
      new TcpEchoService(server).setPorts([80]);
      const { c } = dial(client, 80);
      net.runUntil(net.now + 10 * MS);
      c.send(10);
      net.runUntil(net.now + 10 * MS);
      return seen.map((s) => [s.t, s.dir, s.seg.seq, s.seg.ack, s.seg.flags, s.seg.dataLength]);
    };
    expect(trace(3)).toEqual(trace(3));
    expect(trace(3)[0][2]).not.toBe(trace(4)[0][2]);
  });
});
