/**
 * Catalog entries for the Virtual Connect interconnect modules, and their per-module settings.
 * A module is a lab device whose `parent` is the c7000 enclosure and whose `slot` is the
 * interconnect bay; the domain configuration (networks, uplink sets, profiles) is written as VC
 * CLI commands in a module's `config` (usually the one in bay 1, where VCM runs).
 */
import type { DeviceKindInfo, PortSpec, SettingSpec, Settings } from '../kind.ts';

export type VcModuleType = 'flex10' | 'flexfabric' | 'fc';

export interface VcModuleModel {
  readonly kind: string;
  readonly type: VcModuleType;
  readonly model: string;
  readonly description: string;
  readonly uplinks: number;
  /** VCSU update time per module: ≈20 min per VC-Enet module, ≈5 min per VC-FC module (DOMAIN §3.5 [V]). */
  readonly updateMinutes: number;
}

export const VC_FLEX10: VcModuleModel = {
  kind: 'hp-vc-flex10',
  type: 'flex10',
  model: 'HP VC Flex-10 Enet Module',
  description: 'HP Virtual Connect Flex-10 10Gb Ethernet module: 16 server downlinks split into FlexNICs, uplinks X1–X8, internal stacking link',
  uplinks: 8,
  updateMinutes: 20,
};

export const VC_FLEXFABRIC: VcModuleModel = {
  kind: 'hp-vc-flexfabric',
  type: 'flexfabric',
  model: 'HP VC FlexFabric 10Gb/24-Port Module',
  description: 'HP Virtual Connect FlexFabric module: 16 converged server downlinks (FlexNICs and a FlexHBA), uplinks X1–X8, internal stacking link',
  uplinks: 8,
  updateMinutes: 20,
};

export const VC_FC: VcModuleModel = {
  kind: 'hp-vc-fc',
  type: 'fc',
  model: 'HP VC 8Gb 24-Port FC Module',
  description: 'HP Virtual Connect 8Gb Fibre Channel module (no Ethernet; updated by VCSU like the Ethernet modules)',
  uplinks: 0,
  updateMinutes: 5,
};

export const VC_MODELS: readonly VcModuleModel[] = [VC_FLEX10, VC_FLEXFABRIC, VC_FC];

export function moduleModel(type: VcModuleType): VcModuleModel {
  return VC_MODELS.find((m) => m.type === type) as VcModuleModel;
}

export function moduleModelByKind(kind: string): VcModuleModel | undefined {
  return VC_MODELS.find((m) => m.kind === kind);
}

export interface ModuleSettings {
  firmware: string;
  bootSeconds: number;
  gracefulLinkDropFrom: string;
  gracefulLinkHoldSeconds: number;
  uplinkFailoverMs: number;
  vcmFailoverSeconds: number;
  /** Whether an uplink learns from the domain's own Fast MAC Cache frames reflected by the upstream switch. */
  learnOwnMacCacheFrames: boolean;
}

/**
 * Defaults; every DOMAIN [U] among them is a choice:
 * - firmware 3.70: a FlexFabric-era release like the one in seed 001's change window [U].
 * - bootSeconds 150: seed 000 waited "some 5 mins" after an OA reset and found the module up; no
 *   vendor figure [U].
 * - gracefulLinkDropFrom 4.40: seed 000's Jan 2016 update says the ~20 s outage no longer happens;
 *   4.40 (2015) is our pick for the first release that signals links on a graceful reboot [U].
 * - gracefulLinkHoldSeconds 20: DOMAIN §3.5 "~20 s outage" [U].
 * - uplinkFailoverMs 2000: VC picks a new active uplink "typically in under five seconds" (DOMAIN §3.3 [V]); 2 s is ours.
 * - vcmFailoverSeconds 60: time for the backup VCM to take over; no source [U].
 * - learnOwnMacCacheFrames false: the upstream switch floods a Fast MAC Cache Failover frame
 *   (DOMAIN §3.3 [V]) to every port of the VLAN, so in an active/active domain it comes back in on
 *   the other module's active uplink. We take VC to recognise its own domain's announcement there,
 *   as it recognises its own loop-protection probes (§3.3), and not to learn a server MAC as
 *   upstream from it; no vendor text says either way [U]. `true` treats it as any station's frame.
 */
export const DEFAULT_MODULE_SETTINGS: ModuleSettings = {
  firmware: '3.70',
  bootSeconds: 150,
  gracefulLinkDropFrom: '4.40',
  gracefulLinkHoldSeconds: 20,
  uplinkFailoverMs: 2000,
  vcmFailoverSeconds: 60,
  learnOwnMacCacheFrames: false,
};

const settings: Record<string, SettingSpec> = {
  firmware: { type: 'string', description: 'Running VC firmware version', default: DEFAULT_MODULE_SETTINGS.firmware },
  bootSeconds: { type: 'integer', description: 'Seconds from power-on or reset until the module forwards again [U: 150]', default: 150, min: 1, max: 3600 },
  gracefulLinkDropFrom: {
    type: 'string',
    description: 'First firmware that drops server links (SmartLink/DCC) before a graceful reboot; older firmware keeps them up [U: 4.40]',
    default: DEFAULT_MODULE_SETTINGS.gracefulLinkDropFrom,
  },
  gracefulLinkHoldSeconds: { type: 'integer', description: 'Old firmware: seconds server links stay up after forwarding stopped in a graceful reboot [U: 20]', default: 20, min: 0, max: 600 },
  uplinkFailoverMs: { type: 'integer', description: 'Delay before a standby uplink becomes active after the active one fails (VC: under 5 s)', default: 2000, min: 0, max: 5000 },
  vcmFailoverSeconds: { type: 'integer', description: 'Seconds the backup VC Manager needs to take over [U: 60]', default: 60, min: 1, max: 600 },
  learnOwnMacCacheFrames: {
    type: 'boolean',
    description: "Uplinks learn server MACs from the domain's own Fast MAC Cache frames reflected by the upstream switch [U: off]",
    default: DEFAULT_MODULE_SETTINGS.learnOwnMacCacheFrames,
  },
};

export function moduleSettingsFrom(s: Settings): ModuleSettings {
  const d = DEFAULT_MODULE_SETTINGS;
  const str = (k: string, v: string): string => (typeof s[k] === 'string' && s[k] !== '' ? (s[k] as string) : v);
  const int = (k: string, v: number): number => (typeof s[k] === 'number' ? (s[k] as number) : v);
  return {
    firmware: str('firmware', d.firmware),
    bootSeconds: int('bootSeconds', d.bootSeconds),
    gracefulLinkDropFrom: str('gracefulLinkDropFrom', d.gracefulLinkDropFrom),
    gracefulLinkHoldSeconds: int('gracefulLinkHoldSeconds', d.gracefulLinkHoldSeconds),
    uplinkFailoverMs: int('uplinkFailoverMs', d.uplinkFailoverMs),
    vcmFailoverSeconds: int('vcmFailoverSeconds', d.vcmFailoverSeconds),
    learnOwnMacCacheFrames: typeof s.learnOwnMacCacheFrames === 'boolean' ? s.learnOwnMacCacheFrames : d.learnOwnMacCacheFrames,
  };
}

/** Compare dotted versions numerically: 3.70 < 4.01 < 4.10 < 4.40. */
export function compareFirmware(a: string, b: string): number {
  const pa = a.split('.').map((x) => Number.parseInt(x, 10) || 0);
  const pb = b.split('.').map((x) => Number.parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

function portsOf(m: VcModuleModel): PortSpec[] {
  const out: PortSpec[] = [];
  for (let x = 1; x <= m.uplinks; x++) out.push({ name: `X${x}`, aliases: [`x${x}`], speedBps: 10e9, medium: 'sfp' });
  return out;
}

function info(m: VcModuleModel): DeviceKindInfo {
  const ports = portsOf(m);
  return {
    kind: m.kind,
    vendor: 'HP',
    model: m.model,
    role: 'interconnect',
    description: m.description,
    settings,
    // Downlinks and the stacking link are midplane lanes the enclosure wires; only uplinks take cables.
    ports: () => ports,
    configSyntax: m.type === 'fc' ? null : 'hp-vc-cli',
  };
}

export const vcFlex10Info: DeviceKindInfo = info(VC_FLEX10);
export const vcFlexFabricInfo: DeviceKindInfo = info(VC_FLEXFABRIC);
export const vcFcInfo: DeviceKindInfo = info(VC_FC);
