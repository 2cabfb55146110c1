/**
 * A TCP exchange as the emulator runs it (handshake, a request and its echo, a reset, close),
 * captured at the client's port and read back by tshark, which must agree on every flag,
 * sequence number and checksum.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseIpv4 as ip } from '../core/ipv4.ts';
import { localMac } from '../core/mac.ts';
import { Network } from '../core/network.ts';
import { MS, SECOND } from '../core/time.ts';
import { EthernetSwitch } from '../l2/switch.ts';
import { IpHost } from '../l3/ip-host.ts';
import { TcpEchoService } from '../l3/tcp-services.ts';
import { CaptureRecorder } from './recorder.ts';

const TSHARK = process.env.TSHARK ?? 'tshark';

function tshark(args: string[]): string {
  const r = spawnSync(TSHARK, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw new Error(`tshark could not be run (${r.error.message}): install Debian's "tshark" package or set TSHARK`);
  if (r.status !== 0) throw new Error(`tshark exited with ${r.status}: ${r.stderr}`);
  return r.stdout;
}

describe('a captured TCP exchange read by tshark', () => {
  let dir = '';
  let lines: string[] = [];
  let detail = '';
  let fields: string[][] = [];

  beforeAll(() => {
    const net = new Network(5);
    const sw = new EthernetSwitch(net, 'sw', { portNames: ['p1', 'p2'], speedBps: 1e9, baseMac: 0x0a0000000000 });
    const hosts = [1, 2].map((i) => {
      const h = new IpHost(net, `pc${i}`);
      h.addInterface('eth0', localMac(i), 1e9);
      h.addAddress('eth0', ip(`10.0.0.${i}`), 24);
      net.connect(h.ports[0], sw.ports[i - 1], { rateBps: 1e9, delayNs: 1000 });
      return h;
    });
    new TcpEchoService(hosts[1]).setPorts([80]);
    net.start();
    net.runUntil(4 * SECOND);
    const rec = new CaptureRecorder();
    const ifIndex = rec.addInterface('pc1:eth0');
    hosts[0].ports[0].tap = (t, _p, f, d) => {
      const p = f.payload;
      if (p !== null && p.kind === 'ipv4') rec.record(t, ifIndex, f, d === 'rx' ? 'in' : 'out');
    };
    const c = hosts[0].tcp.connect(ip('10.0.0.2'), 80, 49152, { onOpen: (conn) => conn.send(64) });
    net.runUntil(net.now + 10 * MS);
    c.close();
    net.runUntil(net.now + 10 * MS);
    hosts[0].tcp.connect(ip('10.0.0.2'), 8080, 49153);
    net.runUntil(net.now + 10 * MS);

    dir = mkdtempSync(join(tmpdir(), 'labbox-tcp-'));
    const file = join(dir, 'tcp.pcapng');
    writeFileSync(file, rec.toPcapng());
    const checks = ['-o', 'ip.check_checksum:TRUE', '-o', 'tcp.check_checksum:TRUE', '-o', 'tcp.relative_sequence_numbers:FALSE'];
    lines = tshark(['-r', file, ...checks]).trim().split('\n');
    detail = tshark(['-r', file, '-V', ...checks]);
    fields = tshark(['-r', file, ...checks, '-T', 'fields', '-e', 'tcp.flags.str', '-e', 'tcp.len', '-e', 'tcp.srcport', '-e', 'tcp.dstport', '-e', 'tcp.checksum.status'])
      .trim()
      .split('\n')
      .map((l) => l.split('\t'));
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('sees the handshake, the request and its echo, the close and the reset, in order', () => {
    const flags = fields.map(([f, len]) => `${f.replace(/·/g, '').trim()}${len !== '0' ? ` ${len}` : ''}`);
    expect(flags).toEqual(['S', 'AS', 'A', 'AP 64', 'AP 64', 'A', 'AF', 'AF', 'A', 'S', 'AR']);
    expect(fields[0].slice(2, 4)).toEqual(['49152', '80']);
    expect(fields.at(-1)?.slice(2, 4)).toEqual(['8080', '49153']);
  });

  it('agrees on every TCP and IP checksum', () => {
    expect(fields.every((f) => f[4] === '1')).toBe(true); // tshark: 1 = good
    expect(detail).not.toMatch(/\[incorrect|Bad checksum|Checksum Status: Bad|Malformed/i);
    expect(lines[0]).toMatch(/TCP .*49152 → 80 \[SYN\]/);
    expect(lines.at(-1)).toMatch(/TCP .*8080 → 49153 \[RST, ACK\]/);
  });
});
