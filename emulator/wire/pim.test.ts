import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Ipv4Packet, PimMessage } from '../core/packets.ts';
import { ETHERTYPE_IPV4, IPPROTO_PIM, IPPROTO_UDP, PIM_HELLO, PIM_JOIN_PRUNE, PIM_REGISTER, PIM_REGISTER_STOP } from '../core/packets.ts';
import { parseIpv4 } from '../core/ipv4.ts';
import { decodeFrame, encodeFrame, wireSize, type FrameView } from './frame.ts';
import { encodeIpv4, ipv4Length } from './ipv4.ts';
import { decodeMsdp, encodeMsdp, MSDP_KEEPALIVE, MSDP_SOURCE_ACTIVE, type MsdpMessage } from './msdp.ts';
import { writePcapng, LINKTYPE_ETHERNET } from './pcapng.ts';
import { encodePim } from './pim.ts';

const ip = parseIpv4;

function datagram(payload: Ipv4Packet['payload'], protocol: number, src: string, dst: string, ttl: number): Ipv4Packet {
  const p: Ipv4Packet = { kind: 'ipv4', src: ip(src), dst: ip(dst), ttl, protocol, ident: 7, dscp: 0, totalLength: 0, payload };
  p.totalLength = ipv4Length(p);
  return p;
}

function pimFrame(m: PimMessage, src: string, dst: string): FrameView {
  const payload = datagram(m, IPPROTO_PIM, src, dst, dst.startsWith('224.') ? 1 : 255);
  return { dst: dst.startsWith('224.') ? 0x01005e00000d : 0x001ef7000010, src: 0x001ef7000020, vlan: 0, pcp: 0, etherType: ETHERTYPE_IPV4, size: wireSize(payload, false), payload };
}

const video = datagram({ kind: 'udp', srcPort: 65000, dstPort: 5004, dataLength: 512, data: null }, IPPROTO_UDP, '10.1.1.10', '239.1.1.1', 15);

const cases: [string, FrameView][] = [
  ['Hello', pimFrame({ kind: 'pim', type: PIM_HELLO, holdtime: 105, drPriority: 1, generationId: 0x1234abcd }, '10.1.2.1', '224.0.0.13')],
  ['Register with a data packet', pimFrame({ kind: 'pim', type: PIM_REGISTER, border: false, nullRegister: false, inner: video }, '10.1.2.1', '10.0.0.1')],
  [
    'Null-Register',
    pimFrame(
      { kind: 'pim', type: PIM_REGISTER, border: false, nullRegister: true, inner: { ...video, protocol: 0, ttl: 0, totalLength: 20, payload: { kind: 'opaque', length: 0, tag: 0 } } },
      '10.1.2.1',
      '10.0.0.1',
    ),
  ],
  ['Register-Stop', pimFrame({ kind: 'pim', type: PIM_REGISTER_STOP, group: ip('239.1.1.1'), source: ip('10.1.1.10') }, '10.0.0.1', '10.1.2.1')],
  [
    'Join/Prune with (*,G), (S,G) and (S,G,rpt)',
    pimFrame(
      {
        kind: 'pim',
        type: PIM_JOIN_PRUNE,
        upstream: ip('10.2.3.1'),
        holdtime: 210,
        groups: [
          { group: ip('239.1.1.1'), joins: [{ address: ip('10.0.0.1'), wildcard: true, rpt: true }, { address: ip('10.1.1.10'), wildcard: false, rpt: false }], prunes: [] },
          { group: ip('239.2.2.2'), joins: [], prunes: [{ address: ip('10.1.1.11'), wildcard: false, rpt: true }] },
        ],
      },
      '10.2.3.2',
      '224.0.0.13',
    ),
  ],
];

describe('PIM on the wire', () => {
  it.each(cases)('%s decodes back to the same record with a correct checksum', (_name, frame) => {
    const decoded = decodeFrame(encodeFrame(frame));
    expect(decoded.problems).toEqual([]);
    expect(decoded.frame).toStrictEqual(frame);
  });

  it('sizes a Hello at 26 bytes and a Register at 8 plus the whole datagram it carries', () => {
    const hello = cases[0]![1].payload;
    if (hello?.kind !== 'ipv4' || hello.payload.kind !== 'pim') throw new Error('not PIM');
    expect(encodePim(hello.payload, encodeIpv4).length).toBe(26);
    const reg = cases[1]![1].payload;
    if (reg?.kind !== 'ipv4') throw new Error('not IPv4');
    expect(reg.totalLength).toBe(20 + 8 + video.totalLength);
  });

  it('a Register checksum covers only its first 8 bytes, as RFC 7761 says', () => {
    const reg = cases[1]![1].payload;
    if (reg?.kind !== 'ipv4' || reg.payload.kind !== 'pim' || reg.payload.type !== PIM_REGISTER) throw new Error('not a Register');
    const a = encodePim(reg.payload, encodeIpv4);
    const b = encodePim({ ...reg.payload, inner: { ...video, ttl: 3 } }, encodeIpv4);
    expect([a[2], a[3]]).toEqual([b[2], b[3]]);
  });

  it('tshark reads the messages as PIM', () => {
    const probe = spawnSync('tshark', ['-v'], { encoding: 'utf8' });
    if (probe.error) return; // the capture check in emulator/capture needs tshark; here it is a bonus
    const dir = mkdtempSync(join(tmpdir(), 'labbox-pim-'));
    try {
      const file = join(dir, 'pim.pcapng');
      writeFileSync(file, writePcapng({ application: 'LabBox', interfaces: [{ name: 'r1:Gi0/0', linkType: LINKTYPE_ETHERNET }], packets: cases.map(([, f], i) => ({ ifIndex: 0, timestampNs: i * 1000, data: encodeFrame(f) })) }));
      const r = spawnSync('tshark', ['-r', file, '-T', 'fields', '-e', 'pim.type', '-e', 'pim.cksum.status', '-e', '_ws.expert'], { encoding: 'utf8' });
      const rows = r.stdout.trim().split('\n').map((l) => l.split('\t'));
      expect(rows.map((x) => x[0])).toEqual(['0', '1', '1', '2', '3']);
      expect(rows.map((x) => x[1])).toEqual(['1', '1', '1', '1', '1']);
      expect(rows.map((x) => x[2] ?? '')).toEqual(['', '', '', '', '']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('MSDP on the wire', () => {
  const sa: MsdpMessage = { type: MSDP_SOURCE_ACTIVE, rp: ip('10.0.0.11'), entries: [{ source: ip('10.1.1.10'), group: ip('239.1.1.1') }, { source: ip('10.1.1.12'), group: ip('239.1.1.2') }] };
  it('a Source-Active round-trips, 8 bytes plus 12 per (S,G)', () => {
    const bytes = encodeMsdp(sa);
    expect(bytes.length).toBe(32);
    const d = decodeMsdp(bytes, 0);
    expect(d.record).toStrictEqual(sa);
    expect(d.summary).toBe('IPv4 Source-Active, RP 10.0.0.11: (10.1.1.10, 239.1.1.1), (10.1.1.12, 239.1.1.2)');
  });

  it('a KeepAlive is three bytes', () => {
    const bytes = encodeMsdp({ type: MSDP_KEEPALIVE });
    expect([...bytes]).toEqual([4, 0, 3]);
    expect(decodeMsdp(bytes, 0).record).toStrictEqual({ type: MSDP_KEEPALIVE });
  });
});
