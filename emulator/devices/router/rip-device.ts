/**
 * How a router runs RIP: one RIP engine bound to UDP 520, on the interfaces the `router rip`
 * networks cover, with IOS's timers, equal-cost paths and forwarding of invalid routes.
 */
import type { Network } from '../../core/network.ts';
import type { Ipv4Packet } from '../../core/packets.ts';
import type { IpInterface } from '../../l3/ip-host.ts';
import { IOS_RIP_TIMERS, RipSpeaker, type RipLink, type RipOptions } from '../../l3/rip.ts';
import type { RouteTable } from '../../l3/route-table.ts';
import { isRipMessage, RIP_GROUP, RIP_PORT } from '../../wire/rip.ts';
import { isLoopback, maskLength } from './config.ts';
import type { Router } from './device.ts';
import type { RipConfig } from './rip-config.ts';

export interface RouterRipHooks {
  transmit(ifc: IpInterface, pkt: Ipv4Packet): void;
}

export function createRouterRip(router: Router, net: Network, name: string, routes: RouteTable, hooks: RouterRipHooks): RipSpeaker {
  const rip = new RipSpeaker(
    {
      net,
      name,
      random: net.random.forId(`${name}/rip`),
      routes,
      transmit: (ifc, pkt) => hooks.transmit(ifc, pkt),
      joinGroup: (ifc) => router.joinGroup(RIP_GROUP, ifc.name),
      leaveGroup: (ifc) => router.leaveGroup(RIP_GROUP, ifc.name),
      hasBetterRoute: (prefix, length) => routes.list().some((r) => r.prefix === prefix && r.length === length && r.origin !== 'rip'),
    },
    { timers: IOS_RIP_TIMERS, maxPaths: 4, installPaths: 4, forwardWhileInvalid: true },
  );
  router.bindUdp(RIP_PORT, (d, src) => {
    if (isRipMessage(d.data)) rip.receive(d.data, src);
  });
  return rip;
}

/** IOS keeps and installs up to `maximum-paths` equal-cost routes and forwards on an invalid one until it is flushed. */
function routerRipOptions(cfg: RipConfig): RipOptions {
  return { timers: cfg.effectiveTimers(), maxPaths: cfg.maximumPaths, installPaths: cfg.maximumPaths, forwardWhileInvalid: true };
}

/** The RIP links the configuration gives: covered interfaces (passive ones only listen) and covered loopbacks. */
export function programRouterRip(router: Router): void {
  const cfg = router.state.config;
  const rip = cfg.rip;
  const links: RipLink[] = [];
  for (const c of cfg.ordered()) {
    if (c.address === null || !rip.covers(c.address.ip)) continue;
    if (isLoopback(c.name)) {
      if (c.shutdown) continue;
      const len = maskLength(c.address.mask) ?? 32;
      links.push({ name: c.name, ifc: null, networks: [{ prefix: (c.address.ip & c.address.mask) >>> 0, length: len }], send: false, receive: false });
      continue;
    }
    const ifc = router.interfaces.find((i) => i.name === c.name);
    if (ifc === undefined) continue;
    links.push({ name: c.name, ifc, networks: [], send: !rip.passive.has(c.name), receive: true });
  }
  router.rip.configure(rip.enabled, links, routerRipOptions(rip));
}
