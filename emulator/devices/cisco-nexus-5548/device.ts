/**
 * A Nexus 5548 in a running network: the shared Ethernet switch for forwarding, LACP and MAC
 * learning, driven by an NX-OS running configuration, with a console that speaks NX-OS, the
 * host ports of its fabric extenders, and its side of a vPC domain (see vpc.ts).
 */
import { CliEngine, type ConfigIssue } from '../../cli/engine.ts';
import type { CliSession, ConsoleCapable } from '../../cli/session.ts';
import type { Frame } from '../../core/frame.ts';
import { Network } from '../../core/network.ts';
import type { NetworkNode } from '../../core/node.ts';
import type { Port } from '../../core/port.ts';
import type { PortChannel } from '../../l2/port-channel.ts';
import { EthernetSwitch } from '../../l2/switch.ts';
import { programChannelMember, programVlans } from '../cisco-common/switch-programming.ts';
import type { Settings } from '../kind.ts';
import { NxosConfig, type NxInterface } from './config.ts';
import { nexusDialect, type ModeData } from './grammar.ts';
import { FEX_MAX, FEX_MIN, fexHostPorts, nexusFixedPorts, NXOS_VERSION } from './info.ts';
import { electRole, VPC_KEY_BASE, vpcSystemMac, type VpcRole } from './vpc.ts';

/** What a fabric extender shows its parent across a fabric link. */
export interface FexUnit {
  readonly fexNumber: number;
  readonly name: string;
}

function isFexUnit(n: NetworkNode | undefined): n is NetworkNode & FexUnit {
  return n !== undefined && typeof (n as Partial<FexUnit>).fexNumber === 'number';
}

/** Cisco OUI 00:05:73; the rest from the device name so every switch in a lab differs, run after run. */
export function nexusBaseMac(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return 0x000573000000 + (h % 0x1ffff) * 0x80;
}

/**
 * FEX numbers a startup configuration associates. Their host ports become ports of the switch
 * when it is built; a FEX associated later at the console has none (NX-OS creates them when the
 * FEX comes online, which LabBox does not do at run time).
 */
export function scanFexNumbers(text: string | undefined): number[] {
  const out = new Set<number>();
  for (const m of (text ?? '').matchAll(/^\s*fex\s+associate\s+(\d+)\s*$/gim)) {
    const n = Number(m[1]);
    if (n >= FEX_MIN && n <= FEX_MAX) out.add(n);
  }
  return [...out].sort((a, b) => a - b);
}

const FEX_PORT = /^Ethernet(\d+)\/1\/\d+$/;
/** Scheduler code for a deferred vPC evaluation; LACP timers use 1 and 2 in the low three bits. */
const VPC_EVALUATE = 7;

export interface VpcVlanView {
  readonly vpc: number;
  readonly channel: number;
  readonly up: boolean;
  readonly consistency: 'success' | 'failed' | 'not-applicable';
  readonly reason: string;
}

export class NexusSwitch extends EthernetSwitch implements ConsoleCapable {
  readonly config: NxosConfig;
  startup: string | null = null;
  readonly configIssues: readonly ConfigIssue[];
  /** FEX numbers whose host ports this switch has. */
  readonly fexNumbers: readonly number[];
  readonly mgmt: Port;
  private readonly applied = new Map<string, string>();
  /** Why a port is held down by the switch itself (FEX offline, vPC suspended), by port name. */
  private readonly held = new Map<string, string>();

  // ---- vPC runtime state ----
  vpcPeer: NexusSwitch | null = null;
  role: VpcRole = 'none';
  private everFormed = false;
  suspendedAll = false;
  private evaluatePending = false;
  /** vPC number of a bridge port that is a vPC port-channel. */
  private vpcOfBridgePort = new Map<number, number>();
  private peerLinkIndex = -1;
  /** MACs the peer told us it learnt on a vPC: VLAN → MAC → vPC number. */
  private readonly synced = new Map<number, Map<number, number>>();
  private readonly vpcInconsistent = new Set<number>();

  constructor(net: Network, name: string, settings?: Settings, startupConfig?: string) {
    const fexes = scanFexNumbers(startupConfig);
    const specs = [...nexusFixedPorts().filter((p) => p.name !== 'mgmt0'), ...fexes.flatMap((n) => fexHostPorts(n))];
    super(net, name, { portNames: specs.map((p) => p.name), speedBps: specs.map((p) => p.speedBps), baseMac: nexusBaseMac(name) });
    // mgmt0 is out of band: a port of the box, never of the switch plane.
    this.mgmt = this.addPort('mgmt0', 1e9);
    this.mgmt.mac = this.systemMac + specs.length + 1;
    this.fexNumbers = fexes;
    const h = settings?.['hostname'];
    this.config = new NxosConfig(typeof h === 'string' && h !== '' ? h : name, fexes.flatMap((n) => fexHostPorts(n).map((p) => p.name)));
    this.learnObserver = (vid, mac, bp) => this.learned(vid, mac, bp);
    this.program();
    this.configIssues = startupConfig ? this.newEngine().applyConfig(startupConfig) : [];
    this.startup = this.config.render(NXOS_VERSION);
  }

  private newEngine(): CliEngine<ModeData> {
    return new CliEngine<ModeData>(nexusDialect(this));
  }

  openConsole(): CliSession {
    return this.newEngine();
  }

  // ---- frames and carrier on ports outside the switch plane -----------------------------------

  override receive(port: Port, f: Frame): void {
    if (port === this.mgmt) {
      this.net.pool.release(f);
      return;
    }
    super.receive(port, f);
  }

  override portStateChanged(port: Port, up: boolean): void {
    if (port !== this.mgmt) super.portStateChanged(port, up);
    const c = this.config.interfaces.get(port.name);
    if (port === this.mgmt || c?.mode === 'fex-fabric') this.scheduleEvaluate();
  }

  override portAttached(port: Port): void {
    if (port !== this.mgmt) super.portAttached(port);
  }

  override channelChanged(ch: PortChannel, wasForwarding: boolean): void {
    super.channelChanged(ch, wasForwarding);
    this.scheduleEvaluate();
  }

  override start(): void {
    super.start();
    this.evaluate();
  }

  override onEvent(code: number): void {
    if (code === VPC_EVALUATE) {
      this.evaluatePending = false;
      this.evaluate();
      return;
    }
    super.onEvent(code);
  }

  private scheduleEvaluate(): void {
    if (this.evaluatePending) return;
    this.evaluatePending = true;
    this.net.sched.schedule(0, this.handlerId, VPC_EVALUATE, null);
  }

  // ---- configuration → switch plane -------------------------------------------------------------

  /** Programs the switch from the running configuration, touching only what changed. */
  program(): void {
    const cfg = this.config;
    programVlans(this, this.applied, cfg.vlans);
    for (const id of cfg.portChannels()) this.createPortChannel(id);
    for (const name of cfg.physical) {
      if (name === 'mgmt0') continue;
      const c = cfg.interfaces.get(name)!;
      programChannelMember(this, this.applied, name, c.channelGroup);
      if (!c.channelGroup) this.switchportOf(name, c);
    }
    for (const id of cfg.portChannels()) this.switchportOf(`port-channel${id}`, cfg.iface(`port-channel${id}`));
    this.mgmt.setAdmin(!cfg.iface('mgmt0').shutdown);
    this.applyAdmin();
    this.scheduleEvaluate();
  }

  private switchportOf(name: string, c: NxInterface): void {
    // A fabric port carries the FEX's own traffic only, never bridged VLANs.
    const want =
      c.mode === 'fex-fabric' ? 'fabric' : c.mode === 'trunk' ? `trunk:${c.nativeVlan}:${c.allowed === 'all' ? 'all' : c.allowed.join(',')}` : `access:${c.accessVlan}`;
    if (this.applied.get(`vlan:${name}`) === want) return;
    if (c.mode === 'fex-fabric') this.setTrunk(name, { nativeVlan: 1, allowed: [] });
    else if (c.mode === 'trunk') this.setTrunk(name, { nativeVlan: c.nativeVlan, allowed: c.allowed });
    else this.setAccess(name, c.accessVlan);
    this.applied.set(`vlan:${name}`, want);
  }

  /** Each port's administrative state: its configuration, its FEX being online, its vPC allowed to forward. */
  private applyAdmin(): void {
    const cfg = this.config;
    for (const name of cfg.physical) {
      if (name === 'mgmt0') continue;
      const c = cfg.interfaces.get(name)!;
      const po = c.channelGroup ? cfg.interfaces.get(`port-channel${c.channelGroup.id}`) : undefined;
      let reason: string | null = null;
      const fex = FEX_PORT.exec(name);
      if (fex && !this.fexOnline(Number(fex[1]))) reason = 'Fex not online';
      else if (po && typeof po.vpc === 'number' && !this.vpcMayForward(po.vpc)) {
        reason = this.vpcInconsistent.has(po.vpc) ? 'vpc consistency check failed' : this.suspendedAll ? 'suspended by vpc' : 'vPC peer-link is down';
      }
      if (reason === null) this.held.delete(name);
      else this.held.set(name, reason);
      const up = !c.shutdown && !(po?.shutdown ?? false) && reason === null;
      const key = `admin:${name}`;
      if (this.applied.get(key) !== String(up)) {
        this.setPortAdmin(name, up);
        this.applied.set(key, String(up));
      }
    }
  }

  heldReason(name: string): string | null {
    return this.held.get(name) ?? null;
  }

  // ---- FEX ------------------------------------------------------------------------------------

  /** The fabric ports associated with FEX `n` and the FEX each is cabled to (null: none or down). */
  fabricPorts(n: number): { port: string; up: boolean; fex: (NetworkNode & FexUnit) | null }[] {
    const out: { port: string; up: boolean; fex: (NetworkNode & FexUnit) | null }[] = [];
    for (const name of this.config.physical) {
      const c = this.config.interfaces.get(name)!;
      if (c.mode !== 'fex-fabric' || c.fexAssociate !== n) continue;
      const p = this.portByName(name)!;
      const far = p.peer?.node;
      out.push({ port: name, up: p.operUp, fex: isFexUnit(far) ? far : null });
    }
    return out;
  }

  /** FEX `n` is online: `feature fex`, its host ports exist here, and an associated fabric port is up to a FEX of that number. */
  fexOnline(n: number): boolean {
    if (!this.config.features.has('fex') || !this.fexNumbers.includes(n)) return false;
    return this.fabricPorts(n).some((f) => f.up && f.fex !== null && f.fex.fexNumber === n);
  }

  /** The parent's port behind a FEX host port, for the FEX device a cable plugs into. */
  fexHostPort(n: number, name: string): Port | undefined {
    if (!this.fexNumbers.includes(n)) return undefined;
    return this.portByName(name);
  }

  // ---- vPC ------------------------------------------------------------------------------------

  get vpcDomainId(): number | null {
    return this.config.features.has('vpc') ? (this.config.vpcDomain?.id ?? null) : null;
  }

  private channel(id: number): PortChannel {
    return this.createPortChannel(id);
  }

  isPeerLinkPort(p: Port): boolean {
    const id = this.config.peerLinkChannel();
    return id !== null && this.config.iface(p.name).channelGroup?.id === id;
  }

  /** Peer-keepalive: configured, both mgmt0 ports up, and a Nexus of the same domain answers at the destination. */
  keepaliveAlive(): boolean {
    const d = this.config.features.has('vpc') ? this.config.vpcDomain : null;
    if (!d?.keepalive || !this.mgmt.operUp) return false;
    const dst = d.keepalive.destination;
    for (const n of this.net.nodes) {
      if (n === this || !(n instanceof NexusSwitch) || n.vpcDomainId !== d.id || !n.mgmt.operUp) continue;
      if (n.config.iface('mgmt0').ip?.addr === dst) return true;
    }
    return false;
  }

  /** Whether this switch's vPC `n` has a live member (what CFS tells the peer). */
  vpcUp(n: number): boolean {
    const id = this.config.vpcChannel(n);
    return id !== null && this.channel(id).distributing.length > 0;
  }

  /** Type-1 parameters of vPC `n`: port mode and LACP mode; null when not configured. */
  vpcParams(n: number): string | null {
    const id = this.config.vpcChannel(n);
    if (id === null) return null;
    const po = this.config.iface(`port-channel${id}`);
    const mode = this.config.members(id)[0]?.channelGroup?.mode ?? 'none';
    return `${po.mode}/${mode === 'passive' ? 'active' : mode}`;
  }

  private vpcMayForward(n: number): boolean {
    if (this.vpcInconsistent.has(n) && this.role === 'secondary') return false;
    if (this.vpcPeer !== null) return true;
    return this.everFormed && !this.suspendedAll;
  }

  /** Re-derive the vPC state here and on the peer (before and after), then this side again. */
  private evaluate(): void {
    const before = this.vpcPeer;
    this.computeVpc();
    const after = this.vpcPeer;
    if (before !== null && before !== after) before.computeVpc();
    if (after !== null) after.computeVpc();
    this.computeVpc();
  }

  private computeVpc(): void {
    const cfg = this.config;
    const d = cfg.features.has('vpc') ? cfg.vpcDomain : null;
    const plId = d !== null ? cfg.peerLinkChannel() : null;
    let peer: NexusSwitch | null = null;
    if (d !== null && plId !== null) {
      for (const p of this.channel(plId).distributing) {
        const far = p.peer;
        const node = far?.node;
        if (far && node instanceof NexusSwitch && node.vpcDomainId === d.id && node.isPeerLinkPort(far)) peer = node;
      }
    }
    const alive = this.keepaliveAlive();
    // The peer-link only forms an adjacency once keepalive has heard the peer.
    if (peer !== null && !this.everFormed && !alive) peer = null;
    const was = this.vpcPeer;
    this.vpcPeer = peer;
    if (peer !== null) {
      this.everFormed = true;
      this.role = electRole({ priority: d!.rolePriority, mac: this.systemMac }, { priority: peer.config.vpcDomain!.rolePriority, mac: peer.systemMac });
      if (was === null) this.syslog('vpc.peer.up', `%VPC-2-PEER_ADJACENCY_FORMED: vPC peer adjacency formed with ${peer.name}; role ${this.role}`);
      if (this.suspendedAll) this.syslog('vpc.resume', '%VPC-2-VPC_RESTORE: Peer-link up, restoring vPCs');
      this.suspendedAll = false;
    } else if (d === null) {
      this.role = 'none';
      this.everFormed = false;
      this.suspendedAll = false;
    } else if (was !== null) {
      this.syslog('vpc.peer.down', `%VPC-2-PEER_LINK_DOWN: vPC peer-link is down`);
      if (this.role === 'secondary' && alive) {
        this.suspendedAll = true;
        this.syslog('vpc.suspend', '%VPC-2-VPC_SUSP_ALL_VPC: Peer-link going down, suspending all vPCs on secondary');
      } else if (this.role === 'secondary') {
        this.role = 'primary';
        this.syslog('vpc.role', '%VPC-2-VPC_ROLE_CHANGE: peer is not reachable through peer-keepalive, becoming operational primary');
      }
    }

    this.vpcInconsistent.clear();
    this.vpcOfBridgePort = new Map();
    this.peerLinkIndex = plId !== null ? this.channel(plId).bp.index : -1;
    const vpcIds = new Set<number>();
    for (const [n, id] of cfg.vpcs()) {
      if (d === null) break;
      vpcIds.add(id);
      const ch = this.channel(id);
      this.vpcOfBridgePort.set(ch.bp.index, n);
      if (peer !== null) {
        const theirs = peer.vpcParams(n);
        if (theirs !== null && theirs !== this.vpcParams(n)) this.vpcInconsistent.add(n);
      }
      ch.setActor({ system: vpcSystemMac(d.id), systemPriority: d.systemPriority, key: VPC_KEY_BASE + n });
      ch.bp.blockFrom = peer !== null && this.peerLinkIndex >= 0 && peer.vpcUp(n) ? this.peerLinkIndex : -2;
    }
    for (const id of cfg.portChannels()) {
      if (vpcIds.has(id)) continue;
      const ch = this.channel(id);
      ch.setActor(null);
      ch.bp.blockFrom = -2;
    }
    this.applyAdmin();
  }

  /** A source address learnt here: tell the peer when it sits behind a vPC; keep the peer's word over a peer-link copy. */
  private learned(vid: number, mac: number, bp: number): void {
    const peer = this.vpcPeer;
    if (peer === null) return;
    const vpc = this.vpcOfBridgePort.get(bp);
    if (vpc !== undefined) {
      peer.syncMac(vid, mac, vpc);
      return;
    }
    if (bp !== this.peerLinkIndex) return;
    const n = this.synced.get(vid)?.get(mac);
    if (n === undefined) return;
    const id = this.config.vpcChannel(n);
    if (id !== null && this.channel(id).bp.forwarding) this.installDynamicMac(vid, mac, `port-channel${id}`);
  }

  /** CFS MAC synchronisation from the peer: `mac` was learnt on its vPC `vpc`. */
  syncMac(vid: number, mac: number, vpc: number): void {
    let byMac = this.synced.get(vid);
    if (byMac === undefined) {
      byMac = new Map();
      this.synced.set(vid, byMac);
    }
    byMac.set(mac, vpc);
    const id = this.config.vpcChannel(vpc);
    if (id !== null && this.channel(id).bp.forwarding) this.installDynamicMac(vid, mac, `port-channel${id}`);
    else if (this.peerLinkIndex >= 0) this.installDynamicMac(vid, mac, this.peerLinkIndex);
  }

  /** The vPC table `show vpc` prints. */
  vpcTable(): VpcVlanView[] {
    const peer = this.vpcPeer;
    return this.config.vpcs().map(([n, id]) => {
      const up = this.channel(id).distributing.length > 0;
      const inconsistent = this.vpcInconsistent.has(n);
      const consistency = peer === null ? 'not-applicable' : inconsistent ? 'failed' : 'success';
      const reason = peer === null ? 'Consistency Check Not Performed' : inconsistent ? 'Compatibility check failed for port mode or LACP mode' : 'success';
      return { vpc: n, channel: id, up, consistency, reason };
    });
  }

  private syslog(kind: string, text: string): void {
    this.net.emit(kind, `${this.name}: ${text}`, this.name);
  }
}

/** Checks a startup configuration the way the switch would load it, without a network of its own. */
export function checkNexusConfig(_kind: string, text: string): ConfigIssue[] {
  return [...new NexusSwitch(new Network(1), 'switch', {}, text).configIssues];
}
