/**
 * The ESXi kinds' public face: catalog entries, the runtime factories, and what guest kinds use
 * to place a VM on an ESXi host (the same GuestOs attachment as Hyper-V, hyperv-host/vm.ts).
 */
import { parseCidr, parseIpv4 } from '../../core/ipv4.ts';
import { parseMac } from '../../core/mac.ts';
import type { Network } from '../../core/network.ts';
import { GenericGuest, type GuestAddress } from '../hyperv-host/generic-guest.ts';
import type { VmSpec, VnicSpec } from '../hyperv-host/vm.ts';
import type { Settings } from '../kind.ts';
import { EsxiHost, type EsxiAdapterSpec, type EsxiVm } from './host.ts';
import { hostOptionsFromSettings } from './options.ts';

export { esxiHostInfo, esxiVmInfo, ESXI_HOST_SETTINGS, ESXI_VM_SETTINGS } from './info.ts';
export { EsxiHost, findEsxiVm, vmotionMany, VmkernelNic } from './host.ts';
export type { EsxiAdapterSpec, EsxiVm } from './host.ts';
export { EsxiVSwitch } from './vswitch.ts';
export { VmotionEngine } from './vmotion.ts';

export interface EsxiDeviceSpec {
  name: string;
  settings: Settings;
  parent?: string;
}

export function createEsxiHost(net: Network, d: EsxiDeviceSpec): EsxiHost {
  const host = new EsxiHost(net, d.name, hostOptionsFromSettings(d.name, d.settings));
  host.parentName = d.parent ?? null;
  return host;
}

/** The ESXi host a VM device sits on (its `parent`). */
export function esxiHostOfVm(net: Network, vmName: string, parent: string | undefined): EsxiHost {
  if (parent === undefined) throw new Error(`virtual machine ${vmName} needs a parent: the esxi-host it runs on`);
  const h = net.node(parent);
  if (!(h instanceof EsxiHost)) throw new Error(`virtual machine ${vmName}: its parent ${parent} is not an esxi-host`);
  return h;
}

/** A VM device's settings (ESXI_VM_SETTINGS) as the shared VmSpec plus ESXi's port groups. */
export function esxiVmSpecFromSettings(name: string, s: Settings): { spec: VmSpec; adapters: EsxiAdapterSpec[] } {
  const count = typeof s['adapters'] === 'number' ? s['adapters'] : 1;
  const mac = (k: string): VnicSpec => {
    const v = s[k];
    return typeof v === 'string' && v !== '' ? { staticMac: parseMac(v) } : {};
  };
  const pg = (k: string): string => (typeof s[k] === 'string' && s[k] !== '' ? (s[k] as string) : 'VM Network');
  const dv = s['dvPort'];
  const first: EsxiAdapterSpec = { portGroup: pg('portGroup') };
  if (typeof dv === 'number' && dv > 0) first.dvPort = dv;
  const vnics = [mac('macAddress')];
  const adapters = [first];
  if (count >= 2) {
    vnics.push(mac('adapter2MacAddress'));
    adapters.push({ portGroup: pg('adapter2PortGroup') });
  }
  return {
    spec: {
      name,
      memoryMb: typeof s['memoryMB'] === 'number' ? s['memoryMB'] : undefined,
      dirtyMbPerSecond: typeof s['dirtyMBps'] === 'number' ? s['dirtyMBps'] : undefined,
      adapters: vnics,
    },
    adapters,
  };
}

/** Declare a VM from its lab settings on its parent host; plug a guest into `.vm` afterwards. */
export function placeEsxiVm(net: Network, d: EsxiDeviceSpec): EsxiVm {
  const host = esxiHostOfVm(net, d.name, d.parent);
  const { spec, adapters } = esxiVmSpecFromSettings(d.name, d.settings);
  const e = host.createVm(spec, adapters);
  if (d.settings['poweredOn'] === false) e.vm.state = 'Off';
  return e;
}

/** An `esxi-vm` device: a VM with the plain IPv4 guest (the Hyper-V engineer's GenericGuest). */
export function createEsxiVm(net: Network, d: EsxiDeviceSpec): GenericGuest {
  const e = placeEsxiVm(net, d);
  const addr = (k: string): GuestAddress | null => {
    const v = d.settings[k];
    if (typeof v !== 'string' || v === '') return null;
    const c = parseCidr(v);
    return { ip: c.ip, prefix: c.prefix };
  };
  const gw = d.settings['gateway'];
  return new GenericGuest(net, e.vm, [addr('ip'), addr('adapter2Ip')], typeof gw === 'string' && gw !== '' ? parseIpv4(gw) : null);
}
