/**
 * The NX-OS running configuration of a Nexus 5548 (switching subset): features, VLANs,
 * interfaces with their switchport, port-channel, vPC and FEX settings, the vPC domain and FEX
 * definitions, and its rendering as `show running-config` prints it.
 */
import { formatVlanList } from '../../l2/bridge-port.ts';
import { formatIpv4 } from '../../cli/params.ts';
import { FIXED_PORTS } from './info.ts';

export type NxChannelMode = 'on' | 'active' | 'passive';
export type NxFeature = 'lacp' | 'vpc' | 'fex' | 'interface-vlan';
export const FEATURES: readonly NxFeature[] = ['lacp', 'vpc', 'fex', 'interface-vlan'];

/** NX-OS vPC defaults: role priority and system priority 32667 (0x7f9b) [V: lag-id in the N5K operations guide's consistency example shows 7f9b]. */
export const DEFAULT_VPC_PRIORITY = 32667;
/** `delay restore` default: vPC ports stay down this long after a peer reload [U: 30 s]. Reloads are not modelled; the value is kept and shown. */
export const DEFAULT_DELAY_RESTORE = 30;
/** Peer-keepalive defaults [V: DOMAIN 4.5]: interval 1 s, timeout 5 s. */
export const DEFAULT_KEEPALIVE_INTERVAL_MS = 1000;
export const DEFAULT_KEEPALIVE_TIMEOUT_S = 5;

export interface NxInterface {
  readonly name: string;
  description: string | null;
  shutdown: boolean;
  mode: 'access' | 'trunk' | 'fex-fabric';
  accessVlan: number;
  nativeVlan: number;
  allowed: readonly number[] | 'all';
  channelGroup: { id: number; mode: NxChannelMode } | null;
  /** On a port-channel: `vpc N`, or `vpc peer-link`. */
  vpc: number | 'peer-link' | null;
  /** On a fex-fabric port: `fex associate N`. */
  fexAssociate: number | null;
  /** mgmt0 only: address and prefix length. */
  ip: { addr: number; len: number } | null;
}

export interface VpcDomainConfig {
  readonly id: number;
  keepalive: { destination: number; source: number | null; vrf: string } | null;
  rolePriority: number;
  systemPriority: number;
  delayRestore: number;
  peerGateway: boolean;
}

export interface FexConfig {
  description: string | null;
  pinningMaxLinks: number;
}

export function newInterface(name: string): NxInterface {
  return { name, description: null, shutdown: false, mode: 'access', accessVlan: 1, nativeVlan: 1, allowed: 'all', channelGroup: null, vpc: null, fexAssociate: null, ip: null };
}

/** A new port-channel takes its switchport settings from its first member, as NX-OS does. */
export function copySwitchport(from: NxInterface, to: NxInterface): void {
  to.mode = from.mode === 'fex-fabric' ? 'access' : from.mode;
  to.accessVlan = from.accessVlan;
  to.nativeVlan = from.nativeVlan;
  to.allowed = from.allowed;
}

const PO = 'port-channel';

/** Interface order of `show running-config`: Ethernet by numbers, then port-channels, mgmt0 last. */
function ifaceOrder(a: string, b: string): number {
  const rank = (n: string): number => (n.startsWith(PO) ? 0 : n.startsWith('Ethernet') ? 1 : 2);
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  const nums = (n: string): number[] => (n.match(/\d+/g) ?? []).map(Number);
  const x = nums(a);
  const y = nums(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) if ((x[i] ?? -1) !== (y[i] ?? -1)) return (x[i] ?? -1) - (y[i] ?? -1);
  return 0;
}

export class NxosConfig {
  hostname: string;
  readonly features = new Set<NxFeature>();
  readonly vlans = new Map<number, string | null>([[1, null]]);
  readonly interfaces = new Map<string, NxInterface>();
  vpcDomain: VpcDomainConfig | null = null;
  readonly fexes = new Map<number, FexConfig>();
  /** Physical interfaces: the fixed ports, mgmt0 and the host ports of FEXes the switch was built with. */
  readonly physical: readonly string[];

  constructor(hostname: string, fexHostPortNames: readonly string[] = []) {
    this.hostname = hostname;
    const names: string[] = [];
    for (let n = 1; n <= FIXED_PORTS; n++) names.push(`Ethernet1/${n}`);
    names.push(...fexHostPortNames, 'mgmt0');
    this.physical = names;
    for (const n of names) this.interfaces.set(n, newInterface(n));
  }

  isPhysical(name: string): boolean {
    return this.physical.includes(name);
  }

  iface(name: string): NxInterface {
    let c = this.interfaces.get(name);
    if (!c) {
      c = newInterface(name);
      this.interfaces.set(name, c);
    }
    return c;
  }

  portChannels(): number[] {
    const ids = new Set<number>();
    for (const c of this.interfaces.values()) {
      if (c.name.startsWith(PO)) ids.add(Number(c.name.slice(PO.length)));
      if (c.channelGroup) ids.add(c.channelGroup.id);
    }
    return [...ids].sort((a, b) => a - b);
  }

  members(id: number): NxInterface[] {
    return this.physical.map((n) => this.interfaces.get(n)!).filter((c) => c.channelGroup?.id === id);
  }

  /** The port-channel carrying `vpc N`, if any. */
  vpcChannel(vpc: number): number | null {
    for (const c of this.interfaces.values()) if (c.vpc === vpc && c.name.startsWith(PO)) return Number(c.name.slice(PO.length));
    return null;
  }

  peerLinkChannel(): number | null {
    for (const c of this.interfaces.values()) if (c.vpc === 'peer-link' && c.name.startsWith(PO)) return Number(c.name.slice(PO.length));
    return null;
  }

  /** vPC number → port-channel number, in vPC order. */
  vpcs(): [number, number][] {
    const out: [number, number][] = [];
    for (const c of this.interfaces.values()) if (typeof c.vpc === 'number' && c.name.startsWith(PO)) out.push([c.vpc, Number(c.name.slice(PO.length))]);
    return out.sort((a, b) => a[0] - b[0]);
  }

  render(version: string): string {
    const out: string[] = ['', '!Command: show running-config', '', `version ${version}`];
    for (const f of FEATURES) if (this.features.has(f)) out.push(`feature ${f}`);
    out.push('', `hostname ${this.hostname}`);
    for (const [id, fex] of [...this.fexes.entries()].sort((a, b) => a[0] - b[0])) {
      out.push(`fex ${id}`, `  pinning max-links ${fex.pinningMaxLinks}`, `  description "${fex.description ?? `FEX${String(id).padStart(4, '0')}`}"`);
    }
    out.push('', 'vlan 1');
    for (const [id, name] of [...this.vlans.entries()].sort((a, b) => a[0] - b[0])) {
      if (id === 1) continue;
      out.push(`vlan ${id}`);
      if (name !== null) out.push(`  name ${name}`);
    }
    const d = this.vpcDomain;
    if (d) {
      out.push(`vpc domain ${d.id}`);
      if (d.rolePriority !== DEFAULT_VPC_PRIORITY) out.push(`  role priority ${d.rolePriority}`);
      if (d.systemPriority !== DEFAULT_VPC_PRIORITY) out.push(`  system-priority ${d.systemPriority}`);
      if (d.keepalive) {
        const src = d.keepalive.source !== null ? ` source ${formatIpv4(d.keepalive.source)}` : '';
        out.push(`  peer-keepalive destination ${formatIpv4(d.keepalive.destination)}${src} vrf ${d.keepalive.vrf}`);
      }
      if (d.delayRestore !== DEFAULT_DELAY_RESTORE) out.push(`  delay restore ${d.delayRestore}`);
      if (d.peerGateway) out.push('  peer-gateway');
    }
    for (const name of [...this.interfaces.keys()].sort(ifaceOrder)) {
      const c = this.interfaces.get(name)!;
      out.push('', `interface ${name}`);
      if (c.description !== null) out.push(`  description ${c.description}`);
      if (name === 'mgmt0') {
        out.push('  vrf member management');
        if (c.ip) out.push(`  ip address ${formatIpv4(c.ip.addr)}/${c.ip.len}`);
        if (c.shutdown) out.push('  shutdown');
        continue;
      }
      if (c.mode === 'trunk') {
        out.push('  switchport mode trunk');
        if (c.nativeVlan !== 1) out.push(`  switchport trunk native vlan ${c.nativeVlan}`);
        if (c.allowed !== 'all') out.push(`  switchport trunk allowed vlan ${c.allowed.length === 0 ? 'none' : formatVlanList(c.allowed)}`);
      } else if (c.mode === 'fex-fabric') {
        out.push('  switchport mode fex-fabric');
        if (c.fexAssociate !== null) out.push(`  fex associate ${c.fexAssociate}`);
      } else if (c.accessVlan !== 1) out.push(`  switchport access vlan ${c.accessVlan}`);
      if (c.vpc === 'peer-link') out.push('  vpc peer-link');
      else if (c.vpc !== null) out.push(`  vpc ${c.vpc}`);
      if (c.channelGroup) out.push(`  channel-group ${c.channelGroup.id}${c.channelGroup.mode === 'on' ? '' : ` mode ${c.channelGroup.mode}`}`);
      if (c.shutdown) out.push('  shutdown');
    }
    return out.join('\n') + '\n';
  }
}
