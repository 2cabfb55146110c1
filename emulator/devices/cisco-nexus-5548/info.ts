/**
 * Catalog entry for the Nexus 5548P and the port facts its NX-OS CLI needs.
 *
 * Model: N5K-C5548P-FA, 32 fixed 10G SFP+ ports Ethernet1/1–32 (the expansion slot's 16 ports,
 * Ethernet2/1–16, are not modelled) and the out-of-band management port mgmt0. Host ports of a
 * Nexus 2000 fabric extender appear on the parent as Ethernet<fex>/1/<n> once a fabric port is
 * `switchport mode fex-fabric` with `fex associate <fex>`; they are cabled on the FEX device.
 */
import type { DeviceKindInfo, PortSpec, SettingSpec } from '../kind.ts';

export const NEXUS_5548_KIND = 'cisco-nexus-5548';
export const FIXED_PORTS = 32;
/** FEX numbers NX-OS accepts in `fex associate`. */
export const FEX_MIN = 100;
export const FEX_MAX = 199;
export const FEX_HOST_PORTS = 48;
export const MAX_PORT_CHANNEL = 4096;
export const NXOS_VERSION = '5.2(1)N1(4)';

/** NX-OS's short form as printed in tables: `Eth1/1`, `Po20`. */
export function nxShort(name: string): string {
  if (name.startsWith('Ethernet')) return 'Eth' + name.slice('Ethernet'.length);
  if (name.startsWith('port-channel')) return 'Po' + name.slice('port-channel'.length);
  return name;
}

function ethernet(number: string, speedBps: number, medium: PortSpec['medium']): PortSpec {
  const name = `Ethernet${number}`;
  return { name, aliases: [`Eth${number}`, `eth${number}`, `e${number}`, `ethernet ${number}`], speedBps, medium };
}

export function nexusFixedPorts(): PortSpec[] {
  const out: PortSpec[] = [];
  for (let n = 1; n <= FIXED_PORTS; n++) out.push(ethernet(`1/${n}`, 10e9, 'sfp'));
  out.push({ name: 'mgmt0', aliases: ['mgmt 0', 'Mgmt0'], speedBps: 1e9, medium: 'copper' });
  return out;
}

/** The host ports FEX `fex` brings to its parent: 48 × 1G copper on an N2K-C2248TP. */
export function fexHostPorts(fex: number): PortSpec[] {
  const out: PortSpec[] = [];
  for (let n = 1; n <= FEX_HOST_PORTS; n++) out.push(ethernet(`${fex}/1/${n}`, 1e9, 'copper'));
  return out;
}

const settings: Record<string, SettingSpec> = {
  hostname: { type: 'string', description: 'Switch name shown in the prompt, unless the startup config sets `hostname`; defaults to the device name' },
};

const fixed = nexusFixedPorts();

export const nexus5548Info: DeviceKindInfo = {
  kind: NEXUS_5548_KIND,
  vendor: 'Cisco',
  model: 'Nexus 5548P (N5K-C5548P-FA)',
  role: 'switch',
  description:
    'Cisco Nexus 5548P, 32 × 10G SFP+ Ethernet1/1-32 and mgmt0, NX-OS: LACP port-channels, vPC (a port-channel spanning two Nexus peers), parent of Nexus 2000 fabric extenders (host ports Ethernet1xx/1/n)',
  settings,
  ports: () => fixed,
  configSyntax: 'cisco-nxos',
};
