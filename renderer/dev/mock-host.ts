/**
 * A stand-in host for working on the renderer alone: the real browser-shell server over an
 * in-memory HostApi with a made-up catalog and lab library. Not used by any test.
 *   node --import tsx renderer/dev/mock-host.ts [port]
 */
import type { CatalogEntry, HostApi, LabDocument, LabSummary } from '../../electron/host/contract.ts';
import { parse } from 'yaml';
import { startWebServer } from '../../electron/host/server/web-server.ts';

const range = (prefix: string, from: number, to: number, speedBps: number, medium: string, alias?: string) =>
  Array.from({ length: to - from + 1 }, (_, i) => ({
    name: `${prefix}${from + i}`,
    ...(alias ? { aliases: [`${alias}${from + i}`] } : {}),
    speedBps,
    medium,
  }));

const catalog: CatalogEntry[] = [
  {
    kind: 'cisco-catalyst-3750',
    vendor: 'Cisco',
    model: 'Catalyst 3750-X (WS-C3750X-48T-S)',
    role: 'switch',
    description: '24 copper gigabit ports and 4 SFP uplinks; stackable.',
    ports: [...range('GigabitEthernet1/0/', 1, 48, 1e9, 'copper', 'Gi1/0/'), ...range('TenGigabitEthernet1/1/', 1, 2, 1e10, 'sfp', 'Te1/1/')],
    settings: { hostname: { type: 'string', description: 'Hostname shown at the prompt' }, stackMember: { type: 'integer', description: 'Stack member number', default: 1, min: 1, max: 9 } },
    configSyntax: 'cisco-ios',
  },
  {
    kind: 'dell-powerconnect-6224',
    vendor: 'Dell',
    model: 'PowerConnect 6224',
    role: 'switch',
    description: '24-port gigabit managed switch.',
    ports: range('1/g', 1, 24, 1e9, 'copper', 'g'),
    settings: {},
    configSyntax: 'dell-powerconnect',
  },
  {
    kind: 'hp-vc-flexfabric',
    vendor: 'HP',
    model: 'Virtual Connect FlexFabric 10Gb/24',
    role: 'interconnect',
    description: 'VC module for the c7000 interconnect bays.',
    ports: range('X', 1, 8, 1e10, 'sfp'),
    settings: { firmware: { type: 'string', description: 'VC firmware', default: '4.50', enum: ['3.70', '4.10', '4.50'] } },
    configSyntax: 'hp-vcm',
  },
  {
    kind: 'hp-c7000',
    vendor: 'HP',
    model: 'BladeSystem c7000',
    role: 'enclosure',
    description: '16 half-height bays and 8 interconnect bays.',
    ports: [],
    settings: {},
    configSyntax: null,
  },
  {
    kind: 'windows-server',
    vendor: 'Microsoft',
    model: 'Windows Server 2019',
    role: 'server',
    description: 'A server with one or two NICs.',
    ports: range('eth', 0, 1, 1e9, 'copper'),
    settings: { ip: { type: 'ipv4-cidr', description: 'Address of eth0' }, gateway: { type: 'ipv4', description: 'Default gateway' }, nlb: { type: 'boolean', description: 'Join an NLB cluster', default: false } },
    configSyntax: null,
  },
  {
    kind: 'pc',
    vendor: 'Generic',
    model: 'PC',
    role: 'host',
    description: 'An end host that can ping.',
    ports: range('eth', 0, 0, 1e9, 'copper'),
    settings: { ip: { type: 'ipv4-cidr', description: 'Address of eth0' }, gateway: { type: 'ipv4', description: 'Default gateway' } },
    configSyntax: null,
  },
];

const basic = `apiVersion: labbox/v1
kind: Lab
metadata:
  name: basic-switching
  title: Basic switching
devices:
  - name: sw1
    kind: cisco-catalyst-3750
    position: { x: 0, y: 0 }
  - name: sw2
    kind: cisco-catalyst-3750
    position: { x: 420, y: 0 }
  - name: pc1
    kind: pc
    position: { x: -40, y: 260 }
    settings: { ip: 10.0.0.1/24 }
  - name: pc2
    kind: pc
    position: { x: 480, y: 260 }
    settings: { ip: 10.0.0.2/24 }
links:
  - { a: sw1:Te1/1/1, b: sw2:Te1/1/1 }
  - { a: pc1:eth0, b: sw1:Gi1/0/1 }
  - { a: pc2:eth0, b: sw2:Gi1/0/2 }
scenarios:
  - name: ping
`;

const files = new Map<string, { text: string; shipped: boolean }>([['/shipped/basic-switching.lab.yaml', { text: basic, shipped: true }]]);

function summary(path: string): LabSummary {
  const f = files.get(path);
  const text = f?.text ?? '';
  const name = /name: (\S+)/.exec(text)?.[1] ?? 'lab';
  return {
    id: path,
    path,
    name,
    title: /title: (.+)/.exec(text)?.[1] ?? name,
    devices: ((parse(text) as { devices?: unknown[] }).devices ?? []).length,
    links: ((parse(text) as { links?: unknown[] }).links ?? []).length,
    scenarios: [],
    shipped: f?.shipped ?? false,
    modifiedAt: '2026-11-21T00:00:00Z',
  };
}

const doc = (path: string | null, text: string): LabDocument => ({ id: path, path, text, lab: null, errors: [] });
const never = () => Promise.reject({ code: 'internal', message: 'not in the mock host' });

const api: HostApi = {
  hostInfo: async () => ({ transport: 'websocket', version: '0.1.0-mock', workspace: '/tmp/labbox-mock' }),
  listLabs: async () => [...files.keys()].map(summary),
  recentLabs: async () => [],
  openLab: async (id) => doc(id, files.get(id)?.text ?? ''),
  newLab: async (name) => doc(null, `apiVersion: labbox/v1\nkind: Lab\nmetadata:\n  name: ${name}\ndevices: []\nlinks: []\n`),
  saveLab: async (path, text) => (files.set(path, { text, shipped: false }), doc(path, text)),
  saveLabAs: async (path, text) => (files.set(path, { text, shipped: false }), doc(path, text)),
  importLab: never,
  exportLab: never,
  validateLab: async () => ({ ok: true, errors: [] }),
  autosave: async () => {},
  recoverySnapshots: async () => [],
  discardSnapshot: async () => {},
  deviceCatalog: async () => catalog,
  startRun: never,
  pauseRun: never,
  resumeRun: never,
  stepRun: never,
  stopRun: never,
  setRunSpeed: never,
  listRuns: async () => [],
  onRunEvents: () => () => {},
  openConsole: never,
  consoleWrite: never,
  closeConsole: never,
  onConsoleOutput: () => () => {},
  startCapture: never,
  stopCapture: never,
  listCaptures: async () => [],
  exportCapture: never,
};

const server = await startWebServer({ api, port: Number(process.argv[2] ?? 4792), rendererDir: new URL('../../out/renderer', import.meta.url).pathname });
console.log(`mock host at ${server.url}`);
