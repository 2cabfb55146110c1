import { describe, expect, it } from 'vitest';
import { IPPROTO_ICMP, IPPROTO_TCP, IPPROTO_UDP } from '../../core/packets.ts';
import { parseIpv4 } from '../../core/ipv4.ts';
import { clientBucket, decideHandler, DEFAULT_PORT_RULES, formatPortRules, NLB_BUCKETS, parsePortRules, rulesFingerprint } from './port-rules.ts';

describe('port rules in their compact form', () => {
  it('parses ranges, protocols, filtering and affinity, and prints them back', () => {
    const rules = parsePortRules('443/tcp/multiple/none; 80/tcp/multiple/single ; 1000-2000/udp/single; 3389/both/disabled');
    expect(formatPortRules(rules)).toBe('80/tcp/multiple/single; 443/tcp/multiple/none; 1000-2000/udp/single; 3389/both/disabled');
  });

  it('defaults affinity to single', () => {
    expect(parsePortRules('80/tcp/multiple')[0].affinity).toBe('single');
  });

  it('refuses overlapping ranges, bad words and bad ports with the rule named', () => {
    expect(() => parsePortRules('0-100/both/multiple; 80/tcp/single')).toThrow(/80\/tcp\/single.*overlaps/);
    expect(() => parsePortRules('80/tcp/many')).toThrow(/filtering mode/);
    expect(() => parsePortRules('70000/tcp/multiple')).toThrow(/above 65535/);
    expect(() => parsePortRules('90-80/tcp/multiple')).toThrow(/ends before/);
    expect(() => parsePortRules('80/tcp')).toThrow(/expected/);
  });

  it('lets TCP and UDP rules share a range', () => {
    expect(parsePortRules('53/tcp/single; 53/udp/multiple/none')).toHaveLength(2);
  });

  it('gives equal rule sets equal fingerprints and different ones different', () => {
    expect(rulesFingerprint(parsePortRules('80/tcp/multiple; 443/tcp/multiple'))).toBe(rulesFingerprint(parsePortRules('443/tcp/multiple/single;80/tcp/multiple/single')));
    expect(rulesFingerprint(parsePortRules('80/tcp/multiple/none'))).not.toBe(rulesFingerprint(parsePortRules('80/tcp/multiple/single')));
  });
});

describe('which host handles a client', () => {
  const members = [1, 2, 3, 4];
  const client = parseIpv4('192.0.2.10');

  it('with single affinity keeps one client on one host whatever its source port', () => {
    const rules = parsePortRules('80/tcp/multiple/single');
    const hosts = new Set<number>();
    for (let p = 1024; p < 1124; p++) {
      const h = decideHandler(rules, members, { protocol: IPPROTO_TCP, srcIp: client, srcPort: p, dstPort: 80 }, false);
      if (h.kind === 'host') hosts.add(h.hostId);
    }
    expect(hosts.size).toBe(1);
  });

  it('with no affinity spreads one client’s connections over every host', () => {
    const rules = parsePortRules('80/tcp/multiple/none');
    const hosts = new Set<number>();
    for (let p = 1024; p < 1224; p++) {
      const h = decideHandler(rules, members, { protocol: IPPROTO_TCP, srcIp: client, srcPort: p, dstPort: 80 }, false);
      if (h.kind === 'host') hosts.add(h.hostId);
    }
    expect([...hosts].sort()).toEqual([1, 2, 3, 4]);
  });

  it('with network affinity sends a whole class C to one host, and spreads different networks', () => {
    const rules = parsePortRules('80/tcp/multiple/network');
    const pick = (ip: string): number => {
      const h = decideHandler(rules, members, { protocol: IPPROTO_TCP, srcIp: parseIpv4(ip), srcPort: 5000, dstPort: 80 }, false);
      return h.kind === 'host' ? h.hostId : -1;
    };
    const one = pick('198.51.100.1');
    for (let i = 2; i < 255; i += 17) expect(pick(`198.51.100.${i}`)).toBe(one);
    const hosts = new Set<number>();
    for (let n = 0; n < 64; n++) hosts.add(pick(`10.${n}.7.1`));
    expect(hosts.size).toBe(4);
  });

  it('sends single-host rules and uncovered ports to the highest-priority member, and disabled rules nowhere', () => {
    const rules = parsePortRules('80/tcp/single; 25/tcp/disabled');
    const at = (dstPort: number, m: number[]) => decideHandler(rules, m, { protocol: IPPROTO_TCP, srcIp: client, srcPort: 999, dstPort }, false);
    expect(at(80, [2, 3])).toEqual({ kind: 'host', hostId: 2 });
    expect(at(8080, [3, 4])).toEqual({ kind: 'host', hostId: 3 });
    expect(at(25, [1, 2])).toEqual({ kind: 'no-host' });
  });

  it('matches the rule protocol: a TCP rule does not cover UDP on the same port', () => {
    const rules = parsePortRules('53/tcp/disabled');
    expect(decideHandler(rules, [1, 2], { protocol: IPPROTO_UDP, srcIp: client, srcPort: 1, dstPort: 53 }, false)).toEqual({ kind: 'host', hostId: 1 });
  });

  it('lets every host answer ICMP unless FilterICMP is on', () => {
    const rules = parsePortRules(DEFAULT_PORT_RULES);
    expect(decideHandler(rules, [1, 2], { protocol: IPPROTO_ICMP, srcIp: client, srcPort: 0, dstPort: 0 }, false)).toEqual({ kind: 'every-host' });
    expect(decideHandler(rules, [1, 2], { protocol: IPPROTO_ICMP, srcIp: client, srcPort: 0, dstPort: 0 }, true).kind).toBe('host');
  });

  it('puts clients in buckets in range and shares the buckets evenly', () => {
    const counts = new Map<number, number>();
    for (let i = 0; i < 4000; i++) {
      const b = clientBucket('none', parseIpv4('10.0.0.1') + i, 1000 + i);
      expect(b).toBeGreaterThanOrEqual(0);
      expect(b).toBeLessThan(NLB_BUCKETS);
      counts.set(b % 4, (counts.get(b % 4) ?? 0) + 1);
    }
    for (const c of counts.values()) expect(c).toBeGreaterThan(800);
  });

  it('answers nobody before the cluster has converged', () => {
    expect(decideHandler(parsePortRules(DEFAULT_PORT_RULES), [], { protocol: IPPROTO_TCP, srcIp: client, srcPort: 1, dstPort: 80 }, false)).toEqual({ kind: 'no-host' });
  });
});
