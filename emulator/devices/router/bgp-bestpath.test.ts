import { describe, expect, it } from 'vitest';
import { comparePaths, multipaths, rankPaths, type PathView } from './bgp-bestpath.ts';

const base: PathView = { valid: true, weight: 0, localPref: 100, local: false, asPath: [65010], origin: 0, med: 0, ebgp: false, igpMetric: 0, routerId: 0x0a000001, clusterListLength: 1, peerAddress: 0x0a000009 };
const path = (over: Partial<PathView>): PathView => ({ ...base, ...over });

describe('BGP best path', () => {
  it('decides by the first step that differs, in IOS order', () => {
    expect(comparePaths(path({ valid: false, weight: 100 }), base).step).toBe('next-hop');
    expect(comparePaths(path({ weight: 1 }), path({ localPref: 200 })).step).toBe('weight');
    expect(comparePaths(path({ localPref: 200 }), path({ asPath: [] })).step).toBe('local-pref');
    expect(comparePaths(path({ asPath: [65010, 65010] }), base)).toEqual({ order: 1, step: 'as-path' });
    expect(comparePaths(path({ origin: 2 }), base).step).toBe('origin');
    expect(comparePaths(path({ med: 10 }), base).step).toBe('med');
    expect(comparePaths(path({ ebgp: true }), path({ routerId: 1 }))).toEqual({ order: -1, step: 'ebgp' });
    expect(comparePaths(path({ routerId: 0x0a000002 }), base)).toEqual({ order: 1, step: 'router-id' });
  });

  it('compares MED only between paths from the same neighbouring AS', () => {
    expect(comparePaths(path({ asPath: [65020], med: 50 }), path({ med: 0, routerId: 0x0a000002 })).step).toBe('router-id');
  });

  it('the lower router ID wins between two PEs advertising the same site alike', () => {
    const pe1 = path({ routerId: 0x0a000001, peerAddress: 0x0a000001 });
    const pe2 = path({ routerId: 0x0a000002, peerAddress: 0x0a000002 });
    expect(rankPaths([pe2, pe1])).toEqual([1, 0]);
  });

  it('eiBGP multipath installs the eBGP and the iBGP path together, but not a longer AS path', () => {
    const ce = path({ ebgp: true, routerId: 0x0a010102 });
    const pe = path({ ebgp: false });
    const longer = path({ asPath: [65010, 65010] });
    expect(multipaths([pe, ce, longer], 2)).toEqual([1, 0]);
    expect(multipaths([pe, ce, longer], 1)).toEqual([1]);
    expect(multipaths([longer], 2)).toEqual([0]);
  });
});
