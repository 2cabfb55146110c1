import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { editScenario, failures, replaceAll } from './test-support/lab-variants.ts';

/**
 * The shipped VC uplink LACP lab holds every expectation as shipped and with other numbers; taking
 * away what its story rests on (LACP on the core's channel, connection mode Auto on VC, the static
 * channel of the second scenario) fails exactly the expectations about it. The mechanisms decide.
 */
const LAB = fs.readFileSync(path.resolve(import.meta.dirname, '../../labs/vc-uplink-lacp.lab.yaml'), 'utf8');
const names = (text: string, scenario: string): string[] => failures(text, scenario).map((f) => f.split(':')[0]);

/** Without a working LACP bundle every expectation of the member-pull scenario fails, whichever side stops bundling. */
const EVERY_MEMBER_PULL_CHECK = [
  'the core bundles both ports with LACP',
  'VC bundles X1 and X2 into one active LAG',
  'after the pull the network stays on LAG 25 with X2 alone',
  'web1 answers throughout',
  'X1 bundles again when its cable is back',
];

describe('VC uplink LACP lab', () => {
  it('holds every expectation of both scenarios as shipped', () => {
    expect(failures(LAB, 'lacp-member-pull')).toEqual([]);
    expect(failures(LAB, 'static-mode-on')).toEqual([]);
  });

  it('holds them with channel groups 7 and 8 and 172.20.5.0/24 in VLAN 205', () => {
    const text = replaceAll(LAB, [
      ['channel-group 1 mode active', 'channel-group 7 mode active'],
      ['interface Port-channel1\n', 'interface Port-channel7\n'],
      ['Po1\\\\(SU\\\\)', 'Po7\\\\(SU\\\\)'],
      ['channel-group 2 mode on', 'channel-group 8 mode on'],
      ['interface Port-channel2,', 'interface Port-channel8,'],
      ['Po2\\\\(SU\\\\)', 'Po8\\\\(SU\\\\)'],
      ['vlan 98', 'vlan 205'],
      ['10.98.0.', '172.20.5.'],
    ]);
    expect(failures(text, 'lacp-member-pull')).toEqual([]);
    expect(failures(text, 'static-mode-on')).toEqual([]);
  });

  it('with `mode on` on the core from the start, VC bundles nothing and the client, hashed onto the standby port, is cut off', () => {
    const text = replaceAll(LAB, [['channel-group 1 mode active', 'channel-group 1 mode on']]);
    expect(names(text, 'lacp-member-pull')).toEqual(EVERY_MEMBER_PULL_CHECK);
  });

  it('with connection mode Failover VC sends no LACPDUs: the core never bundles and forwards nothing to module 1', () => {
    const text = replaceAll(LAB, [['add network Prod SmartLink=Enabled ConnectionMode=Auto', 'add network Prod SmartLink=Enabled ConnectionMode=Failover']]);
    // VC keeps X1 active as a single uplink (all three are 10 Gb; the lower bay and port win), but
    // the core's LACP ports wait for a partner and carry nothing.
    expect(names(text, 'lacp-member-pull')).toEqual(EVERY_MEMBER_PULL_CHECK);
  });

  it('with the core left on LACP in the second scenario, X1 and X2 stay one LAG and the pull costs nothing', () => {
    const text = editScenario(LAB, 'static-mode-on', (b) => replaceAll(b, [[/      - \{ at: 1s, do: cli, .*\n/, '']]));
    // Nothing hashes onto a standby port and nothing fails over: the LAG just loses a member.
    expect(names(text, 'static-mode-on')).toEqual([
      'the core runs a static channel',
      'VC does not bundle, one port is active',
      "client's frames hashed onto the standby port are dropped",
      'X2 is active after the pull',
      'the failover is not free',
    ]);
  });
});
