import { describe, expect, it } from 'vitest';
import { countDeviceEntries, estimateYamlValues, inputLimitProblem, utf8Length } from './limits.ts';
import { parseLab } from './parse.ts';
import { MAX_LAB_BYTES, MAX_LAB_DEVICES } from './schema.ts';
import { fakeOptions } from './test-support/fake-catalog.ts';
import { brief } from './test-support/fixtures.ts';

const head = 'apiVersion: labbox/v1\nkind: Lab\nmetadata: { name: big }\n';

function refusal(text: string): string[] {
  const result = parseLab('big.lab.yaml', text, fakeOptions);
  if (result.ok) throw new Error('expected a refusal');
  return result.errors.map(brief);
}

describe('oversized input is refused before it is parsed', () => {
  it('refuses more than 20 MB', () => {
    const text = `${head}notes: "${'x'.repeat(MAX_LAB_BYTES)}"\n`;
    expect(refusal(text)).toEqual([
      '1:1: : the file is larger than 20 MB, the most LabBox opens; split the lab or remove generated content',
    ]);
  });

  it('counts bytes, not characters: 11 M two-byte characters are over the limit', () => {
    const text = `${head}# ${'é'.repeat(11 * 1024 * 1024)}\n`;
    expect(text.length).toBeLessThan(MAX_LAB_BYTES);
    expect(refusal(text)[0]).toContain('larger than 20 MB');
  });

  it('refuses more than 200,000 devices written one per line', () => {
    const lines = [head, 'devices:\n'];
    for (let i = 0; i <= MAX_LAB_DEVICES; i++) lines.push(`- {name: d${i}, kind: k}\n`);
    const text = lines.join('');
    expect(text.length).toBeLessThan(MAX_LAB_BYTES);
    expect(refusal(text)).toEqual(['1:1: : the lab has more than 200,000 devices, the most LabBox opens']);
  });

  it('refuses more than 200,000 devices in one flow list', () => {
    const text = `${head}devices: [${'{name: d, kind: k},'.repeat(MAX_LAB_DEVICES)}{name: last, kind: k}]\n`;
    expect(refusal(text)).toEqual(['1:1: : the lab has more than 200,000 devices, the most LabBox opens']);
  });

  it('refuses a small file of very many tiny values, which would need gigabytes to parse', () => {
    const text = `${head}devices: []\nscenarios: [{ name: s, steps: [${'0,'.repeat(1_600_000)}0] }]\n`;
    expect(text.length).toBeLessThan(4 * 1024 * 1024);
    expect(refusal(text)).toEqual([
      '1:1: : the file holds more than 1,500,000 YAML values, more than LabBox can open safely; split the lab or remove generated content',
    ]);
  });

  it('refuses an alias bomb instead of expanding it', () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 10; i++) {
      const prev = String.fromCharCode(96 + i);
      const cur = String.fromCharCode(97 + i);
      levels.push(`${cur}: &${cur} [*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev}]`);
    }
    const text = `${head}guide:\n  - title: bomb\n    checks:\n      - ${levels.join('\n        ')}\n`;
    expect(text.length).toBeLessThan(2000);
    expect(refusal(text)).toEqual([
      '8:16: : aliases expand to too much data; a lab file may reuse an anchor a few times but not multiply it',
    ]);
  });
});

describe('the cheap counters', () => {
  it('counts block device entries exactly, whatever the entries hold', () => {
    const text = [
      'devices:',
      '  - name: a',
      '    config: |',
      '      - not an entry',
      '  - name: b',
      '    settings:',
      '      - also not',
      '',
      '  # a comment',
      '  -',
      '    name: c',
      'links:',
      '  - { a: x, b: y }',
    ].join('\n');
    expect(countDeviceEntries(text)).toBe(3);
    expect(countDeviceEntries('devices:\n- a\n- b\nlinks:\n- c\n')).toBe(2);
    expect(countDeviceEntries('nodes:\n  - a\n  - b\n')).toBe(2);
  });

  it('counts flow device entries by their top-level commas, ignoring quoted ones', () => {
    expect(countDeviceEntries('devices: [ {name: a, kind: "x,y"}, {name: "b]"}, ]\nlinks: [a, b, c]')).toBe(2);
    expect(countDeviceEntries('devices: &d [a, b, c] # three')).toBe(3);
    expect(countDeviceEntries('devices: []')).toBe(0);
  });

  it('stops counting once past the limit', () => {
    expect(countDeviceEntries('devices:\n' + '- x\n'.repeat(100), 10)).toBe(11);
    expect(estimateYamlValues('[' + '0,'.repeat(100) + ']', 10)).toBe(11);
  });

  it('measures UTF-8 bytes of any text', () => {
    expect(utf8Length('abc')).toBe(3);
    expect(utf8Length('é')).toBe(2);
    expect(utf8Length('€')).toBe(3);
    expect(utf8Length('😀')).toBe(4);
  });

  it('lets an ordinary lab through', () => {
    expect(inputLimitProblem(`${head}devices:\n  - { name: a, kind: k }\n`)).toBeNull();
  });
});
