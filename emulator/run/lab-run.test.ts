import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseIpv4 as ip } from '../core/ipv4.ts';
import { SECOND } from '../core/time.ts';
import type { EthernetSwitch } from '../l2/switch.ts';
import type { IpHost } from '../l3/ip-host.ts';
import { createLabNetworkRun, createLabRun } from './lab-run.ts';
import { eventLogHash } from './test-support/determinism.ts';
import { shippedLab } from './test-support/labs.ts';

const here = dirname(fileURLToPath(import.meta.url));

describe('basic-switching lab', () => {
  it('connects PCs in the same VLAN across the trunk and keeps the VLANs apart', () => {
    const run = createLabNetworkRun(shippedLab('basic-switching.lab.yaml'), { seed: 1, forNs: 20 * SECOND });
    run.advance(4 * SECOND);
    const pc1 = run.node('pc1') as IpHost;
    const pc2 = run.node('pc2') as IpHost;
    const same10 = pc1.ping(ip('10.0.10.13'), { count: 3 });
    const same20 = pc2.ping(ip('10.0.20.14'), { count: 3 });
    const across = pc1.ping(ip('10.0.20.14'), { count: 1 }); // other subnet, no gateway
    run.advance(10 * SECOND);
    expect(same10.summary().received).toBe(3);
    expect(same20.summary().received).toBe(3);
    expect(across.probes[0].result).toBe('unreachable');
    const sw2 = run.node('sw2') as EthernetSwitch;
    expect(sw2.macTable({ vlan: 10 }).map((e) => e.ports[0])).toEqual(['port24', 'port1']);
    expect(run.status()).toMatchObject({ now: 10 * SECOND, endTime: 20 * SECOND, done: false });
    run.advance(60 * SECOND);
    expect(run.status()).toMatchObject({ now: 20 * SECOND, done: true });
  });

  it('runs the same when a host advances it by fractional wall-clock slices', () => {
    // Hosts compute targets as wall time × speed; simulated time must stay whole nanoseconds.
    const whole = createLabNetworkRun(shippedLab('basic-switching.lab.yaml'), { seed: 3, forNs: 6 * SECOND });
    const kindsWhole = whole.advance(6 * SECOND).map((e) => `${e.t} ${e.kind} ${e.device ?? ''}`);
    const sliced = createLabNetworkRun(shippedLab('basic-switching.lab.yaml'), { seed: 3, forNs: 6 * SECOND });
    const kindsSliced: string[] = [];
    for (let t = 0.37e9 + 0.5; t < 6.1e9; t += 0.41e9 + 0.25) {
      for (const e of sliced.advance(t)) kindsSliced.push(`${e.t} ${e.kind} ${e.device ?? ''}`);
      expect(Number.isInteger(sliced.status().now)).toBe(true);
    }
    expect(kindsSliced).toEqual(kindsWhole);
    expect(sliced.status().eventsExecuted).toBe(whole.status().eventsExecuted);
  });

  it('reports link and port events from advance()', () => {
    const run = createLabNetworkRun(shippedLab('basic-switching.lab.yaml'), { seed: 1 });
    run.advance(SECOND);
    run.net.links[0].setUp(false);
    const events = run.advance(2 * SECOND);
    expect(events.map((e) => e.kind)).toEqual(['link.down', 'port.down', 'port.down']);
    expect(events[1]).toMatchObject({ device: 'sw1', port: 'port24' });
  });

  it('answers at a console with a clear message when the kind has none', () => {
    const run = createLabRun(shippedLab('basic-switching.lab.yaml'), { seed: 1 });
    expect(run.consoleInput('sw1', 'show vlan').output).toContain('sw1 (l2-switch) has no console yet');
    expect(run.consoleInput('pc1', 'ipconfig').output).toContain('Ethernet adapter Ethernet:');
    expect(() => run.consoleInput('nope', 'x')).toThrow(/no device/);
  });

  it('refuses a lab whose link names a port the device does not have', () => {
    const lab = shippedLab('basic-switching.lab.yaml');
    expect(() => createLabRun({ ...lab, links: [{ a: 'sw1:port99', b: 'pc1:eth0' }] }, { seed: 1 })).toThrow(/sw1 has no port "port99"/);
  });

  it('captures a port to pcapng with real frames and the run’s events as comments', () => {
    const run = createLabNetworkRun(shippedLab('basic-switching.lab.yaml'), { seed: 1 });
    const id = run.startCapture('sw1:port24--sw2:port24');
    run.advance(4 * SECOND);
    (run.node('pc1') as IpHost).ping(ip('10.0.10.13'), { count: 2 });
    run.advance(6 * SECOND);
    run.stopCapture(id);
    const [cap] = run.listCaptures();
    expect(cap.frames).toBeGreaterThan(10); // DAD ARPs from all four PCs, ARP, echo request/reply
    const bytes = run.exportCapture(id);
    expect([...bytes.subarray(0, 4)]).toEqual([0x0a, 0x0d, 0x0d, 0x0a]); // pcapng section header
    run.advance(8 * SECOND);
    expect(run.listCaptures()[0].frames).toBe(cap.frames); // stopped captures stay as they were
    expect(run.net.links[0].a.tap).toBeNull();

    const tshark = spawnSync('tshark', ['-v'], { encoding: 'utf8' });
    if (tshark.status !== 0) return; // tshark (Debian package) not installed: the byte checks above stand
    const dir = mkdtempSync(join(tmpdir(), 'labbox-cap-'));
    try {
      const file = join(dir, 'trunk.pcapng');
      writeFileSync(file, bytes);
      const out = execFileSync('tshark', ['-r', file, '-T', 'fields', '-e', 'vlan.id', '-e', '_ws.col.Protocol'], { encoding: 'utf8' });
      const rows = out.trim().split('\n').map((l) => l.split('\t'));
      expect(rows).toHaveLength(cap.frames);
      expect(rows).toContainEqual(['10', 'ICMP']); // the pings crossed the trunk tagged for VLAN 10
      expect(rows.some(([vlan, proto]) => vlan === '20' && proto === 'ARP')).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('determinism', () => {
  it('gives the same event log for the same lab and seed, in this process and in two others', () => {
    const a = eventLogHash(42);
    const b = eventLogHash(42);
    expect(a.events).toBeGreaterThan(1000);
    expect(b).toEqual(a);
    const main = join(here, 'test-support', 'determinism-main.ts');
    const child = (): { hash: string; events: number } =>
      JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', main, '42'], { encoding: 'utf8' }).trim()) as { hash: string; events: number };
    expect(child()).toEqual(a);
    expect(child()).toEqual(a);
  });
});
