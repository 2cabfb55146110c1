import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { editScenario, failures, replaceAll } from './test-support/lab-variants.ts';
import { runScenario } from './test-support/run-scenario.ts';

/**
 * The shipped MPLS VPN lab: with one RD on both PEs of the dual-homed site the reflector passes
 * on one path and a PE-CE failure costs an outage until an import scan; with a unique RD per PE
 * and eiBGP multipath the remote PE holds both paths, shares the load and loses nothing.
 */
const LAB = fs.readFileSync(path.resolve(import.meta.dirname, '../../labs/mpls-vpn-rr.lab.yaml'), 'utf8');

function cli(run: ReturnType<typeof runScenario>['run'], device: string, command: string): string {
  run.consoleInput(device, 'enable');
  run.consoleInput(device, 'terminal length 0');
  return run.consoleInput(device, command).output;
}

function lost(report: ReturnType<typeof runScenario>['report'], id: string): number {
  return report.flows.find((f) => f.id === id)?.lost ?? -1;
}

const NO_FAILURE = (b: string): string => b.replace('      - { at: 60s, do: link-down, link: "pe1:Gi0/0", note: "the pe1-ce1 link fails" }\n', '      - { at: 60s, do: cli, on: pe1, run: [enable], note: "nothing fails" }\n');

describe('MPLS VPN with a route reflector: the shipped scenarios', () => {
  it('hold every expectation as shipped', () => {
    expect(failures(LAB, 'same-rd')).toEqual([]);
    expect(failures(LAB, 'unique-rd')).toEqual([]);
  });

  it('same RD: the reflector has two paths for one NLRI and the remote PE one, pushed under two labels', () => {
    const { run, report } = runScenario(editScenario(LAB, 'same-rd', NO_FAILURE), 'same-rd');
    expect(lost(report, 'to-server1')).toBe(0);
    const rr = cli(run, 'rr', 'show ip bgp vpnv4 all');
    expect(rr).toMatch(/^Route Distinguisher: 65001:1\n \*>i 192\.168\.1\.0 +10\.0\.0\.1 +0 +100 +0 65010 i\n \* i +10\.0\.0\.2 +0 +100 +0 65010 i\nRoute Distinguisher: 65001:3\n/m);
    const pe3 = cli(run, 'pe3', 'show ip bgp vpnv4 all');
    expect(pe3.match(/192\.168\.1\.0/g)?.length).toBe(2);
    expect(pe3).toContain('Route Distinguisher: 65001:3 (default for vrf CUST)\n *>  10.2.2.0/24      10.2.23.2                0             0 65020 i\n');
    expect(cli(run, 'pe3', 'show ip cef vrf CUST 192.168.1.0/24')).toBe('192.168.1.0/24\n  nexthop 10.0.35.2 GigabitEthernet0/1 label [16|16]\nPE3#');
    // PHP: P pops the transport label toward each PE loopback, which advertised implicit null.
    // pe2 carries none of it: the reflector never told pe3 of its path.
    const lfib = cli(run, 'p', 'show mpls forwarding-table');
    expect(lfib).toMatch(/^16 +Pop Label +10\.0\.0\.1\/32 +[1-9]\d* +Gi0\/0 +10\.0\.15\.1$/m);
    expect(lfib).toMatch(/^17 +Pop Label +10\.0\.0\.2\/32 +0 +Gi0\/1 +10\.0\.25\.1$/m);
  });

  it('unique RD: both paths reflected and installed, and the two servers\' flows take different PEs', () => {
    const { run } = runScenario(editScenario(LAB, 'unique-rd', NO_FAILURE), 'unique-rd');
    const rr = cli(run, 'rr', 'show ip bgp vpnv4 all');
    expect(rr).toContain('Route Distinguisher: 65001:1\n');
    expect(rr).toContain('Route Distinguisher: 65001:2\n');
    const p = cli(run, 'p', 'show mpls forwarding-table');
    const bytes = (label: string): number => Number(new RegExp(`^${label} +Pop Label +\\S+ +(\\d+)`, 'm').exec(p)?.[1] ?? '0');
    expect(bytes('16')).toBeGreaterThan(10000);
    expect(bytes('17')).toBeGreaterThan(10000);
  });

  it('shows both label stacks in CEF while both paths are there', () => {
    const { run } = runScenario(editScenario(LAB, 'unique-rd', NO_FAILURE), 'unique-rd');
    expect(cli(run, 'pe3', 'show ip cef vrf CUST 192.168.1.10')).toBe('192.168.1.0/24\n  per-destination sharing\n  nexthop 10.0.35.2 GigabitEthernet0/1 label [16|16]\n  nexthop 10.0.35.2 GigabitEthernet0/1 label [17|16]\nPE3#');
    expect(cli(run, 'pe3', 'show ip route vrf CUST')).toMatch(/^B {5}192\.168\.1\.0\/24 \[20\/0\] via 10\.0\.0\.\d, \d\d:\d\d:\d\d\n {21}\[20\/0\] via 10\.0\.0\.\d, /m);
  });
});

describe('MPLS VPN with a route reflector: variants', () => {
  it('the same RD with multipath on pe3 still has one path to share and still loses pings', () => {
    const text = editScenario(LAB, 'unique-rd', (b) => b.replace(/ {6}- \{ at: 1s, do: cli, on: pe2, [^\n]*\n/, ''));
    const { report } = runScenario(text, 'unique-rd');
    expect(lost(report, 'to-server1')).toBeGreaterThan(4);
    expect(lost(report, 'to-server2')).toBeGreaterThan(4);
  });

  it('a unique RD alone, without multipath, already saves the flows: pe1 holds pe2\'s path as a backup', () => {
    const text = replaceAll(LAB, [['      hostname PE2\n      vrf definition CUST\n       rd 65001:1\n', '      hostname PE2\n      vrf definition CUST\n       rd 65001:2\n']]);
    const { report, run } = runScenario(text, 'same-rd');
    expect(lost(report, 'to-server1')).toBe(0);
    expect(lost(report, 'to-server2')).toBe(0);
    expect(cli(run, 'pe3', 'show ip cef vrf CUST 192.168.1.0/24')).not.toContain('per-destination sharing');
  });

  it('without mpls ip on P\'s link to pe3 there is no label toward the PEs and nothing gets through', () => {
    const text = replaceAll(LAB, [['       description to pe3\n       ip address 10.0.35.2 255.255.255.252\n       mpls ip\n', '       description to pe3\n       ip address 10.0.35.2 255.255.255.252\n']]);
    const { report, run } = runScenario(text, 'unique-rd');
    expect(report.flows.find((f) => f.id === 'to-server1')?.answered).toBe(0);
    expect(cli(run, 'pe3', 'show ip cef vrf CUST 192.168.1.0/24')).toMatch(/unresolved \(no label to 10\.0\.0\.[12]\)/);
  });
});
