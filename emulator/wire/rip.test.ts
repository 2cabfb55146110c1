import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CaptureRecorder } from '../capture/recorder.ts';
import { parseIpv4 } from '../core/ipv4.ts';
import { ETHERTYPE_IPV4, IPPROTO_UDP, type Ipv4Packet } from '../core/packets.ts';
import { decodeFrame, encodeFrame, wireSize, type FrameView } from './frame.ts';
import { ipv4Length } from './ipv4.ts';
import { RIP_GROUP, RIP_PORT, RIP_RESPONSE, ripLength, wholeTableRequest, type RipMessage } from './rip.ts';

const ip = parseIpv4;

const update: RipMessage = {
  kind: 'rip',
  command: RIP_RESPONSE,
  version: 2,
  entries: [
    { afi: 2, tag: 0, prefix: ip('10.99.99.99'), mask: 0xffffffff, nextHop: 0, metric: 1 },
    { afi: 2, tag: 0, prefix: ip('10.9.0.0'), mask: 0xffffff00, nextHop: 0, metric: 16 },
  ],
};

function ripFrame(m: RipMessage, src: string): FrameView {
  const pkt: Ipv4Packet = {
    kind: 'ipv4', src: ip(src), dst: RIP_GROUP, ttl: 1, protocol: IPPROTO_UDP, ident: 7, dscp: 0, totalLength: 0,
    payload: { kind: 'udp', srcPort: RIP_PORT, dstPort: RIP_PORT, dataLength: ripLength(m), data: m },
  };
  pkt.totalLength = ipv4Length(pkt);
  return { dst: 0x01005e000009, src: 0x00155d000001, vlan: 0, pcp: 0, etherType: ETHERTYPE_IPV4, size: wireSize(pkt, false), payload: pkt };
}

describe('RIPv2 on the wire', () => {
  it('reads back what it wrote: command, version and every route entry', () => {
    const d = decodeFrame(encodeFrame(ripFrame(update, '10.1.0.10')));
    expect(d.problems).toEqual([]);
    expect(d.protocol).toBe('RIPv2');
    expect(d.summary).toBe('RIPv2 Response');
    const pkt = d.frame.payload as Ipv4Packet;
    expect(pkt.payload.kind === 'udp' && pkt.payload.data).toEqual(update);
    const labels = JSON.stringify(d.tree);
    expect(labels).toContain('IP Address: 10.99.99.99, Metric: 1');
    expect(labels).toContain('Netmask: 255.255.255.0');
  });

  it('a whole-table request is one entry of family 0 with metric 16, 24 bytes', () => {
    const r = wholeTableRequest();
    expect(ripLength(r)).toBe(24);
    const d = decodeFrame(encodeFrame(ripFrame(r, '10.1.0.1')));
    expect(d.summary).toBe('RIPv2 Request');
    expect(JSON.stringify(d.tree)).toContain('Address not specified, Metric: 16');
  });

  const tshark = spawnSync('tshark', ['-v'], { encoding: 'utf8' });
  it.skipIf(tshark.error !== undefined)('tshark decodes the capture as RIPv2 with good checksums', () => {
    const rec = new CaptureRecorder();
    const i = rec.addInterface('r1:Gi0/1');
    rec.record(1_000_000_000, i, ripFrame(update, '10.1.0.10'), 'in');
    rec.record(2_000_000_000, i, ripFrame(wholeTableRequest(), '10.1.0.1'), 'out');
    const dir = mkdtempSync(join(tmpdir(), 'labbox-rip-'));
    try {
      const file = join(dir, 'rip.pcapng');
      writeFileSync(file, rec.toPcapng());
      const out = spawnSync('tshark', ['-r', file, '-V', '-o', 'udp.check_checksum:TRUE', '-o', 'ip.check_checksum:TRUE'], { encoding: 'utf8' }).stdout;
      expect(out).toContain('Routing Information Protocol');
      expect(out).toContain('Command: Response (2)');
      expect(out).toContain('Version: RIPv2 (2)');
      expect(out).toMatch(/IP Address: 10\.99\.99\.99, Metric: 1/);
      expect(out).toMatch(/Netmask: 255\.255\.255\.255/);
      expect(out).toMatch(/IP Address: 10\.9\.0\.0, Metric: 16/);
      expect(out).toContain('Command: Request (1)');
      expect(out).not.toMatch(/Malformed|incorrect|Bad/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
