import { describe, expect, it } from 'vitest';
import { formatLabError } from '../../lab/errors.ts';
import { parseLab } from '../../lab/parse.ts';

function lab(devices: readonly string[], links: readonly string[] = []): string {
  return ['apiVersion: labbox/v1', 'kind: Lab', 'metadata: { name: stack-check }', 'devices:', ...devices, ...(links.length > 0 ? ['links:', ...links] : []), ''].join('\n');
}

function errors(text: string): string[] {
  const result = parseLab('stack.lab.yaml', text);
  if (result.ok) return [];
  return result.errors.map(formatLabError);
}

const STACK = '  - { name: stack1, kind: cisco-catalyst-3750-stack }';

describe('validating a stack and its members', () => {
  it('accepts members in slots 1-9 and links named by each member\'s number', () => {
    expect(
      errors(
        lab(
          [STACK, '  - { name: sw1, kind: cisco-catalyst-3750, parent: stack1, slot: "1" }', '  - { name: sw9, kind: cisco-catalyst-3750, parent: stack1, slot: "9" }', '  - { name: pc1, kind: pc }'],
          ['  - { a: sw9:Gi9/0/48, b: pc1:eth0 }', '  - { a: sw1:Te1/1/1, b: sw9:TenGigabitEthernet9/1/2 }'],
        ),
      ),
    ).toEqual([]);
  });

  it('refuses a member whose parent is not a stack', () => {
    expect(errors(lab(['  - { name: cl1, kind: hyperv-cluster }', '  - { name: sw1, kind: cisco-catalyst-3750, parent: cl1, slot: "1" }']))).toEqual([
      'stack.lab.yaml:6:53: devices[1].parent: "cl1" is a hyperv-cluster; expected a cisco-catalyst-3750-stack, the only kind a cisco-catalyst-3750 sits in',
    ]);
  });

  it('refuses two members in one slot, and slots outside 1-9', () => {
    expect(
      errors(
        lab([
          STACK,
          '  - { name: sw1, kind: cisco-catalyst-3750, parent: stack1, slot: "2" }',
          '  - { name: sw2, kind: cisco-catalyst-3750, parent: stack1, slot: "2" }',
          '  - { name: sw3, kind: cisco-catalyst-3750, parent: stack1, slot: "10" }',
          '  - { name: sw4, kind: cisco-catalyst-3750, parent: stack1, slot: "0" }',
          '  - { name: sw5, kind: cisco-catalyst-3750, parent: stack1, slot: "two" }',
        ]),
      ),
    ).toEqual([
      'stack.lab.yaml:7:67: devices[2].slot: slot 2 of "stack1" is already taken by devices[1] (sw1); each stack member number holds one device',
      'stack.lab.yaml:8:67: devices[3].slot: expected a stack member number from 1 to 9, got the string "10"',
      'stack.lab.yaml:9:67: devices[4].slot: expected a stack member number from 1 to 9, got the string "0"',
      'stack.lab.yaml:10:67: devices[5].slot: expected a stack member number from 1 to 9, got the string "two"',
    ]);
  });

  it('refuses a member without a slot, a member with its own config, and other kinds in a stack', () => {
    expect(
      errors(
        lab([
          STACK,
          '  - { name: sw1, kind: cisco-catalyst-3750, parent: stack1 }',
          '  - { name: sw2, kind: cisco-catalyst-3750, parent: stack1, slot: "2", config: "hostname X" }',
          '  - { name: sw3, kind: cisco-catalyst-2960, parent: stack1, slot: "3" }',
        ]),
      ),
    ).toEqual([
      'stack.lab.yaml:6:45: devices[1].parent: a device in a cisco-catalyst-3750-stack needs a slot; expected slot: a stack member number from 1 to 9',
      'stack.lab.yaml:7:72: devices[2].config: a device in a cisco-catalyst-3750-stack has no configuration of its own; put it in the config of "stack1"',
      'stack.lab.yaml:8:53: devices[3].parent: a cisco-catalyst-3750-stack holds only cisco-catalyst-3750, cisco-catalyst-3750g-12s; "sw3" is a cisco-catalyst-2960',
    ]);
  });

  it('checks a member\'s links against the ports its member number gives it', () => {
    expect(
      errors(lab([STACK, '  - { name: sw2, kind: cisco-catalyst-3750, parent: stack1, slot: "2" }', '  - { name: pc1, kind: pc }'], ['  - { a: sw2:Gi1/0/1, b: pc1:eth0 }'])),
    ).toEqual([
      'stack.lab.yaml:9:10: links[0].a: device "sw2" (cisco-catalyst-3750) has no port "Gi1/0/1"; expected one of its 50 ports, GigabitEthernet2/0/1 … TenGigabitEthernet2/1/2',
    ]);
  });
});
