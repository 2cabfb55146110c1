/**
 * The IOS commands of an MPLS VPN: `vrf definition` / `ip vrf` with `rd` and `route-target`,
 * `vrf forwarding` and `mpls ip` on interfaces, `router bgp` with neighbours and the IPv4,
 * VPNv4 and IPv4-VRF address families, and the `show` commands that read them back.
 */
import { acceptedLines } from '../../cli/common-commands.ts';
import type { ModeSpec } from '../../cli/engine.ts';
import { formatIpv4, integer, interfaceName, ipv4, restOfLine, word } from '../../cli/params.ts';
import type { CommandContext, CommandSpec } from '../../cli/tree.ts';
import { isValidRd } from '../../wire/bgp.ts';
import { maskLength } from './config.ts';
import type { ModeData, RouterState } from './grammar.ts';
import type { Router } from './device.ts';
import { BgpConfig, type BgpNeighborConfig } from './vpn-config.ts';
import * as vshow from './vpn-shows.ts';

type Ctx = CommandContext<ModeData>;
type Spec = CommandSpec<ModeData>;
type IfParam = ReturnType<typeof interfaceName>;

const VRF_PREFIX = 'vrf:';

function reprogram(st: RouterState): void {
  st.router?.program();
}

function rdParam(): [ReturnType<typeof word>, string] {
  return [word('ASN:nn or IP-address:nn', 'ASN:nn or IP-address:nn'), 'VPN Route Distinguisher'];
}

/** Global configuration: VRFs, `router bgp`, MPLS. */
export function vpnGlobalCommands(st: RouterState): Spec[] {
  const vpn = st.config.vpn;
  return [
    {
      syntax: 'vrf definition $name', help: { vrf: 'VRF commands', definition: 'VRF definition' }, params: { name: word('VRF name') },
      run: (c) => {
        const name = c.args.str('name');
        vpn.vrf(name, 'definition');
        reprogram(st);
        c.enterMode('config-vrf', { name });
      },
    },
    {
      syntax: 'ip vrf $name', help: { ip: 'Global IP configuration subcommands', vrf: 'Configure an IP VPN Routing/Forwarding instance' }, params: { name: word('VPN Routing/Forwarding instance name') },
      run: (c) => {
        const name = c.args.str('name');
        vpn.vrf(name, 'ip-vrf');
        reprogram(st);
        c.enterMode('config-ip-vrf', { name });
      },
    },
    ...['no vrf definition $name', 'no ip vrf $name'].map((syntax): Spec => ({
      syntax, help: { vrf: 'VRF commands', definition: 'VRF definition' }, params: { name: word('VRF name') },
      run: (c) => {
        const name = c.args.str('name');
        if (!vpn.vrfs.delete(name)) {
          c.fail(`% VRF ${name} does not exist`);
          return;
        }
        for (const [ifName, v] of [...vpn.interfaceVrf]) {
          if (v !== name) continue;
          vpn.interfaceVrf.delete(ifName);
          st.config.iface(ifName).address = null;
        }
        vpn.bgp?.vrfs.delete(name);
        reprogram(st);
      },
    })),
    {
      syntax: 'router bgp $asn', help: { router: 'Enable a routing process', bgp: 'Border Gateway Protocol (BGP)' }, params: { asn: integer(1, 65535, 'Autonomous system number') },
      run: (c) => {
        const asn = c.args.int('asn');
        if (vpn.bgp !== null && vpn.bgp.asn !== asn) {
          c.fail(`% BGP is already running; AS is ${vpn.bgp.asn}`);
          return;
        }
        if (vpn.bgp === null) vpn.bgp = new BgpConfig(asn);
        reprogram(st);
        c.enterMode('config-router', { name: 'bgp' });
      },
    },
    {
      syntax: 'no router bgp $asn', help: { router: 'Enable a routing process', bgp: 'Border Gateway Protocol (BGP)' }, params: { asn: integer(1, 65535, 'Autonomous system number') },
      run: (c) => {
        if (vpn.bgp?.asn !== c.args.int('asn')) {
          c.fail('% No BGP process with that AS number');
          return;
        }
        vpn.bgp = null;
        reprogram(st);
      },
    },
    ...acceptedLines<ModeData>(['mpls label protocol ldp', 'mpls ldp router-id $rest', 'mpls ldp $rest', 'ip forward-protocol $rest', 'ip bgp-community $rest']),
  ];
}

/** Interface configuration: VRF membership and `mpls ip`. */
export function vpnInterfaceCommands(st: RouterState): Spec[] {
  const vpn = st.config.vpn;
  const current = (c: Ctx): string => (c.data as ModeData).name;
  const bind = (c: Ctx, style: 'definition' | 'ip-vrf'): void => {
    const ifName = current(c);
    if (c.no) {
      if (!vpn.interfaceVrf.has(ifName)) return;
      vpn.interfaceVrf.delete(ifName);
    } else {
      const name = c.args.str('name');
      const v = vpn.vrfs.get(name);
      if (v === undefined) {
        c.fail(style === 'definition' ? `% VRF ${name} not configured` : `% VRF ${name} does not exist or does not have a RD`);
        return;
      }
      if (vpn.interfaceVrf.get(ifName) === name) return;
      vpn.interfaceVrf.set(ifName, name);
    }
    // IOS takes the address off an interface that changes VRF.
    const ic = st.config.iface(ifName);
    if (ic.address !== null) {
      c.print(`% Interface ${ifName} IP address ${formatIpv4(ic.address.ip)} removed due to ${c.no ? 'disabling' : 'enabling'} VRF ${c.no ? '' : c.args.str('name')}`.trimEnd());
      ic.address = null;
    }
    reprogram(st);
  };
  return [
    { syntax: 'vrf forwarding $name', no: 'vrf forwarding', help: { vrf: 'VPN Routing/Forwarding parameters on the interface', forwarding: 'Configure forwarding table' }, params: { name: word('VRF name') }, run: (c) => bind(c, 'definition') },
    { syntax: 'ip vrf forwarding $name', no: 'ip vrf forwarding', help: { ip: 'Interface Internet Protocol config commands', vrf: 'VPN Routing/Forwarding parameters on the interface', forwarding: 'Configure forwarding table' }, params: { name: word('VRF name') }, run: (c) => bind(c, 'ip-vrf') },
    {
      syntax: 'mpls ip', no: true, help: { mpls: 'Configure MPLS interface parameters', ip: 'Configure dynamic MPLS forwarding for IP' },
      run: (c) => {
        if (c.no) vpn.mplsInterfaces.delete(current(c));
        else vpn.mplsInterfaces.add(current(c));
        reprogram(st);
      },
    },
    ...acceptedLines<ModeData>(['mpls label protocol ldp', 'mpls mtu $rest']),
  ];
}

function routeTargetCommands(st: RouterState): Spec[] {
  const help = { 'route-target': 'Specify Target VPN Extended Communities', import: 'Import Target-VPN community', export: 'Export Target-VPN community', both: 'Both import and export Target-VPN community' };
  const dirs: ['import' | 'export' | 'both', (v: { importTargets: string[]; exportTargets: string[] }) => string[][]][] = [
    ['import', (v) => [v.importTargets]],
    ['export', (v) => [v.exportTargets]],
    ['both', (v) => [v.importTargets, v.exportTargets]],
  ];
  return dirs.map(([dir, lists]): Spec => ({
    syntax: `route-target ${dir} $rt`, no: true, help,
    params: { rt: [word('ASN:nn or IP-address:nn', 'ASN:nn or IP-address:nn'), 'Target VPN Extended Community'] },
    run: (c) => {
      const v = st.config.vpn.vrfs.get((c.data as ModeData).name);
      if (v === undefined) return;
      const rt = c.args.str('rt');
      if (!isValidRd(rt)) {
        c.fail('% Invalid route-target');
        return;
      }
      for (const l of lists(v)) {
        const at = l.indexOf(rt);
        if (c.no && at >= 0) l.splice(at, 1);
        else if (!c.no && at < 0) l.push(rt);
      }
      reprogram(st);
    },
  }));
}

function rdCommand(st: RouterState): Spec {
  return {
    syntax: 'rd $rd', no: true, help: { rd: 'Specify Route Distinguisher' }, params: { rd: rdParam() },
    run: (c) => {
      const v = st.config.vpn.vrfs.get((c.data as ModeData).name);
      if (v === undefined) return;
      const rd = c.args.str('rd');
      if (c.no) {
        if (v.rd === rd) v.rd = null;
        reprogram(st);
        return;
      }
      if (!isValidRd(rd)) {
        c.fail('% Invalid RD format.');
        return;
      }
      if (v.rd !== null && v.rd !== rd) {
        c.fail(`% Do "no rd ${v.rd}" before redefining a new RD.`);
        return;
      }
      v.rd = rd;
      reprogram(st);
    },
  };
}

/** BGP neighbour commands shared by router mode and the VRF address family. */
function neighborCommands(st: RouterState, ifp: IfParam): Spec[] {
  const bgp = (): BgpConfig => st.config.vpn.bgp!;
  const family = (c: Ctx): string => (c.data as ModeData).name;
  const vrfOf = (c: Ctx): string | null => (family(c).startsWith(VRF_PREFIX) ? family(c).slice(VRF_PREFIX.length) : null);
  const neighbor = (c: Ctx, create: boolean): BgpNeighborConfig | null => {
    const addr = c.args.int('peer');
    const vrf = vrfOf(c);
    const table = vrf === null ? bgp().neighbors : bgp().vrf(vrf).neighbors;
    const n = table.get(addr);
    if (n !== undefined) return n;
    if (!create) {
      c.fail(`% Specify remote-as or peer-group commands first`);
      return null;
    }
    if (vrf === null) return bgp().neighbor(addr);
    const made: BgpNeighborConfig = { address: addr, remoteAs: null, updateSource: null, description: null, shutdown: false };
    table.set(addr, made);
    return made;
  };
  const help = { neighbor: 'Specify a neighbor router', 'remote-as': 'Specify a BGP neighbor', 'update-source': 'Source of routing updates', activate: 'Enable the Address Family for this Neighbor', 'route-reflector-client': 'Configure a neighbor as Route Reflector client', 'send-community': 'Send Community attribute to this neighbor', extended: 'Send Extended Community attribute', both: 'Send Standard and Extended Community attributes', description: 'Neighbor specific description', shutdown: 'Administratively shut down this neighbor' };
  const peer = { peer: [ipv4(), 'Neighbor address'] } as const;
  const afNeighbor = (c: Ctx) => {
    const fam = family(c);
    if (fam.startsWith(VRF_PREFIX)) return null;
    const addr = c.args.int('peer');
    if (!bgp().neighbors.has(addr)) {
      c.fail(`% Specify remote-as or peer-group commands first`);
      return undefined;
    }
    return bgp().af(fam === 'vpnv4' ? 'vpnv4' : 'ipv4', addr);
  };
  return [
    {
      syntax: 'neighbor $peer remote-as $as', help, params: { ...peer, as: integer(1, 65535, 'AS of remote neighbor') },
      run: (c) => {
        const n = neighbor(c, true);
        if (n === null) return;
        n.remoteAs = c.args.int('as');
        const vrf = vrfOf(c);
        if (vrf !== null) bgp().vrf(vrf).activated.add(n.address);
        reprogram(st);
      },
    },
    {
      syntax: 'no neighbor $peer', help, params: peer,
      run: (c) => {
        const vrf = vrfOf(c);
        const addr = c.args.int('peer');
        if (vrf === null) {
          bgp().neighbors.delete(addr);
          bgp().ipv4.delete(addr);
          bgp().vpnv4.delete(addr);
        } else {
          bgp().vrf(vrf).neighbors.delete(addr);
          bgp().vrf(vrf).activated.delete(addr);
        }
        reprogram(st);
      },
    },
    {
      syntax: 'neighbor $peer update-source $src', no: true, help, params: { ...peer, src: ifp },
      run: (c) => {
        const n = neighbor(c, false);
        if (n === null) return;
        n.updateSource = c.no ? null : c.args.iface('src').name;
        reprogram(st);
      },
    },
    {
      syntax: 'neighbor $peer description $text', no: 'neighbor $peer description', help, params: { ...peer, text: restOfLine('Up to 80 characters describing this neighbor') },
      run: (c) => {
        const n = neighbor(c, false);
        if (n !== null) n.description = c.no ? null : c.args.str('text').slice(0, 80);
      },
    },
    {
      syntax: 'neighbor $peer shutdown', no: true, help, params: peer,
      run: (c) => {
        const n = neighbor(c, false);
        if (n === null) return;
        n.shutdown = !c.no;
        reprogram(st);
      },
    },
    {
      syntax: 'neighbor $peer activate', no: true, help, params: peer,
      run: (c) => {
        const vrf = vrfOf(c);
        if (vrf !== null) {
          const n = neighbor(c, false);
          if (n === null) return;
          if (c.no) bgp().vrf(vrf).activated.delete(n.address);
          else bgp().vrf(vrf).activated.add(n.address);
        } else {
          const a = afNeighbor(c);
          if (a === undefined || a === null) return;
          a.activate = !c.no;
          // IOS turns on extended communities with the VPNv4 family, since route targets ride in them.
          if (!c.no && family(c) === 'vpnv4') a.sendCommunityExtended = true;
        }
        reprogram(st);
      },
    },
    {
      syntax: 'neighbor $peer route-reflector-client', no: true, help, params: peer,
      run: (c) => {
        const a = afNeighbor(c);
        if (a === undefined) return;
        if (a === null) {
          c.fail('% Invalid command for a VRF address family neighbor');
          return;
        }
        a.routeReflectorClient = !c.no;
        reprogram(st);
      },
    },
    ...['neighbor $peer send-community extended', 'neighbor $peer send-community both'].map((syntax): Spec => ({
      syntax, no: true, help, params: peer,
      run: (c) => {
        const a = afNeighbor(c);
        if (a === undefined || a === null) return;
        a.sendCommunityExtended = !c.no;
        reprogram(st);
      },
    })),
    ...['neighbor $peer send-community', 'neighbor $peer send-community standard'].map((syntax): Spec => ({ syntax, no: true, help, params: peer, run: () => undefined })),
  ];
}

function networkCommand(st: RouterState): Spec {
  return {
    syntax: 'network $prefix mask $mask', no: true, help: { network: 'Specify a network to announce via BGP', mask: 'Network mask' }, params: { prefix: [ipv4(), 'Network number'], mask: [ipv4(), 'Network mask'] },
    run: (c) => {
      const b = st.config.vpn.bgp;
      if (b === null) return;
      const fam = (c.data as ModeData).name;
      const list = fam.startsWith(VRF_PREFIX) ? b.vrf(fam.slice(VRF_PREFIX.length)).networks : b.networks;
      const prefix = c.args.int('prefix');
      const mask = c.args.int('mask');
      if (maskLength(mask) === null || ((prefix & ~mask) >>> 0) !== 0) {
        c.fail('% Inconsistent address and mask');
        return;
      }
      const at = list.findIndex((n) => n.prefix === prefix && n.mask === mask);
      if (c.no && at >= 0) list.splice(at, 1);
      else if (!c.no && at < 0) list.push({ prefix, mask });
      reprogram(st);
    },
  };
}

function routerCommands(st: RouterState, ifp: IfParam): Spec[] {
  const bgp = (): BgpConfig => st.config.vpn.bgp!;
  const afHelp = { 'address-family': 'Enter Address Family command mode', ipv4: 'Address family', vpnv4: 'Address family', unicast: 'Address Family modifier', vrf: 'Specify parameters for a VPN Routing/Forwarding instance' };
  return [
    {
      syntax: 'bgp router-id $id', no: 'bgp router-id', help: { bgp: 'BGP specific commands', 'router-id': 'Override configured router identifier (peers will reset)' }, params: { id: [ipv4(), 'Manually configured router identifier'] },
      run: (c) => {
        bgp().routerId = c.no ? null : c.args.int('id');
        reprogram(st);
      },
    },
    {
      syntax: 'bgp default ipv4-unicast', no: true, help: { bgp: 'BGP specific commands', default: 'Configure BGP defaults', 'ipv4-unicast': 'Activate ipv4-unicast for a peer by default' },
      run: (c) => {
        bgp().defaultIpv4Unicast = !c.no;
        reprogram(st);
      },
    },
    {
      syntax: 'bgp scan-time import $s', no: 'bgp scan-time import', help: { bgp: 'BGP specific commands', 'scan-time': 'Configure background scanner interval', import: 'Configure import processing of VPNv4 unicast routing information' }, params: { s: integer(5, 60, 'Scanner interval (seconds)') },
      run: (c) => {
        bgp().scanTimeImport = c.no ? 15 : c.args.int('s');
      },
    },
    ...['address-family ipv4', 'address-family ipv4 unicast'].map((syntax): Spec => ({ syntax, help: afHelp, run: (c) => c.enterMode('config-router-af', { name: 'ipv4' }) })),
    ...['address-family vpnv4', 'address-family vpnv4 unicast'].map((syntax): Spec => ({ syntax, help: afHelp, run: (c) => c.enterMode('config-router-af', { name: 'vpnv4' }) })),
    {
      syntax: 'address-family ipv4 vrf $name', help: afHelp, params: { name: word('VPN Routing/Forwarding instance name') },
      run: (c) => {
        const name = c.args.str('name');
        const v = st.config.vpn.vrfs.get(name);
        if (v === undefined || v.rd === null) {
          c.fail(`%VRF ${name} does not exist or does not have a RD`);
          return;
        }
        bgp().vrf(name);
        reprogram(st);
        c.enterMode('config-router-af', { name: `${VRF_PREFIX}${name}` });
      },
    },
    ...neighborCommands(st, ifp),
    networkCommand(st),
    ...acceptedLines<ModeData>(['bgp log-neighbor-changes', 'no bgp log-neighbor-changes', 'no synchronization', 'no auto-summary', 'timers bgp $rest', 'bgp bestpath $rest']),
  ];
}

function addressFamilyCommands(st: RouterState, ifp: IfParam): Spec[] {
  return [
    ...neighborCommands(st, ifp),
    networkCommand(st),
    {
      syntax: 'maximum-paths eibgp $n', no: 'maximum-paths eibgp', help: { 'maximum-paths': 'Forward packets over multiple paths', eibgp: 'Both iBGP and eBGP' }, params: { n: integer(1, 16, 'Number of paths') },
      run: (c) => {
        const fam = (c.data as ModeData).name;
        const b = st.config.vpn.bgp;
        if (b === null) return;
        if (!fam.startsWith(VRF_PREFIX)) {
          c.fail('% Only applicable to VRF address families');
          return;
        }
        b.vrf(fam.slice(VRF_PREFIX.length)).maximumPathsEibgp = c.no ? 1 : c.args.int('n');
        reprogram(st);
      },
    },
    {
      syntax: 'redistribute connected', no: true, help: { redistribute: 'Redistribute information from another routing protocol', connected: 'Connected' },
      run: (c) => {
        const fam = (c.data as ModeData).name;
        const b = st.config.vpn.bgp;
        if (b !== null && fam.startsWith(VRF_PREFIX)) b.vrf(fam.slice(VRF_PREFIX.length)).redistributeConnected = !c.no;
      },
    },
    { syntax: 'exit-address-family', help: { 'exit-address-family': 'Exit from Address Family configuration mode' }, run: (c) => c.exitMode() },
    ...acceptedLines<ModeData>(['no synchronization', 'no auto-summary']),
  ];
}

export function vpnModes(st: RouterState, ifp: IfParam): ModeSpec<ModeData>[] {
  const rt = routeTargetCommands(st);
  const rd = rdCommand(st);
  return [
    {
      name: 'config-vrf', prompt: '(config-vrf)#', parent: 'config',
      commands: [rd, { syntax: 'address-family ipv4', help: { 'address-family': 'Enter Address Family command mode', ipv4: 'Address family' }, run: (c) => c.enterMode('config-vrf-af', c.data) }, ...acceptedLines<ModeData>(['description $rest', 'address-family ipv4 unicast'])],
    },
    {
      name: 'config-vrf-af', prompt: '(config-vrf-af)#', parent: 'config-vrf',
      commands: [...rt, { syntax: 'exit-address-family', help: { 'exit-address-family': 'Exit from Address Family configuration mode' }, run: (c) => c.exitMode() }],
    },
    { name: 'config-ip-vrf', prompt: '(config-vrf)#', parent: 'config', commands: [rd, ...rt, ...acceptedLines<ModeData>(['description $rest'])] },
    { name: 'config-router', prompt: '(config-router)#', parent: 'config', commands: routerCommands(st, ifp) },
    { name: 'config-router-af', prompt: '(config-router-af)#', parent: 'config-router', commands: addressFamilyCommands(st, ifp) },
  ];
}

export const VPN_SHOW_HELP: Record<string, string> = {
  bgp: 'BGP information',
  vpnv4: 'Display VPNv4 NLRI specific information',
  all: 'Display information about all VPNv4 NLRIs',
  vrf: 'Display information about a VRF',
  mpls: 'MPLS information',
  'forwarding-table': 'Show the Label Forwarding Information Base (LFIB)',
  ldp: 'Show LDP information',
  neighbor: 'Display LDP neighbor information',
  cef: 'Cisco Express Forwarding',
};

/** The exec `show` commands of the VPN plane. */
export function vpnShowCommands(st: RouterState, p: (syntax: string, run: (c: Ctx) => void, params?: Spec['params']) => Spec): Spec[] {
  const r = (c: Ctx, f: (router: Router) => string): void => {
    if (st.router !== null) c.print(f(st.router));
  };
  const vrfParam = { vrf: [word('VPN Routing/Forwarding instance name'), 'VPN Routing/Forwarding instance name'] } as const;
  return [
    p('ip bgp', (c) => r(c, (x) => vshow.ipBgp(x))),
    p('ip bgp summary', (c) => r(c, (x) => vshow.ipBgpSummary(x, 'ipv4'))),
    p('ip bgp vpnv4 all', (c) => r(c, (x) => vshow.ipBgpVpnv4(x, null))),
    p('ip bgp vpnv4 all summary', (c) => r(c, (x) => vshow.ipBgpSummary(x, 'vpnv4'))),
    p('ip bgp vpnv4 vrf $vrf', (c) => r(c, (x) => vshow.ipBgpVpnv4(x, c.args.str('vrf'))), vrfParam),
    p('ip route vrf $vrf', (c) => r(c, (x) => vshow.ipRouteVrf(x, c.args.str('vrf'))), vrfParam),
    p('ip cef vrf $vrf $prefix', (c) => r(c, (x) => vshow.ipCefVrf(x, c.args.str('vrf'), c.args.str('prefix'))), { ...vrfParam, prefix: [word('A.B.C.D or A.B.C.D/nn'), 'prefix'] }),
    p('ip vrf', (c) => r(c, (x) => vshow.ipVrf(x))),
    p('mpls forwarding-table', (c) => r(c, (x) => vshow.mplsForwardingTable(x))),
    p('mpls ldp neighbor', (c) => r(c, (x) => vshow.mplsLdpNeighbor(x))),
  ];
}
