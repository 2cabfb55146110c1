/** The c7000 kind's public face: catalog entry, the running enclosure, and factories for its children. */
import type { Network } from '../../core/network.ts';
import { createBlade, type Blade } from '../hp-blade/blade.ts';
import { moduleModelByKind, moduleSettingsFrom } from '../hp-virtual-connect/info.ts';
import { VcModule } from '../hp-virtual-connect/module.ts';
import type { Settings } from '../kind.ts';
import { C7000Enclosure } from './enclosure.ts';

export { c7000Info } from './info.ts';
export { C7000Enclosure } from './enclosure.ts';

export interface BayDeviceSpec {
  name: string;
  kind: string;
  settings: Settings;
  config?: string;
  parent?: string;
  slot?: string;
}

export function createEnclosure(net: Network, d: { name: string; settings: Settings }): C7000Enclosure {
  return new C7000Enclosure(net, d.name, d.settings);
}

function bayOf(d: BayDeviceSpec): number {
  const n = Number(d.slot);
  if (d.slot === undefined || !Number.isInteger(n)) throw new Error(`${d.name} needs a slot: the bay number in its enclosure`);
  return n;
}

/** A VC module (hp-vc-flex10, hp-vc-flexfabric, hp-vc-fc) seated in its parent's interconnect bay. */
export function createVcModule(net: Network, d: BayDeviceSpec): VcModule {
  const model = moduleModelByKind(d.kind);
  if (model === undefined) throw new Error(`not a Virtual Connect kind: ${d.kind}`);
  const m = new VcModule(net, d.name, model.type, moduleSettingsFrom(d.settings));
  C7000Enclosure.place(net, d.parent, { kind: 'module', bay: bayOf(d), node: m, config: d.config });
  return m;
}

/** A blade seated in its parent's device bay. */
export function createBladeInBay(net: Network, d: BayDeviceSpec): Blade {
  const b = createBlade(net, d.name, d.settings);
  C7000Enclosure.place(net, d.parent, { kind: 'blade', bay: bayOf(d), node: b });
  return b;
}
