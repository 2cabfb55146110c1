/**
 * What a device kind declares to the rest of LabBox. The catalog of these drives the UI palette,
 * lab-file validation (does `sw1:Gi1/0/49` exist?) and network construction.
 */

export type DeviceRole = 'switch' | 'router' | 'host' | 'hypervisor' | 'enclosure' | 'interconnect' | 'server';

/** One physical or logical port a device of this kind has. */
export interface PortSpec {
  /** Canonical name as the vendor CLI prints it, e.g. `GigabitEthernet1/0/1`, `g1`, `X1`, `eth0`. */
  readonly name: string;
  /** Other spellings accepted in lab files and the CLI (`Gi1/0/1`, `gi1/0/1`). Canonical name first wins. */
  readonly aliases?: readonly string[];
  /** Nominal speed in bits per second. */
  readonly speedBps: number;
  /** Physical medium: links may only join compatible media (copper↔copper, sfp↔sfp, backplane↔backplane). */
  readonly medium: 'copper' | 'sfp' | 'backplane' | 'virtual';
}

/** A structural JSON-like description of per-kind settings, so the inspector and validator can be generated. */
export type SettingSpec =
  | { readonly type: 'string'; readonly description: string; readonly default?: string; readonly enum?: readonly string[] }
  | { readonly type: 'integer'; readonly description: string; readonly default?: number; readonly min?: number; readonly max?: number }
  | { readonly type: 'boolean'; readonly description: string; readonly default?: boolean }
  | { readonly type: 'ipv4-cidr'; readonly description: string; readonly default?: string }
  | { readonly type: 'ipv4'; readonly description: string; readonly default?: string }
  | { readonly type: 'mac'; readonly description: string; readonly default?: string };

export type SettingValue = string | number | boolean;
export type Settings = Readonly<Record<string, SettingValue>>;

/**
 * What a kind that holds other devices declares (a stack its member switches): the kinds that sit
 * in it, and for numbered slots which numbers. Validation reads it; a kind it lists may then sit in
 * no other kind of parent.
 */
export interface ContainerSpec {
  /** Kinds whose devices may name it as `parent`. */
  readonly accepts: readonly string[];
  /** When children take a numbered `slot`: the numbers, one child each, and what a slot is called. */
  readonly slots?: { readonly min: number; readonly max: number; readonly word: string };
  /** Children carry no configuration of their own: the container's covers them (a stack's one running config). */
  readonly configInParent?: boolean;
  /** A child's ports in `slot`, when the slot renames them (`Gi2/0/1` on stack member 2). */
  childPorts?(childKind: string, settings: Settings, slot: number): readonly PortSpec[];
}

export interface DeviceKindInfo {
  /** The identifier used in lab files: `kind: cisco-catalyst-3750`. */
  readonly kind: string;
  readonly vendor: string;
  readonly model: string;
  readonly role: DeviceRole;
  readonly description: string;
  /** Per-kind settings accepted under `settings:` in a lab file. Unknown keys are errors. */
  readonly settings: Readonly<Record<string, SettingSpec>>;
  /** Ports for a given settings object (port count can depend on settings, e.g. `ports: 48`). */
  ports(settings: Settings): readonly PortSpec[];
  /** Name of the CLI dialect its startup config is written in, or null when it has none. */
  readonly configSyntax: string | null;
  /** Present on kinds that hold other devices in a way validation checks. */
  readonly container?: ContainerSpec;
}

/** Resolve a port name (canonical or alias, case-insensitive) against a kind's port list. */
export function findPort(ports: readonly PortSpec[], name: string): PortSpec | undefined {
  const wanted = name.toLowerCase();
  for (const p of ports) {
    if (p.name.toLowerCase() === wanted) return p;
    if (p.aliases) for (const a of p.aliases) if (a.toLowerCase() === wanted) return p;
  }
  return undefined;
}

/** Fill defaults from a kind's setting specs. */
export function settingsWithDefaults(info: DeviceKindInfo, given: Settings | undefined): Settings {
  const out: Record<string, SettingValue> = {};
  for (const [key, spec] of Object.entries(info.settings)) {
    if (spec.default !== undefined) out[key] = spec.default;
  }
  if (given) for (const [k, v] of Object.entries(given)) out[k] = v;
  return out;
}
