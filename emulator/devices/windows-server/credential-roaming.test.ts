import { describe, expect, it } from 'vitest';
import { Network } from '../../core/network.ts';
import { SECOND } from '../../core/time.ts';
import type { Settings } from '../kind.ts';
import { GenericSwitch } from '../l2-switch/device.ts';
import { ClientPc } from '../pc/device.ts';
import { GP_REFRESH_NS } from './credential-roaming-client.ts';
import { ATTR_TIMESTAMP, userDn } from './credential-roaming.ts';
import { WindowsServer } from './device.ts';
import { connect } from './test-support/lab.ts';

const HOUR = 3600 * SECOND;

/** DC1 of corp.example (with alice and bob), and two member PCs, on one switch. */
function lab(dc: Settings = {}, dc2Settings: Settings | null = null) {
  const net = new Network(5);
  const sw = new GenericSwitch(net, 'sw1', { ports: 4 }, undefined);
  const dc1 = new WindowsServer(net, 'DC1', { ip: '10.0.0.11/24', dns: '10.0.0.11', dnsSuffix: 'corp.example', adDomain: 'corp.example', adUsers: 'alice, bob', ...dc });
  const member: Settings = { domain: 'corp.example', dc: '10.0.0.11' };
  const pc1 = new ClientPc(net, 'pc1', { ip: '10.0.0.21/24', ...member });
  const pc2 = new ClientPc(net, 'pc2', { ip: '10.0.0.22/24', ...member });
  const dc2 = dc2Settings === null ? null : new WindowsServer(net, 'DC2', { ip: '10.0.0.12/24', dns: '10.0.0.11', dnsSuffix: 'corp.example', adDomain: 'corp.example', adUsers: 'alice, bob', ...dc2Settings });
  [dc1, pc1, pc2, ...(dc2 === null ? [] : [dc2])].forEach((d, i) => connect(net, d.ports[0], sw.ports[i]));
  net.runUntil(5 * SECOND);
  const c1 = pc1.openConsole();
  const c2 = pc2.openConsole();
  const run = (con: { input(l: string): string }, line: string, wait = 5 * SECOND): string => {
    const out = con.input(line);
    net.runUntil(net.now + wait);
    return out;
  };
  return { net, sw, dc1, dc2, pc1, pc2, c1, c2, run };
}

describe('Credential Roaming', () => {
  it('with the policy off, a certificate enrolled on one PC is not on the other', () => {
    const { c1, c2, run, pc1, dc1 } = lab();
    run(c1, 'logon alice');
    expect(run(c1, 'certreq -enroll -user User')).toMatch(/Certificate retrieved\(Issued\) Issued/);
    expect(run(c1, 'certutil -user -store My')).toMatch(/Subject: CN=alice, CN=Users, DC=corp, DC=example/);
    run(c2, 'logon alice');
    expect(run(c2, 'certutil -user -store My')).not.toMatch(/Certificate 0/);
    expect(pc1.roaming?.syncs.map((s) => s.outcome)).toEqual(['policy-off', 'policy-off']);
    expect(dc1.dc?.nc.get(userDn(dc1.dc.nc.dn, 'alice'), ATTR_TIMESTAMP)).toBeUndefined();
  });

  it('with the policy on, enrollment uploads the store (first use) and logon on the other PC brings the same certificate down', () => {
    const { c1, c2, run, pc1, pc2, dc1 } = lab({ credentialRoaming: true });
    run(c1, 'logon alice');
    run(c1, 'certreq -enroll -user User');
    expect(dc1.dc?.nc.get(userDn(dc1.dc.nc.dn, 'alice'), ATTR_TIMESTAMP)).toBeDefined();
    run(c2, 'logon alice');
    const thumb = pc1.roaming?.store('alice').certificates[0]?.thumbprint ?? 'none';
    expect(pc2.roaming?.store('alice').certificates.map((c) => c.thumbprint)).toEqual([thumb]);
    expect(run(c2, 'certutil -user -store My')).toContain(`Cert Hash(sha1): ${thumb.match(/../g)?.join(' ')}`);
    expect(pc2.roaming?.syncs.at(-1)?.outcome).toBe('downloaded');
  });

  it('the newer side wins: a certificate enrolled on the second PC reaches the first at its next pulse', () => {
    const { c1, c2, run, pc1 } = lab({ credentialRoaming: true });
    run(c1, 'logon alice');
    run(c1, 'certreq -enroll -user User');
    run(c2, 'logon alice');
    run(c2, 'certreq -enroll -user EFS');
    expect(pc1.roaming?.store('alice').certificates.length).toBe(1);
    expect(run(c1, 'certutil -user -pulse')).toMatch(/-pulse command completed successfully/);
    expect(pc1.roaming?.store('alice').certificates.map((c) => c.template)).toEqual(['User', 'EFS']);
  });

  it('another user roams nothing of alice, and a local account never roams', () => {
    const { c1, c2, run } = lab({ credentialRoaming: true });
    run(c1, 'logon alice');
    run(c1, 'certreq -enroll -user User');
    run(c2, 'logon bob');
    expect(run(c2, 'certutil -user -store My')).not.toMatch(/Certificate 0/);
    run(c2, 'logoff');
    expect(run(c2, 'whoami')).toBe('pc2\\user\n\n');
    expect(run(c2, 'certutil -user -store My')).not.toMatch(/Certificate 0/);
  });

  it('a DC that cannot be reached at logon means no sync, until a later trigger reaches it', () => {
    const { net, c1, c2, run, pc2, sw } = lab({ credentialRoaming: true });
    run(c1, 'logon alice');
    run(c1, 'certreq -enroll -user User');
    sw.ports[2].setAdmin(false);
    run(c2, 'logon alice', 60 * SECOND);
    expect(pc2.roaming?.syncs.at(-1)?.outcome).toBe('unreachable');
    expect(pc2.roaming?.store('alice').certificates).toEqual([]);
    sw.ports[2].setAdmin(true);
    net.runUntil(net.now + 10 * SECOND);
    run(c2, 'lock');
    run(c2, 'unlock');
    expect(pc2.roaming?.syncs.at(-1)).toMatchObject({ trigger: 'unlock', outcome: 'downloaded' });
  });

  it('Group Policy refresh syncs every 8 hours while the user is logged on', () => {
    const { net, c1, run, pc1 } = lab({ credentialRoaming: true });
    run(c1, 'logon alice');
    net.runUntil(net.now + 2 * GP_REFRESH_NS + HOUR);
    expect(pc1.roaming?.syncs.map((s) => s.trigger)).toEqual(['logon', 'gp-refresh', 'gp-refresh']);
    run(c1, 'logoff');
    net.runUntil(net.now + GP_REFRESH_NS + HOUR);
    expect(pc1.roaming?.syncs.map((s) => s.trigger)).toEqual(['logon', 'gp-refresh', 'gp-refresh', 'logoff']);
  });

  it('turning the GPO on later makes the next trigger upload', () => {
    const { c1, run, dc1, pc1 } = lab();
    run(c1, 'logon alice');
    run(c1, 'certreq -enroll -user User');
    dc1.applySetting('credentialRoaming', true);
    run(c1, 'certutil -user -pulse');
    expect(pc1.roaming?.syncs.at(-1)?.outcome).toBe('uploaded');
  });

  it('the roaming attributes and the GPO replicate to a second DC like any attribute', () => {
    const zones = [
      '$ORIGIN corp.example.', '$TTL 3600', '@ IN SOA dc1.corp.example. hostmaster.corp.example. ( 1 900 600 86400 60 )', '@ NS dc1', 'dc1 A 10.0.0.11',
      '$ORIGIN _msdcs.corp.example.', '$TTL 3600', '@ IN SOA dc1.corp.example. hostmaster.corp.example. ( 1 900 600 86400 60 )', '@ NS dc1.corp.example.', '',
    ].join('\n');
    const ad: Settings = { dnsServer: true, dnsZoneFiles: zones, adIntegratedZones: 'corp.example,_msdcs.corp.example', credentialRoaming: true };
    const { net, c1, run, dc2 } = lab(ad, { ...ad, credentialRoaming: false });
    net.runUntil(net.now + 30 * SECOND);
    expect(dc2?.roamingDirectory?.policyEnabled()).toBe(true);
    run(c1, 'logon alice');
    run(c1, 'certreq -enroll -user User');
    net.runUntil(net.now + 30 * SECOND);
    expect(dc2?.roamingDirectory?.read('alice')?.certificates.map((c) => c.template)).toEqual(['User']);
  });
});
