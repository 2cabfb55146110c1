/**
 * NX-OS `show` output of the Nexus 5548, in the column layouts NX-OS 5.x prints. Everything is
 * read from the running switch (LACP member states, MAC table, vPC and FEX state) and its
 * configuration.
 */
import { formatDottedMac, formatIpv4 } from '../../cli/params.ts';
import { formatVlanList } from '../../l2/bridge-port.ts';
import type { MacTableFilter } from '../cisco-common/mac-address-table.ts';
import { FEATURES } from './config.ts';
import type { NexusSwitch } from './device.ts';
import { nxShort, NXOS_VERSION } from './info.ts';
import { vpcSystemMac } from './vpc.ts';

const pad = (s: string | number, n: number): string => String(s).padEnd(n);
/** The switch plane names channels `Port-channelN`; NX-OS says `port-channelN`. */
const nxName = (l2: string): string => l2.replace(/^Port-channel/, 'port-channel');
/** NX-OS prints MACs as 0023.04ee.be0a; colons for the LACP-style system IDs. */
const colonMac = (mac: number): string => mac.toString(16).padStart(12, '0').match(/../g)!.join(':');

export function version(sw: NexusSwitch): string {
  return [
    'Cisco Nexus Operating System (NX-OS) Software',
    'Software',
    `  system:    version ${NXOS_VERSION}`,
    `  system image file is:    bootflash:///n5000-uk9.${NXOS_VERSION.replace(/[()]/g, '.').replace(/\.$/, '')}.bin`,
    'Hardware',
    '  cisco Nexus5548 Chassis ("O2 32X10GE/Modular Universal Platform Supervisor")',
    '',
    `  Device name: ${sw.config.hostname}`,
    '',
  ].join('\n');
}

export function features(sw: NexusSwitch): string {
  const out = ['Feature Name          Instance  State', '--------------------  --------  --------'];
  for (const f of [...FEATURES].sort()) out.push(`${pad(f, 22)}1         ${sw.config.features.has(f) ? 'enabled' : 'disabled'}`);
  return out.join('\n') + '\n';
}

function activeVlans(sw: NexusSwitch, l2Name: string): string {
  const bp = sw.bridgePortOf(l2Name);
  if (!bp.forwarding) return '-';
  const existing = sw.vlans().map((v) => v.id);
  const carried = existing.filter((v) => bp.carries(v));
  return carried.length === 0 ? '-' : formatVlanList(carried);
}

function keepaliveStatus(sw: NexusSwitch): string {
  const d = sw.config.vpcDomain;
  if (!d?.keepalive) return 'Disabled';
  return sw.keepaliveAlive() ? 'peer is alive' : 'peer is not reachable through peer-keepalive';
}

export function vpc(sw: NexusSwitch): string {
  const cfg = sw.config;
  if (!cfg.features.has('vpc')) return "% Invalid command at '^' marker.\n";
  const d = cfg.vpcDomain;
  if (!d) return 'vPC domain not configured\n';
  const peer = sw.vpcPeer;
  const plId = cfg.peerLinkChannel();
  const peerStatus = plId === null ? 'peer link not configured' : peer !== null ? 'peer adjacency formed ok' : 'peer link is down';
  const table = sw.vpcTable();
  const allConsistent = table.every((v) => v.consistency !== 'failed');
  const out = [
    'Legend:',
    '                (*) - local vPC is down, forwarding via vPC peer-link',
    '',
    `vPC domain id                   : ${d.id}`,
    `Peer status                     : ${peerStatus}`,
    `vPC keep-alive status           : ${keepaliveStatus(sw)}`,
    `Configuration consistency status: ${peer !== null ? 'success' : 'failed'}`,
    `Per-vlan consistency status     : ${peer !== null ? 'success' : 'failed'}`,
    `Type-2 consistency status       : ${peer !== null ? (allConsistent ? 'success' : 'failed') : 'failed'}`,
    `vPC role                        : ${sw.role === 'none' ? 'none established' : sw.suspendedAll ? 'secondary, vPCs suspended' : sw.role}`,
    `Number of vPCs configured       : ${table.length}`,
    `Peer Gateway                    : ${d.peerGateway ? 'Enabled' : 'Disabled'}`,
    'Dual-active excluded VLANs      : -',
    'Graceful Consistency Check      : Enabled',
    '',
  ];
  if (plId !== null) {
    const l2 = `Port-channel${plId}`;
    out.push(
      'vPC Peer-link status',
      '---------------------------------------------------------------------',
      'id   Port   Status Active vlans',
      '--   ----   ------ --------------------------------------------------',
      `1    ${pad(`Po${plId}`, 6)} ${pad(sw.bridgePortOf(l2).forwarding ? 'up' : 'down', 6)} ${activeVlans(sw, l2)}`,
      '',
    );
  }
  if (table.length > 0) {
    out.push(
      'vPC status',
      '----------------------------------------------------------------------------',
      'id     Port        Status Consistency Reason                     Active vlans',
      '------ ----------- ------ ----------- -------------------------- -----------',
    );
    for (const v of table) {
      const l2 = `Port-channel${v.channel}`;
      const viaPeer = !v.up && peer !== null && peer.vpcUp(v.vpc);
      out.push(`${pad(v.vpc, 6)} ${pad(`Po${v.channel}`, 11)} ${pad(v.up ? 'up' : viaPeer ? 'down*' : 'down', 6)} ${pad(v.consistency, 11)} ${pad(v.reason, 26)} ${v.up ? activeVlans(sw, l2) : '-'}`);
    }
  }
  return out.join('\n') + '\n';
}

export function vpcRole(sw: NexusSwitch): string {
  const d = sw.config.vpcDomain;
  if (!d || !sw.config.features.has('vpc')) return 'vPC domain not configured\n';
  const peer = sw.vpcPeer;
  return [
    '',
    'Primary/Secondary',
    '',
    `vPC Role status`,
    '----------------------------------------------------',
    `vPC role                        : ${sw.role === 'none' ? 'none established' : sw.role}`,
    `Dual Active Detection Status    : 0`,
    `vPC system-mac                  : ${colonMac(vpcSystemMac(d.id))}`,
    `vPC system-priority             : ${d.systemPriority}`,
    `vPC local system-mac            : ${colonMac(sw.systemMac)}`,
    `vPC local role-priority         : ${d.rolePriority}`,
    ...(peer !== null ? [`vPC peer system-mac             : ${colonMac(peer.systemMac)}`, `vPC peer role-priority          : ${peer.config.vpcDomain?.rolePriority ?? '-'}`] : []),
    '',
  ].join('\n');
}

export function vpcKeepalive(sw: NexusSwitch): string {
  const d = sw.config.vpcDomain;
  if (!d?.keepalive) return '\nvPC keep-alive status           : Disabled\n';
  const k = d.keepalive;
  return [
    '',
    `vPC keep-alive status           : ${keepaliveStatus(sw)}`,
    '',
    '--Peer is alive for             : -',
    '--Send status                   : Success',
    '--Receive status                : ' + (sw.keepaliveAlive() ? 'Success' : 'Failed'),
    '',
    'vPC Keep-alive parameters',
    `--Destination                   : ${formatIpv4(k.destination)}`,
    '--Keepalive interval            : 1000 msec',
    '--Keepalive timeout             : 5 seconds',
    '--Keepalive hold timeout        : 3 seconds',
    `--Keepalive vrf                 : ${k.vrf}`,
    '--Keepalive udp port            : 3200',
    '--Keepalive tos                 : 192',
    '',
  ].join('\n');
}

export function portChannelSummary(sw: NexusSwitch): string {
  const out = [
    'Flags:  D - Down        P - Up in port-channel (members)',
    '        I - Individual  H - Hot-standby (LACP only)',
    '        s - Suspended   r - Module-removed',
    '        S - Switched    R - Routed',
    '        U - Up (port-channel)',
    '        M - Not in use. Min-links not met',
    '--------------------------------------------------------------------------------',
    'Group Port-       Type     Protocol  Member Ports',
    '      Channel',
    '--------------------------------------------------------------------------------',
  ];
  for (const ch of sw.portChannels()) {
    if (ch.members.length === 0 && !sw.config.interfaces.has(nxName(ch.name))) continue;
    const flag = ch.up ? 'SU' : 'SD';
    const proto = ch.protocol === 'lacp' ? 'LACP' : 'NONE';
    // A member with carrier that is not bundled is held out of the channel: NX-OS shows it suspended.
    const members = ch.members.map((m) => `${nxShort(m.port)}(${m.state === 'bundled' ? 'P' : m.state === 'down' ? 'D' : 's'})`);
    const rows: string[] = [];
    for (let i = 0; i < Math.max(1, members.length); i += 3) rows.push(members.slice(i, i + 3).map((m) => pad(m, 13)).join('').trimEnd());
    out.push(`${pad(ch.id, 6)}${pad(`Po${ch.id}(${flag})`, 12)}${pad('Eth', 9)}${pad(proto, 10)}${rows[0] ?? ''}`);
    for (const r of rows.slice(1)) out.push(`${' '.repeat(37)}${r}`);
  }
  return out.join('\n') + '\n';
}

export function fex(sw: NexusSwitch): string {
  if (!sw.config.features.has('fex')) return "% Invalid command at '^' marker.\n";
  const out = [
    '  FEX         FEX           FEX                       FEX               ',
    'Number    Description      State            Model            Serial     ',
    '------------------------------------------------------------------------',
  ];
  for (const [n, f] of [...sw.config.fexes.entries()].sort((a, b) => a[0] - b[0])) {
    const online = sw.fexOnline(n);
    const cabled = sw.fabricPorts(n).some((p) => p.up && p.fex !== null);
    const state = online ? 'Online' : cabled ? 'Discovered' : 'Offline';
    const desc = f.description ?? `FEX${String(n).padStart(4, '0')}`;
    out.push(`${pad(n, 10)}${pad(desc, 17)}${pad(state, 17)}${pad(online || cabled ? 'N2K-C2248TP-1GE' : '', 17)}${online || cabled ? `SSI${String(1428 + n).padStart(4, '0')}0${n}` : ''}`.trimEnd());
  }
  return out.join('\n') + '\n';
}

function speedLabel(bps: number): string {
  return bps >= 10e9 ? '10G' : bps >= 1e9 ? '1000' : '100';
}

export function interfaceBrief(sw: NexusSwitch): string {
  const cfg = sw.config;
  const out = [
    '',
    '--------------------------------------------------------------------------------',
    'Ethernet      VLAN   Type Mode   Status  Reason                   Speed     Port',
    'Interface                                                                    Ch #',
    '--------------------------------------------------------------------------------',
  ];
  for (const name of cfg.physical) {
    if (name === 'mgmt0') continue;
    const c = cfg.interfaces.get(name)!;
    const port = sw.portByName(name)!;
    const po = c.channelGroup ? cfg.iface(`port-channel${c.channelGroup.id}`) : null;
    const eff = po ?? c;
    const held = sw.heldReason(name);
    const member = c.channelGroup ? sw.portChannels().find((ch) => ch.id === c.channelGroup!.id)?.members.find((m) => m.port === name) : undefined;
    let status: string;
    let reason: string;
    if (c.shutdown || po?.shutdown) [status, reason] = ['down', 'Administratively down'];
    else if (held !== null) [status, reason] = [held === 'Fex not online' ? 'down' : 'suspnd', held];
    else if (!port.operUp) [status, reason] = ['down', 'Link not connected'];
    else if (member && member.state !== 'bundled') [status, reason] = ['suspnd', 'LACP not in sync'];
    else [status, reason] = ['up', 'none'];
    const mode = eff.mode === 'fex-fabric' ? 'fabric' : eff.mode;
    const vlan = eff.mode === 'trunk' ? String(eff.nativeVlan) : eff.mode === 'fex-fabric' ? '1' : String(eff.accessVlan);
    const speed = `${speedLabel(port.speedBps)}(D)`;
    out.push(`${pad(nxShort(name), 14)}${pad(vlan, 7)}eth  ${pad(mode, 7)}${pad(status, 8)}${pad(reason, 25)}${pad(speed, 10)}${c.channelGroup ? c.channelGroup.id : '--'}`);
  }
  const pcs = sw.portChannels();
  if (pcs.length > 0) {
    out.push(
      '',
      '--------------------------------------------------------------------------------',
      'Port-channel VLAN  Type Mode   Status  Reason                    Speed   Protocol',
      'Interface',
      '--------------------------------------------------------------------------------',
    );
    for (const ch of pcs) {
      const c = cfg.iface(nxName(ch.name));
      const speed = ch.members[0] ? `a-${speedLabel(sw.portByName(ch.members[0].port)!.speedBps)}(S)` : 'auto(I)';
      const reason = ch.up ? 'none' : 'No operational members';
      out.push(`${pad(`Po${ch.id}`, 13)}${pad(c.mode === 'trunk' ? c.nativeVlan : c.accessVlan, 6)}eth  ${pad(c.mode, 7)}${pad(ch.up ? 'up' : 'down', 8)}${pad(reason, 26)}${pad(speed, 8)}${ch.protocol === 'lacp' ? 'lacp' : 'none'}`);
    }
  }
  const m = cfg.iface('mgmt0');
  out.push(
    '',
    '--------------------------------------------------------------------------------',
    'Port   VRF          Status IP Address                              Speed    MTU',
    '--------------------------------------------------------------------------------',
    `mgmt0  --           ${pad(sw.mgmt.operUp ? 'up' : 'down', 7)}${pad(m.ip ? formatIpv4(m.ip.addr) : '--', 40)}${pad('1000', 9)}1500`,
    '',
  );
  return out.join('\n');
}

export function vlanBrief(sw: NexusSwitch): string {
  const out = [
    '',
    'VLAN Name                             Status    Ports',
    '---- -------------------------------- --------- -------------------------------',
  ];
  for (const v of sw.vlans()) {
    const ports = v.ports.filter((p) => {
      const c = sw.config.interfaces.get(nxName(p));
      return c !== undefined && c.mode === 'access';
    }).map((p) => nxShort(nxName(p)));
    const lines: string[] = [];
    for (let i = 0; i < Math.max(1, ports.length); i += 4) lines.push(ports.slice(i, i + 4).join(', '));
    out.push(`${pad(v.id, 5)}${pad(v.name, 33)}${pad('active', 10)}${lines[0] ?? ''}`);
    for (const l of lines.slice(1)) out.push(`${' '.repeat(48)}${l}`);
  }
  return out.join('\n') + '\n';
}

export function macTable(sw: NexusSwitch, f: MacTableFilter): string {
  const peerLink = sw.config.peerLinkChannel();
  const plName = peerLink !== null ? `Port-channel${peerLink}` : null;
  const wantPort = f.port?.toLowerCase();
  const rows = sw.macTable({ vlan: f.vlan }).filter((e) => {
    if (f.type !== null && e.type !== f.type) return false;
    if (f.mac !== undefined && e.mac !== f.mac) return false;
    if (wantPort !== undefined && !e.ports.some((p) => nxName(p).toLowerCase() === wantPort)) return false;
    return true;
  });
  const out = [
    'Legend: ',
    '        * - primary entry, G - Gateway MAC, (R) - Routed MAC, O - Overlay MAC',
    '        age - seconds since last seen,+ - primary entry using vPC Peer-Link',
    '   VLAN     MAC Address      Type      age     Secure NTFY   Ports',
    '---------+-----------------+--------+---------+------+----+------------------',
  ];
  for (const e of rows) {
    const mark = plName !== null && e.ports.includes(plName) ? '+' : '*';
    const age = e.ageSeconds === null ? '-' : String(e.ageSeconds);
    out.push(`${mark} ${pad(e.vlan, 8)} ${pad(formatDottedMac(e.mac), 17)} ${pad(e.type, 9)} ${pad(age, 9)}  F    F  ${e.ports.map((p) => nxShort(nxName(p))).join(',')}`);
  }
  return out.join('\n') + '\n';
}
