/**
 * The Virtual Connect domain configuration, written as VC CLI commands (what `show config` prints
 * and what an architect pastes): uplink sets, networks, server profiles with their Ethernet and
 * FCoE connections, and the domain's MAC/WWN address policy.
 *
 * Accepted lines (VC CLI spelling, properties case-insensitive):
 *   set domain MacType=VC-Defined|Factory-Default|User-Defined [MacStart=..]
 *   add uplinkset <name> [ConnectionMode=Auto|Failover] [LacpTimer=Short|Long]
 *   set uplinkset <name> [ConnectionMode=Auto|Failover] [LacpTimer=Short|Long]
 *   add network <name> [UplinkSet=<sus> VLanID=<n>] [NativeVLAN=Enabled] [SmartLink=Enabled]
 *                      [ConnectionMode=Auto|Failover] [LacpTimer=Short|Long]
 *   set network <name> [SmartLink=Enabled|Disabled] [ConnectionMode=..] [LacpTimer=..]
 *   add uplinkport enc0:<bay>:X<n> UplinkSet=<sus> | Network=<vnet> [Role=Primary|Secondary]
 *   set uplinkport enc0:<bay>:X<n> Role=Primary|Secondary
 *
 * ConnectionMode belongs to an uplink set, or to a network with its own uplinks (for a network in
 * an uplink set the set's mode rules). Auto, the default, runs LACP on the uplinks; Failover
 * disables it and lets Role pick the preferred uplink (DOMAIN §3.3 [V]).
 *   add profile <name>
 *   add enet-connection <profile> [Network=<vnet>] [SpeedType=Auto|Preferred|Custom] [Speed=<Mb>]
 *   add fcoe-connection <profile> [Fabric=<name>] [SpeedType=Custom Speed=<Mb>]
 *   add server-port-map <profile>:<connection> <vnet> [VLanID=<n>] [Untagged=true]
 *   assign profile <name> enc0:<bay>
 */
import { formatMac, parseMac } from '../../core/mac.ts';
import { FLEX_STEP_BPS, type FlexRequest } from './flexnic.ts';

/**
 * HP's pre-defined VC MAC range 1 starts at 00-17-A4-77-00-00 and WWN range 1 at
 * 50:06:0B:00:00:C2:00:00 (DOMAIN §3.2 marks these [U]; seed 001's blade shows 00:17:a4:77:00:c6,
 * which fits range 1). Settings of the domain (`set domain MacStart=`) override them.
 */
export const HP_PREDEFINED_MAC_START = 0x0017a4770000;
export const HP_PREDEFINED_WWN_START = 0x50060b0000c20000n;

export type PortRole = 'Primary' | 'Secondary';

export interface UplinkRef {
  bay: number;
  port: string;
  /** Preferred (Primary) or last-resort (Secondary) uplink in connection mode Failover; null for neither. */
  role: PortRole | null;
}

/**
 * Auto: uplinks on one module with the same LACP partner form an 802.3ad LAG. Failover: no LACP,
 * Primary/Secondary roles (DOMAIN §3.3 [V]).
 */
export type ConnectionMode = 'Auto' | 'Failover';
/**
 * The LACPDU rate VC asks its partner for. Short (1 s, 3 s timeout) is our default: OneView offers
 * Short and Long for the same setting, and which one VCM's domain default is we do not know [U].
 */
export type LacpTimer = 'Short' | 'Long';

/** How a group of uplinks (an uplink set, or a network's own uplinks) connects. */
export interface UplinkPolicy {
  connectionMode: ConnectionMode;
  lacpTimer: LacpTimer;
}

export interface UplinkSet extends UplinkPolicy {
  name: string;
  ports: UplinkRef[];
}

export interface VNet {
  name: string;
  /** Internal id: the tag a frame of this network carries on the stacking links. */
  id: number;
  /** Shared uplink set the network belongs to, or null for a network with its own uplinks. */
  sus: string | null;
  /** VLAN id on the SUS uplinks; null means untagged there (native, or a dedicated uplink). */
  vlan: number | null;
  smartLink: boolean;
  /** Uplink ports of a network that is not in a shared uplink set. */
  uplinks: UplinkRef[];
  /** Connection mode and LACP rate of the network's own uplinks (unused in a shared uplink set). */
  policy: UplinkPolicy;
}

/** One network carried by a server connection: tagged with `vlan`, or untagged when null. */
export interface PortMapEntry {
  vnet: string;
  vlan: number | null;
}

export interface Connection {
  kind: 'enet' | 'fcoe';
  /** Position in the profile among connections of its kind (1-based), as VC numbers them. */
  index: number;
  networks: PortMapEntry[];
  fabric: string | null;
  speed: FlexRequest;
  /** VC assigns a primary and an iSCSI MAC per Ethernet connection (DOMAIN §3.2 [V]). */
  mac: number | null;
  iscsiMac: number | null;
  wwpn: bigint | null;
}

export interface Profile {
  name: string;
  bay: number | null;
  connections: Connection[];
}

export type MacType = 'VC-Defined' | 'Factory-Default' | 'User-Defined';

export interface ConfigProblem {
  line: number;
  text: string;
  message: string;
}

export class VcConfig {
  macType: MacType = 'VC-Defined';
  macStart = HP_PREDEFINED_MAC_START;
  wwnStart = HP_PREDEFINED_WWN_START;
  readonly uplinkSets = new Map<string, UplinkSet>();
  readonly vnets = new Map<string, VNet>();
  readonly profiles = new Map<string, Profile>();
  private nextMac = 0;
  private nextWwn = 0n;

  vnetById(id: number): VNet | undefined {
    for (const v of this.vnets.values()) if (v.id === id) return v;
    return undefined;
  }

  profileInBay(bay: number): Profile | undefined {
    for (const p of this.profiles.values()) if (p.bay === bay) return p;
    return undefined;
  }

  /** Every uplink port of a network: its own, or its shared uplink set's. */
  uplinksOf(v: VNet): UplinkRef[] {
    return v.sus !== null ? (this.uplinkSets.get(v.sus)?.ports ?? []) : v.uplinks;
  }

  /** Connection mode and LACP rate of a network's uplinks: its shared uplink set's, or its own. */
  policyOf(v: VNet): UplinkPolicy {
    return v.sus !== null ? (this.uplinkSets.get(v.sus) ?? v.policy) : v.policy;
  }

  /**
   * The uplink group a module port belongs to: the uplink set or network that lists it, with its
   * policy, or null for a port nothing uses. A port serves one uplink set or one network.
   */
  uplinkGroup(bay: number, port: string): { kind: 'uplinkset' | 'network'; name: string; policy: UplinkPolicy; ref: UplinkRef } | null {
    const hit = (ports: UplinkRef[]): UplinkRef | undefined => ports.find((r) => r.bay === bay && r.port.toLowerCase() === port.toLowerCase());
    for (const s of this.uplinkSets.values()) {
      const r = hit(s.ports);
      if (r !== undefined) return { kind: 'uplinkset', name: s.name, policy: s, ref: r };
    }
    for (const v of this.vnets.values()) {
      const r = v.sus === null ? hit(v.uplinks) : undefined;
      if (r !== undefined) return { kind: 'network', name: v.name, policy: v.policy, ref: r };
    }
    return null;
  }

  /** Apply configuration text; returns the lines that could not be applied. */
  apply(text: string): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    text.split(/\r?\n/).forEach((raw, i) => {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) return;
      try {
        this.command(line);
      } catch (e) {
        problems.push({ line: i + 1, text: line, message: e instanceof Error ? e.message : String(e) });
      }
    });
    return problems;
  }

  /** One VC CLI command; throws with the VC-style error text when refused. */
  command(line: string): void {
    const words = line.split(/\s+/);
    const props = new Map<string, string>();
    const pos: string[] = [];
    for (const w of words) {
      const eq = w.indexOf('=');
      if (eq > 0) props.set(w.slice(0, eq).toLowerCase(), w.slice(eq + 1));
      else pos.push(w);
    }
    const verb = `${pos[0] ?? ''} ${pos[1] ?? ''}`.toLowerCase();
    const arg = pos[2];
    const need = (what: string): string => {
      if (arg === undefined) throw new Error(`ERROR: Missing ${what}`);
      return arg;
    };
    switch (verb) {
      case 'set domain': {
        const t = props.get('mactype');
        if (t !== undefined) {
          if (this.profiles.size > 0) throw new Error('ERROR: MAC address settings cannot be changed while server profiles exist');
          const types: MacType[] = ['VC-Defined', 'Factory-Default', 'User-Defined'];
          const m = types.find((x) => x.toLowerCase() === t.toLowerCase());
          if (m === undefined) throw new Error(`ERROR: Invalid MacType: ${t}`);
          this.macType = m;
        }
        const s = props.get('macstart');
        if (s !== undefined) this.macStart = parseMac(s);
        return;
      }
      case 'add uplinkset': {
        const n = need('uplink set name');
        if (this.uplinkSets.has(n)) throw new Error(`ERROR: Shared uplink set already exists: ${n}`);
        this.uplinkSets.set(n, { name: n, ports: [], ...policyFrom(props, defaultPolicy()) });
        return;
      }
      case 'set uplinkset': {
        const s = this.uplinkSets.get(need('uplink set name'));
        if (s === undefined) throw new Error(`ERROR: Shared uplink set not found: ${arg}`);
        Object.assign(s, policyFrom(props, s));
        return;
      }
      case 'add network': {
        const n = need('network name');
        if (this.vnets.has(n)) throw new Error(`ERROR: Network already exists: ${n}`);
        const sus = props.get('uplinkset') ?? null;
        if (sus !== null && !this.uplinkSets.has(sus)) throw new Error(`ERROR: Shared uplink set not found: ${sus}`);
        const vlanText = props.get('vlanid');
        const native = (props.get('nativevlan') ?? '').toLowerCase() === 'enabled';
        const vlan = sus !== null && !native && vlanText !== undefined ? vlanNumber(vlanText) : null;
        if (sus !== null && vlanText === undefined && !native) throw new Error('ERROR: VLanID is required for a network in a shared uplink set');
        this.vnets.set(n, { name: n, id: this.vnets.size + 1, sus, vlan, smartLink: enabled(props.get('smartlink'), false), uplinks: [], policy: policyFrom(props, defaultPolicy()) });
        return;
      }
      case 'set network': {
        const v = this.vnets.get(need('network name'));
        if (v === undefined) throw new Error(`ERROR: Network not found: ${arg}`);
        const sl = props.get('smartlink');
        if (sl !== undefined) v.smartLink = enabled(sl, v.smartLink);
        v.policy = policyFrom(props, v.policy);
        return;
      }
      case 'add uplinkport': {
        const ref = parseUplinkRef(need('uplink port'));
        ref.role = roleFrom(props.get('role'), null);
        if (this.uplinkGroup(ref.bay, ref.port) !== null) throw new Error(`ERROR: Port enc0:${ref.bay}:${ref.port} is already in use`);
        const sus = props.get('uplinkset');
        const net = props.get('network');
        if (sus !== undefined) {
          const s = this.uplinkSets.get(sus);
          if (s === undefined) throw new Error(`ERROR: Shared uplink set not found: ${sus}`);
          s.ports.push(ref);
        } else if (net !== undefined) {
          const v = this.vnets.get(net);
          if (v === undefined) throw new Error(`ERROR: Network not found: ${net}`);
          if (v.sus !== null) throw new Error(`ERROR: ${net} belongs to shared uplink set ${v.sus}`);
          v.uplinks.push(ref);
        } else throw new Error('ERROR: UplinkSet or Network is required');
        return;
      }
      case 'set uplinkport': {
        const ref = parseUplinkRef(need('uplink port'));
        const g = this.uplinkGroup(ref.bay, ref.port);
        if (g === null) throw new Error(`ERROR: Uplink port not in use: enc0:${ref.bay}:${ref.port}`);
        g.ref.role = roleFrom(props.get('role'), g.ref.role);
        return;
      }
      case 'add profile': {
        const n = need('profile name');
        if (this.profiles.has(n)) throw new Error(`ERROR: Profile already exists: ${n}`);
        this.profiles.set(n, { name: n, bay: null, connections: [] });
        return;
      }
      case 'add enet-connection':
      case 'add fcoe-connection': {
        const p = this.profile(need('profile name'));
        const kind = verb === 'add enet-connection' ? 'enet' : 'fcoe';
        const netName = props.get('network');
        const networks: PortMapEntry[] = [];
        if (netName !== undefined && netName.toLowerCase() !== 'unassigned') {
          if (!this.vnets.has(netName)) throw new Error(`ERROR: Network not found: ${netName}`);
          networks.push({ vnet: netName, vlan: null });
        }
        const c: Connection = {
          kind,
          index: p.connections.filter((x) => x.kind === kind).length + 1,
          networks,
          fabric: props.get('fabric') ?? null,
          speed: speedRequest(props.get('speedtype'), props.get('speed'), kind),
          mac: null,
          iscsiMac: null,
          wwpn: null,
        };
        if (kind === 'enet' && this.macType !== 'Factory-Default') {
          c.mac = this.macStart + this.nextMac;
          c.iscsiMac = c.mac + 1;
          this.nextMac += 2;
        }
        if (kind === 'fcoe') {
          c.wwpn = this.wwnStart + this.nextWwn;
          this.nextWwn += 2n;
        }
        p.connections.push(c);
        return;
      }
      case 'add server-port-map': {
        const target = need('profile:connection');
        const [pname, idx] = target.split(':');
        const p = this.profile(pname);
        const c = p.connections.find((x) => x.kind === 'enet' && x.index === Number(idx));
        if (c === undefined) throw new Error(`ERROR: Connection not found: ${target}`);
        const vnet = pos[3];
        const v = vnet !== undefined ? this.vnets.get(vnet) : undefined;
        if (v === undefined) throw new Error(`ERROR: Network not found: ${vnet ?? ''}`);
        const untagged = (props.get('untagged') ?? '').toLowerCase() === 'true';
        const vlanText = props.get('vlanid');
        c.networks.push({ vnet: v.name, vlan: untagged ? null : vlanText !== undefined ? vlanNumber(vlanText) : v.vlan });
        return;
      }
      case 'assign profile': {
        const p = this.profile(need('profile name'));
        const m = /^enc0:(\d+)$/i.exec(pos[3] ?? '');
        if (m === null) throw new Error('ERROR: Expected a device bay such as enc0:1');
        const bay = Number(m[1]);
        const other = this.profileInBay(bay);
        if (other !== undefined && other !== p) throw new Error(`ERROR: Device bay enc0:${bay} already has profile ${other.name}`);
        p.bay = bay;
        return;
      }
      default:
        throw new Error(`ERROR: Invalid command: ${line}`);
    }
  }

  private profile(name: string): Profile {
    const p = this.profiles.get(name);
    if (p === undefined) throw new Error(`ERROR: Profile not found: ${name}`);
    return p;
  }
}

function enabled(v: string | undefined, dflt: boolean): boolean {
  if (v === undefined) return dflt;
  const k = v.toLowerCase();
  if (k === 'enabled' || k === 'true') return true;
  if (k === 'disabled' || k === 'false') return false;
  throw new Error(`ERROR: Expected Enabled or Disabled, not ${v}`);
}

function defaultPolicy(): UplinkPolicy {
  return { connectionMode: 'Auto', lacpTimer: 'Short' };
}

function policyFrom(props: Map<string, string>, base: UplinkPolicy): UplinkPolicy {
  const mode = props.get('connectionmode');
  const timer = props.get('lacptimer');
  const pick = <T extends string>(v: string | undefined, allowed: readonly T[], dflt: T, what: string): T => {
    if (v === undefined) return dflt;
    const m = allowed.find((x) => x.toLowerCase() === v.toLowerCase());
    if (m === undefined) throw new Error(`ERROR: Invalid ${what}: ${v} (expected ${allowed.join(' or ')})`);
    return m;
  };
  return {
    connectionMode: pick(mode, ['Auto', 'Failover'] as const, base.connectionMode, 'ConnectionMode'),
    lacpTimer: pick(timer === 'Domain-Default' ? undefined : timer, ['Short', 'Long'] as const, base.lacpTimer, 'LacpTimer'),
  };
}

function roleFrom(v: string | undefined, dflt: PortRole | null): PortRole | null {
  if (v === undefined) return dflt;
  const k = v.toLowerCase();
  if (k === 'primary') return 'Primary';
  if (k === 'secondary') return 'Secondary';
  throw new Error(`ERROR: Invalid Role: ${v} (expected Primary or Secondary)`);
}

function vlanNumber(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 4094) throw new Error(`ERROR: Invalid VLAN id: ${v}`);
  return n;
}

function parseUplinkRef(text: string): UplinkRef {
  const m = /^enc0:(\d+):(X\d+)$/i.exec(text);
  if (m === null) throw new Error(`ERROR: Invalid uplink port: ${text} (expected enc0:<bay>:X<n>)`);
  return { bay: Number(m[1]), port: m[2].toUpperCase(), role: null };
}

function speedRequest(type: string | undefined, speed: string | undefined, kind: 'enet' | 'fcoe'): FlexRequest {
  const t = (type ?? (speed !== undefined ? 'Custom' : kind === 'fcoe' ? 'Custom' : 'Auto')).toLowerCase();
  if (t === 'auto' || (t === 'preferred' && speed === undefined)) return 'auto';
  // An FCoE connection without a speed asks for 4 Gb, the FlexHBA default in the VC GUI [U].
  const mb = speed !== undefined ? Number(speed) : 4000;
  if (!Number.isFinite(mb) || mb < 100 || mb > 10000 || mb % 100 !== 0) throw new Error(`ERROR: Speed must be 100-10000 Mb in steps of 100, not ${speed ?? ''}`);
  return (mb * 1e6 * FLEX_STEP_BPS) / FLEX_STEP_BPS;
}

/** VC prints MACs as 00-17-A4-77-00-C6. */
export function vcMac(mac: number): string {
  return formatMac(mac, '-').toUpperCase();
}

export function vcWwn(w: bigint): string {
  const h = w.toString(16).padStart(16, '0').toUpperCase();
  return h.match(/../g)!.join(':');
}
