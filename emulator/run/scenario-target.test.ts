import { describe, expect, it } from 'vitest';
import { parseLab } from '../lab/parse.ts';
import { createLabNetworkRun } from './lab-run.ts';
import { check, runScenario } from './test-support/run-scenario.ts';

/** Two PCs on a PowerConnect, plus a cluster-less Hyper-V host, to drive every kind of action. */
const LAB = `
apiVersion: labbox/v1
kind: Lab
metadata: { name: target }
devices:
  - name: sw1
    kind: dell-powerconnect-5424
    config: |
      interface range ethernet g(1-2)
      channel-group 1 mode auto
      exit
  - { name: pc1, kind: pc, settings: { ip: 10.0.0.1/24 } }
  - { name: pc2, kind: pc, settings: { ip: 10.0.0.2/24 } }
  - { name: hv1, kind: hyperv-host, settings: { teamingMode: LACP } }
  - { name: vm1, kind: hyperv-vm, parent: hv1, settings: { ip: 10.0.0.21/24 } }
links:
  - { a: "pc1:eth0", b: "sw1:g10" }
  - { a: "pc2:eth0", b: "sw1:g11" }
  - { a: "hv1:NIC1", b: "sw1:g1" }
  - { a: "hv1:NIC2", b: "sw1:g2" }
scenarios:
  - name: cable
    duration: 20s
    traffic:
      - { id: p, start: 4s, ping: { from: pc1, to: pc2, every: 100ms } }
      - { id: u, start: 4s, udp: { from: pc1, to: 10.0.0.21, port: 5000, rate: 20 } }
    steps:
      - { at: 6s, do: link-down, link: "sw1:g11" }
      - { at: 9s, do: link-up, link: ["pc2:eth0", "sw1:g11"] }
    expect:
      - { name: outage, flow: p, max-outage: 3s }
      - { name: some lost, flow: p, min-lost: 25 }
      - { name: udp arrives, flow: u, max-lost: 0 }
      - { name: g11 flat while down, counter: { on: sw1, port: g11, name: out-unicast }, between: [6.5s, 8.5s], stays-flat: true }
      - { name: lag carries the stream, counter: { on: sw1, port: ch1, name: out-unicast }, between: [4s, 12s], at-least: 100 }
      - { name: team counts the same, counter: { on: hv1, port: Team1, name: in-unicast }, between: [4s, 12s], at-least: 100 }
      - { name: lag up, at: 3s, cli: { on: sw1, run: [enable, show interfaces port-channel] }, matches: "ch1 +Active: g\\\\(1-2\\\\)" }
  - name: refusals
    duration: 5s
    steps:
      - { at: 1s, do: power-off, device: sw1 }
      - { at: 1s, do: live-migrate, vms: pc1, to: hv1 }
      - { at: 1s, do: set, device: pc1, setting: nosuch, value: 1 }
      - { at: 1s, do: drain-node, node: hv1 }
      - { at: 1s, do: pull-module, target: pc2, bay: 1 }
    expect:
      - { name: bad counter, counter: { on: sw1, port: g1, name: out-widgets }, between: [1s, 2s], stays-flat: true }
      - { name: bad port, counter: { on: sw1, port: ch7, name: out-unicast }, between: [1s, 2s], stays-flat: true }
      - { name: bad state, at: 2s, state: { on: pc1, is: nlb-converged } }
`;

describe('NetworkScenarioTarget over a running lab', () => {
  it('takes a cable down and up, and the ping flow, UDP stream, counters and CLI read the result', () => {
    // Flows start once the PCs' duplicate address detection (3 ARPs a second apart) is over.
    const { report } = runScenario(LAB, 'cable');
    const failed = report.expectations.filter((e) => e.status !== 'pass').map((e) => `${e.name}: ${e.measured}`);
    expect(failed).toEqual([]);
    expect(report.flows.find((f) => f.id === 'p')?.longestOutageNs).toBeGreaterThanOrEqual(2.9e9);
    const kinds = new Set(report.timeline.map((e) => e.kind));
    for (const k of ['scenario.step', 'link.down', 'link.up', 'port.down', 'scenario.check']) expect(kinds).toContain(k);
  });

  it('refuses what a kind cannot do with an error that names the device and its kind', () => {
    const { report } = runScenario(LAB, 'refusals');
    const errors = report.problems.map((p) => p.error);
    expect(errors).toEqual([
      'sw1 (dell-powerconnect-5424) cannot be powered off',
      'pc1 (pc) cannot live-migrate: it is not a virtual machine on a Hyper-V host',
      expect.stringMatching(/^pc1 \(pc\) has no setting "nosuch"/),
      'hv1 is not in a failover cluster',
      'pc2 (pc) cannot have modules pulled or inserted',
    ]);
    expect(check(report, 'bad counter')).toEqual({ status: 'error', measured: expect.stringMatching(/^no counter "out-widgets"; counters are in-octets/) });
    expect(check(report, 'bad port').measured).toBe('sw1 (dell-powerconnect-5424) has no port or port-channel "ch7"');
    expect(check(report, 'bad state').measured).toBe('pc1 (pc) reports no named states');
    expect(report.passed).toBe(false);
  });

  it('the same lab and seed give the same run, event for event', () => {
    const a = runScenario(LAB, 'cable', 4);
    const b = runScenario(LAB, 'cable', 4);
    expect(b.events).toEqual(a.events);
    expect(b.run.status().eventsExecuted).toBe(a.run.status().eventsExecuted);
    expect(b.report).toEqual(a.report);
  });

  it('a scenario run ends by itself with its report; a free run has none', () => {
    const { run } = runScenario(LAB, 'cable');
    expect(run.scenarioReport()?.scenario).toBe('cable');
    expect(run.status()).toMatchObject({ done: true, endTime: 20e9, now: 20e9 });
    const parsed = parseLab('lab.yaml', LAB);
    if (!parsed.ok) throw new Error('the lab parses');
    const free = createLabNetworkRun(parsed.lab, { seed: 1, forNs: 2e9 });
    free.advance(2e9);
    expect(free.scenarioReport()).toBeNull();
  });
});
