import { describe, expect, it } from 'vitest';
import { parseIpv4 } from '../cli/params.ts';
import { AFI_IPV4, BGP_KEEPALIVE, BGP_OPEN, BGP_UPDATE, bgpLength, decodeBgp, encodeBgp, encodeRdOrRt, SAFI_MPLS_VPN, type BgpUpdate } from './bgp.ts';

const ip = (s: string): number => parseIpv4(s)!;

describe('BGP messages', () => {
  it('a KEEPALIVE is the 19-byte header alone', () => {
    const bytes = encodeBgp({ type: BGP_KEEPALIVE });
    expect(bytes.length).toBe(19);
    expect(bgpLength({ type: BGP_KEEPALIVE })).toBe(19);
    expect(decodeBgp(bytes, 0).record).toEqual({ type: BGP_KEEPALIVE });
  });

  it('an OPEN keeps its AS, hold time, identifier and VPNv4 capability', () => {
    const open = { type: BGP_OPEN, myAs: 65001, holdTime: 180, bgpId: ip('10.0.0.1'), families: [{ afi: AFI_IPV4, safi: SAFI_MPLS_VPN }] } as const;
    const d = decodeBgp(encodeBgp({ ...open, families: [...open.families] }), 0);
    expect(d.record).toEqual(open);
    expect(d.summary).toBe('OPEN Message, AS 65001, Hold 180, ID 10.0.0.1');
  });

  it('a VPNv4 UPDATE round-trips label, RD, prefix, route targets and reflection attributes', () => {
    const u: BgpUpdate = {
      type: BGP_UPDATE,
      withdrawn: [],
      attrs: { origin: 0, asPath: [65010], nextHop: ip('10.0.0.1'), med: 0, localPref: 100, routeTargets: ['65001:100', '10.0.0.9:7'], originatorId: ip('10.0.0.1'), clusterList: [ip('10.0.0.9')] },
      nlri: [],
      vpnReach: [{ rd: '65001:101', prefix: ip('192.168.1.0'), length: 24, label: 17 }],
      vpnWithdrawn: [{ rd: '10.0.0.2:5', prefix: ip('192.168.2.0'), length: 24, label: 0x80000 }],
    };
    const bytes = encodeBgp(u);
    const d = decodeBgp(bytes, 0);
    expect(d.length).toBe(bytes.length);
    expect(d.record).toEqual(u);
    expect(d.summary).toContain('RD 65001:101 192.168.1.0/24 label 17');
  });

  it('an IPv4 UPDATE carries NEXT_HOP and its NLRI; a withdraw-only one has no attributes', () => {
    const u: BgpUpdate = {
      type: BGP_UPDATE,
      withdrawn: [],
      attrs: { origin: 2, asPath: [65001, 65020], nextHop: ip('10.1.11.1'), med: null, localPref: null, routeTargets: [], originatorId: null, clusterList: [] },
      nlri: [{ prefix: ip('10.2.2.0'), length: 24 }, { prefix: ip('10.0.0.0'), length: 8 }],
      vpnReach: [],
      vpnWithdrawn: [],
    };
    expect(decodeBgp(encodeBgp(u), 0).record).toEqual(u);
    const w: BgpUpdate = { type: BGP_UPDATE, withdrawn: [{ prefix: ip('10.2.2.0'), length: 24 }], attrs: null, nlri: [], vpnReach: [], vpnWithdrawn: [] };
    expect(decodeBgp(encodeBgp(w), 0).record).toEqual(w);
  });

  it('encodes route distinguishers of both forms and refuses others', () => {
    expect([...encodeRdOrRt('65001:1', 'rd')!]).toEqual([0, 0, 0xfd, 0xe9, 0, 0, 0, 1]);
    expect([...encodeRdOrRt('10.0.0.1:2', 'rd')!]).toEqual([0, 1, 10, 0, 0, 1, 0, 2]);
    expect([...encodeRdOrRt('65001:100', 'rt')!]).toEqual([0, 2, 0xfd, 0xe9, 0, 0, 0, 100]);
    expect(encodeRdOrRt('70000:1', 'rd')).toBeNull();
    expect(encodeRdOrRt('cust', 'rd')).toBeNull();
  });
});
