import { describe, expect, it } from 'vitest';
import { parseIpv4 } from '../../core/ipv4.ts';
import { formatMac } from '../../core/mac.ts';
import { clusterMac, igmpClusterGroup, igmpClusterMac, maskedSourceMac, multicastClusterMac, unicastClusterMac } from './addresses.ts';
import { formatIpv4 } from '../../core/ipv4.ts';

const mac = (n: number): string => formatMac(n, '-');

describe('cluster MAC derivation (DOMAIN §1.2)', () => {
  it('derives the unicast MAC 02-BF-a-b-c-d (the unattend example 1.2.3.4)', () => {
    expect(mac(unicastClusterMac(parseIpv4('1.2.3.4')))).toBe('02-bf-01-02-03-04');
  });

  it('derives the multicast MAC 03-BF-a-b-c-d (199.99.20.70)', () => {
    expect(mac(multicastClusterMac(parseIpv4('199.99.20.70')))).toBe('03-bf-c7-63-14-46');
  });

  it('derives every mode for the worked example 192.168.1.100', () => {
    const vip = parseIpv4('192.168.1.100');
    expect(mac(clusterMac('unicast', vip))).toBe('02-bf-c0-a8-01-64');
    expect(mac(clusterMac('multicast', vip))).toBe('03-bf-c0-a8-01-64');
    expect(formatIpv4(igmpClusterGroup(vip))).toBe('239.255.1.100');
    expect(mac(clusterMac('igmp-multicast', vip))).toBe('01-00-5e-7f-01-64');
  });

  it('keeps only the last two octets for IGMP, so clusters differing in the first two share a group', () => {
    const a = parseIpv4('10.1.11.15');
    const b = parseIpv4('172.16.11.15');
    expect(igmpClusterMac(a)).toBe(igmpClusterMac(b));
    expect(mac(igmpClusterMac(a))).toBe('01-00-5e-7f-0b-0f');
    expect(unicastClusterMac(a)).not.toBe(unicastClusterMac(b));
  });

  it('handles addresses with high octets without sign trouble', () => {
    const vip = parseIpv4('255.254.253.252');
    expect(mac(unicastClusterMac(vip))).toBe('02-bf-ff-fe-fd-fc');
    expect(mac(multicastClusterMac(vip))).toBe('03-bf-ff-fe-fd-fc');
    expect(mac(igmpClusterMac(vip))).toBe('01-00-5e-7f-fd-fc');
  });
});

describe('unicast source-MAC masking (DOMAIN §1.3)', () => {
  it('masks with the host priority: host 3, VIP 192.168.2.11 gives 02-03-c0-a8-02-0b', () => {
    expect(mac(maskedSourceMac(3, parseIpv4('192.168.2.11')))).toBe('02-03-c0-a8-02-0b');
  });

  it('renders host IDs of 10 and above in hex', () => {
    expect(mac(maskedSourceMac(10, parseIpv4('10.0.0.100')))).toBe('02-0a-0a-00-00-64');
    expect(mac(maskedSourceMac(32, parseIpv4('10.0.0.100')))).toBe('02-20-0a-00-00-64');
  });

  it('never equals the cluster MAC, and differs per host', () => {
    const vip = parseIpv4('10.0.0.100');
    const seen = new Set<number>();
    for (let h = 1; h <= 32; h++) {
      const m = maskedSourceMac(h, vip);
      expect(m).not.toBe(unicastClusterMac(vip));
      seen.add(m);
    }
    expect(seen.size).toBe(32);
  });
});
