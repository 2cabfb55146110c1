import type { LabDeviceView } from '../lab/lab-text.ts';

/**
 * Which kinds hold which: a container draws the devices whose `parent` it is inside itself, and a
 * device dropped from the palette onto a container that accepts its kind becomes its child. Kinds
 * with bays place a child in a numbered bay of the right type (device bays for blades,
 * interconnect bays for modules), as the enclosure's lab file expects in `slot`.
 */

interface BayRule {
  kinds: (kind: string) => boolean;
  bays: number;
}

interface ContainerRule {
  accepts: (kind: string) => boolean;
  bays?: BayRule[];
}

const isVm = (k: string) => k === 'hyperv-vm' || k === 'windows-server';

const rules: Record<string, ContainerRule> = {
  'hyperv-cluster': { accepts: (k) => k === 'hyperv-host' || k === 'hp-bl460c' },
  'hyperv-host': { accepts: isVm },
  'hp-bl460c': { accepts: isVm },
  'esxi-host': { accepts: (k) => k === 'esxi-vm' },
  'hp-c7000': {
    accepts: (k) => k === 'hp-bl460c' || k.startsWith('hp-vc-'),
    bays: [
      { kinds: (k) => k === 'hp-bl460c', bays: 16 },
      { kinds: (k) => k.startsWith('hp-vc-'), bays: 8 },
    ],
  },
  // A StackWise stack: its member switches, each in the bay of its member number 1-9.
  'cisco-catalyst-3750-stack': {
    accepts: (k) => k === 'cisco-catalyst-3750' || k === 'cisco-catalyst-3750g-12s',
    bays: [{ kinds: (k) => k === 'cisco-catalyst-3750' || k === 'cisco-catalyst-3750g-12s', bays: 9 }],
  },
};

/** Kinds that are nothing but a frame for others: drawn as a container even while empty. */
const pureContainers = new Set(['hyperv-cluster', 'hp-c7000', 'cisco-catalyst-3750-stack']);

export function isContainerKind(kind: string): boolean {
  return pureContainers.has(kind);
}

export function acceptsChild(containerKind: string, childKind: string): boolean {
  return rules[containerKind]?.accepts(childKind) ?? false;
}

/** The first free bay for this kind in the container, null when the container has no bays, undefined when all are taken. */
export function freeSlot(containerKind: string, childKind: string, siblings: readonly Pick<LabDeviceView, 'kind' | 'slot'>[]): string | null | undefined {
  const bay = rules[containerKind]?.bays?.find((b) => b.kinds(childKind));
  if (!bay) return null;
  const used = new Set(siblings.filter((s) => bay.kinds(s.kind)).map((s) => s.slot));
  for (let n = 1; n <= bay.bays; n++) if (!used.has(String(n))) return String(n);
  return undefined;
}
