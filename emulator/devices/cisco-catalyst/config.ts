/**
 * The running configuration of a Catalyst as IOS holds it: what `show running-config` prints and
 * what the data plane is programmed from. Kept vendor-shaped (descriptions, channel-group modes,
 * the order IOS prints things in); the device maps it onto the generic switch.
 */
import { formatDottedMac, formatIdList, formatIpv4 } from '../../cli/params.ts';
import type { CatalystModel } from './info.ts';
import { catalystPorts } from './info.ts';

export type ChannelMode = 'active' | 'passive' | 'on';

export interface InterfaceConfig {
  readonly name: string;
  description: string | null;
  shutdown: boolean;
  /** null: the factory default (`dynamic auto`), which behaves as access without a DTP peer. */
  mode: 'access' | 'trunk' | null;
  accessVlan: number;
  nativeVlan: number;
  allowed: readonly number[] | 'all';
  encapsulation: 'dot1q' | 'isl' | 'negotiate' | null;
  channelGroup: { id: number; mode: ChannelMode } | null;
  /** SVIs only. */
  ipAddress: { ip: number; mask: number } | null;
}

/** Make `to` switch as `from` does: a bundle and its members carry the same switchport settings. */
export function copySwitchport(from: InterfaceConfig, to: InterfaceConfig): void {
  to.mode = from.mode;
  to.accessVlan = from.accessVlan;
  to.nativeVlan = from.nativeVlan;
  to.allowed = from.allowed;
  to.encapsulation = from.encapsulation;
}

export interface StaticMac {
  readonly mac: number;
  readonly vlan: number;
  interfaces: string[];
}

export interface ArpEntry {
  readonly ip: number;
  readonly mac: number;
}

export const RESERVED_VLANS: readonly { id: number; name: string }[] = [
  { id: 1002, name: 'fddi-default' },
  { id: 1003, name: 'token-ring-default' },
  { id: 1004, name: 'fddinet-default' },
  { id: 1005, name: 'trnet-default' },
];

export const DEFAULT_AGING_S = 300;

export interface StaticRoute {
  readonly prefix: number;
  readonly mask: number;
  readonly nextHop: number;
}

export class CatalystConfig {
  hostname: string;
  readonly vlans = new Map<number, string>([[1, 'default']]);
  readonly interfaces = new Map<string, InterfaceConfig>();
  readonly staticMacs: StaticMac[] = [];
  readonly arp: ArpEntry[] = [];
  agingTime = DEFAULT_AGING_S;
  /** `ip routing`: the SVIs route between their networks (only on a template that allows it). */
  ipRouting = false;
  readonly routes: StaticRoute[] = [];
  /** `ip default-gateway`: the switch's own way off-link while it does not route. */
  defaultGateway: number | null = null;
  /** Lines IOS accepts that LabBox does not model, kept so they survive a round trip. */
  readonly passthrough: string[] = [];
  readonly physical: readonly string[];

  /** `physical`: the interfaces the switch has, when not one switch's own (a stack's members' ports). */
  constructor(
    readonly model: CatalystModel,
    hostname: string,
    physical?: readonly string[],
  ) {
    this.hostname = hostname;
    this.physical = physical ?? catalystPorts(model).map((p) => p.name);
    for (const name of this.physical) this.interfaces.set(name, defaultInterface(name));
    this.interfaces.set('Vlan1', { ...defaultInterface('Vlan1'), mode: null });
  }

  iface(name: string): InterfaceConfig {
    let c = this.interfaces.get(name);
    if (!c) {
      c = defaultInterface(name);
      this.interfaces.set(name, c);
    }
    return c;
  }

  isPhysical(name: string): boolean {
    return this.physical.includes(name);
  }

  static vlanDefaultName(id: number): string {
    return `VLAN${String(id).padStart(4, '0')}`;
  }

  /** Members of a port-channel, in port order. */
  members(channel: number): InterfaceConfig[] {
    return this.physical.map((n) => this.interfaces.get(n)!).filter((c) => c.channelGroup?.id === channel);
  }

  portChannels(): number[] {
    return [...this.interfaces.keys()]
      .filter((n) => n.startsWith('Port-channel'))
      .map((n) => Number(n.slice('Port-channel'.length)))
      .sort((a, b) => a - b);
  }

  /** `show running-config`, in IOS's section order. */
  render(): string {
    const out: string[] = ['Building configuration...', '', `Current configuration : @@@ bytes`, '!', 'version 15.0', 'no service pad',
      'service timestamps debug datetime msec', 'service timestamps log datetime msec', 'no service password-encryption', '!', `hostname ${this.hostname}`, '!',
      'boot-start-marker', 'boot-end-marker', '!', 'no aaa new-model'];
    for (const line of this.passthrough) out.push(line);
    out.push('!');
    if (this.ipRouting) out.push('ip routing', '!');
    if (this.agingTime !== DEFAULT_AGING_S) out.push(`mac address-table aging-time ${this.agingTime}`);
    for (const s of this.staticMacs) {
      out.push(`mac address-table static ${formatDottedMac(s.mac)} vlan ${s.vlan} interface ${s.interfaces.join(' ')}`);
    }
    out.push('spanning-tree mode pvst', 'spanning-tree extend system-id', '!', 'vlan internal allocation policy ascending', '!');
    for (const [id, name] of [...this.vlans].sort((a, b) => a[0] - b[0])) {
      if (id === 1) continue;
      out.push(`vlan ${id}`);
      if (name !== CatalystConfig.vlanDefaultName(id)) out.push(` name ${name}`);
      out.push('!');
    }
    const order = (n: string): number => (n.startsWith('Port-channel') ? 0 : n.startsWith('Vlan') ? 2 : 1);
    const names = [...this.interfaces.keys()].sort((a, b) => order(a) - order(b) || naturalCompare(a, b));
    for (const n of names) {
      out.push(`interface ${n}`);
      for (const l of this.interfaceLines(this.interfaces.get(n)!)) out.push(` ${l}`);
      out.push('!');
    }
    if (this.defaultGateway !== null) out.push(`ip default-gateway ${formatIpv4(this.defaultGateway)}`);
    out.push('ip http server', 'ip http secure-server');
    for (const r of this.routes) out.push(`ip route ${formatIpv4(r.prefix)} ${formatIpv4(r.mask)} ${formatIpv4(r.nextHop)}`);
    for (const a of this.arp) out.push(`arp ${formatIpv4(a.ip)} ${formatDottedMac(a.mac)} ARPA`);
    out.push('!', 'line con 0', 'line vty 0 4', ' login', 'line vty 5 15', ' login', '!', 'end', '');
    const text = out.join('\n');
    // IOS reports the configuration's size; compute it over the text after the header lines.
    const body = text.slice(text.indexOf('!'));
    return text.replace('@@@', String(body.length));
  }

  interfaceLines(c: InterfaceConfig): string[] {
    const l: string[] = [];
    if (c.description !== null) l.push(`description ${c.description}`);
    if (c.name.startsWith('Vlan')) {
      l.push(c.ipAddress ? `ip address ${formatIpv4(c.ipAddress.ip)} ${formatIpv4(c.ipAddress.mask)}` : 'no ip address');
      if (c.shutdown) l.push('shutdown');
      return l;
    }
    if (c.encapsulation) l.push(`switchport trunk encapsulation ${c.encapsulation}`);
    if (c.accessVlan !== 1) l.push(`switchport access vlan ${c.accessVlan}`);
    if (c.nativeVlan !== 1) l.push(`switchport trunk native vlan ${c.nativeVlan}`);
    if (c.allowed !== 'all') l.push(`switchport trunk allowed vlan ${c.allowed.length === 0 ? 'none' : formatIdList(c.allowed)}`);
    if (c.mode) l.push(`switchport mode ${c.mode}`);
    if (c.shutdown) l.push('shutdown');
    if (c.channelGroup) l.push(`channel-group ${c.channelGroup.id} mode ${c.channelGroup.mode}`);
    return l;
  }
}

export function defaultInterface(name: string): InterfaceConfig {
  return {
    name,
    description: null,
    shutdown: false,
    mode: null,
    accessVlan: 1,
    nativeVlan: 1,
    allowed: 'all',
    encapsulation: null,
    channelGroup: null,
    ipAddress: null,
  };
}

/** `Gi1/0/2` before `Gi1/0/10`. */
export function naturalCompare(a: string, b: string): number {
  const pa = a.split(/(\d+)/);
  const pb = b.split(/(\d+)/);
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i]!;
    const y = pb[i]!;
    if (x === y) continue;
    const nx = Number(x);
    const ny = Number(y);
    if (x !== '' && y !== '' && !Number.isNaN(nx) && !Number.isNaN(ny)) return nx - ny;
    return x < y ? -1 : 1;
  }
  return pa.length - pb.length;
}
