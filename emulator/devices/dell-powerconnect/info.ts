/**
 * Catalog entries for the Dell PowerConnect 54xx (Radlan/Marvell OS) switches and the hardware
 * facts their CLI needs.
 *
 * - `dell-powerconnect-5424`: 24 × 10/100/1000 ports g1–g24; g21–g24 are combo ports (RJ-45 or
 *   SFP, first one linked wins). LabBox presents the combo ports as copper, the medium they use
 *   when no SFP is fitted.
 * - `dell-powerconnect-5448`: 48 ports g1–g48, combo g45–g48.
 * Both take up to 8 LAGs (`port-channel 1`–`8`) of up to 8 members each.
 */
import type { DeviceKindInfo, PortSpec, SettingSpec } from '../kind.ts';

export interface PowerConnectModel {
  readonly kind: string;
  readonly model: string;
  readonly description: string;
  readonly ports: number;
  /** First combo port; combo ports run to the last port. */
  readonly firstCombo: number;
  readonly maxLags: number;
  /** `show version` facts. */
  readonly swVersion: string;
  readonly bootVersion: string;
  readonly hwVersion: string;
}

export const POWERCONNECT_5424: PowerConnectModel = {
  kind: 'dell-powerconnect-5424',
  model: 'PowerConnect 5424',
  description: 'Dell PowerConnect 5424 managed switch, 24 × 1G (g21–g24 combo SFP), Radlan CLI',
  ports: 24,
  firstCombo: 21,
  maxLags: 8,
  swVersion: '1.0.0.30',
  bootVersion: '1.0.0.13',
  hwVersion: '00.00.02',
};

export const POWERCONNECT_5448: PowerConnectModel = {
  kind: 'dell-powerconnect-5448',
  model: 'PowerConnect 5448',
  description: 'Dell PowerConnect 5448 managed switch, 48 × 1G (g45–g48 combo SFP), Radlan CLI',
  ports: 48,
  firstCombo: 45,
  maxLags: 8,
  swVersion: '1.0.0.30',
  bootVersion: '1.0.0.13',
  hwVersion: '00.00.02',
};

export const POWERCONNECT_MODELS: readonly PowerConnectModel[] = [POWERCONNECT_5424, POWERCONNECT_5448];

export function powerConnectPorts(m: PowerConnectModel): PortSpec[] {
  const out: PortSpec[] = [];
  for (let n = 1; n <= m.ports; n++) out.push({ name: `g${n}`, aliases: [`ethernet g${n}`, `e${n}`], speedBps: 1e9, medium: 'copper' });
  return out;
}

/**
 * Settings where the switch's behaviour is not pinned down by a verified source; each is the
 * default the CLI starts from, and the startup config may still override it per VLAN.
 * - host time-out 260 s: RFC 2236 group membership interval (DOMAIN §5.1, formula verified).
 * - mrouter time-out 300 s and leave time-out 10 s: the family's usual defaults [U].
 * - querier off: the 54xx is documented as a snooping switch; a querier is opt-in [U].
 * - unregistered multicast forwarded: the seed 002 notes call forwarding the default [P]; bridge
 *   multicast filtering itself is off by default [V, DOMAIN §4.1], so nothing is filtered until
 *   `bridge multicast filtering` is configured.
 */
const settings: Record<string, SettingSpec> = {
  hostname: { type: 'string', description: 'Prompt name, unless the startup config sets `hostname`; the switch ships as `console`', default: 'console' },
  'igmp-host-timeout': {
    type: 'integer',
    description: 'Seconds a port stays in a group after its last report (RFC 2236 group membership interval 2×125+10)',
    default: 260, min: 60, max: 2147483647,
  },
  'igmp-mrouter-timeout': { type: 'integer', description: 'Seconds a port stays a multicast router port after its last query', default: 300, min: 1, max: 2147483647 },
  'igmp-leave-timeout': { type: 'integer', description: 'Seconds a port keeps a group after a leave; 0 = immediate leave (fast leave)', default: 10, min: 0, max: 2147483647 },
  'igmp-querier': { type: 'boolean', description: 'The switch acts as IGMP querier on snooping VLANs when it has a querier address and no lower querier is heard', default: false },
  'igmp-querier-address': { type: 'ipv4', description: 'Source address of the switch\'s IGMP queries (also `ip igmp snooping querier address` per VLAN)' },
  'igmp-query-interval': { type: 'integer', description: 'Seconds between general queries when querier (RFC 2236 default 125)', default: 125, min: 1, max: 3600 },
  'unregistered-multicast': {
    type: 'string', enum: ['forward-unregistered', 'filter-unregistered', 'forward-all'],
    description: 'Per-VLAN handling of multicast groups nobody registered, before any `bridge multicast unregistered` command',
    default: 'forward-unregistered',
  },
};

function info(m: PowerConnectModel): DeviceKindInfo {
  const ports = powerConnectPorts(m);
  return {
    kind: m.kind,
    vendor: 'Dell',
    model: m.model,
    role: 'switch',
    description: m.description,
    settings,
    ports: () => ports,
    configSyntax: 'dell-powerconnect',
  };
}

export const powerConnect5424Info: DeviceKindInfo = info(POWERCONNECT_5424);
export const powerConnect5448Info: DeviceKindInfo = info(POWERCONNECT_5448);
