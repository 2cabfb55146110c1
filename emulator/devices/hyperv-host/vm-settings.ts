/**
 * The host-side settings of a VM device, kept free of behaviour so the catalog can read them
 * without loading the vSwitch. Guest kinds spread VM_HOST_SETTINGS into their own settings.
 */
import type { SettingSpec } from '../kind.ts';

export const DEFAULT_VM_MEMORY_MB = 2048;
/**
 * Memory a guest dirties per second while pre-copy runs; each copy pass re-sends what was dirtied
 * during the previous one. Not published; 50 MB/s (a lightly loaded server) is our default [U].
 */
export const DEFAULT_DIRTY_MB_PER_SECOND = 50;

/**
 * Settings a guest kind includes in its catalog entry so a VM device (one whose `parent` is a
 * hyperv-host) declares its host-side adapter settings. Adapter 1 uses the plain names, adapter
 * 2 the `adapter2…` ones; `adapters` says how many there are.
 */
export const VM_HOST_SETTINGS: Readonly<Record<string, SettingSpec>> = {
  adapters: { type: 'integer', description: 'Network adapters (vNICs) on the external virtual switch', default: 1, min: 1, max: 2 },
  memoryMB: { type: 'integer', description: 'Startup memory in MB; live migration copies it', default: DEFAULT_VM_MEMORY_MB, min: 256, max: 1048576 },
  dirtyMBps: {
    type: 'integer',
    description: 'Memory the guest dirties per second during a live migration (MB/s); later copy passes resend it',
    default: DEFAULT_DIRTY_MB_PER_SECOND,
    min: 0,
    max: 100000,
  },
  macAddress: { type: 'mac', description: 'Static MAC of adapter 1; empty: dynamic, from the host pool' },
  vlan: { type: 'integer', description: 'Access VLAN of adapter 1 on the virtual switch (0 = untagged)', default: 0, min: 0, max: 4094 },
  macSpoofing: { type: 'boolean', description: 'Enable spoofing of MAC addresses on adapter 1', default: false },
  adapter2MacAddress: { type: 'mac', description: 'Static MAC of adapter 2; empty: dynamic' },
  adapter2Vlan: { type: 'integer', description: 'Access VLAN of adapter 2 (0 = untagged)', default: 0, min: 0, max: 4094 },
  adapter2MacSpoofing: { type: 'boolean', description: 'Enable spoofing of MAC addresses on adapter 2', default: false },
};

