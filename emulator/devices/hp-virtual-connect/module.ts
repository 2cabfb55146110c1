/**
 * One Virtual Connect interconnect module in a c7000 interconnect bay: server downlinks to every
 * device bay (four functions each), uplink ports X1–X8, and the internal stacking link to the
 * module beside it. It forwards within VC networks (vNets) with its own MAC table per network,
 * and it has a life: pulled, booting, up, or stopping for a graceful reboot.
 */
import type { CliSession, ConsoleCapable } from '../../cli/session.ts';
import type { Frame } from '../../core/frame.ts';
import type { Network } from '../../core/network.ts';
import { NetworkNode } from '../../core/node.ts';
import type { Port } from '../../core/port.ts';
import type { EventHandler } from '../../core/scheduler.ts';
import { ETHERTYPE_SLOW } from '../../core/packets.ts';
import { hashString } from '../../core/prng.ts';
import { SECOND } from '../../core/time.ts';
import { MacTable, NOT_FOUND } from '../../l2/mac-table.ts';
import type { UplinkPolicy } from './config.ts';
import { FUNCTIONS, type FlexFunction } from './flexnic.ts';
import type { VcDomain } from './domain.ts';
import { VcCli } from './cli.ts';
import { compareFirmware, moduleModel, type ModuleSettings, type VcModuleType } from './info.ts';
import { UplinkLacp, type UplinkLacpOwner } from './uplink-lacp.ts';

export type ModuleState = 'absent' | 'off' | 'booting' | 'up' | 'stopping';

const BOOT_DONE = 1;
const HOLD_OVER = 2;
const BROADCAST = 0xffffffffffff;
const INV_TWO32 = 1 / 4294967296;
/** MAC ageing on VC modules: 300 s like the upstream switches [U]. */
const AGEING_NS = 300 * SECOND;

type PortRole = { kind: 'down'; bay: number; fn: FlexFunction } | { kind: 'up'; name: string } | { kind: 'stack' };

/**
 * A module's uplink MACs, which its LACPDUs carry: an HP OUI and a block per module name, so two
 * modules never share a system id [U: the OUI is one HP used on VC modules; the block is ours].
 */
function moduleBaseMac(name: string): number {
  return 0x002481000000 + (hashString(name) % 0xffff) * 0x100;
}

export class VcModule extends NetworkNode implements EventHandler, ConsoleCapable, UplinkLacpOwner {
  readonly handlerId: number;
  readonly type: VcModuleType;
  readonly settings: ModuleSettings;
  /** Interconnect bay, once inserted. */
  bay: number | null = null;
  domain: VcDomain | null = null;
  firmware: string;
  /** Firmware updated but not yet activated (VCSU `manual`, or before the activation reboot). */
  stagedFirmware: string | null = null;
  state: ModuleState = 'up';
  readonly downlinks = new Map<string, Port>();
  readonly uplinks: Port[] = [];
  readonly stack: Port | null = null;
  /** Frames a stopped or booting module received and could not forward. */
  droppedWhileDown = 0;
  /** The domain's own Fast MAC Cache frames that came back in on an uplink and were taken off the wire. */
  ownAnnouncementsReturned = 0;
  /** LACP on the uplinks of groups in connection mode Auto. */
  readonly lacp: UplinkLacp;
  private readonly roles: PortRole[] = [];
  private readonly tables: MacTable[] = [];
  private timer = -1;
  /** Graceful reboot of firmware that cannot signal: carrier held while forwarding has stopped. */
  private holding = false;
  private started = false;

  constructor(net: Network, name: string, type: VcModuleType, settings: ModuleSettings) {
    super(net, name);
    this.handlerId = net.sched.register(this);
    this.type = type;
    this.settings = settings;
    this.firmware = settings.firmware;
    const base = moduleBaseMac(name);
    this.lacp = new UplinkLacp(this, base);
    if (type === 'fc') return;
    const model = moduleModel(type);
    for (let bay = 1; bay <= 16; bay++) {
      for (const fn of FUNCTIONS) {
        const p = this.addPort(`d${bay}-${fn}`, 10e9);
        this.downlinks.set(`${bay}-${fn}`, p);
        this.roles[p.index] = { kind: 'down', bay, fn };
      }
    }
    for (let x = 1; x <= model.uplinks; x++) {
      const p = this.addPort(`X${x}`, 10e9);
      p.mac = base + x;
      this.uplinks.push(p);
      this.roles[p.index] = { kind: 'up', name: `X${x}` };
    }
    const s = this.addPort('IS1', 10e9);
    this.stack = s;
    this.roles[s.index] = { kind: 'stack' };
  }

  get isEthernet(): boolean {
    return this.type !== 'fc';
  }

  downlink(bay: number, fn: FlexFunction): Port {
    const p = this.downlinks.get(`${bay}-${fn}`);
    if (p === undefined) throw new Error(`${this.name} has no downlink for bay ${bay} function ${fn}`);
    return p;
  }

  uplink(name: string): Port | undefined {
    return this.uplinks.find((p) => p.name.toLowerCase() === name.toLowerCase());
  }

  /** Whether the module forwards frames now. */
  get forwarding(): boolean {
    return this.state === 'up';
  }

  /** The uplink set or network using an uplink port, keyed so the two kinds never collide. */
  uplinkPolicy(port: Port): { group: string; policy: UplinkPolicy } | null {
    const g = this.domain !== null && this.bay !== null ? this.domain.config.uplinkGroup(this.bay, port.name) : null;
    return g === null ? null : { group: `${g.kind}:${g.name}`, policy: g.policy };
  }

  lagChanged(): void {
    this.domain?.uplinkChanged(this);
  }

  // ---- life ---------------------------------------------------------------------------------

  /** Pulled from its bay: every link drops at once. */
  pull(): void {
    this.cancelTimer();
    this.state = 'absent';
    this.holding = false;
    this.net.emit('vc.module.pulled', `${this.name}: module removed from interconnect bay ${this.bay ?? '?'}`, this.name);
    this.afterStateChange();
  }

  /** Inserted into its bay: it boots, then its links come up. */
  insert(): void {
    if (this.state !== 'absent') return;
    this.net.emit('vc.module.inserted', `${this.name}: module inserted in interconnect bay ${this.bay ?? '?'}`, this.name);
    this.boot();
  }

  powerOff(): void {
    if (this.state === 'absent' || this.state === 'off') return;
    this.cancelTimer();
    this.state = 'off';
    this.holding = false;
    this.net.emit('vc.module.off', `${this.name}: powered off`, this.name);
    this.afterStateChange();
  }

  powerOn(): void {
    if (this.state !== 'off') return;
    this.boot();
  }

  /**
   * The OA's reset: an abrupt power cycle, no VCM-coordinated failover (DOMAIN §3.5 [U]). Links
   * drop now, so SmartLink-aware hosts fail over at once.
   */
  reset(): void {
    if (this.state === 'absent' || this.state === 'off') return;
    this.net.emit('vc.module.reset', `${this.name}: reset from the Onboard Administrator`, this.name);
    this.cancelTimer();
    this.holding = false;
    this.boot();
  }

  /**
   * A graceful reboot (VCSU activation). Forwarding stops at once. Firmware older than
   * `gracefulLinkDropFrom` cannot use SmartLink/DCC while it shuts down, so the server downlinks
   * keep their carrier for `gracefulLinkHoldSeconds` and a teamed host only notices through its
   * own failure detection (seed 000; DOMAIN §3.5 "~20 s outage" [U]). Newer firmware drops them first.
   */
  rebootGraceful(): void {
    if (this.state !== 'up') return;
    this.net.emit('vc.module.reboot', `${this.name}: graceful reboot (firmware ${this.firmware})`, this.name);
    this.cancelTimer();
    if (this.signalsLinkOnReboot()) {
      this.boot();
      return;
    }
    this.state = 'stopping';
    this.holding = true;
    this.afterStateChange();
    this.timer = this.net.sched.schedule(this.settings.gracefulLinkHoldSeconds * SECOND, this.handlerId, HOLD_OVER, null);
  }

  /** Stopped for a graceful reboot but still holding server links: it can signal nothing now. */
  get holdingLinks(): boolean {
    return this.holding;
  }

  /** Whether the running firmware drops server links before a graceful reboot. */
  signalsLinkOnReboot(): boolean {
    return compareFirmware(this.firmware, this.settings.gracefulLinkDropFrom) >= 0;
  }

  private boot(): void {
    this.cancelTimer();
    this.state = 'booting';
    this.holding = false;
    // An update staged earlier becomes the running firmware on this restart.
    if (this.stagedFirmware !== null) {
      this.firmware = this.stagedFirmware;
      this.stagedFirmware = null;
    }
    this.afterStateChange();
    this.timer = this.net.sched.schedule(this.settings.bootSeconds * SECOND, this.handlerId, BOOT_DONE, null);
  }

  onEvent(code: number): void {
    this.timer = -1;
    if (code === BOOT_DONE) {
      this.state = 'up';
      this.net.emit('vc.module.up', `${this.name}: module up, firmware ${this.firmware}`, this.name);
      this.afterStateChange();
    } else if (code === HOLD_OVER) {
      this.boot();
    }
  }

  private cancelTimer(): void {
    if (this.timer >= 0) this.net.sched.cancel(this.timer);
    this.timer = -1;
  }

  private afterStateChange(): void {
    if (this.state !== 'up') for (const t of this.tables) t?.flushDynamic();
    if (this.domain !== null) this.domain.moduleChanged(this);
    else this.refreshPorts();
  }

  /** Set every port's administrative state from the module state and the domain (profiles, SmartLink). */
  refreshPorts(): void {
    const live = this.state === 'up' || this.holding;
    for (const p of this.ports) {
      const role = this.roles[p.index];
      // Firmware shutting down without DCC cannot tell a FlexNIC anything, SmartLink included:
      // server links stay as they were until the hold is over.
      if (this.holding && role.kind === 'down') continue;
      let up = live;
      if (up && role.kind === 'down') up = this.domain !== null && this.domain.downlinkEnabled(this, role.bay, role.fn);
      if (up && role.kind === 'stack') up = this.state === 'up';
      if (up && role.kind === 'up' && this.holding) up = true;
      p.setAdmin(up);
    }
  }

  // ---- forwarding ---------------------------------------------------------------------------

  private table(vnet: number): MacTable {
    let t = this.tables[vnet];
    if (t === undefined) {
      t = new MacTable();
      this.tables[vnet] = t;
    }
    return t;
  }

  receive(port: Port, f: Frame): void {
    const d = this.domain;
    if (this.state !== 'up' || d === null) {
      this.droppedWhileDown++;
      this.net.pool.release(f);
      return;
    }
    const role = this.roles[port.index];
    // Slow protocols never enter a network: LACPDUs go to the uplink's LACP (or nowhere).
    if (f.etherType === ETHERTYPE_SLOW) {
      if (role.kind === 'up') this.lacp.receive(port, f);
      else this.net.pool.release(f);
      return;
    }
    let vnet = 0;
    if (role.kind === 'down') vnet = d.serverVnet(role.bay, role.fn, this, f.vlan);
    else if (role.kind === 'up') vnet = d.uplinkVnet(this, role.name, f.vlan);
    else vnet = f.vlan;
    if (vnet <= 0) {
      port.inDiscards++;
      this.net.pool.release(f);
      return;
    }
    // The upstream switch floods our own announcement back in on the other module's active uplink.
    // Learning its source there would move a server MAC, possibly still sitting on one of this
    // module's downlinks, to the uplink, and drop everything for it until the server speaks again.
    if (role.kind === 'up' && !this.settings.learnOwnMacCacheFrames && d.isOwnAnnouncement(f)) {
      this.ownAnnouncementsReturned++;
      this.net.pool.release(f);
      return;
    }
    const now = this.net.now;
    const table = this.table(vnet);
    if ((((f.src * INV_TWO32) | 0) & 0x0100) === 0) table.learn(f.src, port.index, now + AGEING_NS, now);
    const dst = f.dst;
    const out = dst === BROADCAST || (((dst * INV_TWO32) | 0) & 0x0100) !== 0 ? NOT_FOUND : table.lookup(dst, now);
    if (out !== NOT_FOUND && out >= 0) {
      if (out === port.index) this.net.pool.release(f);
      else this.egress(this.ports[out], f, vnet);
      return;
    }
    this.flood(port, role, f, vnet);
  }

  private flood(from: Port, fromRole: PortRole, f: Frame, vnet: number): void {
    const d = this.domain as VcDomain;
    this.net.floods++;
    const targets: Port[] = [];
    for (const p of d.serverPortsIn(this, vnet)) if (p !== from && p.operUp) targets.push(p);
    if (fromRole.kind !== 'up') {
      const up = d.uplinkPortFor(vnet, this, f);
      if (up !== null) targets.push(up);
    }
    if (fromRole.kind !== 'stack' && this.stack !== null && this.stack.operUp) targets.push(this.stack);
    if (targets.length === 0) {
      this.net.pool.release(f);
      return;
    }
    for (let i = 0; i < targets.length - 1; i++) this.egress(targets[i], this.net.pool.copy(f), vnet);
    this.egress(targets[targets.length - 1], f, vnet);
  }

  /** Send a frame of network `vnet` out of `p`, tagged as that port carries the network. */
  egress(p: Port, f: Frame, vnet: number): void {
    const d = this.domain as VcDomain;
    const role = this.roles[p.index];
    let tag = 0;
    if (role.kind === 'stack') tag = vnet;
    else if (role.kind === 'up') {
      const t = d.uplinkTag(this, role.name, vnet);
      if (t < 0) {
        this.net.pool.release(f);
        return;
      }
      tag = t;
    } else {
      const t = d.serverTag(role.bay, role.fn, this, vnet);
      if (t < 0) {
        this.net.pool.release(f);
        return;
      }
      tag = t;
    }
    if ((tag !== 0) !== (f.vlan !== 0)) f.size += tag !== 0 ? 4 : -4;
    f.vlan = tag;
    p.send(f);
  }

  /** Originate a frame into a network out of one port (Fast MAC Cache Failover). */
  originate(p: Port, f: Frame, vnet: number): void {
    this.egress(p, f, vnet);
  }

  /** Forget what was learned on ports of one role kind in one network (after an uplink change). */
  flushLearned(vnet: number, kinds: readonly PortRole['kind'][]): void {
    const t = this.tables[vnet];
    if (t === undefined) return;
    for (const p of this.ports) if (kinds.includes(this.roles[p.index].kind)) t.flushPort(p.index);
  }

  /** Server MACs learned on downlinks in a network, for Fast MAC Cache Failover. */
  serverMacs(vnet: number): number[] {
    const t = this.tables[vnet];
    if (t === undefined) return [];
    const now = this.net.now;
    const out: number[] = [];
    for (const e of t.entries(now)) if (e.port >= 0 && this.roles[e.port].kind === 'down') out.push(e.mac);
    return out;
  }

  /** Learned MACs per network as `show mac-cache`-like rows. */
  macEntries(): { vnet: number; mac: number; port: string }[] {
    const now = this.net.now;
    const out: { vnet: number; mac: number; port: string }[] = [];
    this.tables.forEach((t, vnet) => {
      if (t === undefined) return;
      for (const e of t.entries(now)) if (e.port >= 0) out.push({ vnet, mac: e.mac, port: this.ports[e.port].name });
    });
    return out.sort((a, b) => a.vnet - b.vnet || a.mac - b.mac);
  }

  override portStateChanged(port: Port, up: boolean): void {
    const role = this.roles[port.index];
    if (!up) for (const t of this.tables) t?.flushPort(port.index);
    if (role.kind === 'up') this.lacp.carrier(port, up);
    if (role.kind === 'up' && this.domain !== null) this.domain.uplinkChanged(this);
  }

  override start(): void {
    if (this.started) return;
    this.started = true;
    this.domain?.start();
    if (this.domain === null) this.refreshPorts();
    this.lacp.start();
  }

  openConsole(): CliSession {
    return new VcCli(this);
  }
}
