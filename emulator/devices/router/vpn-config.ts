/**
 * The MPLS VPN part of the router's running configuration: VRF definitions (RD, route targets),
 * which interfaces are in a VRF or run `mpls ip`, and `router bgp` with its address families.
 * The router's configuration holds one of these; `show running-config` renders it in IOS order.
 */
import { formatIpv4 } from '../../cli/params.ts';

export interface VrfDefinition {
  readonly name: string;
  rd: string | null;
  readonly importTargets: string[];
  readonly exportTargets: string[];
  /** `ip vrf NAME` (the older form) or `vrf definition NAME`; rendered as it was entered. */
  readonly style: 'ip-vrf' | 'definition';
}

/** A neighbour under `router bgp`, or under `address-family ipv4 vrf X` (a CE). */
export interface BgpNeighborConfig {
  readonly address: number;
  remoteAs: number | null;
  updateSource: string | null;
  description: string | null;
  shutdown: boolean;
}

/** What a neighbour does in one address family. */
export interface BgpAfNeighbor {
  activate: boolean;
  routeReflectorClient: boolean;
  sendCommunityExtended: boolean;
}

export interface BgpNetwork {
  readonly prefix: number;
  readonly mask: number;
}

export interface BgpVrfConfig {
  readonly vrf: string;
  readonly neighbors: Map<number, BgpNeighborConfig>;
  readonly activated: Set<number>;
  /** `maximum-paths eibgp N`: eBGP and iBGP paths installed together, up to N. */
  maximumPathsEibgp: number;
  redistributeConnected: boolean;
  readonly networks: BgpNetwork[];
}

export class BgpConfig {
  routerId: number | null = null;
  /** `no bgp default ipv4-unicast`: neighbours are not activated for IPv4 unicast by being named. */
  defaultIpv4Unicast = true;
  /** `bgp scan-time import`: seconds between imports of VPNv4 paths into VRFs. */
  scanTimeImport = 15;
  readonly neighbors = new Map<number, BgpNeighborConfig>();
  readonly ipv4 = new Map<number, BgpAfNeighbor>();
  readonly vpnv4 = new Map<number, BgpAfNeighbor>();
  readonly networks: BgpNetwork[] = [];
  readonly vrfs = new Map<string, BgpVrfConfig>();

  constructor(readonly asn: number) {}

  neighbor(address: number): BgpNeighborConfig {
    let n = this.neighbors.get(address);
    if (n === undefined) {
      n = { address, remoteAs: null, updateSource: null, description: null, shutdown: false };
      this.neighbors.set(address, n);
    }
    return n;
  }

  /** The neighbour's settings in a global address family, made when first named there. */
  af(family: 'ipv4' | 'vpnv4', address: number): BgpAfNeighbor {
    const map = family === 'ipv4' ? this.ipv4 : this.vpnv4;
    let a = map.get(address);
    if (a === undefined) {
      a = { activate: false, routeReflectorClient: false, sendCommunityExtended: false };
      map.set(address, a);
    }
    return a;
  }

  vrf(name: string): BgpVrfConfig {
    let v = this.vrfs.get(name);
    if (v === undefined) {
      v = { vrf: name, neighbors: new Map(), activated: new Set(), maximumPathsEibgp: 1, redistributeConnected: false, networks: [] };
      this.vrfs.set(name, v);
    }
    return v;
  }

  /** IPv4 unicast is on for a global neighbour when activated, or by default unless turned off. */
  ipv4Active(address: number): boolean {
    const a = this.ipv4.get(address);
    return a !== undefined ? a.activate : this.defaultIpv4Unicast;
  }
}

export class VpnConfig {
  readonly vrfs = new Map<string, VrfDefinition>();
  /** Interface name to the VRF it forwards in. */
  readonly interfaceVrf = new Map<string, string>();
  readonly mplsInterfaces = new Set<string>();
  bgp: BgpConfig | null = null;

  vrf(name: string, style: VrfDefinition['style']): VrfDefinition {
    let v = this.vrfs.get(name);
    if (v === undefined) {
      v = { name, rd: null, importTargets: [], exportTargets: [], style };
      this.vrfs.set(name, v);
    }
    return v;
  }

  renderVrfs(): string[] {
    const out: string[] = [];
    for (const v of this.vrfs.values()) {
      if (v.style === 'ip-vrf') {
        out.push(`ip vrf ${v.name}`);
        if (v.rd !== null) out.push(` rd ${v.rd}`);
        out.push(...targets(v, ' '), '!');
        continue;
      }
      out.push(`vrf definition ${v.name}`);
      if (v.rd !== null) out.push(` rd ${v.rd}`);
      out.push(' !', ' address-family ipv4', ...targets(v, '  '), ' exit-address-family', '!');
    }
    return out;
  }

  /** The lines an interface carries for its VRF (before its address) and for MPLS (after). */
  interfaceVrfLine(name: string): string[] {
    const vrf = this.interfaceVrf.get(name);
    if (vrf === undefined) return [];
    return [this.vrfs.get(vrf)?.style === 'ip-vrf' ? ` ip vrf forwarding ${vrf}` : ` vrf forwarding ${vrf}`];
  }

  interfaceMplsLine(name: string): string[] {
    return this.mplsInterfaces.has(name) ? [' mpls ip'] : [];
  }

  renderBgp(): string[] {
    const b = this.bgp;
    if (b === null) return [];
    const out = [`router bgp ${b.asn}`];
    if (b.routerId !== null) out.push(` bgp router-id ${formatIpv4(b.routerId)}`);
    out.push(' bgp log-neighbor-changes');
    if (b.scanTimeImport !== 15) out.push(` bgp scan-time import ${b.scanTimeImport}`);
    if (!b.defaultIpv4Unicast) out.push(' no bgp default ipv4-unicast');
    for (const n of b.neighbors.values()) out.push(...neighborLines(n, ' '));
    const v4 = [...b.ipv4].filter(([, a]) => a.activate || a.routeReflectorClient || a.sendCommunityExtended);
    if (b.networks.length > 0 || v4.length > 0) {
      out.push(' !', ' address-family ipv4');
      for (const n of b.networks) out.push(`  network ${formatIpv4(n.prefix)} mask ${formatIpv4(n.mask)}`);
      for (const [addr, a] of v4) out.push(...afLines(addr, a));
      out.push(' exit-address-family');
    }
    if (b.vpnv4.size > 0) {
      out.push(' !', ' address-family vpnv4');
      for (const [addr, a] of b.vpnv4) out.push(...afLines(addr, a));
      out.push(' exit-address-family');
    }
    for (const v of b.vrfs.values()) {
      out.push(' !', ` address-family ipv4 vrf ${v.vrf}`);
      if (v.redistributeConnected) out.push('  redistribute connected');
      for (const n of v.networks) out.push(`  network ${formatIpv4(n.prefix)} mask ${formatIpv4(n.mask)}`);
      for (const n of v.neighbors.values()) {
        out.push(...neighborLines(n, '  '));
        if (v.activated.has(n.address)) out.push(`  neighbor ${formatIpv4(n.address)} activate`);
      }
      if (v.maximumPathsEibgp > 1) out.push(`  maximum-paths eibgp ${v.maximumPathsEibgp}`);
      out.push(' exit-address-family');
    }
    out.push('!');
    return out;
  }
}

function targets(v: VrfDefinition, indent: string): string[] {
  const out: string[] = [];
  for (const t of v.exportTargets) out.push(`${indent}route-target export ${t}`);
  for (const t of v.importTargets) out.push(`${indent}route-target import ${t}`);
  return out;
}

function neighborLines(n: BgpNeighborConfig, indent: string): string[] {
  const a = formatIpv4(n.address);
  const out: string[] = [];
  if (n.remoteAs !== null) out.push(`${indent}neighbor ${a} remote-as ${n.remoteAs}`);
  if (n.description !== null) out.push(`${indent}neighbor ${a} description ${n.description}`);
  if (n.updateSource !== null) out.push(`${indent}neighbor ${a} update-source ${n.updateSource}`);
  if (n.shutdown) out.push(`${indent}neighbor ${a} shutdown`);
  return out;
}

function afLines(address: number, a: BgpAfNeighbor): string[] {
  const n = formatIpv4(address);
  const out: string[] = [];
  if (a.activate) out.push(`  neighbor ${n} activate`);
  if (a.sendCommunityExtended) out.push(`  neighbor ${n} send-community extended`);
  if (a.routeReflectorClient) out.push(`  neighbor ${n} route-reflector-client`);
  return out;
}
