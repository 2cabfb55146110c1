import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CaptureRecorder } from '../capture/recorder.ts';
import { parseIpv4 } from '../core/ipv4.ts';
import { ETHERTYPE_IPV4, IPPROTO_UDP, type Ipv4Packet } from '../core/packets.ts';
import {
  CLASS_ANY, CLASS_IN, decodeDns, DNS_PORT, dnsLength, dnsQuery, encodeDns, OPCODE_UPDATE, RCODE_NXDOMAIN, TYPE_A, TYPE_CNAME, TYPE_NS, TYPE_PTR, TYPE_SOA, TYPE_SRV, type DnsMessage,
} from './dns.ts';
import { decodeFrame, encodeFrame, wireSize, type FrameView } from './frame.ts';
import { ipv4Length } from './ipv4.ts';

const ip = parseIpv4;

const answer: DnsMessage = {
  kind: 'dns', id: 0x1234, response: true, opcode: 0, authoritative: true, truncated: false, recursionDesired: true, recursionAvailable: true, rcode: 0,
  questions: [{ name: '_ldap._tcp.corp.contoso.com', type: TYPE_SRV, class: CLASS_IN }],
  answers: [
    { name: '_ldap._tcp.corp.contoso.com', type: TYPE_SRV, class: CLASS_IN, ttl: 600, data: { priority: 0, weight: 100, port: 389, target: 'dc1.corp.contoso.com' } },
    { name: 'www.corp.contoso.com', type: TYPE_CNAME, class: CLASS_IN, ttl: 3600, data: 'web.corp.contoso.com' },
  ],
  authority: [
    { name: 'corp.contoso.com', type: TYPE_NS, class: CLASS_IN, ttl: 3600, data: 'dc1.corp.contoso.com' },
    {
      name: 'corp.contoso.com', type: TYPE_SOA, class: CLASS_IN, ttl: 3600,
      data: { mname: 'dc1.corp.contoso.com', rname: 'hostmaster.corp.contoso.com', serial: 7, refresh: 900, retry: 600, expire: 86400, minimum: 3600 },
    },
  ],
  additional: [
    { name: 'dc1.corp.contoso.com', type: TYPE_A, class: CLASS_IN, ttl: 3600, data: ip('10.0.0.10') },
    { name: '10.0.0.10.in-addr.arpa', type: TYPE_PTR, class: CLASS_IN, ttl: 3600, data: 'dc1.corp.contoso.com' },
  ],
};

function dnsFrame(m: DnsMessage, src: string, dst: string, toServer: boolean): FrameView {
  const pkt: Ipv4Packet = {
    kind: 'ipv4', src: ip(src), dst: ip(dst), ttl: 128, protocol: IPPROTO_UDP, ident: 9, dscp: 0, totalLength: 0,
    payload: { kind: 'udp', srcPort: toServer ? 50000 : DNS_PORT, dstPort: toServer ? DNS_PORT : 50000, dataLength: dnsLength(m), data: m },
  };
  pkt.totalLength = ipv4Length(pkt);
  return { dst: 0x00155d000002, src: 0x00155d000001, vlan: 0, pcp: 0, etherType: ETHERTYPE_IPV4, size: wireSize(pkt, false), payload: pkt };
}

describe('DNS on the wire', () => {
  it('reads back every section and record type it wrote', () => {
    const d = decodeFrame(encodeFrame(dnsFrame(answer, '10.0.0.10', '10.0.0.21', false)));
    expect(d.problems).toEqual([]);
    expect(d.protocol).toBe('DNS');
    const pkt = d.frame.payload as Ipv4Packet;
    expect(pkt.payload.kind === 'udp' && pkt.payload.data).toEqual(answer);
    const labels = JSON.stringify(d.tree);
    expect(labels).toContain('Domain Name System (response)');
    expect(labels).toContain('dc1.corp.contoso.com: type A, class IN, addr 10.0.0.10');
    expect(labels).toContain('priority 0, weight 100, port 389, target dc1.corp.contoso.com');
  });

  it('compresses repeated suffixes into pointers, so a name is written once', () => {
    const bytes = encodeDns(answer);
    const text = String.fromCharCode(...bytes);
    expect(text.split('contoso').length - 1).toBe(2); // once in the question, once in the uncompressed SRV target
    expect(decodeDns(bytes, 0)?.message).toEqual(answer);
  });

  it('follows a pointer written by someone else and refuses a pointer loop', () => {
    // Header, question "a.example" then an answer whose owner is a pointer to offset 12.
    const q = [1, 0x61, 7, ...'example'.split('').map((c) => c.charCodeAt(0)), 0, 0, 1, 0, 1];
    const rr = [0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 1];
    const msg = Uint8Array.from([0, 1, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0, ...q, ...rr]);
    expect(decodeDns(msg, 0)?.message.answers[0]).toEqual({ name: 'a.example', type: TYPE_A, class: CLASS_IN, ttl: 60, data: ip('192.0.2.1') });
    const loop = Uint8Array.from([0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 12, 0, 1, 0, 1]);
    expect(decodeDns(loop, 0)?.problems[0]).toMatch(/compression loop/);
  });

  it('an RFC 2136 update carries zone, prerequisites and updates, with empty RDATA for a delete', () => {
    const upd: DnsMessage = {
      ...dnsQuery(7, 'corp.contoso.com', TYPE_SOA, false), opcode: OPCODE_UPDATE,
      authority: [
        { name: 'pc1.corp.contoso.com', type: TYPE_A, class: CLASS_ANY, ttl: 0, data: null },
        { name: 'pc1.corp.contoso.com', type: TYPE_A, class: CLASS_IN, ttl: 1200, data: ip('10.0.0.21') },
      ],
    };
    const d = decodeDns(encodeDns(upd), 0);
    expect(d?.message).toEqual(upd);
    expect(JSON.stringify(d?.nodes)).toContain('Domain Name System (update)');
    expect(JSON.stringify(d?.nodes)).toContain('Updates');
  });

  it('an NXDOMAIN answer says No such name in its summary', () => {
    const nx: DnsMessage = { ...dnsQuery(9, 'nope.corp.contoso.com', TYPE_A), response: true, rcode: RCODE_NXDOMAIN };
    const d = decodeFrame(encodeFrame(dnsFrame(nx, '10.0.0.10', '10.0.0.21', false)));
    expect(d.summary).toBe('Standard query response 0x0009 No such name A nope.corp.contoso.com');
  });

  const tshark = spawnSync('tshark', ['-v'], { encoding: 'utf8' });
  it.skipIf(tshark.error !== undefined)('tshark decodes the capture as DNS with good checksums', () => {
    const rec = new CaptureRecorder();
    const i = rec.addInterface('dc1:NIC1');
    rec.record(1_000_000_000, i, dnsFrame(dnsQuery(0x1234, '_ldap._tcp.corp.contoso.com', TYPE_SRV), '10.0.0.21', '10.0.0.10', true), 'in');
    rec.record(2_000_000_000, i, dnsFrame(answer, '10.0.0.10', '10.0.0.21', false), 'out');
    const dir = mkdtempSync(join(tmpdir(), 'labbox-dns-'));
    try {
      const file = join(dir, 'dns.pcapng');
      writeFileSync(file, rec.toPcapng());
      const out = spawnSync('tshark', ['-r', file, '-V', '-o', 'udp.check_checksum:TRUE', '-o', 'ip.check_checksum:TRUE'], { encoding: 'utf8' }).stdout;
      expect(out).toContain('Domain Name System (query)');
      expect(out).toContain('Domain Name System (response)');
      expect(out).toContain('_ldap._tcp.corp.contoso.com: type SRV, class IN');
      expect(out).toMatch(/Port: 389/);
      expect(out).toMatch(/dc1\.corp\.contoso\.com: type A, class IN, addr 10\.0\.0\.10/);
      expect(out).toMatch(/Serial Number: 7/);
      expect(out).toMatch(/10\.0\.0\.10\.in-addr\.arpa: type PTR, class IN, dc1\.corp\.contoso\.com/);
      expect(out).not.toMatch(/Malformed|incorrect|Bad/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
