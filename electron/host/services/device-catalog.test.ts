import { describe, expect, it } from 'vitest';
import { portInSlot, portWithSetting, type CatalogPort } from '../contract.ts';
import { memberPorts, STACK_KIND } from '../../../emulator/devices/cisco-catalyst-stack/info.ts';
import { FEX_MAX, FEX_MIN } from '../../../emulator/devices/cisco-nexus-5548/info.ts';
import { NEXUS_2248_KIND, nexus2248Info } from '../../../emulator/devices/cisco-nexus-2248/info.ts';
import { settingsWithDefaults, type ContainerSpec, type DeviceKindInfo } from '../../../emulator/devices/kind.ts';
import { deviceKind } from '../../../emulator/devices/catalog.ts';
import { routerInfo } from '../../../emulator/devices/router/info.ts';
import { catalogEntries, containerData, devicePortsFor, portSettings, settingPorts } from './device-catalog.ts';

const plain = (ports: readonly { name: string; aliases?: readonly string[]; speedBps: number; medium: string }[]): CatalogPort[] =>
  ports.map((p) => ({ name: p.name, speedBps: p.speedBps, medium: p.medium, ...(p.aliases ? { aliases: [...p.aliases] } : {}) }));

describe('the catalog the renderer gets', () => {
  it('carries the stack\'s member port naming as a template that gives every member exactly the ports the emulator gives it', () => {
    const stack = catalogEntries().find((e) => e.kind === STACK_KIND);
    expect(stack?.container).toMatchObject({ accepts: ['cisco-catalyst-3750', 'cisco-catalyst-3750g-12s'], slots: { min: 1, max: 9 } });
    const rule = stack?.container?.childPorts?.['cisco-catalyst-3750'];
    if (!rule || !('template' in rule)) throw new Error('no template for stack members');
    expect(rule.template[0]).toMatchObject({ name: 'GigabitEthernet{slot}/0/1', aliases: expect.arrayContaining(['Gi{slot}/0/1']) });
    for (let n = 1; n <= 9; n++) expect(rule.template.map((p) => portInSlot(p, n))).toEqual(plain(memberPorts(n)));
    expect(JSON.parse(JSON.stringify(stack))).toEqual(stack);
  });

  it('sends each slot\'s own list when the renaming is not a matter of putting the slot number in the name', () => {
    const spec: ContainerSpec = {
      accepts: ['pc'],
      slots: { min: 1, max: 3, word: 'bay' },
      childPorts: (_kind, _settings, slot) => [{ name: `lan${slot * 10}`, speedBps: 1e9, medium: 'copper' }],
    };
    expect(containerData(spec).childPorts).toEqual({
      pc: { bySlot: { '1': [{ name: 'lan10', speedBps: 1e9, medium: 'copper' }], '2': [{ name: 'lan20', speedBps: 1e9, medium: 'copper' }], '3': [{ name: 'lan30', speedBps: 1e9, medium: 'copper' }] } },
    });
  });

  it('leaves out the port rule of a container whose children keep their own ports', () => {
    expect(containerData({ accepts: ['pc'], slots: { min: 1, max: 4, word: 'bay' } })).toEqual({ accepts: ['pc'], slots: { min: 1, max: 4, word: 'bay' } });
  });
});

describe('ports that follow a setting', () => {
  const fexEntry = () => catalogEntries().find((e) => e.kind === NEXUS_2248_KIND);

  it('carries the FEX host port naming as a template on `fex` that gives every FEX number exactly the ports the emulator gives it', () => {
    const rule = fexEntry()?.portsBySetting;
    if (!rule) throw new Error('no port template for the FEX');
    expect(rule.setting).toBe('fex');
    expect(rule.template[0]).toMatchObject({ name: 'Ethernet{value}/1/1', aliases: expect.arrayContaining(['Eth{value}/1/1']) });
    expect(rule.template.at(-1)?.name).toBe('Fabric4');
    for (let fex = FEX_MIN; fex <= FEX_MAX; fex++) {
      expect(rule.template.map((p) => portWithSetting(p, fex))).toEqual(plain(nexus2248Info.ports({ fex })));
    }
    // The default list is still the one a FEX without the setting has.
    expect(fexEntry()?.ports[0].name).toBe('Ethernet101/1/1');
  });

  it('sends no template for a setting that changes how many ports there are, nor for kinds whose ports keep their names', () => {
    const byKind = new Map(catalogEntries().map((e) => [e.kind, e]));
    expect(byKind.get('l2-switch')?.portsBySetting).toBeUndefined();
    expect(byKind.get('router')?.portsBySetting).toBeUndefined();
    expect(byKind.get('cisco-nexus-5548')?.portsBySetting).toBeUndefined();
  });

  it('reads a template off a string setting too, and only when every allowed value fits it', () => {
    const kind = (ports: (v: string) => string[]): DeviceKindInfo => ({
      kind: 'probe',
      vendor: 'Generic',
      model: 'Probe',
      role: 'host',
      description: '',
      settings: { side: { type: 'string', description: 'side', default: 'left', enum: ['left', 'right', 'up'] } },
      ports: (s) => ports(String(s['side'])).map((name) => ({ name, speedBps: 1e9, medium: 'copper' })),
      configSyntax: null,
    });
    expect(settingPorts(kind((v) => [`${v}-a`, 'mgmt']))).toEqual({
      setting: 'side',
      template: [
        { name: '{value}-a', speedBps: 1e9, medium: 'copper' },
        { name: 'mgmt', speedBps: 1e9, medium: 'copper' },
      ],
    });
    expect(settingPorts(kind((v) => (v === 'up' ? ['top'] : [`${v}-a`])))).toBeNull();
  });
});

describe('ports that follow how a device is set', () => {
  const byKind = () => new Map(catalogEntries().map((e) => [e.kind, e]));
  const names = (ports: readonly CatalogPort[] | null | undefined) => ports?.map((p) => p.name);

  it('names the settings each kind\'s ports follow, found by trying them, and none for a kind whose ports stay put', () => {
    const kinds = byKind();
    expect(kinds.get('router')?.portSettings).toEqual(['ports']);
    expect(kinds.get('l2-switch')?.portSettings).toEqual(['ports']);
    expect(kinds.get('hyperv-host')?.portSettings).toContain('nics');
    expect(kinds.get('esxi-host')?.portSettings).toContain('uplinks');
    expect(kinds.get('windows-server')?.portSettings).toContain('adapters');
    expect(kinds.get('hp-bl460c')?.portSettings).toEqual(expect.arrayContaining(['lomFunctions', 'mezz1Ports', 'mezz2Ports']));
    expect(kinds.get('cisco-nexus-2248')?.portSettings).toEqual(['fex']);
    expect(kinds.get('pc')?.portSettings).toBeUndefined();
    expect(kinds.get('cisco-catalyst-3750')?.portSettings).toBeUndefined();
  });

  it('gives a router with ports: 8 its eight ports GigabitEthernet0/0 to 0/7, as the emulator does', () => {
    const ports = devicePortsFor({ kind: 'router', settings: { ports: 8 } });
    expect(names(ports)).toEqual(Array.from({ length: 8 }, (_, i) => `GigabitEthernet0/${i}`));
    expect(ports?.[5].aliases).toEqual(['Gi0/5']);
    expect(ports).toEqual(plain(routerInfo.ports({ ports: 8 })));
  });

  it('gives a blade with mezzanine ports the emulator\'s list for those settings, longer than its default one', () => {
    const blade = deviceKind('hp-bl460c');
    if (!blade) throw new Error('no hp-bl460c kind');
    const settings = { mezz1Ports: 2, lomFunctions: 2 };
    const ports = devicePortsFor({ kind: 'hp-bl460c', settings });
    expect(ports).toEqual(plain(blade.ports(settingsWithDefaults(blade, settings))));
    expect(ports?.length).toBeGreaterThan(byKind().get('hp-bl460c')?.ports.length ?? 0);
  });

  it('gives every kind\'s default list for its defaults, so a device asked about with default values is drawn as the palette has it', () => {
    for (const entry of catalogEntries()) {
      if (entry.container) continue;
      expect(devicePortsFor({ kind: entry.kind, settings: {} }), entry.kind).toEqual(entry.ports);
    }
  });

  it('names a stack member\'s ports by its slot when asked with its parent, and gives none in a slot the stack does not have', () => {
    expect(devicePortsFor({ kind: 'cisco-catalyst-3750', settings: {}, parentKind: STACK_KIND, slot: 3 })).toEqual(plain(memberPorts(3)));
    expect(devicePortsFor({ kind: 'cisco-catalyst-3750', settings: {}, parentKind: STACK_KIND, slot: 12 })).toEqual([]);
    expect(devicePortsFor({ kind: 'cisco-catalyst-3750', settings: {}, parentKind: STACK_KIND })).toEqual([]);
  });

  it('answers nothing for a kind it does not know, a setting the ports do not follow, or a value the setting refuses', () => {
    expect(devicePortsFor({ kind: 'no-such-kind', settings: {} })).toBeNull();
    expect(devicePortsFor({ kind: 'router', settings: { hostname: 'r1' } })).toBeNull();
    expect(devicePortsFor({ kind: 'router', settings: { ports: 9 } })).toBeNull();
    expect(devicePortsFor({ kind: 'router', settings: { ports: 2.5 } })).toBeNull();
    expect(devicePortsFor({ kind: 'router', settings: { ports: '8' } })).toBeNull();
    expect(devicePortsFor({ kind: 'router', settings: { constructor: 1 } })).toBeNull();
  });

  it('finds a setting by trying values far from its default on a wide range, and counts a value with no port list as a change', () => {
    const kind = (ports: (n: number) => number): DeviceKindInfo => ({
      kind: 'probe',
      vendor: 'Generic',
      model: 'Probe',
      role: 'host',
      description: '',
      settings: {
        lanes: { type: 'integer', description: 'lanes', default: 1, min: 1, max: 100000 },
        label: { type: 'string', description: 'free text' },
      },
      ports: (s) => {
        const n = ports(Number(s['lanes']));
        if (n < 0) throw new Error('no such lane count');
        return Array.from({ length: n }, (_, i) => ({ name: `lane${i}`, speedBps: 1e9, medium: 'copper' }));
      },
      configSyntax: null,
    });
    expect(portSettings(kind((n) => (n > 50000 ? 2 : 1)))).toEqual(['lanes']);
    expect(portSettings(kind((n) => (n === 100000 ? -1 : 1)))).toEqual(['lanes']);
    expect(portSettings(kind(() => 1))).toEqual([]);
  });
});
