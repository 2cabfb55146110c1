/**
 * Active Directory-integrated DNS zones: a zone stored in the domain naming context (the
 * "Legacy" scope, CN=MicrosoftDNS,CN=System,<domain>) instead of a file, so AD replication
 * carries it to every DC of the domain and any of them can change it (multi-master).
 *
 * Each owner name is a dnsNode object whose dnsRecord attribute holds the name's records; the zone
 * is a dnsZone object whose isDeleted says whether it still exists. A change the DNS server makes
 * (a dynamic update, dnscmd) is written to the directory as an originating change; what
 * replication brings is loaded back into the DNS server at once (the server's 180-second
 * DsPollingInterval is not modelled).
 *
 * Secure dynamic updates are accepted from the domain's DCs: an update from a DC's address is
 * taken as authenticated, standing in for the GSS-TSIG (Kerberos) exchange.
 */
import { canonicalName, type DnsRecord } from '../../wire/dns.ts';
import type { AdDomainController } from './ad-dc.ts';
import type { DnsServerRole, DnsZone } from './dns-server.ts';

export class AdDnsZones {
  private loading = false;

  constructor(
    private readonly dc: AdDomainController,
    private readonly role: DnsServerRole,
  ) {
    role.directory = {
      zoneChanged: (z) => this.store(z),
      zoneDeleted: (z) => this.remove(z),
      maySecurelyUpdate: (src) => dc.isDomainControllerAddress(src),
    };
    dc.replicatedListeners.push(() => this.load());
  }

  private get container(): string {
    return `CN=MicrosoftDNS,CN=System,${this.dc.nc.dn}`;
  }

  private zoneDn(zone: string): string {
    return `DC=${zone},${this.container}`;
  }

  /**
   * Zones the lab starts as AD-integrated: their content is the same on every DC and is stamped
   * alike, so it does not replicate at start.
   */
  seed(zoneNames: string[]): void {
    const origin = { invocation: `zones:${this.dc.domain}`, usn: 100 };
    for (const zname of [...zoneNames].map(canonicalName).sort()) {
      const z = this.role.zones.get(zname);
      if (z === undefined || z.type !== 'primary') throw new Error(`adIntegratedZones: ${zname} is not a zone of dnsZoneFiles`);
      z.adIntegrated = true;
      z.dynamicUpdate = 'Secure';
      this.dc.nc.seed(this.zoneDn(z.name), 'isDeleted', 'FALSE', { ...origin, usn: origin.usn++ });
      this.dc.nc.seed(this.zoneDn(z.name), 'dynamicUpdate', z.dynamicUpdate, { ...origin, usn: origin.usn++ });
      for (const [owner, records] of byOwner(z.records)) this.dc.nc.seed(`DC=${owner},${this.zoneDn(z.name)}`, 'dnsRecord', JSON.stringify(records), { ...origin, usn: origin.usn++ });
    }
  }

  /** `dnscmd /zoneresettype <zone> /dsprimary`: the zone moves from its file into AD. */
  integrate(z: DnsZone): void {
    z.adIntegrated = true;
    this.store(z);
  }

  private store(z: DnsZone): void {
    if (this.loading || z.adIntegrated !== true) return;
    const zdn = this.zoneDn(z.name);
    this.dc.write(zdn, 'isDeleted', 'FALSE');
    this.dc.write(zdn, 'dynamicUpdate', z.dynamicUpdate);
    const owners = byOwner(z.records);
    for (const [owner, records] of owners) this.dc.write(`DC=${owner},${zdn}`, 'dnsRecord', JSON.stringify(records));
    for (const dn of this.dc.nc.below(zdn)) {
      const owner = /^dc=([^,]*),/.exec(dn)?.[1];
      if (dn !== zdn.toLowerCase() && owner !== undefined && !owners.has(owner)) this.dc.write(dn, 'dnsRecord', '[]');
    }
  }

  private remove(z: DnsZone): void {
    if (this.loading || z.adIntegrated !== true) return;
    const zdn = this.zoneDn(z.name);
    for (const dn of this.dc.nc.below(zdn)) if (dn !== zdn.toLowerCase()) this.dc.write(dn, 'dnsRecord', '[]');
    this.dc.write(zdn, 'isDeleted', 'TRUE');
  }

  /** The AD-integrated zones as the directory now holds them, into the DNS server. */
  load(): void {
    this.loading = true;
    try {
      const prefix = `,${this.container.toLowerCase()}`;
      for (const dn of this.dc.nc.below(this.container)) {
        if (!dn.endsWith(prefix) || dn.slice(0, -prefix.length).includes(',')) continue;
        const zname = dn.slice(3, -prefix.length);
        const held = this.role.zones.get(zname);
        if (this.dc.nc.get(dn, 'isDeleted') === 'TRUE') {
          if (held !== undefined && held.adIntegrated === true) this.role.zones.delete(zname);
          continue;
        }
        // A file-backed zone of the same name made here wins over the directory's copy.
        if (held !== undefined && held.adIntegrated !== true) continue;
        const records: DnsRecord[] = [];
        for (const node of this.dc.nc.below(dn)) {
          if (node === dn) continue;
          const json = this.dc.nc.get(node, 'dnsRecord');
          if (json !== undefined) records.push(...(JSON.parse(json) as DnsRecord[]));
        }
        const mode = this.dc.nc.get(dn, 'dynamicUpdate');
        const dynamicUpdate = mode === 'None' || mode === 'NonsecureAndSecure' ? mode : 'Secure';
        if (held !== undefined) {
          held.records = records;
          held.dynamicUpdate = dynamicUpdate;
        } else this.role.zones.set(zname, { name: zname, type: 'primary', file: `${zname}.dns`, records, dynamicUpdate, masters: [], dirty: false, adIntegrated: true });
      }
    } finally {
      this.loading = false;
    }
  }
}

function byOwner(records: readonly DnsRecord[]): Map<string, DnsRecord[]> {
  const out = new Map<string, DnsRecord[]>();
  for (const r of records) out.set(r.name, [...(out.get(r.name) ?? []), r]);
  return out;
}

/**
 * `dnscmd /zoneresettype <zone> /dsprimary` (into AD) and `/primary` (back to a file); null for
 * the commands dns-admin.ts answers.
 */
export function adDnscmd(zones: AdDnsZones | null, role: DnsServerRole | null, serverName: string, argv: string[]): string | null {
  const args = argv[0] !== undefined && !argv[0].startsWith('/') ? argv.slice(1) : argv;
  if ((args[0] ?? '').toLowerCase() !== '/zoneresettype' || role === null || !role.running) return null;
  const z = role.zones.get(canonicalName(args[1] ?? ''));
  const how = (args[2] ?? '').toLowerCase();
  if (z === undefined || z.type !== 'primary') return 'Command failed:  DNS_ERROR_ZONE_DOES_NOT_EXIST     9601    0x00002581\n\n';
  if (how === '/dsprimary') {
    if (zones === null) return 'Command failed:  DNS_ERROR_DS_UNAVAILABLE     9717    0x000025f5\n\n';
    zones.integrate(z);
  } else if (how === '/primary') {
    z.adIntegrated = false;
    z.dirty = true;
    role.writeBack(z);
  } else return 'Command failed:  ERROR_INVALID_PARAMETER     87    0x00000057\n\n';
  return `DNS Server ${serverName} reset type of zone ${z.name}:\nCommand completed successfully.\n\n`;
}
