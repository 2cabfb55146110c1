import { describe, expect, it } from 'vitest';
import { SECOND } from '../../core/time.ts';
import { createHypervVm } from '../../devices/hyperv-host/index.ts';
import { buildLab, replies, type TestLab } from '../../devices/hp-c7000/test-support/build.ts';
import { parseIpv4 } from '../../core/ipv4.ts';
import type { Settings } from '../../devices/kind.ts';

const CONFIG = `
add network Prod SmartLink=Enabled
add uplinkport enc0:1:X1 Network=Prod
add uplinkport enc0:2:X1 Network=Prod
add profile hv1
add enet-connection hv1 Network=Prod
add enet-connection hv1 Network=Prod
assign profile hv1 enc0:1
`;

const MIN = 60;
const up = (s: number, poll = 30): number => Math.ceil(s / poll) * poll;

function lab(mods: { bay: number; kind?: string; settings?: Settings }[]): TestLab {
  return buildLab({ modules: mods, blades: [], config: 'add network N\n', uplinks: [] });
}

describe('VCSU update and activation orders', () => {
  it.each([
    { boot: 150, hold: 20, delay: 0 },
    { boot: 90, hold: 20, delay: 5 },
  ])('odd-even on two Enet modules: backup, failover, primary (boot $boot s, -we $delay)', ({ boot, hold, delay }) => {
    const s = { bootSeconds: boot, gracefulLinkHoldSeconds: hold };
    const l = lab([{ bay: 1, settings: s }, { bay: 2, settings: s }]);
    l.net.runUntil(1 * SECOND);
    const t0 = l.net.now;
    const job = l.enc.startVcsu({ version: '4.45', enetOrder: 'odd-even', enetDelayMinutes: delay });
    l.net.runUntil(4 * 3600 * SECOND);
    expect(job.state).toBe('done');
    expect(job.activations.map((a) => a.bay)).toEqual([2, 1]);
    const updateEnd = 60 + 120 + 2 * 20 * MIN;
    expect((job.activations[0].t - t0) / SECOND).toBe(updateEnd);
    const expected = updateEnd + up(hold + boot) + up(60) + delay * MIN + up(hold + boot);
    expect(job.durationNs! / SECOND).toBe(expected);
    expect([...l.modules.values()].map((m) => m.firmware)).toEqual(['4.45', '4.45']);
    expect(l.enc.domain.vcmPrimary).toBe(2);
  });

  it('odd-even over two pairs and two FC modules: 2, 1, 3, 4, then FC serially', () => {
    const l = lab([{ bay: 1 }, { bay: 2 }, { bay: 3 }, { bay: 4 }, { bay: 5, kind: 'hp-vc-fc' }, { bay: 6, kind: 'hp-vc-fc' }]);
    l.net.runUntil(1 * SECOND);
    const job = l.enc.startVcsu({ version: '4.45' });
    l.net.runUntil(8 * 3600 * SECOND);
    expect(job.state).toBe('done');
    expect(job.activations.map((a) => a.bay)).toEqual([2, 1, 3, 4, 5, 6]);
    // Updating alone: 4 × 20 min for Enet plus 2 × 5 min for FC.
    expect((job.activations[0].t - 1 * SECOND) / SECOND).toBe(60 + 120 + 4 * 20 * MIN + 2 * 5 * MIN);
  });

  it('parallel reboots every module at once; serial after the pair goes one bay at a time', () => {
    const l = lab([{ bay: 1 }, { bay: 2 }, { bay: 3 }, { bay: 4 }]);
    l.net.runUntil(1);
    const par = l.enc.startVcsu({ version: '4.45', enetOrder: 'parallel' });
    l.net.runUntil(5 * 3600 * SECOND);
    expect(new Set(par.activations.map((a) => a.t)).size).toBe(1);
    expect([l.enc.domain.vcmPrimary, l.enc.domain.vcmBackup]).toEqual([1, 2]);
    const ser = l.enc.startVcsu({ version: '4.50', enetOrder: 'serial' });
    l.net.runUntil(10 * 3600 * SECOND);
    // Both came back together after the parallel run; bay 1 took VCM, so bay 2 is the backup and goes first.
    expect(ser.activations.map((a) => a.bay)).toEqual([2, 1, 3, 4]);
    expect(ser.activations[3].t - ser.activations[2].t).toBeGreaterThanOrEqual(150 * SECOND);
  });

  it('the backup goes first whichever bay holds it', () => {
    const l = lab([{ bay: 1 }, { bay: 2 }]);
    l.net.runUntil(1);
    l.enc.resetInterconnect(1); // bay 2 takes over VCM; bay 1 returns as backup
    l.net.runUntil(600 * SECOND);
    expect([l.enc.domain.vcmPrimary, l.enc.domain.vcmBackup]).toEqual([2, 1]);
    const job = l.enc.startVcsu({ version: '4.45' });
    l.net.runUntil(4 * 3600 * SECOND);
    expect(job.activations.map((a) => a.bay)).toEqual([1, 2]);
  });

  it('manual: updated, not activated; each OA reset five minutes apart brings the new firmware', () => {
    const l = lab([{ bay: 1 }, { bay: 2 }]);
    l.net.runUntil(1 * SECOND);
    const job = l.enc.startVcsu({ version: '4.45', enetOrder: 'manual', enetDelayMinutes: 5 });
    l.net.runUntil(3 * 3600 * SECOND);
    expect(job.state).toBe('done');
    expect(job.activations).toEqual([]);
    expect(job.durationNs! / SECOND).toBe(60 + 120 + 2 * 20 * MIN);
    const m1 = l.modules.get(1)!;
    const m2 = l.modules.get(2)!;
    expect([m1.firmware, m1.stagedFirmware]).toEqual(['3.70', '4.45']);
    const t = l.net.now;
    expect(l.enc.openConsole().input('reset interconnect 1')).toContain('Successfully reset');
    l.net.runUntil(t + 5 * MIN * SECOND);
    expect(m1.firmware).toBe('4.45');
    expect(m2.firmware).toBe('3.70');
    l.enc.openConsole().input('reset interconnect 2');
    l.net.runUntil(t + 10 * MIN * SECOND);
    expect(m2.firmware).toBe('4.45');
  });

  it('refuses to start without a primary VCM', () => {
    const l = lab([{ bay: 3 }, { bay: 4 }]);
    l.net.runUntil(1);
    const job = l.enc.startVcsu({ version: '4.45' });
    expect(job.state).toBe('aborted');
    expect(job.log.map((x) => x.text)).toContain('ERROR: Primary VCM not found');
  });
});

describe('graceful reboot vs OA reset, seen by a teamed Hyper-V host', () => {
  /** A VM on a Hyper-V blade (team NIC1 active, NIC2 standby) pinged every 200 ms while bay 1 restarts. */
  function outage(action: 'graceful' | 'reset', firmware: string): number {
    const l = buildLab({
      modules: [{ bay: 1, settings: { firmware } }, { bay: 2, settings: { firmware } }],
      blades: [{ name: 'hv1', bay: 1, settings: { os: 'hyperv', teamingMode: 'SwitchIndependent', standbyMember: 'NIC2' } }],
      config: CONFIG,
      uplinks: ['1:X1', '2:X1'],
    });
    createHypervVm(l.net, { name: 'vm1', settings: { ip: '10.0.0.21/24' }, parent: 'hv1' });
    const flow = l.client.ping(parseIpv4('10.0.0.21'), { intervalNs: 200_000_000, timeoutNs: 1 * SECOND });
    l.net.runUntil(10 * SECOND);
    if (action === 'graceful') l.modules.get(1)!.rebootGraceful();
    else l.enc.resetInterconnect(1);
    l.net.runUntil(400 * SECOND);
    const r = replies(flow, 10, 400);
    expect(replies(flow, 5, 10).ok).toBe(25);
    return ((r.sent - r.ok) * 200) / 1000;
  }

  it('old firmware: a graceful reboot keeps server links up and the VM is cut off for about the hold time', () => {
    const lost = outage('graceful', '3.70');
    expect(lost).toBeGreaterThanOrEqual(18);
    expect(lost).toBeLessThan(25);
  });

  it('an OA reset drops the links at once: only the uplink failover is lost', () => {
    // 2 s uplink failover (the active uplink was on bay 1) plus the probes in flight.
    expect(outage('reset', '3.70')).toBeLessThanOrEqual(5);
  });

  it('firmware that signals SmartLink/DCC on a graceful reboot behaves like the reset', () => {
    expect(outage('graceful', '4.45')).toBeLessThanOrEqual(5);
  });
});
