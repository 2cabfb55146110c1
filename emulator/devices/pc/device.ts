import type { CliSession, ConsoleCapable } from '../../cli/session.ts';
import { parseCidr, parseIpv4 } from '../../core/ipv4.ts';
import { parseMac } from '../../core/mac.ts';
import type { Network } from '../../core/network.ts';
import { hashString } from '../../core/prng.ts';
import { IpHost, type IfAddress, type IpInterface } from '../../l3/ip-host.ts';
import { DnsResolver } from '../../l3/dns-resolver.ts';
import { applyDnsClientSetting, dnsClientConfigFromSettings } from '../windows-shell/dns-client-settings.ts';
import { registrationOf } from '../windows-shell/dns-commands.ts';
import type { SettingValue, Settings } from '../kind.ts';
import { pcConsole } from './console.ts';
import { HostServices } from './host-services.ts';
import { roamingClientFromSettings, type CredentialRoamingClient } from '../windows-server/credential-roaming-client.ts';

/** A stable, locally administered MAC from the device name, so labs without `mac` are reproducible. */
export function macFromName(name: string, salt = 0): number {
  const h = hashString(name, (0x811c9dc5 ^ salt) >>> 0);
  return 0x02_00_00_00_00_00 + 0x1_0000_0000 * ((h >>> 24) & 0xff) + (Math.imul(h, 0x9e3779b1) >>> 0);
}

/** A client PC: an IPv4 host with one NIC, optionally a multicast receiver or an echo server, with a Windows command prompt. */
export class ClientPc extends IpHost implements ConsoleCapable {
  readonly services: HostServices;
  /** The computer name `hostname` and `ipconfig /all` print. */
  readonly hostname: string;
  /** The DNS client (settings dns, dnsSuffix, dnsSearchList, …). */
  readonly dns: DnsResolver;
  /** Domain membership and Credential Roaming (settings domain, dc); null in a workgroup. */
  readonly roaming: CredentialRoamingClient | null;

  constructor(net: Network, name: string, settings: Settings) {
    super(net, name);
    this.hostname = name.toUpperCase();
    const mac = typeof settings['mac'] === 'string' ? parseMac(settings['mac']) : macFromName(name);
    this.addInterface('eth0', mac, 1e9);
    if (typeof settings['ip'] === 'string' && settings['ip'] !== '') {
      const { ip, prefix } = parseCidr(settings['ip']);
      this.addAddress('eth0', ip, prefix);
    }
    if (typeof settings['gateway'] === 'string' && settings['gateway'] !== '') this.setGateway(parseIpv4(settings['gateway']));
    this.services = new HostServices(this, settings);
    this.dns = new DnsResolver(this, dnsClientConfigFromSettings(settings));
    this.roaming = roamingClientFromSettings(this, this.hostname, settings);
  }

  /** The DNS client registers the first adapter's addresses once they are usable, and again when they change. */
  protected override addressUsable(ifc: IpInterface, _a: IfAddress): void {
    if (ifc.index === 0) this.dns.addressesChanged(() => registrationOf(this.hostname, this, this.dns));
  }

  override removeAddress(ifName: string, ip: number): void {
    super.removeAddress(ifName, ip);
    if (this.iface(ifName).index === 0) this.dns.addressesChanged(() => registrationOf(this.hostname, this, this.dns));
  }

  /** A `set` step: group membership and echo ports change at once; address settings need a rebuild. */
  applySetting(key: string, value: SettingValue): boolean {
    return this.services.apply(key, value) || applyDnsClientSetting(this.dns.config, key, value);
  }

  openConsole(): CliSession {
    return pcConsole(this);
  }
}
