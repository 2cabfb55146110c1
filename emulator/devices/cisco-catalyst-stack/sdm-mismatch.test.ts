import { describe, expect, it } from 'vitest';
import { SECOND } from '../../core/time.ts';
import { formatLabError } from '../../lab/errors.ts';
import { parseLab } from '../../lab/parse.ts';
import { createLabNetworkRun, type LabNetworkRun } from '../../run/lab-run.ts';
import type { StackMember } from './member.ts';
import type { CatalystStack } from './stack.ts';

/** Member 1 (priority 15, master) on `t1`, member 2 on `t2`; pc1 behind member 1, pc2 behind member 2, VLAN 10. */
function start(t1: string, t2: string, extraConfig: readonly string[] = []): LabNetworkRun {
  const config = ['hostname CORE', 'switch 1 priority 15', 'vlan 10', 'interface Gi1/0/1', ' switchport access vlan 10', 'interface Gi2/0/1', ' switchport access vlan 10', ...extraConfig];
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
    `  - { name: sw1, kind: cisco-catalyst-3750, parent: stack1, slot: "1", settings: { sdmTemplate: ${t1} } }`,
    `  - { name: sw2, kind: cisco-catalyst-3750, parent: stack1, slot: "2", settings: { sdmTemplate: ${t2} } }`,
    '  - { name: pc1, kind: pc, settings: { ip: 10.0.10.11/24, mac: 00-50-56-00-00-11 } }',
    '  - { name: pc2, kind: pc, settings: { ip: 10.0.10.22/24, mac: 00-50-56-00-00-22 } }',
    'links:',
    '  - { a: sw1:Gi1/0/1, b: pc1:eth0 }',
    '  - { a: sw2:Gi2/0/1, b: pc2:eth0 }',
    '',
  ].join('\n');
  const parsed = parseLab('sdm.lab.yaml', text);
  if (!parsed.ok) throw new Error(parsed.errors.map(formatLabError).join('\n'));
  const run = createLabNetworkRun(parsed.lab, { seed: 3 });
  run.consoleInput('stack1', 'enable');
  run.consoleInput('stack1', 'terminal length 0');
  return run;
}

function replies(run: LabNetworkRun): number {
  run.consoleInput('pc1', 'ping -n 3 10.0.10.22');
  run.advance(run.status().now + 10 * SECOND);
  return (run.consoleInput('pc1', '').output.match(/Reply from 10\.0\.10\.22: bytes=32/g) ?? []).length;
}

const row2 = (run: LabNetworkRun): string => run.consoleInput('stack1', 'show switch').output.split('\n').find((l) => l.startsWith(' 2 ')) ?? '';

describe('SDM mismatch in a 3750 stack', () => {
  it('a member on another template than the master is listed in SDM Mismatch, with its MAC, and its ports do not forward', () => {
    const run = start('routing', 'vlan');
    run.advance(5 * SECOND);
    const mac = (run.node('sw2') as StackMember).mac.toString(16).padStart(12, '0').replace(/(....)(....)(....)/, '$1.$2.$3');
    expect(row2(run)).toBe(` 2       Member ${mac}     1      4       SDM Mismatch`);
    expect((run.node('stack1') as CatalystStack).master).toBe(1);
    expect(replies(run)).toBe(0);
    expect(run.consoleInput('stack1', 'show interfaces status').output).toMatch(/Gi2\/0\/1 +notconnect/);
    expect(run.consoleInput('stack1', 'show sdm prefer').output).toContain('"desktop routing"');
  });

  it('the master logs the member added in SDM mismatch and the commands that would fix it', () => {
    const run = start('routing', 'vlan');
    const events = run.advance(1 * SECOND);
    const text = events.map((e) => e.text).join('\n');
    expect(text).toContain('%STACKMGR-6-SWITCH_ADDED_SDM: Switch 2 has been ADDED to the stack (SDM_MISMATCH)');
    expect(text).toContain('%SDM-6-MISMATCH_ADVISE:   "sdm prefer vlan"');
  });

  it('members on the master\'s template join as Ready; the startup configuration\'s sdm prefer is the master\'s', () => {
    expect(row2(start('vlan', 'vlan'))).toMatch(/ Ready$/);
    const run = start('routing', 'routing', ['sdm prefer vlan']);
    expect(row2(run)).toMatch(/SDM Mismatch$/);
    expect(run.consoleInput('stack1', 'show sdm prefer').output).toContain('The current template is "desktop vlan" template.');
  });

  it('the fix at the console: the master takes the member\'s template, and after reload the member joins', () => {
    const run = start('routing', 'vlan');
    run.advance(5 * SECOND);
    run.consoleInput('stack1', 'configure terminal');
    run.consoleInput('stack1', 'sdm prefer vlan desktop');
    run.consoleInput('stack1', 'end');
    expect(run.consoleInput('stack1', 'show sdm prefer').output).toContain('On next reload, template will be "desktop vlan" template.');
    // Reloading the member alone does not help: the master still runs routing.
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

  it('reload slot names only a member the stack has', () => {
    const run = start('vlan', 'vlan');
    expect(run.consoleInput('stack1', 'reload slot 5').output).toContain('% Switch 5 is not present in the stack');
  });
});
