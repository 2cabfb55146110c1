import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { failures, replaceAll } from './test-support/lab-variants.ts';
import { runScenario } from './test-support/run-scenario.ts';

/**
 * The shipped anycast-RP lab rewritten: another group must still hold every expectation, and
 * taking away what the design rests on (the originator-id that makes an SA name the sending RP,
 * PIM on the RP's interface toward the source) must break the stream for the reason the
 * routers' own tables then show.
 */
const LAB = fs.readFileSync(path.resolve(import.meta.dirname, '../../labs/anycast-rp-msdp.lab.yaml'), 'utf8');

function cli(text: string, scenario: string, device: string, command: string): string {
  const { run } = runScenario(text, scenario);
  run.consoleInput(device, 'enable');
  run.consoleInput(device, 'terminal length 0');
  return run.consoleInput(device, command).output;
}

describe('anycast RP with MSDP: the shipped scenarios', () => {
  it('with MSDP only the first datagram is missed; without it every one is', () => {
    const on = runScenario(LAB, 'msdp').report.flows.find((f) => f.id === 'video');
    const off = runScenario(LAB, 'no-msdp').report.flows.find((f) => f.id === 'video');
    expect(on?.paths.map((p) => [p.path, p.lost])).toEqual([
      ['pc1', 1],
      ['pc2', 1],
    ]);
    expect(off?.paths.every((p) => p.lost === p.sent && p.sent > 400)).toBe(true);
  });

  it('shows the seed\'s trace on the RP the viewers joined when MSDP is missing', () => {
    const out = cli(LAB, 'no-msdp', 'rp2', 'show ip mroute 239.1.1.1');
    expect(out).toMatch(/^\(\*, 239\.1\.1\.1\), \d\d:\d\d:\d\d\/\d\d:\d\d:\d\d, RP 10\.0\.0\.1, flags: S\n {2}Incoming interface: Null, RPF nbr 0\.0\.0\.0\n {2}Outgoing interface list:\n {4}GigabitEthernet0\/0, Forward\/Sparse, /m);
    expect(out).not.toContain('(10.1.1.10, 239.1.1.1)');
  });
});

describe('anycast RP with MSDP: variants', () => {
  it('another group, joined and streamed, still holds every expectation', () => {
    const text = replaceAll(LAB, [
      ['239.1.1.1', '239.20.30.40'],
      ['239\\.1\\.1\\.1', '239\\.20\\.30\\.40'],
    ]);
    expect(failures(text, 'msdp')).toEqual([]);
    expect(failures(text, 'no-msdp')).toEqual([]);
  });

  it('without originator-id the SA names the anycast address, which rp2 holds itself, so rp2 refuses it', () => {
    const text = replaceAll(LAB, [['      ip msdp originator-id Loopback1\n', '']]);
    expect(failures(text, 'msdp')).toEqual([
      'the viewers get the stream: 982 of 982 lost',
      'rp2 learned the source from rp1: no match in 2 lines of output',
      'rp2 has an MSDP-made (S,G) toward the source: no match in 15 lines of output',
      'rp2 takes the source over its link to fhr: no match in 15 lines of output',
      'lhr switched to the source tree: no match in 15 lines of output',
    ]);
  });

  it('without PIM on rp2\'s link to fhr, rp2 learns the source but its (S,G) has no incoming interface', () => {
    const text = replaceAll(LAB, [['       description to fhr\n       ip address 10.0.14.2 255.255.255.252\n       ip pim sparse-mode\n', '       description to fhr\n       ip address 10.0.14.2 255.255.255.252\n']]);
    const failed = failures(text, 'msdp');
    expect(failed).toEqual([
      'the viewers get the stream: 982 of 982 lost',
      'rp2 has an MSDP-made (S,G) toward the source: no match in 20 lines of output',
      'rp2 takes the source over its link to fhr: no match in 20 lines of output',
      'lhr switched to the source tree: no match in 15 lines of output',
    ]);
    const out = cli(text, 'msdp', 'rp2', 'show ip mroute 239.1.1.1');
    expect(out).toMatch(/^\(10\.1\.1\.10, 239\.1\.1\.1\), [\d:]+\/[\d:a-z]+, flags: M\n {2}Incoming interface: Null, RPF nbr 0\.0\.0\.0\n/m);
    expect(cli(text, 'msdp', 'rp2', 'show ip rpf 10.1.1.10')).toContain('  RPF interface: GigabitEthernet0/2\n  RPF neighbor: ? (10.0.14.1)\n');
  });
});
