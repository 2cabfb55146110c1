/**
 * The PowerConnect 54xx command set (Radlan CLI): `console>` / `console#` / `console(config)#` /
 * `console(config-if)#` / `console(config-vlan)#`, interfaces named `ethernet g1` and
 * `port-channel 1`, VLANs created in `vlan database`, and the multicast commands under
 * `interface vlan N`. Every change reprograms the switch, so a typed command and the same line in
 * a startup config have the same effect.
 *
 * Command shapes not pinned down by a verified source, chosen here:
 * - `bridge multicast unregistered forwarding|filtering` and `bridge multicast forward-all` (no
 *   port list) set a VLAN's unregistered-multicast mode, which the 54xx user guide describes as
 *   Forward Unregistered / Forward All / Filter Unregistered per VLAN; the exact CLI words are [U].
 * - `ip igmp snooping querier` / `querier address A.B.C.D` under `interface vlan` [U]: later
 *   firmware of the family has a snooping querier; it is off unless configured or set in settings.
 * - `channel-group N mode auto` is LACP (sending LACPDUs, as an active partner), `on` is static.
 */
import { acceptedLines, disableCommand, enableCommand } from '../../cli/common-commands.ts';
import type { DialectSpec, ModeSpec } from '../../cli/engine.ts';
import { idList, integer, ipv4, oneToken, restOfLine, word, type ParamType } from '../../cli/params.ts';
import type { CommandContext, CommandSpec } from '../../cli/tree.ts';
import { parseIpv4 } from '../../core/ipv4.ts';
import { isGroupMac, parseMac } from '../../core/mac.ts';
import { groupMac } from '../../l2/igmp-snooping.ts';
import { parseEthList, type PowerConnectConfig, type SwitchportConfig, type VlanIfConfig } from './config.ts';
import type { PowerConnectModel } from './info.ts';
import * as show from './shows.ts';

export type ModeData =
  | { readonly kind: 'if'; readonly names: readonly string[] }
  | { readonly kind: 'vlan'; readonly vid: number };

/** What the CLI acts on: the configuration, and the live switch for shows and clears. */
export interface PowerConnectState {
  readonly model: PowerConnectModel;
  readonly config: PowerConnectConfig;
  readonly view: show.SwitchView;
  /** Reprogram the switch from the configuration. */
  program(): void;
  startup: string | null;
}

type Ctx = CommandContext<ModeData>;
type Spec = CommandSpec<ModeData>;

function ethPort(m: PowerConnectModel): ParamType {
  const parse = (text: string): string | null => {
    const v = parseEthList(text, m.ports);
    return v !== null && v.length === 1 && /^g\d+$/i.test(text) ? `g${v[0]}` : null;
  };
  return oneToken('<port>', 'Valid Ethernet port', parse, (p) => /^g?\d*$/i.test(p));
}

function ethList(m: PowerConnectModel): ParamType {
  return oneToken(
    '<port-list>',
    `Valid Ethernet ports, e.g. g1,g3 or g(1-4) or all (g1-g${m.ports})`,
    (text) => parseEthList(text, m.ports),
    (p) => /^(g[\d(),\-g]*|a|al|all)?$/i.test(p),
  );
}

function multicastAddress(): ParamType {
  return oneToken(
    '<address>',
    'Multicast MAC address (01:00:5e:7f:00:64) or IPv4 multicast group (239.255.0.100)',
    (text) => (parseGroup(text) !== null ? text : null),
    (p) => /^[0-9a-f:.\-]*$/i.test(p),
  );
}

/** A group typed as a MAC (any group MAC) or as an IPv4 group 224.0.0.0–239.255.255.255. */
export function parseGroup(text: string): { mac: number; ip: number | null } | null {
  if (/^\d+\.\d+\.\d+\.\d+$/.test(text)) {
    let ip: number;
    try {
      ip = parseIpv4(text);
    } catch {
      return null;
    }
    return ip >>> 28 === 0xe ? { mac: groupMac(ip), ip } : null;
  }
  let mac: number;
  try {
    mac = parseMac(text);
  } catch {
    return null;
  }
  return isGroupMac(mac) && mac !== 0xffffffffffff ? { mac, ip: null } : null;
}

function targets(c: Ctx): readonly string[] {
  const d = c.data;
  return d && d.kind === 'if' ? d.names : [];
}

function vlanIf(st: PowerConnectState, c: Ctx): VlanIfConfig | null {
  const d = c.data;
  return d && d.kind === 'vlan' ? st.config.vlanIf(d.vid) : null;
}

const SHOW_HELP: Record<string, string> = {
  show: 'Display information',
  'address-table': 'Display the bridge address table',
  bridge: 'Bridge information',
  counters: 'Display interface counters',
  ethernet: 'Ethernet port',
  filtering: 'Multicast filtering configuration of a VLAN',
  groups: 'IGMP snooping learned groups',
  igmp: 'IGMP information',
  interface: 'IGMP snooping configuration of a VLAN',
  interfaces: 'Interface information',
  ip: 'IP information',
  lacp: 'LACP information',
  mrouter: 'Multicast router ports',
  multicast: 'Multicast information',
  'port-channel': 'Port channel',
  'running-config': 'Current operating configuration',
  snooping: 'IGMP snooping information',
  'startup-config': 'Startup configuration',
  status: 'Interface status',
  tag: 'VLAN tag',
  version: 'System version information',
  vlan: 'VLAN information',
};

function showCommands(st: PowerConnectState, privileged: boolean): Spec[] {
  const m = st.model;
  const port = ethPort(m);
  const ch = integer(1, m.maxLags, 'Port channel number');
  const vid = integer(1, 4094, 'VLAN ID');
  const p = (syntax: string, run: (c: Ctx) => void, params?: Spec['params']): Spec => ({ syntax: `show ${syntax}`, help: SHOW_HELP, pipe: true, run, params });
  const v = st.view;
  const specs: Spec[] = [
    p('version', (c) => c.print(show.version(st))),
    p('vlan', (c) => c.print(show.vlans(st, null))),
    p('vlan tag $vid', (c) => c.print(show.vlans(st, c.args.int('vid'))), { vid }),
    p('interfaces status', (c) => c.print(show.interfacesStatus(st, null))),
    p('interfaces status ethernet $p', (c) => c.print(show.interfacesStatus(st, c.args.str('p'))), { p: port }),
    p('interfaces status port-channel $ch', (c) => c.print(show.interfacesStatus(st, `ch${c.args.int('ch')}`)), { ch }),
    p('interfaces counters', (c) => c.print(show.interfacesCounters(st, null))),
    p('interfaces counters ethernet $p', (c) => c.print(show.interfacesCounters(st, c.args.str('p'))), { p: port }),
    p('interfaces counters port-channel $ch', (c) => c.print(show.interfacesCounters(st, `ch${c.args.int('ch')}`)), { ch }),
    p('interfaces port-channel', (c) => c.print(show.portChannels(st, null))),
    p('interfaces port-channel $ch', (c) => c.print(show.portChannels(st, c.args.int('ch'))), { ch }),
    p('lacp ethernet $p', (c) => c.print(show.lacpEthernet(st, c.args.str('p'))), { p: port }),
    p('lacp port-channel $ch', (c) => c.print(show.lacpChannel(st, c.args.int('ch'))), { ch }),
    p('bridge address-table', (c) => c.print(show.bridgeAddressTable(st, {}))),
    p('bridge address-table vlan $vid', (c) => c.print(show.bridgeAddressTable(st, { vlan: c.args.int('vid') })), { vid }),
    p('bridge address-table ethernet $p', (c) => c.print(show.bridgeAddressTable(st, { port: c.args.str('p') })), { p: port }),
    p('bridge address-table port-channel $ch', (c) => c.print(show.bridgeAddressTable(st, { port: `ch${c.args.int('ch')}` })), { ch }),
    p('bridge multicast address-table', (c) => c.print(show.multicastTable(st, null))),
    p('bridge multicast address-table vlan $vid', (c) => c.print(show.multicastTable(st, c.args.int('vid'))), { vid }),
    p('bridge multicast filtering $vid', (c) => c.print(show.multicastFiltering(st, c.args.int('vid'))), { vid }),
    p('ip igmp snooping groups', (c) => c.print(show.igmpGroups(st, null))),
    p('ip igmp snooping groups vlan $vid', (c) => c.print(show.igmpGroups(st, c.args.int('vid'))), { vid }),
    p('ip igmp snooping mrouter', (c) => c.print(show.igmpMrouter(st))),
    p('ip igmp snooping interface $vid', (c) => c.print(show.igmpInterface(st, c.args.int('vid'))), { vid }),
  ];
  if (privileged) {
    specs.push(
      p('running-config', (c) => c.print(st.config.render())),
      p('startup-config', (c) => c.print(st.startup ?? 'startup-config is not present')),
    );
  }
  void v;
  return specs;
}

function execCommands(st: PowerConnectState, privileged: boolean): Spec[] {
  const specs = showCommands(st, privileged);
  if (!privileged) {
    specs.push(enableCommand('privileged'));
    return specs;
  }
  const save = (c: Ctx): void => {
    st.startup = st.config.render();
    c.print('\nCopy succeeded');
  };
  const ch = integer(1, st.model.maxLags, 'Port channel number');
  specs.push(
    disableCommand('exec'),
    { syntax: 'configure', help: { configure: 'Enter configuration mode' }, run: (c) => c.enterMode('config') },
    { syntax: 'configure terminal', hidden: true, help: { terminal: 'Configure from the terminal' }, run: (c) => c.enterMode('config') },
    {
      syntax: 'copy running-config startup-config',
      help: { copy: 'Copy files', 'running-config': 'Current configuration', 'startup-config': 'Startup configuration' },
      run: save,
    },
    { syntax: 'write memory', hidden: true, help: { write: 'Save the configuration', memory: 'To startup configuration' }, run: save },
    { syntax: 'terminal datadump', help: { terminal: 'Terminal settings', datadump: 'Print output without pausing' }, run: (c) => c.setTerminalLength(0) },
    { syntax: 'no terminal datadump', help: { terminal: 'Terminal settings', datadump: 'Print output without pausing' }, run: (c) => c.setTerminalLength(24) },
    { syntax: 'clear bridge', help: { clear: 'Reset functions', bridge: 'Remove learned entries from the bridge address table' }, run: () => st.view.clearDynamic() },
    { syntax: 'clear counters', help: { counters: 'Clear interface counters' }, run: () => st.view.clearCounters(null) },
    { syntax: 'clear counters ethernet $p', help: { ethernet: 'Ethernet port' }, params: { p: ethPort(st.model) }, run: (c) => st.view.clearCounters(c.args.str('p')) },
    { syntax: 'clear counters port-channel $ch', help: { 'port-channel': 'Port channel' }, params: { ch }, run: (c) => st.view.clearCounters(`ch${c.args.int('ch')}`) },
  );
  return specs;
}

function vlanExists(st: PowerConnectState, c: Ctx, id: number): boolean {
  if (st.config.vlans.has(id)) return true;
  c.fail(`% VLAN ${id} does not exist. Create it first in vlan database.`);
  return false;
}

function interfaceCommands(st: PowerConnectState): Spec[] {
  const each = (c: Ctx, f: (sp: SwitchportConfig, name: string) => void): void => {
    for (const n of targets(c)) f(st.config.switchport(n), n);
    st.program();
  };
  const sp = {
    switchport: 'Set switching mode characteristics',
    mode: 'Set the mode of the interface',
    access: 'Access mode: untagged member of one VLAN',
    trunk: 'Trunk mode: tagged member of its VLANs',
    general: 'General mode: tagged and untagged members, with a PVID',
    allowed: 'Set the VLANs of the interface',
    vlan: 'VLAN',
    add: 'Add VLANs',
    remove: 'Remove VLANs',
    tagged: 'Frames of these VLANs leave tagged',
    untagged: 'Frames of these VLANs leave untagged',
    pvid: 'VLAN of untagged frames entering the port',
  };
  const vid = integer(1, 4094, 'VLAN ID');
  const list = idList(1, 4094, 'VLAN IDs, e.g. 10,20-22', '<vlan-list>');
  const editList = (cur: readonly number[], add: boolean, ids: readonly number[]): number[] =>
    add ? [...new Set([...cur, ...ids])].sort((a, b) => a - b) : cur.filter((v) => !ids.includes(v));
  return [
    {
      syntax: 'description $text', help: { description: 'Interface description' }, no: 'description', params: { text: restOfLine('Up to 64 characters') },
      run: (c) => each(c, (s) => { s.description = c.no ? null : c.args.str('text').slice(0, 64); }),
    },
    {
      syntax: 'shutdown', help: { shutdown: 'Disable the interface' }, no: true,
      run: (c) => {
        for (const n of targets(c)) {
          const e = st.config.eth.get(n);
          if (e) e.shutdown = !c.no;
          else st.config.lag(Number(n.slice(2))).shutdown = !c.no;
        }
        st.program();
      },
    },
    { syntax: 'switchport mode (access|trunk|general)', help: sp, no: 'switchport mode', run: (c) => each(c, (s) => { s.mode = c.no ? 'access' : c.args.has('trunk') ? 'trunk' : c.args.has('general') ? 'general' : 'access'; }) },
    {
      syntax: 'switchport access vlan $vid', help: sp, no: 'switchport access vlan', params: { vid },
      run: (c) => {
        if (!c.no && !vlanExists(st, c, c.args.int('vid'))) return;
        each(c, (s) => { s.accessVlan = c.no ? 1 : c.args.int('vid'); });
      },
    },
    {
      syntax: 'switchport trunk allowed vlan (add|remove) $list', help: sp, params: { list },
      run: (c) => {
        const ids = c.args.ids('list');
        if (c.args.has('add') && ids.some((id) => !vlanExists(st, c, id))) return;
        each(c, (s) => { s.trunkAllowed = editList(s.trunkAllowed, c.args.has('add'), ids); });
      },
    },
    {
      syntax: 'switchport general allowed vlan (add|remove) $list', help: sp, params: { list },
      run: (c) => generalEdit(st, c, each, 'untagged'),
    },
    {
      syntax: 'switchport general allowed vlan add $list (tagged|untagged)', help: sp, params: { list },
      run: (c) => generalEdit(st, c, each, c.args.has('tagged') ? 'tagged' : 'untagged'),
    },
    {
      syntax: 'switchport general pvid $vid', help: sp, no: 'switchport general pvid', params: { vid },
      run: (c) => each(c, (s) => { s.generalPvid = c.no ? 1 : c.args.int('vid'); }),
    },
    {
      syntax: 'channel-group $n mode (auto|on)', no: 'channel-group',
      help: { 'channel-group': 'Add the port to a port channel', mode: 'Port channel mode', auto: 'LACP', on: 'Static aggregation, no LACP' },
      params: { n: [integer(1, st.model.maxLags), 'Port channel number'] },
      run: (c) => channelGroup(st, c),
    },
    {
      syntax: 'lacp timeout (long|short)', help: { lacp: 'LACP port settings', timeout: 'LACP timeout the partner is asked to use', long: 'Long (90 s)', short: 'Short (3 s)' },
      run: (c) => {
        for (const n of targets(c)) {
          const e = st.config.eth.get(n);
          if (e) st.view.setLacpRate(n, c.args.has('short') ? 'fast' : 'slow');
        }
      },
    },
    // Accepted as on the switch; their effect is not modelled.
    ...acceptedLines<ModeData>(['speed $rest', 'duplex $rest', 'negotiation', 'negotiation $rest', 'flowcontrol $rest', 'back-pressure', 'mdix $rest', 'spanning-tree $rest', 'port storm-control $rest', 'gvrp $rest', 'lacp port-priority $rest'], { no: true }),
  ];
}

function generalEdit(st: PowerConnectState, c: Ctx, each: (c: Ctx, f: (sp: SwitchportConfig) => void) => void, tagging: 'tagged' | 'untagged'): void {
  const ids = c.args.ids('list');
  const add = c.args.has('add');
  if (add && ids.some((id) => !vlanExists(st, c, id))) return;
  each(c, (s) => {
    for (const id of ids) {
      if (add) s.general.set(id, tagging);
      else s.general.delete(id);
    }
  });
}

function channelGroup(st: PowerConnectState, c: Ctx): void {
  const names = targets(c);
  if (names.some((n) => n.startsWith('ch'))) {
    c.fail('% channel-group is a command of Ethernet interfaces');
    return;
  }
  if (c.no) {
    for (const n of names) st.config.eth.get(n)!.channel = null;
    st.program();
    return;
  }
  const id = c.args.int('n');
  const mode = c.args.has('auto') ? 'auto' : 'on';
  const others = st.config.members(id).filter((e) => !names.includes(e.name));
  if (others.length > 0 && others[0]!.channel!.mode !== mode) {
    c.fail(`% port-channel ${id} already uses mode ${others[0]!.channel!.mode}`);
    return;
  }
  if (others.length + names.length > 8) {
    c.fail(`% port-channel ${id} can have at most 8 members`);
    return;
  }
  st.config.lag(id);
  for (const n of names) st.config.eth.get(n)!.channel = { id, mode };
  st.program();
}

/** `add|remove ethernet <list>` / `port-channel <list>` after a multicast command. */
function memberSyntaxes(prefix: string): string[] {
  return [`${prefix} (add|remove) ethernet $eths`, `${prefix} (add|remove) port-channel $chs`];
}

function memberNames(st: PowerConnectState, c: Ctx): string[] | null {
  if (c.args.given('eths')) {
    const names = c.args.ids('eths').map((n) => `g${n}`);
    for (const n of names) {
      const ch = st.config.eth.get(n)!.channel;
      if (ch) {
        c.fail(`% ${n} is a member of port-channel ${ch.id}; use port-channel ${ch.id}`);
        return null;
      }
    }
    return names;
  }
  if (c.args.given('chs')) return c.args.ids('chs').map((n) => `ch${n}`);
  return [];
}

function vlanInterfaceCommands(st: PowerConnectState): Spec[] {
  const m = st.model;
  const params = { eths: ethList(m), chs: idList(1, m.maxLags, 'Port channel list', '<port-channel-list>'), addr: multicastAddress() };
  const bm = {
    bridge: 'Bridge configuration',
    multicast: 'Multicast configuration',
    address: 'Static multicast group of this VLAN',
    forbidden: 'Ports that may never receive',
    'forward-all': 'Ports that receive all multicast of this VLAN',
    'forward-unregistered': 'Ports that receive unregistered multicast when the VLAN filters it',
    unregistered: 'How this VLAN handles unregistered multicast',
    forwarding: 'Flood unregistered multicast (default)',
    filtering: 'Send unregistered multicast only to router and forward-unregistered ports',
    add: 'Add ports',
    remove: 'Remove ports',
    ethernet: 'Ethernet ports',
    'port-channel': 'Port channels',
  };
  const igmp = {
    ip: 'IP configuration',
    igmp: 'IGMP configuration',
    snooping: 'IGMP snooping on this VLAN',
    querier: 'Act as IGMP querier on this VLAN',
    address: 'Source address of queries',
    'host-time-out': 'Seconds a port stays in a group without reports',
    'mrouter-time-out': 'Seconds a port stays a router port without queries',
    'leave-time-out': 'Seconds a port keeps a group after a leave',
    'immediate-leave': 'Remove the port at once on a leave',
  };
  const withV = (c: Ctx, f: (v: VlanIfConfig) => void): void => {
    const v = vlanIf(st, c);
    if (!v) return;
    f(v);
    st.program();
  };
  /** `add` puts the typed members into `set`, `remove` takes them out. */
  const addOrRemove = (c: Ctx, set: Set<string>, names: readonly string[]): void => {
    for (const n of names) {
      if (c.args.has('add')) set.add(n);
      else set.delete(n);
    }
  };
  const editSet = (set: Set<string>) => (c: Ctx): void => {
    const names = memberNames(st, c);
    if (names === null) return;
    withV(c, () => addOrRemove(c, set, names));
  };
  const listCmd = (prefix: string, pick: (v: VlanIfConfig) => Set<string>): Spec[] =>
    memberSyntaxes(prefix).map((syntax): Spec => ({
      syntax, help: bm, params,
      run: (c) => {
        const v = vlanIf(st, c);
        if (v) editSet(pick(v))(c);
      },
    }));
  const group = (c: Ctx, create: boolean): { mac: number; g: { ports: Set<string>; forbidden: Set<string> } } | null => {
    const v = vlanIf(st, c);
    const parsed = parseGroup(c.args.str('addr'));
    if (!v || !parsed) return null;
    let g = v.groups.get(parsed.mac);
    if (!g) {
      if (!create) {
        c.fail('% Multicast address is not registered in this VLAN');
        return null;
      }
      g = { typedIp: parsed.ip, ports: new Set(), forbidden: new Set() };
      v.groups.set(parsed.mac, g);
    }
    return { mac: parsed.mac, g };
  };
  /** A group's member or forbidden ports; only adding members registers a group not yet known. */
  const groupPortsCmd = (prefix: string, pick: (g: { ports: Set<string>; forbidden: Set<string> }) => Set<string>, registers: boolean): Spec[] =>
    memberSyntaxes(prefix).map((syntax): Spec => ({
      syntax, help: bm, params,
      run: (c) => {
        const names = memberNames(st, c);
        if (names === null) return;
        const r = group(c, registers && c.args.has('add'));
        if (!r) return;
        addOrRemove(c, pick(r.g), names);
        st.program();
      },
    }));
  const specs: Spec[] = [
    {
      syntax: 'name $name', no: 'name', help: { name: 'VLAN name' }, params: { name: word('Up to 32 characters') },
      run: (c) => {
        const d = c.data;
        if (!d || d.kind !== 'vlan') return;
        st.config.vlans.set(d.vid, c.no ? null : c.args.str('name').slice(0, 32));
        st.program();
      },
    },
    { syntax: 'ip igmp snooping', help: igmp, no: true, run: (c) => withV(c, (v) => { v.igmpSnooping = !c.no; }) },
    { syntax: 'ip igmp snooping querier', help: igmp, no: true, run: (c) => withV(c, (v) => { v.querier = !c.no; }) },
    {
      syntax: 'ip igmp snooping querier address $ip', help: igmp, no: 'ip igmp snooping querier address', params: { ip: ipv4('Querier source address') },
      run: (c) => withV(c, (v) => { v.querierAddress = c.no ? null : c.args.int('ip'); }),
    },
    {
      syntax: 'ip igmp snooping host-time-out $s', help: igmp, no: 'ip igmp snooping host-time-out', params: { s: integer(60, 2147483647, 'Seconds') },
      run: (c) => withV(c, (v) => { v.hostTimeout = c.no ? null : c.args.int('s'); }),
    },
    {
      syntax: 'ip igmp snooping mrouter-time-out $s', help: igmp, no: 'ip igmp snooping mrouter-time-out', params: { s: integer(1, 2147483647, 'Seconds') },
      run: (c) => withV(c, (v) => { v.mrouterTimeout = c.no ? null : c.args.int('s'); }),
    },
    {
      syntax: 'ip igmp snooping leave-time-out $s', help: igmp, no: 'ip igmp snooping leave-time-out', params: { s: integer(1, 2147483647, 'Seconds') },
      run: (c) => withV(c, (v) => { v.leaveTimeout = c.no ? null : c.args.int('s'); }),
    },
    { syntax: 'ip igmp snooping leave-time-out immediate-leave', help: igmp, run: (c) => withV(c, (v) => { v.leaveTimeout = 0; }) },
    {
      syntax: 'bridge multicast address $addr', help: bm, params,
      run: (c) => { if (group(c, true)) st.program(); },
    },
    ...groupPortsCmd('bridge multicast address $addr', (g) => g.ports, true),
    {
      syntax: 'no bridge multicast address $addr', help: bm, params,
      run: (c) => {
        const v = vlanIf(st, c);
        const parsed = parseGroup(c.args.str('addr'));
        if (v && parsed) v.groups.delete(parsed.mac);
        st.program();
      },
    },
    ...groupPortsCmd('bridge multicast forbidden address $addr', (g) => g.forbidden, false),
    ...listCmd('bridge multicast forward-all', (v) => v.forwardAll),
    ...listCmd('bridge multicast forbidden forward-all', (v) => v.forbiddenForwardAll),
    ...listCmd('bridge multicast forward-unregistered', (v) => v.forwardUnregistered),
    ...listCmd('bridge multicast forbidden forward-unregistered', (v) => v.forbiddenForwardUnregistered),
    { syntax: 'bridge multicast forward-all', help: bm, no: true, run: (c) => withV(c, (v) => { v.unregistered = c.no ? null : 'forward-all'; }) },
    {
      syntax: 'bridge multicast unregistered (forwarding|filtering)', help: bm, no: 'bridge multicast unregistered',
      run: (c) => withV(c, (v) => { v.unregistered = c.no ? null : c.args.has('filtering') ? 'filter-unregistered' : 'forward-unregistered'; }),
    },
    { syntax: 'ip address $rest', hidden: true, no: 'ip address', params: { rest: restOfLine() }, run: () => undefined },
  ];
  return specs;
}

function globalCommands(st: PowerConnectState): Spec[] {
  const m = st.model;
  const ch = integer(1, m.maxLags, 'Port channel number');
  return [
    {
      syntax: 'hostname $name', help: { hostname: 'Set the system name' }, no: 'hostname', params: { name: word('System name') },
      run: (c) => { st.config.hostname = c.no ? 'console' : c.args.str('name'); },
    },
    { syntax: 'vlan database', help: { vlan: 'VLAN configuration', database: 'Enter VLAN database mode' }, run: (c) => c.enterMode('config-vlan') },
    {
      syntax: 'interface ethernet $p', help: { interface: 'Select an interface to configure', ethernet: 'Ethernet port' }, params: { p: ethPort(m) },
      run: (c) => c.enterMode('config-if', { kind: 'if', names: [c.args.str('p')] }),
    },
    {
      syntax: 'interface port-channel $ch', help: { interface: 'Select an interface to configure', 'port-channel': 'Port channel' }, params: { ch },
      run: (c) => {
        st.config.lag(c.args.int('ch'));
        st.program();
        c.enterMode('config-if', { kind: 'if', names: [`ch${c.args.int('ch')}`] });
      },
    },
    {
      syntax: 'interface range ethernet $list', help: { range: 'Configure several interfaces at once', ethernet: 'Ethernet ports' }, params: { list: ethList(m) },
      run: (c) => c.enterMode('config-if', { kind: 'if', names: c.args.ids('list').map((n) => `g${n}`) }),
    },
    {
      syntax: 'interface range port-channel $list', help: { range: 'Configure several interfaces at once', 'port-channel': 'Port channels' },
      params: { list: idList(1, m.maxLags, 'Port channel list', '<port-channel-list>') },
      run: (c) => {
        for (const n of c.args.ids('list')) st.config.lag(n);
        st.program();
        c.enterMode('config-if', { kind: 'if', names: c.args.ids('list').map((n) => `ch${n}`) });
      },
    },
    {
      syntax: 'no interface port-channel $ch', help: { interface: 'Select an interface to configure', 'port-channel': 'Port channel' }, params: { ch },
      run: (c) => {
        const id = c.args.int('ch');
        for (const e of st.config.members(id)) e.channel = null;
        st.config.lags.delete(id);
        st.program();
      },
    },
    {
      syntax: 'interface vlan $vid', help: { vlan: 'VLAN interface' }, params: { vid: integer(1, 4094, 'VLAN ID') },
      run: (c) => {
        const vid = c.args.int('vid');
        if (!vlanExists(st, c, vid)) return;
        c.enterMode('config-if-vlan', { kind: 'vlan', vid });
      },
    },
    {
      syntax: 'bridge multicast filtering', no: true, help: { bridge: 'Bridge configuration', multicast: 'Multicast configuration', filtering: 'Filter multicast by the multicast database (default: disabled, multicast floods)' },
      run: (c) => { st.config.bridgeMulticastFiltering = !c.no; st.program(); },
    },
    {
      syntax: 'ip igmp snooping', no: true, help: { ip: 'IP configuration', igmp: 'IGMP configuration', snooping: 'IGMP snooping (also enable it per VLAN)' },
      run: (c) => { st.config.igmpSnooping = !c.no; st.program(); },
    },
    {
      syntax: 'bridge aging-time $s', no: 'bridge aging-time', help: { 'aging-time': 'Aging time of learned addresses' }, params: { s: integer(10, 630, 'Seconds') },
      run: (c) => { st.config.agingTime = c.no ? 300 : c.args.int('s'); st.program(); },
    },
    // Lines of a real configuration LabBox accepts without modelling them.
    ...acceptedLines<ModeData>(['username $rest', 'enable $rest', 'ip $rest', 'no ip $rest', 'snmp-server $rest', 'no snmp-server $rest', 'spanning-tree $rest', 'no spanning-tree $rest', 'clock $rest',
      'logging $rest', 'no logging $rest', 'sntp $rest', 'management $rest', 'line $rest', 'password $rest', 'login $rest', 'port jumbo-frame', 'lldp $rest', 'iscsi $rest', 'no iscsi $rest']),
  ];
}

export function powerConnectDialect(st: PowerConnectState): DialectSpec<ModeData> {
  const vlanDb: Spec[] = [
    {
      syntax: 'vlan $ids', no: true, help: { vlan: 'Create VLANs' }, params: { ids: idList(2, 4094, 'VLAN IDs, e.g. 10,20-22', '<vlan-list>') },
      run: (c) => {
        for (const id of c.args.ids('ids')) {
          if (c.no) {
            st.config.vlans.delete(id);
            st.config.vlanIfs.delete(id);
          } else if (!st.config.vlans.has(id)) st.config.vlans.set(id, null);
        }
        st.program();
      },
    },
  ];
  const modes: ModeSpec<ModeData>[] = [
    { name: 'exec', prompt: '>', parent: null, commands: execCommands(st, false) },
    { name: 'privileged', prompt: '#', parent: null, commands: execCommands(st, true) },
    { name: 'config', prompt: '(config)#', parent: 'privileged', commands: globalCommands(st) },
    { name: 'config-if', prompt: '(config-if)#', parent: 'config', commands: interfaceCommands(st) },
    { name: 'config-if-vlan', prompt: '(config-if)#', parent: 'config', commands: vlanInterfaceCommands(st) },
    { name: 'config-vlan', prompt: '(config-vlan)#', parent: 'config', commands: vlanDb },
  ];
  return {
    modes,
    hostname: () => st.config.hostname,
    initialMode: 'exec',
    privilegedMode: 'privileged',
    configMode: 'config',
  };
}
