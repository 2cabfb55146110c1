/**
 * What a lab can ask a plain host's applications to do, shared by the pc and windows-server
 * kinds: join multicast groups (as a receiving application's IP_ADD_MEMBERSHIP does) and answer
 * UDP and TCP requests with the echo service. All are settings, and all can change while the lab
 * runs (closing a TCP port refuses new connections; open ones carry on, as with a socket closed
 * for listening).
 */
import { formatIpv4, parseIpv4 } from '../../core/ipv4.ts';
import { isJoinableGroup } from '../../l3/igmp-host.ts';
import type { IpHost } from '../../l3/ip-host.ts';
import { TcpEchoService } from '../../l3/tcp-services.ts';
import { parsePortList, UdpEchoService } from '../../l3/udp-services.ts';
import type { SettingSpec, SettingValue, Settings } from '../kind.ts';

export const HOST_SERVICE_SETTINGS: Record<string, SettingSpec> = {
  igmpJoin: {
    type: 'string',
    description:
      'IPv4 multicast groups a receiving application joins on the first NIC, e.g. 239.1.1.1,239.1.1.2: the host sends IGMPv2 reports, answers queries and leaves when a group is removed; empty: none',
    default: '',
  },
  udpEcho: {
    type: 'string',
    description: 'UDP ports with an echo service (RFC 862) that answers each request, e.g. 7,8080: what client sessions talk to; empty: none',
    default: '',
  },
  tcpEcho: {
    type: 'string',
    description: 'TCP ports with an echo service (RFC 862) that returns every byte on the connection, e.g. 80,8080: what TCP client sessions talk to; empty: none',
    default: '',
  },
};

/** Parses a group list as `igmpJoin` writes it. Throws with a readable message. */
export function parseGroupList(text: string): number[] {
  const out: number[] = [];
  for (const part of text.split(/[,\s]+/)) {
    if (part === '') continue;
    let g: number;
    try {
      g = parseIpv4(part);
    } catch {
      throw new Error(`igmpJoin: "${part}" is not an IPv4 address`);
    }
    if (!isJoinableGroup(g)) throw new Error(`igmpJoin: ${formatIpv4(g)} is not a multicast group a host joins (224.0.0.2–239.255.255.255)`);
    if (!out.includes(g)) out.push(g);
  }
  return out;
}

function text(v: SettingValue | undefined): string {
  return typeof v === 'string' ? v : v === undefined ? '' : String(v);
}

export class HostServices {
  private groups: number[];
  private readonly echo: UdpEchoService;
  private readonly tcpEcho: TcpEchoService;

  constructor(
    private readonly host: IpHost,
    settings: Settings,
  ) {
    this.groups = parseGroupList(text(settings['igmpJoin']));
    // Joined before the host runs: the reports go out when it starts.
    for (const g of this.groups) host.joinGroup(g);
    this.echo = new UdpEchoService(host);
    this.echo.setPorts(parsePortList(text(settings['udpEcho']), 'udpEcho'));
    this.tcpEcho = new TcpEchoService(host);
    this.tcpEcho.setPorts(parsePortList(text(settings['tcpEcho']), 'tcpEcho'));
  }

  /** A `set` step on one of these settings; false when the key is not one of them. */
  apply(key: string, value: SettingValue): boolean {
    if (key === 'igmpJoin') {
      const next = parseGroupList(text(value));
      for (const g of this.groups) if (!next.includes(g)) this.host.leaveGroup(g);
      for (const g of next) if (!this.groups.includes(g)) this.host.joinGroup(g);
      this.groups = next;
      return true;
    }
    if (key === 'udpEcho') {
      this.echo.setPorts(parsePortList(text(value), 'udpEcho'));
      return true;
    }
    if (key === 'tcpEcho') {
      this.tcpEcho.setPorts(parsePortList(text(value), 'tcpEcho'));
      return true;
    }
    return false;
  }

  /** The echo service, for consoles and tests: what it answered and for whom. */
  get echoService(): UdpEchoService {
    return this.echo;
  }

  /** The TCP echo service: the connections it accepted and whose bytes it returned. */
  get tcpEchoService(): TcpEchoService {
    return this.tcpEcho;
  }
}
