/**
 * The Virtual Connect domain of one enclosure: the configuration VCM holds, which uplink is active
 * for each network, SmartLink, and which module runs VC Manager.
 *
 * Mechanisms (DOMAIN §3.3–3.4):
 * - Loop prevention: only one uplink or uplink LAG per network is active, the others are standby
 *   and drop what they receive. The highest-bandwidth one is preferred, a LAG counting the sum of
 *   its working members; among equals the lowest bay, then the lowest (first working) port wins
 *   [U: tie-break is ours]. Choice is re-evaluated on every change, so VC fails back by itself [V].
 * - Connection mode Auto: LACP forms LAGs among one module's uplinks (`uplink-lacp.ts`). A port
 *   still negotiating (its partner answers but is not in sync with it) carries nothing; one whose
 *   partner sends no LACPDUs is an individual uplink. When the port carrying a network joins a LAG,
 *   or its LAG breaks into individual ports, the network stays on those ports without a failover.
 * - Connection mode Failover: no LACP; a Primary uplink is preferred over any other, a Secondary
 *   one is used last (DOMAIN §3.3 [V]; Secondary below an uplink with no role is ours [U]).
 * - A new active uplink takes over after `uplinkFailoverMs`; then VC sends one frame per server MAC
 *   out of it (Fast MAC Cache Failover [V]) so the upstream CAM moves at once. The frames carry the
 *   domain's identity, so a module that gets one back from upstream knows it for its own
 *   announcement (`learnOwnMacCacheFrames` [U]).
 * - SmartLink: when a network has lost every uplink, server FlexNICs whose networks all have
 *   SmartLink on and are all lost go down — only when the blade's NIC speaks DCC [V].
 * - VCM runs on the Ethernet module in bay 1 or 2; the other is the backup and takes over when the
 *   primary goes away, after `vcmFailoverSeconds`; a returning module becomes the backup.
 */
import type { Frame } from '../../core/frame.ts';
import type { Network } from '../../core/network.ts';
import type { Port } from '../../core/port.ts';
import type { EventHandler } from '../../core/scheduler.ts';
import { MS, SECOND } from '../../core/time.ts';
import { hashFrame } from '../../l2/port-channel.ts';
import { VcConfig, type Connection, type ConfigProblem, type PortRole, type Profile, type VNet } from './config.ts';
import { allocateFlexNics, type FlexFunction } from './flexnic.ts';
import { fcoePlacement, nicPlacements, type BladeAdapters, type NicPlacement } from './mapping.ts';
import type { VcModule } from './module.ts';

/** IEEE 802 local experimental EtherType 2: the frames of Fast MAC Cache Failover carry nothing else. */
export const ETHERTYPE_VC_MAC_CACHE = 0x88b6;

/** What the enclosure tells the domain about the blades. */
export interface DomainHost {
  /** Adapters of the blade in a device bay, or null for an empty bay. */
  bladeAdapters(bay: number): BladeAdapters | null;
  /** Whether the blade's NIC firmware and driver speak DCC (needed for SmartLink on FlexNICs). */
  dccCapable(bay: number): boolean;
}

/** An uplink unit that can carry a network: one port, or the working members of an LACP LAG. */
export interface ActiveUplink {
  module: VcModule;
  /** The unit's lowest-numbered working port. */
  port: Port;
  /** Every port carrying the network when this unit is active. */
  ports: Port[];
  /** LAG id when the unit is an LACP LAG; null for a single uplink. */
  lag: number | null;
  /** Sum of the ports' link rates: what VC compares. */
  bps: number;
  /** Port role in connection mode Failover. */
  role: PortRole | null;
}

function sameUnit(a: ActiveUplink, b: ActiveUplink): boolean {
  return a.module === b.module && (a.lag !== null ? a.lag === b.lag : b.lag === null && a.port === b.port);
}

const ROLE_RANK = { Primary: 0, none: 1, Secondary: 2 } as const;

/** A server connection placed on a module downlink, with the bandwidth VC granted it. */
export interface PlacedConnection {
  connection: Connection;
  placement: NicPlacement;
  grantedBps: number;
}

export type VcmRole = 'Primary' | 'Backup' | 'None';

const VCM_TAKEOVER = 0;

export class VcDomain implements EventHandler {
  readonly config = new VcConfig();
  readonly modules = new Map<number, VcModule>();
  readonly problems: ConfigProblem[] = [];
  readonly handlerId: number;
  vcmPrimary: number | null = null;
  vcmBackup: number | null = null;
  /** Lays the enclosure's midplane lanes; runs before the domain first chooses uplinks. */
  beforeStart: (() => void) | null = null;
  private readonly active = new Map<number, ActiveUplink | null>();
  private readonly pending = new Map<number, number>();
  private readonly lost = new Set<number>();
  private placed = new Map<number, PlacedConnection[]>();
  private vcmTimer = -1;
  private started = false;

  constructor(
    readonly net: Network,
    readonly enclosure: string,
    private readonly host: DomainHost,
  ) {
    this.handlerId = net.sched.register(this);
  }

  /** What this domain's Fast MAC Cache frames carry to be told from another domain's. */
  get announcementTag(): number {
    return this.handlerId;
  }

  /** Whether a frame is a Fast MAC Cache announcement this domain sent. */
  isOwnAnnouncement(f: Frame): boolean {
    return f.etherType === ETHERTYPE_VC_MAC_CACHE && f.payload !== null && f.payload.kind === 'opaque' && f.payload.tag === this.announcementTag;
  }

  applyConfig(text: string): ConfigProblem[] {
    const p = this.config.apply(text);
    this.problems.push(...p);
    if (this.started) for (const m of this.modules.values()) m.lacp.sync();
    this.invalidate();
    return p;
  }

  /** Profiles or blades changed: recompute placements. */
  invalidate(): void {
    this.placed = new Map();
    if (this.started) this.recompute();
  }

  addModule(bay: number, m: VcModule): void {
    this.modules.set(bay, m);
    m.bay = bay;
    m.domain = this;
  }

  ethernetModules(): VcModule[] {
    return [...this.modules.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1]).filter((m) => m.isEthernet);
  }

  start(): void {
    if (this.started) return;
    this.beforeStart?.();
    this.started = true;
    for (const bay of [1, 2]) {
      const m = this.modules.get(bay);
      if (m === undefined || !m.isEthernet || m.state !== 'up') continue;
      if (this.vcmPrimary === null) this.vcmPrimary = bay;
      else this.vcmBackup = bay;
    }
    this.recompute();
  }

  // ---- server side ----------------------------------------------------------------------------

  /** Connections of the profile in `bay` with the downlink each one uses and its bandwidth. */
  placements(bay: number): PlacedConnection[] {
    const cached = this.placed.get(bay);
    if (cached !== undefined) return cached;
    const out: PlacedConnection[] = [];
    const profile = this.config.profileInBay(bay);
    const adapters = this.host.bladeAdapters(bay);
    if (profile !== undefined && adapters !== null) {
      const fcoe = profile.connections.some((c) => c.kind === 'fcoe');
      const nics = nicPlacements(adapters, fcoe);
      for (const c of profile.connections) {
        const placement = c.kind === 'fcoe' ? fcoePlacement(c.index) : nics[c.index - 1];
        if (placement !== undefined) out.push({ connection: c, placement, grantedBps: 0 });
      }
      // FlexNIC bandwidth per physical port (interconnect bay).
      const byBay = new Map<number, PlacedConnection[]>();
      for (const pc of out) {
        const list = byBay.get(pc.placement.icBay) ?? [];
        list.push(pc);
        byBay.set(pc.placement.icBay, list);
      }
      for (const list of byBay.values()) {
        const grants = allocateFlexNics(list.map((pc) => pc.connection.speed));
        list.forEach((pc, i) => (pc.grantedBps = grants[i]));
      }
    }
    this.placed.set(bay, out);
    return out;
  }

  private placedAt(bay: number, icBay: number, fn: FlexFunction): PlacedConnection | undefined {
    return this.placements(bay).find((pc) => pc.placement.icBay === icBay && pc.placement.fn === fn);
  }

  profileOf(bay: number): Profile | undefined {
    return this.config.profileInBay(bay);
  }

  /** Whether a server downlink function should have link. */
  downlinkEnabled(m: VcModule, bay: number, fn: FlexFunction): boolean {
    const pc = m.bay === null ? undefined : this.placedAt(bay, m.bay, fn);
    if (pc === undefined || pc.connection.kind !== 'enet') return false;
    const nets = pc.connection.networks;
    if (nets.length === 0 || !this.host.dccCapable(bay)) return true;
    const smartDown = nets.every((n) => {
      const v = this.config.vnets.get(n.vnet);
      return v !== undefined && v.smartLink && this.lost.has(v.id);
    });
    return !smartDown;
  }

  /** Network of a frame a server sent on a downlink, or 0 when the connection does not carry it. */
  serverVnet(bay: number, fn: FlexFunction, m: VcModule, vlan: number): number {
    const pc = m.bay === null ? undefined : this.placedAt(bay, m.bay, fn);
    if (pc === undefined) return 0;
    const wanted = vlan === 0 ? null : vlan;
    const e = pc.connection.networks.find((n) => n.vlan === wanted);
    return e === undefined ? 0 : (this.config.vnets.get(e.vnet)?.id ?? 0);
  }

  /** Tag for a frame of `vnet` leaving to a server: the VLAN id, 0 untagged, -1 not carried. */
  serverTag(bay: number, fn: FlexFunction, m: VcModule, vnet: number): number {
    const pc = m.bay === null ? undefined : this.placedAt(bay, m.bay, fn);
    const v = this.config.vnetById(vnet);
    if (pc === undefined || v === undefined) return -1;
    const e = pc.connection.networks.find((n) => n.vnet === v.name);
    return e === undefined ? -1 : (e.vlan ?? 0);
  }

  /** Server downlinks of a module that carry `vnet`. */
  serverPortsIn(m: VcModule, vnet: number): Port[] {
    const v = this.config.vnetById(vnet);
    if (v === undefined || m.bay === null) return [];
    const out: Port[] = [];
    for (let bay = 1; bay <= 16; bay++) {
      for (const pc of this.placements(bay)) {
        if (pc.placement.icBay !== m.bay || pc.connection.kind !== 'enet') continue;
        if (pc.connection.networks.some((n) => n.vnet === v.name)) out.push(m.downlink(bay, pc.placement.fn));
      }
    }
    return out;
  }

  // ---- uplinks --------------------------------------------------------------------------------

  private vnetsOnUplink(m: VcModule, port: string): VNet[] {
    const out: VNet[] = [];
    for (const v of this.config.vnets.values()) {
      if (this.config.uplinksOf(v).some((r) => r.bay === m.bay && r.port.toLowerCase() === port.toLowerCase())) out.push(v);
    }
    return out;
  }

  /** Network of a frame that arrived on an uplink; 0 when the uplink is standby for it or it is not carried. */
  uplinkVnet(m: VcModule, port: string, vlan: number): number {
    const wanted = vlan === 0 ? null : vlan;
    const v = this.vnetsOnUplink(m, port).find((x) => x.vlan === wanted);
    if (v === undefined) return 0;
    const a = this.active.get(v.id);
    if (a === undefined || a === null || a.module !== m) return 0;
    for (const p of a.ports) if (p.name === port) return v.id;
    return 0;
  }

  uplinkTag(m: VcModule, port: string, vnet: number): number {
    const v = this.vnetsOnUplink(m, port).find((x) => x.id === vnet);
    return v === undefined ? -1 : (v.vlan ?? 0);
  }

  activeUplink(vnet: number): ActiveUplink | null {
    return this.active.get(vnet) ?? null;
  }

  /** The port of `m` a frame of `vnet` leaves upstream by: the active uplink, or the LAG member its addresses pick. */
  uplinkPortFor(vnet: number, m: VcModule, f: Frame): Port | null {
    const a = this.active.get(vnet) ?? null;
    if (a === null || a.module !== m) return null;
    const ps = a.ports;
    const p = ps.length === 1 ? ps[0] : ps[hashFrame(f, 'src-dst-mac') % ps.length];
    return p.operUp ? p : null;
  }

  /** Uplink units that could carry `v` now, best first. */
  candidates(v: VNet): ActiveUplink[] {
    const out: ActiveUplink[] = [];
    const auto = this.config.policyOf(v).connectionMode === 'Auto';
    const lags = new Set<number>();
    const rate = (p: Port): number => p.link?.rateBps ?? p.speedBps;
    for (const ref of this.config.uplinksOf(v)) {
      const m = this.modules.get(ref.bay);
      const p = m?.uplink(ref.port);
      if (m === undefined || p === undefined || m.state !== 'up' || !p.operUp) continue;
      if (auto) {
        const lag = m.lacp.lagOf(p);
        if (lag !== null) {
          const key = (ref.bay << 16) | lag.id;
          if (lags.has(key)) continue;
          lags.add(key);
          const ports = lag.distributing.filter((x) => x.operUp);
          if (ports.length === 0) continue;
          out.push({ module: m, port: ports[0], ports, lag: lag.id, bps: ports.reduce((n, x) => n + rate(x), 0), role: null });
          continue;
        }
        // Its partner answers but has not bundled it (yet): not usable on its own either.
        if (!m.lacp.view(p).individual) continue;
      }
      out.push({ module: m, port: p, ports: [p], lag: null, bps: rate(p), role: auto ? null : ref.role });
    }
    out.sort(
      (a, b) =>
        ROLE_RANK[a.role ?? 'none'] - ROLE_RANK[b.role ?? 'none'] || b.bps - a.bps || (a.module.bay ?? 0) - (b.module.bay ?? 0) || a.port.index - b.port.index,
    );
    return out;
  }

  moduleChanged(m: VcModule): void {
    if (m.bay === 1 || m.bay === 2) this.vcmModuleChanged(m);
    this.recompute();
  }

  uplinkChanged(_m: VcModule): void {
    this.recompute();
  }

  /** Re-choose active uplinks, update SmartLink, and set every module's port states. */
  recompute(): void {
    if (!this.started) {
      for (const m of this.modules.values()) m.refreshPorts();
      return;
    }
    const smartBefore = new Set(this.lost);
    for (const v of this.config.vnets.values()) {
      const c = this.candidates(v);
      const best = c[0] ?? null;
      if (best === null) this.lost.add(v.id);
      else this.lost.delete(v.id);
      let cur = this.active.get(v.id) ?? null;
      if (cur !== null) {
        const was = cur;
        // Same unit, perhaps with other members now; or the ports carrying the network became a
        // LAG (or their LAG fell apart into single ports): they carry on without a failover.
        const now = c.find((x) => sameUnit(x, was)) ?? c.find((x) => x.module === was.module && x.ports.some((p) => was.ports.includes(p)));
        if (now !== undefined) {
          if (!sameUnit(now, was)) this.announceRegroup(v, was, now);
          this.active.set(v.id, now);
          cur = now;
        }
      }
      if (cur !== null && best !== null && sameUnit(cur, best)) {
        this.cancelPending(v.id);
        continue;
      }
      if (best === null) {
        this.cancelPending(v.id);
        if (cur !== null) this.setActive(v, null);
        continue;
      }
      if (!this.active.has(v.id)) {
        // First choice when the domain starts: nothing to fail over from.
        this.setActive(v, best);
        continue;
      }
      if (cur !== null && !c.some((x) => sameUnit(x, cur))) this.setActive(v, null);
      if (!this.pending.has(v.id)) {
        const delay = (best.module.settings.uplinkFailoverMs * MS) | 0;
        this.pending.set(v.id, this.net.sched.schedule(delay, this.handlerId, v.id, null));
      }
    }
    for (const v of this.config.vnets.values()) {
      const was = smartBefore.has(v.id);
      const now = this.lost.has(v.id);
      if (was !== now && v.smartLink) {
        const mute = now && [...this.modules.values()].some((m) => m.holdingLinks && this.config.uplinksOf(v).some((r) => r.bay === m.bay));
        const what = !now
          ? 'has an uplink again; SmartLink restores its server ports'
          : mute
            ? 'lost all uplinks; the module shutting down cannot signal SmartLink over DCC, so its server ports keep link'
            : 'lost all uplinks; SmartLink takes its server ports down';
        this.net.emit('vc.smartlink', `${this.enclosure}: network ${v.name} ${what}`, this.enclosure);
      }
    }
    for (const m of this.modules.values()) m.refreshPorts();
  }

  private cancelPending(id: number): void {
    const t = this.pending.get(id);
    if (t !== undefined) this.net.sched.cancel(t);
    this.pending.delete(id);
  }

  private announceRegroup(v: VNet, was: ActiveUplink, now: ActiveUplink): void {
    const what = now.lag !== null ? `LAG ${now.lag} (${now.ports.map((p) => p.name).join(',')})` : `single uplink ${now.port.name}`;
    const from = was.lag !== null ? `LAG ${was.lag}` : was.port.name;
    this.net.emit('vc.uplink', `${this.enclosure}: network ${v.name} stays on enc0:${now.module.bay} ${from}, now ${what}`, now.module.name, now.port.name);
  }

  /** How an active unit is named in events and the CLI: enc0:1:X1, or LAG 25 (enc0:1:X1,X2). */
  static unitName(a: ActiveUplink): string {
    const first = `enc0:${a.module.bay}:${a.port.name}`;
    return a.lag === null ? first : `${first} (LAG ${a.lag}: ${a.ports.map((p) => p.name).join(',')})`;
  }

  private setActive(v: VNet, a: ActiveUplink | null): void {
    this.active.set(v.id, a);
    for (const m of this.modules.values()) if (m.isEthernet) m.flushLearned(v.id, ['up', 'stack']);
    if (a === null) {
      this.net.emit('vc.uplink', `${this.enclosure}: network ${v.name} has no active uplink`, this.enclosure);
      return;
    }
    this.net.emit('vc.uplink', `${this.enclosure}: network ${v.name} active uplink ${VcDomain.unitName(a)}`, a.module.name, a.port.name);
    if (this.net.now > 0 || this.started) this.fastMacCacheFailover(v, a);
  }

  /** One frame per server MAC out of the new active uplink, so the upstream switch relearns them there. */
  private fastMacCacheFailover(v: VNet, a: ActiveUplink): void {
    const macs = new Set<number>();
    for (const m of this.modules.values()) if (m.isEthernet) for (const mac of m.serverMacs(v.id)) macs.add(mac);
    for (const mac of [...macs].sort((x, y) => x - y)) {
      const f = this.net.pool.alloc();
      f.dst = 0xffffffffffff;
      f.src = mac;
      f.vlan = 0;
      f.pcp = 0;
      f.etherType = ETHERTYPE_VC_MAC_CACHE;
      f.size = 64;
      f.payload = { kind: 'opaque', length: 46, tag: this.announcementTag };
      f.tag = 0;
      const p = this.uplinkPortFor(v.id, a.module, f);
      if (p !== null) a.module.originate(p, f, v.id);
      else this.net.pool.release(f);
    }
  }

  onEvent(code: number): void {
    if (code === VCM_TAKEOVER) {
      this.vcmTimer = -1;
      this.vcmTakeover();
      return;
    }
    this.pending.delete(code);
    const v = this.config.vnetById(code);
    if (v === undefined) return;
    const best = this.candidates(v)[0] ?? null;
    if (best !== null) this.setActive(v, best);
    for (const m of this.modules.values()) m.refreshPorts();
  }

  // ---- VC Manager -----------------------------------------------------------------------------

  vcmRole(bay: number | null): VcmRole {
    if (bay !== null && bay === this.vcmPrimary) return 'Primary';
    if (bay !== null && bay === this.vcmBackup) return 'Backup';
    return 'None';
  }

  private vcmModuleChanged(m: VcModule): void {
    const bay = m.bay as number;
    if (!m.isEthernet) return;
    if (m.state === 'up') {
      if (this.vcmPrimary === null && this.vcmTimer < 0) {
        this.vcmPrimary = bay;
        this.net.emit('vc.vcm', `${this.enclosure}: VC Manager running on bay ${bay} (primary)`, m.name);
      } else if (this.vcmPrimary !== bay) this.vcmBackup = bay;
      return;
    }
    if (this.vcmPrimary === bay) {
      this.vcmPrimary = null;
      this.net.emit('vc.vcm', `${this.enclosure}: primary VC Manager in bay ${bay} went away`, m.name);
      this.scheduleTakeover();
    } else if (this.vcmBackup === bay && this.vcmTimer < 0) {
      this.vcmBackup = null;
    }
  }

  private scheduleTakeover(): void {
    const b = this.vcmBackup !== null ? this.modules.get(this.vcmBackup) : undefined;
    if (b === undefined || b.state !== 'up' || this.vcmTimer >= 0) return;
    this.vcmTimer = this.net.sched.schedule(b.settings.vcmFailoverSeconds * SECOND, this.handlerId, VCM_TAKEOVER, null);
  }

  private vcmTakeover(): void {
    const bay = this.vcmBackup;
    const b = bay !== null ? this.modules.get(bay) : undefined;
    if (bay === null || b === undefined || b.state !== 'up') return;
    this.vcmPrimary = bay;
    this.vcmBackup = null;
    const other = bay === 1 ? 2 : 1;
    const o = this.modules.get(other);
    if (o !== undefined && o.isEthernet && o.state === 'up') this.vcmBackup = other;
    this.net.emit('vc.vcm', `${this.enclosure}: backup module in bay ${bay} is now the primary VC Manager`, b.name);
  }

  /**
   * VCSU's "force failover": the backup becomes primary and the old primary, still up, the backup.
   * Returns false when there is no backup to fail over to.
   */
  forceFailover(): boolean {
    const p = this.vcmPrimary;
    const b = this.vcmBackup;
    if (p === null || b === null || this.modules.get(b)?.state !== 'up') return false;
    this.net.emit('vc.vcm', `${this.enclosure}: Force failover started`, this.modules.get(p)?.name);
    this.vcmPrimary = null;
    this.scheduleTakeover();
    return true;
  }

  get vcmFailoverPending(): boolean {
    return this.vcmTimer >= 0;
  }
}
