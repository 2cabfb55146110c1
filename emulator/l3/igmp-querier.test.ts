import { describe, expect, it } from 'vitest';
import { parseIpv4 as ip } from '../core/ipv4.ts';
import type { IgmpMessage, Ipv4Packet } from '../core/packets.ts';
import { SECOND } from '../core/time.ts';
import { IGMP_LEAVE, IGMP_QUERY, IGMP_V2_REPORT } from '../wire/igmp.ts';
import { IgmpQuerier, type IgmpQuerierInterface } from './igmp-querier.ts';

const G = ip('239.1.1.1');

function querier() {
  let now = 0;
  const queries: { at: number; group: number; maxResp: number }[] = [];
  const changes: string[] = [];
  const q = new IgmpQuerier({
    now: () => now,
    sendQuery: (_i, group, maxResp) => queries.push({ at: now / SECOND, group, maxResp }),
    membershipChanged: (_i, group, present) => changes.push(`${present ? '+' : '-'}${group === G ? 'G' : group}@${now / SECOND}`),
  });
  const ifc: IgmpQuerierInterface = { index: 0, name: 'Gi0/0', address: () => ip('10.3.3.2') };
  q.enable(ifc);
  const msg = (type: number, group: number, src: string): [Ipv4Packet, IgmpMessage] => {
    const m: IgmpMessage = { kind: 'igmp', type, maxRespTime: type === IGMP_QUERY ? 100 : 0, group };
    return [{ kind: 'ipv4', src: ip(src), dst: group || ip('224.0.0.1'), ttl: 1, protocol: 2, ident: 0, dscp: 0, totalLength: 28, payload: m }, m];
  };
  /** Advance in one-second ticks, as the router's housekeeping does. */
  const until = (s: number): void => {
    while (now < s * SECOND) {
      now += SECOND;
      q.tick();
    }
  };
  const hear = (type: number, group: number, src: string): void => q.receive(0, ...msg(type, group, src));
  return { q, queries, changes, until, hear };
}

describe('the IGMP querier on a router interface', () => {
  it('sends two startup queries a quarter interval apart, then one every 125 s, asking for answers within 10 s', () => {
    const { queries, until } = querier();
    until(300);
    expect(queries.map((x) => [x.at, x.group, x.maxResp])).toEqual([
      [1, 0, 100],
      [33, 0, 100],
      [158, 0, 100],
      [283, 0, 100],
    ]);
  });

  it('keeps a group for the membership interval after the last report, then lets it go', () => {
    const { changes, until, hear } = querier();
    until(5);
    hear(IGMP_V2_REPORT, G, '10.3.3.11');
    until(264);
    expect(changes).toEqual(['+G@5']);
    until(266);
    expect(changes).toEqual(['+G@5', '-G@265']);
  });

  it('answers a leave with two group-specific queries a second apart and drops the group when nobody reports', () => {
    const { q, queries, changes, until, hear } = querier();
    until(5);
    hear(IGMP_V2_REPORT, G, '10.3.3.11');
    hear(IGMP_LEAVE, G, '10.3.3.11');
    until(10);
    expect(queries.filter((x) => x.group === G).map((x) => [x.at, x.maxResp])).toEqual([
      [5, 10],
      [6, 10],
    ]);
    expect(changes).toEqual(['+G@5', '-G@7']);
    expect(q.hasMembers(0, G)).toBe(false);
  });

  it('steps back when a lower address queries, and takes over when that querier falls silent', () => {
    const { q, queries, until, hear } = querier();
    until(2);
    hear(IGMP_QUERY, 0, '10.3.3.1');
    expect(q.querierOf(0)).toEqual({ querier: false, address: ip('10.3.3.1') });
    const sent = queries.length;
    until(200);
    expect(queries.length).toBe(sent);
    until(260);
    expect(q.querierOf(0)?.querier).toBe(true);
    expect(queries.at(-1)?.at).toBe(257); // 2 s + the 255 s Other Querier Present Interval
  });
});
