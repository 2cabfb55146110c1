/**
 * Catalog entries for the Hyper-V host and the plain Hyper-V guest. A VM is a lab device whose
 * `parent` is a hyperv-host; its kind (hyperv-vm here, or windows-server) decides the guest OS,
 * and VM_HOST_SETTINGS are its host-side adapter settings.
 */
import type { DeviceKindInfo, PortSpec, SettingSpec } from '../kind.ts';
import { VM_HOST_SETTINGS } from './vm-settings.ts';

const hostSettings: Record<string, SettingSpec> = {
  nics: { type: 'integer', description: 'Physical NICs (NIC1…NICn); with teaming they form Team1 under the virtual switch', default: 2, min: 1, max: 8 },
  nicSpeed: { type: 'string', description: 'Speed of every physical NIC: 1G copper, or 10G SFP+', default: '1G', enum: ['1G', '10G'] },
  teamingMode: {
    type: 'string',
    description: 'LBFO teaming mode of the NICs under the external virtual switch; None uses NIC1 alone',
    default: 'SwitchIndependent',
    enum: ['SwitchIndependent', 'Static', 'LACP', 'None'],
  },
  loadBalancing: {
    type: 'string',
    description: 'LBFO load balancing algorithm (AddressHash is TransportPorts)',
    default: 'Dynamic',
    enum: ['AddressHash', 'TransportPorts', 'IPAddresses', 'MacAddresses', 'HyperVPort', 'Dynamic'],
  },
  standbyMember: { type: 'string', description: 'Switch independent only: the NIC kept as standby (e.g. NIC2); empty for all active', default: '' },
  lacpTimer: { type: 'string', description: 'LACP mode: LACPDU rate asked of the switch (Fast 1 s, Slow 30 s)', default: 'Fast', enum: ['Fast', 'Slow'] },
  migrationBandwidth: { type: 'string', description: 'Live migration network bandwidth, shared by the migrations running on the host (e.g. 10G)', default: '10G' },
  simultaneousMigrations: { type: 'integer', description: 'Simultaneous live migrations the host runs; more wait', default: 2, min: 1, max: 64 },
  migrationSwitchoverMs: {
    type: 'integer',
    description: 'Fixed part of a live migration blackout (pause, hand-over, resume) besides copying the last dirty memory, in ms',
    default: 50,
    min: 0,
    max: 60000,
  },
  switchName: { type: 'string', description: 'Name of the external virtual switch', default: 'External' },
  winrmMaxTimeoutMs: {
    type: 'integer',
    description: 'WinRM MaxTimeoutms: the longest OperationTimeout the WinRM service grants a request, in ms (60000 as shipped)',
    default: 60000,
    min: 500,
    max: 4294967295,
  },
  winrmMaxConcurrentOperationsPerUser: {
    type: 'integer',
    description: 'WinRM MaxConcurrentOperationsPerUser: operations one account may have running; more are refused (15 in WinRM 2.0, 1500 from WinRM 3.0)',
    default: 1500,
    min: 1,
    max: 4294967295,
  },
  storageMBps: {
    type: 'integer',
    description: 'Write throughput of the VM storage in MB/s, shared by the operations writing new virtual disks at once',
    default: 200,
    min: 1,
    max: 100000,
  },
  managementIp: { type: 'ipv4', description: 'Host management address; its last two octets pick the dynamic MAC pool 00-15-5D-XX-YY-00' },
};

export const hypervHostInfo: DeviceKindInfo = {
  kind: 'hyperv-host',
  vendor: 'Microsoft',
  model: 'Hyper-V Server 2012 R2 host',
  role: 'hypervisor',
  description: 'A Hyper-V host: physical NICs in an LBFO team under one external virtual switch; VMs are devices whose parent is this host',
  settings: hostSettings,
  ports(settings): readonly PortSpec[] {
    const n = typeof settings['nics'] === 'number' ? settings['nics'] : 2;
    const speed = settings['nicSpeed'] === '10G' ? 10e9 : 1e9;
    return Array.from({ length: n }, (_, i) => ({ name: `NIC${i + 1}`, aliases: [`nic${i + 1}`], speedBps: speed, medium: speed === 1e9 ? 'copper' : 'sfp' }));
  },
  configSyntax: null,
};

export const hypervVmInfo: DeviceKindInfo = {
  kind: 'hyperv-vm',
  vendor: 'Generic',
  model: 'Hyper-V virtual machine',
  role: 'host',
  description: 'A VM with a plain IPv4 guest; set its parent to the hyperv-host it runs on',
  settings: {
    ...VM_HOST_SETTINGS,
    ip: { type: 'ipv4-cidr', description: 'Address and prefix length of adapter 1, e.g. 10.0.10.21/24' },
    gateway: { type: 'ipv4', description: 'Default gateway' },
    adapter2Ip: { type: 'ipv4-cidr', description: 'Address and prefix length of adapter 2' },
  },
  // The vNICs are cabled by the host, not by lab links.
  ports: () => [],
  configSyntax: null,
};
