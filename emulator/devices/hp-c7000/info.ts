/**
 * Catalog entry for the HP BladeSystem c7000 enclosure and its Onboard Administrator. Blades and
 * interconnect modules are lab devices whose `parent` is the enclosure and `slot` the bay number
 * (device bays 1–16, interconnect bays 1–8 in side-by-side pairs 1/2, 3/4, 5/6, 7/8).
 */
import type { DeviceKindInfo } from '../kind.ts';

export const DEVICE_BAYS = 16;
export const INTERCONNECT_BAYS = 8;

/**
 * Onboard Administrator firmware shown by `show enclosure info`: 4.50 is a release of the seed-000
 * era (the OA is updated before VC); no DOMAIN fact [U].
 */
export const DEFAULT_OA_FIRMWARE = '4.50';

export const c7000Info: DeviceKindInfo = {
  kind: 'hp-c7000',
  vendor: 'HP',
  model: 'BladeSystem c7000 Enclosure G2',
  role: 'enclosure',
  description: 'c7000 enclosure with an Onboard Administrator: 16 device bays, 8 interconnect bays in side-by-side pairs; blades and VC modules are devices whose parent is the enclosure',
  settings: {
    serial: { type: 'string', description: 'Enclosure serial number shown by the OA; defaults to one derived from the name' },
    oaFirmware: { type: 'string', description: 'Onboard Administrator firmware version [U: 4.50]', default: DEFAULT_OA_FIRMWARE },
    midplaneDelayNs: { type: 'integer', description: 'Propagation delay of a midplane lane in ns', default: 100, min: 0, max: 100000 },
  },
  // The enclosure's own ports (OA network) are not modelled; blades and modules carry the traffic.
  ports: () => [],
  configSyntax: null,
};
