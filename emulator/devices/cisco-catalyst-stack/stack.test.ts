import { describe, expect, it } from 'vitest';
import { SECOND } from '../../core/time.ts';
import { formatLabError } from '../../lab/errors.ts';
import { parseLab } from '../../lab/parse.ts';
import { createLabNetworkRun, type LabNetworkRun } from '../../run/lab-run.ts';
import { check, runScenario } from '../../run/test-support/run-scenario.ts';
import { Network } from '../../core/network.ts';
import { deviceKind } from '../catalog.ts';
import { deviceFactory } from '../factories.ts';
import { findPort } from '../kind.ts';
import { StackMember } from './member.ts';
import { CatalystStack } from './stack.ts';

/** A two-member stack: pc1 and pc3 on member 1, pc2 on member 2, all in VLAN 10. */
function stackLab(opts: { stackConfig?: string; scenarios?: string } = {}): string {
  const config = opts.stackConfig ?? ['hostname CORE', 'vlan 10', 'interface range Gi1/0/1 - 2', ' switchport access vlan 10', 'interface Gi2/0/1', ' switchport access vlan 10'].join('\n');
  return [
    'apiVersion: labbox/v1',
    'kind: Lab',
    'metadata: { name: stack }',
    'devices:',
    '  - name: stack1',
    '    kind: cisco-catalyst-3750-stack',
    '    config: |',
    ...config.split('\n').map((l) => `      ${l}`),
    '  - { name: sw1, kind: cisco-catalyst-3750, parent: stack1, slot: "1" }',
    '  - { name: sw2, kind: cisco-catalyst-3750, parent: stack1, slot: "2" }',
    '  - { name: pc1, kind: pc, settings: { ip: 10.0.10.11/24, mac: 00-50-56-00-00-11 } }',
    '  - { name: pc2, kind: pc, settings: { ip: 10.0.10.22/24, mac: 00-50-56-00-00-22 } }',
    '  - { name: pc3, kind: pc, settings: { ip: 10.0.10.33/24, mac: 00-50-56-00-00-33 } }',
    'links:',
    '  - { a: sw1:Gi1/0/1, b: pc1:eth0 }',
    '  - { a: sw2:Gi2/0/1, b: pc2:eth0 }',
    '  - { a: sw1:GigabitEthernet1/0/2, b: pc3:eth0 }',
    opts.scenarios ?? '',
  ].join('\n');
}

function start(text: string): LabNetworkRun {
  const parsed = parseLab('stack.lab.yaml', text);
  if (!parsed.ok) throw new Error(parsed.errors.map(formatLabError).join('\n'));
  const run = createLabNetworkRun(parsed.lab, { seed: 3 });
  run.consoleInput('stack1', 'enable');
  run.consoleInput('stack1', 'terminal length 0');
  return run;
}

/** A PC answers and sends only once its address is set up, a few seconds into the run. */
const PC_READY = 5 * SECOND;

function ping(run: LabNetworkRun, from: string, to: string): string {
  run.consoleInput(from, `ping -n 3 ${to}`);
  run.advance(run.status().now + 10 * SECOND);
  return run.consoleInput(from, '').output;
}

describe('catalog entry', () => {
  it('is a container of 3750 members numbered 1-9 whose ports carry the member number', () => {
    const info = deviceKind('cisco-catalyst-3750-stack');
    expect(info?.role).toBe('switch');
    expect(info?.ports({})).toEqual([]);
    expect(info?.container?.accepts).toEqual(['cisco-catalyst-3750', 'cisco-catalyst-3750g-12s']);
    expect(info?.container?.slots).toMatchObject({ min: 1, max: 9 });
    const member2 = info?.container?.childPorts?.('cisco-catalyst-3750', {}, 2) ?? [];
    expect(member2).toHaveLength(50);
    expect(findPort(member2, 'Gi2/0/1')?.name).toBe('GigabitEthernet2/0/1');
    expect(findPort(member2, 'te2/1/2')?.speedBps).toBe(10e9);
    expect(findPort(member2, 'Gi1/0/1')).toBeUndefined();
    // A 3750G-12S member brings its twelve SFP ports, numbered the same way.
    const g12s = info?.container?.childPorts?.('cisco-catalyst-3750g-12s', {}, 3) ?? [];
    expect(g12s.map((p) => p.name)).toEqual(Array.from({ length: 12 }, (_, i) => `GigabitEthernet3/0/${i + 1}`));
    expect(g12s.every((p) => p.medium === 'sfp')).toBe(true);
  });
});

describe('building a stack', () => {
  it('takes members built before it, and refuses a second member for a taken number', () => {
    const net = new Network(1);
    const build = (name: string, kind: string, parent?: string, slot?: string) => deviceFactory(kind)!(net, { name, kind, settings: {}, parent, slot });
    const sw2 = build('sw2', 'cisco-catalyst-3750', 'stack1', '2');
    expect(sw2.portByName('Gi2/0/1')).toBeUndefined();
    const stack = build('stack1', 'cisco-catalyst-3750-stack') as CatalystStack;
    expect(sw2.portByName('Gi2/0/1')?.name).toBe('GigabitEthernet2/0/1');
    expect(sw2.portByName('gi2/0/1')?.node).toBe(stack);
    expect(sw2.portByName('Gi1/0/1')).toBeUndefined();
    expect(() => build('other', 'cisco-catalyst-3750', 'stack1', '2')).toThrow('member number 2 of stack1 is already sw2');
    // A 3750 with no parent is still a switch by itself.
    expect(build('alone', 'cisco-catalyst-3750').portByName('GigabitEthernet1/0/1')).toBeDefined();
  });
});

describe('a two-member stack is one switch', () => {
  it('forwards between ports on different members: pc1 on Gi1/0/1 pings pc2 on Gi2/0/1', () => {
    const run = start(stackLab());
    run.advance(PC_READY);
    expect(ping(run, 'pc1', '10.0.10.22').match(/Reply from 10\.0\.10\.22: bytes=32/g)).toHaveLength(3);
  });

  it('has one MAC address table that names each host by its member-numbered port', () => {
    const run = start(stackLab());
    run.advance(PC_READY);
    ping(run, 'pc1', '10.0.10.22');
    // The same table, whichever member's console is used.
    for (const console of ['stack1', 'sw2']) {
      run.consoleInput(console, 'enable');
      const table = run.consoleInput(console, 'show mac address-table dynamic vlan 10').output;
      expect(table).toMatch(/ {2}10 {4}0050\.5600\.0011 {4}DYNAMIC {5}Gi1\/0\/1\n/);
      expect(table).toMatch(/ {2}10 {4}0050\.5600\.0022 {4}DYNAMIC {5}Gi2\/0\/1\n/);
    }
    expect(run.consoleInput('stack1', 'show mac address-table interface Gi2/0/1').output).toContain('0050.5600.0022');
  });

  it('keeps one running configuration with both members\' interfaces and their provisioning', () => {
    const run = start(stackLab());
    const conf = run.consoleInput('stack1', 'show running-config').output;
    expect(conf).toContain('hostname CORE\n');
    expect(conf).toContain('switch 1 provision ws-c3750x-48\nswitch 2 provision ws-c3750x-48\n');
    expect(conf).toContain('interface GigabitEthernet2/0/1\n switchport access vlan 10\n');
    expect(conf).toContain('interface TenGigabitEthernet2/1/2\n');
    expect(conf).not.toContain('interface GigabitEthernet3/0/1\n');
    // Configuration typed at a member's console changes the stack's.
    run.consoleInput('sw2', 'enable');
    run.consoleInput('sw2', 'configure terminal');
    run.consoleInput('sw2', 'interface Gi2/0/7');
    run.consoleInput('sw2', 'description uplink-to-dist');
    run.consoleInput('sw2', 'end');
    expect(run.consoleInput('stack1', 'show interfaces description').output).toMatch(/Gi2\/0\/7 +down +down +uplink-to-dist/);
    expect(run.consoleInput('stack1', 'show interfaces Gi3/0/1').output).toContain('% Invalid input');
  });

  it('show switch lists the members with the master marked; show version one row per member', () => {
    const run = start(stackLab());
    const stack = run.node('stack1') as CatalystStack;
    const mac = (n: string) => (run.node(n) as StackMember).mac;
    // Equal priorities: the lower MAC address is master.
    const master = mac('sw1') < mac('sw2') ? 1 : 2;
    expect(stack.master).toBe(master);
    const out = run.consoleInput('stack1', 'show switch').output;
    const dotted = (m: number) => m.toString(16).padStart(12, '0').replace(/(....)(....)(....)/, '$1.$2.$3');
    expect(out.split('\n').slice(0, 4)).toEqual([
      `Switch/Stack Mac Address : ${dotted(stack.systemMac)}`,
      '                                           H/W   Current',
      'Switch#  Role   Mac Address     Priority Version  State',
      '----------------------------------------------------------',
    ]);
    expect(out).toContain(`${master === 1 ? '*' : ' '}1       ${master === 1 ? 'Master' : 'Member'} ${dotted(mac('sw1'))}     1      4       Ready\n`);
    expect(out).toContain(`${master === 2 ? '*' : ' '}2       ${master === 2 ? 'Master' : 'Member'} ${dotted(mac('sw2'))}     1      4       Ready\n`);
    const version = run.consoleInput('stack1', 'show version').output;
    expect(version).toMatch(/^[* ] {4}1 50 {4}WS-C3750X-48T-S/m);
    expect(version).toMatch(/^[* ] {4}2 50 {4}WS-C3750X-48T-S/m);
  });

  it('elects the member with the highest priority master, whatever the MACs', () => {
    for (const preferred of [1, 2]) {
      const run = start(stackLab({ stackConfig: `hostname CORE\nswitch ${preferred} priority 15` }));
      const stack = run.node('stack1') as CatalystStack;
      expect(stack.configIssues).toEqual([]);
      expect(stack.master).toBe(preferred);
      expect(run.consoleInput('stack1', 'show switch').output).toMatch(new RegExp(`^\\*${preferred} +Master \\S+ +15 `, 'm'));
    }
  });
});

describe('a member leaving the stack', () => {
  const scenarios = (step: string) =>
    [
      'scenarios:',
      '  - name: member-2-leaves',
      '    duration: 40s',
      '    traffic:',
      '      - { id: across, start: 5s, ping: { from: pc1, to: 10.0.10.22, every: 1s } }',
      '      - { id: same-member, start: 5s, ping: { from: pc1, to: 10.0.10.33, every: 1s } }',
      '    steps:',
      `      - { at: 10s, ${step} }`,
      '    expect:',
      '      - { name: member 1 keeps forwarding, flow: same-member, max-lost: 0 }',
      '      - { name: member 2 is gone, flow: across, min-lost: 25 }',
      '      - { name: its port is down, at: 20s, cli: { on: stack1, run: [enable, show interfaces status] }, matches: "Gi2/0/1 +notconnect" }',
      '      - { name: the other members stay up, at: 20s, cli: { on: stack1, run: [enable, show interfaces status] }, matches: "Gi1/0/2 +connected" }',
      '      - { name: the table forgets its hosts, at: 20s, cli: { on: stack1, run: [enable, show mac address-table dynamic] }, not-matches: "Gi2/0/1" }',
      '      - { name: show switch lists it as provisioned, at: 20s, cli: { on: stack1, run: [enable, show switch] }, matches: "^ ?\\\\*?2 +Member 0000\\\\.0000\\\\.0000 +0 +0 +Provisioned" }',
    ].join('\n');

  for (const step of ['do: pull-module, target: stack1, bay: 2', 'do: power-off, device: sw2']) {
    it(`takes its ports down and the rest keeps forwarding (${step.split(',')[0]})`, () => {
      const { report, events } = runScenario(stackLab({ scenarios: scenarios(step) }), 'member-2-leaves');
      expect(report.problems).toEqual([]);
      for (const e of report.expectations) expect({ name: e.name, status: e.status, measured: e.measured }).toMatchObject({ status: 'pass' });
      expect(check(report, 'member 2 is gone').status).toBe('pass');
      expect(events.some((e) => e.text.includes('%STACKMGR-4-SWITCH_REMOVED: Switch 2 has been REMOVED from the stack'))).toBe(true);
    });
  }

  it('a master that leaves hands over to the remaining member, which keeps forwarding; back, it rejoins as a member after booting', () => {
    const run = start(stackLab({ stackConfig: 'hostname CORE\nswitch 2 priority 15\nswitch 1 priority 5\nvlan 10\ninterface range Gi1/0/1 - 2\n switchport access vlan 10' }));
    const stack = run.node('stack1') as CatalystStack;
    const sw2 = run.node('sw2') as StackMember;
    run.advance(PC_READY);
    expect(stack.master).toBe(2);
    sw2.setPower(false);
    expect(stack.master).toBe(1);
    expect(ping(run, 'pc1', '10.0.10.33').match(/Reply from 10\.0\.10\.33/g)).toHaveLength(3);
    sw2.setPower(true);
    run.advance(run.status().now + 60 * SECOND);
    // Still booting: provisioned, its port dark.
    expect(run.consoleInput('stack1', 'show switch').output).toMatch(/^ 2 +Member 0000\.0000\.0000 +0 +0 +Provisioned/m);
    expect(run.consoleInput('stack1', 'show interfaces status').output).toMatch(/Gi2\/0\/1 +notconnect/);
    run.advance(run.status().now + 90 * SECOND);
    expect(stack.master).toBe(1);
    expect(run.consoleInput('stack1', 'show switch').output).toMatch(/^ 2 +Member \S+ +15 +4 +Ready/m);
    expect(run.consoleInput('stack1', 'show interfaces status').output).toMatch(/Gi2\/0\/1 +connected/);
  });

  it('a port shut in the configuration stays shut when its member comes back', () => {
    const run = start(stackLab({ stackConfig: 'hostname CORE\ninterface Gi2/0/1\n shutdown' }));
    const stack = run.node('stack1') as CatalystStack;
    run.advance(PC_READY);
    stack.pullModule(2);
    stack.insertModule(2);
    run.advance(run.status().now + 200 * SECOND);
    expect(stack.stackMembers().find((m) => m.number === 2)?.state).toBe('Ready');
    expect(run.consoleInput('stack1', 'show interfaces status').output).toMatch(/Gi2\/0\/1 +disabled/);
  });
});
