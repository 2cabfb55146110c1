import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { editScenario, failures, replaceAll } from './test-support/lab-variants.ts';
import { runScenario } from './test-support/run-scenario.ts';

/**
 * The shipped SCVMM WinRM lab, and variants whose outcome must follow the mechanism: the fix
 * typed without restarting WinRM, WinRM stopped and not started again, one VM at a time, and a
 * faster storage that needs no fix.
 */
const LAB = fs.readFileSync(path.resolve(import.meta.dirname, '../../labs/scvmm-winrm-timeout.lab.yaml'), 'utf8');
const SCENARIO = 'deploy-times-out';

describe('shipped lab: scvmm-winrm-timeout', () => {
  it('deploy-times-out: every expectation holds', () => {
    const { report, events } = runScenario(LAB, SCENARIO);
    expect(report.problems).toEqual([]);
    expect(report.expectations.length).toBe(6);
    expect(failures(LAB, SCENARIO)).toEqual([]);
    const faults = events.filter((e) => e.text.includes('failed: 0x80338029'));
    expect(faults.map((e) => e.text)).toEqual(['web1', 'web2', 'web3', 'web4'].map((vm) => `hv1: WinRM operation from vmm1 (create virtual machine ${vm}) failed: 0x80338029`));
  });
});

describe('scvmm-winrm-timeout variants', () => {
  const AFTER_FIX = [expect.stringMatching(/^the same four VMs now deploy to hv1/)];

  it('the fix without restarting WinRM: the service keeps 60 s and the deployment times out again', () => {
    const text = editScenario(LAB, SCENARIO, (b) => replaceAll(b, [['          - net stop winrm\n          - "y"\n          - net start winrm\n', '']]));
    expect(failures(text, SCENARIO)).toEqual(AFTER_FIX);
  });

  it('WinRM stopped and not started again: the deployment cannot reach hv1', () => {
    const text = editScenario(LAB, SCENARIO, (b) => replaceAll(b, [['          - net start winrm\n          - net start vmmagent\n', '']]));
    expect(failures(text, SCENARIO)).toEqual([expect.stringMatching(/^after the fix hv1's WinRM allows/), ...AFTER_FIX]);
  });

  it('four VMs one after another each finish within 60 s with no fix and no second deployment', () => {
    const serial = [0, 1, 2, 3].map((i) => `      - { at: ${10 + i * 30}s, do: vmm-deploy, from: vmm1, to: hv1, vms: [web${i + 1}], disk-gb: 4 }\n`).join('');
    const text = editScenario(LAB, SCENARIO, (b) => replaceAll(b, [[/ {6}- \{ at: 100s, do: vmm-deploy.*\n/, ''], ['      - { at: 10s, do: vmm-deploy, from: vmm1, to: hv1, vms: [web1, web2, web3, web4], disk-gb: 4, note: "four VMs to hv1 at once" }\n', serial], [/ {6}- at: 90s\n[\s\S]*?net start vmmagent\n/, '']]));
    expect(failures(text, SCENARIO)).toEqual([expect.stringMatching(/^none of the four VMs deployed at once exists on hv1/), expect.stringMatching(/^after the fix hv1's WinRM allows/)]);
  });
});
