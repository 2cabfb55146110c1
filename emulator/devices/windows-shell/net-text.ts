/** What ipconfig, arp -a and netsh print on Windows (Server 2012 R2 and its client releases), from the IP stack's state. */
import { suffixesOf, type DnsResolver } from '../../l3/dns-resolver.ts';
import { canonicalName } from '../../wire/dns.ts';
import { formatIpv4, prefixMask } from '../../core/ipv4.ts';
import { formatMac } from '../../core/mac.ts';
import type { IfAddress, IpHost, IpInterface } from '../../l3/ip-host.ts';

/** A Windows machine as its command-line tools see it: the IP stack and how Windows names its adapters. */
export interface WindowsMachine {
  readonly stack: IpHost;
  hostname(): string;
  /** The connection name (`Ethernet`, `Ethernet 2`). */
  adapterName(ifc: IpInterface): string;
  /** The driver's description (`Broadcom NetXtreme Gigabit Ethernet`). */
  adapterDescription(ifc: IpInterface): string;
  /** The DNS client, for name lookups and ipconfig's DNS options; absent: names never resolve. */
  readonly dns?: DnsResolver;
}

/** `Label . . . . : value`: dots on odd columns up to column 35, the colon on column 37. */
function row(label: string, value: string): string {
  let s = `   ${label}`;
  // Two labels keep two spaces before their dots.
  if (label === 'Connection-specific DNS Suffix' || label === 'Primary Dns Suffix') s += '  .';
  while (s.length < 36) s += s.length % 2 === 1 ? '.' : ' ';
  return `${s} : ${value}`;
}

/** A row whose further values stand alone on the next lines, under the first one. */
function listRows(label: string, values: readonly string[]): string[] {
  return values.map((v, i) => (i === 0 ? row(label, v) : `${' '.repeat(39)}${v}`));
}

function gatewayFor(host: IpHost, ifc: IpInterface): string {
  const def = host.routeList().find((r) => r.length === 0 && r.origin === 'static');
  if (def === undefined) return '';
  for (const a of ifc.addrs) if (((a.ip ^ def.nextHop) & prefixMask(a.prefix)) === 0) return formatIpv4(def.nextHop);
  return '';
}

function addrSuffix(a: IfAddress): string {
  return a.state === 'preferred' ? '(Preferred) ' : a.state === 'duplicate' ? '(Duplicate)' : '(Tentative)';
}

export function ipconfigText(m: WindowsMachine, all: boolean): string {
  const host = m.stack;
  const out: string[] = ['', 'Windows IP Configuration', ''];
  const cfg = m.dns?.config;
  if (all) {
    out.push(row('Host Name', m.hostname()), row('Primary Dns Suffix', canonicalName(cfg?.primarySuffix ?? '')), row('Node Type', 'Hybrid'), row('IP Routing Enabled', 'No'), row('WINS Proxy Enabled', 'No'));
    // The list the resolver actually tries (search list, or suffixes with devolution); no line when empty.
    const search = cfg !== undefined ? suffixesOf(cfg) : [];
    if (search.length > 0) out.push(...listRows('DNS Suffix Search List', search));
    out.push('');
  } else out.push('');
  for (const ifc of host.interfaces) {
    out.push(`Ethernet adapter ${m.adapterName(ifc)}:`, '');
    // The DNS client settings describe the first adapter's connection.
    const first = ifc.index === 0 && cfg !== undefined;
    const connectionSuffix = first ? canonicalName(cfg.connectionSuffix) : '';
    if (!ifc.port.operUp) {
      out.push(row('Media State', 'Media disconnected'), row('Connection-specific DNS Suffix', connectionSuffix));
      if (all) out.push(row('Description', m.adapterDescription(ifc)), row('Physical Address', formatMac(ifc.mac, '-').toUpperCase()), row('DHCP Enabled', 'No'), row('Autoconfiguration Enabled', 'Yes'));
      out.push('');
      continue;
    }
    out.push(row('Connection-specific DNS Suffix', connectionSuffix));
    if (all) out.push(row('Description', m.adapterDescription(ifc)), row('Physical Address', formatMac(ifc.mac, '-').toUpperCase()), row('DHCP Enabled', 'No'), row('Autoconfiguration Enabled', 'Yes'));
    for (const a of ifc.addrs) {
      // ipconfig without /all lists only usable addresses.
      if (!all && a.state !== 'preferred') continue;
      out.push(row('IPv4 Address', `${formatIpv4(a.ip)}${all ? addrSuffix(a).trimEnd() : ''}`), row('Subnet Mask', formatIpv4(prefixMask(a.prefix))));
    }
    out.push(row('Default Gateway', gatewayFor(host, ifc)));
    if (all && first && cfg.servers.length > 0) out.push(...listRows('DNS Servers', cfg.servers.map(formatIpv4)));
    if (all) out.push(row('NetBIOS over Tcpip', 'Enabled'));
    out.push('');
  }
  return out.join('\n');
}

/** How Windows numbers several adapters of one driver: the first bare, the others `#2`, `#3` … */
export function numberedDescription(base: string, ifc: IpInterface): string {
  return ifc.index === 0 ? base : `${base} #${ifc.index + 1}`;
}

/** Windows interface indexes as `arp -a` prints them (0xc, 0xd …): stable per adapter. */
function ifIndex(ifc: IpInterface): number {
  return 12 + ifc.index;
}

export function arpText(m: WindowsMachine): string {
  const host = m.stack;
  const out: string[] = [];
  const now = host.net.now;
  for (const ifc of host.interfaces) {
    const primary = ifc.addrs.find((a) => a.state === 'preferred');
    if (primary === undefined || !ifc.port.operUp) continue;
    out.push('', `Interface: ${formatIpv4(primary.ip)} --- 0x${ifIndex(ifc).toString(16)}`, '  Internet Address      Physical Address      Type');
    const rows: { ip: number; mac: string; type: string }[] = [];
    for (const e of ifc.arp.view(now)) {
      if (e.type === 'incomplete') continue;
      rows.push({ ip: e.ip, mac: formatMac(e.mac ?? 0, '-'), type: e.type });
    }
    if (primary.prefix < 31) rows.push({ ip: (primary.ip | ~prefixMask(primary.prefix)) >>> 0, mac: 'ff-ff-ff-ff-ff-ff', type: 'static' });
    rows.push({ ip: 0xe0000016, mac: '01-00-5e-00-00-16', type: 'static' });
    rows.push({ ip: 0xffffffff, mac: 'ff-ff-ff-ff-ff-ff', type: 'static' });
    for (const r of rows) out.push(`  ${formatIpv4(r.ip).padEnd(22)}${r.mac.padEnd(22)}${r.type}`);
  }
  if (out.length === 0) return 'No ARP Entries Found.\n';
  return out.join('\n') + '\n';
}

export function netshInterfacesText(m: WindowsMachine): string {
  const host = m.stack;
  const out = [
    '',
    'Idx     Met         MTU          State                Name',
    '---  ----------  ----------  ------------  ---------------------------',
    `${'1'.padStart(3)}  ${'50'.padStart(10)}  ${'4294967295'.padStart(10)}  ${'connected'.padEnd(12)}  Loopback Pseudo-Interface 1`,
  ];
  for (const ifc of host.interfaces) {
    const state = ifc.port.operUp ? 'connected' : 'disconnected';
    out.push(`${String(ifIndex(ifc)).padStart(3)}  ${'5'.padStart(10)}  ${'1500'.padStart(10)}  ${state.padEnd(12)}  ${m.adapterName(ifc)}`);
  }
  return out.join('\n') + '\n';
}
