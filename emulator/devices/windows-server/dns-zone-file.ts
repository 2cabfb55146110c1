/**
 * Standard primary zone files as the Windows DNS Server keeps them in
 * %SystemRoot%\System32\dns\<zone>.dns: RFC 1035 §5 master-file syntax with $TTL and $ORIGIN,
 * `@` for the origin, names relative to it unless they end in a dot, a blank owner repeating the
 * previous one, parentheses continuing a record over lines, `;` comments, and the `[AGE:n]`
 * aging stamp Windows writes before the TTL of a dynamically registered record.
 */

import { formatIpv4, parseIpv4 } from '../../core/ipv4.ts';
import { canonicalName, CLASS_IN, TYPE_A, TYPE_CNAME, TYPE_NS, TYPE_PTR, TYPE_SOA, TYPE_SRV, typeName, type DnsRecord, type SoaData, type SrvData } from '../../wire/dns.ts';

export interface ZoneFile {
  origin: string;
  records: DnsRecord[];
}

/** Logical lines: comments gone, parenthesised continuations joined, each with its first line number. */
function logicalLines(text: string): { line: number; text: string; indented: boolean }[] {
  const out: { line: number; text: string; indented: boolean }[] = [];
  let depth = 0;
  let current: { line: number; text: string; indented: boolean } | null = null;
  text.split(/\r?\n/).forEach((raw, i) => {
    let s = '';
    let quoted = false;
    for (const ch of raw) {
      if (ch === '"') quoted = !quoted;
      if (ch === ';' && !quoted) break;
      if (ch === '(' && !quoted) {
        depth++;
        s += ' ';
        continue;
      }
      if (ch === ')' && !quoted) {
        depth = Math.max(0, depth - 1);
        s += ' ';
        continue;
      }
      s += ch;
    }
    if (current === null) {
      if (s.trim() === '' && depth === 0) return;
      current = { line: i + 1, text: s, indented: /^[ \t]/.test(s) };
    } else current.text += ' ' + s;
    if (depth === 0) {
      if (current.text.trim() !== '') out.push(current);
      current = null;
    }
  });
  if (current !== null) throw new Error(`line ${(current as { line: number }).line}: "(" is never closed`);
  return out;
}

function absolute(name: string, origin: string, line: number): string {
  if (name === '@') return origin;
  if (name.endsWith('.')) return canonicalName(name);
  if (name === '') throw new Error(`line ${line}: a name is missing`);
  return canonicalName(origin === '' ? name : `${name}.${origin}`);
}

function ttlValue(token: string): number | null {
  return /^\d+$/.test(token) ? Number(token) : null;
}

/** Parses a zone file for `zone`; throws `line N: …` on the first thing it cannot read. */
export function parseZoneFile(text: string, zone: string): ZoneFile {
  let origin = canonicalName(zone);
  let defaultTtl: number | null = null;
  let owner: string | null = null;
  const records: DnsRecord[] = [];
  for (const l of logicalLines(text)) {
    const tokens = l.text.trim().split(/\s+/);
    if (tokens[0].toUpperCase() === '$TTL') {
      const t = ttlValue(tokens[1] ?? '');
      if (t === null) throw new Error(`line ${l.line}: $TTL needs a number of seconds`);
      defaultTtl = t;
      continue;
    }
    if (tokens[0].toUpperCase() === '$ORIGIN') {
      if (tokens[1] === undefined) throw new Error(`line ${l.line}: $ORIGIN needs a name`);
      origin = absolute(tokens[1], origin, l.line);
      continue;
    }
    if (tokens[0].startsWith('$')) throw new Error(`line ${l.line}: ${tokens[0]} is not supported`);
    let i = 0;
    if (!l.indented) owner = absolute(tokens[i++], origin, l.line);
    if (owner === null) throw new Error(`line ${l.line}: the first record needs an owner name`);
    let ttl: number | null = null;
    // TTL, class and the aging stamp may come in either order before the type.
    for (;;) {
      const t = tokens[i];
      if (t === undefined) throw new Error(`line ${l.line}: a record type is missing`);
      if (/^\[AGE:\d+\]$/i.test(t)) i++;
      else if (ttlValue(t) !== null && ttl === null) {
        ttl = ttlValue(t);
        i++;
      } else if (t.toUpperCase() === 'IN') i++;
      else break;
    }
    const type = tokens[i++].toUpperCase();
    const rd = tokens.slice(i);
    const need = (n: number): void => {
      if (rd.length < n) throw new Error(`line ${l.line}: ${type} needs ${n} field${n === 1 ? '' : 's'}, found ${rd.length}`);
    };
    const num = (s: string): number => {
      if (!/^\d+$/.test(s)) throw new Error(`line ${l.line}: "${s}" is not a number`);
      return Number(s);
    };
    let rtype: number;
    let data: DnsRecord['data'];
    switch (type) {
      case 'A':
        need(1);
        rtype = TYPE_A;
        try {
          data = parseIpv4(rd[0]);
        } catch {
          throw new Error(`line ${l.line}: "${rd[0]}" is not an IPv4 address`);
        }
        break;
      case 'NS':
      case 'CNAME':
      case 'PTR':
        need(1);
        rtype = type === 'NS' ? TYPE_NS : type === 'CNAME' ? TYPE_CNAME : TYPE_PTR;
        data = absolute(rd[0], origin, l.line);
        break;
      case 'SOA': {
        need(7);
        rtype = TYPE_SOA;
        const soa: SoaData = { mname: absolute(rd[0], origin, l.line), rname: absolute(rd[1], origin, l.line), serial: num(rd[2]), refresh: num(rd[3]), retry: num(rd[4]), expire: num(rd[5]), minimum: num(rd[6]) };
        data = soa;
        // Without $TTL a record's TTL defaults to the SOA minimum (RFC 1035's rule, which Windows keeps).
        if (defaultTtl === null) defaultTtl = soa.minimum;
        break;
      }
      case 'SRV': {
        need(4);
        rtype = TYPE_SRV;
        const srv: SrvData = { priority: num(rd[0]), weight: num(rd[1]), port: num(rd[2]), target: absolute(rd[3], origin, l.line) };
        data = srv;
        break;
      }
      default:
        throw new Error(`line ${l.line}: record type ${type} is not supported (A, NS, SOA, CNAME, PTR, SRV)`);
    }
    const effective = ttl ?? defaultTtl;
    if (effective === null) throw new Error(`line ${l.line}: no TTL and no $TTL or SOA before it`);
    records.push({ name: owner, type: rtype, class: CLASS_IN, ttl: effective, data });
  }
  const apexSoa = records.filter((r) => r.type === TYPE_SOA);
  if (apexSoa.length !== 1 || apexSoa[0].name !== canonicalName(zone)) throw new Error(`zone ${canonicalName(zone)} needs exactly one SOA record, at its origin`);
  return { origin: canonicalName(zone), records };
}

function relative(name: string, zone: string): string {
  if (name === zone) return '@';
  if (name.endsWith(`.${zone}`)) return name.slice(0, -zone.length - 1);
  return `${name}.`;
}

/** Record data as a zone file writes it (names absolute, with the final dot). */
export function rdataText(r: DnsRecord): string {
  const d = r.data;
  if (typeof d === 'number') return formatIpv4(d);
  if (typeof d === 'string') return `${d}.`;
  if (d !== null && typeof d === 'object' && 'mname' in d) return `${d.mname}. ${d.rname}. ${d.serial} ${d.refresh} ${d.retry} ${d.expire} ${d.minimum}`;
  if (d !== null && typeof d === 'object' && 'target' in d) return `${d.priority} ${d.weight} ${d.port} ${d.target}.`;
  return '';
}

/** The zone as a file: SOA first, then each node's records, owners relative to the zone. */
export function writeZoneFile(zone: string, records: readonly DnsRecord[]): string {
  const soa = records.find((r) => r.type === TYPE_SOA);
  const rest = records.filter((r) => r.type !== TYPE_SOA);
  const lines: string[] = [';', `;  Database file ${zone}.dns for ${zone} zone.`, ';', ''];
  if (soa !== undefined && soa.data !== null && typeof soa.data === 'object' && 'mname' in soa.data) {
    const s = soa.data;
    lines.push(`@                       ${soa.ttl} IN  SOA ${s.mname}.  ${s.rname}. (`, `                        ${s.serial}           ; serial number`, `                        ${s.refresh}          ; refresh`, `                        ${s.retry}          ; retry`, `                        ${s.expire}        ; expire`, `                        ${s.minimum}        ) ; default TTL`, '');
  }
  let last = '';
  for (const r of rest) {
    const owner = relative(r.name, zone);
    lines.push(`${(owner === last ? '' : owner).padEnd(24)}${String(r.ttl).padEnd(5)} ${typeName(r.type).padEnd(6)} ${rdataText(r)}`);
    last = owner;
  }
  return lines.join('\n') + '\n';
}
