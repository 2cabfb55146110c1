/**
 * The c7000 enclosure: which blade and which interconnect module sits in which bay, the midplane
 * lanes between them, and the Onboard Administrator's per-bay controls (insert, pull, reset,
 * power). It owns the Virtual Connect domain of its Ethernet modules.
 */
import type { CliSession, ConsoleCapable } from '../../cli/session.ts';
import type { Frame } from '../../core/frame.ts';
import type { Network } from '../../core/network.ts';
import { NetworkNode } from '../../core/node.ts';
import type { Port } from '../../core/port.ts';
import { hashString } from '../../core/prng.ts';
import type { Blade } from '../hp-blade/blade.ts';
import { VcDomain } from '../hp-virtual-connect/domain.ts';
import { nicPlacements } from '../hp-virtual-connect/mapping.ts';
import type { VcModule } from '../hp-virtual-connect/module.ts';
import type { Settings } from '../kind.ts';
import { VcsuJob, type VcsuDomain, type VcsuModule, type VcsuOptions } from '../../proto/vcsu/job.ts';
import { DEFAULT_OA_FIRMWARE, DEVICE_BAYS, INTERCONNECT_BAYS } from './info.ts';
import { OaCli } from './oa-cli.ts';

type Child = { kind: 'blade'; bay: number; node: Blade } | { kind: 'module'; bay: number; node: VcModule; config: string | undefined };

/** Children created before their enclosure (lab order is free), waiting to be seated. */
const waiting = new WeakMap<Network, Map<string, Child[]>>();

export class C7000Enclosure extends NetworkNode implements ConsoleCapable {
  readonly blades = new Map<number, Blade>();
  /** Blades pulled out of their bay (the node stays; the bay is empty). */
  readonly pulledBlades = new Set<number>();
  readonly modules = new Map<number, VcModule>();
  readonly domain: VcDomain;
  readonly serial: string;
  readonly oaFirmware: string;
  private readonly midplaneDelayNs: number;
  private wired = false;
  /** The most recent VCSU job run against this OA. */
  lastVcsu: VcsuJob | null = null;

  constructor(net: Network, name: string, settings: Settings) {
    super(net, name);
    this.serial = typeof settings['serial'] === 'string' && settings['serial'] !== '' ? settings['serial'] : `USE${(hashString(name) % 1e7).toString().padStart(7, '0')}`;
    this.oaFirmware = typeof settings['oaFirmware'] === 'string' ? settings['oaFirmware'] : DEFAULT_OA_FIRMWARE;
    this.midplaneDelayNs = typeof settings['midplaneDelayNs'] === 'number' ? settings['midplaneDelayNs'] : 100;
    this.domain = new VcDomain(net, name, {
      bladeAdapters: (bay) => {
        const b = this.blades.get(bay);
        return b === undefined || this.pulledBlades.has(bay) ? null : b.hw.adapters;
      },
      dccCapable: (bay) => this.blades.get(bay)?.hw.dcc ?? false,
    });
    this.domain.beforeStart = () => this.wire();
    const early = waiting.get(net)?.get(name) ?? [];
    waiting.get(net)?.delete(name);
    for (const c of early) this.seat(c);
  }

  /** Find the enclosure called `parent`, or queue the child until it is built. */
  static place(net: Network, parent: string | undefined, child: Child): void {
    if (parent === undefined) throw new Error(`${child.node.name} needs a parent: the hp-c7000 enclosure it sits in`);
    const enc = net.node(parent);
    if (enc instanceof C7000Enclosure) {
      enc.seat(child);
      return;
    }
    if (enc !== undefined) throw new Error(`${child.node.name}: its parent ${parent} is not an hp-c7000 enclosure`);
    let byParent = waiting.get(net);
    if (byParent === undefined) {
      byParent = new Map();
      waiting.set(net, byParent);
    }
    const list = byParent.get(parent) ?? [];
    list.push(child);
    byParent.set(parent, list);
  }

  private seat(c: Child): void {
    if (c.kind === 'blade') {
      if (!Number.isInteger(c.bay) || c.bay < 1 || c.bay > DEVICE_BAYS) throw new Error(`${c.node.name}: device bay must be 1-${DEVICE_BAYS}, not ${c.bay}`);
      if (this.blades.has(c.bay)) throw new Error(`${c.node.name}: device bay ${c.bay} of ${this.name} already holds ${this.blades.get(c.bay)?.name}`);
      this.blades.set(c.bay, c.node);
      c.node.hw.bay = c.bay;
      c.node.hw.beforeStart = () => this.wire();
      this.domain.invalidate();
      return;
    }
    if (!Number.isInteger(c.bay) || c.bay < 1 || c.bay > INTERCONNECT_BAYS) throw new Error(`${c.node.name}: interconnect bay must be 1-${INTERCONNECT_BAYS}, not ${c.bay}`);
    if (this.modules.has(c.bay)) throw new Error(`${c.node.name}: interconnect bay ${c.bay} of ${this.name} already holds ${this.modules.get(c.bay)?.name}`);
    this.modules.set(c.bay, c.node);
    this.domain.addModule(c.bay, c.node);
    if (c.config !== undefined && c.config.trim() !== '') this.domain.applyConfig(c.config);
  }

  /**
   * Lay the midplane lanes once every child is seated: each blade NIC to its interconnect bay's
   * downlink (at the FlexNIC bandwidth the profile was granted), each side-by-side pair of
   * Ethernet modules to each other, and burn the profile MACs into the blades.
   */
  wire(): void {
    if (this.wired) return;
    this.wired = true;
    const d = this.domain;
    // Ports disabled by the profile start without carrier, rather than dropping it at time 0.
    for (const m of this.modules.values()) m.refreshPorts();
    for (const [bay, blade] of this.blades) {
      const profile = d.profileOf(bay);
      const fcoe = profile?.connections.some((c) => c.kind === 'fcoe') ?? false;
      const placements = nicPlacements(blade.hw.adapters, fcoe);
      const granted = d.placements(bay);
      placements.forEach((pl, i) => {
        const m = this.modules.get(pl.icBay);
        const nic = blade.hw.nics[i];
        if (m === undefined || !m.isEthernet || nic === undefined) return;
        const g = granted.find((x) => x.placement.icBay === pl.icBay && x.placement.fn === pl.fn);
        this.net.connect(nic, m.downlink(bay, pl.fn), { rateBps: g?.grantedBps ?? 10e9, delayNs: this.midplaneDelayNs });
      });
      this.applyProfileMacs(bay);
    }
    for (let left = 1; left < INTERCONNECT_BAYS; left += 2) {
      const a = this.modules.get(left);
      const b = this.modules.get(left + 1);
      if (a?.stack && b?.stack) this.net.connect(a.stack, b.stack, { rateBps: 10e9, delayNs: this.midplaneDelayNs });
    }
  }

  /** The blade in `bay` takes the MACs its profile assigns (factory ones where VC assigns none). */
  private applyProfileMacs(bay: number): void {
    const blade = this.blades.get(bay);
    if (blade === undefined) return;
    const conns = this.domain.profileOf(bay)?.connections.filter((c) => c.kind === 'enet') ?? [];
    blade.hw.applyMacs(blade.hw.nics.map((_, i) => conns[i]?.mac ?? null));
  }

  receive(_port: Port, f: Frame): void {
    this.net.pool.release(f);
  }

  override start(): void {
    this.wire();
  }

  // ---- Onboard Administrator controls ---------------------------------------------------------

  module(bay: number): VcModule {
    const m = this.modules.get(bay);
    if (m === undefined) throw new Error(`interconnect bay ${bay} of ${this.name} is empty`);
    return m;
  }

  pullModule(bay: number): void {
    this.module(bay).pull();
  }

  insertModule(bay: number): void {
    this.module(bay).insert();
  }

  /** OA Virtual Buttons → Reset. */
  resetInterconnect(bay: number): void {
    this.module(bay).reset();
  }

  powerInterconnect(bay: number, on: boolean): void {
    const m = this.module(bay);
    if (on) m.powerOn();
    else m.powerOff();
  }

  /** The blade slides out: its NICs lose the midplane. */
  pullBlade(bay: number): void {
    const b = this.blades.get(bay);
    if (b === undefined) throw new Error(`device bay ${bay} of ${this.name} is empty`);
    this.pulledBlades.add(bay);
    b.hw.setNicsUp(false);
    this.net.emit('oa.blade.removed', `${this.name}: blade removed from device bay ${bay}`, b.name);
    this.domain.invalidate();
  }

  /**
   * A blade slides into `bay`; with `serial` it is different hardware (another blade). VC gives it
   * the bay's profile addresses, so a replaced blade keeps its MACs.
   */
  insertBlade(bay: number, serial?: string): void {
    const b = this.blades.get(bay);
    if (b === undefined) throw new Error(`device bay ${bay} of ${this.name} has no blade device`);
    if (serial !== undefined) b.hw.replace(serial);
    this.pulledBlades.delete(bay);
    this.applyProfileMacs(bay);
    this.net.emit('oa.blade.inserted', `${this.name}: blade ${b.hw.serial} inserted in device bay ${bay}`, b.name);
    this.domain.invalidate();
    b.hw.setNicsUp(true);
  }

  /** Run a VCSU update against this enclosure's active OA (`vcsu -a update -i <OA>`). */
  startVcsu(options: VcsuOptions): VcsuJob {
    const d = this.domain;
    const target: VcsuDomain = {
      name: this.name,
      modules: () =>
        [...this.modules.entries()]
          .filter(([, m]) => m.state !== 'absent')
          .map(([bay, m]): VcsuModule => ({
            bay,
            name: m.name,
            kind: m.isEthernet ? 'enet' : 'fc',
            firmware: () => m.firmware,
            isUp: () => m.state === 'up',
            stage: (v) => {
              m.stagedFirmware = v;
            },
            rebootGraceful: () => m.rebootGraceful(),
          })),
      vcmPrimary: () => d.vcmPrimary,
      vcmBackup: () => d.vcmBackup,
      forceFailover: () => d.forceFailover(),
    };
    this.lastVcsu = new VcsuJob(this.net, target, options);
    return this.lastVcsu;
  }

  openConsole(): CliSession {
    return new OaCli(this);
  }
}
