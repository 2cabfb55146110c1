/**
 * Small request/response services a host can run on UDP ports, so client sessions have something
 * to talk to. The echo service (RFC 862) sends every datagram back to where it came from, from the
 * address it was sent to: a request to a cluster IP is answered from the cluster IP, by whichever
 * node's load-balancing driver let the request up to the socket.
 */
import { formatIpv4 } from '../core/ipv4.ts';
import type { IpHost, UdpHandler } from './ip-host.ts';

/** Parses a port list as settings write it: "7, 8080". Throws with a readable message. */
export function parsePortList(text: string, what: string): number[] {
  const out: number[] = [];
  for (const part of text.split(/[,\s]+/)) {
    if (part === '') continue;
    const n = Number(part);
    if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`${what}: "${part}" is not a port number 1–65535`);
    if (!out.includes(n)) out.push(n);
  }
  return out;
}

/** The UDP echo service on a set of ports of one host; `setPorts` rebinds as a setting changes. */
export class UdpEchoService {
  private ports: number[] = [];
  private readonly handler: UdpHandler;
  /** Requests answered. */
  answered = 0;
  /** Requests answered per client `address:port`, in first-seen order: which sessions this host serves. */
  readonly clients = new Map<string, number>();

  constructor(private readonly host: IpHost) {
    this.handler = (d, srcIp, dstIp) => {
      // Requests to a group or a broadcast address go unanswered, so one sender cannot make a
      // whole segment answer at once (the classic echo-amplification hazard).
      if (!host.isLocal(dstIp)) return;
      this.answered++;
      const client = `${formatIpv4(srcIp)}:${d.srcPort}`;
      this.clients.set(client, (this.clients.get(client) ?? 0) + 1);
      host.sendUdp(srcIp, d.dstPort, d.srcPort, d.dataLength, d.data, { src: dstIp });
    };
  }

  get listening(): readonly number[] {
    return this.ports;
  }

  setPorts(ports: readonly number[]): void {
    for (const p of this.ports) if (!ports.includes(p)) this.host.unbindUdp(p, this.handler);
    for (const p of ports) this.host.bindUdp(p, this.handler);
    this.ports = [...ports];
  }
}
