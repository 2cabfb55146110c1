/**
 * Catalog entries for the Catalyst switches LabBox models, and the hardware facts the IOS CLI
 * needs (port names, interface types, model strings for `show version`).
 *
 * Models chosen:
 * - `cisco-catalyst-2960`: WS-C2960S-24TS-L (LAN Base): 24 × 10/100/1000 copper Gi1/0/1–24 and
 *   4 × 1G SFP Gi1/0/25–28. The 2960-S is stackable, hence the `1/0/n` numbering.
 * - `cisco-catalyst-3750`: WS-C3750X-48T-S with the C3KX-NM-10G network module: 48 × 10/100/1000
 *   copper Gi1/0/1–48 and 2 × 10G SFP+ Te1/1/1–2. A desktop model: desktop SDM templates only.
 * - `cisco-catalyst-3750g-12s`: WS-C3750G-12S-S (IP Base): 12 × 1G SFP Gi1/0/1–12. The one 3750
 *   that also runs the larger aggregator SDM templates (DOMAIN §4.4), and its factory default is
 *   one of them. It stacks with 3750-X members, numbered the same way.
 */
import type { DeviceKindInfo, PortSpec, SettingSpec } from '../kind.ts';

export interface CatalystModel {
  readonly kind: string;
  readonly model: string;
  readonly description: string;
  /** `show version` facts. */
  readonly pid: string;
  readonly iosImage: string;
  readonly iosVersion: string;
  readonly platform: string;
  readonly memoryK: string;
  readonly copperPorts: number;
  readonly uplinks: readonly { readonly type: 'GigabitEthernet' | 'TenGigabitEthernet'; readonly slot: string; readonly count: number; readonly first: number; readonly speedBps: number }[];
  /** Highest port-channel number the platform accepts. */
  readonly maxPortChannel: number;
  /** Whether trunks need `switchport trunk encapsulation` (platforms that also do ISL accept it). */
  readonly hasIsl: boolean;
  /** `Type` column of `show interfaces status` for copper ports. */
  readonly copperType: string;
}

export const CATALYST_2960: CatalystModel = {
  kind: 'cisco-catalyst-2960',
  model: 'Catalyst 2960-S (WS-C2960S-24TS-L)',
  description: 'Cisco Catalyst 2960-S access switch, 24 × 1G copper + 4 × 1G SFP, IOS LAN Base',
  pid: 'WS-C2960S-24TS-L',
  iosImage: 'C2960S-UNIVERSALK9-M',
  iosVersion: '15.0(2)SE11',
  platform: 'cisco WS-C2960S-24TS-L (PowerPC405) processor (revision B0) with 131072K bytes of memory.',
  memoryK: '131072K',
  copperPorts: 24,
  uplinks: [{ type: 'GigabitEthernet', slot: '1/0/', count: 4, first: 25, speedBps: 1e9 }],
  maxPortChannel: 6,
  hasIsl: false,
  copperType: '10/100/1000BaseTX',
};

export const CATALYST_3750: CatalystModel = {
  kind: 'cisco-catalyst-3750',
  model: 'Catalyst 3750-X (WS-C3750X-48T-S)',
  description: 'Cisco Catalyst 3750-X switch, 48 × 1G copper + C3KX-NM-10G (2 × 10G SFP+), IOS IP Base',
  pid: 'WS-C3750X-48T-S',
  iosImage: 'C3750E-UNIVERSALK9-M',
  iosVersion: '15.0(2)SE11',
  platform: 'cisco WS-C3750X-48T-S (PowerPC405) processor (revision A0) with 262144K bytes of memory.',
  memoryK: '262144K',
  copperPorts: 48,
  uplinks: [{ type: 'TenGigabitEthernet', slot: '1/1/', count: 2, first: 1, speedBps: 10e9 }],
  maxPortChannel: 48,
  hasIsl: true,
  copperType: '10/100/1000BaseTX',
};

export const CATALYST_3750G_12S: CatalystModel = {
  kind: 'cisco-catalyst-3750g-12s',
  model: 'Catalyst 3750G-12S (WS-C3750G-12S-S)',
  description: 'Cisco Catalyst 3750G-12S aggregation switch, 12 × 1G SFP, IOS IP Base; runs desktop and aggregator SDM templates',
  pid: 'WS-C3750G-12S',
  // [U] the image name and release for a 3750G that stacks with 3750-X members on one release.
  iosImage: 'C3750-IPBASEK9-M',
  iosVersion: '15.0(2)SE11',
  platform: 'cisco WS-C3750G-12S (PowerPC405) processor (revision H0) with 131072K bytes of memory.',
  memoryK: '131072K',
  copperPorts: 0,
  uplinks: [{ type: 'GigabitEthernet', slot: '1/0/', count: 12, first: 1, speedBps: 1e9 }],
  maxPortChannel: 48,
  hasIsl: true,
  copperType: '10/100/1000BaseTX',
};

export const CATALYST_MODELS: readonly CatalystModel[] = [CATALYST_2960, CATALYST_3750, CATALYST_3750G_12S];

const SHORT: Record<string, string> = { GigabitEthernet: 'Gi', TenGigabitEthernet: 'Te', 'Port-channel': 'Po', Vlan: 'Vl' };

/** IOS's short form as printed in tables: `Gi1/0/1`, `Te1/1/1`, `Po1`. */
export function shortName(name: string): string {
  for (const [long, short] of Object.entries(SHORT)) if (name.startsWith(long)) return short + name.slice(long.length);
  return name;
}

/**
 * The ports of one switch. `member` is its stack member number, the first figure of every port
 * name (`Gi2/0/1` on member 2); a standalone switch is member 1.
 */
export function catalystPorts(m: CatalystModel, member = 1): PortSpec[] {
  const out: PortSpec[] = [];
  const add = (type: string, number: string, speedBps: number, medium: PortSpec['medium']): void => {
    const name = type + number;
    out.push({ name, aliases: [shortName(name), shortName(name).toLowerCase(), `${SHORT[type]!.toLowerCase()} ${number}`], speedBps, medium });
  };
  for (let n = 1; n <= m.copperPorts; n++) add('GigabitEthernet', `${member}/0/${n}`, 1e9, 'copper');
  const slot = (u: CatalystModel['uplinks'][number]): string => u.slot.replace(/^1\//, `${member}/`);
  for (const u of m.uplinks) for (let k = 0; k < u.count; k++) add(u.type, `${slot(u)}${u.first + k}`, u.speedBps, 'sfp');
  return out;
}

/** [U] A Catalyst takes about two minutes from `reload` to forwarding again. */
export const DEFAULT_BOOT_SECONDS = 120;

/**
 * SDM template ids per model (kept here, not imported from sdm.ts, so the catalog stays free of
 * behaviour); sdm.ts holds what each one does and must list the same ids.
 */
export const SDM_TEMPLATE_IDS: Readonly<Record<string, readonly string[]>> = {
  'cisco-catalyst-2960': ['default', 'lanbase-routing'],
  'cisco-catalyst-3750': ['default', 'access', 'routing', 'vlan'],
  'cisco-catalyst-3750g-12s': ['aggregator-default', 'aggregator-access', 'aggregator-routing', 'aggregator-vlan', 'default', 'access', 'routing', 'vlan'],
};

function settingsOf(m: CatalystModel): Record<string, SettingSpec> {
  const ids = SDM_TEMPLATE_IDS[m.kind] ?? ['default'];
  return {
    hostname: { type: 'string', description: 'Host name shown in the prompt, unless the startup config sets `hostname`; defaults to the device name' },
    sdmTemplate: {
      type: 'string',
      description:
        'The SDM template stored in the switch\'s flash at power-on (`sdm prefer` writes it; it takes effect at the next boot). A `sdm prefer` line in the startup config is read at boot and wins. In a stack only the master\'s counts: every member runs the master\'s template, and one whose hardware cannot is in SDM Mismatch',
      default: ids[0]!,
      enum: ids,
    },
    bootSeconds: {
      type: 'integer',
      description: 'Seconds from `reload` until the switch forwards again [U: 120]',
      default: DEFAULT_BOOT_SECONDS,
      min: 0,
      max: 3600,
    },
  };
}

function info(m: CatalystModel): DeviceKindInfo {
  const ports = catalystPorts(m);
  return {
    kind: m.kind,
    vendor: 'Cisco',
    model: m.model,
    role: 'switch',
    description: m.description,
    settings: settingsOf(m),
    ports: () => ports,
    configSyntax: 'cisco-ios',
  };
}

export const catalyst2960Info: DeviceKindInfo = info(CATALYST_2960);
export const catalyst3750Info: DeviceKindInfo = info(CATALYST_3750);
export const catalyst3750g12sInfo: DeviceKindInfo = info(CATALYST_3750G_12S);
