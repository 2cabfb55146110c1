/**
 * `show` output in the shapes Catalyst IOS prints, rendered from the running configuration and
 * the plane's read views (MAC table, port counters and carrier, LACP member state).
 */
import { formatDottedMac, formatIdList, formatIpv4 } from '../../cli/params.ts';
import { sumCounters } from '../../l2/switch.ts';
import type { MacTableFilter } from '../cisco-common/mac-address-table.ts';
import { naturalCompare, RESERVED_VLANS, type InterfaceConfig } from './config.ts';
import type { CatalystState } from './grammar.ts';
import { shortName } from './info.ts';
import type { PortCounters } from './plane.ts';

const SECOND = 1_000_000_000;

function physicalNames(st: CatalystState): readonly string[] {
  return st.config.physical;
}

function isUp(st: CatalystState, name: string): boolean {
  if (name.startsWith('Port-channel')) {
    const id = Number(name.slice('Port-channel'.length));
    return st.config.members(id).some((m) => memberBundled(st, m));
  }
  return st.plane.port(name)?.operUp ?? false;
}

function memberBundled(st: CatalystState, m: InterfaceConfig): boolean {
  return !m.shutdown && (st.plane.port(m.name)?.operUp ?? false) && st.plane.lacpMember(m.name) === 'bundled';
}

/** `connected`, `notconnect`, `disabled`, `suspended` as in `show interfaces status`. */
function statusWord(st: CatalystState, c: InterfaceConfig): string {
  if (c.shutdown) return 'disabled';
  if (!isUp(st, c.name)) return 'notconnect';
  if (c.channelGroup && st.plane.lacpMember(c.name) === 'suspended') return 'suspended';
  return 'connected';
}

// --- clock and version ----------------------------------------------------------------------

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** An IOS switch without NTP boots believing it is 00:00 UTC on Monday 1 March 1993; `*` marks an unsynchronised clock. */
export function clock(nowNs: number): string {
  const totalMs = Math.floor(nowNs / 1_000_000);
  let days = Math.floor(totalMs / 86_400_000);
  const msOfDay = totalMs % 86_400_000;
  const dow = DAYS[days % 7]!;
  let year = 1993;
  let month = 2;
  for (;;) {
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    const len = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month]!;
    if (days < len) break;
    days -= len;
    month++;
    if (month === 12) {
      month = 0;
      year++;
    }
  }
  const hh = String(Math.floor(msOfDay / 3_600_000)).padStart(2, '0');
  const mm = String(Math.floor(msOfDay / 60_000) % 60).padStart(2, '0');
  const ss = String(Math.floor(msOfDay / 1000) % 60).padStart(2, '0');
  const ms = String(msOfDay % 1000).padStart(3, '0');
  return `*${hh}:${mm}:${ss}.${ms} UTC ${dow} ${MONTHS[month]} ${days + 1} ${year}`;
}

function uptime(nowNs: number): string {
  const mins = Math.floor(nowNs / (60 * SECOND));
  const d = Math.floor(mins / 1440);
  const h = Math.floor(mins / 60) % 24;
  const m = mins % 60;
  const parts: string[] = [];
  if (d > 0) parts.push(`${d} day${d === 1 ? '' : 's'}`);
  if (h > 0) parts.push(`${h} hour${h === 1 ? '' : 's'}`);
  parts.push(`${m} minute${m === 1 ? '' : 's'}`);
  return parts.join(', ');
}

/** Syslog timestamp of an unsynchronised clock: `*Mar  1 00:01:05.250`. */
export function syslogStamp(nowNs: number): string {
  const m = /^\*(\S+) UTC \S+ (\S+) (\d+) \d+$/.exec(clock(nowNs))!;
  return `*${m[2]} ${m[3]!.padStart(2)} ${m[1]}`;
}

export function version(st: CatalystState): string {
  const m = st.model;
  const ports = physicalNames(st);
  const gig = ports.filter((p) => p.startsWith('GigabitEthernet')).length;
  const ten = ports.filter((p) => p.startsWith('TenGigabitEthernet')).length;
  const lines = [
    `Cisco IOS Software, ${m.pid.includes('3750') ? 'C3750E' : 'C2960S'} Software (${m.iosImage}), Version ${m.iosVersion}, RELEASE SOFTWARE (fc2)`,
    'Technical Support: http://www.cisco.com/techsupport',
    'Copyright (c) 1986-2019 by Cisco Systems, Inc.',
    '',
    'ROM: Bootstrap program is C3750E boot loader'.replace('C3750E', m.pid.includes('3750') ? 'C3750E' : 'C2960S'),
    '',
    `${st.config.hostname} uptime is ${uptime(st.plane.now())}`,
    'System returned to ROM by power-on',
    `System image file is "flash:/${m.iosImage.toLowerCase()}.${m.iosVersion.replace(/[()]/g, '.').replace(/\.$/, '')}.bin"`,
    '',
    m.platform,
    'Last reset from power-on',
    '1 Virtual Ethernet interface',
    `${gig} Gigabit Ethernet interfaces`,
    ...(ten > 0 ? [`${ten} Ten Gigabit Ethernet interfaces`] : []),
    'The password-recovery mechanism is enabled.',
    '',
    '512K bytes of flash-simulated non-volatile configuration memory.',
    `Base ethernet MAC Address       : ${formatColonMac(st.plane.baseMac)}`,
    `Model number                    : ${m.pid}`,
    '',
    'Switch Ports Model              SW Version            SW Image',
    '------ ----- -----              ----------            ----------',
    `*    1 ${String(ports.length).padStart(2)}    ${m.pid.padEnd(18)} ${m.iosVersion.padEnd(21)} ${m.iosImage}`,
    '',
    '',
    'Configuration register is 0xF',
  ];
  return lines.join('\n') + '\n';
}

function formatColonMac(mac: number): string {
  const h = mac.toString(16).padStart(12, '0').toUpperCase();
  return [0, 2, 4, 6, 8, 10].map((i) => h.slice(i, i + 2)).join(':');
}

// --- VLANs -----------------------------------------------------------------------------------

/** Ports a VLAN lists in `show vlan brief`: access ports in that VLAN that are not bundled into a channel. */
export function vlanBrief(st: CatalystState): string {
  const out = ['', 'VLAN Name                             Status    Ports', '---- -------------------------------- --------- -------------------------------'];
  const members = new Map<number, string[]>();
  const names = [...physicalNames(st), ...st.config.portChannels().map((n) => `Port-channel${n}`)];
  for (const n of names) {
    const c = st.config.interfaces.get(n)!;
    if (c.mode === 'trunk' || c.channelGroup) continue;
    const list = members.get(c.accessVlan) ?? [];
    list.push(shortName(n));
    members.set(c.accessVlan, list);
  }
  const row = (id: number, name: string, status: string, ports: readonly string[]): void => {
    const chunks: string[] = [];
    for (let i = 0; i < ports.length; i += 4) chunks.push(ports.slice(i, i + 4).join(', '));
    const head = `${String(id).padEnd(4)} ${name.padEnd(32)} ${status.padEnd(9)} `;
    out.push((head + (chunks[0] ?? '')).trimEnd());
    for (const more of chunks.slice(1)) out.push(`${' '.repeat(head.length)}${more}`);
  };
  for (const [id, name] of [...st.config.vlans].sort((a, b) => a[0] - b[0])) row(id, name, 'active', members.get(id) ?? []);
  for (const r of RESERVED_VLANS) row(r.id, r.name, 'act/unsup', []);
  return out.join('\n') + '\n';
}

// --- interfaces ------------------------------------------------------------------------------

export function interfacesStatus(st: CatalystState): string {
  const out = ['', 'Port      Name               Status       Vlan       Duplex  Speed Type'];
  const names = [...physicalNames(st), ...st.config.portChannels().map((n) => `Port-channel${n}`)];
  for (const n of names) {
    const c = st.config.interfaces.get(n)!;
    const status = statusWord(st, c);
    const vlan = c.mode === 'trunk' ? 'trunk' : String(c.accessVlan);
    const up = status === 'connected' || status === 'suspended';
    const port = st.plane.port(n);
    const speed = !up ? 'auto' : port && port.speedBps >= 10e9 ? 'a-10G' : `a-${Math.round((port?.speedBps ?? 1e9) / 1e6)}`;
    const duplex = up ? 'a-full' : 'auto';
    const sfp = n.startsWith('TenGig') || (n.startsWith('Gig') && Number(n.split('/').pop()) > st.model.copperPorts);
    const type = n.startsWith('Port-channel') ? '' : !sfp ? st.model.copperType : !up ? 'Not Present' : n.startsWith('TenGig') ? 'SFP-10GBase-SR' : '1000BaseSX SFP';
    const name = (c.description ?? '').slice(0, 18);
    out.push(`${shortName(n).padEnd(9)} ${name.padEnd(18)} ${status.padEnd(12)} ${vlan.padEnd(10)} ${duplex.padStart(6)} ${speed.padStart(6)} ${type}`.trimEnd());
  }
  return out.join('\n') + '\n';
}

function countersOf(st: CatalystState, name: string): PortCounters {
  // A port-channel counts what its members carried.
  if (name.startsWith('Port-channel')) return sumCounters(st.config.members(Number(name.slice('Port-channel'.length))).map((m) => countersOf(st, m.name)));
  return st.plane.port(name)?.counters ?? sumCounters([]);
}

export function interfacesCounters(st: CatalystState, only: string | null): string {
  const names = only ? [only] : [...physicalNames(st), ...st.config.portChannels().map((n) => `Port-channel${n}`)];
  const table = (head: string[], pick: (c: PortCounters) => number[]): string[] => {
    const rows = [`${'Port'.padEnd(9)}${head.map((h) => h.padStart(15)).join('')}`];
    for (const n of names) rows.push(`${shortName(n).padEnd(9)}${pick(countersOf(st, n)).map((v) => String(v).padStart(15)).join('')}`);
    return rows;
  };
  return ['', ...table(['InOctets', 'InUcastPkts', 'InMcastPkts', 'InBcastPkts'], (c) => [c.inOctets, c.inUcast, c.inMcast, c.inBcast]), '',
    ...table(['OutOctets', 'OutUcastPkts', 'OutMcastPkts', 'OutBcastPkts'], (c) => [c.outOctets, c.outUcast, c.outMcast, c.outBcast])].join('\n') + '\n';
}

export function interfacesDescription(st: CatalystState): string {
  const out = ['Interface                      Status         Protocol Description'];
  const names = [...st.config.interfaces.keys()].sort(naturalCompare);
  for (const n of names) {
    const c = st.config.interfaces.get(n)!;
    const up = n.startsWith('Vlan') ? !c.shutdown : isUp(st, n) && !c.shutdown;
    const status = c.shutdown ? 'admin down' : up ? 'up' : 'down';
    out.push(`${shortName(n).padEnd(30)} ${status.padEnd(14)} ${(up ? 'up' : 'down').padEnd(8)} ${c.description ?? ''}`.trimEnd());
  }
  return out.join('\n') + '\n';
}

export function interfacesTrunk(st: CatalystState): string {
  const trunks = [...physicalNames(st), ...st.config.portChannels().map((n) => `Port-channel${n}`)]
    .map((n) => st.config.interfaces.get(n)!)
    .filter((c) => c.mode === 'trunk' && !c.channelGroup && isUp(st, c.name) && !c.shutdown);
  if (trunks.length === 0) return '';
  const allowed = (c: InterfaceConfig): number[] => (c.allowed === 'all' ? Array.from({ length: 4094 }, (_, k) => k + 1) : [...c.allowed]);
  const out = ['', 'Port        Mode             Encapsulation  Status        Native vlan'];
  for (const c of trunks) {
    out.push(`${shortName(c.name).padEnd(11)} ${'on'.padEnd(16)} ${(c.encapsulation === 'isl' ? 'isl' : '802.1q').padEnd(14)} ${'trunking'.padEnd(13)} ${c.nativeVlan}`);
  }
  out.push('', 'Port        Vlans allowed on trunk');
  for (const c of trunks) out.push(`${shortName(c.name).padEnd(11)} ${formatIdList(allowed(c))}`);
  out.push('', 'Port        Vlans allowed and active in management domain');
  for (const c of trunks) out.push(`${shortName(c.name).padEnd(11)} ${formatIdList(allowed(c).filter((v) => st.config.vlans.has(v))) || 'none'}`);
  out.push('', 'Port        Vlans in spanning tree forwarding state and not pruned');
  for (const c of trunks) out.push(`${shortName(c.name).padEnd(11)} ${formatIdList(allowed(c).filter((v) => st.config.vlans.has(v))) || 'none'}`);
  return out.join('\n') + '\n';
}

export function interfacesDetail(st: CatalystState, only: string | null): string {
  const names = only ? [only] : [...st.config.interfaces.keys()].sort((a, b) => (a.startsWith('Vlan') ? -1 : b.startsWith('Vlan') ? 1 : naturalCompare(a, b)));
  return names.map((n) => interfaceDetail(st, n)).join('');
}

function interfaceDetail(st: CatalystState, name: string): string {
  const c = st.config.iface(name);
  const isVlan = name.startsWith('Vlan');
  const up = isVlan ? !c.shutdown && [...st.config.interfaces.values()].some((p) => !p.name.startsWith('Vlan') && p.accessVlan === Number(name.slice(4)) && isUp(st, p.name)) : isUp(st, name) && !c.shutdown;
  const line = c.shutdown ? 'is administratively down, line protocol is down' : up ? 'is up, line protocol is up' : 'is down, line protocol is down';
  const suffix = isVlan ? '' : c.shutdown ? ' (disabled)' : up ? ' (connected)' : ' (notconnect)';
  const index = isVlan ? 0 : st.config.isPhysical(name) ? st.config.physical.indexOf(name) + 1 : 64 + Number(name.replace(/\D+/g, ''));
  const mac = formatDottedMac(st.plane.baseMac + index);
  const port = st.plane.port(name);
  const speed = name.startsWith('Port-channel')
    ? st.config.members(Number(name.slice(12))).filter((m) => memberBundled(st, m)).length * 1e9
    : (port?.speedBps ?? 1e9);
  const cnt = countersOf(st, name);
  const kbit = Math.round(speed / 1000);
  const hw = isVlan ? 'EtherSVI' : name.startsWith('Port-channel') ? 'EtherChannel' : name.startsWith('Ten') ? 'Ten Gigabit Ethernet' : 'Gigabit Ethernet';
  const l = [`${name} ${line}${suffix}`, `  Hardware is ${hw}, address is ${mac} (bia ${mac})`];
  if (c.description !== null) l.push(`  Description: ${c.description}`);
  if (isVlan && c.ipAddress) l.push(`  Internet address is ${formatIpv4(c.ipAddress.ip)}/${maskBits(c.ipAddress.mask)}`);
  l.push(`  MTU 1500 bytes, BW ${isVlan ? 1000000 : kbit} Kbit/sec, DLY 10 usec,`, '     reliability 255/255, txload 1/255, rxload 1/255', '  Encapsulation ARPA, loopback not set');
  if (!isVlan) {
    l.push('  Keepalive set (10 sec)');
    l.push(up ? `  Full-duplex, ${speed >= 10e9 ? '10Gb/s' : `${Math.round(speed / 1e6)}Mb/s`}, media type is ${name.startsWith('Ten') ? 'SFP-10GBase-SR' : name.startsWith('Port') ? 'unknown' : st.model.copperType}` : '  Auto-duplex, Auto-speed, media type is ' + (name.startsWith('Ten') ? 'SFP-10GBase-SR' : st.model.copperType));
    if (name.startsWith('Port-channel')) {
      const members = st.config.members(Number(name.slice(12)));
      l.push(`  Members in this channel: ${members.filter((m) => memberBundled(st, m)).map((m) => shortName(m.name)).join(' ')}`.trimEnd());
    }
    l.push('  input flow-control is off, output flow-control is unsupported');
  }
  l.push('  ARP type: ARPA, ARP Timeout 04:00:00', '  Last input never, output never, output hang never', '  Last clearing of "show interface" counters never',
    `  Input queue: 0/75/0/0 (size/max/drops/flushes); Total output drops: ${cnt.outDiscards}`, '  Queueing strategy: fifo', '  Output queue: 0/40 (size/max)',
    '  5 minute input rate 0 bits/sec, 0 packets/sec', '  5 minute output rate 0 bits/sec, 0 packets/sec',
    `     ${cnt.inUcast + cnt.inMcast + cnt.inBcast} packets input, ${cnt.inOctets} bytes, 0 no buffer`,
    `     Received ${cnt.inBcast + cnt.inMcast} broadcasts (${cnt.inMcast} multicasts)`,
    '     0 runts, 0 giants, 0 throttles', '     0 input errors, 0 CRC, 0 frame, 0 overrun, 0 ignored',
    `     0 watchdog, ${cnt.inMcast} multicast, 0 pause input`, '     0 input packets with dribble condition detected',
    `     ${cnt.outUcast + cnt.outMcast + cnt.outBcast} packets output, ${cnt.outOctets} bytes, 0 underruns`,
    '     0 output errors, 0 collisions, 1 interface resets', '     0 unknown protocol drops', '     0 babbles, 0 late collision, 0 deferred',
    '     0 lost carrier, 0 no carrier, 0 pause output', '     0 output buffer failures, 0 output buffers swapped out');
  return l.join('\n') + '\n';
}

function maskBits(mask: number): number {
  let bits = 0;
  for (let v = mask; v > 0; v = (v * 2) % 4294967296) bits++;
  return bits;
}

export function runningInterface(st: CatalystState, name: string): string {
  const c = st.config.iface(name);
  const body = [`interface ${name}`, ...st.config.interfaceLines(c).map((x) => ` ${x}`), 'end'];
  return ['Building configuration...', '', `Current configuration : ${body.join('\n').length + 1} bytes`, '!', ...body, ''].join('\n') + '\n';
}

// --- EtherChannel ------------------------------------------------------------------------------

export function etherchannelSummary(st: CatalystState): string {
  const groups = st.config.portChannels();
  const out = [
    'Flags:  D - down        P - bundled in port-channel',
    '        I - stand-alone s - suspended',
    '        H - Hot-standby (LACP only)',
    '        R - Layer3      S - Layer2',
    '        U - in use      f - failed to allocate aggregator',
    '',
    '        M - not in use, minimum links not met',
    '        u - unsuitable for bundling',
    '        w - waiting to be aggregated',
    '        d - default port',
    '',
    '',
    `Number of channel-groups in use: ${groups.length}`,
    `Number of aggregators:           ${groups.length}`,
    '',
    'Group  Port-channel  Protocol    Ports',
    '------+-------------+-----------+-----------------------------------------------',
  ];
  for (const g of groups) {
    const members = st.config.members(g);
    const po = st.config.interfaces.get(`Port-channel${g}`)!;
    const up = !po.shutdown && members.some((m) => memberBundled(st, m));
    const proto = members.length > 0 && members[0]!.channelGroup!.mode !== 'on' ? 'LACP' : members.length > 0 ? '-' : '';
    const flags = members.map((m) => `${shortName(m.name)}(${memberFlag(st, m)})`);
    const first = flags.slice(0, 3).join('  ');
    out.push(`${String(g).padEnd(6)} ${`Po${g}(S${up ? 'U' : 'D'})`.padEnd(13)} ${proto.padStart(6).padEnd(11)} ${first}`.trimEnd());
    for (let i = 3; i < flags.length; i += 3) out.push(`${' '.repeat(34)}${flags.slice(i, i + 3).join('  ')}`);
  }
  return out.join('\n') + '\n';
}

function memberFlag(st: CatalystState, m: InterfaceConfig): string {
  if (m.shutdown || !(st.plane.port(m.name)?.operUp ?? false)) return 'D';
  switch (st.plane.lacpMember(m.name)) {
    case 'bundled':
      return 'P';
    case 'suspended':
      return 's';
    case 'standalone':
      return 'I';
    case 'waiting':
      return 'w';
    case 'down':
      return 'D';
  }
}

// --- MAC address table -------------------------------------------------------------------------

const CPU_MACS: readonly number[] = [
  0x01000ccccccc,
  0x01000ccccccd,
  ...Array.from({ length: 17 }, (_, k) => 0x0180c2000000 + k),
  0xffffffffffff,
];

export function macTable(st: CatalystState, f: MacTableFilter): string {
  const rows = st.plane
    .macTable()
    .filter((e) => (f.type === null || (f.type === 'static') === e.isStatic) && (f.mac === undefined || e.mac === f.mac) && (f.vlan === undefined || e.vlan === f.vlan) && (f.port === undefined || e.ports.includes(f.port)))
    .slice()
    .sort((a, b) => a.vlan - b.vlan || a.mac - b.mac);
  const out = ['          Mac Address Table', '-------------------------------------------', '', 'Vlan    Mac Address       Type        Ports', '----    -----------       --------    -----'];
  // The supervisor's own entries (CDP/VTP, the IEEE reserved range, broadcast) head the table on every VLAN.
  const cpu = f.type !== 'dynamic' && f.vlan === undefined && f.port === undefined && f.mac === undefined ? CPU_MACS : [];
  for (const mac of cpu) out.push(` All    ${formatDottedMac(mac)}    STATIC      CPU`);
  for (const e of rows) {
    out.push(`${String(e.vlan).padStart(4)}    ${formatDottedMac(e.mac)}    ${(e.isStatic ? 'STATIC' : 'DYNAMIC').padEnd(11)} ${e.ports.map(shortName).join(' ')}`);
  }
  out.push(`Total Mac Addresses for this criterion: ${rows.length + cpu.length}`);
  return out.join('\n') + '\n';
}

export function macAging(st: CatalystState): string {
  return `Global Aging Time: ${String(st.config.agingTime).padStart(4)}\nVlan    Aging Time\n----    ----------\n`;
}

export function macCount(st: CatalystState): string {
  const all = st.plane.macTable();
  const dyn = all.filter((e) => !e.isStatic).length;
  const stat = all.length - dyn;
  const uni = all.filter((e) => Math.floor(e.mac / 2 ** 40) % 2 === 0).length;
  return [
    '',
    'Mac Entries for all vlans :',
    '---------------------------',
    `Dynamic Address Count  : ${dyn}`,
    `Static  Address Count  : ${stat}`,
    `Total Mac Addresses    : ${all.length}`,
    '',
    `Total Mac Address Space Available: ${Math.max(0, 8192 - all.length)}`,
    '',
    `Unicast entries ${uni}, multicast entries ${all.length - uni}`,
  ].join('\n') + '\n';
}

export function arp(st: CatalystState): string {
  const out = ['Protocol  Address          Age (min)  Hardware Addr   Type   Interface'];
  for (const a of [...st.config.arp].sort((x, y) => x.ip - y.ip)) {
    out.push(`Internet  ${formatIpv4(a.ip).padEnd(16)}         -   ${formatDottedMac(a.mac)}  ARPA`);
  }
  return out.join('\n') + '\n';
}
