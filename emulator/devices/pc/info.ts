import type { DeviceKindInfo } from '../kind.ts';
import { HOST_SERVICE_SETTINGS } from './host-services.ts';
import { DNS_CLIENT_SETTINGS } from '../windows-shell/dns-client-settings.ts';
import { DOMAIN_MEMBER_SETTINGS } from '../windows-server/credential-roaming-client.ts';

/** A client PC: one NIC, a static address and a default gateway (Windows-like IPv4 behaviour). */
export const pcInfo: DeviceKindInfo = {
  kind: 'pc',
  vendor: 'Generic',
  model: 'Client PC',
  role: 'host',
  description: 'A client PC with one Ethernet NIC (eth0), a static IPv4 address and a default gateway',
  settings: {
    ip: { type: 'ipv4-cidr', description: 'Address and prefix length of eth0, e.g. 10.0.10.11/24' },
    gateway: { type: 'ipv4', description: 'Default gateway' },
    mac: { type: 'mac', description: 'MAC address of eth0 (derived from the device name when absent)' },
    ...HOST_SERVICE_SETTINGS,
    ...DNS_CLIENT_SETTINGS,
    ...DOMAIN_MEMBER_SETTINGS,
  },
  ports: () => [{ name: 'eth0', aliases: ['nic1', 'Ethernet0'], speedBps: 1e9, medium: 'copper' }],
  configSyntax: null,
};
