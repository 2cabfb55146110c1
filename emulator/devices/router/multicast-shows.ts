/**
 * The router's multicast `show` commands in IOS 15 shape: `show ip mroute` (and `count`),
 * `show ip pim neighbor`, `show ip pim rp mapping`, `show ip rpf`, `show ip igmp groups` and the
 * MSDP views, from the PIM and MSDP state of the running router.
 */
import { formatIpv4 } from '../../cli/params.ts';
import { prefixMask } from '../../core/ipv4.ts';
import { SECOND } from '../../core/time.ts';
import type { MsdpPeer } from '../../l3/msdp.ts';
import { NULL_IIF, type Mroute } from '../../l3/mroute.ts';
import type { Router } from './device.ts';

const MROUTE_HEADER = `IP Multicast Routing Table
Flags: D - Dense, S - Sparse, B - Bidir Group, s - SSM Group, C - Connected,
       L - Local, P - Pruned, R - RP-bit set, F - Register flag,
       T - SPT-bit set, J - Join SPT, M - MSDP created entry,
       X - Proxy Join Timer Running, A - Candidate for MSDP Advertisement,
       U - URD, I - Received Source Specific Host Report
Outgoing interface flags: H - Hardware switched
 Timers: Uptime/Expires
 Interface state: Interface, Next-Hop or VCD, State/Mode
`;

/** IOS timer text: hh:mm:ss under a day, then 1d02h, then 2w3d. */
export function iosDuration(ns: number): string {
  const s = Math.max(0, Math.floor(ns / SECOND));
  const d = Math.floor(s / 86400);
  if (d >= 7) return `${Math.floor(d / 7)}w${d % 7}d`;
  const h = Math.floor((s % 86400) / 3600);
  if (d > 0) return `${d}d${String(h).padStart(2, '0')}h`;
  const m = Math.floor((s % 3600) / 60);
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

function expiresText(now: number, at: number | null): string {
  return at === null ? 'stopped' : iosDuration(at - now);
}

function ifName(router: Router, index: number): string {
  return router.interfaces[index]?.name ?? 'Null';
}

/** When an outgoing interface lapses: its join's holdtime, or the IGMP membership behind it. */
function oifExpiry(router: Router, e: Mroute, index: number): number | null {
  const o = e.oifs.get(index);
  let at: number | null = o?.joinExpires ?? null;
  if (o?.local === true) {
    const g = router.pim.igmp.groups().find((x) => x.ifc.index === index && x.state.group === e.group);
    if (g !== undefined) at = Math.max(at ?? 0, g.state.expires);
  }
  return at;
}

function flags(router: Router, e: Mroute): string {
  const olist = router.pim.olist(e);
  if (e.source === 0) {
    const local = [...e.oifs.values()].some((o) => o.local);
    // spt-threshold 0: a router with members switches every source over (J).
    const spt = local && !router.pim.iAmRp();
    return `S${spt ? 'J' : ''}${olist.length === 0 ? 'P' : ''}${local ? 'C' : ''}`;
  }
  const registering = e.register !== 'none';
  return `${olist.length === 0 ? 'P' : ''}${registering ? 'F' : ''}${e.sptSwitch ? 'J' : ''}${e.msdp ? 'M' : ''}${e.spt ? 'T' : ''}${e.registered && e.keepalive !== null ? 'A' : ''}`;
}

function entryText(router: Router, e: Mroute): string[] {
  const now = router.net.now;
  const pim = router.pim;
  const olist = pim.olist(e);
  const star = e.source === 0 ? undefined : pim.mroutes.get(0, e.group);
  const expiryOf = (i: number): number | null => oifExpiry(router, e, i) ?? (star !== undefined ? oifExpiry(router, star, i) : null);
  let expires: number | null = e.source !== 0 ? e.keepalive : null;
  if (expires === null) for (const i of olist) expires = Math.max(expires ?? 0, expiryOf(i) ?? 0) || null;
  const head =
    e.source === 0
      ? `(*, ${formatIpv4(e.group)}), ${iosDuration(now - e.since)}/${expiresText(now, expires)}, RP ${formatIpv4(pim.rpAddress ?? 0)}, flags: ${flags(router, e)}`
      : `(${formatIpv4(e.source)}, ${formatIpv4(e.group)}), ${iosDuration(now - e.since)}/${expiresText(now, expires)}, flags: ${flags(router, e)}`;
  const registering = e.register === 'join' || e.register === 'join-pending' ? ', Registering' : '';
  const lines = [head, `  Incoming interface: ${e.iif === NULL_IIF ? 'Null' : ifName(router, e.iif)}, RPF nbr ${formatIpv4(e.rpfNbr)}${registering}`];
  if (olist.length === 0) lines.push('  Outgoing interface list: Null');
  else {
    lines.push('  Outgoing interface list:');
    for (const i of olist) {
      const since = e.oifs.get(i)?.since ?? star?.oifs.get(i)?.since ?? e.since;
      lines.push(`    ${ifName(router, i)}, Forward/Sparse, ${iosDuration(now - since)}/${expiresText(now, expiryOf(i))}`);
    }
  }
  return lines;
}

export function ipMroute(router: Router, filter: number | null): string {
  const out = [MROUTE_HEADER];
  for (const e of router.pim.mroutes.list()) {
    if (filter !== null && e.group !== filter && e.source !== filter) continue;
    out.push(...entryText(router, e), '');
  }
  return out.join('\n');
}

export function ipMrouteCount(router: Router): string {
  const entries = router.pim.mroutes.list();
  const groups = [...new Set(entries.map((e) => e.group))];
  const sources = entries.filter((e) => e.source !== 0).length;
  const out = [
    'Use "show ip mfib count" to get better response time for a large number of mroutes.',
    '',
    'IP Multicast Statistics',
    `${entries.length} routes using ${entries.length * 412} bytes of memory`,
    `${groups.length} groups, ${(groups.length === 0 ? 0 : sources / groups.length).toFixed(2)} average sources per group`,
    'Forwarding Counts: Pkt Count/Pkts per second/Avg Pkt Size/Kilobits per second',
    'Other counts: Total/RPF failed/Other drops(OIF-null, rate-limit etc)',
    '',
  ];
  for (const g of groups) {
    const star = router.pim.mroutes.get(0, g);
    const srcs = router.pim.mroutes.sourcesOf(g);
    const fwd = srcs.reduce((n, s) => n + s.packets, star?.packets ?? 0);
    const failed = srcs.reduce((n, s) => n + s.rpfFailures, star?.rpfFailures ?? 0);
    out.push(`Group: ${formatIpv4(g)}, Source count: ${srcs.length}, Packets forwarded: ${fwd}, Packets received: ${fwd + failed}`);
    if (star !== undefined) out.push(`  RP-tree: Forwarding: ${star.packets}/0/0/0, Other: ${star.packets + star.rpfFailures}/${star.rpfFailures}/0`);
    for (const s of srcs) out.push(`  Source: ${formatIpv4(s.source)}/32, Forwarding: ${s.packets}/0/0/0, Other: ${s.packets + s.rpfFailures}/${s.rpfFailures}/0`);
    out.push('');
  }
  return out.join('\n');
}

export function ipPimNeighbor(router: Router): string {
  const now = router.net.now;
  const out = [
    'PIM Neighbor Table',
    'Mode: B - Bidir Capable, DR - Designated Router, N - Default DR Priority,',
    '      P - Proxy Capable, S - State Refresh Capable, G - GenID Capable,',
    '      L - DR Load-balancing Capable',
    'Neighbor          Interface                Uptime/Expires    Ver   DR',
    'Address                                                            Prio/Mode',
  ];
  for (const n of router.pim.neighborList()) {
    const dr = router.pim.drOf(n.ifc) === n.address ? 'DR ' : '';
    const times = `${iosDuration(now - n.since)}/${iosDuration(n.expires - now)}`;
    out.push(`${formatIpv4(n.address).padEnd(18)}${ifName(router, n.ifc).padEnd(25)}${times.padEnd(18)}v2    ${n.drPriority} / ${dr}S P G`);
  }
  return out.join('\n') + '\n';
}

export function ipPimRpMapping(router: Router): string {
  const rp = router.pim.rpAddress;
  const out = ['PIM Group-to-RP Mappings', ''];
  if (rp !== null) out.push('Group(s): 224.0.0.0/4, Static', `    RP: ${formatIpv4(rp)} (?)`);
  return out.join('\n') + '\n';
}

export function ipRpf(router: Router, addr: number): string {
  const r = router.pim.rpf(addr);
  const route = r.route;
  if (route === null) return `RPF information for ? (${formatIpv4(addr)}) failed, no route exists\n`;
  const lines = [`RPF information for ? (${formatIpv4(addr)})`];
  if (r.failure === 'local') {
    const lo = router.state.config.ordered().find((c) => c.address?.ip === addr);
    lines.push(`  RPF interface: ${lo?.name ?? 'Null'}`, '  RPF neighbor: ? (0.0.0.0) - directly connected');
  } else {
    const via = route.origin === 'connected' ? route.iface : (router.routes.lookup(route.nextHop)?.iface ?? -1);
    lines.push(`  RPF interface: ${ifName(router, via)}`);
    lines.push(route.origin === 'connected' ? `  RPF neighbor: ? (${formatIpv4(addr)}) - directly connected` : `  RPF neighbor: ? (${formatIpv4(route.nextHop)})`);
  }
  lines.push(
    `  RPF route/mask: ${formatIpv4((route.prefix & prefixMask(route.length)) >>> 0)}/${route.length}`,
    `  RPF type: unicast (${route.origin === 'static' ? 'static' : 'connected'})`,
    '  Doing distance-preferred lookups across tables',
    '  RPF topology: ipv4 multicast base, originated from ipv4 unicast base',
  );
  return lines.join('\n') + '\n';
}

export function ipIgmpGroups(router: Router): string {
  const now = router.net.now;
  const out = ['IGMP Connected Group Membership', 'Group Address    Interface                Uptime    Expires   Last Reporter   Group Accounted'];
  const rows = router.pim.igmp.groups().sort((a, b) => (a.state.group >>> 0) - (b.state.group >>> 0) || a.ifc.index - b.ifc.index);
  for (const { ifc, state } of rows) {
    out.push(`${formatIpv4(state.group).padEnd(17)}${ifc.name.padEnd(25)}${iosDuration(now - state.since).padEnd(10)}${iosDuration(state.expires - now).padEnd(10)}${formatIpv4(state.lastReporter)}`);
  }
  return out.join('\n') + '\n';
}

function peerState(p: MsdpPeer): string {
  switch (p.state) {
    case 'established':
      return 'Up';
    case 'listen':
      return 'Listen';
    case 'connecting':
      return 'Connect';
    default:
      return 'Down';
  }
}

export function ipMsdpPeer(router: Router, only: number | null): string {
  const now = router.net.now;
  const out: string[] = [];
  for (const p of router.msdp.peers.values()) {
    if (only !== null && p.address !== only) continue;
    const src = p.connectSource === null ? 'none' : `${p.connectSource} (${formatIpv4(router.msdp.localAddressFor(p))})`;
    out.push(
      `MSDP Peer ${formatIpv4(p.address)} (?), AS ?`,
      '  Connection status:',
      `    State: ${peerState(p)}, Resets: ${p.resets}, Connection source: ${src}`,
      `    Uptime(Downtime): ${iosDuration(now - p.since)}, Messages sent/received: ${p.sent}/${p.received}`,
      '    Output messages discarded: 0',
      `    Connection and counters cleared ${iosDuration(now)} ago`,
      '  SA Filtering:',
      '    Input (S,G) filter: none, route-map: none',
      '    Input RP filter: none, route-map: none',
      '    Output (S,G) filter: none, route-map: none',
      '    Output RP filter: none, route-map: none',
      '  SA-Requests: ',
      '    Input filter: none',
      '  Peer ttl threshold: 0',
      `  SAs learned from this peer: ${router.msdp.sasFrom(p.address)}`,
      `  Number of connection transitions to Established state: ${p.establishedCount}`,
      '    Input queue size: 0, Output queue size: 0',
      '  MD5 signature protection on MSDP TCP connection: not enabled',
    );
  }
  return out.length === 0 ? '' : out.join('\n') + '\n';
}

export function ipMsdpSummary(router: Router): string {
  const now = router.net.now;
  const out = ['MSDP Peer Status Summary', 'Peer Address     AS    State    Uptime/  Reset SA    Peer Name', '                                Downtime Count Count'];
  for (const p of router.msdp.peers.values()) {
    out.push(`${formatIpv4(p.address).padEnd(17)}${'?'.padEnd(6)}${peerState(p).padEnd(9)}${iosDuration(now - p.since).padEnd(9)}${String(p.resets).padEnd(6)}${String(router.msdp.sasFrom(p.address)).padEnd(6)}?`);
  }
  return out.join('\n') + '\n';
}

export function ipMsdpSaCache(router: Router): string {
  const now = router.net.now;
  const entries = [...router.msdp.saCache.values()].sort((a, b) => (a.group >>> 0) - (b.group >>> 0) || (a.source >>> 0) - (b.source >>> 0));
  const out = [`MSDP Source-Active Cache - ${entries.length} entries`];
  for (const e of entries) {
    out.push(`(${formatIpv4(e.source)}, ${formatIpv4(e.group)}), RP ${formatIpv4(e.rp)}, AS ?,${iosDuration(now - e.since)}/${iosDuration(e.expires - now)}, Peer ${formatIpv4(e.peer)}`);
  }
  return out.join('\n') + '\n';
}
