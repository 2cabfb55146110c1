/** What ipconfig, arp -a and netsh print on Windows Server 2012 R2, from the IP stack's state. */
import { formatIpv4, prefixMask } from '../../core/ipv4.ts';
import { formatMac } from '../../core/mac.ts';
import type { IfAddress, IpInterface } from '../../l3/ip-host.ts';
import { windowsAdapterName } from './adapters.ts';
import type { WindowsServer } from './device.ts';

/** `Label . . . . : value`: dots on odd columns up to column 35, the colon on column 37. */
function row(label: string, value: string): string {
  let s = `   ${label}`;
  // Two labels keep two spaces before their dots.
  if (label === 'Connection-specific DNS Suffix' || label === 'Primary Dns Suffix') s += '  .';
  while (s.length < 36) s += s.length % 2 === 1 ? '.' : ' ';
  return `${s} : ${value}`;
}

function adapterName(ifc: IpInterface): string {
  return windowsAdapterName(ifc.name);
}

function gatewayFor(host: WindowsServer, ifc: IpInterface): string {
  const def = host.routeList().find((r) => r.length === 0 && r.origin === 'static');
  if (def === undefined) return '';
  for (const a of ifc.addrs) if (((a.ip ^ def.nextHop) & prefixMask(a.prefix)) === 0) return formatIpv4(def.nextHop);
  return '';
}

function addrSuffix(a: IfAddress): string {
  return a.state === 'preferred' ? '(Preferred) ' : a.state === 'duplicate' ? '(Duplicate)' : '(Tentative)';
}

export function ipconfigText(host: WindowsServer, all: boolean): string {
  const out: string[] = ['', 'Windows IP Configuration', ''];
  if (all) {
    out.push(row('Host Name', host.hostname), row('Primary Dns Suffix', ''), row('Node Type', 'Hybrid'), row('IP Routing Enabled', 'No'), row('WINS Proxy Enabled', 'No'), '');
  } else out.push('');
  for (const ifc of host.interfaces) {
    out.push(`Ethernet adapter ${adapterName(ifc)}:`, '');
    if (!ifc.port.operUp) {
      out.push(row('Media State', 'Media disconnected'), row('Connection-specific DNS Suffix', ''));
      if (all) out.push(row('Description', description(host, ifc)), row('Physical Address', formatMac(ifc.mac, '-').toUpperCase()), row('DHCP Enabled', 'No'), row('Autoconfiguration Enabled', 'Yes'));
      out.push('');
      continue;
    }
    out.push(row('Connection-specific DNS Suffix', ''));
    if (all) out.push(row('Description', description(host, ifc)), row('Physical Address', formatMac(ifc.mac, '-').toUpperCase()), row('DHCP Enabled', 'No'), row('Autoconfiguration Enabled', 'Yes'));
    for (const a of ifc.addrs) {
      // ipconfig without /all lists only usable addresses.
      if (!all && a.state !== 'preferred') continue;
      out.push(row('IPv4 Address', `${formatIpv4(a.ip)}${all ? addrSuffix(a).trimEnd() : ''}`), row('Subnet Mask', formatIpv4(prefixMask(a.prefix))));
    }
    out.push(row('Default Gateway', gatewayFor(host, ifc)));
    if (all) out.push(row('NetBIOS over Tcpip', 'Enabled'));
    out.push('');
  }
  return out.join('\n');
}

function description(host: WindowsServer, ifc: IpInterface): string {
  if (host.vm !== null) return ifc.index === 0 ? 'Microsoft Hyper-V Network Adapter' : `Microsoft Hyper-V Network Adapter #${ifc.index + 1}`;
  return ifc.index === 0 ? 'Broadcom NetXtreme Gigabit Ethernet' : `Broadcom NetXtreme Gigabit Ethernet #${ifc.index + 1}`;
}

/** Windows interface indexes as `arp -a` prints them (0xc, 0xd …): stable per adapter. */
function ifIndex(ifc: IpInterface): number {
  return 12 + ifc.index;
}

export function arpText(host: WindowsServer): string {
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

export function netshInterfacesText(host: WindowsServer): string {
  const out = [
    '',
    'Idx     Met         MTU          State                Name',
    '---  ----------  ----------  ------------  ---------------------------',
    `${'1'.padStart(3)}  ${'50'.padStart(10)}  ${'4294967295'.padStart(10)}  ${'connected'.padEnd(12)}  Loopback Pseudo-Interface 1`,
  ];
  for (const ifc of host.interfaces) {
    const state = ifc.port.operUp ? 'connected' : 'disconnected';
    out.push(`${String(ifIndex(ifc)).padStart(3)}  ${'5'.padStart(10)}  ${'1500'.padStart(10)}  ${state.padEnd(12)}  ${adapterName(ifc)}`);
  }
  return out.join('\n') + '\n';
}
