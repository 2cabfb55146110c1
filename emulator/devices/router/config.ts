/**
 * The router's running configuration, the single source of truth: CLI commands edit it, the
 * device programs its IP stack from it, and `show running-config` renders it.
 */
import { formatIpv4 } from '../../cli/params.ts';
import { RipConfig } from './rip-config.ts';
import { VpnConfig } from './vpn-config.ts';

export interface RouterInterfaceConfig {
  readonly name: string;
  description: string | null;
  /** IOS routers ship with physical interfaces shut; subinterfaces follow their parent. */
  shutdown: boolean;
  address: { ip: number; mask: number } | null;
  /** 802.1Q VLAN of a subinterface (`encapsulation dot1Q N`); null on physical interfaces and unset subinterfaces. */
  dot1q: number | null;
  /** `ip pim sparse-mode`: PIM and IGMP run here once `ip multicast-routing` is on. */
  pimSparse: boolean;
}

export interface MsdpPeerConfig {
  readonly address: number;
  connectSource: string | null;
}

export interface StaticRoute {
  readonly prefix: number;
  readonly mask: number;
  readonly nextHop: number;
  /** Administrative distance: 1 unless given, so a higher one is a floating route that takes over when the first goes. */
  readonly distance: number;
}

export function isLoopback(name: string): boolean {
  return name.startsWith('Loopback');
}

export function isSubinterface(name: string): boolean {
  return name.includes('.');
}

export function parentOf(name: string): string {
  return name.split('.')[0]!;
}

/** Mask to prefix length; null when the mask's ones are not contiguous. */
export function maskLength(mask: number): number | null {
  let n = 0;
  while (n < 32 && ((mask >>> (31 - n)) & 1) === 1) n++;
  const rebuilt = n === 0 ? 0 : (0xffffffff << (32 - n)) >>> 0;
  return rebuilt === mask >>> 0 ? n : null;
}

export class RouterConfig {
  readonly interfaces = new Map<string, RouterInterfaceConfig>();
  readonly routes: StaticRoute[] = [];
  multicastRouting = false;
  /** `ip pim rp-address`: the static RP for every group. */
  pimRp: number | null = null;
  readonly msdpPeers: MsdpPeerConfig[] = [];
  /** `ip msdp originator-id IF`: whose address this RP's Source-Active messages carry. */
  msdpOriginatorId: string | null = null;
  /** `router rip`. */
  readonly rip = new RipConfig();
  /** VRFs, MPLS interfaces and BGP. */
  readonly vpn = new VpnConfig();

  constructor(
    public hostname: string,
    readonly physical: readonly string[],
  ) {
    for (const p of physical) this.iface(p);
  }

  iface(name: string): RouterInterfaceConfig {
    let c = this.interfaces.get(name);
    if (!c) {
      c = { name, description: null, shutdown: !isSubinterface(name) && !isLoopback(name), address: null, dot1q: null, pimSparse: false };
      this.interfaces.set(name, c);
    }
    return c;
  }

  /** Interfaces in IOS order: each physical port followed by its subinterfaces by number. */
  ordered(): RouterInterfaceConfig[] {
    // Loopbacks first, by number, as IOS lists them.
    const out: RouterInterfaceConfig[] = [...this.interfaces.values()].filter((c) => isLoopback(c.name)).sort((a, b) => Number(a.name.slice(8)) - Number(b.name.slice(8)));
    for (const p of this.physical) {
      out.push(this.interfaces.get(p)!);
      const subs = [...this.interfaces.values()].filter((c) => isSubinterface(c.name) && parentOf(c.name) === p);
      subs.sort((a, b) => Number(a.name.split('.')[1]) - Number(b.name.split('.')[1]));
      out.push(...subs);
    }
    return out;
  }

  render(): string {
    const lines = ['Building configuration...', '', 'Current configuration:', '!', 'version 15.2', `hostname ${this.hostname}`, '!'];
    lines.push(...this.vpn.renderVrfs());
    if (this.multicastRouting) lines.push('ip multicast-routing ', '!');
    for (const c of this.ordered()) {
      lines.push(`interface ${c.name}`);
      if (c.description !== null) lines.push(` description ${c.description}`);
      if (c.dot1q !== null) lines.push(` encapsulation dot1Q ${c.dot1q}`);
      lines.push(...this.vpn.interfaceVrfLine(c.name));
      lines.push(c.address ? ` ip address ${formatIpv4(c.address.ip)} ${formatIpv4(c.address.mask)}` : ' no ip address');
      lines.push(...this.vpn.interfaceMplsLine(c.name));
      if (c.pimSparse) lines.push(' ip pim sparse-mode');
      if (c.shutdown) lines.push(' shutdown');
      lines.push('!');
    }
    lines.push(...this.vpn.renderBgp());
    lines.push(...this.rip.render());
    if (this.pimRp !== null) lines.push(`ip pim rp-address ${formatIpv4(this.pimRp)}`);
    for (const r of this.routes) lines.push(`ip route ${formatIpv4(r.prefix)} ${formatIpv4(r.mask)} ${formatIpv4(r.nextHop)}${r.distance !== 1 ? ` ${r.distance}` : ''}`);
    if (this.routes.length > 0 || this.pimRp !== null) lines.push('!');
    for (const p of this.msdpPeers) lines.push(`ip msdp peer ${formatIpv4(p.address)}${p.connectSource !== null ? ` connect-source ${p.connectSource}` : ''}`);
    if (this.msdpOriginatorId !== null) lines.push(`ip msdp originator-id ${this.msdpOriginatorId}`);
    if (this.msdpPeers.length > 0 || this.msdpOriginatorId !== null) lines.push('!');
    lines.push('end', '');
    return lines.join('\n');
  }
}
