import type { DeviceKindInfo, PortSpec } from '../../devices/kind.ts';

/**
 * A small stand-in for the device catalog, so lab-file tests do not depend on which real kinds
 * exist. `test-switch` has `ports` copper ports (default 8) named `GigabitEthernet0/N` (alias
 * `Gi0/N`) plus two SFP uplinks; `test-host` has one `eth0`; `test-enclosure` has none.
 */
function switchPorts(count: number): PortSpec[] {
  const out: PortSpec[] = [];
  for (let n = 1; n <= count; n++) out.push({ name: `GigabitEthernet0/${n}`, aliases: [`Gi0/${n}`], speedBps: 1e9, medium: 'copper' });
  out.push({ name: 'TenGigabitEthernet0/1', aliases: ['Te0/1'], speedBps: 1e10, medium: 'sfp' });
  out.push({ name: 'TenGigabitEthernet0/2', aliases: ['Te0/2'], speedBps: 1e10, medium: 'sfp' });
  return out;
}

const kinds: DeviceKindInfo[] = [
  {
    kind: 'test-switch',
    vendor: 'Test',
    model: 'Switch',
    role: 'switch',
    description: 'A switch for tests',
    settings: {
      ports: { type: 'integer', description: 'copper ports', default: 8, min: 8, max: 48 },
      firmware: { type: 'string', description: 'firmware version' },
      mode: { type: 'string', description: 'forwarding mode', enum: ['fast', 'safe'] },
      stp: { type: 'boolean', description: 'spanning tree', default: true },
      mgmt: { type: 'ipv4-cidr', description: 'management address' },
      gateway: { type: 'ipv4', description: 'default gateway' },
      mac: { type: 'mac', description: 'base MAC' },
    },
    ports: (s) => switchPorts(typeof s.ports === 'number' ? s.ports : 8),
    configSyntax: 'test-ios',
  },
  {
    kind: 'test-host',
    vendor: 'Test',
    model: 'Host',
    role: 'host',
    description: 'A host for tests',
    settings: { ip: { type: 'ipv4-cidr', description: 'address' } },
    ports: () => [{ name: 'eth0', speedBps: 1e9, medium: 'copper' }],
    configSyntax: null,
  },
  {
    kind: 'test-enclosure',
    vendor: 'Test',
    model: 'Enclosure',
    role: 'enclosure',
    description: 'A chassis for tests',
    settings: {},
    ports: () => [],
    configSyntax: null,
  },
];

const byName = new Map(kinds.map((k) => [k.kind, k]));

export const fakeCatalog = (kind: string): DeviceKindInfo | undefined => byName.get(kind);
export const fakeKindNames: readonly string[] = kinds.map((k) => k.kind);
export const fakeOptions = { catalog: fakeCatalog, kindNames: fakeKindNames };
