/** What the MPLS VPN `show` commands print, in IOS 15 layouts, from the router's BGP, VRF and label state. */
import { formatIpv4, parseIpv4 } from '../../cli/params.ts';
import { prefixMask } from '../../core/ipv4.ts';
import { LABEL_IMPLICIT_NULL } from '../../wire/mpls.ts';
import type { BgpDest, BgpPath, BgpPeer } from './bgp.ts';
import type { Router } from './device.ts';
import { iosDuration } from './multicast-shows.ts';
import { ROUTE_CODES } from './route-codes.ts';

const TABLE_HEAD = `Status codes: s suppressed, d damped, h history, * valid, > best, i - internal, 
              r RIB-failure, S Stale, m multipath, b backup-path, f RT-Filter, 
              x best-external, a additional-path, c RIB-compressed, 
Origin codes: i - IGP, e - EGP, ? - incomplete
RPKI validation codes: V valid, I invalid, N Not found

     Network          Next Hop            Metric LocPrf Weight Path`;


function naturalLength(ip: number): number {
  const first = ip >>> 24;
  return first < 128 ? 8 : first < 192 ? 16 : 24;
}

/** IOS leaves the length off a classful network. */
function networkText(prefix: number, length: number): string {
  return length === naturalLength(prefix) ? formatIpv4(prefix) : `${formatIpv4(prefix)}/${length}`;
}

function originCode(o: number): string {
  return o === 0 ? 'i' : o === 1 ? 'e' : '?';
}

function pathLine(router: Router, d: BgpDest, p: BgpPath, first: boolean): string {
  const bgp = router.vpn.bgp;
  const best = d.chosen[0] === p;
  const multi = !best && d.chosen.includes(p);
  const valid = bgp.isValid(p);
  const internal = p.from !== null && p.from.remoteAs === bgp.asn;
  const status = ` ${valid ? '*' : ' '}${best ? '>' : multi ? 'm' : ' '}${internal ? 'i' : ' '} `;
  const net = first ? networkText(d.prefix, d.length) : '';
  const nh = p.local ? '0.0.0.0' : formatIpv4(p.attrs.nextHop);
  const med = p.attrs.med === null ? '' : String(p.attrs.med);
  const lp = internal || p.local ? String(p.attrs.localPref ?? 100) : '';
  const weight = p.local ? '32768' : '0';
  const path = [...p.attrs.asPath.map(String), originCode(p.attrs.origin)].join(' ');
  return `${status}${net.padEnd(17)}${nh.padEnd(20)}${med.padStart(6)} ${lp.padStart(6)} ${weight.padStart(6)} ${path}`;
}

function destLines(router: Router, dests: Iterable<BgpDest>): string[] {
  const out: string[] = [];
  const sorted = [...dests].sort((a, b) => (a.prefix >>> 0) - (b.prefix >>> 0) || a.length - b.length);
  for (const d of sorted) d.paths.forEach((p, i) => out.push(pathLine(router, d, p, i === 0)));
  return out;
}

function tableHeader(router: Router): string {
  const bgp = router.vpn.bgp;
  return `BGP table version is ${bgp.tableVersion}, local router ID is ${formatIpv4(bgp.routerId)}\n${TABLE_HEAD}`;
}

export function ipBgp(router: Router): string {
  if (router.state.config.vpn.bgp === null) return '% BGP not active\n';
  const lines = destLines(router, router.vpn.bgp.ipv4.values());
  return [tableHeader(router), ...lines].join('\n') + '\n';
}

/** `show ip bgp vpnv4 all` (vrf null) or `vrf X`: per route distinguisher, a VRF's own RD marked as its default. */
export function ipBgpVpnv4(router: Router, vrf: string | null): string {
  if (router.state.config.vpn.bgp === null) return '% BGP not active\n';
  const cfg = router.state.config.vpn;
  if (vrf !== null && !cfg.vrfs.has(vrf)) return `% No such VRF ${vrf}\n`;
  const out = [tableHeader(router)];
  const bgp = router.vpn.bgp;
  const localRds = new Map<string, string>();
  for (const v of cfg.vrfs.values()) if (v.rd !== null) localRds.set(v.rd, v.name);
  const sections: { rd: string; vrf: string | null; dests: BgpDest[] }[] = [];
  if (vrf === null) {
    const byRd = new Map<string, BgpDest[]>();
    for (const d of bgp.vpnv4.values()) {
      if (d.rd === null || localRds.has(d.rd)) continue;
      const list = byRd.get(d.rd);
      if (list === undefined) byRd.set(d.rd, [d]);
      else list.push(d);
    }
    for (const [rd, dests] of byRd) sections.push({ rd, vrf: null, dests });
  }
  for (const v of cfg.vrfs.values()) {
    if (v.rd === null || (vrf !== null && v.name !== vrf)) continue;
    sections.push({ rd: v.rd, vrf: v.name, dests: [...(bgp.vrfs.get(v.name)?.values() ?? [])] });
  }
  sections.sort((a, b) => a.rd.localeCompare(b.rd, 'en', { numeric: true }));
  for (const s of sections) {
    out.push(`Route Distinguisher: ${s.rd}${s.vrf !== null ? ` (default for vrf ${s.vrf})` : ''}`);
    out.push(...destLines(router, s.dests));
  }
  return out.join('\n') + '\n';
}

function peerState(router: Router, p: BgpPeer): string {
  if (p.shutdown) return 'Idle (Admin)';
  if (p.state !== 'Established') return p.state;
  return String(router.vpn.bgp.prefixesFrom(p));
}

export function ipBgpSummary(router: Router, family: 'ipv4' | 'vpnv4'): string {
  const cfg = router.state.config.vpn.bgp;
  if (cfg === null) return '% BGP not active\n';
  const bgp = router.vpn.bgp;
  const now = router.net.now;
  const dests = family === 'ipv4' ? bgp.ipv4.size : bgp.vpnv4.size + [...bgp.vrfs.values()].reduce((n, t) => n + t.size, 0);
  const out = [
    `BGP router identifier ${formatIpv4(bgp.routerId)}, local AS number ${cfg.asn}`,
    `BGP table version is ${bgp.tableVersion}, main routing table version ${bgp.tableVersion}`,
    `${dests} network entries using ${dests * 152} bytes of memory`,
    '',
    'Neighbor        V           AS MsgRcvd MsgSent   TblVer  InQ OutQ Up/Down  State/PfxRcd',
  ];
  const peers = [...bgp.peers.values()].filter((p) => (family === 'ipv4' ? p.vrf === null && p.ipv4 : p.vpnv4 || p.vrf !== null));
  peers.sort((a, b) => (a.address >>> 0) - (b.address >>> 0));
  for (const p of peers) {
    const updown = p.resets === 0 && p.state !== 'Established' ? 'never' : iosDuration(now - p.since);
    const st = peerState(router, p);
    const tail = p.state === 'Established' ? st.padStart(9) : ` ${st}`;
    out.push(`${formatIpv4(p.address).padEnd(16)}4 ${String(p.remoteAs).padStart(12)} ${String(p.messagesReceived).padStart(7)} ${String(p.messagesSent).padStart(7)} ${String(bgp.tableVersion).padStart(8)}    0    0 ${updown.padEnd(8)}${tail}`);
  }
  return out.join('\n') + '\n';
}

interface Line {
  code: string;
  prefix: number;
  len: number;
  text: string[];
}

function classful(ip: number): { net: number; len: number } {
  const len = naturalLength(ip);
  return { net: (ip & prefixMask(len)) >>> 0, len };
}

/** Routes grouped under their classful network, as IOS prints a routing table. */
function renderRoutes(lines: Line[]): string[] {
  const groups = new Map<string, Line[]>();
  const entries: { sortKey: number; text: string[] }[] = [];
  for (const l of lines) {
    const c = classful(l.prefix);
    if (l.len <= c.len) {
      entries.push({ sortKey: l.prefix * 64 + l.len, text: [`${l.code.padEnd(6)}${formatIpv4(l.prefix)}/${l.len} ${l.text[0]}`, ...l.text.slice(1).map((t) => `${' '.repeat(6 + formatIpv4(l.prefix).length + String(l.len).length + 2)}${t}`)] });
      continue;
    }
    const key = `${c.net}/${c.len}`;
    const g = groups.get(key);
    if (g === undefined) groups.set(key, [l]);
    else g.push(l);
  }
  for (const [key, g] of groups) {
    const [net, len] = key.split('/').map(Number) as [number, number];
    g.sort((a, b) => a.prefix - b.prefix || a.len - b.len);
    const masks = new Set(g.map((l) => l.len));
    const head = masks.size === 1 ? `      ${formatIpv4(net)}/${len} is subnetted, ${g.length} subnets` : `      ${formatIpv4(net)}/${len} is variably subnetted, ${g.length} subnets, ${masks.size} masks`;
    const text = [head];
    for (const l of g) {
      const first = `${l.code.padEnd(9)}${formatIpv4(l.prefix)}/${l.len} `;
      text.push(first + l.text[0], ...l.text.slice(1).map((t) => ' '.repeat(first.length) + t));
    }
    entries.push({ sortKey: net * 64 + len, text });
  }
  entries.sort((a, b) => a.sortKey - b.sortKey);
  return entries.flatMap((e) => e.text);
}

export function ipRouteVrf(router: Router, name: string): string {
  const vrf = router.vpn.vrfs.get(name);
  if (vrf === undefined) return `% IP routing table ${name} does not exist\n`;
  const now = router.net.now;
  const lines: Line[] = [];
  for (const r of vrf.connected.list()) {
    const ifc = router.interfaces[r.iface];
    if (r.origin !== 'connected' || ifc === undefined || !ifc.up) continue;
    lines.push({ code: 'C', prefix: r.prefix, len: r.length, text: [`is directly connected, ${ifc.name}`] });
    for (const a of ifc.addrs) if (a.state === 'preferred') lines.push({ code: 'L', prefix: a.ip, len: 32, text: [`is directly connected, ${ifc.name}`] });
  }
  for (const r of vrf.bgp.values()) {
    if (lines.some((l) => l.code === 'C' && l.prefix === r.prefix && l.len === r.length)) continue;
    lines.push({ code: 'B', prefix: r.prefix, len: r.length, text: r.paths.map((p) => `[${r.distance}/0] via ${formatIpv4(p.nextHop)}, ${iosDuration(now - r.since)}`) });
  }
  return [`\nRouting Table: ${name}`, ROUTE_CODES, 'Gateway of last resort is not set\n', ...renderRoutes(lines)].join('\n') + '\n';
}

/** `show ip cef vrf X <prefix>`: the route's next hops with the labels pushed, [transport|VPN]. */
export function ipCefVrf(router: Router, name: string, text: string): string {
  const vrf = router.vpn.vrfs.get(name);
  if (vrf === undefined) return `% VRF ${name} not found\n`;
  const m = /^([\d.]+)(?:\/(\d+))?$/.exec(text);
  const ip = m === null ? null : parseIpv4(m[1]!);
  if (m === null || ip === null) return '% Invalid address\n';
  const up = (i: number): boolean => router.interfaces[i]?.up ?? false;
  const hit = vrf.lookup(ip, up);
  if (hit === null) return `0.0.0.0/0\n  no route\n`;
  if (hit.kind === 'connected') {
    const ifc = router.interfaces[hit.route.iface];
    return `${formatIpv4(hit.route.prefix)}/${hit.route.length}\n  attached to ${ifc?.name ?? ''}\n`;
  }
  const r = hit.route;
  const out = [`${formatIpv4(r.prefix)}/${r.length}`];
  if (r.paths.length > 1) out.push(`  per-destination sharing`);
  for (const p of r.paths) {
    if (p.label === null) {
      const via = vrf.lookup(p.nextHop, up);
      const ifc = via?.kind === 'connected' ? router.interfaces[via.route.iface] : undefined;
      out.push(`  nexthop ${formatIpv4(p.nextHop)} ${ifc?.name ?? ''}`.trimEnd());
      continue;
    }
    const t = router.vpn.labels.transportFor(p.nextHop);
    if (t === null) {
      out.push(`  recursive via ${formatIpv4(p.nextHop)} label ${p.label}, unresolved (no label to ${formatIpv4(p.nextHop)})`);
      continue;
    }
    const labels = t.label === LABEL_IMPLICIT_NULL ? `${p.label}` : `[${t.label}|${p.label}]`;
    out.push(`  nexthop ${formatIpv4(t.nextHop)} ${t.ifc.name} label ${labels}`);
  }
  return out.join('\n') + '\n';
}

export function ipVrf(router: Router): string {
  const cfg = router.state.config.vpn;
  const out = ['  Name                             Default RD            Interfaces'];
  for (const v of cfg.vrfs.values()) {
    const ifs = [...cfg.interfaceVrf].filter(([, n]) => n === v.name).map(([i]) => i.replace('GigabitEthernet', 'Gi'));
    out.push(`  ${v.name.padEnd(33)}${(v.rd ?? '<not set>').padEnd(22)}${ifs[0] ?? ''}`);
    for (const i of ifs.slice(1)) out.push(`${' '.repeat(57)}${i}`);
  }
  return out.join('\n') + '\n';
}

function shortIf(name: string): string {
  return name.replace('GigabitEthernet', 'Gi');
}

export function mplsForwardingTable(router: Router): string {
  const ls = router.vpn.labels;
  const out = ['Local      Outgoing   Prefix           Bytes Label   Outgoing   Next Hop    ', 'Label      Label      or Tunnel Id     Switched      interface              '];
  const rows: { label: number; text: string }[] = [];
  for (const fec of ls.fecs()) {
    if (fec.own) continue;
    const local = ls.bindings.get(fec.prefix);
    if (local === undefined) continue;
    const t = ls.transportFor(fec.prefix);
    const outLabel = t === null ? 'No Label' : t.label === LABEL_IMPLICIT_NULL ? 'Pop Label' : String(t.label);
    const r = router.routes.lookup(fec.prefix);
    const nh = t?.nextHop ?? r?.nextHop ?? 0;
    const ifName = t?.ifc.name ?? '';
    rows.push({ label: local, text: `${String(local).padEnd(11)}${outLabel.padEnd(11)}${`${formatIpv4(fec.prefix)}/32`.padEnd(17)}${String(ls.switched.get(local) ?? 0).padEnd(14)}${shortIf(ifName).padEnd(11)}${nh === 0 ? '' : formatIpv4(nh)}` });
  }
  for (const v of router.vpn.vrfs.values()) {
    rows.push({ label: v.label, text: `${String(v.label).padEnd(11)}${'No Label'.padEnd(11)}${'IPv4 VRF[V]'.padEnd(17)}${String(ls.switched.get(v.label) ?? 0).padEnd(14)}aggregate/${v.name}` });
  }
  rows.sort((a, b) => a.label - b.label);
  out.push(...rows.map((r) => r.text.trimEnd()));
  return out.join('\n') + '\n';
}

export function mplsLdpNeighbor(router: Router): string {
  const ls = router.vpn.labels;
  const now = router.net.now;
  const id = formatIpv4(router.vpn.bgp.routerId);
  const out: string[] = [];
  for (const n of ls.neighbors.values()) {
    if (n.expires <= now) continue;
    const ifc = router.interfaces[n.iface];
    out.push(
      `    Peer LDP Ident: ${formatIpv4(n.lsrId)}:0; Local LDP Ident ${id}:0`,
      `\tState: Oper; Downstream`,
      `\tUp time: ${iosDuration(now - n.since)}`,
      `\tLDP discovery sources:`,
      `\t  ${ifc?.name ?? ''}, Src IP addr: ${formatIpv4(n.address)}`,
      `\tBindings received: ${n.bindings.size}`,
    );
  }
  return out.join('\n') + (out.length > 0 ? '\n' : '');
}

export function bgpGlobalRouteText(router: Router, prefix: number, length: number, nextHop: number): string {
  const g = router.vpn.globalBgp.get(`${prefix >>> 0}/${length}`);
  return `[${g?.distance ?? 20}/0] via ${formatIpv4(nextHop)}, ${iosDuration(router.net.now - (g?.since ?? router.net.now))}`;
}
