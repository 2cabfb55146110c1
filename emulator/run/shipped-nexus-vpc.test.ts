import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { editScenario, failures, replaceAll } from './test-support/lab-variants.ts';

/**
 * The shipped Nexus vPC teaming lab holds every expectation as shipped and with other numbers;
 * taking away what its story rests on (`vpc 20` on both peers, the change that removes it)
 * fails exactly the expectations about it. The mechanisms decide, not the lab.
 */
const LAB = fs.readFileSync(path.resolve(import.meta.dirname, '../../labs/nexus-vpc-teaming.lab.yaml'), 'utf8');

describe('Nexus vPC teaming lab', () => {
  it('holds every expectation of both scenarios as shipped', () => {
    expect(failures(LAB, 'vpc')).toEqual([]);
    expect(failures(LAB, 'missing-vpc')).toEqual([]);
  });

  it('holds them with vPC domain 42, vPC 33 on port-channel 33 and other FEX numbers', () => {
    const text = replaceAll(LAB, [
      ['vpc domain 10', 'vpc domain 42'],
      ['channel-group 20 mode active', 'channel-group 33 mode active'],
      ['interface port-channel20\n        vpc 20', 'interface port-channel33\n        vpc 33'],
      ['interface port-channel20, no vpc 20', 'interface port-channel33, no vpc 33'],
      ['101', '111'],
      ['102', '112'],
      ['Po20', 'Po33'],
      ['20 +Po33', '33 +Po33'],
    ]);
    expect(failures(text, 'vpc')).toEqual([]);
    expect(failures(text, 'missing-vpc')).toEqual([]);
  });

  it('without vpc 20 on n5k-2 from the start, the team bundles to one switch only and the pull cuts the server off', () => {
    const text = replaceAll(LAB, [['      interface port-channel20\n        vpc 20\n      interface Ethernet102/1/10', '      interface Ethernet102/1/10']]);
    // n5k-2's plain port-channel answers first (vPC ports wait for the peer adjacency), so the team
    // aggregates with n5k-2's own system and suspends NIC1. When NIC2 is pulled, NIC1 bundles, but
    // n5k-1 still holds web1's MAC on the peer-link, where it heard web1 before: it drops the
    // client's pings until web1 itself sends through NIC1.
    expect(failures(text, 'vpc').map((f) => f.split(':')[0])).toEqual([
      'vPC 20 is up and consistent on n5k-2',
      'n5k-1 bundles the server link',
      'both team members are active',
      'web1 answers throughout',
      'after the pull n5k-2 reaches the server over the peer-link',
    ]);
  });

  it('without the change on n5k-2, nothing is suspended', () => {
    const text = editScenario(LAB, 'missing-vpc', (b) => replaceAll(b, [['no vpc 20', 'vpc 20']]));
    expect(failures(text, 'missing-vpc').map((f) => f.split(':')[0])).toEqual(['n5k-2 lists its server link suspended', 'the team carries on over NIC1 only']);
  });
});
