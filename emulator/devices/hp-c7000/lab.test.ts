import { describe, expect, it } from 'vitest';
import { SECOND } from '../../core/time.ts';
import { labSchema } from '../../lab/schema.ts';
import { LabNetworkRun } from '../../run/lab-run.ts';

function run(extra: { bay2Firmware?: string } = {}): LabNetworkRun {
  const lab = labSchema.parse({
    apiVersion: 'labbox/v1',
    kind: 'Lab',
    metadata: { name: 'vc-basic' },
    devices: [
      // Children listed before their enclosure: the run seats them anyway.
      { name: 'web1', kind: 'hp-bl460c', parent: 'enc1', slot: '4', settings: { ip: '10.0.0.11/24' } },
      { name: 'enc1', kind: 'hp-c7000' },
      {
        name: 'vc1',
        kind: 'hp-vc-flexfabric',
        parent: 'enc1',
        slot: '1',
        config: 'add network Prod SmartLink=Enabled\nadd uplinkport enc0:1:X1 Network=Prod\nadd uplinkport enc0:2:X1 Network=Prod\nadd profile web1\nadd enet-connection web1 Network=Prod SpeedType=Custom Speed=2000\nadd enet-connection web1 Network=Prod\nassign profile web1 enc0:4\n',
      },
      { name: 'vc2', kind: 'hp-vc-flexfabric', parent: 'enc1', slot: '2', settings: { firmware: extra.bay2Firmware ?? '3.70' } },
      { name: 'core', kind: 'l2-switch' },
      { name: 'client', kind: 'pc', settings: { ip: '10.0.0.1/24' } },
    ],
    links: [
      { a: 'vc1:X1', b: 'core:1' },
      { a: 'vc2:X1', b: 'core:2' },
      { a: 'client:eth0', b: 'core:3' },
    ],
  });
  return new LabNetworkRun(lab, { seed: 1 });
}

describe('c7000 lab from a lab file', () => {
  it('the OA shows the enclosure, its modules and blades, and resets a module', () => {
    const r = run();
    r.advance(1 * SECOND);
    expect(r.consoleInput('enc1', 'show enclosure info').output).toContain('BladeSystem c7000 Enclosure G2');
    const ic = r.consoleInput('enc1', 'show interconnect info all').output;
    expect(ic).toContain('Interconnect Module #1 Information:');
    expect(ic).toMatch(/Module #2 Information:\n\tType: Ethernet\n\tProduct Name: HP VC FlexFabric 10Gb\/24-Port Module\n\tFirmware Version: 3.70/);
    expect(ic).toMatch(/Module #3 Information:\n\tStatus: Absent/);
    expect(r.consoleInput('enc1', 'show server list').output).toMatch(/^4\s+web1/m);
    expect(r.consoleInput('enc1', 'sh interconnect info 9').output).toContain('Invalid arguments');
    expect(r.consoleInput('enc1', 'reset interconnect 2').output).toContain('Successfully reset');
    r.advance(2 * SECOND);
    expect(r.consoleInput('enc1', 'show interconnect info 2').output).toContain('Status: Degraded');
  });

  it('the VC CLI shows profiles with MACs and FlexNIC speeds, networks, uplink sets and firmware', () => {
    const r = run({ bay2Firmware: '4.10' });
    r.advance(1 * SECOND);
    const prof = r.consoleInput('vc1', 'show profile web1').output;
    expect(prof).toMatch(/1\s+Prod\s+OK\s+UseBIOS\s+00-17-A4-77-00-00\s+2Gb\s+LOM:1-a/);
    expect(prof).toMatch(/2\s+Prod\s+OK\s+UseBIOS\s+00-17-A4-77-00-02\s+10Gb\s+LOM:2-a/);
    expect(r.consoleInput('vc1', 'show vnet').output).toMatch(/Prod\s+OK\s+Enabled\s+--\s+--\s+enc0:1:X1/);
    expect(r.consoleInput('vc2', 'show firmware').output).toMatch(/enc0:2\s+.*4\.10/);
    expect(r.consoleInput('vc1', 'show interconnect').output).toMatch(/enc0:1\s+.*OK\s+Primary/);
    expect(r.consoleInput('vc1', 'show bogus').output).toContain('ERROR');
  });

  it('vcsu from the OA console runs the update; the firmware shows the new version when it is done', () => {
    const r = run();
    r.advance(1 * SECOND);
    expect(r.consoleInput('enc1', 'vcsu -a update -l 4.45 -oe sideways').output).toContain('Activation order must be');
    expect(r.consoleInput('enc1', 'vcsu -a update -l 4.45 -oe odd-even -we 5').output).toContain('Checkpoint Validation Succeeded');
    r.advance(2 * 3600 * SECOND);
    expect(r.consoleInput('vc2', 'show firmware').output).toMatch(/enc0:1\s+.*4\.45\s+--\s+OK/);
    expect(r.consoleInput('enc1', 'vcsu -a healthcheck').output).toContain('Primary VCM: bay 2');
  });

  it('the VC CLI has no VC Manager to answer while both bay 1 and 2 are down', () => {
    const r = run();
    r.advance(1 * SECOND);
    r.consoleInput('enc1', 'poweroff interconnect 1');
    r.consoleInput('enc1', 'poweroff interconnect 2');
    r.advance(2 * SECOND);
    expect(r.consoleInput('vc1', 'show profile').output).toContain('Unable to connect');
  });
});
