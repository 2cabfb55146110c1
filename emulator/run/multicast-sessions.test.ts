import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { WindowsServer } from '../devices/windows-server/device.ts';
import { parseLab } from '../lab/parse.ts';
import { createLabNetworkRun } from './lab-run.ts';
import { check, flowPaths, runScenario, unmet } from './test-support/run-scenario.ts';

/**
 * A sender, two receivers that join 239.1.1.1 by setting, and a PC that joins nothing, on one
 * PowerConnect. Whether the quiet PC's port carries the stream is the switch's IGMP snooping.
 */
const MCAST_LAB = `
apiVersion: labbox/v1
kind: Lab
metadata: { name: mcast }
devices:
  - name: sw1
    kind: dell-powerconnect-5424
    config: |
      ip igmp snooping
      interface vlan 1
      ip igmp snooping
      exit
      bridge multicast filtering
  - { name: src, kind: pc, settings: { ip: 10.0.0.1/24 } }
  - { name: r1, kind: pc, settings: { ip: 10.0.0.11/24, igmpJoin: 239.1.1.1 } }
  - { name: r2, kind: pc, settings: { ip: 10.0.0.12/24, igmpJoin: "239.1.1.1, 239.1.1.2" } }
  - { name: quiet, kind: pc, settings: { ip: 10.0.0.20/24 } }
links:
  - { a: "src:eth0", b: "sw1:g1" }
  - { a: "r1:eth0", b: "sw1:g2" }
  - { a: "r2:eth0", b: "sw1:g3" }
  - { a: "quiet:eth0", b: "sw1:g4" }
scenarios:
  - name: stream
    duration: 20s
    traffic:
      - { id: m, start: 5s, multicast: { from: src, group: 239.1.1.1, port: 5001, rate: 20 } }
    expect:
      - { name: every receiver gets every datagram, flow: m, max-lost: 0 }
      - { name: r1 port carries it, counter: { on: sw1, port: g2, name: out-multicast }, between: [5s, 19s], at-least: 250 }
      - { name: r2 port carries it, counter: { on: sw1, port: g3, name: out-multicast }, between: [5s, 19s], at-least: 250 }
      - { name: the quiet port stays quiet, counter: { on: sw1, port: g4, name: out-multicast }, between: [5s, 19s], stays-flat: true }
  - name: leave
    duration: 30s
    traffic:
      - { id: m, start: 5s, multicast: { from: src, group: 239.1.1.1, port: 5001, rate: 20 } }
    steps:
      - { at: 12s, do: set, device: r2, setting: igmpJoin, value: 239.1.1.2 }
    expect:
      - { name: r2 is out from the leave on, flow: m, min-lost: 300 }
      - { name: the r2 port goes quiet once the switch lets the group go, counter: { on: sw1, port: g3, name: out-multicast }, between: [23s, 29s], stays-flat: true }
  - name: late-join
    duration: 20s
    traffic:
      - { id: m, start: 5s, multicast: { from: src, group: 239.1.1.1, port: 5001, rate: 20 } }
    steps:
      - { at: 10s, do: set, device: quiet, setting: igmpJoin, value: 239.1.1.1 }
    expect:
      - { name: nobody misses anything, flow: m, max-lost: 0 }
      - { name: the quiet port carries it after the join, counter: { on: sw1, port: g4, name: out-multicast }, between: [11s, 19s], at-least: 150 }
`;

describe('multicast streams', () => {
  it('reach the hosts that joined, one path each, and IGMP snooping keeps them off the quiet port', () => {
    const { report } = runScenario(MCAST_LAB, 'stream');
    expect(unmet(report)).toEqual([]);
    const p = flowPaths(report, 'm');
    expect(Object.keys(p)).toEqual(['r1', 'r2']);
    expect(p['r1'].sent).toBeGreaterThan(250);
    expect(p['r2']).toEqual(p['r1']);
  });

  it.each([
    ['without snooping', '      ip igmp snooping\n      interface vlan 1\n      ip igmp snooping\n'],
    ['with snooping but no multicast filtering (the 54xx default)', '      bridge multicast filtering\n'],
  ])('%s the switch floods the group to the quiet port, whose NIC filter drops it', (_, line) => {
    const text = MCAST_LAB.replace(line, '');
    const { report, run } = runScenario(text, 'stream');
    expect(unmet(report)).toEqual([`the quiet port stays quiet: ${check(report, 'the quiet port stays quiet').measured}`]);
    expect(check(report, 'the quiet port stays quiet').measured).toMatch(/rose by (2[5-9]\d|\d{4})/);
    // The frames reached the quiet PC, yet it is no path of the flow: it never joined.
    expect(Object.keys(flowPaths(report, 'm'))).toEqual(['r1', 'r2']);
    expect(run.node('quiet').ports[0].inMcast).toBeGreaterThan(250);
  });

  it('a host leaving loses the stream from then on; the others keep it', () => {
    const { report } = runScenario(MCAST_LAB, 'leave');
    expect(unmet(report)).toEqual([]);
    const p = flowPaths(report, 'm');
    expect(p['r1'].lost).toBe(0);
    // 12 s to 29 s at 20 per second: every datagram after the leave.
    expect(p['r2'].lost).toBeGreaterThanOrEqual(17 * 20 - 2);
    const f = report.flows.find((x) => x.id === 'm');
    expect(f?.windows.map((w) => w.path)).toEqual(['r2']);
  });

  it('a host joining mid-stream becomes a path from its join on, and snooping starts sending it there', () => {
    const { report } = runScenario(MCAST_LAB, 'late-join');
    expect(unmet(report)).toEqual([]);
    const p = flowPaths(report, 'm');
    expect(Object.keys(p)).toEqual(['r1', 'r2', 'quiet']);
    expect(p['quiet'].sent).toBeLessThan(p['r1'].sent);
    expect(p['quiet'].sent).toBeGreaterThan(150);
  });

  it('a receiver named in the flow that never joins loses everything, with or without snooping', () => {
    const text = MCAST_LAB.replace('multicast: { from: src, group: 239.1.1.1, port: 5001, rate: 20 } }\n    expect:\n      - { name: every', 'multicast: { from: src, group: 239.1.1.1, port: 5001, rate: 20, receivers: [r1, quiet] } }\n    expect:\n      - { name: every');
    const { report } = runScenario(text, 'stream');
    const p = flowPaths(report, 'm');
    expect(Object.keys(p)).toEqual(['r1', 'quiet']);
    expect(p['r1'].lost).toBe(0);
    expect(p['quiet'].lost).toBe(p['quiet'].sent);
  });

  it('the same seed gives the same logs', () => {
    const a = runScenario(MCAST_LAB, 'leave', 9);
    const b = runScenario(MCAST_LAB, 'leave', 9);
    expect(b.report).toEqual(a.report);
    expect(b.events).toEqual(a.events);
  });
});

/**
 * Two physical NLB nodes answering UDP echo on port 7 for 10.0.0.100, and a client opening
 * sessions from source ports 49152 and up. The port rules' affinity decides who answers which.
 */
const SESSIONS_LAB = `
apiVersion: labbox/v1
kind: Lab
metadata: { name: sessions }
devices:
  - name: sw1
    kind: dell-powerconnect-5424
  - { name: client, kind: pc, settings: { ip: 10.0.0.50/24 } }
  - name: web1
    kind: windows-server
    settings: { ip: 10.0.0.11/24, nlbClusterIp: 10.0.0.100/24, nlbHostPriority: 1, nlbPortRules: 0-65535/udp/multiple/none, udpEcho: "7" }
  - name: web2
    kind: windows-server
    settings: { ip: 10.0.0.12/24, nlbClusterIp: 10.0.0.100/24, nlbHostPriority: 2, nlbPortRules: 0-65535/udp/multiple/none, udpEcho: "7" }
links:
  - { a: "client:eth0", b: "sw1:g1" }
  - { a: "web1:NIC1", b: "sw1:g2" }
  - { a: "web2:NIC1", b: "sw1:g3" }
scenarios:
  - name: steady
    duration: 30s
    traffic:
      - { id: s, start: 10s, sessions: { from: client, to: 10.0.0.100, port: 7, protocol: udp, count: 16, every: 500ms } }
    expect:
      - { name: every session answered, flow: s, max-lost: 0 }
  - name: node-lost
    duration: 40s
    traffic:
      - { id: s, start: 10s, sessions: { from: client, to: 10.0.0.100, port: 7, protocol: udp, count: 16, every: 500ms } }
    steps:
      - { at: 20s, do: link-down, link: "web2:NIC1" }
    expect:
      - { name: the cluster takes the lost node's sessions over, flow: s, max-outage: 15s }
  - name: tcp
    duration: 12s
    traffic:
      - { id: s, start: 10s, sessions: { from: client, to: 10.0.0.100, port: 80, count: 2 } }
`;

function sessionsText(affinity: 'none' | 'single'): string {
  return SESSIONS_LAB.split('0-65535/udp/multiple/none').join(`0-65535/udp/multiple/${affinity}`);
}

/** The sessions (as their paths name them) whose requests this server's echo service answered. */
function served(run: { node(name: string): unknown }, name: string, client = '10.0.0.50'): string[] {
  const n = run.node(name);
  if (!(n instanceof WindowsServer)) throw new Error(`${name} is not a Windows server`);
  return [...n.services.echoService.clients.keys()].map((c) => c.replace(`${client}:`, 'sport ')).sort();
}

describe('client sessions to an NLB cluster IP', () => {
  it('with no affinity the source port spreads the sessions over both nodes, each answering its own', () => {
    const { report, run } = runScenario(sessionsText('none'), 'steady');
    expect(unmet(report)).toEqual([]);
    const p = flowPaths(report, 's');
    expect(Object.keys(p)).toHaveLength(16);
    expect(Object.keys(p)[0]).toBe('sport 49152');
    const one = served(run, 'web1');
    const two = served(run, 'web2');
    expect(one.length).toBeGreaterThan(0);
    expect(two.length).toBeGreaterThan(0);
    // Exactly one node answers each session.
    expect([...one, ...two].sort()).toEqual(Object.keys(p).sort());
  });

  it('with single affinity one node answers every session from the client', () => {
    const { report, run } = runScenario(sessionsText('single'), 'steady');
    expect(unmet(report)).toEqual([]);
    const counts = [served(run, 'web1').length, served(run, 'web2').length].sort();
    expect(counts).toEqual([0, 16]);
  });

  it('a node that goes away loses exactly its sessions until the cluster converges without it', () => {
    const parsed = parseLab('lab.yaml', sessionsText('none'));
    if (!parsed.ok) throw new Error('the lab parses');
    const run = createLabNetworkRun(parsed.lab, { seed: 1, scenario: 'node-lost' });
    run.advance(19e9);
    const web2Sessions = served(run, 'web2');
    expect(web2Sessions.length).toBeGreaterThan(0);
    run.advance(40e9);
    const report = run.scenarioReport();
    if (report === null) throw new Error('a scenario run has a report');
    expect(unmet(report)).toEqual([]);
    const p = flowPaths(report, 's');
    const broken = Object.entries(p)
      .filter(([, v]) => v.lost > 0)
      .map(([k]) => k)
      .sort();
    expect(broken).toEqual(web2Sessions);
    // The outage lasts until web1 has converged alone, seconds, not one probe.
    const f = report.flows.find((x) => x.id === 's');
    expect(f?.longestOutageNs).toBeGreaterThan(3e9);
  });

  it('with single affinity, losing the node that holds the client loses every session; losing the other loses none', () => {
    const text = sessionsText('single');
    const { run: probe } = runScenario(text, 'steady');
    const holder = served(probe, 'web1').length === 16 ? 'web1' : 'web2';
    const other = holder === 'web1' ? 'web2' : 'web1';
    const lose = (node: string): number[] => {
      const { report } = runScenario(text.replace('link: "web2:NIC1"', `link: "${node}:NIC1"`), 'node-lost');
      return Object.values(flowPaths(report, 's')).map((v) => v.lost);
    };
    expect(lose(other).every((n) => n === 0)).toBe(true);
    expect(lose(holder).every((n) => n > 0)).toBe(true);
  });

  it('TCP sessions (the default protocol) run, and meet a reset where no node offers a TCP service', () => {
    const { report } = runScenario(SESSIONS_LAB, 'tcp');
    const f = report.flows.find((x) => x.id === 's');
    expect(f?.error).toBeUndefined();
    expect(f?.paths.map((p) => p.path)).toEqual(['sport 49152', 'sport 49153']);
    expect(f?.paths.every((p) => p.answered === 0)).toBe(true);
  });

  it('the same seed gives the same session logs', () => {
    const a = runScenario(SESSIONS_LAB, 'node-lost', 3);
    const b = runScenario(SESSIONS_LAB, 'node-lost', 3);
    expect(b.report).toEqual(a.report);
  });
});

describe('the shipped NLB lab: sessions through the unicast move', () => {
  it('the sessions that break are exactly those of the node the pinned cluster MAC no longer reaches', () => {
    const text = fs.readFileSync(path.resolve(import.meta.dirname, '../../labs/nlb-live-migration.lab.yaml'), 'utf8');
    const parsed = parseLab('lab.yaml', text);
    if (!parsed.ok) throw new Error('the lab parses');
    const run = createLabNetworkRun(parsed.lab, { seed: 1, scenario: 'unicast-sessions' });
    run.advance(19e9);
    const owners = { web1: served(run, 'web1', '10.0.10.50'), web2: served(run, 'web2', '10.0.10.50') };
    expect(owners.web1.length).toBeGreaterThan(0);
    expect(owners.web2.length).toBeGreaterThan(0);
    run.advance(40e9);
    const report = run.scenarioReport();
    if (report === null) throw new Error('a scenario run has a report');
    expect(unmet(report)).toEqual([]);
    const broken = Object.entries(flowPaths(report, 'sessions'))
      .filter(([, v]) => v.lost > 0)
      .map(([k]) => k)
      .sort();
    // The node that hears no VIP traffic after the move is the one whose sessions broke.
    const web1Quiet = run.node('web1').ports[0].inUcast;
    const web2Quiet = run.node('web2').ports[0].inUcast;
    const cutOff = web1Quiet < web2Quiet ? 'web1' : 'web2';
    expect(broken).toEqual(owners[cutOff]);
  });
});
