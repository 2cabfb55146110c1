import { describe, expect, it } from 'vitest';
import { parseIpv4 } from '../cli/params.ts';
import { ETHERTYPE_MPLS, IPPROTO_ICMP, type MplsPacket } from '../core/packets.ts';
import { decodeFrame, encodeFrame, wireSize } from './frame.ts';
import { encodeMpls } from './mpls.ts';

const ip = (s: string): number => parseIpv4(s)!;

const packet: MplsPacket = {
  kind: 'mpls',
  labels: [
    { label: 18, tc: 0, ttl: 254 },
    { label: 24, tc: 0, ttl: 254 },
  ],
  inner: {
    kind: 'ipv4', src: ip('10.2.2.10'), dst: ip('192.168.1.10'), ttl: 127, protocol: IPPROTO_ICMP, ident: 7, dscp: 0, totalLength: 60,
    payload: { kind: 'icmp', type: 8, code: 0, ident: 1, seq: 3, dataLength: 32, quoted: null },
  },
};

describe('MPLS label stacks', () => {
  it('sets bottom of stack on the last entry only', () => {
    const b = encodeMpls(packet);
    expect([...b.subarray(0, 8)]).toEqual([0x00, 0x01, 0x20, 254, 0x00, 0x01, 0x81, 254]);
  });

  it('an 0x8847 frame decodes to the same labels and inner datagram', () => {
    const frame = { dst: 0x001ef7000010, src: 0x001ef7000020, vlan: 0, pcp: 0, etherType: ETHERTYPE_MPLS, size: wireSize(packet, false), payload: packet };
    const d = decodeFrame(encodeFrame(frame));
    expect(d.problems).toEqual([]);
    expect(d.frame.payload).toEqual(packet);
    expect(d.tree.map((n) => n.label)).toContain('MultiProtocol Label Switching Header, Label: 18, Exp: 0, S: 0, TTL: 254');
    expect(d.summary).toMatch(/^\[MPLS 18\/24\] /);
    expect(d.protocol).toBe('ICMP');
  });
});
