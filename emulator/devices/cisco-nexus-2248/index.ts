/** The Nexus 2248TP fabric extender kind's public face: catalog entry and factory. */
import type { Network } from '../../core/network.ts';
import type { Settings } from '../kind.ts';
import { NexusFex } from './device.ts';

export { nexus2248Info, NEXUS_2248_KIND } from './info.ts';
export { NexusFex } from './device.ts';

export function createNexusFex(net: Network, d: { name: string; settings: Settings }): NexusFex {
  return new NexusFex(net, d.name, d.settings);
}
