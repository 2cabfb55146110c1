import { describe, expect, it } from 'vitest';
import { SECOND } from '../../core/time.ts';
import { labSchema } from '../../lab/schema.ts';
import { LabNetworkRun } from '../../run/lab-run.ts';

const lab = labSchema.parse({
  apiVersion: 'labbox/v1',
  kind: 'Lab',
  metadata: { name: 'esxi-smoke' },
  devices: [
    { name: 'sw1', kind: 'l2-switch' },
    { name: 'esx01', kind: 'esxi-host', settings: { managementIp: '10.0.0.11/24', nicSpeed: '1G', nicMedium: 'copper', dvsUplinks: 'vmnic0,vmnic1', dvPortGroups: 'Web/0/notify=no' } },
    { name: 'web1', kind: 'esxi-vm', parent: 'esx01', settings: { portGroup: 'Web', ip: '10.0.0.21/24', dvPort: 431 } },
  ],
  links: [
    { a: 'esx01:vmnic0', b: 'sw1:port1' },
    { a: 'esx01:vmnic1', b: 'sw1:port2' },
  ],
});

describe('esxi kinds in a lab run', () => {
  it('builds the host and its VM from the lab file and answers esxcli at the console', () => {
    const run = new LabNetworkRun(lab, { seed: 1 });
    run.advance(1 * SECOND);
    expect(run.consolePrompt('esx01')).toBe('[root@esx01:~] ');
    const vms = run.consoleInput('esx01', 'esxcli network vm list');
    expect(JSON.stringify(vms)).toContain('web1');
    const dvs = JSON.stringify(run.consoleInput('esx01', 'esxcfg-vswitch -l'));
    expect(dvs).toMatch(/431\s+1\s+web1 ethernet0/);
  });
});
