import { describe, expect, it } from 'vitest';
import type { CatalogEntry } from '../../../electron/host/contract.ts';
import {
  configuredEntry,
  deviceEntry,
  devicePorts,
  isPending,
  nameStem,
  paletteGroups,
  placedEntry,
  portFactsIn,
  portQuestion,
  resolvePort,
  settingSpecs,
  shortPortName,
} from './catalog-view.ts';
import { FakePortAnswers, routerPorts } from './fake-port-answers.ts';
import { linkRefusal, readLab } from './lab-text.ts';

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

  it('names a dropped device after its role, but a stack or a cluster after what it is, not after what it holds', () => {
    expect(nameStem(cat3750)).toBe('sw');
    expect(nameStem(entry('cisco-catalyst-3750-stack', 'Cisco', 'switch', 'StackWise stack'))).toBe('stack');
    expect(nameStem(entry('hyperv-cluster', 'Microsoft', 'hypervisor', 'Failover cluster'))).toBe('cl');
    expect(nameStem(entry('hyperv-host', 'Microsoft', 'hypervisor', 'Hyper-V host'))).toBe('hv');
    expect(nameStem(undefined)).toBe('dev');
  });

  it('offers only the settings the inspector knows how to edit', () => {
    expect(settingSpecs(cat3750).map(([k]) => k)).toEqual(['hostname', 'stack']);
  });
});

// As the host sends it: the member's ports as a template, `{slot}` standing for the member number.
const stack = entry('cisco-catalyst-3750-stack', 'Cisco', 'switch', 'Catalyst 3750-X StackWise stack', {
  container: {
    accepts: ['cisco-catalyst-3750'],
    slots: { min: 1, max: 9, word: 'stack member number' },
    childPorts: {
      'cisco-catalyst-3750': {
        template: [
          ...[1, 2, 3].map((n) => ({ name: `GigabitEthernet{slot}/0/${n}`, aliases: [`Gi{slot}/0/${n}`, `gi{slot}/0/${n}`], speedBps: 1e9, medium: 'copper' })),
          { name: 'TenGigabitEthernet{slot}/1/1', aliases: ['Te{slot}/1/1'], speedBps: 1e10, medium: 'sfp' },
        ],
      },
    },
  },
});
const pc = entry('pc', 'Generic', 'host', 'PC', { ports: [{ name: 'eth0', speedBps: 1e9, medium: 'copper' }] });
const stackCatalog = new Map([cat3750, stack, pc].map((e) => [e.kind, e]));

const stackLab = `devices:
  - { name: stk1, kind: cisco-catalyst-3750-stack }
  - { name: sw1, kind: cisco-catalyst-3750, parent: stk1, slot: "1" }
  - { name: sw2, kind: cisco-catalyst-3750, parent: stk1, slot: "2" }
  - { name: sw3, kind: cisco-catalyst-3750, parent: stk1, slot: "12" }
  - { name: sw4, kind: cisco-catalyst-3750 }
  - { name: pc1, kind: pc }
  - { name: pc2, kind: pc }
links:
  - { a: pc1:eth0, b: sw2:Gi2/0/3 }
`;

describe('stack members', () => {
  const view = readLab(stackLab);

  it('numbers a member\'s ports by its member number, and a standalone switch keeps the catalog\'s', () => {
    const sw2 = deviceEntry(stackCatalog, view.devices, 'sw2');
    expect(sw2?.ports.map((p) => p.name)).toEqual(['GigabitEthernet2/0/1', 'GigabitEthernet2/0/2', 'GigabitEthernet2/0/3', 'TenGigabitEthernet2/1/1']);
    expect(devicePorts(sw2, []).map((p) => p.label)).toEqual(['Gi2/0/1', 'Gi2/0/2', 'Gi2/0/3', 'Te2/1/1']);
    expect(deviceEntry(stackCatalog, view.devices, 'sw1')?.ports[0].name).toBe('GigabitEthernet1/0/1');
    expect(deviceEntry(stackCatalog, view.devices, 'sw4')).toBe(cat3750);
    // The member keeps what the kind says of itself; only the ports follow the slot.
    expect(sw2).toMatchObject({ kind: 'cisco-catalyst-3750', model: 'Catalyst 3750', settings: cat3750.settings });
  });

  it('attaches a link to Gi2/0/3 on member 2 to its own port, and shows a member-1 name there as unknown', () => {
    const sw2 = deviceEntry(stackCatalog, view.devices, 'sw2');
    expect(resolvePort(sw2, 'Gi2/0/3')).toBe('GigabitEthernet2/0/3');
    expect(resolvePort(sw2, 'gi2/0/3')).toBe('GigabitEthernet2/0/3');
    expect(devicePorts(sw2, ['Gi2/0/3']).filter((p) => p.unknown)).toEqual([]);
    expect(devicePorts(sw2, ['Gi1/0/3']).filter((p) => p.unknown).map((p) => p.name)).toEqual(['Gi1/0/3']);
  });

  it('gives a member in a slot the stack cannot take no ports, as validation does', () => {
    expect(deviceEntry(stackCatalog, view.devices, 'sw3')?.ports).toEqual([]);
    expect(placedEntry(cat3750, stack, null)?.ports).toEqual([]);
    expect(placedEntry(cat3750, stack, '0')?.ports).toEqual([]);
  });

  it('gives the same entry object for the same placement, so what is cached by entry stays cached', () => {
    expect(placedEntry(cat3750, stack, '2')).toBe(placedEntry(cat3750, stack, '2'));
    expect(placedEntry(cat3750, stack, '2')).not.toBe(placedEntry(cat3750, stack, '3'));
  });

  it('takes each slot\'s own list when the host could not send a template', () => {
    const odd = entry('odd-frame', 'Generic', 'enclosure', 'Frame', {
      container: { accepts: ['pc'], slots: { min: 1, max: 2, word: 'bay' }, childPorts: { pc: { bySlot: { '2': [{ name: 'lan-b', speedBps: 1e9, medium: 'copper' }] } } } },
    });
    expect(placedEntry(pc, odd, '2')?.ports.map((p) => p.name)).toEqual(['lan-b']);
    expect(placedEntry(pc, odd, '1')?.ports).toEqual([]);
  });

  it('checks a new link against the member\'s ports: the same port in another spelling is taken, copper does not join SFP', () => {
    const facts = portFactsIn(stackCatalog, view.devices);
    expect(facts({ device: 'sw2', port: 'Gi2/0/2' })).toEqual({ canonical: 'GigabitEthernet2/0/2', medium: 'copper' });
    expect(linkRefusal(view, { device: 'pc2', port: 'eth0' }, { device: 'sw2', port: 'GigabitEthernet2/0/3' }, facts)).toMatch(/sw2:GigabitEthernet2\/0\/3 is already linked/);
    expect(linkRefusal(view, { device: 'pc2', port: 'eth0' }, { device: 'sw2', port: 'TenGigabitEthernet2/1/1' }, facts)).toMatch(/cannot join a copper port/);
    expect(linkRefusal(view, { device: 'pc2', port: 'eth0' }, { device: 'sw2', port: 'GigabitEthernet2/0/1' }, facts)).toBeNull();
  });
});

const fexPort = (n: string) => ({ name: `Ethernet{value}/1/${n}`, aliases: [`Eth{value}/1/${n}`], speedBps: 1e9, medium: 'copper' });
const fex = entry('cisco-nexus-2248', 'Cisco', 'switch', 'Nexus 2248TP FEX', {
  ports: [
    ...['1', '10'].map((n) => ({ name: `Ethernet101/1/${n}`, aliases: [`Eth101/1/${n}`], speedBps: 1e9, medium: 'copper' })),
    { name: 'Fabric1', speedBps: 1e10, medium: 'sfp' },
  ],
  settings: { fex: { type: 'integer', description: 'FEX number', default: 101, min: 100, max: 199 } },
  portsBySetting: { setting: 'fex', template: [fexPort('1'), fexPort('10'), { name: 'Fabric1', speedBps: 1e10, medium: 'sfp' }] },
});
const fexCatalog = new Map([fex, pc].map((e) => [e.kind, e]));
const fexLab = `devices:
  - { name: fex101, kind: cisco-nexus-2248 }
  - { name: fex102, kind: cisco-nexus-2248, settings: { fex: 102 } }
  - { name: fexbad, kind: cisco-nexus-2248, settings: { fex: 300 } }
  - { name: pc1, kind: pc }
  - { name: pc2, kind: pc }
links:
  - { a: pc1:eth0, b: fex102:Ethernet102/1/10 }
`;

describe('ports named after a setting', () => {
  const view = readLab(fexLab);

  it('numbers a FEX\'s host ports by its own `fex`, and one without the setting keeps the catalog\'s', () => {
    const fex102 = deviceEntry(fexCatalog, view.devices, 'fex102');
    expect(fex102?.ports.map((p) => p.name)).toEqual(['Ethernet102/1/1', 'Ethernet102/1/10', 'Fabric1']);
    expect(devicePorts(fex102, ['Ethernet102/1/10']).map((p) => [p.label, p.unknown])).toEqual([
      ['Eth102/1/1', false],
      ['Eth102/1/10', false],
      ['Fabric1', false],
    ]);
    expect(resolvePort(fex102, 'eth102/1/10')).toBe('Ethernet102/1/10');
    expect(deviceEntry(fexCatalog, view.devices, 'fex101')).toBe(fex);
    expect(fex102).toMatchObject({ kind: 'cisco-nexus-2248', model: 'Nexus 2248TP FEX', settings: fex.settings });
  });

  it('leaves a FEX number the setting does not allow with the default ports, so the link to it shows as unknown', () => {
    expect(deviceEntry(fexCatalog, view.devices, 'fexbad')).toBe(fex);
    expect(configuredEntry(fex, { fex: '102' })).toBe(fex);
  });

  it('gives the same entry object for the same value, so what is cached by entry stays cached', () => {
    expect(configuredEntry(fex, { fex: 102 })).toBe(configuredEntry(fex, { fex: 102 }));
    expect(configuredEntry(fex, { fex: 102 })).not.toBe(configuredEntry(fex, { fex: 103 }));
    expect(placedEntry(fex, undefined, null, { fex: 102 })).toBe(configuredEntry(fex, { fex: 102 }));
  });

  it('checks a new link against the FEX\'s own ports', () => {
    const facts = portFactsIn(fexCatalog, view.devices);
    expect(facts({ device: 'fex102', port: 'Eth102/1/10' })).toEqual({ canonical: 'Ethernet102/1/10', medium: 'copper' });
    expect(facts({ device: 'fex102', port: 'Eth101/1/10' })).toEqual({ canonical: 'Eth101/1/10', medium: null });
    expect(linkRefusal(view, { device: 'pc2', port: 'eth0' }, { device: 'fex102', port: 'Ethernet102/1/10' }, facts)).toMatch(/fex102:Ethernet102\/1\/10 is already linked/);
    expect(linkRefusal(view, { device: 'pc2', port: 'eth0' }, { device: 'fex102', port: 'Fabric1' }, facts)).toMatch(/cannot join a copper port/);
    expect(linkRefusal(view, { device: 'pc2', port: 'eth0' }, { device: 'fex102', port: 'Ethernet102/1/1' }, facts)).toBeNull();
  });
});

const router = entry('router', 'Generic', 'router', 'IPv4 router', {
  ports: routerPorts({ kind: 'router', settings: {} }) ?? [],
  settings: { ports: { type: 'integer', description: 'ports', default: 4, min: 1, max: 8 }, hostname: { type: 'string', description: 'name' } },
  portSettings: ['ports'],
});
const routerCatalog = new Map([router, pc, fex].map((e) => [e.kind, e]));
const routerLab = `devices:
  - { name: r8, kind: router, settings: { ports: 8, hostname: edge } }
  - { name: r8b, kind: router, settings: { ports: 8 } }
  - { name: r4, kind: router, settings: { ports: 4 } }
  - { name: rbad, kind: router, settings: { ports: 12 } }
  - { name: pc1, kind: pc }
  - { name: pc2, kind: pc }
links:
  - { a: pc1:eth0, b: r8:Gi0/6 }
`;

describe('ports that follow how many a device is set to have', () => {
  const view = readLab(routerLab);

  it('draws a router with ports: 8 with the default ports until the host answers, its link\'s port pending rather than unknown', () => {
    const answers = new FakePortAnswers(routerPorts);
    const r8 = deviceEntry(routerCatalog, view.devices, 'r8', answers);
    expect(r8?.ports.map((p) => p.name)).toEqual(router.ports.map((p) => p.name));
    expect(r8 && isPending(r8)).toBe(true);
    expect(devicePorts(r8, ['Gi0/6']).at(-1)).toMatchObject({ label: 'Gi0/6', unknown: false, pending: true });
    // Until then a new link to a port the router may have is not refused.
    const facts = portFactsIn(routerCatalog, view.devices, answers);
    expect(linkRefusal(view, { device: 'pc2', port: 'eth0' }, { device: 'r8', port: 'Gi0/7' }, facts)).toBeNull();
  });

  it('asks the host once for every router with the same settings, and not for one at its default or with a value it refuses', () => {
    const answers = new FakePortAnswers(routerPorts);
    for (const name of ['r8', 'r8b', 'r4', 'rbad']) deviceEntry(routerCatalog, view.devices, name, answers);
    expect([...answers.wanted.values()]).toEqual([{ kind: 'router', settings: { ports: 8 } }]);
    expect(deviceEntry(routerCatalog, view.devices, 'r4', answers)).toBe(router);
    expect(deviceEntry(routerCatalog, view.devices, 'rbad', answers)).toBe(router);
  });

  it('gives a router with ports: 8 eight ports once the host has answered, and checks links against them', () => {
    const asking = new FakePortAnswers(routerPorts);
    deviceEntry(routerCatalog, view.devices, 'r8', asking);
    const answers = asking.answered();
    const r8 = deviceEntry(routerCatalog, view.devices, 'r8', answers);
    expect(r8?.ports.map((p) => p.name)).toEqual(Array.from({ length: 8 }, (_, i) => `GigabitEthernet0/${i}`));
    expect(r8 && isPending(r8)).toBe(false);
    expect(devicePorts(r8, ['Gi0/6']).some((p) => p.unknown || p.pending)).toBe(false);
    expect(deviceEntry(routerCatalog, view.devices, 'r8b', answers)).toBe(r8);
    const facts = portFactsIn(routerCatalog, view.devices, answers);
    expect(facts({ device: 'r8', port: 'Gi0/5' })).toEqual({ canonical: 'GigabitEthernet0/5', medium: 'copper' });
    expect(linkRefusal(view, { device: 'pc2', port: 'eth0' }, { device: 'r8', port: 'GigabitEthernet0/5' }, facts)).toBeNull();
    expect(linkRefusal(view, { device: 'pc2', port: 'eth0' }, { device: 'r8', port: 'GigabitEthernet0/6' }, facts)).toMatch(/r8:GigabitEthernet0\/6 is already linked/);
    expect(facts({ device: 'r4', port: 'Gi0/5' })).toEqual({ canonical: 'Gi0/5', medium: null });
  });

  it('keeps the catalog\'s ports, links to others unknown, when the host gives none for the settings', () => {
    const asking = new FakePortAnswers(() => null);
    deviceEntry(routerCatalog, view.devices, 'r8', asking);
    const r8 = deviceEntry(routerCatalog, view.devices, 'r8', asking.answered());
    expect(r8).toBe(router);
    expect(devicePorts(r8, ['Gi0/6']).at(-1)).toMatchObject({ unknown: true, pending: false });
  });

  it('leaves to the templates what they cover, and asks with the parent and slot where the parent names the ports', () => {
    const twoSettings = { ...fex, portSettings: ['fex', 'lanes'], settings: { ...fex.settings, lanes: { type: 'integer', description: 'n', default: 1, min: 1, max: 4 } } };
    expect(portQuestion(twoSettings, undefined, null, { fex: 102 })).toBeNull();
    expect(portQuestion(twoSettings, undefined, null, { fex: 102, lanes: 2 })?.query).toEqual({ kind: 'cisco-nexus-2248', settings: { fex: 102, lanes: 2 } });
    const member = { ...cat3750, settings: { ...cat3750.settings, uplinks: { type: 'integer', description: 'n', default: 2, min: 0, max: 4 } }, portSettings: ['uplinks'] };
    const stackKind = entry('cisco-catalyst-3750-stack', 'Cisco', 'switch', 'Stack', {
      container: { accepts: ['cisco-catalyst-3750'], slots: { min: 1, max: 9, word: 'member' }, childPorts: { 'cisco-catalyst-3750': { template: [] } } },
    });
    expect(portQuestion(member, stackKind, '3', { uplinks: 4 })?.query).toEqual({ kind: 'cisco-catalyst-3750', settings: { uplinks: 4 }, parentKind: 'cisco-catalyst-3750-stack', slot: 3 });
    expect(portQuestion(member, stackKind, '3', { uplinks: 2 })).toBeNull();
    expect(portQuestion(member, stackKind, '30', { uplinks: 4 })).toBeNull();
    const enclosure = entry('hp-c7000', 'HP', 'enclosure', 'c7000', { container: { accepts: ['cisco-catalyst-3750'], slots: { min: 1, max: 16, word: 'bay' } } });
    expect(portQuestion(member, enclosure, '3', { uplinks: 4 })?.query).toEqual({ kind: 'cisco-catalyst-3750', settings: { uplinks: 4 } });
  });
});
