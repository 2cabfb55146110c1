/**
 * The real check that captures are real: an independent dissector (tshark, from Debian's
 * `tshark` package) must read a LabBox capture and agree on every layer and checksum.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FramePayload, Ipv4Packet } from '../core/packets.ts';
import {
  BROADCAST_MAC,
  ETHERTYPE_ARP,
  ETHERTYPE_IPV4,
  ETHERTYPE_NLB,
  ETHERTYPE_SLOW,
  IPPROTO_ICMP,
  IPPROTO_IGMP,
  IPPROTO_UDP,
} from '../core/packets.ts';
import { parseIpv4 } from '../core/ipv4.ts';
import { wireSize, type FrameView } from '../wire/frame.ts';
import { ipv4Length } from '../wire/ipv4.ts';
import { SLOW_PROTOCOLS_MAC } from '../wire/lacp.ts';
import { CaptureRecorder } from './recorder.ts';

const TSHARK = process.env.TSHARK ?? 'tshark';

function tshark(args: string[]): string {
  const r = spawnSync(TSHARK, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error) {
    throw new Error(
      `tshark could not be run (${r.error.message}). This test needs it: install Debian's "tshark" package ` +
        '(apt-get install -y tshark) or set TSHARK to its path.',
    );
  }
  if (r.status !== 0) throw new Error(`tshark exited with ${r.status}: ${r.stderr}`);
  return r.stdout;
}

const ip = parseIpv4;
const H1 = 0x00155d000001;
const H2 = 0x00155d000002;

function frame(payload: FramePayload, etherType: number, dst: number, src: number, vlan = 0, pcp = 0): FrameView {
  return { dst, src, vlan, pcp, etherType, size: wireSize(payload, vlan !== 0), payload };
}

function ipv4(payload: Ipv4Packet['payload'], protocol: number, src: string, dst: string, ttl = 128): Ipv4Packet {
  const p: Ipv4Packet = { kind: 'ipv4', src: ip(src), dst: ip(dst), ttl, protocol, ident: 0x0100, dscp: 0, totalLength: 0, payload };
  p.totalLength = ipv4Length(p);
  return p;
}

describe('a LabBox capture read by tshark', () => {
  let dir = '';
  let file = '';
  let detail = '';
  let lines: string[] = [];

  beforeAll(() => {
    const rec = new CaptureRecorder();
    const access = rec.addInterface('sw1:Gi1/0/1');
    const trunk = rec.addInterface('sw1:Gi1/0/49');
    const echo = ipv4({ kind: 'icmp', type: 8, code: 0, ident: 1, seq: 5, dataLength: 32, quoted: null }, IPPROTO_ICMP, '10.0.0.1', '10.0.0.2');
    const udp = ipv4({ kind: 'udp', srcPort: 50000, dstPort: 33434, dataLength: 31, data: null }, IPPROTO_UDP, '10.0.0.1', '10.0.0.53');
    rec.comment(1_000_000_000, 'scenario: link sw1:Gi1/0/2 down');
    rec.record(1_000_000_000, access, frame({ kind: 'arp', op: 1, senderMac: H1, senderIp: ip('10.0.0.1'), targetMac: 0, targetIp: ip('10.0.0.2') }, ETHERTYPE_ARP, BROADCAST_MAC, H1), 'in');
    rec.record(1_000_100_000, access, frame({ kind: 'arp', op: 2, senderMac: H2, senderIp: ip('10.0.0.2'), targetMac: H1, targetIp: ip('10.0.0.1') }, ETHERTYPE_ARP, H1, H2), 'out');
    rec.record(1_000_200_000, trunk, frame(echo, ETHERTYPE_IPV4, H2, H1, 98, 5), 'out');
    rec.record(1_000_300_000, access, frame(udp, ETHERTYPE_IPV4, H2, H1), 'in');
    const unreachable = ipv4({ kind: 'icmp', type: 3, code: 3, ident: 0, seq: 0, dataLength: 0, quoted: udp }, IPPROTO_ICMP, '10.0.0.53', '10.0.0.1', 64);
    rec.record(1_000_400_000, access, frame(unreachable, ETHERTYPE_IPV4, H1, H2), 'out');
    const report = ipv4({ kind: 'igmp', type: 0x16, maxRespTime: 0, group: ip('239.255.1.100') }, IPPROTO_IGMP, '10.0.0.1', '239.255.1.100', 1);
    rec.record(1_000_500_000, access, frame(report, ETHERTYPE_IPV4, 0x01005e7f0164, H1), 'in');
    const lacp: FramePayload = {
      kind: 'lacp',
      actor: { systemPriority: 32768, system: 0x001b21aabbcc, key: 13, portPriority: 32768, port: 261, state: 0x3f },
      partner: { systemPriority: 1, system: 0xf4ce46010203, key: 1000, portPriority: 128, port: 49, state: 0x3d },
      collectorMaxDelay: 0,
    };
    rec.record(2_000_000_000, trunk, frame(lacp, ETHERTYPE_SLOW, SLOW_PROTOCOLS_MAC, 0x001b21aabbcd), 'out');
    const hb: FramePayload = { kind: 'nlb-heartbeat', clusterIp: ip('192.168.1.100'), hostId: 3, dedicatedIp: ip('192.168.1.11'), converging: true, rulesHash: 0x12345678 };
    rec.record(3_000_000_000, access, frame(hb, ETHERTYPE_NLB, BROADCAST_MAC, 0x0203c0a80164), 'in');

    dir = mkdtempSync(join(tmpdir(), 'labbox-capture-'));
    file = join(dir, 'capture.pcapng');
    writeFileSync(file, rec.toPcapng());
    // Turn on the checksum validation tshark leaves off by default, so it checks ours.
    const checks = ['-o', 'ip.check_checksum:TRUE', '-o', 'udp.check_checksum:TRUE'];
    detail = tshark(['-r', file, '-V', ...checks]);
    lines = tshark(['-r', file, ...checks]).trim().split('\n');
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('sees every frame, on the interface it was captured on', () => {
    expect(lines).toHaveLength(8);
    expect(detail).toContain('on interface sw1:Gi1/0/1, id 0 (inbound)');
    expect(detail).toContain('on interface sw1:Gi1/0/49, id 1 (outbound)');
    expect(detail).toContain('Epoch Time: 1.000000000 seconds');
  });

  it('decodes ARP with the right addresses', () => {
    expect(lines[0]).toMatch(/ARP .*Who has 10\.0\.0\.2\? Tell 10\.0\.0\.1/);
    expect(lines[1]).toMatch(/ARP .*10\.0\.0\.2 is at 00:15:5d:00:00:02/);
    expect(detail).toContain('Sender MAC address: ');
    expect(detail).toContain('Sender IP address: 10.0.0.1');
    expect(detail).toContain('Target IP address: 10.0.0.2');
  });

  it('decodes the 802.1Q tag and the ICMP echo inside it, checksums good', () => {
    expect(detail).toContain('802.1Q Virtual LAN, PRI: 5, DEI: 0, ID: 98');
    expect(detail).toContain('Internet Protocol Version 4, Src: 10.0.0.1, Dst: 10.0.0.2');
    expect(lines[2]).toMatch(/ICMP .*Echo \(ping\) request\s+id=0x0001, seq=5/);
    expect(detail).toContain('[Header checksum status: Good]');
    expect(detail).toContain('Checksum: 0x4d56 [correct]');
  });

  it('agrees on the UDP checksum and on the quote inside a port unreachable', () => {
    expect(lines[3]).toMatch(/UDP .*50000 → 33434 Len=31/);
    expect(detail).toContain('User Datagram Protocol, Src Port: 50000, Dst Port: 33434');
    expect(lines[4]).toMatch(/ICMP .*Destination unreachable \(Port unreachable\)/);
    expect(detail).toContain('[Checksum Status: Good]');
    expect(detail).not.toMatch(/\[incorrect|Bad checksum|Checksum Status: Bad|Malformed/i);
  });

  it('decodes the IGMPv2 report', () => {
    expect(lines[5]).toMatch(/IGMPv2 .*Membership Report group 239\.255\.1\.100/);
  });

  it('decodes the LACPDU field by field', () => {
    expect(lines[6]).toMatch(/LACP /);
    expect(detail).toContain('Actor System ID: ');
    expect(detail).toContain('(00:1b:21:aa:bb:cc)');
    expect(detail).toContain('Actor Port: 261');
    expect(detail).toContain('Partner Port: 49');
    expect(detail).toContain('Partner Key: 1000');
    expect(detail).toContain('TLV Type: Terminator (0x00)');
  });

  it('decodes the NLB heartbeat', () => {
    expect(lines[7]).toMatch(/MS NLB .*Cluster Membership HeartBeat/);
    expect(detail).toContain('Cluster IP: 192.168.1.100');
    expect(detail).toContain('Host IP: 192.168.1.11');
  });

  it('shows the scenario event as a packet comment', () => {
    expect(detail).toContain('Packet comments\n    scenario: link sw1:Gi1/0/2 down');
  });
});
