/**
 * The Hyper-V host kind's public face: catalog entries, the runtime factories, and what guest
 * kinds use to plug a VM into its host (see vm.ts for the sequence).
 */
import { parseCidr, parseIpv4 } from '../../core/ipv4.ts';
import type { Network } from '../../core/network.ts';
import type { Settings } from '../kind.ts';
import { GenericGuest, type GuestAddress } from './generic-guest.ts';
import { HypervHost, hostOptionsFromSettings } from './host.ts';
import { vmSpecFromSettings } from './vm.ts';

export { hypervHostInfo, hypervVmInfo } from './info.ts';
export { HypervHost, applyVmHostSetting, findVm, hostOptionsFromSettings, liveMigrate } from './host.ts';
export { GenericGuest } from './generic-guest.ts';
export { LiveMigrationEngine } from './migration.ts';
export { VirtualMachine, VnicPort, vmSpecFromSettings } from './vm.ts';
export { VM_HOST_SETTINGS } from './vm-settings.ts';
export type { GuestOs, VmSpec, VnicSpec } from './vm.ts';

/** What a factory gets from the lab: the device's name, settings (defaults filled in) and parent. */
export interface HypervDeviceSpec {
  name: string;
  settings: Settings;
  parent?: string;
}

export function createHypervHost(net: Network, d: HypervDeviceSpec): HypervHost {
  const host = new HypervHost(net, d.name, hostOptionsFromSettings(d.settings));
  host.parentName = d.parent ?? null;
  return host;
}

/** The host a VM device sits on (its `parent`), for guest kinds' factories. */
export function hostOfVm(net: Network, vmName: string, parent: string | undefined): HypervHost {
  if (parent === undefined) throw new Error(`virtual machine ${vmName} needs a parent: the hyperv-host it runs on`);
  const h = net.node(parent);
  if (!(h instanceof HypervHost)) throw new Error(`virtual machine ${vmName}: its parent ${parent} is not a hyperv-host`);
  return h;
}

/** A `hyperv-vm` device: a VM with the plain IPv4 guest, placed on its parent host. */
export function createHypervVm(net: Network, d: HypervDeviceSpec): GenericGuest {
  const host = hostOfVm(net, d.name, d.parent);
  const vm = host.createVm(vmSpecFromSettings(d.name, d.settings));
  const addr = (k: string): GuestAddress | null => {
    const v = d.settings[k];
    if (typeof v !== 'string' || v === '') return null;
    const c = parseCidr(v);
    return { ip: c.ip, prefix: c.prefix };
  };
  const gw = d.settings['gateway'];
  return new GenericGuest(net, vm, [addr('ip'), addr('adapter2Ip')], typeof gw === 'string' && gw !== '' ? parseIpv4(gw) : null);
}
