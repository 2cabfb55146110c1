/** What IOS prints for RIP: `show ip rip database`, the RIP part of `show ip protocols`, and RIP's lines in `show ip route`. */
import { formatIpv4 } from '../../cli/params.ts';
import { SECOND } from '../../core/time.ts';
import { RIP_DISTANCE, type RipRoute } from '../../l3/rip.ts';
import type { Route } from '../../l3/route-table.ts';
import type { Router } from './device.ts';
import { classfulNetwork } from './rip-config.ts';

/** Time since a route was heard, as IOS prints it: hh:mm:ss. */
export function age(ns: number): string {
  const s = Math.max(0, Math.floor(ns / SECOND));
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${two(Math.floor(s / 3600))}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}`;
}

function ifName(router: Router, index: number): string {
  return router.interfaces[index]?.name ?? 'Null0';
}

function ripEntryFor(router: Router, r: Route): RipRoute | undefined {
  return router.rip.routeList().find((x) => x.prefix === r.prefix && x.length === r.length);
}

/**
 * The text after the prefix in `show ip route` for a RIP route: one `[120/n] via` per equal-cost
 * path, continuation lines indented under the first, or "is possibly down" once it is invalid.
 */
export function ripRouteText(router: Router, r: Route, indent: number): string {
  const e = ripEntryFor(router, r);
  const now = router.net.now;
  if (e === undefined || e.paths.length === 0) return `[${RIP_DISTANCE}/?] via ${formatIpv4(r.nextHop)}`;
  if (e.downNs !== null) return `is possibly down, routing via ${formatIpv4(e.paths[0].nextHop)}, ${ifName(router, e.paths[0].iface)}`;
  return e.paths.map((p, i) => `${i === 0 ? '' : ' '.repeat(indent)}[${RIP_DISTANCE}/${e.metric}] via ${formatIpv4(p.nextHop)}, ${age(now - p.heardNs)}, ${ifName(router, p.iface)}`).join('\n');
}

/** Column where a route's text starts, so the second path lines up under the first. */
export function ripIndent(prefix: number, len: number): number {
  const top = len <= classfulNetwork(prefix).len;
  return (top ? 6 : 9) + `${formatIpv4(prefix)}/${len} `.length;
}

export function ipRipDatabase(router: Router): string {
  const out: string[] = [];
  const cfg = router.state.config.rip;
  if (!cfg.enabled) return '';
  const now = router.net.now;
  for (const e of router.rip.routeList()) {
    const head = `${formatIpv4(e.prefix)}/${e.length}`;
    if (e.connected !== null) {
      out.push(`${head}    directly connected, ${e.connected}`);
      continue;
    }
    out.push(head);
    for (const p of e.paths) out.push(`    [${e.metric}] via ${formatIpv4(p.nextHop)}, ${age(now - p.heardNs)}, ${ifName(router, p.iface)}`);
  }
  return out.join('\n') + (out.length > 0 ? '\n' : '');
}

export function ipProtocolsRip(router: Router): string {
  const cfg = router.state.config.rip;
  if (!cfg.enabled) return '';
  const t = cfg.effectiveTimers();
  const now = router.net.now;
  const due = Math.max(0, Math.ceil((router.rip.nextPeriodicAt - now) / SECOND));
  const send = cfg.version ?? 1;
  const recv = cfg.version === null ? '1 2' : String(cfg.version);
  const out = [
    '*** IP Routing is NSF aware ***',
    '',
    'Routing Protocol is "rip"',
    '  Outgoing update filter list for all interfaces is not set',
    '  Incoming update filter list for all interfaces is not set',
    `  Sending updates every ${t.updateNs / SECOND} seconds, next due in ${due} seconds`,
    `  Invalid after ${t.invalidNs / SECOND} seconds, hold down ${t.holddownNs / SECOND}, flushed after ${t.flushNs / SECOND}`,
    '  Redistributing: rip',
    `  Default version control: send version ${send}, receive ${cfg.version === null ? 'any version' : `version ${cfg.version}`}`,
    '    Interface                           Send  Recv  Triggered RIP  Key-chain',
  ];
  const links = router.rip.linkList();
  for (const l of links) {
    if (cfg.passive.has(l.name)) continue;
    out.push(`    ${l.name.padEnd(36)}${String(send).padEnd(6)}${recv.padEnd(6)}`);
  }
  out.push(`  Automatic network summarization is ${cfg.autoSummary ? '' : 'not '}in effect`);
  out.push(`  Maximum path: ${cfg.maximumPaths}`);
  out.push('  Routing for Networks:');
  for (const n of cfg.networks) out.push(`    ${formatIpv4(n)}`);
  if (cfg.passive.size > 0) {
    out.push('  Passive Interface(s):');
    for (const p of cfg.passive) out.push(`    ${p}`);
  }
  out.push('  Routing Information Sources:', '    Gateway         Distance      Last Update');
  for (const n of [...router.rip.neighbors.values()].sort((a, b) => a.address - b.address)) {
    out.push(`    ${formatIpv4(n.address).padEnd(16)}${String(RIP_DISTANCE).padStart(8)}      ${age(now - n.heardNs)}`);
  }
  out.push(`  Distance: (default is ${RIP_DISTANCE})`, '');
  return out.join('\n') + '\n';
}
