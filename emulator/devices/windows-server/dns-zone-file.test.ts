import { describe, expect, it } from 'vitest';
import { parseIpv4 } from '../../core/ipv4.ts';
import { TYPE_A, TYPE_CNAME, TYPE_NS, TYPE_SOA, TYPE_SRV } from '../../wire/dns.ts';
import { parseZoneFile, writeZoneFile } from './dns-zone-file.ts';

const file = `;
;  Database file corp.contoso.com.dns for corp.contoso.com zone.
;
$TTL 3600
@   IN  SOA dc1.corp.contoso.com.  hostmaster.corp.contoso.com. (
                        12          ; serial number
                        900         ; refresh
                        600         ; retry
                        86400       ; expire
                        300       ) ; default TTL
@                NS     dc1
dc1              A      10.0.0.10
web  [AGE:3604512] 1200 A 10.0.0.20
                 A      10.0.0.21
www              CNAME  web
_ldap._tcp       600 SRV 0 100 389 dc1.corp.contoso.com.
$ORIGIN _msdcs.corp.contoso.com.
gc               A      10.0.0.10
`;

describe('standard primary zone files', () => {
  it('reads $TTL, the parenthesised SOA, relative and absolute names, blank owners, aging stamps and $ORIGIN', () => {
    const z = parseZoneFile(file, 'corp.contoso.com');
    const r = z.records;
    expect(r[0]).toMatchObject({ name: 'corp.contoso.com', type: TYPE_SOA, ttl: 3600, data: { serial: 12, minimum: 300, mname: 'dc1.corp.contoso.com' } });
    expect(r[1]).toMatchObject({ name: 'corp.contoso.com', type: TYPE_NS, data: 'dc1.corp.contoso.com' });
    expect(r.filter((x) => x.name === 'web.corp.contoso.com').map((x) => [x.ttl, x.data])).toEqual([
      [1200, parseIpv4('10.0.0.20')],
      [3600, parseIpv4('10.0.0.21')],
    ]);
    expect(r.find((x) => x.type === TYPE_CNAME)?.data).toBe('web.corp.contoso.com');
    expect(r.find((x) => x.type === TYPE_SRV)).toMatchObject({ name: '_ldap._tcp.corp.contoso.com', ttl: 600, data: { port: 389, target: 'dc1.corp.contoso.com' } });
    expect(r.at(-1)).toMatchObject({ name: 'gc._msdcs.corp.contoso.com', type: TYPE_A });
  });

  it('without $TTL a record takes the SOA minimum', () => {
    const z = parseZoneFile('@ IN SOA ns1 admin 1 2 3 4 77\n@ NS ns1\nns1 A 192.0.2.1\n', 'example.test');
    expect(z.records.map((x) => x.ttl)).toEqual([77, 77, 77]);
  });

  it('names the line at fault', () => {
    expect(() => parseZoneFile('$TTL 60\n@ SOA ns1 admin 1 2 3 4 5\nweb A 10.0.0.300\n', 'x.test')).toThrow('line 3: "10.0.0.300" is not an IPv4 address');
    expect(() => parseZoneFile('$TTL 60\n@ SOA ns1 admin 1 2 3 4 5\n@ MX 10 mail\n', 'x.test')).toThrow(/line 3: record type MX is not supported/);
    expect(() => parseZoneFile('$TTL 60\nweb A 10.0.0.1\n', 'x.test')).toThrow(/needs exactly one SOA/);
    expect(() => parseZoneFile('@ SOA ns1 admin (1 2 3 4 5\n', 'x.test')).toThrow(/line 1: "\(" is never closed/);
  });

  it('what it writes it reads back', () => {
    const z = parseZoneFile(file, 'corp.contoso.com');
    expect(parseZoneFile(writeZoneFile('corp.contoso.com', z.records), 'corp.contoso.com').records).toEqual(z.records);
  });
});
