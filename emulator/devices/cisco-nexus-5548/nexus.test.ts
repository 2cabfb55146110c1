import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliSession } from '../../cli/session.ts';
import { SECOND } from '../../core/time.ts';
import { parseLab } from '../../lab/parse.ts';
import { createLabNetworkRun, type LabNetworkRun } from '../../run/lab-run.ts';
import { HypervHost } from '../hyperv-host/host.ts';
import { checkNexusConfig, NexusSwitch } from './index.ts';
import { vpcSystemMac } from './vpc.ts';

const LAB = fs.readFileSync(path.resolve(import.meta.dirname, '../../../labs/nexus-vpc-teaming.lab.yaml'), 'utf8');

/** The shipped lab's devices and links without its scenarios, run for `seconds`. */
function start(text = LAB, seconds = 5): LabNetworkRun {
  const parsed = parseLab('lab.yaml', text);
  if (!parsed.ok) throw new Error(parsed.errors.map((e) => e.message).join('\n'));
  const run = createLabNetworkRun(parsed.lab, { seed: 1, forNs: 60 * SECOND });
  run.advance(seconds * SECOND);
  return run;
}

function consoleOf(run: LabNetworkRun, device: string): CliSession {
  const c = run.openScenarioConsole(device);
  if (c === null) throw new Error(`${device} has no console`);
  c.input('terminal length 0');
  return c;
}

function team(run: LabNetworkRun) {
  const hv = run.net.node('hv1');
  if (!(hv instanceof HypervHost) || hv.team === null) throw new Error('hv1 has no team');
  return hv.team.memberViews();
}

describe('Nexus 5548 NX-OS console', () => {
  it('starts in exec at switch#, enters config modes with NX-OS prompts and accepts abbreviations', () => {
    const run = start();
    const c = consoleOf(run, 'n5k-1');
    expect(c.prompt()).toBe('n5k-1#');
    c.input('conf t');
    expect(c.prompt()).toBe('n5k-1(config)#');
    c.input('vpc domain 10');
    expect(c.prompt()).toBe('n5k-1(config-vpc-domain)#');
    c.input('int po20');
    expect(c.prompt()).toBe('n5k-1(config-if)#');
    expect(c.input('vpc ?')).toMatch(/<1-4096> +vPC number\n +peer-link/);
    c.input('end');
    expect(c.input('sh port-ch sum')).toContain('Po20(SU)');
  });

  it('prints show vpc brief, show fex and show interface brief in NX-OS shapes', () => {
    const c = consoleOf(start(), 'n5k-2');
    const vpc = c.input('show vpc brief');
    expect(vpc).toMatch(/vPC domain id +: 10\nPeer status +: peer adjacency formed ok\nvPC keep-alive status +: peer is alive/);
    expect(vpc).toMatch(/vPC role +: secondary/);
    expect(vpc).toMatch(/1 +Po1 +up +1,10/);
    expect(vpc).toMatch(/20 +Po20 +up +success +success +10/);
    expect(c.input('show fex')).toMatch(/102 +FEX0102 +Online +N2K-C2248TP-1GE/);
    const brief = c.input('show interface brief');
    expect(brief).toMatch(/Eth1\/1 +1 +eth +fabric +up +none +10G\(D\) +--/);
    expect(brief).toMatch(/Eth102\/1\/1 +10 +eth +access +up +none +1000\(D\) +20/);
    expect(brief).toMatch(/Po1 +1 +eth +trunk +up/);
    expect(brief).toMatch(/mgmt0 +-- +up +10\.0\.0\.2/);
  });

  it('refuses vPC and LACP commands until their feature is enabled', () => {
    const issues = checkNexusConfig('cisco-nexus-5548', 'vpc domain 10\ninterface Ethernet1/1\n  channel-group 1 mode active\nfeature lacp\ninterface Ethernet1/2\n  channel-group 2 mode active\n');
    expect(issues.map((i) => i.line)).toEqual([1, 3]);
  });

  it('keeps FEX host ports down while the FEX is offline', () => {
    const text = LAB.replace('  - { a: "n5k-1:Ethernet1/1", b: "fex101:Fabric1" }\n', '');
    const c = consoleOf(start(text), 'n5k-1');
    expect(c.input('show fex')).toMatch(/101 +FEX0101 +Offline/);
    expect(c.input('show interface brief')).toMatch(/Eth101\/1\/1 +10 +eth +access +down +Fex not online/);
  });
});

describe('vPC towards a server LACP team', () => {
  it('presents the vPC system MAC on both peers, so the team bundles a member to each', () => {
    const members = team(start());
    expect(members.map((m) => m.operationalStatus)).toEqual(['Active', 'Active']);
    expect(members.map((m) => m.lacpPartner)).toEqual([vpcSystemMac(10), vpcSystemMac(10)]);
  });

  it('without vpc 20 on one peer that peer shows its own system MAC and the team suspends the member to it', () => {
    const run = start(LAB.replace('      interface port-channel20\n        vpc 20\n      interface Ethernet102/1/10', '      interface Ethernet102/1/10'));
    const n5k2 = run.net.node('n5k-2') as NexusSwitch;
    const members = team(run);
    const byPartner = new Map(members.map((m) => [m.lacpPartner, m]));
    // Which member the team kept is whichever partner it heard first; the other one is out.
    expect(members.filter((m) => m.operationalStatus === 'Active')).toHaveLength(1);
    expect(new Set(members.map((m) => m.lacpPartner))).toEqual(new Set([vpcSystemMac(10), n5k2.systemMac]));
    const suspended = members.find((m) => m.operationalStatus !== 'Active')!;
    const onSwitch = suspended.name === 'NIC2' ? 'n5k-2' : 'n5k-1';
    const port = suspended.name === 'NIC2' ? 'Eth102/1/1' : 'Eth101/1/1';
    expect(consoleOf(run, onSwitch).input('show port-channel summary')).toContain(`${port}(s)`);
    expect(byPartner.size).toBe(2);
  });

  it('installs a MAC learnt on a vPC on the peer, pointing at its own vPC rather than the peer-link', () => {
    const run = start();
    const hv1 = run.net.node('hv1')!;
    const X = 0x02000000beef;
    // One frame from a new address on NIC1 only: n5k-1 learns it on Po20 and floods it over the
    // peer-link, where n5k-2 would learn it on Po1; CFS sync puts it on n5k-2's own Po20.
    const f = run.net.pool.alloc();
    f.src = X;
    f.dst = 0xffffffffffff;
    f.etherType = 0x0800;
    f.size = 64;
    hv1.portByName('NIC1')!.send(f);
    run.advance(6 * SECOND);
    const rows = (device: string) => consoleOf(run, device).input('show mac address-table address 0200.0000.beef').split('\n').filter((l) => l.includes('0200.0000.beef'));
    expect(rows('n5k-1')).toEqual([expect.stringMatching(/^\* 10 +0200\.0000\.beef +dynamic .* Po20$/)]);
    expect(rows('n5k-2')).toEqual([expect.stringMatching(/^\* 10 +0200\.0000\.beef +dynamic .* Po20$/)]);
  });

  it('lets peer-link traffic out of a vPC only while its twin on the peer is down', () => {
    const run = start();
    const n5k1 = run.net.node('n5k-1') as NexusSwitch;
    const po20 = n5k1.bridgePortOf('port-channel20');
    const po1 = n5k1.bridgePortOf('port-channel1');
    expect(po20.blockFrom).toBe(po1.index);
    run.net.node('hv1')!.portByName('NIC2')!.link!.setUp(false);
    run.advance(6 * SECOND);
    expect(po20.blockFrom).toBe(-2);
  });
});
