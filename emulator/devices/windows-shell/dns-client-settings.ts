/**
 * The DNS client settings a Windows host takes from a lab (what the adapter's TCP/IPv4
 * properties, System Properties and the DNS Client policies hold), shared by the pc and
 * windows-server kinds.
 */
import { parseIpv4 } from '../../core/ipv4.ts';
import { defaultDnsClientConfig, type DnsClientConfig } from '../../l3/dns-resolver.ts';
import type { SettingSpec, SettingValue, Settings } from '../kind.ts';

export const DNS_CLIENT_SETTINGS: Record<string, SettingSpec> = {
  dns: { type: 'string', description: 'DNS servers of the first adapter, preferred first, e.g. 10.0.0.10,10.0.0.11; empty: none', default: '' },
  dnsSuffix: { type: 'string', description: 'Primary DNS suffix of the computer, e.g. corp.contoso.com; empty: none', default: '' },
  dnsConnectionSuffix: { type: 'string', description: 'Connection-specific DNS suffix of the first adapter; empty: none', default: '' },
  dnsSearchList: {
    type: 'string',
    description: 'DNS suffix search list, comma-separated; when set it replaces the primary and connection suffixes and their devolution',
    default: '',
  },
  dnsAppendToMultiLabelName: { type: 'boolean', description: 'AppendToMultiLabelName: append suffixes to a dotted name when the name as typed is not found', default: false },
  dnsRegister: { type: 'boolean', description: "Register this connection's addresses in DNS (dynamic update of the host's A record)", default: true },
};

function text(v: SettingValue | undefined): string {
  return typeof v === 'string' ? v : '';
}

function list(v: SettingValue | undefined): string[] {
  return text(v)
    .split(/[,\s]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** The servers as `dns` writes them. Throws with a readable message. */
export function parseDnsServers(v: SettingValue | undefined): number[] {
  return list(v).map((s) => {
    try {
      return parseIpv4(s);
    } catch {
      throw new Error(`dns: "${s}" is not an IPv4 address`);
    }
  });
}

export function dnsClientConfigFromSettings(s: Settings): DnsClientConfig {
  const cfg = defaultDnsClientConfig();
  for (const k of Object.keys(DNS_CLIENT_SETTINGS)) if (s[k] !== undefined) applyDnsClientSetting(cfg, k, s[k]);
  return cfg;
}

/** A `set` step on one of these settings; false when the key is not one of them. */
export function applyDnsClientSetting(cfg: DnsClientConfig, key: string, value: SettingValue): boolean {
  switch (key) {
    case 'dns':
      cfg.servers = parseDnsServers(value);
      return true;
    case 'dnsSuffix':
      cfg.primarySuffix = text(value);
      return true;
    case 'dnsConnectionSuffix':
      cfg.connectionSuffix = text(value);
      return true;
    case 'dnsSearchList':
      cfg.searchList = list(value);
      return true;
    case 'dnsAppendToMultiLabelName':
      cfg.appendToMultiLabelName = value === true;
      return true;
    case 'dnsRegister':
      cfg.register = value !== false;
      return true;
    default:
      return false;
  }
}
