import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { editScenario, failures, replaceAll } from './test-support/lab-variants.ts';
import { runScenario } from './test-support/run-scenario.ts';

/**
 * The shipped SDM lab, and variants whose outcome must follow the mechanism: a template typed but
 * never reloaded into; a stack that has no mismatch because the 12S master runs a desktop
 * template, or because both members are 12S switches; the aggregator words typed without
 * `desktop`; and the seed's fix done by power instead of the console.
 */
const LAB = fs.readFileSync(path.resolve(import.meta.dirname, '../../labs/catalyst-sdm.lab.yaml'), 'utf8');

describe('shipped lab: catalyst-sdm', () => {
  it('lanbase-routing: every expectation holds', () => {
    const { report } = runScenario(LAB, 'lanbase-routing');
    expect(report.problems).toEqual([]);
    expect(report.expectations.length).toBe(7);
    expect(failures(LAB, 'lanbase-routing')).toEqual([]);
  });

  it('sdm-mismatch: every expectation holds', () => {
    const { report, events } = runScenario(LAB, 'sdm-mismatch');
    expect(report.problems).toEqual([]);
    expect(report.expectations.length).toBe(8);
    expect(failures(LAB, 'sdm-mismatch')).toEqual([]);
    expect(events.some((e) => e.text.includes('%STACKMGR-6-SWITCH_ADDED_SDM: Switch 2 has been ADDED to the stack (SDM_MISMATCH)'))).toBe(true);
    expect(events.some((e) => e.text.includes('%SDM-6-MISMATCH_ADVISE:   "sdm prefer routing desktop"'))).toBe(true);
  });
});

describe('catalyst-sdm variants', () => {
  it('without the reload the template never changes, ip routing stays refused and nothing is routed', () => {
    const text = editScenario(LAB, 'lanbase-routing', (b) => replaceAll(b, [['write memory, reload, ""]', 'write memory]'], ['run: [enable, configure terminal, ip routing, ip route', 'run: [configure terminal, ip routing, ip route']]));
    expect(failures(text, 'lanbase-routing')).toEqual([
      expect.stringMatching(/^after the reload the switch runs lanbase-routing/),
      expect.stringMatching(/^pc10 reaches pc20 in VLAN 20/),
      expect.stringMatching(/^pc10 reaches the server through the static route/),
      expect.stringMatching(/^the saved configuration routes/),
    ]);
  });

  it('a 2960-S shipped on lanbase-routing routes from the start', () => {
    const text = replaceAll(LAB, [['      hostname ACC1\n', '      sdm prefer lanbase-routing\n      hostname ACC1\n      ip routing\n      ip route 192.168.50.0 255.255.255.0 10.30.0.2\n']]);
    expect(failures(text, 'lanbase-routing')).toEqual([
      expect.stringMatching(/^no routing between VLANs on the default template/),
      expect.stringMatching(/^the server network is out of reach/),
      expect.stringMatching(/^the 2960-S runs its default template/),
    ]);
  });

  it('a 12S master on a desktop template takes the 3750-X in: the mismatch expectations fail', () => {
    const text = replaceAll(LAB, [['settings: { sdmTemplate: aggregator-routing }', 'settings: { sdmTemplate: routing }']]);
    expect(failures(text, 'sdm-mismatch')).toEqual([
      expect.stringMatching(/^the master runs an aggregator template/),
      expect.stringMatching(/^switch 2 sits in SDM Mismatch/),
      expect.stringMatching(/^pc42 behind switch 2 gets no replies/),
      expect.stringMatching(/^pc42 cannot reach its gateway/),
    ]);
  });

  it('two 12S members share the aggregator template: no mismatch, whatever the template', () => {
    const text = replaceAll(LAB, [
      ['    kind: cisco-catalyst-3750\n    parent: core\n    slot: "2"', '    kind: cisco-catalyst-3750g-12s\n    parent: core\n    slot: "2"'],
      // A 12S has SFP ports only: pc42 comes in through an access switch, as pc41 does.
      ['  - name: pc42\n', '  - name: acc42\n    kind: cisco-catalyst-2960\n    position: { x: 676, y: 370 }\n  - name: pc42\n'],
      ['{ a: "pc42:eth0", b: "core-2:Gi2/0/1" }', '{ a: "pc42:eth0", b: "acc42:Gi1/0/1" }\n  - { a: "acc42:Gi1/0/25", b: "core-2:Gi2/0/1" }'],
    ]);
    expect(failures(text, 'sdm-mismatch')).toEqual([
      expect.stringMatching(/^switch 2 sits in SDM Mismatch/),
      expect.stringMatching(/^pc42 behind switch 2 gets no replies/),
      expect.stringMatching(/^pc42 cannot reach its gateway/),
    ]);
  });

  it('sdm prefer vlan without desktop is the aggregator vlan template on a 12S: after the reload switch 2 is still out', () => {
    const text = editScenario(LAB, 'sdm-mismatch', (b) => replaceAll(b, [['sdm prefer vlan desktop, end', 'sdm prefer vlan, end']]));
    expect(failures(text, 'sdm-mismatch')).toEqual([
      expect.stringMatching(/^the stack runs the desktop vlan template after the reload/),
      expect.stringMatching(/^both members are Ready after the reload/),
      expect.stringMatching(/^pc42 answers once switch 2 has joined/),
      expect.stringMatching(/^pc42 reaches its gateway on the stack/),
    ]);
  });

  it('the fix by power: the master takes a desktop template, then both members are power-cycled', () => {
    const text = editScenario(LAB, 'sdm-mismatch', (b) =>
      replaceAll(b, [
        [
          /- \{ at: 20s, do: cli, on: core, run: \[[^\]]*\][^\n]*\n/,
          '- { at: 20s, do: cli, on: core, run: [enable, configure terminal, sdm prefer vlan desktop, end] }\n      - { at: 22s, do: power-off, device: core-1 }\n      - { at: 22s, do: power-off, device: core-2 }\n      - { at: 25s, do: power-on, device: core-1 }\n      - { at: 25s, do: power-on, device: core-2 }\n',
        ],
      ]),
    );
    expect(failures(text, 'sdm-mismatch')).toEqual([]);
  });

  it('power-cycling only the member is not enough while the master still runs the aggregator template', () => {
    const text = editScenario(LAB, 'sdm-mismatch', (b) =>
      replaceAll(b, [
        [
          /- \{ at: 20s, do: cli, on: core, run: \[[^\]]*\][^\n]*\n/,
          '- { at: 20s, do: cli, on: core, run: [enable, configure terminal, sdm prefer vlan desktop, end] }\n      - { at: 22s, do: power-off, device: core-2 }\n      - { at: 25s, do: power-on, device: core-2 }\n',
        ],
      ]),
    );
    expect(failures(text, 'sdm-mismatch')).toEqual([
      expect.stringMatching(/^the stack runs the desktop vlan template after the reload/),
      expect.stringMatching(/^both members are Ready after the reload/),
      expect.stringMatching(/^pc42 answers once switch 2 has joined/),
      expect.stringMatching(/^pc42 reaches its gateway on the stack/),
    ]);
  });
});
