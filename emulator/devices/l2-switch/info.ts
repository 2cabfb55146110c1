import type { DeviceKindInfo, PortSpec, Settings } from '../kind.ts';

export const L2_SWITCH_DEFAULT_PORTS = 24;

export function l2SwitchPorts(settings: Settings): PortSpec[] {
  const n = typeof settings['ports'] === 'number' ? settings['ports'] : L2_SWITCH_DEFAULT_PORTS;
  const out: PortSpec[] = [];
  for (let i = 1; i <= n; i++) out.push({ name: `port${i}`, aliases: [`p${i}`, `${i}`], speedBps: 1e9, medium: 'copper' });
  return out;
}

/**
 * A vendor-neutral managed switch. Its startup `config` is a small line syntax (see
 * `device.ts`): `vlan 10 name users`, `access 1-4 vlan 10`, `trunk 24 native 1 allowed 1,10,20`,
 * `channel 1 ports 23-24 mode active rate fast`, `static-mac 0011.2233.4455 vlan 10 port 3`,
 * `ageing 300`, `shutdown 5`, `load-balance src-dst-ip`.
 */
export const l2SwitchInfo: DeviceKindInfo = {
  kind: 'l2-switch',
  vendor: 'Generic',
  model: 'Managed L2 switch',
  role: 'switch',
  description: 'A generic managed Ethernet switch: VLANs, access and trunk ports, port-channels (static and LACP), static MACs',
  settings: {
    ports: { type: 'integer', description: 'Number of 1G ports (port1 … portN)', default: L2_SWITCH_DEFAULT_PORTS, min: 1, max: 512 },
  },
  ports: l2SwitchPorts,
  configSyntax: 'labbox-switch',
};
