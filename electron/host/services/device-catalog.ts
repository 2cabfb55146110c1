import type { CatalogEntry } from '../contract.ts';
import { deviceKinds } from '../../../emulator/devices/catalog.ts';
import { settingsWithDefaults } from '../../../emulator/devices/kind.ts';

/** The palette's view of the device catalog: plain data, ports as a default-configured device has them. */
export function catalogEntries(): CatalogEntry[] {
  return deviceKinds().map((info) => ({
    kind: info.kind,
    vendor: info.vendor,
    model: info.model,
    role: info.role,
    description: info.description,
    ports: info.ports(settingsWithDefaults(info, undefined)).map((p) => {
      const port: CatalogEntry['ports'][number] = { name: p.name, speedBps: p.speedBps, medium: p.medium };
      if (p.aliases && p.aliases.length > 0) port.aliases = [...p.aliases];
      return port;
    }),
    settings: Object.fromEntries(Object.entries(info.settings).map(([k, spec]) => [k, { ...spec }])),
    configSyntax: info.configSyntax,
  }));
}
