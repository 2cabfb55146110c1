/**
 * The TCP echo service (RFC 862) on a set of ports: every byte a client sends comes back on the
 * same connection, and the server closes when the client does. A connection to a cluster IP is
 * answered from the cluster IP, by whichever node's load-balancing driver let the SYN up.
 */
import { formatIpv4 } from '../core/ipv4.ts';
import type { IpHost } from './ip-host.ts';
import type { TcpConnection } from './tcp.ts';

export class TcpEchoService {
  private ports: number[] = [];
  private readonly accept: (c: TcpConnection) => void;
  /** Connections accepted. */
  accepted = 0;
  /** Bytes echoed per client `address:port`, in first-seen order: which sessions this host serves. */
  readonly clients = new Map<string, number>();

  constructor(private readonly host: IpHost) {
    this.accept = (c) => {
      this.accepted++;
      const client = `${formatIpv4(c.remoteIp)}:${c.remotePort}`;
      if (!this.clients.has(client)) this.clients.set(client, 0);
      c.events = {
        onData: (conn, bytes) => {
          this.clients.set(client, (this.clients.get(client) ?? 0) + bytes);
          conn.send(bytes);
        },
        onPeerClose: (conn) => conn.close(),
      };
    };
  }

  get listening(): readonly number[] {
    return this.ports;
  }

  setPorts(ports: readonly number[]): void {
    for (const p of this.ports) if (!ports.includes(p)) this.host.tcp.unlisten(p);
    for (const p of ports) this.host.tcp.listen(p, this.accept);
    this.ports = [...ports];
  }
}
