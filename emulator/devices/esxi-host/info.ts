/**
 * Catalog entries for the ESXi host and the plain ESXi guest. A VM is a lab device whose
 * `parent` is an esxi-host (as Hyper-V VMs name their hyperv-host); its port group settings say
 * where its vNICs connect. Defaults marked [U] are listed in options.ts and policy.ts.
 */
import type { DeviceKindInfo, PortSpec, SettingSpec } from '../kind.ts';

/** Settings of an ESXi host; a blade carrying ESXi (hp-bl460c, os: esxi) offers the same ones. */
export const ESXI_HOST_SETTINGS: Readonly<Record<string, SettingSpec>> = {
  hostname: { type: 'string', description: 'Host name in the shell prompt (the device name when empty)', default: '' },
  uplinks: { type: 'integer', description: 'Physical uplinks vmnic0…vmnicN-1', default: 2, min: 1, max: 16 },
  nicSpeed: { type: 'string', description: 'Speed of every vmnic', default: '10G', enum: ['1G', '10G'] },
  nicMedium: { type: 'string', description: 'What the vmnics plug into: SFP+ cages, copper, or an enclosure backplane (blade NICs on interconnect downlinks)', default: 'sfp', enum: ['sfp', 'copper', 'backplane'] },
  nicDriver: { type: 'string', description: 'Driver name `esxcli network nic list` shows (be2net for Emulex FlexFabric LOMs)', default: 'ixgbe' },
  nicDescription: { type: 'string', description: 'NIC description `esxcli network nic list` shows', default: 'Intel Corporation 82599 10 Gigabit Dual Port Network Connection' },
  firstNicMac: { type: 'mac', description: 'MAC of vmnic0 (the next vmnics follow in steps of two); empty: derived from the name' },
  managementIp: { type: 'ipv4-cidr', description: 'Management address of vmk0 on the "Management Network" port group of vSwitch0, e.g. 10.0.0.11/24' },
  managementVlan: { type: 'integer', description: 'VLAN of the Management Network port group (0 = untagged)', default: 0, min: 0, max: 4094 },
  gateway: { type: 'ipv4', description: 'Default gateway of the vmkernel stack' },
  vSwitch0Uplinks: { type: 'string', description: 'Active uplinks of vSwitch0 in order, e.g. "vmnic0,vmnic1"; empty: every vmnic not on the dvSwitch', default: '' },
  vSwitch0Standby: { type: 'string', description: 'Standby uplinks of vSwitch0 in order', default: '' },
  portGroups: {
    type: 'string',
    description: 'VM port groups on vSwitch0: "Name/VLAN[/option…]" separated by ";", options notify=yes|no, failback=yes|no, active=vmnicA,vmnicB, standby=…, macchanges=, forged=, promiscuous=accept|reject',
    default: 'VM Network/0',
  },
  notifySwitches: { type: 'boolean', description: 'vSwitch0 teaming: Notify Switches (RARP on every re-pin); port groups may override', default: true },
  failback: { type: 'boolean', description: 'vSwitch0 teaming: return vNICs to their home uplink when it recovers', default: true },
  dvsName: { type: 'string', description: 'Name of the distributed vSwitch this host is a member of', default: 'dvSwitch' },
  dvsUplinks: { type: 'string', description: 'vmnics given to the dvSwitch as dvUplink1, dvUplink2, … (active, in order); empty: no dvSwitch', default: '' },
  dvsStandby: { type: 'string', description: 'Standby vmnics of the dvSwitch', default: '' },
  dvPortGroups: { type: 'string', description: 'dvPortGroups on the dvSwitch, same form as portGroups', default: 'dvPortGroup/0' },
  dvsNotifySwitches: { type: 'boolean', description: 'dvSwitch default teaming: Notify Switches', default: true },
  dvsFailback: { type: 'boolean', description: 'dvSwitch default teaming: failback', default: true },
  mtu: { type: 'integer', description: 'MTU of the switches', default: 1500, min: 1280, max: 9000 },
  vmotionBandwidth: { type: 'string', description: 'vMotion network bandwidth (e.g. 10G); a move runs at the slower of the two hosts', default: '10G' },
  vmotionSwitchoverMs: { type: 'integer', description: 'Fixed part of a vMotion switchover besides copying the last dirty memory, ms [our choice]', default: 200, min: 0, max: 60000 },
};

export const esxiHostInfo: DeviceKindInfo = {
  kind: 'esxi-host',
  vendor: 'VMware',
  model: 'ESXi 5.x host',
  role: 'hypervisor',
  description: 'A VMware ESXi host: vmnics under vSwitch0 and optionally a distributed vSwitch, port-ID teaming with link-state failover and Notify Switches; VMs are devices whose parent is this host',
  settings: ESXI_HOST_SETTINGS,
  ports(settings): readonly PortSpec[] {
    const n = typeof settings['uplinks'] === 'number' ? settings['uplinks'] : 2;
    const speed = settings['nicSpeed'] === '1G' ? 1e9 : 10e9;
    const m = settings['nicMedium'];
    const medium = m === 'copper' || m === 'backplane' ? m : 'sfp';
    return Array.from({ length: n }, (_, i) => ({ name: `vmnic${i}`, speedBps: speed, medium }));
  },
  configSyntax: null,
};

/** Settings an ESXi guest kind includes: memory for vMotion, adapters and where they connect. */
export const ESXI_VM_SETTINGS: Readonly<Record<string, SettingSpec>> = {
  adapters: { type: 'integer', description: 'Network adapters (vNICs)', default: 1, min: 1, max: 2 },
  portGroup: { type: 'string', description: 'Port group (or dvPortGroup) of adapter 1', default: 'VM Network' },
  adapter2PortGroup: { type: 'string', description: 'Port group of adapter 2', default: 'VM Network' },
  macAddress: { type: 'mac', description: 'Static MAC of adapter 1; empty: assigned 00:50:56:8x:…' },
  adapter2MacAddress: { type: 'mac', description: 'Static MAC of adapter 2' },
  dvPort: { type: 'integer', description: 'dvPort number of adapter 1 on a dvSwitch; 0: the next free one', default: 0, min: 0, max: 100000 },
  memoryMB: { type: 'integer', description: 'Memory in MB; vMotion copies it', default: 2048, min: 256, max: 1048576 },
  dirtyMBps: { type: 'integer', description: 'Memory the guest dirties per second during vMotion pre-copy (MB/s)', default: 50, min: 0, max: 100000 },
  poweredOn: { type: 'boolean', description: 'Powered on when the lab starts', default: true },
};

export const esxiVmInfo: DeviceKindInfo = {
  kind: 'esxi-vm',
  vendor: 'Generic',
  model: 'VMware virtual machine',
  role: 'host',
  description: 'A VM with a plain IPv4 guest; set its parent to the esxi-host it runs on',
  settings: {
    ...ESXI_VM_SETTINGS,
    ip: { type: 'ipv4-cidr', description: 'Address and prefix length of adapter 1, e.g. 10.0.10.21/24' },
    gateway: { type: 'ipv4', description: 'Default gateway' },
    adapter2Ip: { type: 'ipv4-cidr', description: 'Address and prefix length of adapter 2' },
  },
  // The vNICs are cabled by the host, not by lab links.
  ports: () => [],
  configSyntax: null,
};
