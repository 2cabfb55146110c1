import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { formatLabError } from '../lab/errors.ts';
import { parseLab } from '../lab/parse.ts';
import { fakeOptions } from '../lab/test-support/fake-catalog.ts';
import { compileScenario } from './compile.ts';
import { patternProblem } from './pattern.ts';
import { scenarioReferences } from './references.ts';
import { scenarioSchema } from './schema.ts';

const S = 1_000_000_000;

/** Problems as "path: message", the way a person reads them. */
function problems(scenario: unknown): string[] {
  const r = scenarioSchema.safeParse(scenario);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

const base = { name: 's', duration: '60s' };

describe('the scenario schema', () => {
  it('accepts the whole language as written in a lab file and compiles it to nanosecond plans', () => {
    const spec = scenarioSchema.parse({
      name: 'pull-bay-1',
      seed: 7,
      duration: '12m',
      traffic: [
        { id: 'to-vip', ping: { from: 'client1', to: '10.98.0.50', every: '1s' } },
        { id: 'feed', start: '5s', stop: '65s', multicast: { from: 'src', group: '239.1.1.1', port: 5000, rate: 50 } },
        { id: 'video', udp: { from: 'src', to: 'rx', port: 9000, rate: 200, size: 1316 } },
        { id: 'users', sessions: { from: 'client1', to: '10.98.0.50', port: 443, count: 8 } },
      ],
      steps: [
        { at: '10s', do: 'pull-module', target: 'enc1', bay: 1 },
        { at: '20s', do: 'live-migrate', vms: ['nlb1', 'nlb2', 'nlb3'], to: ['hv2', 'hv3'] },
        { at: '30s', do: 'link-down', link: ['sw1:Gi1/0/1', 'hv1:NIC1'] },
        { at: '40s', do: 'drain-node', node: 'hv1' },
        { at: '41s', do: 'set', device: 'nlb1', setting: 'mac-spoofing', value: false },
        { at: '42s', do: 'cli', on: 'core1', run: ['configure terminal', 'no shutdown'] },
        { at: '50s', do: 'capture-start', target: 'core1:Gi1/0/1' },
        { at: '55s', do: 'capture-stop', target: 'core1:Gi1/0/1' },
        { at: '10m', do: 'insert-module', target: 'enc1', bay: 1 },
      ],
      expect: [
        { flow: 'to-vip', 'max-outage': '3s' },
        { at: '30s', cli: { on: 'core1', run: 'show mac address-table vlan 98' }, matches: '02bf' },
        { counter: { on: 'sw1', port: 'Gi1/0/5', name: 'out-multicast' }, between: ['1m', '2m'], 'stays-flat': true },
        { at: '3m', state: { on: 'nlb1', is: 'nlb-converged' } },
        { at: '3m', unreachable: { from: 'client1', to: '10.98.0.99', count: 2 } },
      ],
    });
    const c = compileScenario(spec);
    expect(c.endNs).toBe(720 * S);
    expect(c.flows.map((f) => [f.id, f.spec.everyNs, f.spec.count, f.timeoutNs])).toEqual([
      ['to-vip', S, null, 4 * S],
      ['feed', 20_000_000, 3000, S],
      ['video', 5_000_000, null, S],
      ['users', S, null, 4 * S],
    ]);
    expect(c.flows[1].spec).toMatchObject({ kind: 'multicast', ttl: 1, receivers: null });
    expect(c.flows[3].spec).toMatchObject({ kind: 'sessions', sessions: 8, sourcePort: 49152, protocol: 'tcp' });
    expect(c.steps[1].action).toEqual({ do: 'live-migrate', moves: [{ vm: 'nlb1', to: 'hv2' }, { vm: 'nlb2', to: 'hv3' }, { vm: 'nlb3', to: 'hv2' }] });
    expect(c.steps[2].action).toEqual({ do: 'link-down', link: { end: 'sw1:Gi1/0/1', otherEnd: 'hv1:NIC1' } });
    expect(c.steps[0].action).toEqual({ do: 'pull-module', target: 'enc1', bay: '1' });
    expect(c.expectations[4]).toMatchObject({ kind: 'unreachable', atNs: 180 * S, decideNs: 185 * S });
  });

  it('orders steps by time, keeping the written order at one instant', () => {
    const c = compileScenario(
      scenarioSchema.parse({
        ...base,
        steps: [
          { at: '20s', do: 'power-on', device: 'a' },
          { at: '10s', do: 'power-off', device: 'b' },
          { at: '10s', do: 'power-off', device: 'a' },
        ],
      }),
    );
    expect(c.steps.map((s) => s.text)).toEqual(['power-off b', 'power-off a', 'power-on a']);
  });

  it('without a duration, runs 60s or 10s past the last timed entry', () => {
    expect(compileScenario(scenarioSchema.parse({ name: 's' })).endNs).toBe(60 * S);
    expect(compileScenario(scenarioSchema.parse({ name: 's', steps: [{ at: '2m', do: 'power-off', device: 'a' }] })).endNs).toBe(130 * S);
  });

  it('refuses misspelt keys and unknown actions, naming what it expected', () => {
    expect(problems({ ...base, steps: [{ at: '1s', do: 'link-down', link: 'sw1:Gi1/0/1', lnk: 'x' }] })).toEqual(['steps.0: Unrecognized key: "lnk"']);
    expect(problems({ ...base, steps: [{ at: '1s', do: 'reboot', device: 'a' }] })[0]).toMatch(/^steps\.0\.do: an action: one of link-down, link-up, /);
    expect(problems({ ...base, traffic: [{ id: 'p', ping: { from: 'a', to: 'b', evry: '1s' } }] })).toEqual(['traffic.0.ping: Unrecognized key: "evry"']);
  });

  it('refuses a bad or dangerous pattern as a validation error, never a crash', () => {
    const cli = (matches: string) => problems({ ...base, expect: [{ at: '1s', cli: { on: 'sw1', run: 'show run' }, matches }] });
    expect(cli('([a-z]')[0]).toMatch(/^expect\.0\.matches: expected a valid regular expression: /);
    expect(cli('(a+)+$')[0]).toMatch(/^expect\.0\.matches: expected a pattern without a repeating group/);
    expect(cli('x'.repeat(1001))).toEqual(['expect.0.matches: expected a pattern of at most 1000 characters (it has 1001)']);
    expect(cli('^Gi1/0/\\d+\\s+(connected|notconnect)$')).toEqual([]);
    expect(cli('(\\d{1,3}\\.){3}\\d{1,3}')).toEqual([]);
  });

  it('knows the shapes of catastrophic backtracking, and lets ordinary patterns through', () => {
    for (const p of ['(a+)+', '(a|a)*', '(a*)*b', '(x+y?)+', '(?:ab|a)+c', '(\\w+\\s?){1,}', '((ab)*c)+']) expect(patternProblem(p), p).not.toBeNull();
    for (const p of ['02bf', '^Vlan98\\s+\\S+$', '(Gi|Te)1/0/\\d+', '[(+*)]+', '\\(a+\\)+', '(ab)+', '(\\d+\\.){3}']) expect(patternProblem(p), p).toBeNull();
  });

  it('checks that an expectation has one coherent shape', () => {
    const one = (e: object) => problems({ ...base, traffic: [{ id: 'p', ping: { from: 'a', to: 'b' } }], expect: [e] });
    expect(one({ flow: 'p' })).toEqual(['expect.0: a flow check needs one of: max-outage, max-lost, min-lost']);
    expect(one({ flow: 'p', 'max-lost': 1, 'min-lost': 1 })).toEqual(['expect.0: a flow check takes one of max-outage, max-lost, min-lost; this one has max-lost and min-lost']);
    expect(one({ flow: 'p', 'max-lost': 1, at: '1s' })).toEqual(['expect.0.at: "at" has no meaning in a flow check; it takes name, flow, max-outage, max-lost, min-lost']);
    expect(one({ flow: 'q', 'max-lost': 1 })).toEqual(['expect.0.flow: no flow "q" under traffic; expected one of: p']);
    expect(one({ state: { on: 'x', is: 'y' } })).toEqual(['expect.0: a state check needs "at"']);
    expect(one({ at: '1s', state: { on: 'x' } })).toEqual(['expect.0.state: a state check takes exactly one of: is, is-not']);
    expect(one({ at: '1s', cli: { on: 'x', run: 'y' }, state: { on: 'x', is: 'y' } })).toEqual(['expect.0: an expectation checks one thing; this one has cli and state']);
    expect(one({ counter: { on: 'x', port: 'p', name: 'n' }, between: ['5s', '5s'], rises: true })).toEqual(['expect.0.between.1: expected a time after the first']);
    expect(one({ name: 'nothing' })).toEqual(['expect.0: expected an expectation with one of: flow, reachable, unreachable, cli, counter, state']);
  });

  it('checks flows: one kind each, unique ids, a stop after the start, a bounded number of packets', () => {
    expect(problems({ ...base, traffic: [{ id: 'p', ping: { from: 'a', to: 'b' }, udp: { from: 'a', to: 'b', port: 1, rate: 1 } }] })).toEqual([
      'traffic.0: a flow has one kind; this one has ping and udp',
    ]);
    expect(problems({ ...base, traffic: [{ id: 'p' }] })).toEqual(['traffic.0: expected one of: ping, udp, multicast, sessions']);
    expect(problems({ ...base, traffic: [{ id: 'p', ping: { from: 'a', to: 'b' } }, { id: 'p', ping: { from: 'a', to: 'c' } }] })).toEqual([
      'traffic.1.id: duplicate flow id "p"; it is already used by traffic[0]',
    ]);
    expect(problems({ ...base, traffic: [{ id: 'p', start: '10s', stop: '5s', ping: { from: 'a', to: 'b' } }] })).toEqual(['traffic.0.stop: expected a time after start (10s)']);
    expect(problems({ ...base, duration: '1h', traffic: [{ id: 'p', udp: { from: 'a', to: 'b', port: 9, rate: 1000 } }] })).toEqual([
      'traffic.0: this flow would send 3600000 packets; expected at most 1000000 (send less often, or for less time)',
    ]);
    expect(problems({ ...base, traffic: [{ id: 'w', sessions: { from: 'a', to: 'b', port: 80, count: 10, 'source-port': 65530 } }] })).toEqual([
      'traffic.0.sessions.count: expected sessions that fit below port 65535; the last would use source port 65539',
    ]);
    expect(problems({ ...base, traffic: [{ id: 'p', ping: { from: 'a', to: 'b', every: '0s' } }] })).toEqual(['traffic.0.ping.every: expected a duration above zero']);
    expect(problems({ ...base, traffic: [{ id: 'p', multicast: { from: 'a', group: '10.0.0.1', port: 9, rate: 1 } }] })).toEqual([
      'traffic.0.multicast.group: an IPv4 multicast group such as 239.1.1.1',
    ]);
  });

  it('refuses times after the end of a scenario with a duration, and durations time cannot hold', () => {
    expect(problems({ ...base, steps: [{ at: '61s', do: 'power-off', device: 'a' }] })).toEqual(['steps.0.at: this step acts at 1m1s, after the scenario ends at 1m']);
    expect(problems({ ...base, expect: [{ at: '58s', reachable: { from: 'a', to: 'b' } }] })).toEqual(['expect.0.at: its last ping times out at 1m5s, after the scenario ends at 1m']);
    expect(problems({ ...base, steps: [{ at: '0.5ns', do: 'power-off', device: 'a' }] })).toEqual([
      'steps.0.at: expected a duration LabBox can hold: whole nanoseconds, below about 104 days',
    ]);
  });

  it('pairs every capture-stop with an earlier capture-start on the same target', () => {
    expect(problems({ ...base, steps: [{ at: '5s', do: 'capture-stop', target: 'sw1:Gi1/0/1' }] })).toEqual([
      'steps.0.target: no capture on sw1:Gi1/0/1 is running at this time; expected the target of an earlier capture-start',
    ]);
  });

  it('describes every field for editors through the generated JSON Schema', () => {
    const schema = z.toJSONSchema(scenarioSchema, { io: 'input', target: 'draft-7' });
    const undescribed: string[] = [];
    const walk = (node: unknown, path: string): void => {
      if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${path}[${i}]`));
      if (!node || typeof node !== 'object') return;
      const o = node as Record<string, unknown>;
      if (o.properties && typeof o.properties === 'object') {
        for (const [key, prop] of Object.entries(o.properties)) {
          if (!(prop as Record<string, unknown>).description) undescribed.push(`${path}.${key}`);
        }
      }
      for (const [k, v] of Object.entries(o)) walk(v, `${path}/${k}`);
    };
    walk(schema, '');
    expect(undescribed).toEqual([]);
    const text = JSON.stringify(schema);
    expect(text).toContain('the default of Windows `ping -w`');
    expect(text).toContain('Live-migrate one or several VMs at once.');
    expect(text).toContain('The counter must not change between the two times.');
  });
});

describe('scenarios inside a lab file', () => {
  it('reports a scenario problem at its line, column and field path', () => {
    const text = [
      'apiVersion: labbox/v1',
      'kind: Lab',
      'metadata: { name: t }',
      'scenarios:',
      '  - name: s',
      '    traffic:',
      '      - { id: p, ping: { from: a, to: b } }',
      '    expect:',
      '      - { flow: p, max-outage: 3s }',
      '      - { at: 5s, cli: { on: sw1, run: show vlan }, matches: "(a+)+" }',
      '',
    ].join('\n');
    const result = parseLab('t.lab.yaml', text, fakeOptions);
    if (result.ok) throw new Error('expected the lab to be refused');
    expect(result.errors.map(formatLabError)).toEqual([
      't.lab.yaml:10:62: scenarios[0].expect[1].matches: expected a pattern without a repeating group that itself repeats or alternates, such as (a+)+ or (a|b)*, which can take exponential time',
    ]);
  });
});

describe('scenarioReferences', () => {
  it('lists every device and port a scenario names, with its path, leaving IP addresses alone', () => {
    const spec = scenarioSchema.parse({
      name: 's',
      traffic: [
        { id: 'p', ping: { from: 'client1', to: '10.98.0.50' } },
        { id: 'q', ping: { from: 'client1', to: 'web1' } },
        { id: 'm', multicast: { from: 'src', group: '239.1.1.1', port: 5000, rate: 10, receivers: ['rx1'] } },
      ],
      steps: [
        { at: '1s', do: 'link-down', link: ['sw1:Gi1/0/1', 'hv1:NIC1'] },
        { at: '2s', do: 'live-migrate', vms: ['nlb1', 'nlb2'], to: 'hv2' },
        { at: '3s', do: 'capture-start', target: 'sw1:Gi1/0/2' },
        { at: '4s', do: 'drain-node', node: 'hv1' },
      ],
      expect: [
        { counter: { on: 'sw1', port: 'Po1', name: 'out-multicast' }, between: ['1s', '2s'], rises: true },
        { at: '5s', state: { on: 'nlb1', is: 'nlb-converged' } },
      ],
    });
    expect(scenarioReferences(spec).map((r) => `${r.path.join('.')}=${r.device}${r.port ? `:${r.port}` : ''}`)).toEqual([
      'traffic.0.ping.from=client1',
      'traffic.1.ping.from=client1',
      'traffic.1.ping.to=web1',
      'traffic.2.multicast.from=src',
      'traffic.2.multicast.receivers.0=rx1',
      'steps.0.link.0=sw1:Gi1/0/1',
      'steps.0.link.1=hv1:NIC1',
      'steps.1.vms.0=nlb1',
      'steps.1.vms.1=nlb2',
      'steps.1.to=hv2',
      'steps.2.target=sw1:Gi1/0/2',
      'steps.3.node=hv1',
      'expect.0.counter=sw1:Po1',
      'expect.1.state.on=nlb1',
    ]);
  });
});

describe('compileScenario', () => {
  it('refuses, rather than half-compiles, a scenario that never went through the schema', () => {
    expect(() => compileScenario({ name: 's', duration: '0.5ns' })).toThrow(/not one LabBox can hold/);
    expect(() => compileScenario({ name: 's', traffic: [{ id: 'p' }] })).toThrow('traffic.0: expected one of: ping, udp, multicast, sessions');
  });
});
