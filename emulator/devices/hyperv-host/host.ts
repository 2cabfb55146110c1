/**
 * A Hyper-V host (Windows Server 2012 R2): physical NICs, optionally an LBFO team over them, one
 * external virtual switch on the team (or on NIC1), and the VMs placed here.
 */
import type { CliSession, ConsoleCapable } from '../../cli/session.ts';
import type { Frame } from '../../core/frame.ts';
import { parseIpv4 } from '../../core/ipv4.ts';
import type { Network } from '../../core/network.ts';
import { NetworkNode } from '../../core/node.ts';
import type { Port } from '../../core/port.ts';
import { hashString } from '../../core/prng.ts';
import { MS } from '../../core/time.ts';
import { LbfoTeam, type LoadBalancingAlgorithm, type TeamOwner, type TeamingMode } from '../../l2/lbfo-team.ts';
import type { Settings, SettingValue } from '../kind.ts';
import { DEFAULT_MAX_SIMULTANEOUS, DEFAULT_SWITCHOVER_NS, LiveMigrationEngine, type MigrationHost } from './migration.ts';
import { HostShell } from './powershell.ts';
import { VirtualMachine, type VmSpec } from './vm.ts';
import { ExternalVSwitch } from './vswitch.ts';
import { DEFAULT_WINRM_CONFIG, WinRmService } from './winrm.ts';

export type HostTeaming = TeamingMode | 'None';

export interface HypervHostOptions {
  nics: number;
  nicSpeedBps: number;
  teaming: HostTeaming;
  loadBalancing: LoadBalancingAlgorithm;
  /** Switch-independent standby member name (`NIC2`), or ''. */
  standbyMember: string;
  lacpFast: boolean;
  migrationBandwidthBps: number;
  maxSimultaneousMigrations: number;
  switchoverNs: number;
  switchName: string;
  /** The host's management address: Hyper-V derives its dynamic MAC pool from it. */
  managementIp: number | null;
  /** WinRM's MaxTimeoutms and MaxConcurrentOperationsPerUser as the host starts with them. */
  winrmMaxTimeoutMs: number;
  winrmMaxOperationsPerUser: number;
  /** Write throughput of the VM storage, shared by operations writing to it at once. */
  storageBytesPerSecond: number;
}

export const DEFAULT_HOST_OPTIONS: HypervHostOptions = {
  nics: 2,
  nicSpeedBps: 1e9,
  teaming: 'SwitchIndependent',
  loadBalancing: 'Dynamic',
  standbyMember: '',
  lacpFast: true,
  migrationBandwidthBps: 10e9,
  maxSimultaneousMigrations: DEFAULT_MAX_SIMULTANEOUS,
  switchoverNs: DEFAULT_SWITCHOVER_NS,
  switchName: 'External',
  managementIp: null,
  winrmMaxTimeoutMs: DEFAULT_WINRM_CONFIG.maxTimeoutMs,
  winrmMaxOperationsPerUser: DEFAULT_WINRM_CONFIG.maxConcurrentOperationsPerUser,
  storageBytesPerSecond: 200e6,
};

/** `10G`, `1G`, `2.5G`, `100M` or bits per second, as lab files write speeds. */
export function parseSpeed(v: string | number): number {
  if (typeof v === 'number') return v;
  const m = /^(\d+(?:\.\d+)?)\s*([KMGT])$/i.exec(v.trim());
  if (!m) throw new Error(`not a speed: ${v}`);
  const scale: Record<string, number> = { K: 1e3, M: 1e6, G: 1e9, T: 1e12 };
  return Math.round(Number(m[1]) * scale[m[2].toUpperCase()]);
}

/** The GUI's "Address Hash" is TransportPorts in PowerShell (DOMAIN §2.2). */
export function parseLoadBalancing(v: string): LoadBalancingAlgorithm {
  const k = v.replace(/[\s-]/g, '').toLowerCase();
  const map: Record<string, LoadBalancingAlgorithm> = {
    addresshash: 'TransportPorts',
    transportports: 'TransportPorts',
    ipaddresses: 'IPAddresses',
    macaddresses: 'MacAddresses',
    hypervport: 'HyperVPort',
    dynamic: 'Dynamic',
  };
  const r = map[k];
  if (r === undefined) throw new Error(`not a load balancing algorithm: ${v}`);
  return r;
}

export function parseTeaming(v: string): HostTeaming {
  const k = v.replace(/[\s-]/g, '').toLowerCase();
  if (k === 'switchindependent') return 'SwitchIndependent';
  if (k === 'static') return 'Static';
  if (k === 'lacp') return 'Lacp';
  if (k === 'none') return 'None';
  throw new Error(`not a teaming mode: ${v}`);
}

export function hostOptionsFromSettings(s: Settings): HypervHostOptions {
  const str = (k: string): string | undefined => (typeof s[k] === 'string' && s[k] !== '' ? (s[k] as string) : undefined);
  const int = (k: string): number | undefined => (typeof s[k] === 'number' ? (s[k] as number) : undefined);
  const d = DEFAULT_HOST_OPTIONS;
  const ip = str('managementIp');
  const sw = int('migrationSwitchoverMs');
  return {
    nics: int('nics') ?? d.nics,
    nicSpeedBps: str('nicSpeed') !== undefined ? parseSpeed(str('nicSpeed') as string) : d.nicSpeedBps,
    teaming: str('teamingMode') !== undefined ? parseTeaming(str('teamingMode') as string) : d.teaming,
    loadBalancing: str('loadBalancing') !== undefined ? parseLoadBalancing(str('loadBalancing') as string) : d.loadBalancing,
    standbyMember: str('standbyMember') ?? '',
    lacpFast: (str('lacpTimer') ?? 'Fast').toLowerCase() === 'fast',
    migrationBandwidthBps: str('migrationBandwidth') !== undefined ? parseSpeed(str('migrationBandwidth') as string) : d.migrationBandwidthBps,
    maxSimultaneousMigrations: int('simultaneousMigrations') ?? d.maxSimultaneousMigrations,
    switchoverNs: sw !== undefined ? sw * MS : d.switchoverNs,
    switchName: str('switchName') ?? d.switchName,
    managementIp: ip !== undefined ? parseIpv4(ip) : null,
    winrmMaxTimeoutMs: int('winrmMaxTimeoutMs') ?? d.winrmMaxTimeoutMs,
    winrmMaxOperationsPerUser: int('winrmMaxConcurrentOperationsPerUser') ?? d.winrmMaxOperationsPerUser,
    storageBytesPerSecond: int('storageMBps') !== undefined ? (int('storageMBps') as number) * 1e6 : d.storageBytesPerSecond,
  };
}

/** Intel's OUI for the physical NICs; the rest from the host name, so every host differs run after run. */
function nicBaseMac(name: string): number {
  return 0x001b21000000 + (hashString(name) % 0x3fff) * 0x400;
}

/**
 * Hyper-V's default dynamic MAC range is 00-15-5D-XX-YY-00…FF, XX-YY the last two octets of the
 * host's address when Hyper-V was installed [P: Microsoft docs on the MAC address pool, recalled];
 * without an address we derive XX-YY from the host name.
 */
function macPoolBase(name: string, ip: number | null): number {
  const xy = ip !== null ? ip & 0xffff : hashString(name) & 0xffff;
  return 0x00155d000000 + xy * 0x100;
}

export class HypervHost extends NetworkNode implements TeamOwner, MigrationHost, ConsoleCapable {
  readonly nics: Port[] = [];
  team: LbfoTeam | null = null;
  readonly vswitch: ExternalVSwitch;
  /** VMs that belong to this host now (running, paused for a move away, or off), by name. */
  readonly vms = new Map<string, VirtualMachine>();
  powered = true;
  /** The lab's `parent` of this host: the failover cluster it is a node of, or null. */
  parentName: string | null = null;
  readonly options: HypervHostOptions;
  readonly winrm: WinRmService;
  /** The VMM agent service, which depends on WinRM. */
  vmmAgentRunning = true;
  private nextPoolMac = 0;
  private started = false;

  constructor(net: Network, name: string, options: Partial<HypervHostOptions> = {}) {
    super(net, name);
    this.options = { ...DEFAULT_HOST_OPTIONS, ...options };
    const base = nicBaseMac(name);
    for (let i = 0; i < this.options.nics; i++) {
      const p = this.addPort(`NIC${i + 1}`, this.options.nicSpeedBps);
      p.mac = base + i;
      this.nics.push(p);
    }
    this.team = this.buildTeam();
    const o = this.options;
    this.winrm = new WinRmService(net, name, { maxTimeoutMs: o.winrmMaxTimeoutMs, maxConcurrentOperationsPerUser: o.winrmMaxOperationsPerUser }, o.storageBytesPerSecond);
    this.vswitch = new ExternalVSwitch(net, name, this.options.switchName, {
      transmit: (f, source) => {
        if (!this.powered) this.net.pool.release(f);
        else if (this.team !== null) this.team.transmit(f, source);
        else this.nics[0].send(f);
      },
    });
  }

  get migrationBandwidthBps(): number {
    return this.options.migrationBandwidthBps;
  }
  get maxSimultaneousMigrations(): number {
    return this.options.maxSimultaneousMigrations;
  }
  get switchoverNs(): number {
    return this.options.switchoverNs;
  }

  private buildTeam(): LbfoTeam | null {
    const o = this.options;
    if (o.teaming === 'None') return null;
    const standby = o.standbyMember !== '' ? (this.portByName(o.standbyMember) ?? null) : null;
    return new LbfoTeam(this, this.nics, { name: 'Team1', mode: o.teaming, algorithm: o.loadBalancing, standby, lacpFast: o.lacpFast });
  }

  // ---- VMs ----------------------------------------------------------------------------------

  /** Declare a VM on this host: its vNICs get their MACs now (see vm.ts for the whole sequence). */
  createVm(spec: VmSpec): VirtualMachine {
    if (findVm(this.net, spec.name) !== null) throw new Error(`a VM named ${spec.name} already exists`);
    const macs = spec.adapters.map((a) => a.staticMac ?? this.allocateMac());
    const vm = new VirtualMachine(this.net, spec, this.name, macs);
    this.vms.set(vm.name, vm);
    for (const a of vm.adapters) this.vswitch.attach(a);
    return vm;
  }

  private allocateMac(): number {
    const mac = macPoolBase(this.name, this.options.managementIp) + (this.nextPoolMac % 256);
    this.nextPoolMac++;
    return mac;
  }

  adoptVm(vm: VirtualMachine): void {
    const prev = this.net.node(vm.hostName);
    if (prev instanceof HypervHost && prev !== this) prev.vms.delete(vm.name);
    vm.hostName = this.name;
    this.vms.set(vm.name, vm);
    for (const a of vm.adapters) {
      this.vswitch.attach(a);
      this.vswitch.announce(a, vm.effectiveMac(a.index), vm.guest?.adapterAddresses(a.index) ?? [], (ip) => vm.announcedMac(a.index, ip));
    }
  }

  releaseVm(vm: VirtualMachine): void {
    for (const a of vm.adapters) {
      this.vswitch.detach(a);
      this.team?.forgetSource(a.id);
    }
  }

  /** Start a live migration of `vmName` to `target`. Returns an error text, or null. */
  moveVm(vmName: string, target: string): string | null {
    const vm = this.vms.get(vmName);
    if (vm === undefined) return `${this.name} has no virtual machine named ${vmName}`;
    const to = this.net.node(target);
    if (!(to instanceof HypervHost)) return `${target} is not a Hyper-V host`;
    return LiveMigrationEngine.of(this.net).migrate(vm, this, to);
  }

  /** MAC address spoofing on one adapter of a VM here. */
  setMacSpoofing(vmName: string, on: boolean, adapter?: number): void {
    const vm = this.vms.get(vmName);
    if (vm === undefined) throw new Error(`${this.name} has no virtual machine named ${vmName}`);
    for (const a of vm.adapters) if (adapter === undefined || a.index === adapter) this.vswitch.setSpoofing(a, on);
  }

  // ---- power --------------------------------------------------------------------------------

  /** The scenario's power-off / power-on. */
  setPower(on: boolean): void {
    if (on) this.powerOn();
    else this.powerOff();
  }

  /** Cut the power: the NICs lose carrier and every VM here stops. */
  powerOff(): void {
    if (!this.powered) return;
    this.powered = false;
    this.net.emit('host.power.off', `${this.name} powered off`, this.name);
    LiveMigrationEngine.of(this.net).hostDown(this);
    this.winrm.stop();
    for (const vm of this.vms.values()) {
      if (vm.state === 'Off') continue;
      vm.state = 'Off';
      for (const a of vm.adapters) this.vswitch.detach(a);
      vm.guest?.powerChanged?.(false);
    }
    for (const p of this.nics) p.setAdmin(false);
  }

  /** Power on: NICs come up (LACP renegotiates), the VMs here start again. */
  powerOn(): void {
    if (this.powered) return;
    this.powered = true;
    this.net.emit('host.power.on', `${this.name} powered on`, this.name);
    for (const p of this.nics) p.setAdmin(true);
    for (const vm of this.vms.values()) this.startVm(vm);
    this.winrm.start();
    this.vmmAgentRunning = true;
  }

  startVm(vm: VirtualMachine): void {
    if (vm.state === 'Running') return;
    vm.state = 'Running';
    vm.startedNs = this.net.now;
    for (const a of vm.adapters) this.vswitch.attach(a);
    vm.guest?.powerChanged?.(true);
  }

  // ---- settings changed while running ---------------------------------------------------------

  /** Apply a `set` step. Returns false for settings that only take effect when the lab is built. */
  applySetting(key: string, value: SettingValue): boolean {
    if (key === 'loadBalancing' && typeof value === 'string') {
      this.options.loadBalancing = parseLoadBalancing(value);
      if (this.team !== null) this.team.algorithm = this.options.loadBalancing;
      return true;
    }
    if (key === 'teamingMode' && typeof value === 'string') {
      this.options.teaming = parseTeaming(value);
      this.team?.stop();
      this.team = this.buildTeam();
      if (this.started) this.team?.start();
      return true;
    }
    if (key === 'migrationBandwidth' && typeof value === 'string') {
      this.options.migrationBandwidthBps = parseSpeed(value);
      return true;
    }
    if (key === 'simultaneousMigrations' && typeof value === 'number') {
      this.options.maxSimultaneousMigrations = value;
      return true;
    }
    return false;
  }

  // ---- the node -----------------------------------------------------------------------------

  receive(port: Port, f: Frame): void {
    if (!this.powered) this.net.pool.release(f);
    else if (this.team !== null) this.team.receive(port, f);
    else if (port === this.nics[0]) this.vswitch.fromUplink(f);
    else this.net.pool.release(f);
  }

  teamReceive(f: Frame): void {
    this.vswitch.fromUplink(f);
  }

  override portStateChanged(port: Port, up: boolean): void {
    this.team?.memberCarrier(port, up);
  }

  override start(): void {
    this.started = true;
    this.team?.start();
    for (const vm of this.vms.values()) if (vm.startedNs === 0) vm.startedNs = this.net.now;
  }

  openConsole(): CliSession {
    return new HostShell(this);
  }
}

/** The VM of that name on any Hyper-V host in the network, with its host. */
export function findVm(net: Network, vmName: string): { vm: VirtualMachine; host: HypervHost } | null {
  const wanted = vmName.toLowerCase();
  for (const n of net.nodes) {
    if (!(n instanceof HypervHost)) continue;
    for (const vm of n.vms.values()) if (vm.name.toLowerCase() === wanted) return { vm, host: n };
  }
  return null;
}

/**
 * A `set` step on a VM device for one of its host-side settings (VM_HOST_SETTINGS): MAC address
 * spoofing and the access VLAN of adapter 1 or 2. Returns false when the key is not one of them.
 */
export function applyVmHostSetting(net: Network, vmName: string, key: string, value: SettingValue): boolean {
  const m = /^(adapter2)?(macSpoofing|MacSpoofing|vlan|Vlan)$/.exec(key);
  if (m === null) return false;
  const found = findVm(net, vmName);
  if (found === null) throw new Error(`${vmName} is not a virtual machine on a Hyper-V host`);
  const adapter = found.vm.adapters[m[1] !== undefined ? 1 : 0];
  if (adapter === undefined) throw new Error(`${vmName} has no adapter ${m[1] !== undefined ? 2 : 1}`);
  if (m[2].toLowerCase() === 'macspoofing') {
    const on = value === true || (typeof value === 'string' && value.toLowerCase() === 'on');
    found.host.vswitch.setSpoofing(adapter, on);
    net.emit('vswitch.setting', `${found.host.name}: MAC address spoofing ${on ? 'On' : 'Off'} for ${vmName}`, found.host.name, vmName);
  } else {
    if (typeof value !== 'number') throw new Error(`${key} takes a VLAN number`);
    found.host.vswitch.setVlan(adapter, value);
  }
  return true;
}

/**
 * Live-migrate several VMs at once (the scenario's `live-migrate` step): VM i goes to
 * `targets[i % targets.length]`, so one target takes them all and a list spreads them.
 * Returns the errors of the moves that could not start.
 */
export function liveMigrate(net: Network, vmNames: readonly string[], targets: readonly string[]): string[] {
  const errors: string[] = [];
  vmNames.forEach((name, i) => {
    const found = findVm(net, name);
    if (found === null) {
      errors.push(`no virtual machine named ${name}`);
      return;
    }
    const err = found.host.moveVm(found.vm.name, targets[i % targets.length]);
    if (err !== null) errors.push(err);
  });
  return errors;
}
