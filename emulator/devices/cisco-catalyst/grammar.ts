/**
 * The Catalyst IOS command set (switching subset): modes, configuration commands mapped onto
 * the running configuration, and the `show` commands. Every change reprograms the plane, so a
 * command typed at the console and the same line in a startup config have the same effect.
 */
import { acceptedLines, disableCommand, enableCommand } from '../../cli/common-commands.ts';
import type { DialectSpec, ModeSpec } from '../../cli/engine.ts';
import {
  dottedMac,
  idList,
  integer,
  interfaceName,
  interfaceRange,
  ipv4,
  restOfLine,
  word,
  type InterfaceRef,
  type InterfaceTypeSpec,
} from '../../cli/params.ts';
import type { ParamType } from '../../cli/params.ts';
import type { CommandContext, CommandSpec } from '../../cli/tree.ts';
import { clearDynamicMacCommands, macTableShowCommands } from '../cisco-common/mac-address-table.ts';
import { selectedInterfaces, setChannelGroup, trunkAllowedCommands } from '../cisco-common/switchport.ts';
import { CatalystConfig, copySwitchport, RESERVED_VLANS, type ChannelMode, type InterfaceConfig } from './config.ts';
import type { CatalystModel } from './info.ts';
import type { SwitchPlane } from './plane.ts';
import { defaultTemplate, resolveTemplate, SDM_STORED_MESSAGE, sdmTemplate, sdmTemplates, showSdmPrefer, type SdmChoice, type SdmState } from './sdm.ts';
import * as show from './shows.ts';

export type ModeData = { readonly kind: 'if'; readonly names: readonly string[] } | { readonly kind: 'vlan'; readonly ids: readonly number[]; name: string | null };

/** What the switch itself does for commands that reach beyond the configuration. */
export interface CatalystSystem {
  /**
   * `sdm prefer` stored template `id` for the next boot (a stack writes it to its members' flash
   * too). `choice` is what was typed, null for `no sdm prefer`: a stack reading its startup
   * configuration does not know its master yet, and resolves the words on the master's hardware.
   */
  templateStored(choice: SdmChoice | null, id: string): void;
  /** The hardware whose templates `sdm prefer` offers and the switch runs: a stack's master's. */
  templateModel?(): CatalystModel;
  /** `reload`, once confirmed: the switch reboots from its startup configuration. */
  reload(): string;
  /** `reload slot N` on a stack: that member alone reboots. Null when there is no such member. */
  reloadSlot?(n: number): string | null;
}

/** Shared state the commands act on. */
export interface CatalystState {
  readonly model: CatalystModel;
  /** Replaced at each boot by the one the startup configuration builds. */
  config: CatalystConfig;
  readonly plane: SwitchPlane;
  /** Text of `show startup-config` (set by `write memory` and at boot). */
  startup: string | null;
  readonly sdm: SdmState;
  /** The startup configuration is being loaded at boot: a `sdm prefer` there is the template the switch boots with. */
  booting: boolean;
  /** Down between `reload` and the end of the boot; consoles answer nothing meanwhile. */
  rebooting: boolean;
  /** Boots so far; a console opened before the last one starts over, as the console line does. */
  boots: number;
  /** Null where there is no switch behind the commands (checking a configuration's syntax). */
  readonly system: CatalystSystem | null;
}

/** One console's questions in flight (`reload` asks to save, then to confirm). */
export interface CatalystTerminal {
  question: { step: 'save' | 'confirm'; proceed: () => string } | null;
}

type Ctx = CommandContext<ModeData>;
type Spec = CommandSpec<ModeData>;

export function interfaceTypes(st: CatalystState): InterfaceTypeSpec[] {
  const physical = (type: string) => (n: string) => st.config.isPhysical(type + n);
  const types: InterfaceTypeSpec[] = [
    { name: 'GigabitEthernet', help: 'GigabitEthernet IEEE 802.3z', numberLabel: '<1-9>', numberHelp: 'GigabitEthernet interface number', valid: physical('GigabitEthernet') },
    { name: 'Port-channel', help: 'Ethernet Channel of interfaces', numberLabel: `<1-${st.model.maxPortChannel}>`, numberHelp: 'Port-channel interface number', valid: (n) => /^\d+$/.test(n) && Number(n) >= 1 && Number(n) <= st.model.maxPortChannel },
    { name: 'Vlan', help: 'Catalyst Vlans', numberLabel: '<1-4094>', numberHelp: 'Vlan interface number', valid: (n) => /^\d+$/.test(n) && Number(n) >= 1 && Number(n) <= 4094 },
  ];
  if (st.model.uplinks.some((u) => u.type === 'TenGigabitEthernet')) {
    types.push({ name: 'TenGigabitEthernet', help: 'Ten Gigabit Ethernet', numberLabel: '<1-9>', numberHelp: 'TenGigabitEthernet interface number', valid: physical('TenGigabitEthernet') });
  }
  return types;
}

const SHOW_HELP: Record<string, string> = {
  show: 'Show running system information',
  'address-table': 'MAC forwarding table',
  address: 'address keyword',
  'aging-time': 'aging-time keyword',
  sdm: 'Show current SDM template',
  prefer: 'Show current SDM template',
  arp: 'ARP table',
  brief: 'VTP all VLAN status in brief',
  clock: 'Display the system clock',
  count: 'count keyword',
  counters: 'Show interface counters',
  description: 'Show interface description',
  dynamic: 'dynamic entry type',
  etherchannel: 'EtherChannel information',
  interface: 'interface keyword',
  interfaces: 'Interface status and configuration',
  mac: 'MAC configuration',
  'running-config': 'Current operating configuration',
  'startup-config': 'Contents of startup configuration',
  static: 'static entry type',
  status: 'Show interface line status',
  summary: 'One-line summary per channel-group',
  trunk: 'Show interface trunk information',
  version: 'System hardware and software status',
  vlan: 'VTP VLAN status',
};

function showCommands(st: CatalystState, privileged: boolean): Spec[] {
  const types = interfaceTypes(st);
  const ifp = interfaceName(types);
  const h = SHOW_HELP;
  const p = (syntax: string, run: (ctx: Ctx) => void, params?: Spec['params']): Spec => ({ syntax: `show ${syntax}`, help: h, pipe: true, run, params });
  const specs: Spec[] = [
    p('version', (c) => c.print(show.version(st))),
    p('sdm prefer', (c) => c.print(showSdmPrefer(templateModel(st), st.sdm))),
    p('clock', (c) => c.print(show.clock(st.plane.now()))),
    p('vlan', (c) => c.print(show.vlanBrief(st))),
    p('vlan brief', (c) => c.print(show.vlanBrief(st))),
    p('interfaces', (c) => c.print(show.interfacesDetail(st, null))),
    p('interfaces $if', (c) => c.print(show.interfacesDetail(st, c.args.iface('if').name)), { if: ifp }),
    p('interfaces status', (c) => c.print(show.interfacesStatus(st))),
    p('interfaces counters', (c) => c.print(show.interfacesCounters(st, null))),
    p('interfaces $if counters', (c) => c.print(show.interfacesCounters(st, c.args.iface('if').name)), { if: ifp }),
    p('interfaces description', (c) => c.print(show.interfacesDescription(st))),
    p('interfaces trunk', (c) => c.print(show.interfacesTrunk(st))),
    p('etherchannel summary', (c) => c.print(show.etherchannelSummary(st))),
    p('mac address-table aging-time', (c) => c.print(show.macAging(st))),
    p('mac address-table count', (c) => c.print(show.macCount(st))),
    p('arp', (c) => c.print(show.arp(st))),
    p('ip arp', (c) => c.print(show.arp(st))),
    ...macTableShowCommands<ModeData>({ help: h, iface: ifp, addressHelp: '48 bit mac address', interfaceHelp: 'interface', print: (f) => show.macTable(st, f) }),
  ];
  if (privileged) {
    specs.push(
      p('running-config', (c) => c.print(st.config.render())),
      p('running-config interface $if', (c) => c.print(show.runningInterface(st, c.args.iface('if').name)), { if: ifp }),
      p('startup-config', (c) => c.print(st.startup ?? 'startup-config is not present')),
    );
  }
  return specs;
}

function reprogram(st: CatalystState): void {
  st.plane.program(st.config);
}

/** The interfaces a config-if command applies to; for a port-channel, its members follow as IOS propagates. */
function targets(st: CatalystState, c: Ctx, propagate: boolean): InterfaceConfig[] {
  return selectedInterfaces(c.data, st.config, 'Port-channel', propagate);
}

function ensureVlan(st: CatalystState, c: Ctx, vid: number, what: string): void {
  if (!st.config.vlans.has(vid) && !RESERVED_VLANS.some((r) => r.id === vid)) {
    c.print(`% ${what} VLAN does not exist. Creating vlan ${vid}`);
    st.config.vlans.set(vid, CatalystConfig.vlanDefaultName(vid));
  }
}

function interfaceCommands(st: CatalystState): Spec[] {
  const each = (c: Ctx, propagate: boolean, f: (ic: InterfaceConfig) => void): void => {
    for (const ic of targets(st, c, propagate)) f(ic);
    reprogram(st);
  };
  const sp = {
    switchport: 'Set switching mode characteristics',
    mode: 'Set trunking mode of the interface',
    access: 'Set access mode characteristics of the interface',
    trunk: 'Set trunking characteristics of the interface',
    native: 'Set trunking native characteristics when interface is in trunking mode',
    allowed: 'Set allowed VLAN characteristics when interface is in trunking mode',
    vlan: 'Set VLAN when interface is in access mode',
    add: 'add VLANs to the current list',
    remove: 'remove VLANs from the current list',
    all: 'all VLANs',
    none: 'no VLANs',
    except: 'all VLANs except the following',
    dynamic: 'Set trunking mode to dynamically negotiate access or trunk mode',
    auto: 'Set trunking mode dynamic negotiation parameter to AUTO',
    desirable: 'Set trunking mode dynamic negotiation parameter to DESIRABLE',
    nonegotiate: 'Device will not engage in negotiation protocol on this interface',
    encapsulation: 'Set trunking encapsulation when interface is in trunking mode',
    dot1q: 'Interface uses only 802.1q trunking encapsulation when trunking',
    isl: 'Interface uses only ISL trunking encapsulation when trunking',
    negotiate: 'Device will negotiate trunking encapsulation with peer on interface',
  };
  const vlanId = integer(1, 4094);
  const list = idList(1, 4094, 'VLAN IDs of the allowed VLANs when this port is in trunking mode');
  const specs: Spec[] = [
    {
      syntax: 'description $text', help: { description: 'Interface specific description' }, no: 'description',
      params: { text: restOfLine('Up to 240 characters describing this interface') },
      run: (c) => each(c, false, (ic) => { ic.description = c.no ? null : c.args.str('text').slice(0, 240); }),
    },
    { syntax: 'shutdown', help: { shutdown: 'Shutdown the selected interface' }, no: true, run: (c) => each(c, true, (ic) => { ic.shutdown = !c.no; }) },
    {
      syntax: 'switchport mode (access|trunk)', help: sp, no: 'switchport mode',
      run: (c) => {
        if (!c.no && c.args.has('trunk') && st.model.hasIsl) {
          const bad = targets(st, c, true).find((ic) => ic.encapsulation === null || ic.encapsulation === 'negotiate');
          if (bad) {
            c.fail('Command rejected: An interface whose trunk encapsulation is "Auto" can not be configured to "trunk" mode.');
            return;
          }
        }
        each(c, true, (ic) => { ic.mode = c.no ? null : c.args.has('trunk') ? 'trunk' : 'access'; });
      },
    },
    { syntax: 'switchport mode dynamic (auto|desirable)', help: sp, run: (c) => each(c, true, (ic) => { ic.mode = null; }) },
    { syntax: 'switchport nonegotiate', help: sp, no: true, hidden: false, run: () => undefined },
    {
      syntax: 'switchport access vlan $vid', help: sp, no: 'switchport access vlan', params: { vid: [vlanId, 'VLAN ID of the VLAN when this port is in access mode'] },
      run: (c) => {
        if (!c.no) ensureVlan(st, c, c.args.int('vid'), 'Access');
        each(c, true, (ic) => { ic.accessVlan = c.no ? 1 : c.args.int('vid'); });
      },
    },
    {
      syntax: 'switchport trunk native vlan $vid', help: sp, no: 'switchport trunk native vlan', params: { vid: [vlanId, 'VLAN ID of the native VLAN when this port is in trunking mode'] },
      run: (c) => each(c, true, (ic) => { ic.nativeVlan = c.no ? 1 : c.args.int('vid'); }),
    },
    ...trunkAllowedCommands<ModeData, InterfaceConfig>(sp, list, (c, f) => each(c, true, f)),
    {
      syntax: 'channel-group $n mode (active|passive|on)', no: 'channel-group',
      help: { 'channel-group': 'Etherchannel/port bundling configuration', mode: 'Etherchannel Mode of the interface', active: 'Enable LACP unconditionally', passive: 'Enable LACP only if a LACP device is detected', on: 'Enable Etherchannel only' },
      params: { n: [integer(1, st.model.maxPortChannel), 'Channel group number'] },
      run: (c) => channelGroup(st, c),
    },
    {
      syntax: 'channel-group $n mode (auto|desirable)',
      help: { auto: 'Enable PAgP only if a PAgP device is detected', desirable: 'Enable PAgP unconditionally' },
      params: { n: [integer(1, st.model.maxPortChannel), 'Channel group number'] },
      run: (c) => c.fail('% PAgP channels are not modelled in LabBox; use mode active, passive or on'),
    },
    {
      syntax: 'ip address $ip $mask', no: 'ip address', help: { ip: 'Interface Internet Protocol config commands', address: 'Set the IP address of an interface' },
      params: { ip: [ipv4(), 'IP address'], mask: [ipv4(), 'IP subnet mask'] },
      run: (c) => {
        const d = c.data;
        if (!d || d.kind !== 'if' || d.names.some((n) => !n.startsWith('Vlan'))) {
          c.fail('% IP addresses may not be configured on L2 links.');
          return;
        }
        each(c, false, (ic) => { ic.ipAddress = c.no ? null : { ip: c.args.int('ip'), mask: c.args.int('mask') }; });
      },
    },
    // Accepted as on the real switch; their effect is not modelled.
    { syntax: 'spanning-tree $rest', help: { 'spanning-tree': 'Spanning Tree Subsystem' }, params: { rest: restOfLine() }, no: true, run: () => undefined },
    { syntax: 'speed $rest', help: { speed: 'Configure speed operation.' }, params: { rest: restOfLine() }, no: 'speed', run: () => undefined },
    { syntax: 'duplex $rest', help: { duplex: 'Configure duplex operation.' }, params: { rest: restOfLine() }, no: 'duplex', run: () => undefined },
  ];
  if (st.model.hasIsl) {
    specs.push({
      syntax: 'switchport trunk encapsulation (dot1q|isl|negotiate)', help: sp, no: 'switchport trunk encapsulation',
      run: (c) => each(c, true, (ic) => {
        ic.encapsulation = c.no ? null : c.args.has('dot1q') ? 'dot1q' : c.args.has('isl') ? 'isl' : 'negotiate';
      }),
    });
  }
  return specs;
}

function channelGroup(st: CatalystState, c: Ctx): void {
  const mode: ChannelMode = c.args.has('active') ? 'active' : c.args.has('passive') ? 'passive' : 'on';
  setChannelGroup(c, targets(st, c, false), mode, {
    table: st.config,
    portChannel: 'Port-channel',
    eligible: (ic) => st.config.isPhysical(ic.name),
    notEligible: '% Invalid input detected: channel-group is only valid on physical interfaces',
    mismatch: (id, ic) => `Command rejected (Port-channel${id}, ${ic.name}): Invalid etherchnl mode`,
    copySwitchport,
    created: (id) => `Creating a port-channel interface Port-channel ${id}`,
    program: () => reprogram(st),
  });
}

function globalCommands(st: CatalystState): Spec[] {
  const types = interfaceTypes(st);
  const ifp = interfaceName(types);
  const vlanList = idList(1, 4094, 'ISL VLAN IDs 1-1005', '<1-4094>');
  const mac = {
    mac: 'MAC configuration',
    'address-table': 'Configure the MAC address table',
    static: 'static keyword',
    vlan: 'VLAN keyword',
    interface: 'interface',
    'aging-time': 'Set MAC address table entry maximum age',
  };
  const staticParams = { addr: [dottedMac(), '48 bit mac address'], vid: [integer(1, 4094), 'VLAN id of mac address table'], if1: [ifp, ''], if2: [ifp, ''] } as const;
  const addStatic = (c: Ctx): void => {
    const addr = c.args.int('addr');
    const vid = c.args.int('vid');
    const names = [c.args.iface('if1').name, ...(c.args.given('if2') ? [c.args.iface('if2').name] : [])];
    if (names.some((n) => n.startsWith('Vlan'))) {
      c.fail('% Static MAC entries need a switch port or port-channel');
      return;
    }
    const existing = st.config.staticMacs.find((s) => s.mac === addr && s.vlan === vid);
    if (existing) {
      for (const n of names) if (!existing.interfaces.includes(n)) existing.interfaces.push(n);
    } else st.config.staticMacs.push({ mac: addr, vlan: vid, interfaces: names });
    reprogram(st);
  };
  const removeStatic = (c: Ctx): void => {
    const addr = c.args.int('addr');
    const vid = c.args.int('vid');
    const at = st.config.staticMacs.findIndex((s) => s.mac === addr && s.vlan === vid);
    if (at < 0) return;
    const entry = st.config.staticMacs[at]!;
    if (c.args.given('if1')) {
      const drop = [c.args.iface('if1').name, ...(c.args.given('if2') ? [c.args.iface('if2').name] : [])];
      entry.interfaces = entry.interfaces.filter((n) => !drop.includes(n));
    }
    if (!c.args.given('if1') || entry.interfaces.length === 0) st.config.staticMacs.splice(at, 1);
    reprogram(st);
  };
  return [
    ...sdmCommands(st),
    ...ipCommands(st),
    {
      syntax: 'hostname $name', help: { hostname: "Set system's network name" }, no: 'hostname', params: { name: word("This system's network name") },
      run: (c) => { st.config.hostname = c.no ? 'Switch' : c.args.str('name'); },
    },
    {
      syntax: 'vlan $ids', help: { vlan: 'Vlan commands' }, params: { ids: vlanList },
      run: (c) => c.enterMode('config-vlan', { kind: 'vlan', ids: c.args.ids('ids'), name: null }),
    },
    {
      syntax: 'no vlan $ids', help: { vlan: 'Vlan commands' }, params: { ids: vlanList },
      run: (c) => {
        for (const id of c.args.ids('ids')) {
          if (id === 1 || RESERVED_VLANS.some((r) => r.id === id)) c.fail(`%Default VLAN ${id} may not be deleted.`);
          else st.config.vlans.delete(id);
        }
        reprogram(st);
      },
    },
    {
      syntax: 'interface $if', help: { interface: 'Select an interface to configure' }, params: { if: ifp },
      run: (c) => {
        const name = c.args.iface('if').name;
        st.config.iface(name);
        c.enterMode('config-if', { kind: 'if', names: [name] });
      },
    },
    {
      syntax: 'interface range $list', help: { interface: 'Select an interface to configure', range: 'interface range command' }, params: { list: interfaceRange(types) },
      run: (c) => {
        const names = c.args.ifaces('list').map((r: InterfaceRef) => r.name);
        for (const n of names) st.config.iface(n);
        c.enterMode('config-if-range', { kind: 'if', names });
      },
    },
    {
      syntax: 'no interface $if', help: { interface: 'Select an interface to configure' }, params: { if: ifp },
      run: (c) => {
        const name = c.args.iface('if').name;
        if (st.config.isPhysical(name)) {
          c.fail('% Removal of physical interfaces is not permitted');
          return;
        }
        st.config.interfaces.delete(name);
        if (name.startsWith('Port-channel')) for (const m of st.config.members(Number(name.slice(12)))) m.channelGroup = null;
        reprogram(st);
      },
    },
    { syntax: 'mac address-table static $addr vlan $vid interface $if1', help: mac, params: staticParams, run: addStatic },
    { syntax: 'mac address-table static $addr vlan $vid interface $if1 $if2', help: mac, params: staticParams, run: addStatic },
    { syntax: 'no mac address-table static $addr vlan $vid', help: mac, params: staticParams, run: removeStatic },
    { syntax: 'no mac address-table static $addr vlan $vid interface $if1', help: mac, params: staticParams, run: removeStatic },
    { syntax: 'no mac address-table static $addr vlan $vid interface $if1 $if2', help: mac, params: staticParams, run: removeStatic },
    {
      syntax: 'mac address-table aging-time $zero', help: mac, params: { zero: [integer(0, 0), 'Enter 0 to disable aging'] },
      run: () => { st.config.agingTime = 0; reprogram(st); },
    },
    {
      syntax: 'mac address-table aging-time $s', help: mac, params: { s: [integer(10, 1000000), 'Aging time in seconds'] },
      run: (c) => { st.config.agingTime = c.args.int('s'); reprogram(st); },
    },
    { syntax: 'no mac address-table aging-time', help: mac, run: () => { st.config.agingTime = 300; reprogram(st); } },
    {
      syntax: 'arp $ip $mac ARPA', help: { arp: 'Set a static ARP entry', ARPA: 'ARP type ARPA' }, params: { ip: [ipv4(), 'IP address of ARP entry'], mac: [dottedMac(), '48-bit hardware address of ARP entry'] },
      run: (c) => {
        const ip = c.args.int('ip');
        const at = st.config.arp.findIndex((a) => a.ip === ip);
        if (at >= 0) st.config.arp.splice(at, 1);
        st.config.arp.push({ ip, mac: c.args.int('mac') });
      },
    },
    {
      syntax: 'no arp $ip', help: { arp: 'Set a static ARP entry' }, params: { ip: [ipv4(), 'IP address of ARP entry'] },
      run: (c) => {
        const at = st.config.arp.findIndex((a) => a.ip === c.args.int('ip'));
        if (at >= 0) st.config.arp.splice(at, 1);
      },
    },
    { syntax: 'line $rest', help: { line: 'Configure a terminal line' }, params: { rest: restOfLine() }, run: (c) => c.enterMode('config-line', null) },
    // Lines a pasted IOS configuration carries that LabBox accepts without modelling them.
    ...acceptedLines<ModeData>(['version $rest', 'service $rest', 'no service $rest', 'spanning-tree $rest', 'no spanning-tree $rest', 'vtp $rest', 'aaa $rest', 'no aaa $rest',
      'boot-start-marker', 'boot-end-marker', 'enable $rest', 'username $rest', 'logging $rest', 'no logging $rest', 'ntp $rest', 'snmp-server $rest', 'clock $rest', 'Building $rest', 'Current $rest', 'system $rest', 'vlan internal $rest']),
  ];
}

/** The hardware whose SDM templates apply: the switch's own, or a stack's master's. */
export function templateModel(st: CatalystState): CatalystModel {
  return st.system?.templateModel?.() ?? st.model;
}

/**
 * `sdm prefer <template> [desktop]`: stored in flash for the next boot. Typed at a running switch
 * it changes nothing until `reload`; read from the startup configuration at boot it is the
 * template the switch boots with. On a 3750-12S the words pick the aggregator version unless
 * `desktop` follows; a desktop 3750 has only desktop templates, and takes the trailing `desktop`
 * of the seed's `sdm prefer vlan desktop` as well [P: accepted by non-12S models]. There is no
 * word for an aggregator template, so a desktop switch cannot be asked for one.
 */
function sdmCommands(st: CatalystState): Spec[] {
  const model = templateModel(st);
  const templates = sdmTemplates(model);
  const words = [...new Set(templates.map((t) => t.words))];
  const help: Record<string, string> = { sdm: 'Switch Database Management', prefer: 'Configure SDM preferences' };
  for (const t of templates) help[t.words] ??= t.help;
  const choice = `(${words.join('|')})`;
  const store = (c: Ctx, typed: SdmChoice | null): void => {
    const m = templateModel(st);
    const t = typed === null ? defaultTemplate(m) : resolveTemplate(m, typed);
    if (t === undefined) {
      c.fail('% Invalid input detected: this switch has no such SDM template');
      return;
    }
    st.sdm.next = t.id;
    if (st.booting) st.sdm.current = t.id;
    else c.print(SDM_STORED_MESSAGE);
    st.system?.templateStored(typed, t.id);
  };
  const prefer = (desktop: boolean) => (c: Ctx): void => {
    store(c, { words: words.find((w) => c.args.has(w)) ?? words[0]!, desktop });
  };
  const specs: Spec[] = [{ syntax: `sdm prefer ${choice}`, help, run: prefer(false) }];
  if (templates.some((t) => t.family === 'desktop')) {
    specs.push({ syntax: `sdm prefer ${choice} desktop`, help: { ...help, desktop: 'Supported on all switches' }, run: prefer(true) });
  }
  specs.push({ syntax: 'no sdm prefer', help, run: (c) => store(c, null) });
  return specs;
}

/**
 * A keyword that exists only while `open()` holds: the routing commands of a template that has
 * them. Closed, the word is not in the parser at all, so IOS answers with its invalid-input marker
 * under it, as a 2960-S on its default template answers `ip routing`.
 */
function gatedKeyword(keyword: string, help: string, open: () => boolean): ParamType {
  // IOS takes a unique abbreviation: `route` and `routing` share `rout`, so five letters decide.
  const matches = (text: string): boolean => {
    const t = text.toLowerCase();
    return t === keyword || (t.length >= 5 && keyword.startsWith(t));
  };
  return {
    label: keyword,
    help,
    read: (tokens, i) => (open() && tokens[i] !== undefined && matches(tokens[i]!.text) ? { value: keyword, used: 1 } : null),
    couldStart: (partial) => open() && keyword.startsWith(partial.toLowerCase()),
    complete: (partial) => (open() && keyword.startsWith(partial.toLowerCase()) ? [keyword] : []),
  };
}

/** The rest of an `ip …` line LabBox accepts without modelling; never the routing words, which the template decides. */
function otherIpLine(): ParamType {
  return {
    label: 'LINE',
    help: '',
    restOfLine: true,
    read(tokens, i, line) {
      const t = tokens[i];
      if (t === undefined || /^rout/i.test(t.text)) return null;
      return { value: line.slice(t.start).trimEnd(), used: tokens.length - i };
    },
    couldStart: (partial) => !/^rout/i.test(partial),
  };
}

function ipCommands(st: CatalystState): Spec[] {
  const routing = (): boolean => sdmTemplate(templateModel(st), st.sdm.current)?.routing === true;
  const help = { ip: 'Global IP configuration subcommands', 'default-gateway': 'Specify default gateway (if not routing IP)' };
  const routeParams = {
    route: gatedKeyword('route', 'Establish static routes', routing),
    prefix: [ipv4(), 'Destination prefix'],
    mask: [ipv4(), 'Destination prefix mask'],
    hop: [ipv4(), 'Forwarding router\'s address'],
  } as const;
  const findRoute = (c: Ctx): number =>
    st.config.routes.findIndex((r) => r.prefix === c.args.int('prefix') && r.mask === c.args.int('mask') && r.nextHop === c.args.int('hop'));
  return [
    {
      syntax: 'ip $routing', help, no: true, params: { routing: gatedKeyword('routing', 'Enable IP routing', routing) },
      run: (c) => {
        st.config.ipRouting = !c.no;
        reprogram(st);
      },
    },
    {
      syntax: 'ip $route $prefix $mask $hop', help, params: routeParams,
      run: (c) => {
        if (findRoute(c) < 0) st.config.routes.push({ prefix: c.args.int('prefix'), mask: c.args.int('mask'), nextHop: c.args.int('hop') });
        reprogram(st);
      },
    },
    {
      syntax: 'no ip $route $prefix $mask $hop', help, params: routeParams,
      run: (c) => {
        const at = findRoute(c);
        if (at >= 0) st.config.routes.splice(at, 1);
        reprogram(st);
      },
    },
    {
      syntax: 'ip default-gateway $gw', help, no: 'ip default-gateway', params: { gw: [ipv4(), 'IP address of default gateway'] },
      run: (c) => {
        st.config.defaultGateway = c.no ? null : c.args.int('gw');
        reprogram(st);
      },
    },
    { syntax: 'ip $rest', hidden: true, params: { rest: otherIpLine() }, run: () => undefined },
    { syntax: 'no ip $rest', hidden: true, params: { rest: otherIpLine() }, run: () => undefined },
  ];
}

function execCommands(st: CatalystState, privileged: boolean, term: CatalystTerminal | null): Spec[] {
  const specs: Spec[] = [...showCommands(st, privileged)];
  if (!privileged) {
    specs.push(enableCommand('privileged'));
    return specs;
  }
  const save = (c: Ctx): void => {
    st.startup = st.config.render();
    c.print('Building configuration...\n[OK]');
  };
  specs.push(
    { syntax: 'enable', help: { enable: 'Turn on privileged commands' }, run: () => undefined },
    disableCommand('exec'),
    { syntax: 'configure terminal', help: { configure: 'Enter configuration mode', terminal: 'Configure from the terminal' }, run: (c) => {
      c.print('Enter configuration commands, one per line.  End with CNTL/Z.');
      c.enterMode('config');
    } },
    { syntax: 'write memory', help: { write: 'Write running configuration to memory, network, or terminal', memory: 'Write to NV memory' }, run: save },
    { syntax: 'write', help: { write: 'Write running configuration to memory, network, or terminal' }, run: save },
    {
      syntax: 'copy running-config startup-config', help: { copy: 'Copy from one file to another', 'running-config': 'Copy from current system configuration', 'startup-config': 'Copy to startup configuration' },
      run: (c) => {
        c.print('Destination filename [startup-config]? ');
        save(c);
      },
    },
    {
      syntax: 'reload', help: { reload: 'Halt and perform a cold restart' },
      run: (c) => {
        const system = st.system;
        if (system === null || term === null) return;
        const modified = st.startup !== st.config.render();
        term.question = { step: modified ? 'save' : 'confirm', proceed: () => system.reload() };
        c.print(modified ? SAVE_QUESTION : CONFIRM_QUESTION);
      },
    },
    ...clearDynamicMacCommands<ModeData>(
      { clear: 'Reset functions', mac: 'MAC configuration', 'address-table': 'MAC forwarding table', dynamic: 'dynamic entry type', vlan: 'vlan keyword' },
      (vlan) => st.plane.clearDynamic(vlan),
    ),
  );
  return specs;
}

export const SAVE_QUESTION = 'System configuration has been modified. Save? [yes/no]: ';
export const CONFIRM_QUESTION = 'Proceed with reload? [confirm]';

/** `term`: the console's own state; null where no one types (checking a configuration). */
export function catalystDialect(st: CatalystState, term: CatalystTerminal | null = null): DialectSpec<ModeData> {
  const ifCommands = interfaceCommands(st);
  const modes: ModeSpec<ModeData>[] = [
    { name: 'exec', prompt: '>', parent: null, commands: execCommands(st, false, term) },
    { name: 'privileged', prompt: '#', parent: null, commands: execCommands(st, true, term) },
    { name: 'config', prompt: '(config)#', parent: 'privileged', commands: globalCommands(st) },
    { name: 'config-if', prompt: '(config-if)#', parent: 'config', commands: ifCommands },
    { name: 'config-if-range', prompt: '(config-if-range)#', parent: 'config', commands: ifCommands },
    {
      name: 'config-vlan', prompt: '(config-vlan)#', parent: 'config',
      commands: [
        {
          syntax: 'name $name', no: 'name', help: { name: 'Ascii name of the VLAN' }, params: { name: word('The ascii name for the VLAN') },
          run: (c) => { if (c.data && c.data.kind === 'vlan') c.data.name = c.no ? null : c.args.str('name').slice(0, 32); },
        },
      ],
      // IOS commits the VLAN database when the vlan sub-mode is left, by whatever route.
      onExit: (d) => {
        if (!d || d.kind !== 'vlan') return;
        for (const id of d.ids) {
          if (RESERVED_VLANS.some((r) => r.id === id)) continue;
          st.config.vlans.set(id, d.name ?? st.config.vlans.get(id) ?? CatalystConfig.vlanDefaultName(id));
        }
        reprogram(st);
      },
    },
    {
      name: 'config-line', prompt: '(config-line)#', parent: 'config',
      commands: acceptedLines(['login $rest', 'login', 'password $rest', 'exec-timeout $rest', 'logging $rest', 'transport $rest', 'length $rest', 'privilege $rest', 'no $rest'], { hidden: false }),
    },
  ];
  return {
    modes,
    hostname: () => st.config.hostname,
    initialMode: 'exec',
    privilegedMode: 'privileged',
    configMode: 'config',
    logoutBanner: () => `\n\n\n${st.config.hostname} con0 is now available\n\n\n\n\n\nPress RETURN to get started.\n`,
    configuredMessage: () => `${show.syslogStamp(st.plane.now())}: %SYS-5-CONFIG_I: Configured from console by console`,
  };
}
