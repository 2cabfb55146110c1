import { describe, expect, it } from 'vitest';
import { SECOND } from '../../core/time.ts';
import { formatLabError } from '../../lab/errors.ts';
import { parseLab } from '../../lab/parse.ts';
import { createLabNetworkRun, type LabNetworkRun } from '../../run/lab-run.ts';
import type { StackMember } from './member.ts';
import type { CatalystStack } from './stack.ts';

const X = 'cisco-catalyst-3750';
const G12S = 'cisco-catalyst-3750g-12s';

interface Member {
  readonly kind: string;
  /** The template in the member's own flash. */
  readonly flash: string;
}

/**
 * The devices and links that put pc<n> behind member n: cabled straight to a 3750-X's copper
 * Gi<n>/0/1; a 12S has only SFP ports, so there through a 2960-S access switch uplinked on its
 * SFP Gi1/0/25.
 */
function hostBehind(n: number, m: Member): { devices: string[]; links: string[] } {
  if (m.kind !== G12S) return { devices: [], links: [`  - { a: sw${n}:Gi${n}/0/1, b: pc${n}:eth0 }`] };
  return {
    devices: [`  - { name: acc${n}, kind: cisco-catalyst-2960 }`],
    links: [`  - { a: acc${n}:Gi1/0/1, b: pc${n}:eth0 }`, `  - { a: sw${n}:Gi${n}/0/1, b: acc${n}:Gi1/0/25 }`],
  };
}

/** Member 1 (priority 15, master) and member 2 as given; pc1 behind member 1, pc2 behind member 2, VLAN 10. */
function start(m1: Member, m2: Member, extraConfig: readonly string[] = []): LabNetworkRun {
  const config = ['hostname CORE', 'switch 1 priority 15', 'vlan 10', 'interface Gi1/0/1', ' switchport access vlan 10', 'interface Gi2/0/1', ' switchport access vlan 10', ...extraConfig];
  const behind = [hostBehind(1, m1), hostBehind(2, m2)];
  const text = [
    'apiVersion: labbox/v1',
    'kind: Lab',
    'metadata: { name: sdm }',
    'devices:',
    '  - name: stack1',
    '    kind: cisco-catalyst-3750-stack',
    '    settings: { memberBootSeconds: 30 }',
    '    config: |',
    ...config.map((l) => `      ${l}`),
    `  - { name: sw1, kind: ${m1.kind}, parent: stack1, slot: "1", settings: { sdmTemplate: ${m1.flash} } }`,
    `  - { name: sw2, kind: ${m2.kind}, parent: stack1, slot: "2", settings: { sdmTemplate: ${m2.flash} } }`,
    '  - { name: pc1, kind: pc, settings: { ip: 10.0.10.11/24, mac: 00-50-56-00-00-11 } }',
    '  - { name: pc2, kind: pc, settings: { ip: 10.0.10.22/24, mac: 00-50-56-00-00-22 } }',
    ...behind.flatMap((b) => b.devices),
    'links:',
    ...behind.flatMap((b) => b.links),
    '',
  ].join('\n');
  const parsed = parseLab('sdm.lab.yaml', text);
  if (!parsed.ok) throw new Error(parsed.errors.map(formatLabError).join('\n'));
  const run = createLabNetworkRun(parsed.lab, { seed: 3 });
  run.consoleInput('stack1', 'enable');
  run.consoleInput('stack1', 'terminal length 0');
  return run;
}

/** The seed's stack: a 3750G-12S master on an aggregator template, a desktop 3750-X member. */
const AGGREGATOR_MASTER: Member = { kind: G12S, flash: 'aggregator-routing' };
const DESKTOP_MEMBER: Member = { kind: X, flash: 'routing' };

function replies(run: LabNetworkRun): number {
  run.consoleInput('pc1', 'ping -n 3 10.0.10.22');
  run.advance(run.status().now + 10 * SECOND);
  return (run.consoleInput('pc1', '').output.match(/Reply from 10\.0\.10\.22: bytes=32/g) ?? []).length;
}

const row2 = (run: LabNetworkRun): string => run.consoleInput('stack1', 'show switch').output.split('\n').find((l) => l.startsWith(' 2 ')) ?? '';

describe('SDM mismatch in a 3750 stack', () => {
  it('a desktop member under a 12S master on an aggregator template is listed in SDM Mismatch, with its MAC, and its ports do not forward', () => {
    const run = start(AGGREGATOR_MASTER, DESKTOP_MEMBER);
    run.advance(5 * SECOND);
    const mac = (run.node('sw2') as StackMember).mac.toString(16).padStart(12, '0').replace(/(....)(....)(....)/, '$1.$2.$3');
    expect(row2(run)).toBe(` 2       Member ${mac}     1      4       SDM Mismatch`);
    expect((run.node('stack1') as CatalystStack).master).toBe(1);
    expect(replies(run)).toBe(0);
    expect(run.consoleInput('stack1', 'show interfaces status').output).toMatch(/Gi2\/0\/1 +notconnect/);
    // The master does not change its template for the member.
    expect(run.consoleInput('stack1', 'show sdm prefer').output).toContain('The current template is "aggregator routing" template.');
  });

  it('the master logs the member added in SDM mismatch and the desktop template that would take it in', () => {
    const run = start(AGGREGATOR_MASTER, DESKTOP_MEMBER);
    const events = run.advance(1 * SECOND);
    const text = events.map((e) => e.text).join('\n');
    expect(text).toContain('%STACKMGR-6-SWITCH_ADDED_SDM: Switch 2 has been ADDED to the stack (SDM_MISMATCH)');
    expect(text).toContain('%SDM-6-MISMATCH_ADVISE: on the "desktop routing" template:');
    expect(text).toContain('%SDM-6-MISMATCH_ADVISE:   "sdm prefer routing desktop"');
  });

  it('a template in a member\'s own flash never causes a mismatch: every member runs the master\'s', () => {
    // Desktop master, desktop member on another template.
    const desktop = start({ kind: X, flash: 'routing' }, { kind: X, flash: 'vlan' });
    expect(row2(desktop)).toMatch(/ Ready$/);
    expect(desktop.consoleInput('stack1', 'show sdm prefer').output).toContain('The current template is "desktop routing" template.');
    // A 12S master on a desktop template takes a desktop member.
    expect(row2(start({ kind: G12S, flash: 'vlan' }, DESKTOP_MEMBER))).toMatch(/ Ready$/);
    // A 12S member with an aggregator template in flash runs a desktop master's template.
    const under = start({ kind: X, flash: 'default' }, { kind: G12S, flash: 'aggregator-routing' });
    expect(row2(under)).toMatch(/ Ready$/);
    expect(under.consoleInput('stack1', 'show sdm prefer').output).toContain('The current template is "desktop default" template.');
    // Two 12S switches share the aggregator template.
    expect(row2(start(AGGREGATOR_MASTER, { kind: G12S, flash: 'default' }))).toMatch(/ Ready$/);
  });

  it('the startup configuration\'s sdm prefer is read on the master\'s hardware: aggregator on a 12S unless desktop follows', () => {
    const aggregate = start({ kind: G12S, flash: 'vlan' }, DESKTOP_MEMBER, ['sdm prefer vlan']);
    expect(row2(aggregate)).toMatch(/SDM Mismatch$/);
    expect(aggregate.consoleInput('stack1', 'show sdm prefer').output).toContain('The current template is "aggregator vlan" template.');
    const desktop = start({ kind: G12S, flash: 'aggregator-vlan' }, DESKTOP_MEMBER, ['sdm prefer vlan desktop']);
    expect(row2(desktop)).toMatch(/ Ready$/);
    expect(desktop.consoleInput('stack1', 'show sdm prefer').output).toContain('The current template is "desktop vlan" template.');
  });

  it('the fix at the console: the master takes a desktop template, and after reload the member joins', () => {
    const run = start(AGGREGATOR_MASTER, DESKTOP_MEMBER);
    run.advance(5 * SECOND);
    run.consoleInput('stack1', 'configure terminal');
    run.consoleInput('stack1', 'sdm prefer vlan desktop');
    run.consoleInput('stack1', 'end');
    expect(run.consoleInput('stack1', 'show sdm prefer').output).toContain('On next reload, template will be "desktop vlan" template.');
    // Reloading the member alone does not help: the master still runs the aggregator template.
    expect(run.consoleInput('stack1', 'reload slot 2').output).toBe('Proceed with reload? [confirm]\n');
    run.consoleInput('stack1', '');
    run.advance(run.status().now + 40 * SECOND);
    expect(row2(run)).toMatch(/SDM Mismatch$/);
    // The template is kept in flash, not in the configuration, so there is nothing to save.
    expect(run.consoleInput('stack1', 'reload').output).toBe('Proceed with reload? [confirm]\n');
    expect(run.consoleInput('stack1', '').output).toContain('%SYS-5-RELOAD');
    run.advance(run.status().now + 40 * SECOND);
    run.consoleInput('stack1', 'enable');
    expect(row2(run)).toMatch(/ Ready$/);
    expect(run.consoleInput('stack1', 'show sdm prefer').output).toContain('The current template is "desktop vlan" template.');
    run.advance(run.status().now + 5 * SECOND);
    expect(replies(run)).toBe(3);
  });

  it('going the other way: a 12S master moved to an aggregator template drops its desktop member at the reload', () => {
    const run = start({ kind: G12S, flash: 'routing' }, DESKTOP_MEMBER);
    expect(row2(run)).toMatch(/ Ready$/);
    run.consoleInput('stack1', 'configure terminal');
    run.consoleInput('stack1', 'sdm prefer routing');
    run.consoleInput('stack1', 'end');
    run.consoleInput('stack1', 'reload');
    run.consoleInput('stack1', '');
    run.advance(run.status().now + 40 * SECOND);
    run.consoleInput('stack1', 'enable');
    expect(row2(run)).toMatch(/SDM Mismatch$/);
    expect(run.consoleInput('stack1', 'show sdm prefer').output).toContain('The current template is "aggregator routing" template.');
  });

  it('a 12S member lists its own model and twelve ports in show version', () => {
    const run = start({ kind: X, flash: 'default' }, { kind: G12S, flash: 'default' });
    run.advance(2 * SECOND);
    const out = run.consoleInput('stack1', 'show version').output;
    expect(out).toMatch(/^\*    1 50    WS-C3750X-48T-S/m);
    expect(out).toMatch(/^     2 12    WS-C3750G-12S/m);
  });

  it('reload slot names only a member the stack has', () => {
    const run = start(DESKTOP_MEMBER, DESKTOP_MEMBER);
    expect(run.consoleInput('stack1', 'reload slot 5').output).toContain('% Switch 5 is not present in the stack');
  });
});
