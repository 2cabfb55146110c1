import { describe, expect, it } from 'vitest';
import { Network } from '../core/network.ts';
import type { CatalystStack } from './cisco-catalyst-stack/index.ts';
import { configChecker } from './config-checkers.ts';
import { deviceFactory } from './factories.ts';

const STACK = 'cisco-catalyst-3750-stack';

function checkStack(lines: readonly string[]): { line: number; message: string }[] {
  const check = configChecker(STACK);
  if (check === undefined) throw new Error(`no checker for ${STACK}`);
  return check(STACK, lines.join('\n')).map((i) => ({ line: i.line, message: i.message }));
}

/** A running stack of the given member numbers, started from `config`. */
function runningStack(members: readonly number[], config: string): CatalystStack {
  const net = new Network(1);
  const build = (name: string, kind: string, extra: { parent?: string; slot?: string; config?: string }) => deviceFactory(kind)!(net, { name, kind, settings: {}, ...extra });
  for (const n of members) build(`sw${n}`, 'cisco-catalyst-3750', { parent: 'stack1', slot: String(n) });
  return build('stack1', STACK, { config }) as CatalystStack;
}

describe('config checkers by kind', () => {
  it('marks the line a Catalyst would refuse and passes a good config', () => {
    const check = configChecker('cisco-catalyst-3750');
    expect(check).toBeDefined();
    const good = check?.('cisco-catalyst-3750', 'vlan 10\n name users\ninterface GigabitEthernet1/0/1\n switchport access vlan 10\n') ?? [];
    expect(good).toEqual([]);
    const bad = check?.('cisco-catalyst-3750', 'vlan 10\ninterface GigabitEthernet1/0/1\n switchport mdoe trunk\n') ?? [];
    expect(bad.length).toBeGreaterThan(0);
    expect(bad[0].line).toBe(3);
  });

  it('uses the PowerConnect parser for PowerConnect kinds', () => {
    const bad = configChecker('dell-powerconnect-5424')?.('dell-powerconnect-5424', 'vlan database\nnonsense here\n') ?? [];
    expect(bad.some((i) => i.line === 2)).toBe(true);
  });

  it('has no checker for kinds without a vendor CLI', () => {
    expect(configChecker('pc')).toBeUndefined();
    expect(configChecker('hp-c7000')).toBeUndefined();
  });

  it('passes what a stack\'s console accepts: member provisioning and priority, ports on any member', () => {
    expect(
      checkStack([
        'hostname CORE',
        'switch 1 provision ws-c3750x-48',
        'switch 2 provision ws-c3750x-48',
        'switch 2 priority 15',
        'vlan 10',
        ' name users',
        'interface GigabitEthernet2/0/5',
        ' switchport access vlan 10',
        'interface range Gi1/0/1 - 2',
        ' switchport access vlan 10',
        'interface Te9/1/2',
        ' switchport trunk encapsulation dot1q',
        ' switchport mode trunk',
        ' channel-group 1 mode active',
      ]),
    ).toEqual([]);
  });

  it('passes a running stack\'s own configuration back', () => {
    const stack = runningStack([1, 2, 3], ['switch 3 priority 9', 'vlan 20', 'interface Gi3/0/48', ' switchport access vlan 20', ' shutdown'].join('\n'));
    expect(stack.configIssues).toEqual([]);
    const session = stack.openConsole();
    session.input('enable');
    session.input('terminal length 0');
    const running = session.input('show running-config');
    expect(running).toContain('switch 3 provision ws-c3750x-48\n');
    expect(checkStack(running.split('\n'))).toEqual([]);
  });

  it('marks the lines a stack would refuse, by line', () => {
    const issues = checkStack([
      'vlan 10',
      'switch 10 priority 5',
      'switch 2 priority 16',
      'interface GigabitEthernet2/0/49',
      'interface GigabitEthernet10/0/1',
      'interface GigabitEthernet4/0/1',
      ' switchport mdoe trunk',
      'switch 3 renumber 4',
    ]);
    expect(issues.map((i) => i.line)).toEqual([2, 3, 4, 5, 7, 8]);
    expect(issues.at(-1)?.message).toContain('Renumbering is not modelled');
  });

  it('finds the same problems a running stack finds in a configuration for its members', () => {
    const text = ['switch 2 priority 15', 'interface Gi2/0/5', ' switchport acess vlan 10', 'interface Gi2/0/60', 'switch 1 provision ws-c3750x-48', 'no such command'].join('\n');
    const running = runningStack([1, 2], text).configIssues.map((i) => ({ line: i.line, message: i.message }));
    expect(running.map((i) => i.line)).toEqual([3, 4, 6]);
    expect(checkStack(text.split('\n'))).toEqual(running);
  });
});

