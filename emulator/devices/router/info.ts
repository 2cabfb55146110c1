/**
 * Catalog entry for a generic IPv4 router/gateway with an IOS-like CLI: `GigabitEthernet0/n`
 * ports (four by default, a setting), loopbacks, static routes (floating ones with a distance),
 * 802.1Q subinterfaces for router-on-a-stick, and multicast routing: PIM sparse mode with a static
 * RP, IGMP on PIM interfaces, and MSDP between RPs (anycast RP).
 */
import type { DeviceKindInfo, PortSpec } from '../kind.ts';

export const ROUTER_DEFAULT_PORTS = 4;
export const ROUTER_MAX_PORTS = 8;

export function routerPortNames(settings: { readonly [k: string]: unknown }): string[] {
  const n = typeof settings['ports'] === 'number' ? settings['ports'] : ROUTER_DEFAULT_PORTS;
  const count = Math.max(1, Math.min(ROUTER_MAX_PORTS, Math.floor(n)));
  return Array.from({ length: count }, (_, i) => `GigabitEthernet0/${i}`);
}

export const routerInfo: DeviceKindInfo = {
  kind: 'router',
  vendor: 'Generic',
  model: 'IPv4 router (IOS-like CLI)',
  role: 'router',
  description: 'A router/gateway with GigabitEthernet0/0–0/3, loopbacks, static routes, 802.1Q subinterfaces (router-on-a-stick) and multicast routing (PIM sparse mode, IGMP, MSDP for anycast RP), configured in IOS syntax',
  settings: {
    ports: { type: 'integer', description: 'Number of GigabitEthernet0/n ports', default: ROUTER_DEFAULT_PORTS, min: 1, max: ROUTER_MAX_PORTS },
    hostname: { type: 'string', description: 'Hostname shown in the prompt (the device name when absent; the config\'s `hostname` wins)' },
  },
  ports: (settings): readonly PortSpec[] =>
    routerPortNames(settings).map((name) => ({ name, aliases: [`Gi${name.slice('GigabitEthernet'.length)}`], speedBps: 1e9, medium: 'copper' })),
  configSyntax: 'cisco-ios',
};
