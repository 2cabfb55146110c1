import { describe, expect, it } from 'vitest';
import { parseIpv4 } from '../core/ipv4.ts';
import { Network } from '../core/network.ts';
import { SECOND } from '../core/time.ts';
import { CLASS_IN, DNS_PORT, dnsLength, isDnsMessage, RCODE_NXDOMAIN, TYPE_A, TYPE_SOA, type DnsMessage } from '../wire/dns.ts';
import { candidateNames, defaultDnsClientConfig, DnsResolver, type DnsClientConfig, type ResolveOutcome } from './dns-resolver.ts';
import { IpHost } from './ip-host.ts';

function cfg(over: Partial<DnsClientConfig>): DnsClientConfig {
  return { ...defaultDnsClientConfig(), ...over };
}

describe('names a Windows client tries (DOMAIN 8.1)', () => {
  it('a single-label name: primary suffix, connection suffix, then the primary suffix devolved to two labels', () => {
    expect(candidateNames('web', cfg({ primarySuffix: 'corp.emea.contoso.com', connectionSuffix: 'lab.local' }))).toEqual([
      'web.corp.emea.contoso.com',
      'web.lab.local',
      'web.emea.contoso.com',
      'web.contoso.com',
    ]);
  });

  it('a suffix search list replaces the primary suffix, the connection suffix and devolution', () => {
    expect(candidateNames('web', cfg({ primarySuffix: 'corp.contoso.com', connectionSuffix: 'lab.local', searchList: ['b.example', 'a.example'] }))).toEqual(['web.b.example', 'web.a.example']);
  });

  it('a multi-label name is tried as typed, and only as typed unless AppendToMultiLabelName allows suffixes', () => {
    const c = cfg({ primarySuffix: 'contoso.com' });
    expect(candidateNames('server.corp', c)).toEqual(['server.corp']);
    expect(candidateNames('server.corp', { ...c, appendToMultiLabelName: true })).toEqual(['server.corp', 'server.corp.contoso.com']);
  });

  it('a trailing dot is a fully qualified name: exactly that, no suffixes', () => {
    expect(candidateNames('Server.Corp.Contoso.com.', cfg({ primarySuffix: 'contoso.com', appendToMultiLabelName: true }))).toEqual(['server.corp.contoso.com']);
  });

  it('a single-label name with no suffix configured is not sent to DNS at all', () => {
    expect(candidateNames('web', cfg({}))).toEqual([]);
  });
});

/** A client and a hand-written responder on one wire: the responder answers from `answer`, or stays silent. */
function pair(answer: (q: DnsMessage) => DnsMessage | null) {
  const net = new Network(3);
  const client = new IpHost(net, 'pc1');
  const server = new IpHost(net, 'dns1');
  client.addInterface('eth0', 0x020000000001, 1e9);
  server.addInterface('eth0', 0x020000000002, 1e9);
  client.arpRetryCount = 0;
  server.arpRetryCount = 0;
  client.addAddress('eth0', parseIpv4('10.0.0.21'), 24);
  server.addAddress('eth0', parseIpv4('10.0.0.10'), 24);
  net.connect(client.ports[0], server.ports[0], { rateBps: 1e9, delayNs: 1000 });
  const asked: { t: number; name: string }[] = [];
  server.bindUdp(DNS_PORT, (d, src) => {
    if (!isDnsMessage(d.data)) return;
    asked.push({ t: net.now, name: d.data.questions[0].name });
    const r = answer(d.data);
    if (r !== null) server.sendUdp(src, DNS_PORT, d.srcPort, dnsLength(r), r);
  });
  client.start();
  server.start();
  const dns = new DnsResolver(client, cfg({ servers: [parseIpv4('10.0.0.10')], primarySuffix: 'corp.contoso.com' }));
  return { net, dns, asked };
}

const soa = { name: 'corp.contoso.com', type: TYPE_SOA, class: CLASS_IN, ttl: 3600, data: { mname: 'dc1.corp.contoso.com', rname: 'hostmaster.corp.contoso.com', serial: 1, refresh: 900, retry: 600, expire: 86400, minimum: 300 } };

describe('the resolver on the wire', () => {
  it('with one silent server it asks at 0, 1, 2, 4 and 8 s and gives up at 10 s, without trying the next suffix', () => {
    const { net, dns, asked } = pair(() => null);
    let out: ResolveOutcome | null = null;
    let at = 0;
    dns.resolve('web', TYPE_A, (r) => {
      out = r;
      at = net.now;
    });
    net.runUntil(30 * SECOND);
    expect(asked.map((a) => Math.round(a.t / SECOND))).toEqual([0, 1, 2, 4, 8]);
    expect(new Set(asked.map((a) => a.name))).toEqual(new Set(['web.corp.contoso.com']));
    expect(out).toEqual({ kind: 'timeout', name: 'web.corp.contoso.com' });
    expect(Math.round(at / SECOND)).toBe(10);
  });

  it('a name error tries the next suffix; the answer is cached for its TTL in simulated time only', () => {
    const { net, dns, asked } = pair((q) => {
      const name = q.questions[0].name;
      if (name === 'web.contoso.com') return { ...q, response: true, authoritative: true, answers: [{ name, type: TYPE_A, class: CLASS_IN, ttl: 60, data: parseIpv4('10.0.0.20') }] };
      return { ...q, response: true, authoritative: true, rcode: RCODE_NXDOMAIN, authority: [soa] };
    });
    const results: ResolveOutcome[] = [];
    dns.resolve('web', TYPE_A, (r) => results.push(r));
    net.runUntil(1 * SECOND);
    expect(asked.map((a) => a.name)).toEqual(['web.corp.contoso.com', 'web.contoso.com']);
    expect(results[0]).toMatchObject({ kind: 'answer', name: 'web.contoso.com', fromCache: false });
    // Within the TTL: from the cache, nothing on the wire (the negative entry for the first suffix too).
    net.runUntil(59 * SECOND);
    dns.resolve('web', TYPE_A, (r) => results.push(r));
    expect(results[1]).toMatchObject({ kind: 'answer', fromCache: true });
    expect(asked).toHaveLength(2);
    // The answer's 60 s have passed; the name error's 300 s (the SOA minimum) have not.
    net.runUntil(61 * SECOND);
    dns.resolve('web', TYPE_A, (r) => results.push(r));
    net.runUntil(62 * SECOND);
    expect(asked.map((a) => a.name)).toEqual(['web.corp.contoso.com', 'web.contoso.com', 'web.contoso.com']);
    expect(results[2]).toMatchObject({ kind: 'answer', fromCache: false });
  });

  it('every suffix answered negatively is not-found; flushing forgets the negative entries', () => {
    const { net, dns, asked } = pair((q) => ({ ...q, response: true, authoritative: true, rcode: RCODE_NXDOMAIN, authority: [soa] }));
    const results: ResolveOutcome[] = [];
    dns.resolve('nope', TYPE_A, (r) => results.push(r));
    net.runUntil(1 * SECOND);
    expect(results[0]).toEqual({ kind: 'not-found', tried: ['nope.corp.contoso.com', 'nope.contoso.com'] });
    dns.resolve('nope', TYPE_A, (r) => results.push(r));
    expect(asked).toHaveLength(2);
    dns.flush();
    dns.resolve('nope', TYPE_A, (r) => results.push(r));
    net.runUntil(2 * SECOND);
    expect(asked).toHaveLength(4);
  });

  it('with two servers the second gets the query at 1 s, and both the later ones', () => {
    const { net, dns, asked } = pair(() => null);
    dns.config.servers = [parseIpv4('10.0.0.99'), parseIpv4('10.0.0.10')];
    dns.resolve('web', TYPE_A, () => {});
    net.runUntil(30 * SECOND);
    // 10.0.0.99 is nobody: the listener on 10.0.0.10 hears the second query and every later one.
    expect(asked.map((a) => Math.round(a.t / SECOND))).toEqual([1, 2, 4, 8]);
  });
});
