/** The Nexus 5548 kind's public face: catalog entry, the running switch, its config checker. */
import type { Network } from '../../core/network.ts';
import type { Settings } from '../kind.ts';
import { NexusSwitch } from './device.ts';

export { nexus5548Info, NEXUS_5548_KIND } from './info.ts';
export { checkNexusConfig, NexusSwitch } from './device.ts';

export function createNexusSwitch(net: Network, d: { name: string; settings: Settings; config?: string }): NexusSwitch {
  return new NexusSwitch(net, d.name, d.settings, d.config);
}
