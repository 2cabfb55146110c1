/**
 * The router's IOS-like command set: modes, configuration commands that edit the running
 * configuration (every change reprograms the stack, so a typed line and the same line in a
 * startup config have the same effect), the `show` commands and `ping`.
 */
import { acceptedLines, disableCommand, enableCommand } from '../../cli/common-commands.ts';
import type { DialectSpec, ModeSpec } from '../../cli/engine.ts';
import { formatIpv4, integer, interfaceName, ipv4, restOfLine, word, type InterfaceTypeSpec } from '../../cli/params.ts';
import type { CommandContext, CommandSpec } from '../../cli/tree.ts';
import { SECOND } from '../../core/time.ts';
import type { PingFlow } from '../../l3/ping.ts';
import { isLoopback, isSubinterface, maskLength, parentOf, type RouterConfig } from './config.ts';
import type { Router } from './device.ts';
import * as show from './shows.ts';
import * as mshow from './multicast-shows.ts';
import { RIP_SHOW_HELP, ripGlobalCommands, ripModes, ripShowCommands } from './rip-commands.ts';
import { VPN_SHOW_HELP, vpnGlobalCommands, vpnInterfaceCommands, vpnModes, vpnShowCommands } from './vpn-grammar.ts';

export interface ModeData {
  readonly name: string;
}

export interface RouterState {
  readonly config: RouterConfig;
  /** The running router; null when only checking a configuration's syntax. */
  readonly router: Router | null;
  startup: string | null;
}

/** Per-console state: the ping running in the foreground, if any. */
export interface RouterTerminal {
  ping: PingFlow | null;
}

type Ctx = CommandContext<ModeData>;
type Spec = CommandSpec<ModeData>;

/** IOS ping defaults: five 100-byte echoes, two seconds each. */
export const IOS_PING_COUNT = 5;
export const IOS_PING_SIZE = 100;
export const IOS_PING_TIMEOUT_NS = 2 * SECOND;

function interfaceTypes(st: RouterState): InterfaceTypeSpec[] {
  return [
    {
      name: 'GigabitEthernet', help: 'GigabitEthernet IEEE 802.3z', numberLabel: '<0-0>', numberHelp: 'GigabitEthernet interface number',
      valid: (n) => {
        const m = /^(\d+\/\d+)(?:\.(\d+))?$/.exec(n);
        if (!m || !st.config.physical.includes(`GigabitEthernet${m[1]}`)) return false;
        return m[2] === undefined || (Number(m[2]) >= 1 && Number(m[2]) <= 4294967295);
      },
    },
    { name: 'Loopback', help: 'Loopback interface', numberLabel: '<0-2147483647>', numberHelp: 'Loopback interface number', valid: (n) => /^\d+$/.test(n) && Number(n) <= 2147483647 },
  ];
}

function reprogram(st: RouterState): void {
  st.router?.program();
}

const SHOW_HELP: Record<string, string> = {
  show: 'Show running system information',
  ip: 'IP information',
  route: 'IP routing table',
  interface: 'IP interface status and configuration',
  brief: 'Brief summary of IP status and configuration',
  arp: 'ARP table',
  interfaces: 'Interface status and configuration',
  'running-config': 'Current operating configuration',
  'startup-config': 'Contents of startup configuration',
  mroute: 'IP multicast routing table',
  count: 'Route and packet count data',
  pim: 'PIM information',
  neighbor: 'PIM neighbor information',
  rp: 'PIM Rendezvous Point (RP) information',
  mapping: 'Show group-to-RP mappings',
  msdp: 'Multicast Source Discovery Protocol (MSDP)',
  peer: 'MSDP Peer Status',
  summary: 'MSDP Peer Summary',
  'sa-cache': 'MSDP Source-Active Cache',
  rpf: 'Display RPF information for multicast source',
  igmp: 'IGMP information',
  groups: 'IGMP group membership information',
  ...RIP_SHOW_HELP,
  ...VPN_SHOW_HELP,
};

function execCommands(st: RouterState, term: RouterTerminal, privileged: boolean): Spec[] {
  const ifp = interfaceName(interfaceTypes(st));
  const p = (syntax: string, run: (c: Ctx) => void, params?: Spec['params']): Spec => ({ syntax: `show ${syntax}`, help: SHOW_HELP, pipe: true, run, params });
  const r = (c: Ctx, f: (router: Router) => string): void => {
    if (st.router !== null) c.print(f(st.router));
  };
  const specs: Spec[] = [
    p('ip route', (c) => r(c, (x) => show.ipRoute(x))),
    p('ip interface brief', (c) => r(c, (x) => show.ipInterfaceBrief(x))),
    p('arp', (c) => r(c, (x) => show.arp(x))),
    p('ip arp', (c) => r(c, (x) => show.arp(x))),
    p('interfaces', (c) => r(c, (x) => show.interfaces(x, null))),
    p('interfaces $if', (c) => r(c, (x) => show.interfaces(x, c.args.iface('if').name)), { if: ifp }),
    p('ip mroute', (c) => r(c, (x) => mshow.ipMroute(x, null))),
    p('ip mroute $group', (c) => r(c, (x) => mshow.ipMroute(x, c.args.int('group'))), { group: [ipv4(), 'Source or group IP name or address'] }),
    p('ip mroute count', (c) => r(c, (x) => mshow.ipMrouteCount(x))),
    p('ip pim neighbor', (c) => r(c, (x) => mshow.ipPimNeighbor(x))),
    p('ip pim rp mapping', (c) => r(c, (x) => mshow.ipPimRpMapping(x))),
    p('ip msdp peer', (c) => r(c, (x) => mshow.ipMsdpPeer(x, null))),
    p('ip msdp peer $peer', (c) => r(c, (x) => mshow.ipMsdpPeer(x, c.args.int('peer'))), { peer: [ipv4(), 'Peer address'] }),
    p('ip msdp summary', (c) => r(c, (x) => mshow.ipMsdpSummary(x))),
    p('ip msdp sa-cache', (c) => r(c, (x) => mshow.ipMsdpSaCache(x))),
    p('ip rpf $addr', (c) => r(c, (x) => mshow.ipRpf(x, c.args.int('addr'))), { addr: [ipv4(), 'IP name or address of multicast source'] }),
    p('ip igmp groups', (c) => r(c, (x) => mshow.ipIgmpGroups(x))),
    ...ripShowCommands(st, p),
    ...vpnShowCommands(st, p),
    {
      syntax: 'ping $ip', help: { ping: 'Send echo messages' }, params: { ip: [ipv4(), 'Ping destination address or hostname'] },
      run: (c) => {
        if (st.router === null) return;
        const ip = c.args.int('ip');
        term.ping = st.router.ping(ip, { count: IOS_PING_COUNT, size: IOS_PING_SIZE, timeoutNs: IOS_PING_TIMEOUT_NS, intervalNs: IOS_PING_TIMEOUT_NS });
        c.print(`Type escape sequence to abort.\nSending ${IOS_PING_COUNT}, ${IOS_PING_SIZE}-byte ICMP Echos to ${formatIpv4(ip)}, timeout is ${IOS_PING_TIMEOUT_NS / SECOND} seconds:`);
      },
    },
  ];
  if (!privileged) return [...specs, enableCommand('privileged')];
  const save = (c: Ctx): void => {
    st.startup = st.config.render();
    c.print('Building configuration...\n[OK]');
  };
  specs.push(
    p('running-config', (c) => c.print(st.config.render())),
    p('startup-config', (c) => c.print(st.startup ?? 'startup-config is not present')),
    { syntax: 'enable', help: { enable: 'Turn on privileged commands' }, run: () => undefined },
    disableCommand('exec'),
    {
      syntax: 'configure terminal', help: { configure: 'Enter configuration mode', terminal: 'Configure from the terminal' },
      run: (c) => {
        c.print('Enter configuration commands, one per line.  End with CNTL/Z.');
        c.enterMode('config');
      },
    },
    { syntax: 'write memory', help: { write: 'Write running configuration to memory, network, or terminal', memory: 'Write to NV memory' }, run: save },
    { syntax: 'write', help: { write: 'Write running configuration to memory, network, or terminal' }, run: save },
    {
      syntax: 'clear arp-cache', help: { clear: 'Reset functions', 'arp-cache': 'Clear the entire ARP cache' },
      run: () => {
        for (const ifc of st.router?.interfaces ?? []) for (const [ip, e] of [...ifc.arp.entries]) if (e.state !== 'incomplete') ifc.arp.entries.delete(ip);
      },
    },
  );
  return specs;
}

/** Networks of every other interface that overlap `ip/len`, as IOS refuses them. */
function overlapping(st: RouterState, self: string, ip: number, len: number): string | null {
  for (const c of st.config.interfaces.values()) {
    if (c.name === self || c.address === null) continue;
    const other = maskLength(c.address.mask) ?? 32;
    const m = Math.min(len, other);
    const mask = m === 0 ? 0 : (0xffffffff << (32 - m)) >>> 0;
    if (((ip & mask) >>> 0) === ((c.address.ip & mask) >>> 0)) return c.name;
  }
  return null;
}

function interfaceCommands(st: RouterState): Spec[] {
  const current = (c: Ctx) => st.config.iface((c.data as ModeData).name);
  return [
    {
      syntax: 'ip address $ip $mask', no: 'ip address', help: { ip: 'Interface Internet Protocol config commands', address: 'Set the IP address of an interface' },
      params: { ip: [ipv4(), 'IP address'], mask: [ipv4(), 'IP subnet mask'] },
      run: (c) => {
        const ic = current(c);
        if (c.no) {
          ic.address = null;
          reprogram(st);
          return;
        }
        if (isSubinterface(ic.name) && ic.dot1q === null) {
          c.fail('% Configuring IP routing on a LAN subinterface is only allowed if that\nsubinterface is already configured as part of an IEEE 802.10, IEEE 802.1Q,\nor ISL vLAN.');
          return;
        }
        const ip = c.args.int('ip');
        const mask = c.args.int('mask');
        const len = maskLength(mask);
        // A loopback takes a host mask; a LAN interface needs room for a neighbour.
        if (len === null || len === 0 || (len === 32 && !isLoopback(ic.name))) {
          c.fail(`Bad mask 0x${mask.toString(16).toUpperCase().padStart(8, '0')} for address ${formatIpv4(ip)}`);
          return;
        }
        const net = (ip & mask) >>> 0;
        if (len < 31 && (ip === net || ip === ((net | ~mask) >>> 0))) {
          c.fail(`Bad mask /${len} for address ${formatIpv4(ip)}`);
          return;
        }
        const clash = overlapping(st, ic.name, ip, len);
        if (clash !== null) {
          c.fail(`% ${formatIpv4(net)} overlaps with ${clash}`);
          return;
        }
        ic.address = { ip, mask };
        reprogram(st);
      },
    },
    {
      syntax: 'shutdown', help: { shutdown: 'Shutdown the selected interface' }, no: true,
      run: (c) => {
        current(c).shutdown = !c.no;
        reprogram(st);
      },
    },
    {
      syntax: 'description $text', help: { description: 'Interface specific description' }, no: 'description', params: { text: restOfLine('Up to 240 characters describing this interface') },
      run: (c) => {
        current(c).description = c.no ? null : c.args.str('text').slice(0, 240);
      },
    },
    {
      syntax: 'encapsulation dot1Q $vid', help: { encapsulation: 'Set encapsulation type for an interface', dot1Q: 'IEEE 802.1Q Virtual LAN' }, params: { vid: [integer(1, 4094), 'IEEE 802.1Q VLAN ID'] },
      run: (c) => {
        const ic = current(c);
        const vid = c.args.int('vid');
        if (!isSubinterface(ic.name)) {
          c.fail('% Configuring IEEE 802.1Q encapsulation on the main interface is not supported here; use a subinterface');
          return;
        }
        for (const o of st.config.interfaces.values()) {
          if (o !== ic && o.dot1q === vid && parentOf(o.name) === parentOf(ic.name)) {
            c.fail(`% Configuration of multiple subinterfaces of the same main interface\n  with the same VID (${vid}) is not permitted.\n  This VID is already configured on ${o.name}.`);
            return;
          }
        }
        const live = st.router?.interfaces.find((i) => i.name === ic.name);
        if (live !== undefined && live.vlan !== vid) {
          c.fail(`% ${ic.name} keeps VLAN ${live.vlan} until the router reloads`);
          return;
        }
        ic.dot1q = vid;
        reprogram(st);
      },
    },
    {
      syntax: 'ip pim sparse-mode', no: true, help: { ip: 'Interface Internet Protocol config commands', pim: 'PIM interface commands', 'sparse-mode': 'Enable PIM sparse-mode operation' },
      run: (c) => {
        current(c).pimSparse = !c.no;
        if (!c.no && !st.config.multicastRouting) c.print('WARNING: "ip multicast-routing" is not configured,\n         IP Multicast packets will not be forwarded');
        reprogram(st);
      },
    },
    ...vpnInterfaceCommands(st),
    ...acceptedLines<ModeData>(['speed $rest', 'duplex $rest', 'negotiation $rest', 'media-type $rest', 'mtu $rest', 'cdp $rest', 'no cdp $rest']),
  ];
}

function globalCommands(st: RouterState): Spec[] {
  const ifp = interfaceName(interfaceTypes(st));
  const routeParams = { prefix: [ipv4(), 'Destination prefix'], mask: [ipv4(), 'Destination prefix mask'], nh: [ipv4(), 'Forwarding router\'s address'] } as const;
  const routeHelp = { ip: 'Global IP configuration subcommands', route: 'Establish static routes' };
  return [
    {
      syntax: 'hostname $name', help: { hostname: "Set system's network name" }, no: 'hostname', params: { name: word("This system's network name") },
      run: (c) => {
        st.config.hostname = c.no ? 'Router' : c.args.str('name');
      },
    },
    {
      syntax: 'interface $if', help: { interface: 'Select an interface to configure' }, params: { if: ifp },
      run: (c) => {
        const name = c.args.iface('if').name;
        st.config.iface(name);
        c.enterMode(isSubinterface(name) ? 'config-subif' : 'config-if', { name });
      },
    },
    {
      syntax: 'no interface $if', help: { interface: 'Select an interface to configure' }, params: { if: ifp },
      run: (c) => {
        const name = c.args.iface('if').name;
        if (!isSubinterface(name) && !isLoopback(name)) {
          c.fail('% Removal of physical interfaces is not permitted');
          return;
        }
        st.config.interfaces.delete(name);
        reprogram(st);
      },
    },
    ...['ip route $prefix $mask $nh', 'ip route $prefix $mask $nh $distance'].map((syntax): Spec => ({
      syntax, help: routeHelp, params: { ...routeParams, distance: [integer(1, 255), 'Distance metric for this route'] },
      run: (c) => {
        const prefix = c.args.int('prefix');
        const mask = c.args.int('mask');
        const nh = c.args.int('nh');
        const distance = c.args.optInt('distance') ?? 1;
        if (maskLength(mask) === null || ((prefix & ~mask) >>> 0) !== 0) {
          c.fail('%Inconsistent address and mask');
          return;
        }
        if ([...st.config.interfaces.values()].some((i) => i.address?.ip === nh)) {
          c.fail("%Invalid next hop address (it's this router)");
          return;
        }
        const at = st.config.routes.findIndex((r) => r.prefix === prefix && r.mask === mask && r.nextHop === nh);
        if (at >= 0) st.config.routes.splice(at, 1, { prefix, mask, nextHop: nh, distance });
        else st.config.routes.push({ prefix, mask, nextHop: nh, distance });
        reprogram(st);
      },
    })),
    {
      syntax: 'no ip route $prefix $mask $nh', help: routeHelp, params: routeParams,
      run: (c) => {
        const at = st.config.routes.findIndex((r) => r.prefix === c.args.int('prefix') && r.mask === c.args.int('mask') && r.nextHop === c.args.int('nh'));
        if (at < 0) {
          c.fail('%No matching route to delete');
          return;
        }
        st.config.routes.splice(at, 1);
        reprogram(st);
      },
    },
    ...multicastGlobalCommands(st, ifp),
    ...ripGlobalCommands(st),
    ...vpnGlobalCommands(st),
    { syntax: 'line $rest', help: { line: 'Configure a terminal line' }, params: { rest: restOfLine() }, run: (c) => c.enterMode('config-line', null) },
    // Lines a pasted IOS configuration carries that are accepted without modelling them.
    ...acceptedLines<ModeData>(['version $rest', 'service $rest', 'no service $rest', 'boot-start-marker', 'boot-end-marker', 'enable $rest', 'username $rest', 'logging $rest', 'no logging $rest',
      'ntp $rest', 'snmp-server $rest', 'clock $rest', 'Building $rest', 'Current $rest', 'ip domain-name $rest', 'ip cef', 'no ip domain-lookup', 'no ip http $rest', 'ip http $rest', 'aaa $rest', 'no aaa $rest']),
  ];
}

function multicastGlobalCommands(st: RouterState, ifp: ReturnType<typeof interfaceName>): Spec[] {
  const ipHelp = { ip: 'Global IP configuration subcommands' };
  const msdpHelp = { ...ipHelp, msdp: 'MSDP global commands', peer: 'Configure an MSDP peer', 'connect-source': 'Configure interface from which the TCP connection is sourced', 'originator-id': 'Configure MSDP Originator ID' };
  const setPeer = (c: Ctx): void => {
    const address = c.args.int('peer');
    const src = c.args.optIface('src')?.name ?? null;
    const have = st.config.msdpPeers.find((p) => p.address === address);
    if (have !== undefined) have.connectSource = src ?? have.connectSource;
    else st.config.msdpPeers.push({ address, connectSource: src });
    reprogram(st);
  };
  const peerParams = { peer: [ipv4(), 'Peer name or address'], src: ifp } as const;
  return [
    {
      syntax: 'ip multicast-routing', no: true, help: { ...ipHelp, 'multicast-routing': 'Enable IP multicast forwarding' },
      run: (c) => {
        st.config.multicastRouting = !c.no;
        reprogram(st);
      },
    },
    {
      syntax: 'ip pim rp-address $rp', help: { ...ipHelp, pim: 'PIM global commands', 'rp-address': 'PIM RP-address (Rendezvous Point)' }, params: { rp: [ipv4(), 'IP address of Rendezvous-point for group'] },
      run: (c) => {
        st.config.pimRp = c.args.int('rp');
        reprogram(st);
      },
    },
    {
      syntax: 'no ip pim rp-address $rp', help: { ...ipHelp, pim: 'PIM global commands', 'rp-address': 'PIM RP-address (Rendezvous Point)' }, params: { rp: [ipv4(), 'IP address of Rendezvous-point for group'] },
      run: (c) => {
        if (st.config.pimRp === c.args.int('rp')) st.config.pimRp = null;
        reprogram(st);
      },
    },
    { syntax: 'ip msdp peer $peer', help: msdpHelp, params: peerParams, run: setPeer },
    { syntax: 'ip msdp peer $peer connect-source $src', help: msdpHelp, params: peerParams, run: setPeer },
    {
      syntax: 'no ip msdp peer $peer', help: msdpHelp, params: peerParams,
      run: (c) => {
        const at = st.config.msdpPeers.findIndex((p) => p.address === c.args.int('peer'));
        if (at >= 0) st.config.msdpPeers.splice(at, 1);
        reprogram(st);
      },
    },
    {
      syntax: 'ip msdp originator-id $src', no: 'ip msdp originator-id', help: msdpHelp, params: { src: ifp },
      run: (c) => {
        st.config.msdpOriginatorId = c.no ? null : c.args.iface('src').name;
        reprogram(st);
      },
    },
  ];
}

export function routerDialect(st: RouterState, term: RouterTerminal): DialectSpec<ModeData> {
  const ifCommands = interfaceCommands(st);
  const modes: ModeSpec<ModeData>[] = [
    { name: 'exec', prompt: '>', parent: null, commands: execCommands(st, term, false) },
    { name: 'privileged', prompt: '#', parent: null, commands: execCommands(st, term, true) },
    { name: 'config', prompt: '(config)#', parent: 'privileged', commands: globalCommands(st) },
    { name: 'config-if', prompt: '(config-if)#', parent: 'config', commands: ifCommands },
    { name: 'config-subif', prompt: '(config-subif)#', parent: 'config', commands: ifCommands },
    {
      name: 'config-line', prompt: '(config-line)#', parent: 'config',
      commands: acceptedLines(['login $rest', 'login', 'password $rest', 'exec-timeout $rest', 'logging $rest', 'transport $rest', 'privilege $rest', 'no $rest'], { hidden: false }),
    },
    ...ripModes(st, interfaceName(interfaceTypes(st))),
    ...vpnModes(st, interfaceName(interfaceTypes(st))),
  ];
  return {
    modes,
    hostname: () => st.config.hostname,
    initialMode: 'exec',
    privilegedMode: 'privileged',
    configMode: 'config',
    logoutBanner: () => `\n\n\n${st.config.hostname} con0 is now available\n\n\n\n\n\nPress RETURN to get started.\n`,
    configuredMessage: () => `%SYS-5-CONFIG_I: Configured from console by console`,
  };
}
