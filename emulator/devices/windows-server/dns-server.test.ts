import { describe, expect, it } from 'vitest';
import { parseIpv4 } from '../../core/ipv4.ts';
import { Network } from '../../core/network.ts';
import { SECOND } from '../../core/time.ts';
import { TYPE_A } from '../../wire/dns.ts';
import type { Settings } from '../kind.ts';
import { GenericSwitch } from '../l2-switch/device.ts';
import { ClientPc } from '../pc/device.ts';
import { WindowsServer } from './device.ts';
import { connect } from './test-support/lab.ts';

const ZONE = `$ORIGIN corp.contoso.com.
$TTL 3600
@   IN  SOA dc1.corp.contoso.com.  hostmaster.corp.contoso.com. ( 1 900 600 86400 60 )
@        NS     dc1
dc1      A      10.0.0.10
web      120 A  10.0.0.20
www      CNAME  web
_ldap._tcp  600 SRV 0 100 389 dc1.corp.contoso.com.
`;

const PARTNER = `$ORIGIN partner.example.
$TTL 300
@   IN  SOA ns.partner.example. admin.partner.example. ( 1 900 600 86400 60 )
@        NS     ns
ns       A      10.0.0.30
app      A      192.0.2.80
`;

/** dc1 holds corp.contoso.com and forwards partner.example to ns2; pc1 and srv1 use dc1. */
function lab(o: { dc?: Settings; pc?: Settings } = {}) {
  const net = new Network(5);
  const sw = new GenericSwitch(net, 'sw1', { ports: 8 }, undefined);
  const dc = new WindowsServer(net, 'dc1', {
    ip: '10.0.0.10/24', dnsServer: true, dnsZoneFiles: ZONE, dnsSuffix: 'corp.contoso.com', dns: '10.0.0.10',
    dnsConditionalForwarders: 'partner.example=10.0.0.30', ...o.dc,
  });
  const ns2 = new WindowsServer(net, 'ns2', { ip: '10.0.0.30/24', dnsServer: true, dnsZoneFiles: PARTNER });
  const pc = new ClientPc(net, 'pc1', { ip: '10.0.0.21/24', dns: '10.0.0.10', dnsSuffix: 'corp.contoso.com', ...o.pc });
  const web = new ClientPc(net, 'web', { ip: '10.0.0.20/24' });
  [dc, ns2, pc, web].forEach((d, i) => connect(net, d.ports[0], sw.ports[i]));
  net.runUntil(5 * SECOND);
  return { net, dc, ns2, pc, web };
}

/** Types a line, lets simulated time pass, then shows what arrived meanwhile. */
function typed(net: Network, con: { input(l: string): string }, line: string, wait = 3 * SECOND): string {
  let out = con.input(line);
  net.runUntil(net.now + wait);
  out += con.input('');
  return out;
}

describe('the DNS Server role', () => {
  it('answers from its zone with AA, follows a CNAME inside the zone, says NXDOMAIN with the SOA for a missing name', () => {
    const { net, dc, pc } = lab();
    const con = pc.openConsole();
    const a = typed(net, con, 'nslookup www');
    expect(a).toBe('Server:  UnKnown\nAddress:  10.0.0.10\n\nName:    web.corp.contoso.com\nAddress:  10.0.0.20\nAliases:  www.corp.contoso.com\n\n');
    const nx = typed(net, con, 'nslookup nothere.corp.contoso.com.');
    expect(nx).toContain("*** UnKnown can't find nothere.corp.contoso.com.: Non-existent domain");
    // Devolution tries nothere.contoso.com too, which no zone holds and no forwarder serves here.
    expect(typed(net, con, 'nslookup nothere')).toContain("*** UnKnown can't find nothere: Server failed");
    const srv = typed(net, con, 'nslookup -type=SRV _ldap._tcp.corp.contoso.com.');
    expect(srv).toContain('_ldap._tcp.corp.contoso.com\tSRV service location:\n\t  priority       = 0\n\t  weight         = 100\n\t  port           = 389\n\t  svr hostname   = dc1.corp.contoso.com\n');
    expect(dc.dnsServer?.counters.authoritative).toBeGreaterThan(0);
  });

  it('a conditional forwarder sends the partner domain to its server; the client hears a non-authoritative answer', () => {
    const { net, ns2, pc } = lab();
    const out = typed(net, pc.openConsole(), 'nslookup app.partner.example.');
    expect(out).toContain('Non-authoritative answer:\nName:    app.partner.example\nAddress:  192.0.2.80\n');
    expect(ns2.dnsServer?.counters.authoritative).toBe(1);
  });

  it('a name outside every zone with no forwarder is a server failure; a silent forwarder too, after its 3 s', () => {
    const { net, pc, dc } = lab();
    expect(typed(net, pc.openConsole(), 'nslookup www.example.org.')).toContain("can't find www.example.org.: Server failed");
    dc.dnsServer!.forwarders = [parseIpv4('10.0.0.99')];
    const con = pc.openConsole();
    // The PTR query for the server's own name waits out the forwarder first, then the query itself.
    expect(typed(net, con, 'nslookup www.example.org.', 4 * SECOND)).not.toContain('Server failed');
    net.runUntil(net.now + 3 * SECOND);
    expect(con.input('')).toContain('Server failed');
  });
});

describe('ping by name', () => {
  it('resolves with the primary suffix and prints the FQDN and address', () => {
    const { net, pc } = lab();
    const con = pc.openConsole();
    const out = typed(net, con, 'ping -n 1 web', 2 * SECOND);
    expect(out).toContain('\nPinging web.corp.contoso.com [10.0.0.20] with 32 bytes of data:\nReply from 10.0.0.20: bytes=32');
    expect(con.prompt()).toBe('C:\\Users\\User>');
  });

  it('an unknown name: Ping request could not find host', () => {
    const { net, pc } = lab();
    expect(typed(net, pc.openConsole(), 'ping nothere')).toBe('Ping request could not find host nothere. Please check the name and try again.\n\n');
  });

  it('with the DNS service stopped the client waits 10 s before giving up', () => {
    const { net, pc, dc } = lab();
    expect(dc.openConsole().input('net stop dns')).toBe('The DNS Server service is stopping.\nThe DNS Server service was stopped successfully.\n\n');
    const con = pc.openConsole();
    expect(typed(net, con, 'ping web', 9 * SECOND)).toBe('');
    net.runUntil(net.now + 2 * SECOND);
    expect(con.input('')).toContain('could not find host web');
  });
});

describe('the resolver cache at the prompt', () => {
  it('/displaydns shows the answer with its TTL counting down; deleting the zone takes effect only when the TTL runs out', () => {
    const { net, pc, dc } = lab();
    const con = pc.openConsole();
    const dcon = dc.openConsole();
    typed(net, con, 'ping -n 1 web', 2 * SECOND);
    net.runUntil(net.now + 10 * SECOND);
    const shown = con.input('ipconfig /displaydns');
    expect(shown).toContain('    web.corp.contoso.com\n    ----------------------------------------\n    Record Name . . . . . : web.corp.contoso.com\n    Record Type . . . . . : 1\n');
    // 120 s from the answer at about 5 s, read 12 s later.
    expect(shown).toContain('    Time To Live  . . . . : 109\n');
    expect(dcon.input('dnscmd /zonedelete corp.contoso.com /f')).toContain('deleted zone corp.contoso.com');
    expect(typed(net, con, 'ping -n 1 web', 2 * SECOND)).toContain('Pinging web.corp.contoso.com [10.0.0.20]');
    net.runUntil(net.now + 120 * SECOND);
    expect(typed(net, con, 'ping -n 1 web')).toContain('could not find host web');
    // The zone file stayed in the dns folder: the zone comes back from it.
    expect(dcon.input('dnscmd /zoneadd corp.contoso.com /primary /file corp.contoso.com.dns /load')).toContain('created zone corp.contoso.com');
    expect(con.input('ipconfig /flushdns')).toBe('\nWindows IP Configuration\n\nSuccessfully flushed the DNS Resolver Cache.\n\n');
    expect(typed(net, con, 'ping -n 1 web', 2 * SECOND)).toContain('Pinging web.corp.contoso.com [10.0.0.20]');
  });
});

describe('dynamic update', () => {
  it('None (the default of a standard primary) refuses ipconfig /registerdns', () => {
    const { net, pc, dc } = lab();
    const before = dc.dnsServer?.counters.refused ?? 0;
    const out = pc.openConsole().input('ipconfig /registerdns');
    expect(out).toContain('Registration of the DNS resource records for all adapters of this computer has been initiated.');
    net.runUntil(net.now + 2 * SECOND);
    expect(pc.dns.registrations.at(-1)).toMatchObject({ name: 'pc1.corp.contoso.com', result: 'refused' });
    expect(dc.dnsServer?.counters.refused).toBe(before + 1);
  });

  it('a host registers by itself once its address is usable, with the primary server named in the SOA', () => {
    const { pc, dc } = lab({ dc: { dnsDynamicUpdate: 'NonsecureAndSecure' } });
    // Nobody typed ipconfig /registerdns: the address passed duplicate detection and the client registered.
    expect(pc.dns.registrations).toEqual([expect.objectContaining({ name: 'pc1.corp.contoso.com', ips: [parseIpv4('10.0.0.21')], server: parseIpv4('10.0.0.10'), to: 'soa-mname', result: 'registered' })]);
    expect(dc.openConsole().input('dnscmd /zoneprint corp.contoso.com')).toMatch(/\npc1 +1200 A {6}10\.0\.0\.21\n/);
  });

  it('registers again when the address changes, replacing the old record', () => {
    const { net, pc, dc } = lab({ dc: { dnsDynamicUpdate: 'NonsecureAndSecure' } });
    pc.removeAddress('eth0', parseIpv4('10.0.0.21'));
    pc.addAddress('eth0', parseIpv4('10.0.0.42'), 24);
    net.runUntil(net.now + 5 * SECOND);
    expect(pc.dns.registrations.at(-1)).toMatchObject({ ips: [parseIpv4('10.0.0.42')], result: 'registered' });
    const print = dc.openConsole().input('dnscmd /zoneprint corp.contoso.com');
    expect(print).toMatch(/\npc1 +1200 A {6}10\.0\.0\.42\n/);
    expect(print).not.toContain('10.0.0.21');
  });

  it('sends the update to the primary named in the SOA, not to the server it asked; to that server when MNAME does not resolve', () => {
    // pc1 asks dc1, which forwards partner.example to ns2; the zone's SOA names ns (ns2) as primary.
    const { pc } = lab({ pc: { dnsSuffix: 'partner.example' } });
    expect(pc.dns.registrations.at(-1)).toMatchObject({ name: 'pc1.partner.example', server: parseIpv4('10.0.0.30'), to: 'soa-mname', result: 'refused' });
    const other = lab({ pc: { dnsSuffix: 'partner.example' } });
    const zone = other.ns2.dnsServer?.zones.get('partner.example');
    if (zone === undefined) throw new Error('no zone');
    zone.records = zone.records.filter((r) => r.name !== 'ns.partner.example');
    other.pc.dns.flush();
    other.pc.openConsole().input('ipconfig /registerdns');
    other.net.runUntil(other.net.now + 2 * SECOND);
    // dc1 is not authoritative for partner.example and says so.
    expect(other.pc.dns.registrations.at(-1)).toMatchObject({ server: parseIpv4('10.0.0.10'), to: 'answering-server', result: 'not-auth' });
  });

  it('dnsRegister off: no update is sent at start or on ipconfig /registerdns', () => {
    const { net, pc, dc } = lab({ dc: { dnsDynamicUpdate: 'NonsecureAndSecure' }, pc: { dnsRegister: false } });
    pc.openConsole().input('ipconfig /registerdns');
    net.runUntil(net.now + 2 * SECOND);
    expect(pc.dns.registrations).toEqual([]);
    expect(dc.openConsole().input('dnscmd /zoneprint corp.contoso.com')).not.toContain('pc1');
  });

  it('NonsecureAndSecure takes the A record, replacing the old address, and the zone file gets it at net stop dns', () => {
    const { net, pc, dc } = lab({ dc: { dnsDynamicUpdate: 'NonsecureAndSecure' } });
    const dcon = dc.openConsole();
    dcon.input('dnscmd /recordadd corp.contoso.com pc1 A 10.0.0.99');
    pc.openConsole().input('ipconfig /registerdns');
    net.runUntil(net.now + 2 * SECOND);
    expect(pc.dns.registrations.at(-1)?.result).toBe('registered');
    const print = dcon.input('dnscmd /zoneprint corp.contoso.com');
    expect(print).toMatch(/\npc1 +1200 A {6}10\.0\.0\.21\n/);
    expect(print).not.toContain('10.0.0.99');
    dcon.input('net stop dns');
    expect(dc.dnsServer?.files.get('corp.contoso.com.dns')).toContain('10.0.0.21');
    expect(dcon.input('net start dns')).toContain('was started successfully');
    let got: number[] = [];
    dc.dns.resolve('pc1', TYPE_A, (r) => {
      if (r.kind === 'answer') got = r.records.map((x) => x.data as number);
    });
    net.runUntil(net.now + 1 * SECOND);
    expect(got).toEqual([parseIpv4('10.0.0.21')]);
  });

  it('Secure needs Active Directory, which is not modelled: the update is refused', () => {
    const { net, pc } = lab({ dc: { dnsDynamicUpdate: 'Secure' } });
    pc.openConsole().input('ipconfig /registerdns');
    net.runUntil(net.now + 2 * SECOND);
    expect(pc.dns.registrations.at(-1)?.result).toBe('refused');
  });
});

describe('round robin', () => {
  /** farm has two A records, web's and ns2's addresses, added in that order. */
  function farm(o: { dc?: Settings } = {}) {
    const l = lab(o);
    const dcon = l.dc.openConsole();
    dcon.input('dnscmd /recordadd corp.contoso.com farm A 10.0.0.20');
    dcon.input('dnscmd /recordadd corp.contoso.com farm A 10.0.0.30');
    return { ...l, dcon };
  }

  it('is on by default: each answer rotates the addresses, and each client pings the first it got', () => {
    const { net, pc, dc } = farm();
    expect(typed(net, pc.openConsole(), 'ping -n 1 farm')).toContain('Pinging farm.corp.contoso.com [10.0.0.20] with 32 bytes of data:');
    expect(typed(net, dc.openConsole(), 'ping -n 1 farm')).toContain('Pinging farm.corp.contoso.com [10.0.0.30] with 32 bytes of data:');
    // pc1 keeps its cached order until the TTL runs out, whatever the server answers others.
    expect(typed(net, pc.openConsole(), 'ping -n 1 farm')).toContain('[10.0.0.20]');
    const ns = typed(net, pc.openConsole(), 'nslookup farm');
    expect(ns).toContain('Addresses:  10.0.0.20\n          10.0.0.30\n');
    expect(typed(net, pc.openConsole(), 'nslookup farm')).toContain('Addresses:  10.0.0.30\n          10.0.0.20\n');
  });

  it('dnsRoundRobin off, or dnscmd /config /roundrobin 0: every client gets the zone order and the first address', () => {
    const off = farm({ dc: { dnsRoundRobin: false } });
    expect(typed(off.net, off.pc.openConsole(), 'ping -n 1 farm')).toContain('[10.0.0.20]');
    expect(typed(off.net, off.dc.openConsole(), 'ping -n 1 farm')).toContain('[10.0.0.20]');
    const cmd = farm();
    expect(cmd.dcon.input('dnscmd /config /roundrobin 0')).toBe('Registry property roundrobin successfully reset.\nCommand completed successfully.\n\n');
    expect(typed(cmd.net, cmd.pc.openConsole(), 'ping -n 1 farm')).toContain('[10.0.0.20]');
    expect(typed(cmd.net, cmd.dc.openConsole(), 'ping -n 1 farm')).toContain('[10.0.0.20]');
  });
});

describe('dnscmd', () => {
  it('/enumzones lists the zones; /zoneadd without /load writes a new zone file with this server as SOA and NS', () => {
    const { dc } = lab();
    const con = dc.openConsole();
    expect(con.input('dnscmd /enumzones')).toContain(' corp.contoso.com               Primary    File            \n');
    expect(con.input('dnscmd . /zoneadd lab.test /primary /file lab.test.dns')).toBe('DNS Server dc1.corp.contoso.com created zone lab.test:\n\nCommand completed successfully.\n\n');
    expect(con.input('dnscmd /zoneprint lab.test')).toMatch(/@ +3600 NS {5}dc1\.corp\.contoso\.com\.\n/);
    expect(con.input('dnscmd /zoneadd lab.test /primary')).toContain('Command failed:  DNS_ERROR_ZONE_ALREADY_EXISTS     9609');
    expect(con.input('dnscmd /zoneprint nope.test')).toContain('DNS_ERROR_ZONE_DOES_NOT_EXIST');
    expect(con.input('dnscmd /recordadd lab.test app 300 A 10.0.0.77')).toBe('Add A Record for app.lab.test at lab.test\nCommand completed successfully.\n\n');
    con.input('net stop dns');
    expect(con.input('dnscmd /enumzones')).toContain('RPC_S_SERVER_UNAVAILABLE');
  });

  it('a PC with no DNS server configured: nslookup says the default servers are not available', () => {
    const { web } = lab();
    expect(web.openConsole().input('nslookup web')).toContain('*** Default servers are not available');
  });
});
