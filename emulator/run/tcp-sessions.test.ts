import { describe, expect, it } from 'vitest';
import { WindowsServer } from '../devices/windows-server/device.ts';
import { parseLab } from '../lab/parse.ts';
import { createLabNetworkRun } from './lab-run.ts';
import { flowPaths, runScenario, unmet } from './test-support/run-scenario.ts';

/**
 * Two physical NLB nodes with a TCP echo service on port 80 for 10.0.0.100, and a client keeping
 * TCP sessions open from source ports 49152 and up. The port rules' affinity decides who owns which.
 */
const LAB = `
apiVersion: labbox/v1
kind: Lab
metadata: { name: tcp-sessions }
devices:
  - name: sw1
    kind: dell-powerconnect-5424
  - { name: client, kind: pc, settings: { ip: 10.0.0.50/24 } }
  - name: web1
    kind: windows-server
    settings: { ip: 10.0.0.11/24, nlbClusterIp: 10.0.0.100/24, nlbHostPriority: 1, nlbPortRules: 80/tcp/multiple/none, tcpEcho: "80" }
  - name: web2
    kind: windows-server
    settings: { ip: 10.0.0.12/24, nlbClusterIp: 10.0.0.100/24, nlbHostPriority: 2, nlbPortRules: 80/tcp/multiple/none, tcpEcho: "80" }
links:
  - { a: "client:eth0", b: "sw1:g1" }
  - { a: "web1:NIC1", b: "sw1:g2" }
  - { a: "web2:NIC1", b: "sw1:g3" }
scenarios:
  - name: steady
    duration: 30s
    traffic:
      - { id: s, start: 10s, sessions: { from: client, to: 10.0.0.100, port: 80, count: 16, every: 500ms } }
    expect:
      - { name: every session answered, flow: s, max-lost: 0 }
  - name: node-lost
    duration: 70s
    traffic:
      - { id: s, start: 10s, sessions: { from: client, to: 10.0.0.100, port: 80, count: 16, every: 500ms } }
    steps:
      - { at: 20s, do: link-down, link: "web2:NIC1" }
    expect:
      - { name: the cluster takes the lost node's sessions over, flow: s, max-outage: 30s }
  - name: node-back
    duration: 90s
    traffic:
      - { id: s, start: 10s, sessions: { from: client, to: 10.0.0.100, port: 80, count: 16, every: 500ms } }
    steps:
      - { at: 20s, do: cli, on: web2, run: nlb stop }
      - { at: 50s, do: cli, on: web2, run: nlb start }
  - name: no-service
    duration: 15s
    traffic:
      - { id: s, start: 10s, sessions: { from: client, to: 10.0.0.100, port: 8080, count: 2, every: 1s } }
`;

function lab(affinity: 'none' | 'single'): string {
  return LAB.split('80/tcp/multiple/none').join(`80/tcp/multiple/${affinity}`);
}

/** The sessions (as their paths name them) whose connections this server's TCP echo service accepted. */
function served(run: { node(name: string): unknown }, name: string): string[] {
  const n = run.node(name);
  if (!(n instanceof WindowsServer)) throw new Error(`${name} is not a Windows server`);
  return [...n.services.tcpEchoService.clients.keys()].map((c) => c.replace('10.0.0.50:', 'sport ')).sort();
}

describe('TCP client sessions to an NLB cluster IP', () => {
  it('with no affinity the source port spreads the connections over both nodes, each serving its own', () => {
    const { report, run } = runScenario(lab('none'), 'steady');
    expect(unmet(report)).toEqual([]);
    const p = flowPaths(report, 's');
    expect(Object.keys(p)).toHaveLength(16);
    expect(Object.keys(p)[0]).toBe('sport 49152');
    // A probe every 500 ms for 20 s, less the tail the scenario's timeout has not judged yet.
    expect(Object.values(p).every((v) => v.sent >= 36 && v.lost === 0)).toBe(true);
    const one = served(run, 'web1');
    const two = served(run, 'web2');
    expect(one.length).toBeGreaterThan(0);
    expect(two.length).toBeGreaterThan(0);
    // Exactly one node owns each session's connection: NLB filtered every SYN and segment by its port rule.
    expect([...one, ...two].sort()).toEqual(Object.keys(p).sort());
    // Each connection was opened once: no resets, no reconnects.
    const accepted = (name: string) => (run.node(name) as WindowsServer).services.tcpEchoService.accepted;
    expect(accepted('web1') + accepted('web2')).toBe(16);
  });

  it('with single affinity one node serves every session from the client', () => {
    const { report, run } = runScenario(lab('single'), 'steady');
    expect(unmet(report)).toEqual([]);
    expect([served(run, 'web1').length, served(run, 'web2').length].sort((a, b) => a - b)).toEqual([0, 16]);
  });

  it('a node that goes away breaks exactly its sessions; they reconnect to the survivor once it has converged alone', () => {
    const parsed = parseLab('lab.yaml', lab('none'));
    if (!parsed.ok) throw new Error('the lab parses');
    const run = createLabNetworkRun(parsed.lab, { seed: 1, scenario: 'node-lost' });
    run.advance(19e9);
    const web2Sessions = served(run, 'web2');
    const web1Before = served(run, 'web1');
    expect(web2Sessions.length).toBeGreaterThan(0);
    run.advance(70e9);
    const report = run.scenarioReport();
    if (report === null) throw new Error('a scenario run has a report');
    expect(unmet(report)).toEqual([]);
    const f = report.flows.find((x) => x.id === 's');
    const broken = (f?.paths ?? [])
      .filter((p) => p.lost > 0)
      .map((p) => p.path)
      .sort();
    expect(broken).toEqual(web2Sessions);
    // The survivor kept the connections it owned and took the others over by new connections.
    expect(served(run, 'web1')).toEqual([...web1Before, ...web2Sessions].sort());
    // Reconnected: a broken session lost seconds of probes, not the 50 s after the failure.
    for (const p of f?.paths ?? []) if (p.lost > 0) expect(p.longestOutageNs).toBeLessThan(30e9);
    for (const p of f?.paths ?? []) if (p.lost > 0) expect(p.lost).toBeLessThan(p.sent / 2);
    expect(f?.longestOutageNs).toBeGreaterThan(3e9);
  });

  it('when a stopped node starts again and takes buckets back, the connections the survivor holds carry on', () => {
    const parsed = parseLab('lab.yaml', lab('none'));
    if (!parsed.ok) throw new Error('the lab parses');
    const run = createLabNetworkRun(parsed.lab, { seed: 1, scenario: 'node-back' });
    run.advance(19e9);
    const web2Sessions = served(run, 'web2');
    run.advance(49e9);
    const lostAt49 = Object.fromEntries((run.scenarioReport()?.flows.find((x) => x.id === 's')?.paths ?? []).map((p) => [p.path, p.lost]));
    run.advance(90e9);
    const report = run.scenarioReport();
    if (report === null) throw new Error('a scenario run has a report');
    const f = report.flows.find((x) => x.id === 's');
    // Nothing more was lost after web2 returned: every connection stayed with web1, which holds
    // its descriptor, while web2 took only new connections in its buckets (there were none).
    for (const p of f?.paths ?? []) expect(p.lost, p.path).toBe(lostAt49[p.path]);
    expect((f?.paths ?? []).filter((p) => p.lost > 0).map((p) => p.path).sort()).toEqual(web2Sessions);
    // web2 is back in the cluster, owning buckets, yet serving none of the moved connections.
    const web2 = run.node('web2') as WindowsServer;
    expect(web2.deviceState('nlb-converged')).toBe(true);
  });

  it('sessions to a port with no TCP service are reset: every probe lost', () => {
    const { report, run } = runScenario(lab('none'), 'no-service');
    const p = flowPaths(report, 's');
    expect(Object.values(p).every((v) => v.sent > 0 && v.lost === v.sent)).toBe(true);
    const resets = (name: string) => (run.node(name) as WindowsServer).tcp.counters.resetsSent;
    // Port 8080 is outside every port rule: the default host (priority 1) answers, with a RST.
    expect(resets('web1')).toBeGreaterThan(0);
  });

  it('the same seed gives the same session logs', () => {
    const a = runScenario(lab('none'), 'node-lost', 3);
    const b = runScenario(lab('none'), 'node-lost', 3);
    expect(b.report).toEqual(a.report);
  });
});
