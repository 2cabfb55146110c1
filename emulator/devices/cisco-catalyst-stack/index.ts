/** The Catalyst stack kind's public face: catalog entry, the running stack, and the factory for its members. */
import type { Network } from '../../core/network.ts';
import { flashTemplate } from '../cisco-catalyst/device.ts';
import type { Settings } from '../kind.ts';
import { memberModel } from './info.ts';
import { StackMember } from './member.ts';
import { CatalystStack } from './stack.ts';

export { catalyst3750StackInfo, memberPorts } from './info.ts';
export { CatalystStack } from './stack.ts';
export { checkStackConfig } from './config-check.ts';
export { StackMember } from './member.ts';

export function createCatalystStack(net: Network, d: { name: string; settings: Settings; config?: string }): CatalystStack {
  return new CatalystStack(net, d.name, d.settings, d.config);
}

/** A 3750 (X or G-12S) whose lab `parent` is a stack: it joins as the member numbered by its `slot`. */
export function createStackMember(net: Network, d: { name: string; kind: string; parent?: string; slot?: string; settings?: Settings }): StackMember {
  const n = Number(d.slot);
  if (d.slot === undefined || !/^\d+$/.test(d.slot)) throw new Error(`${d.name} needs a slot: its stack member number`);
  const model = memberModel(d.kind);
  const m = new StackMember(net, d.name, n, model, flashTemplate(model, d.settings));
  CatalystStack.place(net, d.parent, m);
  return m;
}
