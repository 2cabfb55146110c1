/**
 * The DNS client's commands at a Windows prompt: nslookup, and ipconfig's /flushdns,
 * /displaydns and /registerdns. nslookup talks to one server directly (no resolver cache):
 * it first asks for the server's own name (the PTR of its address), then tries the name with each
 * suffix appended before the name as typed, as Windows nslookup does for a name without a final dot.
 */
import { formatIpv4, parseIpv4 } from '../../core/ipv4.ts';
import { addressesOf, suffixesOf, type CacheEntry, type DnsResolver } from '../../l3/dns-resolver.ts';
import {
  canonicalName, RCODE_NOERROR, RCODE_NXDOMAIN, RCODE_REFUSED, RCODE_SERVFAIL, TYPE_A, TYPE_CNAME, TYPE_PTR, TYPE_SRV, typeFromName, typeName, type DnsMessage, type DnsRecord,
} from '../../wire/dns.ts';
import type { IpHost } from '../../l3/ip-host.ts';
import type { WindowsMachine } from './net-text.ts';

export type Print = (text: string) => void;

const HEADER = '\nWindows IP Configuration\n\n';

export function flushDnsText(dns: DnsResolver): string {
  dns.flush();
  return `${HEADER}Successfully flushed the DNS Resolver Cache.\n\n`;
}

/**
 * What the host registers: its FQDN and the usable addresses of the first adapter (the connection
 * the DNS client settings describe); null without a primary suffix.
 */
export function registrationOf(hostname: string, stack: IpHost, dns: DnsResolver): { name: string; ips: number[] } | null {
  const suffix = canonicalName(dns.config.primarySuffix);
  if (suffix === '') return null;
  const ips = (stack.interfaces[0]?.addrs ?? []).filter((a) => a.state === 'preferred').map((a) => a.ip);
  return { name: `${hostname.toLowerCase()}.${suffix}`, ips };
}

export function registerDnsText(m: WindowsMachine, dns: DnsResolver): string {
  const what = registrationOf(m.hostname(), m.stack, dns);
  if (what !== null && what.ips.length > 0 && dns.config.register) dns.registerA(what.name, what.ips);
  return `${HEADER}Registration of the DNS resource records for all adapters of this computer has been initiated. Any errors will be reported in the Event Viewer in 15 minutes.\n\n`;
}

function recordLines(r: DnsRecord): string[] {
  const d = r.data;
  if (r.type === TYPE_A && typeof d === 'number') return [`A (Host) Record . . . : ${formatIpv4(d)}`];
  if (r.type === TYPE_CNAME && typeof d === 'string') return [`CNAME Record  . . . . : ${d}`];
  if (r.type === TYPE_PTR && typeof d === 'string') return [`PTR Record  . . . . . : ${d}`];
  if (r.type === TYPE_SRV && d !== null && typeof d === 'object' && 'target' in d) return [`SRV Record  . . . . . : ${d.target}`, `                        ${d.priority}`, `                        ${d.weight}`, `                        ${d.port}`];
  return [];
}

export function displayDnsText(dns: DnsResolver): string {
  let out = HEADER;
  const byName = new Map<string, CacheEntry[]>();
  for (const e of dns.entries()) byName.set(e.name, [...(byName.get(e.name) ?? []), e]);
  for (const [name, list] of byName) {
    out += `    ${name}\n    ----------------------------------------\n`;
    for (const e of list) {
      if (e.negative === 'nxdomain') {
        out += '    Name does not exist.\n\n';
        continue;
      }
      if (e.negative === 'nodata') {
        out += `    No records of type ${typeName(e.type)}\n\n`;
        continue;
      }
      for (const r of e.records) {
        out += `    Record Name . . . . . : ${r.name}\n    Record Type . . . . . : ${r.type}\n    Time To Live  . . . . : ${dns.ttlLeft(e)}\n    Data Length . . . . . : ${r.type === TYPE_A ? 4 : 8}\n    Section . . . . . . . : Answer\n`;
        for (const l of recordLines(r)) out += `    ${l}\n`;
        out += '\n';
      }
    }
  }
  return out;
}

function reverseName(ip: number): string {
  return formatIpv4(ip).split('.').reverse().join('.') + '.in-addr.arpa';
}

function answerText(reply: DnsMessage, name: string, type: number): string {
  let out = reply.authoritative ? '' : 'Non-authoritative answer:\n';
  if (type === TYPE_A) {
    const aliases = reply.answers.filter((r) => r.type === TYPE_CNAME).map((r) => r.name);
    const final = reply.answers.filter((r) => r.type === TYPE_A);
    const addrs = addressesOf(reply.answers).map(formatIpv4);
    out += `Name:    ${final[0]?.name ?? name}\n`;
    if (addrs.length === 1) out += `Address:  ${addrs[0]}\n`;
    else if (addrs.length > 1) out += `Addresses:  ${addrs.join('\n          ')}\n`;
    if (aliases.length > 0) out += `Aliases:  ${aliases.join('\n          ')}\n`;
    return out + '\n';
  }
  for (const r of reply.answers) {
    const d = r.data;
    if (r.type === TYPE_SRV && d !== null && typeof d === 'object' && 'target' in d) {
      out += `${r.name}\tSRV service location:\n\t  priority       = ${d.priority}\n\t  weight         = ${d.weight}\n\t  port           = ${d.port}\n\t  svr hostname   = ${d.target}\n`;
    } else if (r.type === TYPE_PTR && typeof d === 'string') out += `${r.name}\tname = ${d}\n`;
    else if (r.type === TYPE_CNAME && typeof d === 'string') out += `${r.name}\tcanonical name = ${d}\n`;
    else if (r.type === TYPE_A && typeof d === 'number') out += `${r.name}\tinternet address = ${formatIpv4(d)}\n`;
    else out += `${r.name}\t${typeName(r.type)}\n`;
  }
  return out + '\n';
}

const TIMED_OUT = 'DNS request timed out.\n    timeout was 2 seconds.\n';

/** `nslookup [-type=T] name [server]`: prints as answers arrive, then calls `finish`. */
export function nslookup(args: string[], dns: DnsResolver, print: Print, finish: () => void): void {
  let type = TYPE_A;
  const rest: string[] = [];
  for (const a of args) {
    const m = /^-(?:type|querytype|q)=(\w+)$/i.exec(a);
    if (m !== null) {
      const t = typeFromName(m[1]);
      if (t === null) {
        print(`unknown query type: ${m[1]}\n`);
        return finish();
      }
      type = t;
    } else rest.push(a);
  }
  if (rest.length === 0) {
    print('Usage:\n   nslookup [-opt ...]             # interactive mode using default server\n   nslookup [-opt ...] host        # just look up \'host\' using default server\n   nslookup [-opt ...] host server # just look up \'host\' using \'server\'\n\n');
    return finish();
  }
  const typed = rest[0];
  let server: number | undefined = dns.config.servers[0];
  if (rest[1] !== undefined) {
    try {
      server = parseIpv4(rest[1]);
    } catch {
      print(`*** Can't find address for server ${rest[1]}: Non-existent domain\n`);
      return finish();
    }
  }
  if (server === undefined) {
    print(`*** Default servers are not available\nServer:  UnKnown\nAddress:  127.0.0.1\n\n*** UnKnown can't find ${typed}: No response from server\n`);
    return finish();
  }
  const at = server;
  dns.queryServer(at, reverseName(at), TYPE_PTR, (ptr) => {
    if (ptr === null) print(TIMED_OUT);
    const ptrName = ptr?.rcode === RCODE_NOERROR ? ptr.answers.find((r) => r.type === TYPE_PTR)?.data : undefined;
    const serverName = typeof ptrName === 'string' ? ptrName : 'UnKnown';
    print(`Server:  ${serverName}\nAddress:  ${formatIpv4(at)}\n\n`);
    const names = typed.endsWith('.') || /^\d+\.\d+\.\d+\.\d+$/.test(typed) ? [canonicalName(typed)] : [...suffixesOf(dns.config).map((s) => `${typed.toLowerCase()}.${s}`), typed.toLowerCase()];
    let sawNxdomain = false;
    const step = (i: number): void => {
      if (i >= names.length) {
        print(`*** ${serverName} can't find ${typed}: ${sawNxdomain ? 'Non-existent domain' : 'No records'}\n`);
        return finish();
      }
      dns.queryServer(at, names[i], type, (reply) => {
        if (reply === null) {
          print(`${TIMED_OUT}${TIMED_OUT}*** Request to ${serverName} timed-out\n`);
          return finish();
        }
        if (reply.rcode === RCODE_SERVFAIL || reply.rcode === RCODE_REFUSED) {
          print(`*** ${serverName} can't find ${typed}: ${reply.rcode === RCODE_SERVFAIL ? 'Server failed' : 'Query refused'}\n`);
          return finish();
        }
        if (reply.rcode === RCODE_NOERROR && reply.answers.some((r) => r.type === type)) {
          print(answerText(reply, names[i], type));
          return finish();
        }
        if (reply.rcode === RCODE_NXDOMAIN) sawNxdomain = true;
        step(i + 1);
      });
    };
    step(0);
  });
}
