import type { Network } from '../core/network.ts';
import type { NetworkNode } from '../core/node.ts';
import { CatalystSwitch } from './cisco-catalyst/device.ts';
import { createCatalystStack, createStackMember } from './cisco-catalyst-stack/index.ts';
import { createNexusFex } from './cisco-nexus-2248/index.ts';
import { createNexusSwitch } from './cisco-nexus-5548/index.ts';
import { PowerConnectSwitch } from './dell-powerconnect/device.ts';
import { createEsxiHost, createEsxiVm } from './esxi-host/index.ts';
import { createHypervCluster } from './hyperv-cluster/index.ts';
import { createHypervHost, createHypervVm } from './hyperv-host/index.ts';
import { createBladeInBay, createEnclosure, createVcModule } from './hp-c7000/index.ts';
import { createWindowsServer } from './windows-server/index.ts';
import type { Settings } from './kind.ts';
import { GenericSwitch } from './l2-switch/device.ts';
import { ClientPc } from './pc/device.ts';
import { Router } from './router/device.ts';

/**
 * Runtime behaviour per device kind, kept apart from the catalog so that reading the catalog
 * (palette, validation) never loads device behaviour.
 */
export interface DeviceSpec {
  name: string;
  kind: string;
  /** Settings with the kind's defaults filled in. */
  settings: Settings;
  /** Startup configuration in the kind's syntax. */
  config?: string;
  /** The lab's `parent`: the device this one sits in (a VM's host, a host's cluster). */
  parent?: string;
  /** The lab's `slot`: bay or slot number inside the parent (a blade's device bay). */
  slot?: string;
}

export type DeviceFactory = (net: Network, spec: DeviceSpec) => NetworkNode;

const factories = new Map<string, DeviceFactory>([
  ['pc', (net, d) => new ClientPc(net, d.name, d.settings)],
  ['router', (net, d) => new Router(net, d.name, d.settings, d.config)],
  ['l2-switch', (net, d) => new GenericSwitch(net, d.name, d.settings, d.config)],
  ['cisco-catalyst-2960', (net, d) => new CatalystSwitch(net, d.name, d.kind, d.settings, d.config)],
  // A 3750 with a parent is a member of that stack; on its own it is a switch by itself.
  ['cisco-catalyst-3750', (net, d) => (d.parent !== undefined ? createStackMember(net, d) : new CatalystSwitch(net, d.name, d.kind, d.settings, d.config))],
  ['cisco-catalyst-3750g-12s', (net, d) => (d.parent !== undefined ? createStackMember(net, d) : new CatalystSwitch(net, d.name, d.kind, d.settings, d.config))],
  ['cisco-catalyst-3750-stack', (net, d) => createCatalystStack(net, d)],
  ['cisco-nexus-5548', (net, d) => createNexusSwitch(net, d)],
  ['cisco-nexus-2248', (net, d) => createNexusFex(net, d)],
  ['hyperv-host', (net, d) => createHypervHost(net, d)],
  ['hyperv-vm', (net, d) => createHypervVm(net, d)],
  ['hyperv-cluster', (net, d) => createHypervCluster(net, d)],
  ['esxi-host', (net, d) => createEsxiHost(net, d)],
  ['esxi-vm', (net, d) => createEsxiVm(net, d)],
  ['hp-c7000', (net, d) => createEnclosure(net, d)],
  ['hp-vc-flex10', (net, d) => createVcModule(net, d)],
  ['hp-vc-flexfabric', (net, d) => createVcModule(net, d)],
  ['hp-vc-fc', (net, d) => createVcModule(net, d)],
  ['hp-bl460c', (net, d) => createBladeInBay(net, d)],
  ['windows-server', (net, d) => createWindowsServer(net, d)],
  ['dell-powerconnect-5424', (net, d) => new PowerConnectSwitch(net, d.name, d.kind, d.settings, d.config)],
  ['dell-powerconnect-5448', (net, d) => new PowerConnectSwitch(net, d.name, d.kind, d.settings, d.config)],
]);

export function deviceFactory(kind: string): DeviceFactory | undefined {
  return factories.get(kind);
}

/** Add or replace a kind's factory (kinds living outside this module, tests). */
export function registerDeviceFactory(kind: string, factory: DeviceFactory): void {
  factories.set(kind, factory);
}
