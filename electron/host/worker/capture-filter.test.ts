import { describe, expect, it } from 'vitest';
import { ETHERTYPE_ARP, ETHERTYPE_IPV4, ETHERTYPE_NLB, ETHERTYPE_RARP, ETHERTYPE_SLOW, IPPROTO_ICMP, IPPROTO_IGMP, IPPROTO_UDP } from '../../../emulator/core/packets.ts';
import type { FramePayload, Ipv4Packet } from '../../../emulator/core/packets.ts';
import { decodeFrame, encodeFrame, wireSize, type FrameView } from '../../../emulator/wire/frame.ts';
import { compileFilter, FilterSyntaxError, readFilterFrame, type FilterFrame } from './capture-filter.ts';

const PC1 = 0x020000001011;
const PC3 = 0x020000001013;
const NLB_MAC = 0x02bf0a000032;
const BCAST = 0xffffffffffff;
const IP1 = 0x0a000a0b; // 10.0.10.11
const IP3 = 0x0a000a0d; // 10.0.10.13

/** A frame as a capture stores it. */
function frame(src: number, dst: number, etherType: number, payload: FramePayload, vlan = 0): Uint8Array {
  const f: FrameView = { src, dst, vlan, pcp: 0, etherType, size: wireSize(payload, vlan !== 0), payload };
  return encodeFrame(f);
}

function ipv4(src: number, dst: number, protocol: number, payload: Ipv4Packet['payload']): Ipv4Packet {
  const len = payload.kind === 'icmp' ? 8 + payload.dataLength : payload.kind === 'udp' ? 8 + payload.dataLength : 8;
  return { kind: 'ipv4', src, dst, ttl: 128, protocol, ident: 1, dscp: 0, totalLength: 20 + len, payload };
}

const arpRequest = frame(PC1, BCAST, ETHERTYPE_ARP, { kind: 'arp', op: 1, senderMac: PC1, senderIp: IP1, targetMac: 0, targetIp: IP3 });
const rarp = frame(NLB_MAC, BCAST, ETHERTYPE_RARP, { kind: 'arp', op: 3, senderMac: NLB_MAC, senderIp: 0, targetMac: NLB_MAC, targetIp: 0 }, 98);
const echo = frame(
  PC1,
  PC3,
  ETHERTYPE_IPV4,
  ipv4(IP1, IP3, IPPROTO_ICMP, { kind: 'icmp', type: 8, code: 0, ident: 1, seq: 1, dataLength: 32, quoted: null }),
  10,
);
const reply = frame(PC3, PC1, ETHERTYPE_IPV4, ipv4(IP3, IP1, IPPROTO_ICMP, { kind: 'icmp', type: 0, code: 0, ident: 1, seq: 1, dataLength: 32, quoted: null }));
const udp = frame(PC1, PC3, ETHERTYPE_IPV4, ipv4(IP1, IP3, IPPROTO_UDP, { kind: 'udp', srcPort: 5000, dstPort: 9, dataLength: 10, data: null }));
const igmp = frame(PC3, 0x01005e000101, ETHERTYPE_IPV4, ipv4(IP3, 0xe0000101, IPPROTO_IGMP, { kind: 'igmp', type: 0x16, maxRespTime: 0, group: 0xe0000101 }));
const info = { systemPriority: 32768, system: PC1, key: 1, portPriority: 32768, port: 1, state: 0x3d };
const lacp = frame(PC1, 0x0180c2000002, ETHERTYPE_SLOW, { kind: 'lacp', actor: info, partner: info, collectorMaxDelay: 0 });
const heartbeat = frame(NLB_MAC, BCAST, ETHERTYPE_NLB, { kind: 'nlb-heartbeat', clusterIp: 0x0a620032, hostId: 1, dedicatedIp: IP1, converging: false, rulesHash: 7 }, 98);

const all = { arpRequest, rarp, echo, reply, udp, igmp, lacp, heartbeat };
type Name = keyof typeof all;

/** Frames the filter lets through; the quick read and the full decoder must agree on every one. */
function shown(filter: string): Name[] {
  const p = compileFilter(filter);
  const names = Object.keys(all) as Name[];
  const quick = names.filter((k) => p(readFilterFrame(all[k])));
  const full = names.filter((k) => p(decodeFrame(all[k]).frame));
  expect(quick).toEqual(full);
  return quick;
}

function syntaxError(filter: string): FilterSyntaxError {
  try {
    compileFilter(filter);
  } catch (e) {
    if (e instanceof FilterSyntaxError) return e;
    throw e;
  }
  throw new Error(`"${filter}" was accepted`);
}

describe('display filter', () => {
  it('shows everything when empty', () => {
    expect(shown('')).toHaveLength(8);
    expect(shown('   ')).toHaveLength(8);
  });

  it('selects frames by protocol name', () => {
    expect(shown('arp')).toEqual(['arpRequest']);
    expect(shown('rarp')).toEqual(['rarp']);
    expect(shown('icmp')).toEqual(['echo', 'reply']);
    expect(shown('udp')).toEqual(['udp']);
    expect(shown('igmp')).toEqual(['igmp']);
    expect(shown('lacp')).toEqual(['lacp']);
    expect(shown('nlb')).toEqual(['heartbeat']);
    expect(shown('vlan')).toEqual(['rarp', 'echo', 'heartbeat']);
    expect(shown('ip')).toEqual(['echo', 'reply', 'udp', 'igmp']);
    expect(shown('tcp')).toEqual([]);
  });

  it('matches a MAC on either end with eth.addr, in any common spelling', () => {
    expect(shown('eth.addr == 02:bf:0a:00:00:32')).toEqual(['rarp', 'heartbeat']);
    expect(shown('eth.addr == 02-BF-0A-00-00-32')).toEqual(['rarp', 'heartbeat']);
    expect(shown('eth.addr == 02bf.0a00.0032')).toEqual(['rarp', 'heartbeat']);
    expect(shown('eth.src == 02:00:00:00:10:13')).toEqual(['reply', 'igmp']);
    expect(shown('eth.dst == 02:00:00:00:10:13')).toEqual(['echo', 'udp']);
  });

  it('matches IPv4 addresses and subnets on IP packets only', () => {
    expect(shown('ip.addr == 10.0.10.11')).toEqual(['echo', 'reply', 'udp']);
    expect(shown('ip.src == 10.0.10.13')).toEqual(['reply', 'igmp']);
    expect(shown('ip.dst == 224.0.1.1')).toEqual(['igmp']);
    expect(shown('ip.addr == 224.0.0.0/4')).toEqual(['igmp']);
    // ARP carries the address too, but in its own fields, as in Wireshark
    expect(shown('arp.dst.proto_ipv4 == 10.0.10.13')).toEqual(['arpRequest']);
  });

  it('matches VLAN ids, and a bare field means the frame has it', () => {
    expect(shown('vlan.id == 98')).toEqual(['rarp', 'heartbeat']);
    expect(shown('vlan.id == 10')).toEqual(['echo']);
    expect(shown('vlan.id')).toEqual(['rarp', 'echo', 'heartbeat']);
    expect(shown('icmp.type == 8')).toEqual(['echo']);
    expect(shown('udp.port == 9')).toEqual(['udp']);
  });

  it('combines with &&, ||, ! and parentheses, && binding tighter than ||', () => {
    expect(shown('icmp && vlan.id == 10')).toEqual(['echo']);
    expect(shown('arp || lacp')).toEqual(['arpRequest', 'lacp']);
    expect(shown('!ip')).toEqual(['arpRequest', 'rarp', 'lacp', 'heartbeat']);
    expect(shown('arp || icmp && vlan')).toEqual(['arpRequest', 'echo']);
    expect(shown('(arp || icmp) && !vlan')).toEqual(['arpRequest', 'reply']);
    expect(shown('not ip and not vlan or udp')).toEqual(['arpRequest', 'udp', 'lacp']);
    expect(shown('!!arp')).toEqual(['arpRequest']);
  });

  it('reads != as "not equal", hiding every frame to or from the address', () => {
    expect(shown('ip && ip.addr != 10.0.10.11')).toEqual(['igmp']);
    expect(shown('eth.addr ne 02:bf:0a:00:00:32')).toEqual(['arpRequest', 'echo', 'reply', 'udp', 'igmp', 'lacp']);
  });

  it('refuses what it cannot read, saying where', () => {
    expect(syntaxError('arpp').message).toBe('unknown protocol or field "arpp" (column 1)');
    expect(syntaxError('icmp &&').message).toBe('the filter ends where a protocol or field was expected (column 8)');
    expect(syntaxError('ip.addr = 10.0.0.1').message).toBe('"=" is not an operator here: compare with "==" (column 9)');
    expect(syntaxError('ip.addr == 10.0.0').column).toBe(12);
    expect(syntaxError('ip.addr == 10.0.0.0/33').message).toContain('prefix length');
    expect(syntaxError('eth.addr == 02:bf').message).toContain('not a MAC address');
    expect(syntaxError('vlan.id == ten').message).toBe('"ten" is not a number (column 12)');
    expect(syntaxError('(arp || icmp').message).toBe('missing ")" (column 13)');
    expect(syntaxError('arp)').message).toBe('unmatched ")" (column 4)');
    expect(syntaxError('arp icmp').message).toBe('expected "&&" or "||" before "icmp" (column 5)');
    expect(syntaxError('arp & icmp').message).toContain('use "&&"');
    expect(syntaxError('arp == 1').message).toContain('is a protocol and cannot be compared');
    expect(syntaxError('ip.addr ==').message).toContain('expected a value');
    expect(syntaxError('icmp; arp').message).toBe('unexpected character ";" (column 5)');
  });

  it('reads odd frames the way the full decoder does: truncated, fragmented, with options, ICMP errors, other protocols', () => {
    const echoBytes = all.echo;
    const fragmented = echoBytes.slice();
    fragmented[18 + 6] = 0x20; // more fragments
    const unreachable = frame(
      PC3,
      PC1,
      ETHERTYPE_IPV4,
      ipv4(IP3, IP1, IPPROTO_ICMP, {
        kind: 'icmp',
        type: 3,
        code: 1,
        ident: 0,
        seq: 0,
        dataLength: 0,
        quoted: ipv4(IP1, IP3, IPPROTO_UDP, { kind: 'udp', srcPort: 5000, dstPort: 9, dataLength: 0, data: null }),
      }),
    );
    const withOptions = all.udp.slice();
    withOptions[14] = 0x46;
    const tcpSyn = { kind: 'tcp', srcPort: 49152, dstPort: 80, seq: 1, ack: 0, flags: 0x02, window: 64240, dataLength: 0 } as const;
    const odd: Uint8Array[] = [
      ...Object.values(all),
      fragmented,
      unreachable,
      withOptions,
      echoBytes.subarray(0, 30),
      echoBytes.subarray(0, 17),
      all.arpRequest.subarray(0, 30),
      frame(PC1, PC3, 0x88b5, { kind: 'opaque', length: 46, tag: 3 }),
      frame(PC1, PC3, ETHERTYPE_IPV4, { ...ipv4(IP1, IP3, 6, { kind: 'opaque', length: 20, tag: 0 }), totalLength: 40 }, 20),
      frame(PC1, PC3, ETHERTYPE_IPV4, { ...ipv4(IP1, IP3, 6, tcpSyn), totalLength: 40 }),
      frame(PC1, PC3, ETHERTYPE_IPV4, ipv4(IP1, IP3, 6, tcpSyn)), // Total Length cuts the TCP header short
    ];
    const filters = ['arp', 'rarp', 'ip', 'icmp', 'udp', 'igmp', 'tcp', 'lacp', 'nlb', 'vlan', 'eth.addr == 02:00:00:00:10:11', 'ip.addr == 10.0.10.13', 'vlan.id == 10', 'icmp.type == 3', 'udp.port == 9', 'tcp.port == 80', 'tcp.port == 49152', 'ip.ttl == 128', 'arp.opcode == 1'];
    for (const f of filters) {
      const p = compileFilter(f);
      for (const [i, bytes] of odd.entries()) {
        const quick: FilterFrame = readFilterFrame(bytes);
        expect([f, i, p(quick)]).toEqual([f, i, p(decodeFrame(bytes).frame)]);
      }
    }
  });
});
