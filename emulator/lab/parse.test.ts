import { describe, expect, it } from 'vitest';
import { formatLabError } from './errors.ts';
import { parseLab } from './parse.ts';
import type { ParseLabResult } from './parse.ts';
import { fakeOptions } from './test-support/fake-catalog.ts';
import { brief, fixture } from './test-support/fixtures.ts';

function load(name: string): ParseLabResult {
  const { file, text } = fixture(name);
  return parseLab(file, text, fakeOptions);
}

function errorsOf(result: ParseLabResult): string[] {
  if (result.ok) throw new Error('expected the lab to be refused');
  // Nothing is half-loaded: a refused lab carries no lab at all.
  expect(result).not.toHaveProperty('lab');
  return result.errors.map(brief);
}

function parseText(text: string): ParseLabResult {
  return parseLab('t.lab.yaml', text, fakeOptions);
}

describe('parseLab: a valid lab', () => {
  it('loads every part of the file', () => {
    const result = load('valid.lab.yaml');
    if (!result.ok) throw new Error(result.errors.map(formatLabError).join('\n'));
    const { lab } = result;
    expect(lab.metadata.name).toBe('two-switches');
    expect(lab.devices.map((d) => d.name)).toEqual(['chassis1', 'sw1', 'sw2', 'host1']);
    expect(lab.devices[1].settings).toEqual({ ports: 24, firmware: '3.70', mgmt: '10.0.0.2/24' });
    expect(lab.devices[1].config).toBe('hostname sw1\ninterface GigabitEthernet0/1\n switchport mode trunk\n');
    expect(lab.links[0]).toEqual({ a: 'sw1:Te0/1', b: 'sw2:TenGigabitEthernet0/1', speed: '10G', delay: '50us' });
    expect(lab.scenarios[0].traffic).toEqual([{ id: 'p', ping: { from: 'host1', to: '10.0.0.2', every: '1s' } }]);
    expect(lab.guide[0].title).toBe('Look around');
  });

  it('fills the reserved lists with empty ones when a file leaves them out', () => {
    const result = parseText('apiVersion: labbox/v1\nkind: Lab\nmetadata: { name: empty }\n');
    expect(result).toEqual({
      ok: true,
      lab: { apiVersion: 'labbox/v1', kind: 'Lab', metadata: { name: 'empty' }, devices: [], links: [], scenarios: [], guide: [] },
    });
  });

  it('consults the project catalog by default, where a made-up kind does not exist', () => {
    const result = parseLab('t.lab.yaml', 'apiVersion: labbox/v1\nkind: Lab\nmetadata: { name: a }\ndevices:\n  - { name: d, kind: no-such-kind-anywhere }\n');
    expect(errorsOf(result)).toEqual(['5:22: devices[0].kind: unknown device kind "no-such-kind-anywhere"; expected a kind from the device catalog']);
  });
});

describe('parseLab: every error, with its place', () => {
  it('reports all the problems of a broken lab at once, in file order', () => {
    expect(errorsOf(load('broken.lab.yaml'))).toEqual([
      '6:3: metadata.colour: unknown key "colour"; expected one of: name, title, description, author, tags',
      '10:11: devices[1].name: duplicate device name "sw1"; it is already used by devices[0]',
      '13:11: devices[2].kind: unknown device kind "test-hots"; expected a kind from the device catalog (did you mean "test-host"?)',
      '14:20: devices[2].position.x: expected a number, got the string "left"',
      '15:5: devices[3].name: required field is missing; expected a string',
      '16:13: devices[3].parent: no device named "rack9"; expected the name of the device this one sits in',
      '19:24: devices[4].settings.ports: expected a whole number from 8 to 48, got the number 100',
      '19:29: devices[4].settings.fan: unknown setting "fan" for kind "test-switch"; expected one of: ports, firmware, mode, stp, mgmt, gateway, mac',
      '19:47: devices[4].settings.mode: expected a string (write it in quotes: "3"), got the number 3',
      '21:24: links[0].b: no device named "nowhere"; expected a device listed under devices',
      '22:10: links[1].a: port sw1:GigabitEthernet0/1 is already used by links[0].a; a port takes one link',
      '22:24: links[1].b: device "sw1" (test-switch) has no port "Gi0/99"; expected one of its 10 ports, GigabitEthernet0/1 … TenGigabitEthernet0/2',
      '23:24: links[2].b: cannot join an SFP port (sw1:Te0/1) to a copper port; expected ports of the same medium',
      '23:42: links[2].delay: expected a duration such as 500ms, 10s, 12m or 1h, got the string "soon"',
      '24:5: links[3].b: required field is missing; expected a string',
      '24:21: links[3].c: unknown key "c"; expected one of: a, b, speed, delay, up',
      '27:11: scenarios[1].name: duplicate scenario name "s"; it is already used by scenarios[0]',
    ]);
  });

  it('formats each error as the CLI prints it', () => {
    const result = load('broken.lab.yaml');
    if (result.ok) throw new Error('expected errors');
    expect(formatLabError(result.errors[0])).toBe(
      'labs/fixtures/broken.lab.yaml:6:3: metadata.colour: unknown key "colour"; expected one of: name, title, description, author, tags',
    );
    expect(formatLabError({ file: 'x.lab.yaml', line: 1, col: 1, path: '', message: 'too big' })).toBe('x.lab.yaml:1:1: (document): too big');
  });

  it('points a missing field at the mapping that should hold it, and an unknown key at the key', () => {
    expect(errorsOf(parseText('apiVersion: labbox/v1\nkind: Lab\nmetadata:\n  title: no name\n  nmae: x\n'))).toEqual([
      '4:3: metadata.name: required field is missing; expected a string',
      '5:3: metadata.nmae: unknown key "nmae"; expected one of: name, title, description, author, tags',
    ]);
    expect(errorsOf(parseText('kind: Lab\nmetadata: { name: a }\n'))).toEqual([
      '1:1: apiVersion: required field is missing; expected "labbox/v1"',
    ]);
  });

  it('says what it expected for wrong types, empty values and whole-document mistakes', () => {
    expect(errorsOf(parseText('apiVersion: labbox/v1\nkind: Lab\nmetadata:\n  name:\ndevices: { a: 1 }\nlinks: [ { a: sw1:x, b: 7, up: "yes" } ]\n'))).toEqual([
      '4:3: metadata.name: expected a string, got null (an empty value)',
      '5:10: devices: expected a list, got a mapping',
      '6:15: links[0].a: no device named "sw1"; expected a device listed under devices',
      '6:25: links[0].b: expected a string, got the number 7',
      '6:32: links[0].up: expected true or false, got the string "yes"',
    ]);
    expect(errorsOf(parseText('- just\n- a list\n'))).toEqual(['1:1: : expected a mapping, got a list']);
    expect(errorsOf(parseText(''))).toEqual(['1:1: : expected a mapping, got null (an empty value)']);
    expect(errorsOf(parseText('apiVersion: labbox/v1\nkind: Lob\nmetadata: { name: 9lives }\n'))).toEqual([
      '2:7: kind: expected "Lab", got the string "Lob"',
      '3:19: metadata.name: expected a name: a letter, then letters, digits, "_", "." or "-" (at most 63), got the string "9lives"',
    ]);
  });

  it('reports bad YAML with the parser\'s own position, and nothing else', () => {
    expect(errorsOf(parseText('apiVersion: labbox/v1\nkind: Lab\nmetadata: { name: a\ndevices: []\n'))).toEqual([
      expect.stringMatching(/^4:1: : invalid YAML: /),
    ]);
    expect(errorsOf(parseText('apiVersion: labbox/v1\nkind: Lab\nkind: Lab\nmetadata: { name: a }\n'))).toEqual([
      '3:1: : invalid YAML: Map keys must be unique',
    ]);
    expect(errorsOf(parseText('apiVersion: labbox/v1\nkind: Lab\nmetadata: { name: a }\n---\napiVersion: labbox/v1\n'))).toEqual([
      expect.stringMatching(/^4:1: : invalid YAML: .*multiple documents/),
    ]);
  });

  it('checks settings against the kind and ports against the settings', () => {
    const text = [
      'apiVersion: labbox/v1',
      'kind: Lab',
      'metadata: { name: s }',
      'devices:',
      '  - name: big',
      '    kind: test-switch',
      '    settings: { ports: 48, stp: false, mode: safe, mgmt: 10.1.1.1/24, gateway: 10.1.1.254, mac: 0050.5601.0203 }',
      '  - name: odd',
      '    kind: test-switch',
      '    settings: { mode: turbo, mgmt: 10.1.1.1, gateway: 300.1.1.1, mac: 00:50:56, stp: 1, ports: 12.5 }',
      '  - name: h',
      '    kind: test-host',
      'links:',
      '  - { a: big:Gi0/48, b: h:ETH0 }',
      '  - { a: big:Gi0/49, b: odd:Gi0/1 }',
    ].join('\n');
    expect(errorsOf(parseText(text))).toEqual([
      '10:23: devices[1].settings.mode: expected one of: fast, safe, got the string "turbo"',
      '10:36: devices[1].settings.mgmt: expected an IPv4 address with prefix length such as 10.0.0.1/24, got the string "10.1.1.1"',
      '10:55: devices[1].settings.gateway: expected an IPv4 address such as 10.0.0.1, got the string "300.1.1.1"',
      '10:71: devices[1].settings.mac: expected a MAC address such as 00:50:56:01:02:03 or 0050.5601.0203, got the string "00:50:56"',
      '10:86: devices[1].settings.stp: expected true or false, got the number 1',
      '10:96: devices[1].settings.ports: expected a whole number from 8 to 48, got the number 12.5',
      '15:10: links[1].a: device "big" (test-switch) has no port "Gi0/49"; expected one of its 50 ports, GigabitEthernet0/1 … TenGigabitEthernet0/2',
    ]);
  });

  it('lists the first thousand problems of a hopeless file and counts the rest', () => {
    const lines = ['apiVersion: labbox/v1', 'kind: Lab', 'metadata: { name: many }', 'devices:'];
    for (let i = 0; i < 1200; i++) lines.push(`  - { name: d${i}, kind: nope }`);
    const errors = errorsOf(parseText(lines.join('\n')));
    expect(errors).toHaveLength(1001);
    expect(errors[999]).toBe('1004:25: devices[999].kind: unknown device kind "nope"; expected a kind from the device catalog');
    expect(errors[1000]).toBe('1005:26: : and 200 more problems not listed');
  });

  it('finds loops in parent chains and devices inside themselves', () => {
    const text = [
      'apiVersion: labbox/v1',
      'kind: Lab',
      'metadata: { name: p }',
      'devices:',
      '  - { name: a, kind: test-enclosure, parent: c }',
      '  - { name: b, kind: test-enclosure, parent: a }',
      '  - { name: c, kind: test-enclosure, parent: b }',
      '  - { name: d, kind: test-enclosure, parent: d }',
      '  - { name: e, kind: test-enclosure, parent: a }',
    ].join('\n');
    expect(errorsOf(parseText(text))).toEqual([
      '5:46: devices[0].parent: parents form a loop (a → c → b → a); expected a chain that ends at a device with no parent',
      '8:46: devices[3].parent: a device cannot sit inside itself',
    ]);
  });

  it('locates errors inside scenarios, naming the fields of the step\'s own action', () => {
    const text = [
      'apiVersion: labbox/v1',
      'kind: Lab',
      'metadata: { name: a }',
      'devices: [{ name: h, kind: test-host }]',
      'scenarios:',
      '  - name: s',
      '    steps:',
      '      - { at: 1s, do: explode }',
      '      - { at: 1s }',
      '      - { at: 1s, do: link-down, link: h:eth0, extra: 1 }',
      '      - { at: soon, do: power-off, device: h }',
    ].join('\n');
    const actions = 'link-down, link-up, power-off, power-on, live-migrate, drain-node, resume-node, set, cli, pull-module, insert-module, capture-start, capture-stop, vmm-deploy';
    expect(errorsOf(parseText(text))).toEqual([
      `8:23: scenarios[0].steps[0].do: expected an action: one of ${actions}, got the string "explode"`,
      `9:9: scenarios[0].steps[1].do: required field is missing; expected an action: one of ${actions}`,
      '10:48: scenarios[0].steps[2].extra: unknown key "extra"; expected one of: at, note, do, link',
      '11:15: scenarios[0].steps[3].at: expected a duration such as 500ms, 10s, 12m or 1h, got the string "soon"',
    ]);
  });

  it('refuses durations simulated time cannot hold', () => {
    const text = 'apiVersion: labbox/v1\nkind: Lab\nmetadata: { name: t }\nscenarios:\n  - { name: s, duration: 99999999999h }\n';
    expect(errorsOf(parseText(text))).toEqual([
      '5:26: scenarios[0].duration: expected a duration LabBox can hold: duration "99999999999h" is too large',
    ]);
  });
});

describe('parseLab: versions', () => {
  it('refuses a lab from a newer LabBox and says which version this one reads', () => {
    expect(errorsOf(load('newer-v3.lab.yaml'))).toEqual([
      '1:13: apiVersion: this lab was written by a newer LabBox (labbox/v3); this LabBox reads labbox/v1 and older, so update LabBox to open it',
    ]);
    const v2 = parseText('apiVersion: labbox/v2\nkind: Lab\n');
    expect(errorsOf(v2)[0]).toContain('newer LabBox (labbox/v2)');
  });

  it('refuses an apiVersion that is not LabBox\'s at all', () => {
    expect(errorsOf(parseText('apiVersion: v1\nkind: Lab\nmetadata: { name: a }\n'))).toEqual([
      '1:13: apiVersion: expected "labbox/v1", got the string "v1"',
    ]);
  });

  it('migrates a labbox/v0 file into the same lab written in v1', () => {
    const result = load('old-v0.lab.yaml');
    expect(result).toEqual({
      ok: true,
      lab: {
        apiVersion: 'labbox/v1',
        kind: 'Lab',
        metadata: { name: 'old-lab', title: 'From before v1' },
        devices: [
          { name: 'sw1', kind: 'test-switch', position: { x: 100, y: 0 }, settings: { ports: 24 }, config: 'hostname sw1\n' },
          { name: 'host1', kind: 'test-host' },
        ],
        links: [{ a: 'host1:eth0', b: 'sw1:Gi0/1', speed: '1G' }],
        scenarios: [{ name: 'idle', duration: '10s' }],
        guide: [],
      },
    });
  });

  it('reports errors in a v0 file with v0 paths at the lines of the original text', () => {
    expect(errorsOf(load('broken-v0.lab.yaml'))).toEqual([
      '6:5: nodes[0].y: required field is missing; expected a number',
      '10:11: nodes[1].type: unknown device kind "test-hots"; expected a kind from the device catalog (did you mean "test-host"?)',
      '11:5: nodes[2].type: required field is missing; expected a string',
      '12:5: nodes[2].kind: unknown key "kind" in a labbox/v0 file (v0 calls it "type"); expected one of: name, type, x, y, parent, slot, settings, config, notes',
      '14:29: links[0].endpoints[1]: device "sw1" (test-switch) has no port "Gi0/77"; expected one of its 10 ports, GigabitEthernet0/1 … TenGigabitEthernet0/2',
      '15:16: links[1].endpoints: expected a list of two endpoints [device:port, device:port], got a list of 1',
      '16:5: links[2].endpoints: required field is missing; expected a list of two endpoints [device:port, device:port]',
    ]);
  });

  it('reports v0 top-level keys that v0 did not have', () => {
    expect(errorsOf(parseText('apiVersion: labbox/v0\nkind: Lab\nname: x\nmetadata: { name: y }\n'))).toEqual([
      '4:1: metadata: unknown key "metadata" in a labbox/v0 file; expected one of: apiVersion, kind, name, title, description, author, tags, nodes, links, scenarios',
    ]);
  });
});

describe('parseLab: a lab file is data', () => {
  it('refuses language tags instead of resolving them, and says why', () => {
    expect(errorsOf(load('custom-tags.lab.yaml'))).toEqual([
      '6:10: metadata.title: the tag !!js/function is not allowed; a lab file holds plain data (strings, numbers, booleans, lists and mappings) and nothing in it is executed',
      '7:16: metadata.description: the tag !ruby/object:Gem::Installer is not allowed; a lab file holds plain data (strings, numbers, booleans, lists and mappings) and nothing in it is executed',
      '11:12: devices[0].notes: the tag !!binary is not allowed; a lab file holds plain data (strings, numbers, booleans, lists and mappings) and nothing in it is executed',
    ]);
  });

  it('accepts the standard tags of plain data', () => {
    const result = parseText('apiVersion: !!str labbox/v1\nkind: Lab\nmetadata: !!map { name: !!str a, title: !!str 123 }\n');
    expect(result.ok && result.lab.metadata.title).toBe('123');
  });

  it('never lets a __proto__ key reach an object\'s prototype', () => {
    const result = parseText('apiVersion: labbox/v1\nkind: Lab\nmetadata: { name: a, __proto__: { polluted: true } }\n');
    expect(errorsOf(result)).toEqual(['3:22: metadata.__proto__: unknown key "__proto__"; expected one of: name, title, description, author, tags']);
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('allows a reused anchor, as plain shared data', () => {
    const text = [
      'apiVersion: labbox/v1',
      'kind: Lab',
      'metadata: { name: a }',
      'devices:',
      '  - { name: s1, kind: test-switch, settings: &common { ports: 24, stp: false } }',
      '  - { name: s2, kind: test-switch, settings: *common }',
    ].join('\n');
    const result = parseText(text);
    expect(result.ok && result.lab.devices[1].settings).toEqual({ ports: 24, stp: false });
  });
});
