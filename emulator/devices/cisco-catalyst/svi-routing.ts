/**
 * A Catalyst's own IPv4 stack: its switched virtual interfaces (`interface VlanN` with an
 * address), `ip default-gateway`, and, with `ip routing`, static routes and routing between the
 * SVIs. It is the engine's IPv4 host with forwarding switched on or off, reached by the switch
 * plane through an internal trunk as the switch's CPU is: frames to the SVI MAC in a VLAN with a
 * live SVI go up to it, everything it sends comes down into that VLAN and is switched as any
 * other frame. All SVIs share one MAC, as on the switch.
 */
import type { Network } from '../../core/network.ts';
import { IpHost } from '../../l3/ip-host.ts';
import type { EthernetSwitch } from '../../l2/switch.ts';
import { maskLength } from '../router/config.ts';
import type { CatalystConfig } from './config.ts';

/** The switch's port that leads to its CPU; no cable can reach it. */
export const CPU_PORT = 'CPU';
/** IOS sources its own ICMP with TTL 255. */
const IOS_TTL = 255;
/** [U] the SVIs' MAC sits this far above the switch's base MAC. */
export const SVI_MAC_OFFSET = 0x40;

export class SviRouting {
  readonly host: IpHost;

  constructor(
    net: Network,
    private readonly sw: EthernetSwitch,
    /** The switch's CPU port, by index (stacks look ports up by member number). */
    private readonly cpuPort: number,
    mac: number,
  ) {
    this.host = new IpHost(net, `${sw.name}#cpu`);
    // IOS uses a new address at once (one gratuitous ARP, no duplicate detection).
    this.host.arpRetryCount = 0;
    this.host.defaultTtl = IOS_TTL;
    // The main interface is VLAN 1 (the trunk's native VLAN); other SVIs are tagged subinterfaces.
    const main = this.host.addInterface('Vlan1', mac, 10e9);
    net.connect(sw.ports[cpuPort]!, main.port, { rateBps: 10e9, delayNs: 0 });
    sw.setTrunk(cpuPort, { nativeVlan: 1, allowed: [] });
  }

  /** Make the stack match the configuration: live SVIs, their addresses, routing and routes. */
  program(cfg: CatalystConfig): void {
    const live: number[] = [];
    for (const [name, c] of cfg.interfaces) {
      const m = /^Vlan(\d+)$/.exec(name);
      if (m === null) continue;
      const vid = Number(m[1]);
      const want = c.ipAddress !== null && !c.shutdown && cfg.vlans.has(vid) ? c.ipAddress : null;
      const exists = this.host.interfaces.some((i) => i.name === name);
      if (want === null && !exists) continue;
      if (!exists) this.host.addSubinterface(name, 'Vlan1', vid);
      this.host.setInterfaceEnabled(name, want !== null);
      this.setAddress(name, want);
      if (want !== null) live.push(vid);
    }
    // SVIs removed with `no interface VlanN`.
    for (const ifc of this.host.interfaces) {
      if (cfg.interfaces.has(ifc.name)) continue;
      this.host.setInterfaceEnabled(ifc.name, false);
      this.setAddress(ifc.name, null);
    }
    live.sort((a, b) => a - b);
    this.sw.setTrunk(this.cpuPort, { nativeVlan: 1, allowed: live });
    this.host.forwarding = cfg.ipRouting;
    this.host.routes.removeWhere((r) => r.origin === 'static');
    if (cfg.ipRouting) {
      for (const r of cfg.routes) this.host.addRoute(r.prefix, maskLength(r.mask) ?? 0, r.nextHop);
    } else if (cfg.defaultGateway !== null) {
      // Without routing the switch is a host: its default gateway is its only route off-link.
      this.host.setGateway(cfg.defaultGateway);
    }
  }

  private setAddress(name: string, want: { ip: number; mask: number } | null): void {
    const ifc = this.host.iface(name);
    const len = want === null ? null : maskLength(want.mask);
    const have = ifc.addrs[0];
    if (have !== undefined && (want === null || have.ip !== want.ip || have.prefix !== len)) this.host.removeAddress(name, have.ip);
    if (want !== null && len !== null && (have === undefined || have.ip !== want.ip || have.prefix !== len)) this.host.addAddress(name, want.ip, len);
  }
}
