import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { editScenario, failures, replaceAll } from './test-support/lab-variants.ts';
import { runScenario } from './test-support/run-scenario.ts';

/**
 * The shipped RRAS RIP lab: a switch failure the router sees costs nothing, a NIC failure it
 * cannot see black-holes the flow hashed through it until RIP's invalid timer, and DNS round robin
 * strands the client that was given NIC1's address; shorter RIP timers on every speaker shrink the
 * silent failure to seconds.
 */
const LAB = fs.readFileSync(path.resolve(import.meta.dirname, '../../labs/windows-rip-loopback.lab.yaml'), 'utf8');

function lost(text: string, scenario: string, flow: string): number {
  return runScenario(text, scenario).report.flows.find((f) => f.id === flow)?.lost ?? -1;
}

describe('Windows RRAS RIP with a loopback: the shipped scenarios', () => {
  it('every scenario holds its expectations', () => {
    expect(failures(LAB, 'switch-fails')).toEqual([]);
    expect(failures(LAB, 'nic-fails-silently')).toEqual([]);
    expect(failures(LAB, 'dns-round-robin')).toEqual([]);
  });

  it('the silent failure costs the flow through r1 between 150 and 180 pings, and the other flow none', () => {
    const n = lost(LAB, 'nic-fails-silently', 'client1');
    expect(n).toBeGreaterThanOrEqual(150);
    expect(n).toBeLessThanOrEqual(181);
    expect(lost(LAB, 'nic-fails-silently', 'client2')).toBe(0);
  });

  it('the server answers netsh and route print with what RRAS learned', () => {
    const { run } = runScenario(LAB, 'switch-fails');
    const show = run.consoleInput('srv', 'netsh routing ip rip show interface').output;
    expect(show).toContain('RIP Interface Configuration for Ethernet 2');
    expect(show).toContain('RIP Interface Configuration for Loopback');
    expect(show).toMatch(/Expire +: 180\nRemove +: 120\nUpdate +: 30/);
    expect(run.consoleInput('srv', 'netsh routing ip rip show global').output).toContain('RIP Global Configuration');
    // sw1 is gone: every learned route leaves by NIC2, toward r2.
    expect(run.consoleInput('srv', 'route print').output).toMatch(/^ +10\.10\.0\.0 +255\.255\.255\.0 +10\.2\.0\.1 +10\.2\.0\.10 +268$/m);
  });
});

describe('Windows RRAS RIP with a loopback: variants', () => {
  it('timers basic 5 15 15 20 on the routers and update=5 expire=15 on the server shrink the silent failure to seconds', () => {
    let text = replaceAll(LAB, [['      router rip\n       version 2\n', '      router rip\n       version 2\n       timers basic 5 15 15 20\n']]);
    text = editScenario(text, 'nic-fails-silently', (b) =>
      b.replace(
        '    steps:\n',
        '    steps:\n      - { at: 1s, do: cli, on: srv, run: [\'netsh routing ip rip set interface name="Ethernet 2" update=5 expire=15 remove=5\'], note: "faster RRAS timers" }\n',
      ),
    );
    expect(failures(text, 'nic-fails-silently').map((f) => f.replace(/: .*/, ''))).toEqual([
      "client1's flow is black-holed for minutes",
      'r1 still believes the route a minute later',
      'r1 has marked it possibly down once the invalid timer ran out',
    ]);
    const n = lost(text, 'nic-fails-silently', 'client1');
    expect(n).toBeGreaterThanOrEqual(10);
    expect(n).toBeLessThanOrEqual(16);
    expect(lost(text, 'nic-fails-silently', 'client2')).toBe(0);
  });

  it("with round robin off on dc both clients are given NIC1's address first, and both lose the server with sw1", () => {
    const text = replaceAll(LAB, [['      dnsServer: true\n', '      dnsServer: true\n      dnsRoundRobin: false\n']]);
    expect(failures(text, 'dns-round-robin').map((f) => f.replace(/: .*/, ''))).toEqual([
      "client2 is given NIC2's address",
      'client2 is answered through the failure',
      'client2 never notices',
    ]);
  });

  it('whichever client asks first is the one stranded: the order of the questions, not the client, decides', () => {
    const text = editScenario(LAB, 'dns-round-robin', (b) => b.replace('at: 30s, do: cli, on: client1', 'at: 32s, do: cli, on: client1'));
    // client2 now asks first, is given NIC1's address and is the one cut off: every check about the two turns.
    expect(failures(text, 'dns-round-robin').map((f) => f.replace(/: .*/, ''))).toEqual([
      "client1 is given NIC1's address",
      "client2 is given NIC2's address",
      "client1's last answer comes just before the failure",
      'client2 is answered through the failure',
      'client1 loses every ping after the failure',
      'client2 never notices',
    ]);
  });

  it('with only one path installed at core (maximum-paths 1) both clients share the fate of that path', () => {
    const text = replaceAll(LAB, [['       passive-interface GigabitEthernet0/0\n', '       passive-interface GigabitEthernet0/0\n       maximum-paths 1\n']]);
    const a = lost(text, 'nic-fails-silently', 'client1');
    const b = lost(text, 'nic-fails-silently', 'client2');
    expect(a).toBe(b);
  });
});
