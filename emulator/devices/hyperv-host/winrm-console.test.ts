import { describe, expect, it } from 'vitest';
import { Network } from '../../core/network.ts';
import { HypervHost } from './host.ts';

function shell(): { hv: HypervHost; run: (line: string) => string } {
  const hv = new HypervHost(new Network(1), 'hv1', { winrmMaxOperationsPerUser: 15 });
  const s = hv.openConsole();
  return { hv, run: (line) => s.input(line) };
}

describe('winrm and net on the Hyper-V host console', () => {
  it('decodes the error the VMM job shows', () => {
    const { run } = shell();
    expect(run('winrm helpmsg 0x80338029')).toBe('The WS-Management service cannot complete the operation within the time specified in OperationTimeout.\n\n');
  });

  it('prints the configuration tree with the shipped values', () => {
    const { run } = shell();
    const out = run('winrm get winrm/config');
    expect(out).toMatch(/^Config\n {4}MaxEnvelopeSizekb = 150\n {4}MaxTimeoutms = 60000\n/);
    expect(out).toContain('\n    Service\n');
    expect(out).toContain('\n        MaxConcurrentOperationsPerUser = 15\n');
  });

  it('stores a change at once but the service acts on it only after net stop and net start', () => {
    const { hv, run } = shell();
    expect(run('winrm set winrm/config @{MaxTimeoutms = "1800000"}')).toContain('MaxTimeoutms = 1800000');
    expect(run('winrm set winrm/config/Service @{MaxConcurrentOperationsPerUser="400"}')).toMatch(/^Service\n[\s\S]*MaxConcurrentOperationsPerUser = 400\n/);
    expect(hv.winrm.effective.maxTimeoutMs).toBe(60000);

    const ask = run('net stop winrm');
    expect(ask).toContain('Virtual Machine Manager Agent');
    expect(ask).toMatch(/\(Y\/N\) \[N\]: $/);
    expect(hv.openConsole().prompt()).not.toBe('');
    const stopped = run('y');
    expect(stopped).toContain('The Windows Remote Management (WS-Management) service was stopped successfully.');
    expect(hv.vmmAgentRunning).toBe(false);
    expect(run('winrm get winrm/config')).toContain('0x80338012');

    expect(run('net start winrm')).toContain('service was started successfully');
    expect(run('net start vmmagent')).toContain('The Virtual Machine Manager Agent service was started successfully.');
    expect(hv.winrm.effective).toEqual({ maxTimeoutMs: 1_800_000, maxConcurrentOperationsPerUser: 400 });
    expect(run('net start winrm')).toContain('The requested service has already been started.');
  });

  it('still runs cmdlets', () => {
    const { run } = shell();
    expect(run('Get-VM')).toBe('');
  });
});
