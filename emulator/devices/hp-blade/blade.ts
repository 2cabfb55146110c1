/**
 * A BL460c-class blade: the hardware (adapters, serial number, factory MACs, which bay it sits in)
 * and the host OS it carries. The OS is a plain IPv4 host, a Hyper-V host or an ESXi host; its
 * NICs (NIC1…NICn, or vmnic0… under ESXi) are in the order the OS enumerates FlexNICs, and the
 * enclosure wires them to the interconnect modules.
 */
import { parseCidr, parseIpv4 } from '../../core/ipv4.ts';
import type { Network } from '../../core/network.ts';
import type { NetworkNode } from '../../core/node.ts';
import type { Port } from '../../core/port.ts';
import { hashString } from '../../core/prng.ts';
import { IpHost, type IpInterface } from '../../l3/ip-host.ts';
import { EsxiHost } from '../esxi-host/host.ts';
import { hostOptionsFromSettings as esxiOptionsFromSettings } from '../esxi-host/options.ts';
import { HypervHost, hostOptionsFromSettings } from '../hyperv-host/host.ts';
import type { Settings } from '../kind.ts';
import type { BladeAdapters } from '../hp-virtual-connect/mapping.ts';
import { bladeAdaptersFrom, bladeNicCount } from './info.ts';

/** HP's OUI 1C:C1:DE for factory NIC addresses; the rest from the serial number. */
export function factoryMacs(serial: string, count: number): number[] {
  const base = 0x1cc1de000000 + (hashString(serial) % 0x3ffff) * 0x40;
  return Array.from({ length: count }, (_, i) => base + i);
}

export class BladeHardware {
  readonly adapters: BladeAdapters;
  readonly dcc: boolean;
  serial: string;
  factory: number[];
  bay: number | null = null;
  /** Lays the enclosure's midplane lanes; called before the OS starts so it starts with carrier. */
  beforeStart: (() => void) | null = null;
  /** Addresses the NICs use now: the profile's while VC assigns them, else the factory ones. */
  macs: number[];

  constructor(
    readonly nics: readonly Port[],
    settings: Settings,
    name: string,
    private readonly setNicMac: (i: number, mac: number) => void,
  ) {
    this.adapters = bladeAdaptersFrom(settings);
    this.dcc = settings['dcc'] !== false;
    this.serial = typeof settings['serial'] === 'string' && settings['serial'] !== '' ? settings['serial'] : name;
    this.factory = factoryMacs(this.serial, nics.length);
    this.macs = [...this.factory];
  }

  /** Burn in the addresses: VC-assigned ones where given (null keeps the factory address). */
  applyMacs(assigned: readonly (number | null)[]): void {
    this.nics.forEach((_, i) => {
      const mac = assigned[i] ?? this.factory[i];
      this.macs[i] = mac;
      this.setNicMac(i, mac);
    });
  }

  /** Different hardware slides into the same bay: new serial, new factory addresses. */
  replace(serial: string): void {
    this.serial = serial;
    this.factory = factoryMacs(serial, this.nics.length);
  }

  setNicsUp(up: boolean): void {
    for (const p of this.nics) p.setAdmin(up);
  }
}

/** What the enclosure needs of whatever blade sits in a bay. */
export interface Blade extends NetworkNode {
  readonly hw: BladeHardware;
}

export function isBlade(n: NetworkNode): n is Blade {
  return (n as Partial<Blade>).hw instanceof BladeHardware;
}

/** A blade running a plain IPv4 host (Windows-like): NIC1 carries the address. */
export class BladeIpHost extends IpHost implements Blade {
  readonly hw: BladeHardware;

  constructor(net: Network, name: string, settings: Settings) {
    super(net, name);
    const n = bladeNicCount(bladeAdaptersFrom(settings));
    const ifcs: IpInterface[] = [];
    for (let i = 0; i < n; i++) ifcs.push(this.addInterface(`NIC${i + 1}`, 0, 10e9));
    this.hw = new BladeHardware(ifcs.map((x) => x.port), settings, name, (i, mac) => {
      ifcs[i].mac = mac;
      ifcs[i].port.mac = mac;
    });
    this.hw.applyMacs([]);
    const ip = settings['ip'];
    if (typeof ip === 'string' && ip !== '') {
      const c = parseCidr(ip);
      this.addAddress('NIC1', c.ip, c.prefix);
    }
    const gw = settings['gateway'];
    if (typeof gw === 'string' && gw !== '') this.setGateway(parseIpv4(gw));
  }

  override start(): void {
    this.hw.beforeStart?.();
    super.start();
  }
}

/** A blade running Hyper-V: its NICs are the host's physical NICs (teamed under the vSwitch). */
export class BladeHypervHost extends HypervHost implements Blade {
  readonly hw: BladeHardware;

  constructor(net: Network, name: string, settings: Settings) {
    const n = bladeNicCount(bladeAdaptersFrom(settings));
    super(net, name, { ...hostOptionsFromSettings(settings), nics: n, nicSpeedBps: 10e9 });
    this.hw = new BladeHardware(this.nics, settings, name, (i, mac) => {
      this.nics[i].mac = mac;
    });
    this.hw.applyMacs([]);
  }

  override start(): void {
    this.hw.beforeStart?.();
    super.start();
  }
}

/**
 * A blade running ESXi: its FlexNICs are the host's vmnics, with the MACs the VC profile assigns,
 * so link loss on a module reaches the vSwitch teaming as it did in seed 001.
 */
export class BladeEsxiHost extends EsxiHost implements Blade {
  readonly hw: BladeHardware;

  constructor(net: Network, name: string, settings: Settings) {
    const n = bladeNicCount(bladeAdaptersFrom(settings));
    super(net, name, esxiOptionsFromSettings(name, { ...settings, uplinks: n, nicSpeed: '10G', nicMedium: 'backplane' }));
    this.hw = new BladeHardware(this.vmnics, settings, name, (i, mac) => {
      this.vmnics[i].mac = mac;
    });
    this.hw.applyMacs([]);
  }

  override start(): void {
    this.hw.beforeStart?.();
    super.start();
  }
}

export function createBlade(net: Network, name: string, settings: Settings): Blade {
  if (settings['os'] === 'hyperv') return new BladeHypervHost(net, name, settings);
  if (settings['os'] === 'esxi') return new BladeEsxiHost(net, name, settings);
  return new BladeIpHost(net, name, settings);
}
