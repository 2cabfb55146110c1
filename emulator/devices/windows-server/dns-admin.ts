/**
 * How a lab and an administrator set up the DNS Server role: the lab settings (zone files in the
 * dns folder, forwarders, the dynamic update option), dnscmd, and net stop/start dns.
 * Message shapes follow the Windows Server 2003–2012 R2 dnscmd; where the exact wording is not
 * known it is marked [U].
 */
import { formatIpv4, parseIpv4 } from '../../core/ipv4.ts';
import { canonicalName, CLASS_IN, TYPE_SOA } from '../../wire/dns.ts';
import type { SettingSpec, Settings } from '../kind.ts';
import { DYNAMIC_UPDATE_MODES, type DnsServerRole, type DynamicUpdate } from './dns-server.ts';
import { parseZoneFile, rdataText } from './dns-zone-file.ts';

export const DNS_SERVER_SETTINGS: Record<string, SettingSpec> = {
  dnsServer: { type: 'boolean', description: 'DNS Server role installed, its service running from the start', default: false },
  dnsZoneFiles: {
    type: 'string',
    description:
      'Zone files in %SystemRoot%\\System32\\dns, each starting with a "$ORIGIN <zone>." line, stored as <zone>.dns and loaded as a standard primary zone ($TTL, SOA, NS, A, CNAME, PTR, SRV)',
    default: '',
  },
  dnsDynamicUpdate: { type: 'string', description: 'Dynamic updates the zones of dnsZoneFiles accept', default: 'None', enum: DYNAMIC_UPDATE_MODES },
  dnsRoundRobin: { type: 'boolean', description: 'Enable round robin: each answer rotates the order of a name\'s several records of one type', default: true },
  dnsForwarders: { type: 'string', description: 'Forwarders, comma-separated IPv4 addresses, tried in order; empty: none', default: '' },
  dnsConditionalForwarders: { type: 'string', description: 'Conditional forwarders as domain=ip,ip separated by ";", e.g. partner.example=192.0.2.53', default: '' },
};

function text(s: Settings, k: string): string {
  const v = s[k];
  return typeof v === 'string' ? v : '';
}

function ipList(t: string, what: string): number[] {
  return t
    .split(/[,\s]+/)
    .filter((x) => x !== '')
    .map((x) => {
      try {
        return parseIpv4(x);
      } catch {
        throw new Error(`${what}: "${x}" is not an IPv4 address`);
      }
    });
}

/** Splits `dnsZoneFiles` into files by their $ORIGIN lines: zone name → file text. */
export function splitZoneFiles(all: string): Map<string, string> {
  const out = new Map<string, string>();
  let zone: string | null = null;
  let lines: string[] = [];
  const flush = (): void => {
    if (zone !== null) out.set(zone, lines.join('\n') + '\n');
  };
  for (const line of all.split(/\r?\n/)) {
    const m = /^\$ORIGIN\s+(\S+)/i.exec(line);
    if (m !== null) {
      flush();
      zone = canonicalName(m[1]);
      lines = [];
    } else if (zone === null && line.trim() !== '' && !line.trim().startsWith(';')) throw new Error('dnsZoneFiles: each zone file starts with a "$ORIGIN <zone>." line');
    lines.push(line);
  }
  flush();
  return out;
}

/** Sets the role up from the lab's settings; throws with the setting and zone file line at fault. */
export function configureDnsServer(role: DnsServerRole, s: Settings): void {
  const mode = text(s, 'dnsDynamicUpdate') || 'None';
  const dyn = DYNAMIC_UPDATE_MODES.find((m) => m === mode);
  if (dyn === undefined) throw new Error(`dnsDynamicUpdate must be one of ${DYNAMIC_UPDATE_MODES.join(', ')}`);
  for (const [zone, file] of splitZoneFiles(text(s, 'dnsZoneFiles'))) {
    role.files.set(`${zone}.dns`, file);
    try {
      role.addPrimaryZone(zone, `${zone}.dns`, true, dyn);
    } catch (e) {
      throw new Error(`dnsZoneFiles: ${zone}.dns: ${(e as Error).message}`);
    }
  }
  role.roundRobin = s['dnsRoundRobin'] !== false;
  role.forwarders = ipList(text(s, 'dnsForwarders'), 'dnsForwarders');
  for (const part of text(s, 'dnsConditionalForwarders').split(';').map((x) => x.trim()).filter((x) => x !== '')) {
    const [domain, ips] = part.split('=');
    if (ips === undefined || domain.trim() === '') throw new Error(`dnsConditionalForwarders: "${part}" is not domain=ip,ip`);
    role.addConditionalForwarder(domain.trim(), ipList(ips, 'dnsConditionalForwarders'));
  }
}

const OK = 'Command completed successfully.\n\n';

function failed(code: string, n: number): string {
  return `Command failed:  ${code}     ${n}    0x${n.toString(16).padStart(8, '0')}\n\n`;
}

const ERRORS: Record<string, number> = {
  DNS_ERROR_ZONE_DOES_NOT_EXIST: 9601,
  DNS_ERROR_ZONE_ALREADY_EXISTS: 9609,
  DNS_ERROR_FILE_NOT_FOUND: 9562,
  DNS_ERROR_INVALID_DATA: 13,
  ERROR_INVALID_PARAMETER: 87,
  RPC_S_SERVER_UNAVAILABLE: 1722,
};

function failure(code: string): string {
  return failed(code, ERRORS[code] ?? 9553);
}

/** `dnscmd [server] /command …` on the server itself (a server name or `.` first is accepted). */
export function dnscmd(role: DnsServerRole | null, serverName: string, argv: string[]): string {
  const args = argv[0] !== undefined && !argv[0].startsWith('/') ? argv.slice(1) : argv;
  const cmd = (args[0] ?? '').toLowerCase();
  if (cmd === '' || cmd === '/?') return 'Usage: DnsCmd <ServerName> <Command> [<Command Parameters>]\n\n';
  if (role === null || !role.running) return `${failure('RPC_S_SERVER_UNAVAILABLE')}`;
  const zoneArg = args[1] !== undefined ? canonicalName(args[1]) : '';
  const flags = args.slice(2).map((a) => a.toLowerCase());
  switch (cmd) {
    case '/enumzones': {
      const zones = [...role.zones.values()].sort((a, b) => a.name.localeCompare(b.name));
      let out = `\nEnumerated zone list:\n\tZone count = ${zones.length}\n\n Zone name                      Type       Storage         Properties\n\n`;
      for (const z of zones) {
        const type = z.type === 'primary' ? 'Primary' : 'Forwarder';
        const storage = z.adIntegrated === true ? 'AD-Legacy' : 'File';
        const props = z.type === 'primary' && z.dynamicUpdate !== 'None' ? (z.dynamicUpdate === 'Secure' ? 'Secure' : 'Update') : '';
        out += ` ${z.name.padEnd(31)}${type.padEnd(11)}${storage.padEnd(16)}${props}\n`;
      }
      return out + '\n' + OK;
    }
    case '/zoneprint': {
      const z = role.zones.get(zoneArg);
      if (z === undefined || z.type !== 'primary') return failure('DNS_ERROR_ZONE_DOES_NOT_EXIST');
      let out = `;\n;  Zone:    ${z.name}\n;  Server:  ${serverName}\n;\n`;
      const names = [...new Set(z.records.map((r) => r.name))].sort((a, b) => (a === z.name ? -1 : b === z.name ? 1 : a.localeCompare(b)));
      for (const n of names) {
        const owner = n === z.name ? '@' : n.slice(0, -z.name.length - 1);
        let first = true;
        for (const r of z.records.filter((x) => x.name === n).sort((a, b) => a.type - b.type)) {
          out += `${(first ? owner : '').padEnd(23)} ${String(r.ttl).padEnd(5)}${(r.type === TYPE_SOA ? 'SOA' : typeNameOf(r.type)).padEnd(7)}${rdataText(r)}\n`;
          first = false;
        }
      }
      return out + `;\n;  Finished zone: ${names.length} nodes and ${z.records.length} records\n;\n` + OK;
    }
    case '/zoneadd': {
      if (zoneArg === '') return failure('ERROR_INVALID_PARAMETER');
      if (!flags.includes('/primary')) return failure('ERROR_INVALID_PARAMETER');
      const fi = flags.indexOf('/file');
      const file = fi >= 0 && args[2 + fi + 1] !== undefined ? args[2 + fi + 1] : `${zoneArg}.dns`;
      try {
        role.addPrimaryZone(zoneArg, file, flags.includes('/load'), 'None');
      } catch (e) {
        return failure((e as Error).message.startsWith('DNS_') ? (e as Error).message : 'DNS_ERROR_INVALID_DATA');
      }
      return `DNS Server ${serverName} created zone ${zoneArg}:\n\n${OK}`;
    }
    case '/zonedelete': {
      if (!flags.includes('/f')) return 'Are you sure you want to Delete zone? (y/n) n\n\n';
      if (!role.deleteZone(zoneArg)) return failure('DNS_ERROR_ZONE_DOES_NOT_EXIST');
      return `DNS Server ${serverName} deleted zone ${zoneArg}:\n    Status = 0 (0x00000000)\n${OK}`;
    }
    case '/config': {
      // dnscmd /config /roundrobin 0|1 (the server), dnscmd /config <zone> /allowupdate 0|1|2
      if (zoneArg === '/roundrobin') {
        if (!['0', '1'].includes(args[2] ?? '')) return failure('ERROR_INVALID_PARAMETER');
        role.roundRobin = args[2] === '1';
        return `Registry property roundrobin successfully reset.\n${OK}`;
      }
      const z = role.zones.get(zoneArg);
      if (z === undefined) return failure('DNS_ERROR_ZONE_DOES_NOT_EXIST');
      if (flags[0] !== '/allowupdate' || !['0', '1', '2'].includes(flags[1] ?? '')) return failure('ERROR_INVALID_PARAMETER');
      z.dynamicUpdate = (['None', 'NonsecureAndSecure', 'Secure'] as DynamicUpdate[])[Number(flags[1])];
      return `Registry property allowupdate successfully reset.\n${OK}`;
    }
    case '/recordadd': {
      // dnscmd /recordadd <zone> <node> [ttl] <type> <data…>
      const z = role.zones.get(zoneArg);
      if (z === undefined || z.type !== 'primary') return failure('DNS_ERROR_ZONE_DOES_NOT_EXIST');
      const node = args[2];
      if (node === undefined) return failure('ERROR_INVALID_PARAMETER');
      const rest = args.slice(3);
      const ttl = rest[0] !== undefined && /^\d+$/.test(rest[0]) ? rest.shift() : undefined;
            const soa = z.records.find((r) => r.type === TYPE_SOA);
      const minimum = soa !== undefined && soa.data !== null && typeof soa.data === 'object' && 'minimum' in soa.data ? soa.data.minimum : 3600;
      try {
        const [r] = parseZoneFile(`$TTL ${minimum}\n@ IN SOA x. x. 1 1 1 1 1\n${node} ${ttl ?? ''} ${rest.join(' ')}\n`, z.name).records.slice(1);
        if (r === undefined || r.class !== CLASS_IN) return failure('DNS_ERROR_INVALID_DATA');
        role.addRecord(z, r);
        return `Add ${typeNameOf(r.type)} Record for ${r.name} at ${z.name}\n${OK}`;
      } catch {
        return failure('DNS_ERROR_INVALID_DATA');
      }
    }
    case '/zonewriteback': {
      const z = role.zones.get(zoneArg);
      if (z === undefined) return failure('DNS_ERROR_ZONE_DOES_NOT_EXIST');
      z.dirty = true;
      role.writeBack(z);
      return `DNS Server ${serverName} wrote back zone ${z.name} to file ${z.file}.\n${OK}`;
    }
    case '/info': {
      const fw = role.forwarders.map(formatIpv4).join(', ');
      return `Query result:\nServer info\n\tserver name              = ${serverName}\n\tforwarders                = ${fw === '' ? 'NULL IP Array.' : fw}\n\n${OK}`;
    }
    default:
      return `Unknown Command "${args[0]}" Specified -- type DnsCmd -?.\n\n`;
  }
}

function typeNameOf(t: number): string {
  return ({ 1: 'A', 2: 'NS', 5: 'CNAME', 6: 'SOA', 12: 'PTR', 33: 'SRV' } as Record<number, string>)[t] ?? `TYPE${t}`;
}

/** `net stop dns` / `net start dns`; other services are not modelled here. */
export function netDns(role: DnsServerRole | null, args: string[]): string | null {
  const verb = (args[0] ?? '').toLowerCase();
  const svc = (args.slice(1).join(' ') || '').toLowerCase().replace(/^"|"$/g, '');
  if ((verb !== 'stop' && verb !== 'start') || (svc !== 'dns' && svc !== 'dns server')) return null;
  if (role === null) return 'The service name is invalid.\n\nMore help is available by typing NET HELPMSG 2185.\n\n';
  if (verb === 'stop') {
    if (!role.running) return 'The DNS Server service is not started.\n\nMore help is available by typing NET HELPMSG 3521.\n\n';
    role.stop();
    return 'The DNS Server service is stopping.\nThe DNS Server service was stopped successfully.\n\n';
  }
  if (role.running) return 'The requested service has already been started.\n\nMore help is available by typing NET HELPMSG 2182.\n\n';
  try {
    role.start();
  } catch (e) {
    return `The DNS Server service could not be started.\n\n${(e as Error).message}\n\n`;
  }
  return 'The DNS Server service is starting.\nThe DNS Server service was started successfully.\n\n';
}
