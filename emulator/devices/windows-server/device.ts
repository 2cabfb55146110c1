/**
 * A Windows Server host: the engine's IPv4 stack with Windows' reactions (the address-conflict
 * warning, ArpRetryCount), NLB bound to one adapter, and a command prompt. It runs on a physical
 * NIC or as the guest OS of a Hyper-V VM (see hyperv-host/vm.ts for how a guest plugs in).
 */
import type { CliSession, ConsoleCapable } from '../../cli/session.ts';
import { formatIpv4, parseCidr, parseIpv4 } from '../../core/ipv4.ts';
import { formatMac, parseMac } from '../../core/mac.ts';
import type { Network } from '../../core/network.ts';
import type { Port } from '../../core/port.ts';
import { IpHost, type IfAddress, type IpInterface } from '../../l3/ip-host.ts';
import { defaultNlbConfig, NlbDriver, type NlbConfig } from '../../proto/nlb/driver.ts';
import { NLB_MODES } from '../../proto/nlb/addresses.ts';
import { parsePortRules } from '../../proto/nlb/port-rules.ts';
import type { Ipv4Packet } from '../../core/packets.ts';
import { applyVmHostSetting } from '../hyperv-host/host.ts';
import type { GuestOs, VirtualMachine } from '../hyperv-host/vm.ts';
import type { SettingValue, Settings } from '../kind.ts';
import { macFromName } from '../pc/device.ts';
import { HostServices } from '../pc/host-services.ts';
import { NIC_NAMES } from './adapters.ts';
import { WindowsConsole } from './console.ts';
import { groupMac } from '../../l2/igmp-snooping.ts';
import { rrasNetsh, RrasRip } from './rras.ts';
import { DnsResolver } from '../../l3/dns-resolver.ts';
import { applyDnsClientSetting, dnsClientConfigFromSettings } from '../windows-shell/dns-client-settings.ts';
import { registrationOf } from '../windows-shell/dns-commands.ts';
import { DnsServerRole } from './dns-server.ts';
import { configureDnsServer } from './dns-admin.ts';
import { AdDomainController, DEFAULT_SITE } from './ad-dc.ts';
import { AdDnsZones } from './ad-dns-zones.ts';
import { Netlogon } from './netlogon.ts';
import { CredentialRoamingDirectory } from './credential-roaming.ts';


/** One address conflict Windows reported. */
export interface ConflictRecord {
  t: number;
  ip: number;
  otherMac: number;
  iface: string;
}

function str(s: Settings, k: string): string {
  const v = s[k];
  return typeof v === 'string' ? v : '';
}
function num(s: Settings, k: string, d: number): number {
  const v = s[k];
  return typeof v === 'number' ? v : d;
}
function bool(s: Settings, k: string, d: boolean): boolean {
  const v = s[k];
  return typeof v === 'boolean' ? v : d;
}

/** NLB configuration from the lab settings, or null when `nlbClusterIp` is empty. */
export function nlbConfigFromSettings(s: Settings): NlbConfig | null {
  const cip = str(s, 'nlbClusterIp');
  if (cip === '') return null;
  const { ip, prefix } = parseCidr(cip);
  const cfg = defaultNlbConfig(ip, prefix, num(s, 'nlbHostPriority', 1), parsePortRules(str(s, 'nlbPortRules') || '0-65535/both/multiple/single'));
  const mode = str(s, 'nlbMode') || 'unicast';
  const m = NLB_MODES.find((x) => x === mode);
  if (m === undefined) throw new Error(`nlbMode must be one of ${NLB_MODES.join(', ')}`);
  cfg.mode = m;
  cfg.maskSourceMac = bool(s, 'nlbMaskSourceMac', true);
  cfg.multicastSpoof = bool(s, 'nlbMulticastSpoof', true);
  cfg.filterIcmp = bool(s, 'nlbFilterIcmp', false);
  cfg.timers = {
    aliveMsgPeriodMs: num(s, 'nlbAliveMsgPeriod', cfg.timers.aliveMsgPeriodMs),
    aliveMsgTolerance: num(s, 'nlbAliveMsgTolerance', cfg.timers.aliveMsgTolerance),
    convergenceMs: num(s, 'nlbConvergenceMs', cfg.timers.convergenceMs),
  };
  cfg.igmpJoinIntervalMs = num(s, 'nlbIgmpJoinInterval', cfg.igmpJoinIntervalMs);
  cfg.startOnBoot = bool(s, 'nlbStartOnBoot', true);
  return cfg;
}

export interface WindowsServerOptions {
  /** The VM this server runs in; absent for a physical server. */
  vm?: VirtualMachine;
}

export class WindowsServer extends IpHost implements ConsoleCapable, GuestOs {
  readonly hostname: string;
  readonly vm: VirtualMachine | null;
  nlb: NlbDriver | null = null;
  private nlbConfig: NlbConfig | null;
  readonly conflicts: ConflictRecord[] = [];
  /** Multicast groups joined and the echo service (settings igmpJoin, udpEcho, tcpEcho). */
  readonly services: HostServices;
  /** Time the server booted (for `nlb display` and uptime). */
  readonly bootNs = 0;
  private poweredOn = true;
  /** RRAS with RIPv2 (settings loopbackIp, ripInterfaces, ripAnnounce; or netsh). */
  readonly rras: RrasRip;
  /** The DNS client (settings dns, dnsSuffix, dnsSearchList, …). */
  readonly dns: DnsResolver;
  /** The DNS Server role (setting dnsServer); null when not installed. */
  readonly dnsServer: DnsServerRole | null = null;
  /** The AD DS role (setting adDomain), its Netlogon, and the DNS zones it stores; null when not a DC. */
  readonly dc: AdDomainController | null = null;
  readonly netlogon: Netlogon | null = null;
  readonly adDns: AdDnsZones | null = null;
  /** The users of the domain and their roaming attributes, served over LDAP; null when not a DC. */
  readonly roamingDirectory: CredentialRoamingDirectory | null = null;

  constructor(
    net: Network,
    name: string,
    private settings: Settings,
    options: WindowsServerOptions = {},
  ) {
    super(net, name);
    this.hostname = (str(settings, 'hostname') || name).toUpperCase();
    this.vm = options.vm ?? null;
    this.arpRetryCount = num(settings, 'arpRetryCount', 3);
    const count = this.vm !== null ? this.vm.adapters.length : num(settings, 'adapters', 1);
    for (let i = 0; i < count; i++) {
      const nic = NIC_NAMES[i];
      const given = i === 0 ? str(settings, 'mac') : '';
      const mac = this.vm !== null ? this.vm.adapters[i].mac : given !== '' ? parseMac(given) : macFromName(name, i);
      this.addInterface(nic, mac, this.vm !== null ? this.vm.adapters[i].port.speedBps : 1e9);
    }
    const addrs = [str(settings, 'ip'), str(settings, 'adapter2Ip')];
    addrs.forEach((a, i) => {
      if (a !== '' && i < count) {
        const c = parseCidr(a);
        this.addAddress(NIC_NAMES[i], c.ip, c.prefix);
      }
    });
    const gw = str(settings, 'gateway');
    if (gw !== '') this.setGateway(parseIpv4(gw));
    this.nlbConfig = nlbConfigFromSettings(settings);
    if (this.nlbConfig !== null) this.installNlb(this.nlbConfig);
    this.services = new HostServices(this, settings);
    this.rras = new RrasRip(this, net, name, { transmit: (ifc, pkt) => this.transmitIp(ifc, pkt, groupMac(pkt.dst)) });
    this.applyRras(settings);
    this.dns = new DnsResolver(this, dnsClientConfigFromSettings(settings));
    if (settings['dnsServer'] === true) {
      this.dnsServer = new DnsServerRole(this, () => this.fqdn());
      configureDnsServer(this.dnsServer, settings);
    }
    const domain = str(settings, 'adDomain').toLowerCase();
    if (domain !== '') {
      this.dc = new AdDomainController({ host: this, hostname: this.hostname, dns: this.dns, fqdn: () => this.fqdn() }, domain, str(settings, 'adSite') || DEFAULT_SITE);
      this.netlogon = new Netlogon(this.dc);
      this.roamingDirectory = new CredentialRoamingDirectory(this.dc, str(settings, 'adUsers').split(',').map((x) => x.trim().toLowerCase()).filter((x) => x !== ''));
      if (this.dnsServer !== null) {
        this.adDns = new AdDnsZones(this.dc, this.dnsServer);
        this.adDns.seed(str(settings, 'adIntegratedZones').split(',').map((x) => x.trim()).filter((x) => x !== ''));
      }
    }
    if (this.vm !== null) this.vm.plug(this);
  }

  /** The computer name under its primary DNS suffix. */
  fqdn(): string {
    const suffix = this.dns.config.primarySuffix.replace(/\.$/, '');
    return suffix === '' ? this.hostname.toLowerCase() : `${this.hostname.toLowerCase()}.${suffix.toLowerCase()}`;
  }

  private nlbInterface(): IpInterface {
    const wanted = str(this.settings, 'nlbAdapter') || 'NIC1';
    return this.interfaces.find((i) => i.name === wanted) ?? this.interfaces[0];
  }

  private installNlb(cfg: NlbConfig): void {
    const self = this;
    this.nlb = new NlbDriver(
      {
        name: this.name,
        net: this.net,
        get random() {
          return self.random;
        },
        setAdapterAddress: (ifc, mac) => this.setAdapterAddress(ifc, mac),
        addAddress: (ifc, ip, prefix) => this.addAddress(ifc.name, ip, prefix),
        removeAddress: (ifc, ip) => this.removeAddress(ifc.name, ip),
        sendIp: (ifc, pkt, dstMac) => this.sendRawIp(ifc, pkt, dstMac),
      },
      this.nlbInterface(),
      cfg,
    );
  }

  /**
   * Ask the adapter to take a new MAC. A physical NIC does; a Hyper-V synthetic adapter does only
   * when MAC address spoofing is on for its vNIC (or the MAC is its own), otherwise the guest
   * logs that the adapter does not support dynamic MAC address updates (DOMAIN.md §2.1).
   */
  private setAdapterAddress(ifc: IpInterface, mac: number): boolean {
    if (this.vm !== null) {
      const vnic = this.vm.adapters[ifc.index];
      if (vnic !== undefined && !vnic.macSpoofing && mac !== vnic.mac) return false;
    }
    ifc.port.mac = mac;
    return true;
  }

  private sendRawIp(ifc: IpInterface, pkt: Ipv4Packet, dstMac: number): void {
    const f = this.net.pool.alloc();
    f.dst = dstMac;
    f.src = ifc.mac;
    f.vlan = 0;
    f.pcp = 0;
    f.etherType = 0x0800;
    f.size = Math.max(64, 18 + pkt.totalLength);
    f.payload = pkt;
    f.tag = 0;
    this.toNic(ifc, f);
  }

  /** The loopback adapter's address and the interfaces RRAS RIP runs on, as the settings give them. */
  private applyRras(s: Settings): void {
    const lo = str(s, 'loopbackIp');
    if (lo !== '') this.rras.addLoopbackAddress(parseCidr(lo).ip);
    this.rras.announceOwnOnly = str(s, 'ripAnnounce') === 'own';
    for (const name of str(s, 'ripInterfaces').split(',').map((x) => x.trim()).filter((x) => x !== '')) {
      const out = rrasNetsh(this.rras, `routing ip rip add interface "${name}"`);
      if (out !== 'Ok.\n\n') throw new Error(`ripInterfaces: ${out?.trim() ?? name}`);
    }
    this.rras.program();
  }

  override portStateChanged(port: Port, up: boolean): void {
    super.portStateChanged(port, up);
    this.rras.speaker.interfacesChanged();
  }

  override start(): void {
    // NLB takes the adapter (and its MAC) before TCP/IP runs duplicate detection on the addresses.
    if (this.nlb !== null) this.nlb.bind();
    super.start();
    this.rras.speaker.start();
    this.dnsServer?.start();
    this.dc?.start();
    if (this.roamingDirectory !== null) {
      this.roamingDirectory.start();
      if (bool(this.settings, 'credentialRoaming', false)) this.roamingDirectory.setPolicy(true);
    }
    if (this.nlb !== null && this.nlbConfig !== null && this.nlbConfig.startOnBoot) this.nlb.start();
  }

  /** The DNS client registers the first adapter's addresses once they are usable, and again when they change. */
  protected override addressUsable(ifc: IpInterface, _a: IfAddress): void {
    if (ifc.index === 0) this.dns.addressesChanged(() => registrationOf(this.hostname, this, this.dns));
    // Netlogon starts once the DC has an address to register.
    if (ifc.index === 0 && this.netlogon !== null && !this.netlogon.running) this.netlogon.start();
  }

  override removeAddress(ifName: string, ip: number): void {
    super.removeAddress(ifName, ip);
    if (this.iface(ifName).index === 0) this.dns.addressesChanged(() => registrationOf(this.hostname, this, this.dns));
  }

  /**
   * Windows' reaction to another station using one of our addresses: the Tcpip event (from the
   * stack) and the user-visible warning. ArpRetryCount 0 turns these checks off (seed 002's
   * advice for false conflicts).
   */
  protected override conflict(ifc: IpInterface, a: IfAddress, otherMac: number): void {
    if (this.arpRetryCount === 0) return;
    super.conflict(ifc, a, otherMac);
    this.conflicts.push({ t: this.net.now, ip: a.ip, otherMac, iface: ifc.name });
    this.net.emit(
      'ip.duplicate',
      `${this.name}: Windows has detected an IP address conflict: ${formatIpv4(a.ip)} is also used by the system with hardware address ${formatMac(otherMac, '-').toUpperCase()}`,
      this.name,
      ifc.name,
    );
  }

  // ---- GuestOs ------------------------------------------------------------------------------

  adapterPort(index: number): Port {
    return this.interfaces[index].port;
  }

  adapterMac(index: number): number {
    return this.interfaces[index].mac;
  }

  adapterAddresses(index: number): readonly number[] {
    return this.interfaces[index].addrs.filter((a) => a.state === 'preferred').map((a) => a.ip);
  }

  /** What this stack's ARP gives for `ip`: NLB answers for the cluster IP with the cluster MAC in multicast modes. */
  adapterArpMac(index: number, ip: number): number {
    return this.interfaces[index].arpAddressFor(ip);
  }

  powerChanged(on: boolean): void {
    this.poweredOn = on;
    for (const ifc of this.interfaces) ifc.port.setAdmin(on);
    if (this.nlb === null) return;
    if (!on) this.nlb.stop();
    else if (this.nlbConfig !== null && this.nlbConfig.startOnBoot) this.nlb.start();
  }

  get powered(): boolean {
    return this.poweredOn;
  }

  // ---- run-time settings and states ---------------------------------------------------------

  /** A `set` step: NLB settings re-apply NLB as NLB Manager does; VM adapter settings go to the host. */
  applySetting(key: string, value: SettingValue): boolean {
    if (this.vm !== null && applyVmHostSetting(this.net, this.name, key, value)) return true;
    if (key === 'arpRetryCount' && typeof value === 'number') {
      this.arpRetryCount = value;
      return true;
    }
    if (this.services.apply(key, value)) return true;
    if (applyDnsClientSetting(this.dns.config, key, value)) return true;
    if (key === 'credentialRoaming' && typeof value === 'boolean' && this.roamingDirectory !== null) {
      this.roamingDirectory.setPolicy(value);
      return true;
    }
    if (!key.startsWith('nlb')) return false;
    this.settings = { ...this.settings, [key]: value };
    const cfg = nlbConfigFromSettings(this.settings);
    if (this.nlb !== null) this.nlb.unbind();
    this.nlbConfig = cfg;
    this.nlb = null;
    if (cfg !== null) {
      this.installNlb(cfg);
      const nlb = this.nlb as NlbDriver | null;
      if (nlb !== null) {
        nlb.bind();
        if (cfg.startOnBoot) nlb.start();
      }
    } else for (const i of this.interfaces) i.shim = null;
    return true;
  }

  /** Named states a scenario can expect. Undefined: not a state this kind knows. */
  deviceState(state: string): boolean | undefined {
    const n = this.nlb;
    switch (state) {
      case 'nlb-converged':
        return n !== null && n.membership.state === 'converged';
      case 'nlb-converging':
        return n !== null && n.membership.state === 'converging';
      case 'nlb-stopped':
        return n === null || n.membership.state === 'stopped';
      case 'nlb-misconfigured':
        return n !== null && n.misconfiguration.length > 0;
      case 'duplicate-ip-warning':
        return this.conflicts.length > 0;
      default:
        return undefined;
    }
  }

  openConsole(): CliSession {
    return new WindowsConsole(this);
  }
}
