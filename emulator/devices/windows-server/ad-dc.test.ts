import { describe, expect, it } from 'vitest';
import { Network } from '../../core/network.ts';
import { SECOND } from '../../core/time.ts';
import type { Settings } from '../kind.ts';
import { GenericSwitch } from '../l2-switch/device.ts';
import { WindowsServer } from './device.ts';
import { deltaText } from './repadmin.ts';
import { connect } from './test-support/lab.ts';

const ZONES = `$ORIGIN corp.example.
$TTL 3600
@   IN  SOA dc1.corp.example.  hostmaster.corp.example. ( 1 900 600 86400 60 )
@        NS     dc1
dc1      A      10.0.0.11
$ORIGIN _msdcs.corp.example.
$TTL 3600
@   IN  SOA dc1.corp.example.  hostmaster.corp.example. ( 1 900 600 86400 60 )
@        NS     dc1.corp.example.
`;

/** Two DCs of corp.example on one switch, both using DC1's DNS. */
function lab(o: { dc1?: Settings; dc2?: Settings } = {}) {
  const net = new Network(3);
  const sw = new GenericSwitch(net, 'sw1', { ports: 4 }, undefined);
  const common: Settings = { dns: '10.0.0.11', dnsSuffix: 'corp.example', adDomain: 'corp.example', dnsServer: true, dnsZoneFiles: ZONES, adIntegratedZones: 'corp.example,_msdcs.corp.example' };
  const dc1 = new WindowsServer(net, 'DC1', { ...common, ip: '10.0.0.11/24', ...o.dc1 });
  const dc2 = new WindowsServer(net, 'DC2', { ...common, ip: '10.0.0.12/24', ...o.dc2 });
  [dc1, dc2].forEach((d, i) => connect(net, d.ports[0], sw.ports[i]));
  return { net, dc1, dc2 };
}

function typed(net: Network, con: { input(l: string): string }, line: string, wait = 5 * SECOND): string {
  let out = con.input(line);
  net.runUntil(net.now + wait);
  out += con.input('');
  return out;
}

describe('the domain controller role', () => {
  it('registers the DC records with Netlogon, accepted as secure updates into the AD-integrated zones', () => {
    const { net, dc1, dc2 } = lab();
    net.runUntil(10 * SECOND);
    const msdcs = dc1.dnsServer?.zones.get('_msdcs.corp.example');
    const cname = msdcs?.records.find((r) => r.name === `${dc2.dc?.dsaGuid}._msdcs.corp.example`);
    expect(cname?.data).toBe('dc2.corp.example');
    expect(dc2.netlogon?.registrations.every((r) => r.result === 'registered')).toBe(true);
  });

  it('replicates an originating change after the 15-second change notification, and then nothing more', () => {
    const { net, dc1, dc2 } = lab();
    net.runUntil(60 * SECOND);
    const before = dc2.dc?.counters.valuesReceived ?? 0;
    dc1.dc?.write('CN=Printer,DC=corp,DC=example', 'description', 'third floor');
    net.runUntil(net.now + 14 * SECOND);
    expect(dc2.dc?.nc.get('CN=Printer,DC=corp,DC=example', 'description')).toBeUndefined();
    net.runUntil(net.now + 3 * SECOND);
    expect(dc2.dc?.nc.get('CN=Printer,DC=corp,DC=example', 'description')).toBe('third floor');
    expect((dc2.dc?.counters.valuesReceived ?? 0) - before).toBe(1);
  });

  it('carries the AD-integrated zones: a record DC2 is told about appears in DC1 DNS through replication', () => {
    const { net, dc1, dc2 } = lab();
    net.runUntil(60 * SECOND);
    const con = dc2.openConsole();
    expect(con.input('dnscmd /recordadd corp.example app A 10.0.0.50')).toContain('Command completed successfully.');
    net.runUntil(net.now + 20 * SECOND);
    expect(dc1.dnsServer?.zones.get('corp.example')?.records.some((r) => r.name === 'app.corp.example' && r.data === 0x0a000032)).toBe(true);
  });

  it('fails with 8524 when the partner name does not resolve, and shows it in repadmin', () => {
    // DC2 asks a DNS server that does not hold the _msdcs zone.
    const { net, dc2 } = lab({ dc2: { dns: '10.0.0.12', adIntegratedZones: '', dnsZoneFiles: '' } });
    net.runUntil(60 * SECOND);
    const con = dc2.openConsole();
    const sync = typed(net, con, 'repadmin /syncall /AeS');
    expect(sync).toContain('Error issuing replication: 8524 (0x214c):\n    The DSA operation is unable to proceed because of a DNS lookup failure.\n');
    const show = con.input('repadmin /showrepl');
    expect(show).toMatch(/Last attempt @ 2014-03-24 09:01:00 failed, result 8524 \(0x214c\):\n {12}The DSA operation is unable to proceed because of a DNS lookup failure\.\n {8}\d+ consecutive failure\(s\)\.\n {8}Last success @ \(never\)\./);
  });

  it('gives 1722 when the partner resolves but does not answer on the RPC port', () => {
    const { net, dc1, dc2 } = lab();
    net.runUntil(60 * SECOND);
    dc1.tcp.unlisten(135);
    const out = typed(net, dc2.openConsole(), 'repadmin /syncall', 5 * SECOND);
    expect(out).toContain('1722 (0x6ba):\n    The RPC server is unavailable.');
  });
});

describe('repadmin deltas', () => {
  it('prints the largest delta as replsummary does', () => {
    expect(deltaText(51 * SECOND)).toBe(':51s');
    expect(deltaText(368 * SECOND)).toBe('06m:08s');
    expect(deltaText(3 * 3600 * SECOND + 5 * SECOND)).toBe('03:00:05');
    expect(deltaText(null)).toBe('(unknown)');
  });
});

describe('dnscmd /zoneresettype', () => {
  it('moves a file zone into AD, where replication takes it to the other DC', () => {
    const { net, dc1, dc2 } = lab({ dc1: { adIntegratedZones: '', dnsDynamicUpdate: 'NonsecureAndSecure' }, dc2: { adIntegratedZones: '', dnsZoneFiles: '' } });
    net.runUntil(30 * SECOND);
    expect(dc2.dnsServer?.zones.has('corp.example')).toBe(false);
    const con = dc1.openConsole();
    expect(con.input('dnscmd /zoneresettype corp.example /dsprimary')).toBe('DNS Server dc1.corp.example reset type of zone corp.example:\nCommand completed successfully.\n\n');
    expect(con.input('dnscmd /enumzones')).toMatch(/ corp\.example\s+Primary\s+AD-Legacy/);
    net.runUntil(net.now + 20 * SECOND);
    expect(dc2.dnsServer?.zones.get('corp.example')?.adIntegrated).toBe(true);
    expect(dc2.dnsServer?.zones.get('corp.example')?.records.some((r) => r.name === 'dc1.corp.example')).toBe(true);
  });
});
