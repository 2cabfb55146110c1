/**
 * Catalog entry for a Windows Server host: a bare-metal server cabled to a switch, or a VM
 * (a device whose `parent` is a hyperv-host or an esxi-host, which then cables its adapters to vNICs).
 * The NLB settings configure Network Load Balancing on one adapter; an empty `nlbClusterIp`
 * means NLB is not installed.
 */
import { DEFAULT_TIMERS } from '../../proto/nlb/membership.ts';
import { DEFAULT_IGMP_JOIN_INTERVAL_MS } from '../../proto/nlb/driver.ts';
import { DEFAULT_PORT_RULES } from '../../proto/nlb/port-rules.ts';
import { ESXI_VM_SETTINGS } from '../esxi-host/info.ts';
import { VM_HOST_SETTINGS } from '../hyperv-host/vm.ts';
import type { DeviceKindInfo, PortSpec, SettingSpec } from '../kind.ts';
import { HOST_SERVICE_SETTINGS } from '../pc/host-services.ts';
import { DNS_CLIENT_SETTINGS } from '../windows-shell/dns-client-settings.ts';
import { DNS_SERVER_SETTINGS } from './dns-admin.ts';
import { AD_DC_SETTINGS } from './ad-dc.ts';
import { CREDENTIAL_ROAMING_DC_SETTINGS } from './credential-roaming.ts';

/** Settings only a VM on an esxi-host reads (where its vNICs connect, whether it runs at start). */
const ESXI_ONLY = ['portGroup', 'adapter2PortGroup', 'dvPort', 'poweredOn'];

const settings: Record<string, SettingSpec> = {
  ...VM_HOST_SETTINGS,
  ...Object.fromEntries(ESXI_ONLY.map((k) => [k, { ...ESXI_VM_SETTINGS[k], description: `ESXi VM: ${ESXI_VM_SETTINGS[k].description}` }])),
  hostname: { type: 'string', description: 'Computer name (the device name when empty)', default: '' },
  ip: { type: 'ipv4-cidr', description: 'Dedicated IP address of NIC1 with its prefix length, e.g. 10.0.10.11/24' },
  gateway: { type: 'ipv4', description: 'Default gateway' },
  mac: { type: 'mac', description: 'Burned-in MAC of NIC1 on a physical server (derived from the name when empty; a VM gets its vNIC MAC)' },
  adapter2Ip: { type: 'ipv4-cidr', description: 'Address of NIC2 (with adapters: 2)' },
  arpRetryCount: {
    type: 'integer',
    description: 'Tcpip ArpRetryCount: gratuitous ARPs sent to detect a duplicate address; 0 turns the address conflict checks off',
    default: 3,
    min: 0,
    max: 3,
  },
  nlbClusterIp: { type: 'ipv4-cidr', description: 'NLB cluster (virtual) IP address with its prefix length; empty: NLB not configured' },
  nlbAdapter: { type: 'string', description: 'The adapter NLB is bound to', default: 'NIC1', enum: ['NIC1', 'NIC2'] },
  nlbMode: { type: 'string', description: 'Cluster operation mode (the same on every host)', default: 'unicast', enum: ['unicast', 'multicast', 'igmp-multicast'] },
  nlbHostPriority: { type: 'integer', description: 'Host priority: the unique host ID, 1–32', default: 1, min: 1, max: 32 },
  nlbPortRules: {
    type: 'string',
    description: 'Port rules as ports/protocol/filtering[/affinity] separated by ";": protocol tcp|udp|both, filtering multiple|single|disabled, affinity none|single|network',
    default: DEFAULT_PORT_RULES,
  },
  nlbMaskSourceMac: { type: 'boolean', description: 'MaskSourceMAC: unicast frames leave with 02-<host id>-… so switches never learn the cluster MAC', default: true },
  nlbMulticastSpoof: { type: 'boolean', description: 'MulticastSpoofEnabled: in multicast modes, ARP for the cluster IP answers with the cluster MAC', default: true },
  nlbFilterIcmp: { type: 'boolean', description: 'FilterICMP: load-balance pings to the cluster IP instead of every host answering', default: false },
  nlbAliveMsgPeriod: { type: 'integer', description: 'AliveMsgPeriod: ms between heartbeats', default: DEFAULT_TIMERS.aliveMsgPeriodMs, min: 100, max: 10000 },
  nlbAliveMsgTolerance: { type: 'integer', description: 'AliveMsgTolerance: missed heartbeats before a host is offline', default: DEFAULT_TIMERS.aliveMsgTolerance, min: 5, max: 100 },
  nlbConvergenceMs: {
    type: 'integer',
    description: 'How long membership must hold still before convergence completes, ms (model parameter; TechNet measures 2.5–3 s)',
    default: DEFAULT_TIMERS.convergenceMs,
    min: 100,
    max: 60000,
  },
  nlbIgmpJoinInterval: { type: 'integer', description: 'IGMP multicast mode: ms between unsolicited joins', default: DEFAULT_IGMP_JOIN_INTERVAL_MS, min: 1000, max: 600000 },
  nlbStartOnBoot: { type: 'boolean', description: 'ClusterModeOnStart: join the cluster when the server starts', default: true },
  loopbackIp: { type: 'ipv4-cidr', description: 'Address of an MS Loopback adapter (connection name "Loopback"), a /32 service address RRAS RIP can announce; empty: no loopback adapter' },
  ripInterfaces: {
    type: 'string',
    description: 'Connections RRAS "RIP Version 2 for Internet Protocol" runs on, comma-separated Windows names (Ethernet, Ethernet 2, Loopback); empty: RRAS RIP not configured',
    default: '',
  },
  ripAnnounce: { type: 'string', description: 'RRAS RIP announce filter: all routes (the default) or only the server\'s own addresses (the loopback and its NIC subnets)', default: 'all', enum: ['all', 'own'] },
  // On an NLB node the echo service answers only what the port rules give this host.
  ...HOST_SERVICE_SETTINGS,
  ...DNS_CLIENT_SETTINGS,
  ...DNS_SERVER_SETTINGS,
  ...AD_DC_SETTINGS,
  ...CREDENTIAL_ROAMING_DC_SETTINGS,
};

export const windowsServerInfo: DeviceKindInfo = {
  kind: 'windows-server',
  vendor: 'Microsoft',
  model: 'Windows Server 2012 R2',
  role: 'server',
  description: 'A Windows Server host with Network Load Balancing, on a physical NIC or as a VM (parent: a hyperv-host or an esxi-host)',
  settings,
  ports(s): readonly PortSpec[] {
    const two = s['adapters'] === 2;
    const out: PortSpec[] = [{ name: 'NIC1', aliases: ['nic1', 'Ethernet', 'eth0'], speedBps: 1e9, medium: 'copper' }];
    if (two) out.push({ name: 'NIC2', aliases: ['nic2', 'Ethernet 2', 'eth1'], speedBps: 1e9, medium: 'copper' });
    return out;
  },
  configSyntax: null,
};
