/** What the router's `show` commands print, in the shape IOS 15 prints them, from the stack's state. */
import { formatDottedMac, formatIpv4 } from '../../cli/params.ts';
import { prefixMask } from '../../core/ipv4.ts';
import type { IpInterface } from '../../l3/ip-host.ts';
import type { Route } from '../../l3/route-table.ts';
import { isLoopback, maskLength } from './config.ts';
import type { Router } from './device.ts';
import { ripIndent, ripRouteText } from './rip-shows.ts';
import { ROUTE_CODES } from './route-codes.ts';
import { bgpGlobalRouteText } from './vpn-shows.ts';


/** The classful network an address falls in, which IOS groups subnets under. */
function classful(ip: number): { net: number; len: number } {
  const first = ip >>> 24;
  const len = first < 128 ? 8 : first < 192 ? 16 : 24;
  return { net: (ip & prefixMask(len)) >>> 0, len };
}

interface Line {
  code: string;
  prefix: number;
  len: number;
  text: string;
}

/** Routes the router would use now: connected and local ones only while their interface is up. */
function activeLines(router: Router): Line[] {
  const lines: Line[] = [];
  for (const r of router.routeList()) {
    if (r.origin === 'connected') {
      const ifc = router.interfaces[r.iface];
      if (ifc === undefined || !ifc.up) continue;
      lines.push({ code: 'C', prefix: r.prefix, len: r.length, text: `is directly connected, ${ifc.name}` });
      for (const a of ifc.addrs) if (a.state === 'preferred') lines.push({ code: 'L', prefix: a.ip, len: 32, text: `is directly connected, ${ifc.name}` });
    } else if (r.origin === 'static') {
      const cfg = router.state.config.routes.find((c) => c.nextHop === r.nextHop && c.prefix === r.prefix && maskLength(c.mask) === r.length);
      lines.push({ code: r.length === 0 ? 'S*' : 'S', prefix: r.prefix, len: r.length, text: `[${cfg?.distance ?? 1}/0] via ${formatIpv4(r.nextHop)}` });
    } else if (r.origin === 'rip') lines.push({ code: 'R', prefix: r.prefix, len: r.length, text: ripRouteText(router, r, ripIndent(r.prefix, r.length)) });
    else if (r.origin === 'bgp') lines.push({ code: 'B', prefix: r.prefix, len: r.length, text: bgpGlobalRouteText(router, r.prefix, r.length, r.nextHop) });
  }
  for (const c of router.state.config.ordered()) {
    if (!isLoopback(c.name) || c.shutdown || c.address === null) continue;
    const len = maskLength(c.address.mask) ?? 32;
    lines.push({ code: 'C', prefix: (c.address.ip & prefixMask(len)) >>> 0, len, text: `is directly connected, ${c.name}` });
    if (len < 32) lines.push({ code: 'L', prefix: c.address.ip, len: 32, text: `is directly connected, ${c.name}` });
  }
  return lines;
}

function defaultRoute(router: Router): Route | undefined {
  return router.routeList().find((r) => r.origin === 'static' && r.length === 0);
}

export function ipRoute(router: Router): string {
  const out = [ROUTE_CODES];
  const def = defaultRoute(router);
  out.push(def === undefined ? 'Gateway of last resort is not set\n' : `Gateway of last resort is ${formatIpv4(def.nextHop)} to network 0.0.0.0\n`);
  const lines = activeLines(router);
  const groups = new Map<string, Line[]>();
  const top: Line[] = [];
  for (const l of lines) {
    const c = classful(l.prefix);
    if (l.len <= c.len) top.push(l);
    else {
      const key = `${c.net}/${c.len}`;
      const g = groups.get(key);
      if (g === undefined) groups.set(key, [l]);
      else g.push(l);
    }
  }
  const entries: { sortKey: number; text: string[] }[] = [];
  for (const l of top) entries.push({ sortKey: l.prefix * 64 + l.len, text: [`${l.code.padEnd(6)}${formatIpv4(l.prefix)}/${l.len} ${l.text}`] });
  for (const [key, g] of groups) {
    const [net, len] = key.split('/').map(Number) as [number, number];
    g.sort((a, b) => a.prefix - b.prefix || a.len - b.len);
    const masks = new Set(g.map((l) => l.len));
    const head = masks.size === 1 ? `      ${formatIpv4(net)}/${len} is subnetted, ${g.length} subnets` : `      ${formatIpv4(net)}/${len} is variably subnetted, ${g.length} subnets, ${masks.size} masks`;
    entries.push({ sortKey: net * 64 + len, text: [head, ...g.map((l) => `${l.code.padEnd(9)}${formatIpv4(l.prefix)}/${l.len} ${l.text}`)] });
  }
  entries.sort((a, b) => a.sortKey - b.sortKey);
  for (const e of entries) out.push(...e.text);
  return out.join('\n') + '\n';
}

function status(router: Router, ifc: IpInterface): { status: string; protocol: string } {
  const cfg = router.state.config.interfaces.get(ifc.name);
  const parent = router.state.config.interfaces.get(ifc.port.name);
  if (cfg === undefined || cfg.shutdown || (parent?.shutdown ?? false)) return { status: 'administratively down', protocol: 'down' };
  return ifc.up ? { status: 'up', protocol: 'up' } : { status: 'down', protocol: 'down' };
}

/** The configured interfaces in IOS order, each with its live stack interface. */
function configured(router: Router): { name: string; ifc: IpInterface | undefined }[] {
  return router.state.config.ordered().map((c) => ({ name: c.name, ifc: router.interfaces.find((i) => i.name === c.name) }));
}

export function ipInterfaceBrief(router: Router): string {
  const out = ['Interface                  IP-Address      OK? Method Status                Protocol'];
  for (const { name, ifc } of configured(router)) {
    const a = router.state.config.interfaces.get(name)?.address ?? null;
    const shut = router.state.config.interfaces.get(name)?.shutdown === true;
    const loop = isLoopback(name) ? (shut ? { status: 'administratively down', protocol: 'down' } : { status: 'up', protocol: 'up' }) : null;
    const s = loop ?? (ifc === undefined ? { status: 'down', protocol: 'down' } : status(router, ifc));
    out.push(`${name.padEnd(27)}${(a === null ? 'unassigned' : formatIpv4(a.ip)).padEnd(16)}YES ${(a === null ? 'unset' : 'manual').padEnd(7)}${s.status.padEnd(22)}${s.protocol}`);
  }
  return out.join('\n') + '\n';
}

export function arp(router: Router): string {
  const out = ['Protocol  Address          Age (min)  Hardware Addr   Type   Interface'];
  const now = router.net.now;
  const rows: { ip: number; age: string; mac: number; iface: string }[] = [];
  for (const ifc of router.interfaces) {
    if (!ifc.up) continue;
    for (const a of ifc.addrs) if (a.state === 'preferred') rows.push({ ip: a.ip, age: '-', mac: ifc.mac, iface: ifc.name });
    for (const e of ifc.arp.view(now)) {
      if (e.type === 'incomplete' || e.mac === null) continue;
      const learned = ifc.arp.entries.get(e.ip)?.learnedNs ?? now;
      rows.push({ ip: e.ip, age: String(Math.floor((now - learned) / 60e9)), mac: e.mac, iface: ifc.name });
    }
  }
  rows.sort((a, b) => a.ip - b.ip);
  for (const r of rows) out.push(`Internet  ${formatIpv4(r.ip).padEnd(17)}${r.age.padStart(8)}   ${formatDottedMac(r.mac)}  ARPA   ${r.iface}`);
  return out.join('\n') + '\n';
}

export function interfaces(router: Router, only: string | null): string {
  const out: string[] = [];
  for (const { name, ifc } of configured(router)) {
    if (only !== null && name !== only) continue;
    if (isLoopback(name)) {
      const c = router.state.config.interfaces.get(name);
      out.push(c?.shutdown === true ? `${name} is administratively down, line protocol is down ` : `${name} is up, line protocol is up `, '  Hardware is Loopback');
      if (c?.address) out.push(`  Internet address is ${formatIpv4(c.address.ip)}/${maskLength(c.address.mask) ?? 32}`);
      out.push('  MTU 1514 bytes, BW 8000000 Kbit/sec, DLY 5000 usec, ', '  Encapsulation LOOPBACK, loopback not set');
      continue;
    }
    if (ifc === undefined) {
      out.push(`${name} is down, line protocol is down `, '  Hardware is iGbE, no encapsulation configured');
      continue;
    }
    const s = status(router, ifc);
    const a = ifc.addrs[0];
    const mac = formatDottedMac(ifc.mac);
    out.push(`${name} is ${s.status}, line protocol is ${s.protocol} `, `  Hardware is iGbE, address is ${mac} (bia ${mac})`);
    if (a !== undefined) out.push(`  Internet address is ${formatIpv4(a.ip)}/${a.prefix}`);
    out.push('  MTU 1500 bytes, BW 1000000 Kbit/sec, DLY 10 usec, ', '     reliability 255/255, txload 1/255, rxload 1/255');
    out.push(ifc.vlan !== 0 ? `  Encapsulation 802.1Q Virtual LAN, Vlan ID  ${ifc.vlan}.` : '  Encapsulation ARPA, loopback not set');
    if (ifc.vlan === 0) {
      const p = ifc.port;
      out.push(
        '  Full Duplex, 1Gbps, media type is RJ45',
        `     ${p.inUcast + p.inMcast + p.inBcast} packets input, ${p.inOctets} bytes, 0 no buffer`,
        `     Received ${p.inBcast} broadcasts (${p.inMcast} IP multicasts)`,
        `     0 input errors, 0 CRC, 0 frame, 0 overrun, ${p.inDiscards} ignored`,
        `     ${p.outUcast + p.outMcast + p.outBcast} packets output, ${p.outOctets} bytes, 0 underruns`,
        `     0 output errors, 0 collisions, 0 interface resets`,
        `     ${p.outDiscards} output buffer failures, 0 output buffers swapped out`,
      );
    } else {
      out.push('  ARP type: ARPA, ARP Timeout 04:00:00', `  Last clearing of "show interface" counters never`);
      out.push(`     ${ifc.counters.inPackets} packets input, ${ifc.counters.inOctets} bytes`, `     ${ifc.counters.outPackets} packets output, ${ifc.counters.outOctets} bytes`);
    }
  }
  return out.join('\n') + '\n';
}
