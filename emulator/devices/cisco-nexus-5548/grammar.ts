/**
 * The NX-OS command set of the Nexus 5548 (switching, port-channel, vPC and FEX subset): modes,
 * configuration commands mapped onto the running configuration, and the `show` commands. Every
 * change reprograms the switch, so a line typed at the console and the same line in a startup
 * configuration have the same effect. NX-OS has no user EXEC: a console starts at `switch#`.
 */
import { acceptedLines } from '../../cli/common-commands.ts';
import type { DialectSpec, ModeSpec } from '../../cli/engine.ts';
import { idList, integer, interfaceName, interfaceRange, ipv4, oneToken, parseIpv4, restOfLine, word, type InterfaceTypeSpec } from '../../cli/params.ts';
import type { CommandContext, CommandSpec } from '../../cli/tree.ts';
import { clearDynamicMacCommands, macTableShowCommands } from '../cisco-common/mac-address-table.ts';
import { selectedInterfaces, setChannelGroup, trunkAllowedCommands } from '../cisco-common/switchport.ts';
import { copySwitchport, DEFAULT_DELAY_RESTORE, DEFAULT_VPC_PRIORITY, FEATURES, type NxChannelMode, type NxFeature, type NxInterface } from './config.ts';
import type { NexusSwitch } from './device.ts';
import { FEX_MAX, FEX_MIN, MAX_PORT_CHANNEL, NXOS_VERSION } from './info.ts';
import * as show from './shows.ts';

export type ModeData =
  | { readonly kind: 'if'; readonly names: readonly string[] }
  | { readonly kind: 'vlan'; readonly ids: readonly number[] }
  | { readonly kind: 'fex'; readonly id: number }
  | null;

type Ctx = CommandContext<ModeData>;
type Spec = CommandSpec<ModeData>;

const PO = 'port-channel';
/** NX-OS answers a command whose feature is off as if the keyword did not exist. */
const NOT_ENABLED = "% Invalid command at '^' marker.";

export function interfaceTypes(sw: NexusSwitch): InterfaceTypeSpec[] {
  return [
    { name: 'Ethernet', help: 'Ethernet IEEE 802.3z', numberLabel: '<1-199>', numberHelp: 'Slot/chassis number', valid: (n) => sw.config.isPhysical(`Ethernet${n}`) },
    { name: PO, help: 'Port Channel interface', numberLabel: `<1-${MAX_PORT_CHANNEL}>`, numberHelp: 'Port Channel number', valid: (n) => /^\d+$/.test(n) && Number(n) >= 1 && Number(n) <= MAX_PORT_CHANNEL },
    { name: 'mgmt', help: 'Management interface', numberLabel: '<0-0>', numberHelp: 'Management interface number', valid: (n) => n === '0' },
  ];
}

/** `A.B.C.D/LEN`. */
const ipPrefix = oneToken('A.B.C.D/LEN', 'IP prefix and network mask length in format x.x.x.x/m', (t) => {
  const m = /^([\d.]+)\/(\d{1,2})$/.exec(t);
  if (!m) return null;
  const addr = parseIpv4(m[1]!);
  const len = Number(m[2]);
  return addr === null || len > 32 ? null : `${addr}/${len}`;
}, (p) => /^[\d./]*$/.test(p));

const SHOW_HELP: Record<string, string> = {
  show: 'Show running system information',
  vpc: 'Virtual Port Channel configuration',
  brief: 'Show brief information',
  'port-channel': 'Port-channel information',
  summary: 'Port-channel summary',
  fex: 'Show FEX information',
  interface: 'Display interface information',
  mac: 'Display MAC information',
  'address-table': 'Display MAC Address Table',
  vlan: 'Vlan commands',
  'running-config': 'Current operating configuration',
  'startup-config': 'Contents of startup configuration',
  version: 'Show the software & hardware version',
  feature: 'Show feature status',
  'peer-keepalive': 'Peer keepalive status',
  role: 'vPC role',
  address: 'MAC address',
  dynamic: 'Dynamic entries',
  static: 'Static entries',
};

function showCommands(sw: NexusSwitch): Spec[] {
  const ifp = interfaceName(interfaceTypes(sw));
  const p = (syntax: string, run: (c: Ctx) => void, params?: Spec['params']): Spec => ({ syntax: `show ${syntax}`, help: SHOW_HELP, pipe: true, run, params });
  return [
    p('version', (c) => c.print(show.version(sw))),
    p('feature', (c) => c.print(show.features(sw))),
    p('vpc', (c) => c.print(show.vpc(sw))),
    p('vpc brief', (c) => c.print(show.vpc(sw))),
    p('vpc role', (c) => c.print(show.vpcRole(sw))),
    p('vpc peer-keepalive', (c) => c.print(show.vpcKeepalive(sw))),
    p('port-channel summary', (c) => c.print(show.portChannelSummary(sw))),
    p('fex', (c) => c.print(show.fex(sw))),
    p('interface brief', (c) => c.print(show.interfaceBrief(sw))),
    p('vlan', (c) => c.print(show.vlanBrief(sw))),
    p('vlan brief', (c) => c.print(show.vlanBrief(sw))),
    p('running-config', (c) => c.print(sw.config.render(NXOS_VERSION))),
    p('startup-config', (c) => c.print(sw.startup ?? 'No startup configuration')),
    ...macTableShowCommands<ModeData>({ help: SHOW_HELP, iface: ifp, addressHelp: 'MAC address, format EEEE.EEEE.EEEE', interfaceHelp: 'Interface', print: (f) => show.macTable(sw, f) }),
  ];
}

function targets(sw: NexusSwitch, c: Ctx, propagate: boolean): NxInterface[] {
  return selectedInterfaces(c.data, sw.config, PO, propagate);
}

function needs(sw: NexusSwitch, c: Ctx, feature: NxFeature): boolean {
  if (sw.config.features.has(feature)) return true;
  c.fail(NOT_ENABLED);
  return false;
}

function interfaceCommands(sw: NexusSwitch): Spec[] {
  const each = (c: Ctx, propagate: boolean, f: (ic: NxInterface) => void): void => {
    for (const ic of targets(sw, c, propagate)) f(ic);
    sw.program();
  };
  const onlyPortChannel = (c: Ctx): boolean => {
    const d = c.data;
    if (d && d.kind === 'if' && d.names.every((n) => n.startsWith(PO))) return true;
    c.fail('ERROR: vpc configuration is only allowed on port-channel interfaces');
    return false;
  };
  const sp = {
    switchport: 'Configure switchport parameters',
    mode: 'Enter the port mode',
    access: 'Port mode access',
    trunk: 'Port mode trunk',
    'fex-fabric': 'Port mode FEX fabric',
    native: 'Set native VLAN for a trunk',
    allowed: 'Set allowed VLAN characteristics when interface is in trunking mode',
    vlan: 'Set VLAN when interface is in access mode',
    add: 'Add VLANs to the current list',
    remove: 'Remove VLANs from the current list',
    except: 'All VLANs except the following',
    all: 'All VLANs',
    none: 'No VLANs',
  };
  const vlanId = integer(1, 4094);
  const list = idList(1, 4094, 'VLAN IDs of the allowed VLANs when this port is in trunking mode', 'WORD');
  return [
    {
      syntax: 'description $text', no: 'description', help: { description: 'Enter description of maximum 80 characters' }, params: { text: restOfLine('Description') },
      run: (c) => each(c, false, (ic) => { ic.description = c.no ? null : c.args.str('text').slice(0, 80); }),
    },
    { syntax: 'shutdown', no: true, help: { shutdown: 'Enable/disable an interface' }, run: (c) => each(c, false, (ic) => { ic.shutdown = !c.no; }) },
    { syntax: 'switchport', no: true, help: sp, run: () => undefined },
    {
      syntax: 'switchport mode (access|trunk)', no: 'switchport mode', help: sp,
      run: (c) => each(c, true, (ic) => { ic.mode = c.no ? 'access' : c.args.has('trunk') ? 'trunk' : 'access'; }),
    },
    {
      syntax: 'switchport mode fex-fabric', help: sp,
      run: (c) => {
        if (!needs(sw, c, 'fex')) return;
        each(c, false, (ic) => { ic.mode = 'fex-fabric'; });
      },
    },
    {
      syntax: 'switchport access vlan $vid', no: 'switchport access vlan', help: sp, params: { vid: [vlanId, 'VLAN ID of the VLAN when this port is in access mode'] },
      run: (c) => each(c, true, (ic) => { ic.accessVlan = c.no ? 1 : c.args.int('vid'); }),
    },
    {
      syntax: 'switchport trunk native vlan $vid', no: 'switchport trunk native vlan', help: sp, params: { vid: [vlanId, 'VLAN ID of the native VLAN'] },
      run: (c) => each(c, true, (ic) => { ic.nativeVlan = c.no ? 1 : c.args.int('vid'); }),
    },
    ...trunkAllowedCommands<ModeData, NxInterface>(sp, list, (c, f) => each(c, true, f)),
    {
      syntax: 'channel-group $n', no: 'channel-group', help: { 'channel-group': 'Configure port channel parameters' }, params: { n: [integer(1, MAX_PORT_CHANNEL), 'Channel group number'] },
      run: (c) => channelGroup(sw, c, 'on'),
    },
    {
      syntax: 'channel-group $n mode (active|passive|on)',
      help: { mode: 'Channeling mode', active: 'Set channeling mode to ACTIVE', passive: 'Set channeling mode to PASSIVE', on: 'Set channeling mode to ON' },
      params: { n: [integer(1, MAX_PORT_CHANNEL), 'Channel group number'] },
      run: (c) => {
        const mode: NxChannelMode = c.args.has('active') ? 'active' : c.args.has('passive') ? 'passive' : 'on';
        if (mode !== 'on' && !needs(sw, c, 'lacp')) return;
        channelGroup(sw, c, mode);
      },
    },
    {
      syntax: 'vpc $n', no: true, help: { vpc: 'Virtual Port Channel configuration' }, params: { n: [integer(1, 4096), 'vPC number'] },
      run: (c) => {
        if (!needs(sw, c, 'vpc') || !onlyPortChannel(c)) return;
        if (!c.no) {
          const taken = sw.config.vpcChannel(c.args.int('n'));
          const d = c.data;
          if (taken !== null && d && d.kind === 'if' && !d.names.includes(`${PO}${taken}`)) {
            c.fail(`ERROR: Operation failed: [vPC ${c.args.int('n')} is already configured on port-channel${taken}]`);
            return;
          }
        }
        each(c, false, (ic) => { ic.vpc = c.no ? null : c.args.int('n'); });
      },
    },
    {
      syntax: 'no vpc', help: { vpc: 'Virtual Port Channel configuration' },
      run: (c) => {
        if (!needs(sw, c, 'vpc') || !onlyPortChannel(c)) return;
        targets(sw, c, false).forEach((ic) => { ic.vpc = null; });
        sw.program();
      },
    },
    {
      syntax: 'vpc peer-link', help: { 'peer-link': 'Make this port-channel a peer-link for the vpc domain' },
      run: (c) => {
        if (!needs(sw, c, 'vpc') || !onlyPortChannel(c)) return;
        if (!c.no) c.print('Please note that spanning tree port type is changed to "network" port type on vPC peer-link.\nThis will enable spanning tree Bridge Assurance on vPC peer-link provided the STP Bridge Assurance\n(which is enabled by default) is not disabled.');
        each(c, false, (ic) => { ic.vpc = c.no ? null : 'peer-link'; });
      },
      no: true,
    },
    {
      syntax: 'fex associate $n', no: 'fex associate', help: { fex: 'Configure FEX', associate: 'Associate a FEX with this interface' }, params: { n: [integer(FEX_MIN, FEX_MAX), 'FEX number'] },
      run: (c) => {
        if (!needs(sw, c, 'fex')) return;
        const n = c.args.int('n');
        each(c, false, (ic) => {
          if (c.no) {
            ic.fexAssociate = null;
            return;
          }
          if (ic.mode !== 'fex-fabric') {
            c.fail('ERROR: Interface is not in fex-fabric mode');
            return;
          }
          ic.fexAssociate = n;
          if (!sw.config.fexes.has(n)) sw.config.fexes.set(n, { description: null, pinningMaxLinks: 1 });
        });
      },
    },
    {
      syntax: 'ip address $prefix', no: 'ip address', help: { ip: 'Configure IP features', address: 'Configure IP address on interface' }, params: { prefix: ipPrefix },
      run: (c) => {
        const d = c.data;
        if (!d || d.kind !== 'if' || d.names.some((n) => n !== 'mgmt0')) {
          c.fail('ERROR: IP addresses can only be set on mgmt0 here (no SVIs or routed ports are modelled)');
          return;
        }
        const [addr, len] = c.no ? [0, 0] : c.args.str('prefix').split('/').map(Number) as [number, number];
        each(c, false, (ic) => { ic.ip = c.no ? null : { addr, len }; });
      },
    },
    // Accepted as on the real switch; their effect is not modelled.
    ...acceptedLines<ModeData>(['vrf member $rest', 'spanning-tree $rest', 'speed $rest', 'duplex $rest', 'mtu $rest', 'lacp $rest', 'cdp $rest', 'flowcontrol $rest', 'storm-control $rest', 'udld $rest', 'load-interval $rest'], { no: true }),
  ];
}

function channelGroup(sw: NexusSwitch, c: Ctx, mode: NxChannelMode): void {
  setChannelGroup(c, targets(sw, c, false), mode, {
    table: sw.config,
    portChannel: PO,
    eligible: (ic) => sw.config.isPhysical(ic.name) && ic.name !== 'mgmt0',
    notEligible: 'ERROR: channel-group is only valid on Ethernet interfaces',
    mismatch: () => 'command failed: port not compatible [port channel mode]',
    copySwitchport,
    program: () => sw.program(),
  });
}

function vpcDomainCommands(sw: NexusSwitch): Spec[] {
  const dom = (c: Ctx) => {
    const d = sw.config.vpcDomain;
    if (!d) c.fail('ERROR: no vPC domain');
    return d;
  };
  const after = (): void => sw.program();
  return [
    {
      syntax: 'peer-keepalive destination $dst', help: { 'peer-keepalive': 'Configure the vPC peer keepalive link', destination: 'Destination IP address of the peer' }, params: { dst: [ipv4(), 'Enter IPv4 address of the peer'] },
      run: (c) => { const d = dom(c); if (d) { d.keepalive = { destination: c.args.int('dst'), source: null, vrf: 'management' }; after(); } },
    },
    {
      syntax: 'peer-keepalive destination $dst source $src', help: { source: 'Source IP address of this switch' }, params: { dst: [ipv4(), 'Enter IPv4 address of the peer'], src: [ipv4(), 'Enter IPv4 address of this switch'] },
      run: (c) => { const d = dom(c); if (d) { d.keepalive = { destination: c.args.int('dst'), source: c.args.int('src'), vrf: 'management' }; after(); } },
    },
    {
      syntax: 'peer-keepalive destination $dst source $src vrf $vrf', help: { vrf: 'Send keepalives in this VRF' }, params: { dst: [ipv4(), 'Enter IPv4 address of the peer'], src: [ipv4(), 'Enter IPv4 address of this switch'], vrf: word('VRF name') },
      run: (c) => { const d = dom(c); if (d) { d.keepalive = { destination: c.args.int('dst'), source: c.args.int('src'), vrf: c.args.str('vrf') }; after(); } },
    },
    {
      syntax: 'peer-keepalive destination $dst vrf $vrf', params: { dst: [ipv4(), 'Enter IPv4 address of the peer'], vrf: word('VRF name') },
      run: (c) => { const d = dom(c); if (d) { d.keepalive = { destination: c.args.int('dst'), source: null, vrf: c.args.str('vrf') }; after(); } },
    },
    { syntax: 'no peer-keepalive', run: (c) => { const d = dom(c); if (d) { d.keepalive = null; after(); } } },
    {
      syntax: 'role priority $n', no: 'role priority', help: { role: 'Configure VPC role priority', priority: 'Priority value' }, params: { n: [integer(1, 65535), 'Role priority value (lower is preferred)'] },
      run: (c) => { const d = dom(c); if (d) { d.rolePriority = c.no ? DEFAULT_VPC_PRIORITY : c.args.int('n'); after(); } },
    },
    {
      syntax: 'system-priority $n', no: 'system-priority', help: { 'system-priority': 'Configure system priority for vPC' }, params: { n: [integer(1, 65535), 'System priority value'] },
      run: (c) => { const d = dom(c); if (d) { d.systemPriority = c.no ? DEFAULT_VPC_PRIORITY : c.args.int('n'); after(); } },
    },
    {
      syntax: 'delay restore $s', no: 'delay restore', help: { delay: 'Configure delay', restore: 'Delay in bringing up the vPC links after restoring the peer-link' }, params: { s: [integer(1, 3600), 'Delay in seconds'] },
      run: (c) => { const d = dom(c); if (d) d.delayRestore = c.no ? DEFAULT_DELAY_RESTORE : c.args.int('s'); },
    },
    { syntax: 'peer-gateway', no: true, help: { 'peer-gateway': 'Enable L3 forwarding for packets destined to peer gateway mac-address' }, run: (c) => { const d = dom(c); if (d) d.peerGateway = !c.no; } },
    ...acceptedLines<ModeData>(['auto-recovery $rest', 'auto-recovery', 'ip arp synchronize', 'peer-config-check-bypass', 'graceful consistency-check', 'system-mac $rest'], { no: true }),
  ];
}

function globalCommands(sw: NexusSwitch): Spec[] {
  const types = interfaceTypes(sw);
  const vlanList = idList(1, 4094, 'VLAN ID 1-4094 or range(s): 1-5, 10 or 2-5,7-19', '<1-4094>');
  const featureWords = Object.fromEntries(FEATURES.map((f) => [f, `Enable/Disable ${f}`])) as Record<string, string>;
  return [
    {
      syntax: 'hostname $name', no: 'hostname', help: { hostname: 'Configure system\'s host name' }, params: { name: word('This system\'s host name') },
      run: (c) => { sw.config.hostname = c.no ? 'switch' : c.args.str('name'); },
    },
    { syntax: 'switchname $name', help: { switchname: 'Configure system\'s host name' }, params: { name: word('This system\'s host name') }, run: (c) => { sw.config.hostname = c.args.str('name'); } },
    {
      syntax: `feature (${FEATURES.join('|')})`, no: true, help: { feature: 'Command to enable/disable features', ...featureWords },
      run: (c) => {
        const f = FEATURES.find((x) => c.args.has(x))!;
        if (c.no) {
          sw.config.features.delete(f);
          if (f === 'vpc') sw.config.vpcDomain = null;
        } else sw.config.features.add(f);
        sw.program();
      },
    },
    {
      syntax: 'vlan $ids', help: { vlan: 'Vlan commands' }, params: { ids: vlanList },
      run: (c) => {
        const ids = c.args.ids('ids');
        for (const id of ids) if (!sw.config.vlans.has(id)) sw.config.vlans.set(id, null);
        sw.program();
        c.enterMode('config-vlan', { kind: 'vlan', ids });
      },
    },
    {
      syntax: 'no vlan $ids', help: { vlan: 'Vlan commands' }, params: { ids: vlanList },
      run: (c) => {
        for (const id of c.args.ids('ids')) {
          if (id === 1) c.fail('ERROR: vlan 1 cannot be deleted');
          else sw.config.vlans.delete(id);
        }
        sw.program();
      },
    },
    {
      syntax: 'interface $list', help: { interface: 'Configure interfaces' }, params: { list: interfaceRange(types) },
      run: (c) => {
        const names = c.args.ifaces('list').map((r) => r.name);
        for (const n of names) sw.config.iface(n);
        sw.program();
        c.enterMode(names.length === 1 ? 'config-if' : 'config-if-range', { kind: 'if', names });
      },
    },
    {
      syntax: 'no interface $if', help: { interface: 'Configure interfaces' }, params: { if: interfaceName(types) },
      run: (c) => {
        const name = c.args.iface('if').name;
        if (sw.config.isPhysical(name)) {
          c.fail('ERROR: Physical interfaces cannot be deleted');
          return;
        }
        sw.config.interfaces.delete(name);
        for (const m of sw.config.members(Number(name.slice(PO.length)))) m.channelGroup = null;
        sw.program();
      },
    },
    {
      syntax: 'vpc domain $id', help: { vpc: 'Virtual Port Channel configuration', domain: 'Configure vPC domain' }, params: { id: [integer(1, 1000), 'Domain id'] },
      run: (c) => {
        if (!needs(sw, c, 'vpc')) return;
        const id = c.args.int('id');
        const d = sw.config.vpcDomain;
        if (d && d.id !== id) {
          c.fail(`ERROR: Cannot change domain-id. Domain ${d.id} already configured.`);
          return;
        }
        if (!d) sw.config.vpcDomain = { id, keepalive: null, rolePriority: DEFAULT_VPC_PRIORITY, systemPriority: DEFAULT_VPC_PRIORITY, delayRestore: DEFAULT_DELAY_RESTORE, peerGateway: false };
        sw.program();
        c.enterMode('config-vpc-domain', null);
      },
    },
    {
      syntax: 'no vpc domain $id', help: { vpc: 'Virtual Port Channel configuration', domain: 'Configure vPC domain' }, params: { id: [integer(1, 1000), 'Domain id'] },
      run: (c) => { sw.config.vpcDomain = null; sw.program(); },
    },
    {
      syntax: 'fex $n', help: { fex: 'FEX configuration' }, params: { n: [integer(FEX_MIN, FEX_MAX), 'FEX number'] },
      run: (c) => {
        if (!needs(sw, c, 'fex')) return;
        const n = c.args.int('n');
        if (!sw.config.fexes.has(n)) sw.config.fexes.set(n, { description: null, pinningMaxLinks: 1 });
        c.enterMode('config-fex', { kind: 'fex', id: n });
      },
    },
    // Lines a pasted NX-OS configuration carries that LabBox accepts without modelling them.
    ...acceptedLines<ModeData>(['version $rest', 'boot $rest', 'username $rest', 'ssh $rest', 'no ssh $rest', 'logging $rest', 'no logging $rest', 'ntp $rest', 'snmp-server $rest', 'spanning-tree $rest', 'no spanning-tree $rest',
      'ip $rest', 'no ip $rest', 'class-map $rest', 'policy-map $rest', 'system $rest', 'line $rest', 'vrf context $rest', 'cfs $rest', 'clock $rest', 'port-channel $rest', 'slot $rest', 'no feature telnet', 'feature telnet', 'feature ssh']),
  ];
}

function execCommands(sw: NexusSwitch): Spec[] {
  const save = (c: Ctx): void => {
    sw.startup = sw.config.render(NXOS_VERSION);
    c.print('[########################################] 100%\nCopy complete.');
  };
  return [
    ...showCommands(sw),
    {
      syntax: 'configure terminal', help: { configure: 'Enter configuration mode', terminal: 'Configure the system from terminal input' },
      run: (c) => {
        c.print('Enter configuration commands, one per line. End with CNTL/Z.');
        c.enterMode('config');
      },
    },
    { syntax: 'configure', run: (c) => c.enterMode('config'), hidden: true },
    {
      syntax: 'copy running-config startup-config', help: { copy: 'Copy from one file to another', 'running-config': 'Copy running configuration to destination', 'startup-config': 'Copy from source to startup configuration' },
      run: save,
    },
    ...clearDynamicMacCommands<ModeData>(
      { clear: 'Reset functions', mac: 'MAC configuration', 'address-table': 'MAC address table', dynamic: 'Clear dynamic entries', vlan: 'VLAN' },
      (vlan) => sw.clearDynamicMacs(vlan),
    ),
  ];
}

export function nexusDialect(sw: NexusSwitch): DialectSpec<ModeData> {
  const ifCommands = interfaceCommands(sw);
  const modes: ModeSpec<ModeData>[] = [
    { name: 'exec', prompt: '#', parent: null, commands: execCommands(sw) },
    { name: 'config', prompt: '(config)#', parent: 'exec', commands: globalCommands(sw) },
    { name: 'config-if', prompt: '(config-if)#', parent: 'config', commands: ifCommands },
    { name: 'config-if-range', prompt: '(config-if-range)#', parent: 'config', commands: ifCommands },
    { name: 'config-vpc-domain', prompt: '(config-vpc-domain)#', parent: 'config', commands: vpcDomainCommands(sw) },
    {
      name: 'config-fex', prompt: '(config-fex)#', parent: 'config',
      commands: [
        {
          syntax: 'description $text', no: 'description', help: { description: 'FEX description' }, params: { text: restOfLine('Description') },
          run: (c) => { const d = c.data; if (d && d.kind === 'fex') sw.config.fexes.get(d.id)!.description = c.no ? null : c.args.str('text').replace(/^"|"$/g, ''); },
        },
        {
          syntax: 'pinning max-links $n', help: { pinning: 'FEX pinning', 'max-links': 'Number of uplinks' }, params: { n: [integer(1, 4), 'Number of fabric links'] },
          run: (c) => { const d = c.data; if (d && d.kind === 'fex') sw.config.fexes.get(d.id)!.pinningMaxLinks = c.args.int('n'); },
        },
        ...acceptedLines<ModeData>(['type $rest', 'serial $rest'], { no: true }),
      ],
    },
    {
      name: 'config-vlan', prompt: '(config-vlan)#', parent: 'config',
      commands: [
        {
          syntax: 'name $name', no: 'name', help: { name: 'Ascii name of the VLAN' }, params: { name: word('The ascii name for the VLAN') },
          run: (c) => {
            const d = c.data;
            if (!d || d.kind !== 'vlan') return;
            for (const id of d.ids) sw.config.vlans.set(id, c.no ? null : c.args.str('name').slice(0, 32));
            sw.program();
          },
        },
        ...acceptedLines<ModeData>(['state $rest', 'no shutdown', 'shutdown']),
      ],
    },
  ];
  return {
    modes,
    hostname: () => sw.config.hostname,
    initialMode: 'exec',
    privilegedMode: 'exec',
    configMode: 'config',
  };
}
