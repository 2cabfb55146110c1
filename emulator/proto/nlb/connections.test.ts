import { describe, expect, it } from 'vitest';
import { parseIpv4 } from '../../core/ipv4.ts';
import { TCP_ACK, TCP_PSH, TCP_RST, TCP_SYN, type TcpSegment } from '../../core/packets.ts';
import { TcpDescriptors } from './connections.ts';
import { decideHandler, parsePortRules } from './port-rules.ts';

const RULES = parsePortRules('80/tcp/multiple/none');
const CLIENT = parseIpv4('10.0.0.50');
const seg = (srcPort: number, flags: number): TcpSegment => ({ kind: 'tcp', srcPort, dstPort: 80, seq: 1, ack: 1, flags, window: 65535, dataLength: flags & TCP_PSH ? 64 : 0 });
const owner = (members: number[], port: number): number => {
  const h = decideHandler(RULES, members, { protocol: 6, srcIp: CLIENT, srcPort: port, dstPort: 80 }, false);
  return h.kind === 'host' ? h.hostId : -1;
};

/** Three hosts, each with its own descriptor table, converged together. */
function cluster() {
  const hosts = new Map([1, 2, 3].map((id) => [id, new TcpDescriptors()]));
  const converge = (members: number[]) => {
    for (const id of members) hosts.get(id)?.converged(members);
  };
  converge([1, 2, 3]);
  converge([1, 2, 3]); // a settled cluster: nobody new since the last convergence
  const takers = (members: number[], port: number, flags: number) => members.filter((id) => hosts.get(id)?.allows(id, RULES, members, CLIENT, seg(port, flags)));
  return { hosts, converge, takers };
}

describe('NLB TCP connection descriptors', () => {
  it('a connection stays with the host that took its SYN when its bucket moves to another live host', () => {
    const { converge, takers } = cluster();
    // A client port whose bucket moves between two hosts that both stay, when host 3 leaves.
    const port = [...Array(2000).keys()].map((i) => 40000 + i).find((p) => owner([1, 2, 3], p) !== 3 && owner([1, 2], p) !== owner([1, 2, 3], p));
    if (port === undefined) throw new Error('some bucket moves between survivors');
    const first = owner([1, 2, 3], port);
    expect(takers([1, 2, 3], port, TCP_SYN)).toEqual([first]);
    converge([1, 2]);
    // The data keeps going to the first host only; the new bucket owner leaves it alone.
    expect(takers([1, 2], port, TCP_ACK | TCP_PSH)).toEqual([first]);
    // New connections go by the buckets as they are now: exactly one host takes each SYN.
    for (let p = 41000; p < 41020; p++) expect(takers([1, 2], p, TCP_SYN)).toEqual([owner([1, 2], p)]);
  });

  it('segments of the connections of a departed host go to the new owner, whose TCP/IP resets them', () => {
    const { converge, takers } = cluster();
    const port = [...Array(2000).keys()].map((i) => 40000 + i).find((p) => owner([1, 2, 3], p) === 3);
    if (port === undefined) throw new Error('host 3 owns some bucket');
    expect(takers([1, 2, 3], port, TCP_SYN)).toEqual([3]);
    converge([1, 2]);
    expect(takers([1, 2], port, TCP_ACK | TCP_PSH)).toEqual([owner([1, 2], port)]);
  });

  it('a reset ends the descriptor', () => {
    const { hosts, takers } = cluster();
    const port = 40001;
    const first = owner([1, 2, 3], port);
    takers([1, 2, 3], port, TCP_SYN);
    expect(hosts.get(first)?.size).toBe(1);
    takers([1, 2, 3], port, TCP_RST);
    expect(hosts.get(first)?.size).toBe(0);
  });
});
