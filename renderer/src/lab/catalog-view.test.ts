import { describe, expect, it } from 'vitest';
import type { CatalogEntry } from '../../../electron/host/contract.ts';
import { devicePorts, paletteGroups, resolvePort, settingSpecs, shortPortName } from './catalog-view.ts';

const entry = (kind: string, vendor: string, role: string, model: string, extra: Partial<CatalogEntry> = {}): CatalogEntry => ({
  kind,
  vendor,
  role,
  model,
  description: '',
  ports: [],
  settings: {},
  configSyntax: null,
  ...extra,
});

const cat3750 = entry('cisco-catalyst-3750', 'Cisco', 'switch', 'Catalyst 3750', {
  ports: [
    { name: 'GigabitEthernet1/0/1', aliases: ['Gi1/0/1'], speedBps: 1e9, medium: 'copper' },
    { name: 'GigabitEthernet1/0/2', speedBps: 1e9, medium: 'copper' },
  ],
  settings: { hostname: { type: 'string', description: 'name' }, weird: { type: 'colour' }, stack: { type: 'integer', description: 'n' } },
});

describe('catalog in the palette and on nodes', () => {
  it('groups by vendor then role, sorted, and searches across model, kind and role', () => {
    const catalog = [entry('pc', 'Generic', 'host', 'PC'), cat3750, entry('nexus', 'Cisco', 'switch', 'Nexus 5548'), entry('asr', 'Cisco', 'router', 'ASR 1001')];
    expect(paletteGroups(catalog, '').map((g) => [g.vendor, g.roles.map((r) => [r.role, r.entries.map((e) => e.model)])])).toEqual([
      ['Cisco', [['router', ['ASR 1001']], ['switch', ['Catalyst 3750', 'Nexus 5548']]]],
      ['Generic', [['host', ['PC']]]],
    ]);
    expect(paletteGroups(catalog, 'routers').flatMap((g) => g.roles.flatMap((r) => r.entries.map((e) => e.kind)))).toEqual(['asr']);
    expect(paletteGroups(catalog, 'cisco 3750').flatMap((g) => g.roles.flatMap((r) => r.entries.map((e) => e.kind)))).toEqual(['cisco-catalyst-3750']);
    expect(paletteGroups(catalog, 'juniper')).toEqual([]);
  });

  it('attaches links written with aliases or abbreviations to the canonical port', () => {
    expect(resolvePort(cat3750, 'Gi1/0/1')).toBe('GigabitEthernet1/0/1');
    expect(resolvePort(cat3750, 'gi1/0/2')).toBe('GigabitEthernet1/0/2');
    expect(resolvePort(cat3750, 'Gi1/0/9')).toBe('Gi1/0/9');
    expect(shortPortName('TenGigabitEthernet1/1')).toBe('Te1/1');
  });

  it('shows ports a link names that the kind lacks, marked unknown, without duplicating known ones', () => {
    const ports = devicePorts(cat3750, ['Gi1/0/1', 'Gi1/0/9']);
    expect(ports.map((p) => [p.name, p.unknown])).toEqual([
      ['GigabitEthernet1/0/1', false],
      ['GigabitEthernet1/0/2', false],
      ['Gi1/0/9', true],
    ]);
    expect(devicePorts(undefined, ['eth0']).map((p) => p.name)).toEqual(['eth0']);
  });

  it('offers only the settings the inspector knows how to edit', () => {
    expect(settingSpecs(cat3750).map(([k]) => k)).toEqual(['hostname', 'stack']);
  });
});
