import { describe, expect, it } from 'vitest';
import type { FramePayload, IcmpMessage, Ipv4Packet, LacpPdu, UdpDatagram } from '../core/packets.ts';
import {
  BROADCAST_MAC,
  ETHERTYPE_ARP,
  ETHERTYPE_BENCH,
  ETHERTYPE_IPV4,
  ETHERTYPE_NLB,
  ETHERTYPE_RARP,
  ETHERTYPE_SLOW,
  IPPROTO_ICMP,
  IPPROTO_IGMP,
  IPPROTO_TCP,
  IPPROTO_UDP,
} from '../core/packets.ts';
import { parseIpv4 } from '../core/ipv4.ts';
import type { DecodeNode } from './decode-tree.ts';
import { decodeFrame, encodeFrame, wireSize, type FrameView } from './frame.ts';
import { ipv4Length } from './ipv4.ts';
import { LACPDU_LENGTH, SLOW_PROTOCOLS_MAC } from './lacp.ts';

const ip = parseIpv4;
const MAC_A = 0x00155d010203; // a Hyper-V OUI, upper 16 bits non-zero
const MAC_B = 0xf4ce46aabbcc; // top bit set: breaks 32-bit bitwise arithmetic

function frameOf(payload: FramePayload | null, etherType: number, opts: Partial<FrameView> = {}): FrameView {
  const vlan = opts.vlan ?? 0;
  return {
    dst: MAC_B,
    src: MAC_A,
    vlan,
    pcp: opts.pcp ?? 0,
    etherType,
    size: wireSize(payload, vlan !== 0),
    payload,
    ...opts,
  };
}

function ipv4(payload: Ipv4Packet['payload'], protocol: number, extra: Partial<Ipv4Packet> = {}): Ipv4Packet {
  const p: Ipv4Packet = { kind: 'ipv4', src: ip('10.0.0.1'), dst: ip('10.0.0.2'), ttl: 128, protocol, ident: 0x1234, dscp: 0, totalLength: 0, payload, ...extra };
  p.totalLength = ipv4Length(p);
  return p;
}

function echo(type: number, seq: number, dataLength = 32): IcmpMessage {
  return { kind: 'icmp', type, code: 0, ident: 1, seq, dataLength, quoted: null };
}

function hexOf(b: Uint8Array, from = 0, to = b.length): string {
  return Array.from(b.subarray(from, to), (x) => x.toString(16).padStart(2, '0')).join('');
}

function labels(nodes: DecodeNode[]): string[] {
  return nodes.flatMap((n) => [n.label, ...labels(n.children ?? [])]);
}

const lacp: LacpPdu = {
  kind: 'lacp',
  actor: { systemPriority: 32768, system: 0x001b21aabbcc, key: 13, portPriority: 32768, port: 0x0105, state: 0x3d },
  partner: { systemPriority: 1, system: 0xf4ce46010203, key: 1000, portPriority: 128, port: 49, state: 0x47 },
  collectorMaxDelay: 0,
};

const udp: UdpDatagram = { kind: 'udp', srcPort: 1024, dstPort: 53, dataLength: 4, data: null };

const cases: [string, FrameView][] = [
  ['ARP request', frameOf({ kind: 'arp', op: 1, senderMac: MAC_A, senderIp: ip('10.0.0.1'), targetMac: 0, targetIp: ip('10.0.0.2') }, ETHERTYPE_ARP, { dst: BROADCAST_MAC })],
  ['ARP reply', frameOf({ kind: 'arp', op: 2, senderMac: MAC_B, senderIp: ip('10.0.0.2'), targetMac: MAC_A, targetIp: ip('10.0.0.1') }, ETHERTYPE_ARP)],
  ['gratuitous ARP', frameOf({ kind: 'arp', op: 1, senderMac: MAC_A, senderIp: ip('10.0.0.9'), targetMac: 0, targetIp: ip('10.0.0.9') }, ETHERTYPE_ARP, { dst: BROADCAST_MAC })],
  ['RARP request', frameOf({ kind: 'arp', op: 3, senderMac: MAC_A, senderIp: 0, targetMac: MAC_A, targetIp: 0 }, ETHERTYPE_RARP, { dst: BROADCAST_MAC })],
  ['RARP reply', frameOf({ kind: 'arp', op: 4, senderMac: MAC_B, senderIp: ip('10.0.0.2'), targetMac: MAC_A, targetIp: ip('10.0.0.7') }, ETHERTYPE_RARP)],
  ['ICMP echo request', frameOf(ipv4(echo(8, 5), IPPROTO_ICMP), ETHERTYPE_IPV4)],
  ['ICMP echo reply, DSCP EF', frameOf(ipv4(echo(0, 5, 56), IPPROTO_ICMP, { dscp: 46, ttl: 64 }), ETHERTYPE_IPV4)],
  ['ICMP echo, zero data', frameOf(ipv4(echo(8, 65535, 0), IPPROTO_ICMP), ETHERTYPE_IPV4)],
  [
    'ICMP port unreachable quoting UDP',
    frameOf(ipv4({ kind: 'icmp', type: 3, code: 3, ident: 0, seq: 0, dataLength: 0, quoted: ipv4(udp, IPPROTO_UDP, { ttl: 127 }) }, IPPROTO_ICMP, { src: ip('10.0.0.2'), dst: ip('10.0.0.1') }), ETHERTYPE_IPV4),
  ],
  [
    'ICMP time exceeded quoting an echo request',
    frameOf(ipv4({ kind: 'icmp', type: 11, code: 0, ident: 0, seq: 0, dataLength: 0, quoted: ipv4(echo(8, 9), IPPROTO_ICMP, { ttl: 1 }) }, IPPROTO_ICMP, { src: ip('10.9.9.1') }), ETHERTYPE_IPV4),
  ],
  [
    'ICMP host unreachable quoting TCP',
    frameOf(ipv4({ kind: 'icmp', type: 3, code: 1, ident: 0, seq: 0, dataLength: 0, quoted: ipv4({ kind: 'opaque', length: 40, tag: 0xabcdef01 }, IPPROTO_TCP) }, IPPROTO_ICMP), ETHERTYPE_IPV4),
  ],
  ['UDP', frameOf(ipv4(udp, IPPROTO_UDP), ETHERTYPE_IPV4)],
  ['UDP large', frameOf(ipv4({ ...udp, srcPort: 49152, dstPort: 5000, dataLength: 1400 }, IPPROTO_UDP), ETHERTYPE_IPV4)],
  ['IGMPv2 general query', frameOf(ipv4({ kind: 'igmp', type: 0x11, maxRespTime: 100, group: 0 }, IPPROTO_IGMP, { ttl: 1, dst: ip('224.0.0.1') }), ETHERTYPE_IPV4, { dst: 0x01005e000001 })],
  ['IGMPv2 group query', frameOf(ipv4({ kind: 'igmp', type: 0x11, maxRespTime: 10, group: ip('239.255.1.100') }, IPPROTO_IGMP, { ttl: 1 }), ETHERTYPE_IPV4)],
  ['IGMPv2 report', frameOf(ipv4({ kind: 'igmp', type: 0x16, maxRespTime: 0, group: ip('239.255.1.100') }, IPPROTO_IGMP, { ttl: 1 }), ETHERTYPE_IPV4, { dst: 0x01005e7f0164 })],
  ['IGMPv2 leave', frameOf(ipv4({ kind: 'igmp', type: 0x17, maxRespTime: 0, group: ip('239.255.1.100') }, IPPROTO_IGMP, { ttl: 1, dst: ip('224.0.0.2') }), ETHERTYPE_IPV4)],
  ['IGMPv1 report', frameOf(ipv4({ kind: 'igmp', type: 0x12, maxRespTime: 0, group: ip('239.1.2.3') }, IPPROTO_IGMP), ETHERTYPE_IPV4)],
  ['IGMPv3 report', frameOf(ipv4({ kind: 'igmp', type: 0x22, maxRespTime: 0, group: ip('239.1.2.3') }, IPPROTO_IGMP, { dst: ip('224.0.0.22') }), ETHERTYPE_IPV4)],
  ['IPv4 carrying unmodelled OSPF', frameOf(ipv4({ kind: 'opaque', length: 20, tag: 7 }, 89), ETHERTYPE_IPV4)],
  ['LACPDU', frameOf(lacp, ETHERTYPE_SLOW, { dst: SLOW_PROTOCOLS_MAC })],
  ['NLB heartbeat', frameOf({ kind: 'nlb-heartbeat', clusterIp: ip('192.168.1.100'), hostId: 3, dedicatedIp: ip('192.168.1.11'), converging: false, rulesHash: 0x9e3779b9 }, ETHERTYPE_NLB, { dst: BROADCAST_MAC, src: 0x0203c0a80164 })],
  ['NLB heartbeat, converging', frameOf({ kind: 'nlb-heartbeat', clusterIp: ip('10.98.0.50'), hostId: 32, dedicatedIp: ip('10.98.0.2'), converging: true, rulesHash: 0 }, ETHERTYPE_NLB, { dst: BROADCAST_MAC })],
  ['benchmark frame', frameOf({ kind: 'opaque', length: 64, tag: 0 }, ETHERTYPE_BENCH)],
  ['benchmark frame with a probe tag', frameOf({ kind: 'opaque', length: 1500, tag: 0xfffffffe }, ETHERTYPE_BENCH)],
  ['tagged ICMP, VLAN 98 PCP 5', frameOf(ipv4(echo(8, 1), IPPROTO_ICMP), ETHERTYPE_IPV4, { vlan: 98, pcp: 5 })],
  ['tagged ARP, VLAN 4094', frameOf({ kind: 'arp', op: 1, senderMac: MAC_A, senderIp: ip('10.98.0.1'), targetMac: 0, targetIp: ip('10.98.0.50') }, ETHERTYPE_ARP, { vlan: 4094, pcp: 0, dst: BROADCAST_MAC })],
  ['tagged LACPDU', frameOf(lacp, ETHERTYPE_SLOW, { vlan: 1, pcp: 7 })],
  ['TCP SYN', frameOf(ipv4({ kind: 'tcp', srcPort: 49152, dstPort: 80, seq: 0xfedcba98, ack: 0, flags: 0x02, window: 65535, dataLength: 0 }, IPPROTO_TCP), ETHERTYPE_IPV4)],
  ['TCP data with ACK and PSH', frameOf(ipv4({ kind: 'tcp', srcPort: 80, dstPort: 49153, seq: 1, ack: 0x80000001, flags: 0x18, window: 8192, dataLength: 1460 }, IPPROTO_TCP), ETHERTYPE_IPV4)],
];

describe('frame round trip', () => {
  it.each(cases)('%s decodes back to the same record', (_name, frame) => {
    const decoded = decodeFrame(encodeFrame(frame));
    expect(decoded.frame).toStrictEqual(frame);
    expect(decoded.problems).toEqual([]);
  });

  it('keeps a frame larger than its payload needs (size is what the engine serialises)', () => {
    const frame = { ...frameOf(ipv4(echo(8, 1), IPPROTO_ICMP), ETHERTYPE_IPV4), size: 1518 };
    const bytes = encodeFrame(frame);
    expect(bytes.length).toBe(1514); // the FCS is not captured
    expect(decodeFrame(bytes).frame).toStrictEqual(frame);
  });
});

describe('Ethernet and 802.1Q bytes', () => {
  it('pads short frames to 60 bytes (64 with FCS) with zeros', () => {
    const frame = cases[0][1];
    expect(frame.size).toBe(64);
    const bytes = encodeFrame(frame);
    expect(bytes.length).toBe(60);
    expect(hexOf(bytes, 42)).toBe('00'.repeat(18));
    const tree = decodeFrame(bytes).tree;
    expect(tree.at(-1)).toEqual({ label: 'Padding (18 bytes)', offset: 42, length: 18 });
  });

  it('writes all 48 bits of each MAC, including the upper 16', () => {
    const bytes = encodeFrame(cases[1][1]);
    expect(hexOf(bytes, 0, 14)).toBe('f4ce46aabbcc' + '00155d010203' + '0806');
  });

  it('writes the tag as TPID 0x8100 then PCP and VID, with the EtherType after it', () => {
    const bytes = encodeFrame(frameOf(ipv4(echo(8, 1), IPPROTO_ICMP), ETHERTYPE_IPV4, { vlan: 98, pcp: 5 }));
    expect(hexOf(bytes, 12, 18)).toBe('8100' + 'a062' + '0800');
    const d = decodeFrame(bytes);
    expect(d.tree[1].label).toBe('802.1Q Virtual LAN, PRI: 5, DEI: 0, ID: 98');
  });

  it('an untagged frame carries no tag even when a priority is set', () => {
    const bytes = encodeFrame(frameOf(null, ETHERTYPE_BENCH, { pcp: 6 }));
    expect(hexOf(bytes, 12, 14)).toBe('88b5');
  });
});

describe('ARP bytes', () => {
  it('lays out an Ethernet/IPv4 request as RFC 826 does', () => {
    const bytes = encodeFrame(cases[0][1]);
    expect(hexOf(bytes, 14, 42)).toBe(
      '0001' + '0800' + '06' + '04' + '0001' + '00155d010203' + '0a000001' + '000000000000' + '0a000002',
    );
  });

  it('summarises requests, replies and announcements the way an analyser does', () => {
    expect(decodeFrame(encodeFrame(cases[0][1])).summary).toBe('Who has 10.0.0.2? Tell 10.0.0.1');
    expect(decodeFrame(encodeFrame(cases[1][1])).summary).toBe('10.0.0.2 is at f4:ce:46:aa:bb:cc');
    expect(decodeFrame(encodeFrame(cases[2][1])).summary).toBe('Gratuitous ARP for 10.0.0.9 (Request)');
    expect(decodeFrame(encodeFrame(cases[3][1])).protocol).toBe('RARP');
  });
});

describe('IPv4 and ICMP bytes', () => {
  const frame = cases[5][1];
  const bytes = encodeFrame(frame);

  it('computes the header checksum by hand: 4500+003c+1234+0000+8001+0a00+0001+0a00+0002 = eb74, inverted 148b', () => {
    expect(hexOf(bytes, 14, 34)).toBe('4500003c12340000800114' + '8b' + '0a0000010a000002');
  });

  it('echo request id=1 seq=5 with 32 bytes of Windows ping data has checksum 4d56', () => {
    // Data words 6162+6364+…+6869 sum to 6aa9d; type/code 0800 + id 0001 + seq 0005 add 0806:
    // 6b2a3, folded b2a3+6 = b2a9, inverted 4d56.
    expect(hexOf(bytes, 34, 42)).toBe('0800' + '4d56' + '0001' + '0005');
    expect(String.fromCharCode(...bytes.subarray(42, 74))).toBe('abcdefghijklmnopqrstuvwabcdefghi');
  });

  it('summarises and labels the layers like a packet analyser', () => {
    const d = decodeFrame(bytes);
    expect(d.summary).toBe('Echo (ping) request id=0x0001, seq=5');
    expect(d.protocol).toBe('ICMP');
    expect(d.tree.map((n) => n.label)).toEqual([
      'Ethernet II, Src: 00:15:5d:01:02:03, Dst: f4:ce:46:aa:bb:cc',
      'Internet Protocol Version 4, Src: 10.0.0.1, Dst: 10.0.0.2',
      'Internet Control Message Protocol',
    ]);
    const all = labels(d.tree);
    expect(all).toContain('Time to Live: 128');
    expect(all).toContain('Protocol: ICMP (1)');
    expect(all).toContain('Header Checksum: 0x148b [correct]');
    expect(all).toContain('Checksum: 0x4d56 [correct]');
    expect(all).toContain('Sequence Number (BE): 5 (0x0005)');
    expect(all).toContain('Data (32 bytes)');
  });

  it('writes DSCP into the upper six bits of the TOS byte', () => {
    const b = encodeFrame(cases[6][1]);
    expect(b[15]).toBe(0xb8);
    expect(labels(decodeFrame(b).tree)).toContain('Differentiated Services Field: 0xb8 (DSCP: EF, ECN: 0)');
  });

  it('an error quotes the original header and exactly 8 bytes after it', () => {
    const f = cases[8][1];
    const payload = f.payload as Ipv4Packet;
    const quoted = (payload.payload as IcmpMessage).quoted as Ipv4Packet;
    const b = encodeFrame(f);
    expect(payload.totalLength).toBe(20 + 8 + 20 + 8);
    const original = encodeFrame(frameOf(quoted, ETHERTYPE_IPV4));
    expect(hexOf(b, 42, 70)).toBe(hexOf(original, 14, 42));
    const d = decodeFrame(b);
    expect(d.summary).toBe('Destination unreachable (Port unreachable)');
    expect(labels(d.tree)).toContain('User Datagram Protocol (quoted), Src Port: 1024, Dst Port: 53');
    expect(decodeFrame(encodeFrame(cases[9][1])).summary).toBe('Time-to-live exceeded (Time to live exceeded in transit)');
  });

  it('flags a corrupted header checksum and a corrupted ICMP checksum, without throwing', () => {
    const b = encodeFrame(frame);
    b[22] ^= 0x01; // TTL
    b[50] ^= 0x01; // echo data
    const d = decodeFrame(b);
    expect(d.problems).toEqual(['IPv4: bad header checksum', 'ICMP: bad checksum 0x4d56']);
    expect(labels(d.tree)).toContain('Header Checksum: 0x148b [incorrect]');
  });
});

describe('UDP and IGMP checksums', () => {
  it('UDP 1024→53 with 4 zero bytes: pseudo-header 1420 + header 0441 = 1861, checksum e79e', () => {
    const b = encodeFrame(cases[11][1]);
    expect(hexOf(b, 34, 46)).toBe('0400' + '0035' + '000c' + 'e79e' + '00000000');
    expect(decodeFrame(b).summary).toBe('1024 → 53 Len=4');
  });

  it('the UDP checksum covers the addresses: changing the destination breaks it', () => {
    const b = encodeFrame(cases[11][1]);
    b[33] = 3; // 10.0.0.2 → 10.0.0.3, header checksum now also wrong
    expect(decodeFrame(b).problems).toContain('UDP: bad checksum 0xe79e');
  });

  it('IGMPv2 report for 239.1.1.1: 1600 + ef01 + 0101 folds to 0603, checksum f9fc', () => {
    const f = frameOf(ipv4({ kind: 'igmp', type: 0x16, maxRespTime: 0, group: ip('239.1.1.1') }, IPPROTO_IGMP, { ttl: 1 }), ETHERTYPE_IPV4);
    const b = encodeFrame(f);
    expect(hexOf(b, 34, 42)).toBe('1600' + 'f9fc' + 'ef010101');
    const d = decodeFrame(b);
    expect(d.protocol).toBe('IGMPv2');
    expect(d.summary).toBe('Membership Report group 239.1.1.1');
  });

  it('names queries and leaves', () => {
    expect(decodeFrame(encodeFrame(cases[13][1])).summary).toBe('Membership Query, general');
    expect(decodeFrame(encodeFrame(cases[14][1])).summary).toBe('Membership Query, specific for group 239.255.1.100');
    expect(decodeFrame(encodeFrame(cases[16][1])).summary).toBe('Leave Group group 239.255.1.100');
  });
});

describe('LACPDU bytes (IEEE 802.1AX)', () => {
  const b = encodeFrame(cases[20][1]);

  it('is a 110-byte Slow Protocols PDU in a 124-byte frame to 01:80:c2:00:00:02', () => {
    expect(LACPDU_LENGTH).toBe(110);
    expect(b.length).toBe(124);
    expect(hexOf(b, 0, 6)).toBe('0180c2000002');
    expect(hexOf(b, 12, 16)).toBe('8809' + '01' + '01');
  });

  it('places the actor, partner, collector and terminator TLVs at their standard offsets', () => {
    const pdu = b.subarray(14);
    expect(hexOf(pdu, 2, 22)).toBe('01' + '14' + '8000' + '001b21aabbcc' + '000d' + '8000' + '0105' + '3d' + '000000');
    expect(hexOf(pdu, 22, 42)).toBe('02' + '14' + '0001' + 'f4ce46010203' + '03e8' + '0080' + '0031' + '47' + '000000');
    expect(hexOf(pdu, 42, 58)).toBe('03' + '10' + '0000' + '00'.repeat(12));
    expect(hexOf(pdu, 58, 110)).toBe('0000' + '00'.repeat(50));
  });

  it('summarises both ends and shows the state bits by name', () => {
    const d = decodeFrame(b);
    expect(d.protocol).toBe('LACP');
    expect(d.summary).toContain('Actor Port = 261 Partner Port = 49');
    expect(labels(d.tree)).toContain('Actor State: 0x3d (Activity, Aggregation, Synchronization, Collecting, Distributing)');
    expect(labels(d.tree)).toContain('Partner State: 0x47 (Activity, Timeout, Aggregation, Defaulted)');
  });

  it('a Marker PDU (subtype 2) is not mistaken for LACP', () => {
    const m = b.slice();
    m[14] = 2;
    const d = decodeFrame(m);
    expect(d.frame.payload?.kind).toBe('opaque');
    expect(d.protocol).not.toBe('LACP');
  });
});

describe('NLB heartbeat', () => {
  it('is a 1510-byte frame carrying cluster and dedicated IPs where analysers look for them', () => {
    const b = encodeFrame(cases[21][1]);
    expect(b.length).toBe(1510);
    expect(hexOf(b, 14, 34)).toBe('bf01dec0' + '00020000' + '03000000' + 'c0a80164' + 'c0a8010b');
    const d = decodeFrame(b);
    expect(d.protocol).toBe('MS NLB');
    expect(d.summary).toBe('MS NLB heartbeat host 3 (192.168.1.11) cluster 192.168.1.100');
  });

  it('an 0x886F frame without the heartbeat signature stays opaque', () => {
    const d = decodeFrame(encodeFrame(frameOf({ kind: 'opaque', length: 100, tag: 0 }, ETHERTYPE_NLB)));
    expect(d.frame.payload?.kind).toBe('opaque');
  });
});

describe('opaque payloads', () => {
  it('are zero-filled when untagged by a probe id', () => {
    const b = encodeFrame(cases[23][1]);
    expect(b.length).toBe(78);
    expect(b.subarray(14).every((x) => x === 0)).toBe(true);
    expect(decodeFrame(b).summary).toBe('Data, 64 bytes');
  });

  it('a null payload encodes as padding only', () => {
    const b = encodeFrame(frameOf(null, ETHERTYPE_BENCH));
    expect(b.length).toBe(60);
  });
});

describe('damaged input', () => {
  it('a frame shorter than an Ethernet header is reported, not thrown', () => {
    const d = decodeFrame(Uint8Array.of(1, 2, 3));
    expect(d.problems).toEqual(['Ethernet: frame shorter than its header']);
  });

  it('every prefix of every test frame decodes without throwing', () => {
    for (const [, frame] of cases) {
      const b = encodeFrame(frame);
      for (let n = 0; n <= Math.min(b.length, 140); n++) expect(() => decodeFrame(b.subarray(0, n))).not.toThrow();
    }
  });

  it('a truncated IPv4 datagram says so', () => {
    const b = encodeFrame(cases[12][1]).subarray(0, 200);
    expect(decodeFrame(b).problems[0]).toMatch(/IPv4: total length 1428 exceeds the 186 bytes captured/);
  });
});
