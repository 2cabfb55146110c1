/**
 * Catalog entry for the BL460c-class blade. A blade is a lab device whose `parent` is the c7000
 * enclosure and whose `slot` is the device bay; its NICs reach the interconnect modules over the
 * midplane, so lab links never name them.
 */
import { ESXI_HOST_SETTINGS } from '../esxi-host/info.ts';
import type { DeviceKindInfo, PortSpec, SettingSpec, Settings } from '../kind.ts';
import type { BladeAdapters } from '../hp-virtual-connect/mapping.ts';

/** ESXi host settings a blade does not take: its NICs are the adapters the enclosure wires. */
const ESXI_FROM_HARDWARE = new Set(['uplinks', 'nicSpeed', 'nicMedium', 'firstNicMac', 'gateway']);

/**
 * The ESXi host settings, for a blade whose os is esxi. The LOM of seed 001's blades is an Emulex
 * NC553i driven by be2net, so that is what `esxcli network nic list` shows by default.
 */
const esxiSettings: Record<string, SettingSpec> = Object.fromEntries(
  Object.entries(ESXI_HOST_SETTINGS)
    .filter(([k]) => !ESXI_FROM_HARDWARE.has(k))
    .map(([k, v]) => [k, { ...v, description: `esxi: ${v.description}` }]),
);
esxiSettings['nicDriver'] = { type: 'string', description: 'esxi: driver name `esxcli network nic list` shows', default: 'be2net' };
esxiSettings['nicDescription'] = { type: 'string', description: 'esxi: NIC description `esxcli network nic list` shows', default: 'Emulex Corporation NC553i 10Gb 2-port FlexFabric Converged Network Adapter' };

const settings: Record<string, SettingSpec> = {
  os: {
    type: 'string',
    description: 'Host OS: a plain Windows server (one IPv4 address on NIC1), or a Hyper-V or ESXi host whose VMs are devices with this blade as parent',
    default: 'windows',
    enum: ['windows', 'hyperv', 'esxi'],
  },
  lomFunctions: { type: 'integer', description: 'Ethernet FlexNICs per LOM port the OS sees (NIC1 = LOM:1-a, NIC2 = LOM:2-a, NIC3 = LOM:1-b, …)', default: 1, min: 1, max: 4 },
  mezz1Ports: { type: 'integer', description: 'Ports of a mezzanine-1 NIC (to interconnect bays 3 and 4)', default: 0, min: 0, max: 2 },
  mezz2Ports: { type: 'integer', description: 'Ports of a mezzanine-2 NIC (to interconnect bays 5–8)', default: 0, min: 0, max: 4 },
  dcc: { type: 'boolean', description: 'NIC firmware and driver speak DCC, so SmartLink can take FlexNICs down', default: true },
  serial: { type: 'string', description: 'Serial number of the blade hardware (its factory MACs derive from it); defaults to the device name' },
  ip: { type: 'ipv4-cidr', description: 'windows: address of NIC1, e.g. 10.98.0.11/24' },
  gateway: { type: 'ipv4', description: 'windows: default gateway; esxi: default gateway of the vmkernel stack' },
  teamingMode: { type: 'string', description: 'hyperv: LBFO teaming of the NICs', default: 'SwitchIndependent', enum: ['SwitchIndependent', 'Static', 'LACP', 'None'] },
  loadBalancing: { type: 'string', description: 'hyperv: LBFO load balancing algorithm', default: 'Dynamic', enum: ['AddressHash', 'TransportPorts', 'IPAddresses', 'MacAddresses', 'HyperVPort', 'Dynamic'] },
  standbyMember: { type: 'string', description: 'hyperv: NIC kept as standby (e.g. NIC2), empty for all active', default: '' },
  ...esxiSettings,
};

export function bladeAdaptersFrom(s: Settings): BladeAdapters {
  const int = (k: string, d: number): number => (typeof s[k] === 'number' ? (s[k] as number) : d);
  return { lomFunctions: int('lomFunctions', 1), mezz1Ports: int('mezz1Ports', 0), mezz2Ports: int('mezz2Ports', 0) };
}

export function bladeNicCount(a: BladeAdapters): number {
  return 2 * a.lomFunctions + a.mezz1Ports + a.mezz2Ports;
}

export const bl460cInfo: DeviceKindInfo = {
  kind: 'hp-bl460c',
  vendor: 'HP',
  model: 'ProLiant BL460c Gen8 (FlexFabric 554FLB LOM)',
  role: 'server',
  description: 'Half-height blade: a dual-port FlexFabric LOM split into FlexNICs, optional mezzanine NICs, carrying a Windows, Hyper-V or ESXi host',
  settings,
  ports(s: Settings): readonly PortSpec[] {
    const n = bladeNicCount(bladeAdaptersFrom(s));
    // ESXi names the same FlexNICs vmnic0…, in the same order (seed 001: vmnic0/2/4 on bay 1).
    if (s['os'] === 'esxi') return Array.from({ length: n }, (_, i) => ({ name: `vmnic${i}`, aliases: [`NIC${i + 1}`, `nic${i + 1}`], speedBps: 10e9, medium: 'backplane' as const }));
    return Array.from({ length: n }, (_, i) => ({ name: `NIC${i + 1}`, aliases: [`nic${i + 1}`], speedBps: 10e9, medium: 'backplane' as const }));
  },
  configSyntax: null,
};
