import { describe, expect, it } from 'vitest';
import { formatLabError } from './errors.ts';
import { parseLab } from './parse.ts';
import type { Lab, LabDevice, LabLink, LabScenario } from './schema.ts';
import { serializeLab } from './serialize.ts';
import { fakeOptions } from './test-support/fake-catalog.ts';
import { fixture } from './test-support/fixtures.ts';

function load(text: string): Lab {
  const result = parseLab('t.lab.yaml', text, fakeOptions);
  if (!result.ok) throw new Error(`${result.errors.map(formatLabError).join('\n')}\n--- text ---\n${text}`);
  return result.lab;
}

describe('serializeLab', () => {
  it('writes fields in reading order, settings sorted, configs as literal blocks, small objects on one line', () => {
    const { text } = fixture('valid.lab.yaml');
    expect(serializeLab(load(text))).toBe(
      [
        'apiVersion: labbox/v1',
        'kind: Lab',
        'metadata:',
        '  name: two-switches',
        '  title: Two switches and a host',
        '  tags: [ fixture, l2 ]',
        'devices:',
        '  - name: chassis1',
        '    kind: test-enclosure',
        '    position: { x: 0, y: 0 }',
        '  - name: sw1',
        '    kind: test-switch',
        '    parent: chassis1',
        '    slot: "1"',
        '    position: { x: 100, y: 0 }',
        '    settings: { firmware: "3.70", mgmt: 10.0.0.2/24, ports: 24 }',
        '    config: |',
        '      hostname sw1',
        '      interface GigabitEthernet0/1',
        '       switchport mode trunk',
        '  - name: sw2',
        '    kind: test-switch',
        '    position: { x: 300, y: 0 }',
        '  - name: host1',
        '    kind: test-host',
        '    settings: { ip: 10.0.0.10/24 }',
        '    notes: The client.',
        'links:',
        '  - { a: sw1:Te0/1, b: sw2:TenGigabitEthernet0/1, speed: 10G, delay: 50us }',
        '  - { a: host1:eth0, b: sw1:Gi0/2 }',
        'scenarios:',
        '  - name: ping',
        '    seed: 7',
        '    duration: 30s',
        '    traffic:',
        '      - { id: p, ping: { from: host1, to: 10.0.0.2, every: 1s } }',
        'guide:',
        '  - title: Look around',
        '    hints: [ Open the console of sw1 ]',
        '',
      ].join('\n'),
    );
  });

  it('leaves out the lists a lab does not use', () => {
    expect(serializeLab(load('apiVersion: labbox/v1\nkind: Lab\nmetadata: { name: e }\n'))).toBe('apiVersion: labbox/v1\nkind: Lab\nmetadata:\n  name: e\n');
  });

  it('saves a migrated v0 lab as v1', () => {
    const saved = serializeLab(load(fixture('old-v0.lab.yaml').text));
    expect(saved).toContain('apiVersion: labbox/v1\n');
    expect(saved).toContain('  - { a: host1:eth0, b: sw1:Gi0/1, speed: 1G }\n');
    expect(load(saved)).toEqual(load(fixture('old-v0.lab.yaml').text));
  });

  it('writes scenario entries in the scenario language\'s own field order, whatever order they were built in', () => {
    const lab = load('apiVersion: labbox/v1\nkind: Lab\nmetadata: { name: o }\ndevices: [{ name: h, kind: test-host }]\n');
    lab.scenarios.push({
      expect: [{ matches: 'up', cli: { run: 'show ip', on: 'h' }, at: '5s' }],
      steps: [{ link: 'h:eth0', do: 'link-down', at: '2s' }],
      traffic: [{ ping: { every: '1s', to: '10.0.0.1', from: 'h' }, id: 'p' }],
      name: 'ordered',
    });
    const saved = serializeLab(lab);
    expect(saved).toContain(
      [
        'scenarios:',
        '  - name: ordered',
        '    traffic:',
        '      - { id: p, ping: { from: h, to: 10.0.0.1, every: 1s } }',
        '    steps:',
        '      - { at: 2s, do: link-down, link: h:eth0 }',
        '    expect:',
        '      - { at: 5s, cli: { on: h, run: show ip }, matches: up }',
        '',
      ].join('\n'),
    );
    expect(load(saved)).toEqual(lab);
  });

  it('breaks a link that would make a long line into a block', () => {
    const lab = load('apiVersion: labbox/v1\nkind: Lab\nmetadata: { name: l }\ndevices: [{ name: a, kind: test-switch }, { name: b, kind: test-switch }]\n');
    lab.links.push({ a: 'a:TenGigabitEthernet0/1', b: 'b:TenGigabitEthernet0/1', speed: '10G', delay: '125us', up: false });
    lab.links.push({ a: 'a:GigabitEthernet0/1', b: 'b:GigabitEthernet0/1', speed: 1000000000, delay: '1.5ms', up: true });
    const saved = serializeLab(lab);
    expect(saved).toContain('  - a: a:TenGigabitEthernet0/1\n    b: b:TenGigabitEthernet0/1\n');
    expect(load(saved)).toEqual(lab);
  });
});

/** A small seeded generator so the property test is reproducible. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Strings chosen to trip YAML writers: look-alike scalars, indicators, odd whitespace, unicode. */
const awkward = [
  '', ' ', 'yes', 'no', 'null', '~', 'true', '123', '0x1F', '1e3', '.5', '-', '- x', '? x', ': x', '#hash', 'a #b', 'a: b',
  '[x]', '{x}', '"quoted"', "'single'", '&anchor', '*alias', '!tag', '%TAG', '@at', '`tick', '|', '>', ' leading', 'trailing ',
  'tab\there', 'ünïcödé ✓', '日本語', '😀', 'line1\nline2', '\nleading newline', 'trailing newline\n', 'two trailing\n\n',
  '  indented first\nsecond', '  \nfirst line blank', 'a\n  \n', ' \n', '\t', 'cr\r\nlf', 'bell\u0007', 'nbsp\u00a0', 'back\\slash', '---', '...', 'x'.repeat(150),
];

const configs = [
  'hostname sw1\n',
  'hostname sw1',
  ' indented first line\n!\ninterface Gi0/1\n shutdown\n',
  'vlan 98\n\n\nname nlb\n',
  'trailing spaces   \nend\n',
  '\n',
  '',
  'banner motd ^C\n#hash and: colon\n^C\n',
  'tabs\tinside\n',
  'windows\r\nline ends\r\n',
];

function generateLab(rand: () => number): Lab {
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const maybe = (p = 0.5): boolean => rand() < p;
  const count = 1 + Math.floor(rand() * 6);
  const devices: LabDevice[] = [];
  for (let i = 0; i < count; i++) {
    const d: LabDevice = { name: `dev-${i}.x_${Math.floor(rand() * 1000)}`, kind: pick(['test-switch', 'test-host', 'test-enclosure']) };
    if (i > 0 && maybe(0.3)) {
      d.parent = devices[0].name;
      d.slot = pick(['1', '01', 'A', 'bay 2']);
    }
    if (maybe(0.8)) d.position = { x: Math.round((rand() - 0.5) * 2000), y: pick([0, 1.5, -12.25, 1e21, 123456.789]) };
    if (d.kind === 'test-switch' && maybe()) {
      d.settings = { ports: pick([8, 24, 48]), stp: maybe(), firmware: pick(['3.70', '15.2(4)E', 'yes', '1e3']), mode: pick(['fast', 'safe']) };
    }
    if (d.kind === 'test-host' && maybe()) d.settings = { ip: '10.0.0.1/24' };
    if (maybe(0.6)) d.config = pick(configs);
    if (maybe(0.4)) d.notes = pick(awkward);
    devices.push(d);
  }
  const links: LabLink[] = [];
  const switches = devices.filter((d) => d.kind === 'test-switch');
  for (let i = 0; i + 1 < switches.length; i++) {
    const link: LabLink = { a: `${switches[i].name}:Gi0/1`, b: `${switches[i + 1].name}:GigabitEthernet0/2` };
    if (maybe()) link.speed = pick(['1G', '100M', 1000000000]);
    if (maybe()) link.delay = pick(['10us', '1.5ms', 0, 2.5]);
    if (maybe()) link.up = maybe();
    links.push(link);
  }
  const scenarios: LabScenario[] = [];
  if (maybe(0.7)) {
    scenarios.push({
      name: 'scn',
      title: pick(awkward),
      seed: Math.floor(rand() * 1e6),
      duration: pick(['12m', 90, '1h']),
      traffic: [{ id: 'f', ping: { from: devices[0].name, to: '10.0.0.2', every: '1s' } }],
      steps: [
        { at: '10s', do: 'pull-module', target: devices[0].name, bay: 1 },
        { at: 20, note: pick(awkward).slice(0, 500), do: 'cli', on: devices[0].name, run: [pick(awkward), 'show version'] },
        { do: 'link-down', at: '1m', link: [`${devices[0].name}:Gi0/1`, `${devices[0].name}:Gi0/2`] },
      ],
      expect: maybe() ? [] : [{ 'max-outage': '3s', flow: 'f' }, { at: '30s', cli: { on: devices[0].name, run: 'show mac' }, matches: '02bf' }],
    });
  }
  const lab: Lab = {
    apiVersion: 'labbox/v1',
    kind: 'Lab',
    metadata: { name: 'gen', ...(maybe() ? { title: pick(awkward) } : {}), ...(maybe() ? { tags: [pick(awkward), 'b'] } : {}) },
    devices,
    links,
    scenarios,
    guide: maybe() ? [{ title: pick(awkward), text: pick(awkward), hints: [pick(awkward)], checks: [{ on: 'x', run: pick(awkward) }] }] : [],
  };
  return lab;
}

describe('serializeLab round trip, over generated labs', () => {
  it('load(save(lab)) is the same lab, and saving again gives the same bytes', () => {
    const rand = prng(20260101);
    for (let n = 0; n < 150; n++) {
      const lab = generateLab(rand);
      const saved = serializeLab(lab);
      const reloaded = load(saved);
      expect(reloaded, saved).toEqual(lab);
      expect(serializeLab(reloaded)).toBe(saved);
    }
  });

  it('writes every awkward string so that it reads back unchanged', () => {
    for (const s of [...awkward, ...configs]) {
      const lab = load('apiVersion: labbox/v1\nkind: Lab\nmetadata: { name: s }\ndevices: [{ name: d, kind: test-host }]\n');
      lab.metadata.title = s;
      lab.devices[0].notes = s;
      lab.devices[0].config = s;
      const saved = serializeLab(lab);
      expect(load(saved), JSON.stringify(s)).toEqual(lab);
    }
  });
});
