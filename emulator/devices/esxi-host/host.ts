/**
 * A VMware ESXi host: physical uplinks vmnic0…n, the standard vSwitch0 (with the management
 * vmkernel NIC and VM port groups), optionally membership of a distributed vSwitch, and the VMs
 * placed here. VMs use the same guest attachment as Hyper-V guests (hyperv-host/vm.ts): a
 * VirtualMachine with VnicPorts that the guest's adapters are cabled to; the ESXi switch is the
 * ports' sink instead of the Hyper-V one.
 */
import type { CliSession, ConsoleCapable } from '../../cli/session.ts';
import type { Frame } from '../../core/frame.ts';
import type { Network } from '../../core/network.ts';
import { NetworkNode } from '../../core/node.ts';
import type { Port } from '../../core/port.ts';
import { hashString } from '../../core/prng.ts';
import { IpHost } from '../../l3/ip-host.ts';
import { VirtualMachine, type GuestOs, type VmSpec } from '../hyperv-host/vm.ts';
import type { SettingValue } from '../kind.ts';
import { EsxiShell } from './esxcli.ts';
import { hostOptionsFromSettings, vmnicName, type EsxiHostOptions } from './options.ts';
import { parsePortGroups, type PortGroupSpec } from './policy.ts';
import { VmotionEngine } from './vmotion.ts';
import { EsxiVSwitch, type PinReason, type Uplink, type VirtualPort } from './vswitch.ts';

/** Portset port ID bases: vSwitch0 0x2000000, the dvSwitch 0x3000000 (seed 001's DvsPortset-0 ports are 50331649…). */
const STANDARD_PORT_BASE = 0x2000000;
const DVS_PORT_BASE = 0x3000000;
/** vCenter-assigned VM MACs are 00:50:56:80:00:00–00:50:56:BF:FF:FF [U: recalled VMware range]. */
const VCENTER_MAC_BASE = 0x005056800000;
const VCENTER_MAC_SPAN = 0x400000;

/** Shared numbering of dvPorts across the hosts of one network (a dvSwitch spans hosts). */
const dvPortCounters = new WeakMap<Network, number>();
/** dvPort numbers handed out automatically start here [U]. */
const FIRST_AUTO_DVPORT = 100;

/** One adapter of a VM as ESXi places it: which port group, and its dvPort when on a dvSwitch. */
export interface EsxiAdapterSpec {
  portGroup: string;
  dvPort?: number;
}

/** A VM on an ESXi host: the shared VirtualMachine plus what ESXi adds. */
export interface EsxiVm {
  readonly vm: VirtualMachine;
  worldId: number;
  readonly adapters: readonly EsxiAdapterSpec[];
  /** dvPort per adapter (kept across vMotion: the port belongs to the dvSwitch, not the host). */
  readonly dvPorts: (number | null)[];
}

/** The management vmkernel NIC's IP stack (vmk0): answers pings to the management address. */
export class VmkernelNic extends IpHost implements GuestOs {
  constructor(net: Network, name: string, mac: number) {
    super(net, name);
    this.addInterface('vmk0', mac, 10e9);
  }
  adapterPort(): Port {
    return this.interfaces[0].port;
  }
  adapterMac(): number {
    return this.interfaces[0].mac;
  }
  adapterAddresses(): readonly number[] {
    return this.interfaces[0].addrs.filter((a) => a.state === 'preferred').map((a) => a.ip);
  }
  powerChanged(on: boolean): void {
    this.interfaces[0].port.setAdmin(on);
  }
}

export class EsxiHost extends NetworkNode implements ConsoleCapable {
  readonly options: EsxiHostOptions;
  readonly vmnics: Port[] = [];
  readonly vswitch0: EsxiVSwitch;
  readonly dvs: EsxiVSwitch | null;
  readonly vms = new Map<string, EsxiVm>();
  readonly vmk0: VmkernelNic;
  private readonly vmk0Vm: VirtualMachine;
  powered = true;
  parentName: string | null = null;
  private nextWorldId: number;

  constructor(net: Network, name: string, options: EsxiHostOptions) {
    super(net, name);
    this.options = options;
    for (let i = 0; i < options.uplinks; i++) {
      const p = this.addPort(vmnicName(i), options.nicSpeedBps);
      p.mac = options.firstNicMac + 2 * i;
      this.vmnics.push(p);
    }
    const uplinksOf = (names: readonly string[]): Uplink[] => names.map((n) => ({ name: n, port: this.portByName(n) as Port }));
    this.vswitch0 = new EsxiVSwitch(net, this, {
      name: 'vSwitch0',
      kind: 'standard',
      portBase: STANDARD_PORT_BASE,
      uplinks: uplinksOf([...options.standardActive, ...options.standardStandby]),
      teaming: { active: options.standardActive, standby: options.standardStandby, notifySwitches: options.standardNotify, failback: options.standardFailback },
      security: { macChanges: true, forgedTransmits: true, promiscuous: false },
      portGroups: [{ name: 'Management Network', vlan: options.managementVlan, teaming: {}, security: {} }, ...options.portGroups],
      mtu: options.mtu,
    });
    const d = options.dvs;
    this.dvs =
      d === null
        ? null
        : new EsxiVSwitch(net, this, {
            name: d.name,
            kind: 'distributed',
            portBase: DVS_PORT_BASE,
            uplinks: uplinksOf([...d.active, ...d.standby]),
            teaming: { active: d.active, standby: d.standby, notifySwitches: d.notify, failback: d.failback },
            // A dvSwitch's security defaults are all Reject [U: recalled vSphere 5.x+ default];
            // port groups accept MAC changes and forged transmits explicitly (seed 001 does).
            security: { macChanges: false, forgedTransmits: false, promiscuous: false },
            portGroups: d.portGroups,
            mtu: options.mtu,
          });
    this.nextWorldId = 30000 + (hashString(name) % 5000) * 2;
    // vmk0 takes vmnic0's MAC, as ESXi's first vmknic does [U: recalled behaviour].
    const vmkMac = this.vmnics.length > 0 ? this.vmnics[0].mac : options.firstNicMac;
    this.vmk0Vm = new VirtualMachine(net, { name: `${name}#vmk0`, adapters: [{ staticMac: vmkMac }] }, name, [vmkMac]);
    this.vmk0 = new VmkernelNic(net, `${name}#vmk0`, vmkMac);
    this.vmk0.arpRetryCount = 0;
    if (options.managementIp !== null) this.vmk0.addAddress('vmk0', options.managementIp.ip, options.managementIp.prefix);
    if (options.gateway !== null) this.vmk0.setGateway(options.gateway);
    this.vmk0Vm.plug(this.vmk0);
    this.vswitch0.connect(this.vmk0Vm, this.vmk0Vm.adapters[0], this.vswitch0.portGroups[0], {
      type: 'vmk',
      client: 'vmk0',
      dvPort: null,
      reason: 'power-on',
      fixedId: STANDARD_PORT_BASE + 1,
    });
  }

  get switches(): EsxiVSwitch[] {
    return this.dvs === null ? [this.vswitch0] : [this.vswitch0, this.dvs];
  }

  /** The switch and port group named `pg` (port group names are unique on a host). */
  findPortGroup(pg: string): { sw: EsxiVSwitch; group: PortGroupSpec } | null {
    for (const sw of this.switches) {
      const group = sw.portGroup(pg);
      if (group !== undefined) return { sw, group };
    }
    return null;
  }

  private switchOfUplink(port: Port): EsxiVSwitch | null {
    for (const sw of this.switches) if (sw.uplinks.some((u) => u.port === port)) return sw;
    return null;
  }

  // ---- VMs ----------------------------------------------------------------------------------

  /**
   * Declare a VM here: its vNICs get their MACs (static, or vCenter-style 00:50:56:8x…) and the
   * port groups are checked. Plug a guest into `result.vm` (see hyperv-host/vm.ts), then it
   * connects when the network starts.
   */
  createVm(spec: VmSpec, adapters: readonly EsxiAdapterSpec[]): EsxiVm {
    if (findEsxiVm(this.net, spec.name) !== null) throw new Error(`a VM named ${spec.name} already exists`);
    if (adapters.length !== spec.adapters.length) throw new Error(`${spec.name}: ${spec.adapters.length} adapters but ${adapters.length} port groups`);
    for (const a of adapters) if (this.findPortGroup(a.portGroup) === null) throw new Error(`${spec.name}: ${this.name} has no port group "${a.portGroup}"`);
    const macs = spec.adapters.map((a, i) => a.staticMac ?? VCENTER_MAC_BASE + (hashString(`${spec.name}/${i}`) % VCENTER_MAC_SPAN));
    const vm = new VirtualMachine(this.net, spec, this.name, macs);
    const dvPorts = adapters.map((a) => {
      const found = this.findPortGroup(a.portGroup);
      if (found === null || found.sw.kind !== 'distributed') return null;
      return a.dvPort ?? nextDvPort(this.net);
    });
    const e: EsxiVm = { vm, worldId: this.nextWorldId++, adapters, dvPorts };
    this.vms.set(spec.name, e);
    return e;
  }

  /** Connect a VM's vNICs to their port groups (power-on or vMotion arrival). */
  connectVm(e: EsxiVm, reason: PinReason): void {
    e.vm.adapters.forEach((vnic, i) => {
      const found = this.findPortGroup(e.adapters[i].portGroup);
      if (found === null) return;
      found.sw.connect(e.vm, vnic, found.group, {
        type: 'vm',
        client: `${e.vm.name} ethernet${i}`,
        dvPort: e.dvPorts[i],
        reason,
      });
    });
  }

  disconnectVm(e: EsxiVm): void {
    for (const vnic of e.vm.adapters) for (const sw of this.switches) sw.disconnect(vnic);
  }

  /** The virtual ports of a VM here, in adapter order. */
  portsOf(e: EsxiVm): VirtualPort[] {
    const out: VirtualPort[] = [];
    for (const vnic of e.vm.adapters) {
      for (const sw of this.switches) {
        const p = sw.portOf(vnic);
        if (p !== undefined) out.push(p);
      }
    }
    return out;
  }

  powerOnVm(name: string): void {
    const e = this.vms.get(name);
    if (e === undefined) throw new Error(`${this.name} has no virtual machine named ${name}`);
    if (e.vm.state === 'Running') return;
    e.vm.state = 'Running';
    e.vm.startedNs = this.net.now;
    this.net.emit('esxi.vm.power', `${this.name}: ${name} powered on`, this.name, name);
    e.vm.guest?.powerChanged?.(true);
    if (this.powered) this.connectVm(e, 'power-on');
  }

  powerOffVm(name: string): void {
    const e = this.vms.get(name);
    if (e === undefined) throw new Error(`${this.name} has no virtual machine named ${name}`);
    if (e.vm.state === 'Off') return;
    e.vm.state = 'Off';
    this.net.emit('esxi.vm.power', `${this.name}: ${name} powered off`, this.name, name);
    this.disconnectVm(e);
    e.vm.guest?.powerChanged?.(false);
  }

  /** Start a vMotion of `vmName` to the ESXi host `target`. Returns an error text, or null. */
  vmotion(vmName: string, target: string): string | null {
    const e = this.vms.get(vmName);
    if (e === undefined) return `${this.name} has no virtual machine named ${vmName}`;
    const to = this.net.node(target);
    if (!(to instanceof EsxiHost)) return `${target} is not an ESXi host`;
    return VmotionEngine.of(this.net).migrate(e, this, to);
  }

  /** Take a VM arriving by vMotion: it becomes this host's and its vNICs connect here (RARP if notify). */
  adoptVm(e: EsxiVm): void {
    const prev = this.net.node(e.vm.hostName);
    if (prev instanceof EsxiHost && prev !== this) prev.vms.delete(e.vm.name);
    e.vm.hostName = this.name;
    e.worldId = this.nextWorldId++;
    this.vms.set(e.vm.name, e);
    e.vm.state = 'Running';
    this.connectVm(e, 'vmotion');
  }

  // ---- power --------------------------------------------------------------------------------

  setPower(on: boolean): void {
    if (on === this.powered) return;
    this.powered = on;
    this.net.emit(on ? 'host.power.on' : 'host.power.off', `${this.name} powered ${on ? 'on' : 'off'}`, this.name);
    if (!on) {
      VmotionEngine.of(this.net).hostDown(this);
      for (const e of this.vms.values()) {
        if (e.vm.state === 'Off') continue;
        e.vm.state = 'Off';
        this.disconnectVm(e);
        e.vm.guest?.powerChanged?.(false);
      }
      this.vmk0.powerChanged(false);
    }
    for (const p of this.vmnics) p.setAdmin(on);
    if (on) {
      this.vmk0.powerChanged(true);
      // ESXi does not restart VMs by itself after a power cut unless autostart is set: VMs that
      // should run are powered on again here, as a lab expects of an "on" host [U].
      for (const e of this.vms.values()) {
        e.vm.state = 'Running';
        e.vm.startedNs = this.net.now;
        e.vm.guest?.powerChanged?.(true);
        this.connectVm(e, 'power-on');
      }
    }
  }

  // ---- settings changed while running ---------------------------------------------------------

  /** A `set` step. Returns false for settings that only take effect when the lab is built. */
  applySetting(key: string, value: SettingValue): boolean {
    const sw = key.startsWith('dvs') || key === 'dvPortGroups' ? this.dvs : this.vswitch0;
    if (sw === null) throw new Error(`${this.name} is not on a distributed switch`);
    if ((key === 'notifySwitches' || key === 'dvsNotifySwitches') && typeof value === 'boolean') {
      sw.teaming.notifySwitches = value;
      this.net.emit('esxi.setting', `${this.name}: ${sw.name} Notify Switches ${value ? 'Yes' : 'No'}`, this.name);
      return true;
    }
    if ((key === 'failback' || key === 'dvsFailback') && typeof value === 'boolean') {
      sw.teaming.failback = value;
      sw.policyChanged();
      return true;
    }
    if ((key === 'portGroups' || key === 'dvPortGroups') && typeof value === 'string') {
      // Re-declaring the port groups changes their policies in place; a VM's port group must stay.
      for (const next of parsePortGroups(value)) {
        const cur = sw.portGroup(next.name);
        if (cur === undefined) sw.portGroups.push(next);
        else {
          cur.vlan = next.vlan;
          cur.teaming = next.teaming;
          cur.security = next.security;
        }
      }
      for (const p of sw.ports) p.vnic.vlan = p.portGroup.vlan;
      sw.policyChanged();
      this.net.emit('esxi.setting', `${this.name}: ${sw.name} port groups now ${value}`, this.name);
      return true;
    }
    if (key === 'vmotionBandwidth' || key === 'vmotionSwitchoverMs') return false;
    return false;
  }

  // ---- the node -----------------------------------------------------------------------------

  receive(port: Port, f: Frame): void {
    const sw = this.powered ? this.switchOfUplink(port) : null;
    if (sw === null) this.net.pool.release(f);
    else sw.fromUplink(port.name, f);
  }

  override portStateChanged(port: Port, up: boolean): void {
    this.net.emit('esxi.link', `${this.name}: ${port.name} Link ${up ? 'Up' : 'Down'}`, this.name, port.name);
    this.switchOfUplink(port)?.uplinkChanged(port.name, up);
  }

  override start(): void {
    // vmk0 connected before the cables existed: pin and announce it now, as at power-on.
    for (const sw of this.switches) sw.powerOnPorts();
    for (const e of this.vms.values()) {
      if (e.vm.state !== 'Running') continue;
      if (e.vm.startedNs === 0) e.vm.startedNs = this.net.now;
      this.connectVm(e, 'power-on');
    }
  }

  openConsole(): CliSession {
    return new EsxiShell(this);
  }
}

function nextDvPort(net: Network): number {
  const n = dvPortCounters.get(net) ?? FIRST_AUTO_DVPORT;
  dvPortCounters.set(net, n + 1);
  return n;
}

/** The VM of that name on any ESXi host in the network, with its host. */
export function findEsxiVm(net: Network, vmName: string): { e: EsxiVm; host: EsxiHost } | null {
  const wanted = vmName.toLowerCase();
  for (const n of net.nodes) {
    if (!(n instanceof EsxiHost)) continue;
    for (const e of n.vms.values()) if (e.vm.name.toLowerCase() === wanted) return { e, host: n };
  }
  return null;
}

export function createEsxiHostNode(net: Network, name: string, settings: Parameters<typeof hostOptionsFromSettings>[1]): EsxiHost {
  return new EsxiHost(net, name, hostOptionsFromSettings(name, settings));
}

/** vMotion several VMs at once (a scenario's `live-migrate` step). Returns the moves that could not start. */
export function vmotionMany(net: Network, vmNames: readonly string[], targets: readonly string[]): string[] {
  const errors: string[] = [];
  vmNames.forEach((name, i) => {
    const found = findEsxiVm(net, name);
    if (found === null) {
      errors.push(`no virtual machine named ${name} on an ESXi host`);
      return;
    }
    const err = found.host.vmotion(found.e.vm.name, targets[i % targets.length]);
    if (err !== null) errors.push(err);
  });
  return errors;
}
