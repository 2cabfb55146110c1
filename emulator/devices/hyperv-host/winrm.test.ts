import { describe, expect, it } from 'vitest';
import { Network } from '../../core/network.ts';
import { SECOND } from '../../core/time.ts';
import { HypervHost } from './host.ts';
import { deployVms } from './winrm-vmm.ts';

const GB = 1024 ** 3;

/** A 2008 R2 host (15 operations per user) whose storage writes 150 MB/s: a 4 GB disk alone takes about 29 s. */
function setup(): { net: Network; hv: HypervHost } {
  const net = new Network(1);
  const hv = new HypervHost(net, 'hv1', { storageBytesPerSecond: 150e6, winrmMaxOperationsPerUser: 15 });
  return { net, hv };
}

function deploy(net: Network, names: string[], timeoutMs = 30 * 60_000): void {
  expect(deployVms(net, { from: 'vmm1', to: 'hv1', vms: names, diskBytes: 4 * GB, timeoutMs })).toEqual([]);
}

const faults = (hv: HypervHost): string[] => hv.winrm.log.filter((e) => !e.outcome.ok).map((e) => (e.outcome.ok ? '' : `0x${e.outcome.code.toString(16)}`));

describe('WinRM operations on a Hyper-V host', () => {
  it('creates one VM well within the default MaxTimeoutms', () => {
    const { net, hv } = setup();
    deploy(net, ['web1']);
    net.runUntil(60 * SECOND);
    expect([...hv.vms.keys()]).toEqual(['web1']);
    const done = hv.winrm.log[0];
    expect((done.atNs - done.startedNs) / SECOND).toBeCloseTo((4 * GB) / 150e6, 0);
  });

  it('times four VMs created at once out with 0x80338029, as the shared storage makes each take four times longer than 60 s allows', () => {
    const { net, hv } = setup();
    deploy(net, ['web1', 'web2', 'web3', 'web4']);
    net.runUntil(200 * SECOND);
    expect(hv.vms.size).toBe(0);
    expect(faults(hv)).toEqual(['0x80338029', '0x80338029', '0x80338029', '0x80338029']);
    expect(hv.winrm.log[0].atNs).toBe(60 * SECOND);
  });

  it('keeps the old MaxTimeoutms after winrm set until the service restarts', () => {
    const { net, hv } = setup();
    hv.winrm.store({ maxTimeoutMs: 1_800_000 });
    deploy(net, ['web1', 'web2', 'web3', 'web4']);
    net.runUntil(200 * SECOND);
    expect(hv.vms.size).toBe(0);

    hv.winrm.stop();
    hv.winrm.start();
    deploy(net, ['web5', 'web6', 'web7', 'web8']);
    net.runUntil(400 * SECOND);
    expect([...hv.vms.keys()].sort()).toEqual(['web5', 'web6', 'web7', 'web8']);
  });

  it('never grants more than the request asks for', () => {
    const { net, hv } = setup();
    hv.winrm.store({ maxTimeoutMs: 1_800_000 });
    hv.winrm.stop();
    hv.winrm.start();
    deploy(net, ['web1', 'web2'], 30_000);
    net.runUntil(200 * SECOND);
    expect(faults(hv)).toEqual(['0x80338029', '0x80338029']);
  });

  it('refuses operations beyond MaxConcurrentOperationsPerUser at once', () => {
    const { net, hv } = setup();
    const names = Array.from({ length: 17 }, (_, i) => `vm${i + 1}`);
    deploy(net, names);
    expect(hv.winrm.inFlight).toBe(15);
    expect(faults(hv)).toEqual(['0x803381a6', '0x803381a6']);
  });

  it('answers requests with cannot-connect while the service is stopped', () => {
    const { net, hv } = setup();
    hv.winrm.stop();
    deploy(net, ['web1']);
    expect(faults(hv)).toEqual(['0x80338012']);
  });
});
