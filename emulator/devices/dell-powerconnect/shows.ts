/**
 * `show` output in the PowerConnect 54xx layout: ports as `g1` / `ch1`, port lists compacted as
 * `g(1-4),ch(1)`, MACs as `00:11:22:33:44:55`.
 */
import { formatIpv4 } from '../../core/ipv4.ts';
import { formatMac } from '../../core/mac.ts';
import { SECOND } from '../../core/time.ts';
import { macGroupPattern, type IgmpVlanSettings } from '../../l2/igmp-snooping.ts';
import type { UnregisteredMode } from '../../l2/multicast-filter.ts';
import type { PortCounters, PortChannelView } from '../../l2/switch.ts';
import { compactNames, naturalCompare } from './config.ts';
import type { PowerConnectState } from './grammar.ts';

/** What the shows read from the running switch; ports are named as the CLI names them (`g1`, `ch1`). */
export interface SwitchView {
  now(): number;
  readonly baseMac: number;
  port(name: string): { operUp: boolean; speedBps: number; counters: PortCounters } | null;
  /** `ch1` counters: the sum over its members. */
  channelCounters(id: number): PortCounters;
  portChannels(): readonly PortChannelView[];
  macTable(): readonly { vlan: number; mac: number; isStatic: boolean; port: string }[];
  agingSeconds(): number;
  vlanPorts(): readonly { id: number; ports: readonly string[] }[];
  multicastTable(): readonly { vlan: number; mac: number; type: 'static' | 'dynamic'; ports: readonly string[]; forbidden: readonly string[] }[];
  igmpGroups(): readonly { vlan: number; mac: number; group: number; ports: readonly string[] }[];
  igmpVlans(): readonly { vlan: number; enabled: boolean; settings: IgmpVlanSettings; isQuerier: boolean; otherQuerier: number | null; mrouterPorts: readonly string[] }[];
  unregisteredMode(vid: number): UnregisteredMode;
  clearDynamic(): void;
  clearCounters(name: string | null): void;
  setLacpRate(name: string, rate: 'fast' | 'slow'): void;
}

function pad(s: string | number, n: number): string {
  return String(s).padEnd(n);
}

function rpad(s: string | number, n: number): string {
  return String(s).padStart(n);
}

export function version(st: PowerConnectState): string {
  const m = st.model;
  return [`SW version    ${m.swVersion} ( date  10-Jun-2008 time  12:01:40 )`, `Boot version  ${m.bootVersion} ( date  13-Dec-2007 time  10:31:16 )`, `HW version    ${m.hwVersion}`, ''].join('\n');
}

export function vlans(st: PowerConnectState, only: number | null): string {
  const live = new Map(st.view.vlanPorts().map((v) => [v.id, v.ports]));
  const rows = ['', 'Vlan       Name                   Ports                Type     Authorization', '---- ----------------- --------------------------- ------------ -------------'];
  for (const [id, name] of [...st.config.vlans].sort((a, b) => a[0] - b[0])) {
    if (only !== null && id !== only) continue;
    const ports = compactNames([...(live.get(id) ?? [])].sort(naturalCompare));
    rows.push(`${rpad(id, 4)} ${pad(name ?? String(id), 17)} ${pad(ports, 27)} ${pad(id === 1 ? 'other' : 'permanent', 12)} Required`);
  }
  if (only !== null && !st.config.vlans.has(only)) return `VLAN ${only} does not exist\n`;
  return rows.join('\n') + '\n';
}

function speedText(bps: number): string {
  return bps >= 1e9 ? String(bps / 1e6) : String(bps / 1e6);
}

export function interfacesStatus(st: PowerConnectState, only: string | null): string {
  const v = st.view;
  const out: string[] = [];
  if (only === null || !only.startsWith('ch')) {
    out.push('', 'Port     Type         Duplex  Speed Neg      Flow  Link   Back   Mdix', '                                       ctrl  State  Pressure Mode',
      '-------- ------------ ------  ----- -------- ----  ------ -------- ----');
    for (const e of st.config.eth.values()) {
      if (only !== null && e.name !== only) continue;
      const p = v.port(e.name);
      const combo = Number(e.name.slice(1)) >= st.model.firstCombo;
      const type = combo ? '1G-Combo-C' : '1G-Copper';
      if (p !== null && p.operUp) out.push(`${pad(e.name, 8)} ${pad(type, 12)} Full    ${pad(speedText(p.speedBps), 5)} Enabled  Off   Up     Disabled Auto`);
      else out.push(`${pad(e.name, 8)} ${pad(type, 12)}   --      --     --      --   ${e.shutdown ? 'Down*' : 'Down '}     --     --`);
    }
  }
  if (only === null || only.startsWith('ch')) {
    out.push('', 'Ch       Type    Duplex  Speed  Neg      Flow    Link', '                                          ctrl    State', '-------- ------- ------  -----  -------- ----    -----------');
    const chans = new Map(v.portChannels().map((c) => [c.id, c]));
    for (let id = 1; id <= st.model.maxLags; id++) {
      if (only !== null && only !== `ch${id}`) continue;
      const c = chans.get(id);
      const cfg = st.config.lags.get(id);
      if (!c || c.members.length === 0 || !cfg) out.push(`${pad(`ch${id}`, 8)}    --     --      --     --      --     Not Present`);
      else if (c.up) out.push(`${pad(`ch${id}`, 8)} 1G      Full    ${pad(1000 * c.members.filter((mm) => mm.state === 'bundled').length, 6)} Enabled  Off     Up`);
      else out.push(`${pad(`ch${id}`, 8)} 1G        --      --     --      --     Down`);
    }
  }
  return out.join('\n') + '\n';
}

export function interfacesCounters(st: PowerConnectState, only: string | null): string {
  const v = st.view;
  const rows: [string, PortCounters][] = [];
  const chRows: [string, PortCounters][] = [];
  if (only === null || !only.startsWith('ch')) for (const e of st.config.eth.values()) if (only === null || e.name === only) rows.push([e.name, v.port(e.name)!.counters]);
  if (only === null || only.startsWith('ch')) {
    for (const c of v.portChannels()) {
      const name = `ch${c.id}`;
      if ((only === null || only === name) && c.members.length > 0) chRows.push([name, v.channelCounters(c.id)]);
    }
    if (only !== null && chRows.length === 0) chRows.push([only, v.channelCounters(Number(only.slice(2)))]);
  }
  const out: string[] = [];
  const table = (title: string, list: [string, PortCounters][], dir: 'in' | 'out'): void => {
    if (list.length === 0) return;
    const d = dir === 'in' ? 'In' : 'Out';
    out.push('', `${pad(title, 7)} ${rpad(`${d}Octets`, 14)} ${rpad(`${d}UcastPkts`, 14)} ${rpad(`${d}McastPkts`, 14)} ${rpad(`${d}BcastPkts`, 14)}`,
      `${'-'.repeat(7)} ${'-'.repeat(14)} ${'-'.repeat(14)} ${'-'.repeat(14)} ${'-'.repeat(14)}`);
    for (const [n, c] of list) {
      const vals = dir === 'in' ? [c.inOctets, c.inUcast, c.inMcast, c.inBcast] : [c.outOctets, c.outUcast, c.outMcast, c.outBcast];
      out.push(`${pad(n, 7)} ${vals.map((x) => rpad(x, 14)).join(' ')}`);
    }
  };
  table('Port', rows, 'in');
  table('Port', rows, 'out');
  table('Ch', chRows, 'in');
  table('Ch', chRows, 'out');
  if (only !== null) {
    const c = (rows[0] ?? chRows[0])![1];
    out.push('', 'Alignment Errors: 0', 'FCS Errors: 0', 'Single Collision Frames: 0', 'Multiple Collision Frames: 0', 'Late Collisions: 0', 'Excessive Collisions: 0',
      `Oversize Packets: 0`, `Internal MAC Rx Errors: 0`, `Received Pause Frames: 0`, `Transmitted Pause Frames: 0`, `Discarded In: ${c.inDiscards}`, `Discarded Out: ${c.outDiscards}`);
  }
  return out.join('\n') + '\n';
}

export function portChannels(st: PowerConnectState, only: number | null): string {
  const chans = new Map(st.view.portChannels().map((c) => [c.id, c]));
  const out = ['', 'Channel  Ports', '-------  -----'];
  for (let id = 1; id <= st.model.maxLags; id++) {
    if (only !== null && id !== only) continue;
    const c = chans.get(id);
    const active = c ? c.members.filter((m) => m.state === 'bundled').map((m) => m.port) : [];
    const inactive = c ? c.members.filter((m) => m.state !== 'bundled').map((m) => m.port) : [];
    const parts: string[] = [];
    if (active.length > 0) parts.push(`Active: ${compactNames(active)}`);
    if (inactive.length > 0) parts.push(`Inactive: ${compactNames(inactive)}`);
    out.push(`${pad(`ch${id}`, 8)} ${parts.join(', ')}`.trimEnd());
  }
  return out.join('\n') + '\n';
}

const LACP_STATE_BITS: readonly [number, string][] = [
  [0x01, 'LACP Activity'], [0x02, 'LACP Timeout'], [0x04, 'Aggregation'], [0x08, 'Synchronization'],
  [0x10, 'Collecting'], [0x20, 'Distributing'], [0x40, 'Defaulted'], [0x80, 'Expired'],
];

export function lacpEthernet(st: PowerConnectState, name: string): string {
  for (const c of st.view.portChannels()) {
    const m = c.members.find((x) => x.port === name);
    if (!m) continue;
    const out = [`Port ${name} LACP parameters:`, '  Actor', `    system priority:  1`, `    system mac addr:  ${formatMac(st.view.baseMac)}`, `    port Admin key:   ${c.id}`,
      `    port Oper key:    ${c.id}`, `    port Oper number: ${name.slice(1)}`, `    port state:       ${m.state}`, `    LACP timeout:     ${m.fastRate ? 'Short' : 'Long'}`,
      '  Partner',
      `    system mac addr:  ${m.partnerSystem === null ? '00:00:00:00:00:00' : formatMac(m.partnerSystem)}`,
      `    port Oper key:    ${m.partnerKey ?? 0}`, `    port Oper number: ${m.partnerPort ?? 0}`,
      '  Statistics', `    LACP PDUs sent:     ${m.pdusOut}`, `    LACP PDUs received: ${m.pdusIn}`];
    void LACP_STATE_BITS;
    return out.join('\n') + '\n';
  }
  return `Port ${name} is not a member of a LACP port channel\n`;
}

export function lacpChannel(st: PowerConnectState, id: number): string {
  const c = st.view.portChannels().find((x) => x.id === id);
  if (!c || c.members.length === 0) return `Port-Channel ${id} is not present\n`;
  const partner = c.members.find((m) => m.partnerSystem !== null);
  const out = [`Port-Channel ch${id}`, `  Port Type 1000 Ethernet`, `  Attached Lag id:`, '    Actor', '      System Priority: 1', `      MAC Address: ${formatMac(st.view.baseMac)}`,
    `      Admin Key: ${id}`, `      Oper Key: ${id}`, '    Partner', '      System Priority: 32768',
    `      MAC Address: ${partner?.partnerSystem != null ? formatMac(partner.partnerSystem) : '00:00:00:00:00:00'}`, `      Oper Key: ${partner?.partnerKey ?? 0}`,
    `  Protocol: ${c.protocol === 'lacp' ? 'LACP' : 'static'}`, `  Members: ${c.members.map((m) => `${m.port} (${m.state})`).join(', ')}`];
  return out.join('\n') + '\n';
}

export function bridgeAddressTable(st: PowerConnectState, f: { vlan?: number; port?: string }): string {
  const v = st.view;
  const out = [`Aging time is ${v.agingSeconds()} sec`, '', '  Vlan        Mac Address       Port     Type', ' -------- --------------------- ----- ----------'];
  if (f.port === undefined && (f.vlan === undefined || f.vlan === 1)) out.push(`${rpad(1, 6)}       ${formatMac(v.baseMac)}     0      self`);
  for (const e of v.macTable()) {
    if (f.vlan !== undefined && e.vlan !== f.vlan) continue;
    if (f.port !== undefined && e.port !== f.port) continue;
    out.push(`${rpad(e.vlan, 6)}       ${formatMac(e.mac)}   ${pad(e.port, 6)} ${e.isStatic ? 'static' : 'dynamic'}`);
  }
  return out.join('\n') + '\n';
}

export function multicastTable(st: PowerConnectState, vid: number | null): string {
  const rows = st.view.multicastTable().filter((e) => vid === null || e.vlan === vid);
  const out = ['', 'Multicast address table for VLANs in MAC-GROUP bridging mode:', '', 'Vlan   MAC Address         Type      Ports', '----   -----------------   -------   ----------------'];
  for (const e of rows) out.push(`${pad(e.vlan, 6)} ${formatMac(e.mac)}   ${pad(e.type === 'static' ? 'Static' : 'Dynamic', 9)} ${compactNames(e.ports)}`);
  out.push('', 'Forbidden ports for multicast addresses:', '', 'Vlan   MAC Address         Ports', '----   -----------------   ----------');
  for (const e of rows) if (e.forbidden.length > 0) out.push(`${pad(e.vlan, 6)} ${formatMac(e.mac)}   ${compactNames(e.forbidden)}`);
  if (!st.config.bridgeMulticastFiltering) out.push('', 'Bridge multicast filtering is disabled: multicast is flooded in every VLAN.');
  return out.join('\n') + '\n';
}

export function multicastFiltering(st: PowerConnectState, vid: number): string {
  const cfg = st.config.vlanIfs.get(vid);
  const mode = st.view.unregisteredMode(vid);
  const modeText = mode === 'forward-all' ? 'Forward All' : mode === 'filter-unregistered' ? 'Filter Unregistered' : 'Forward Unregistered';
  const out = [`Filtering: ${st.config.bridgeMulticastFiltering ? 'Enabled' : 'Disabled'}`, `VLAN: ${vid}`, `Forwarding mode: ${modeText}`, '',
    '        Forward-All          Forward-Unregistered', 'Port    Static    Status     Static    Status', '-----   -------   --------   -------   --------'];
  const routers = new Set(st.view.igmpVlans().find((x) => x.vlan === vid)?.mrouterPorts ?? []);
  const live = st.view.vlanPorts().find((x) => x.id === vid)?.ports ?? [];
  for (const n of [...live].sort(naturalCompare)) {
    const fa = cfg?.forwardAll.has(n) ? 'Static' : cfg?.forbiddenForwardAll.has(n) ? 'Forbidden' : '-';
    const fu = cfg?.forwardUnregistered.has(n) ? 'Static' : cfg?.forbiddenForwardUnregistered.has(n) ? 'Forbidden' : '-';
    const faStatus = fa === 'Static' || routers.has(n) || mode === 'forward-all' ? 'Forward' : 'Filter';
    const fuStatus = fu === 'Forbidden' ? 'Filter' : mode === 'filter-unregistered' && fu !== 'Static' && faStatus !== 'Forward' ? 'Filter' : 'Forward';
    out.push(`${pad(n, 7)} ${pad(fa, 9)} ${pad(faStatus, 10)} ${pad(fu, 9)} ${fuStatus}`);
  }
  return out.join('\n') + '\n';
}

export function igmpGroups(st: PowerConnectState, vid: number | null): string {
  const v = st.view;
  const queriers = new Map(v.igmpVlans().map((x) => [x.vlan, x.isQuerier || x.otherQuerier !== null]));
  // Forwarding is per MAC, so the switch lists each MAC's 32 groups as one pattern.
  const byMac = new Map<string, { vlan: number; mac: number; ports: Set<string> }>();
  for (const g of v.igmpGroups()) {
    if (vid !== null && g.vlan !== vid) continue;
    const k = `${g.vlan}/${g.mac}`;
    let e = byMac.get(k);
    if (!e) {
      e = { vlan: g.vlan, mac: g.mac, ports: new Set() };
      byMac.set(k, e);
    }
    for (const p of g.ports) e.ports.add(p);
  }
  const out = ['', 'Vlan   IP Address                 Querier   Ports', '----   ------------------------   -------   ----------'];
  for (const e of byMac.values()) out.push(`${pad(e.vlan, 6)} ${pad(macGroupPattern(e.mac), 26)} ${pad(queriers.get(e.vlan) ? 'Yes' : 'No', 9)} ${compactNames([...e.ports].sort(naturalCompare))}`);
  out.push('', 'IGMP Reporters that are forbidden statically:', '---------------------------------------------', 'Vlan   IP Address                 Ports');
  return out.join('\n') + '\n';
}

export function igmpMrouter(st: PowerConnectState): string {
  const out = ['', 'VLAN    Ports', '----    -----'];
  for (const v of st.view.igmpVlans()) {
    const statics = [...(st.config.vlanIfs.get(v.vlan)?.forwardAll ?? [])];
    const all = [...new Set([...v.mrouterPorts, ...statics])].sort(naturalCompare);
    if (all.length > 0) out.push(`${pad(v.vlan, 7)} ${compactNames(all)}`);
  }
  return out.join('\n') + '\n';
}

export function igmpInterface(st: PowerConnectState, vid: number): string {
  const v = st.view.igmpVlans().find((x) => x.vlan === vid);
  const cfg = st.config.vlanIfs.get(vid);
  const admin = cfg?.igmpSnooping ?? false;
  const oper = admin && st.config.igmpSnooping;
  const s = v?.settings;
  const secs = (ns: number | undefined): string => (ns === undefined ? '-' : String(Math.round(ns / SECOND)));
  const out = [
    `IGMP Snooping is globally ${st.config.igmpSnooping ? 'enabled' : 'disabled'}`,
    `IGMP Snooping admin: ${admin ? 'Enabled' : 'Disabled'}`,
    'Hosts and routers IGMP version: 2',
    `IGMP snooping oper mode: ${oper ? 'Enabled' : 'Disabled'}`,
    `IGMP snooping querier admin: ${s?.querier ? 'Enabled' : 'Disabled'}`,
    `IGMP snooping querier oper: ${v?.isQuerier ? 'Enabled' : 'Disabled'}`,
    `IGMP snooping querier address: ${s && s.querierAddress !== 0 ? formatIpv4(s.querierAddress) : '-'}`,
    `Other querier: ${v?.otherQuerier != null ? formatIpv4(v.otherQuerier) : '-'}`,
    `host-time-out: ${secs(s?.hostTimeoutNs)} sec`,
    `mrouter-time-out: ${secs(s?.mrouterTimeoutNs)} sec`,
    `leave-time-out: ${s === undefined ? '-' : s.leaveTimeoutNs === 0 ? 'immediate-leave' : `${secs(s.leaveTimeoutNs)} sec`}`,
  ];
  return out.join('\n') + '\n';
}
