/**
 * Switch Database Management (SDM) templates: how a Catalyst carves its forwarding tables, chosen
 * with `sdm prefer`, stored in flash and used from the next boot on (DOMAIN §4.3, §4.4). The
 * template decides what the switch can do: a 2960-S runs IPv4 unicast routing (static routes on
 * SVIs, no routing protocols) only on `lanbase-routing`; on its default template the routing
 * commands do not exist and the only layer-3 setting is `ip default-gateway`. A 3750-X (IP Base)
 * routes on any of its templates.
 *
 * The 3750 templates come in two versions: desktop, which every 3750 runs, and aggregator, with
 * the larger TCAM only the 3750-12S has. On a 12S `sdm prefer routing` picks the aggregator
 * version and `sdm prefer routing desktop` the desktop one; a desktop model has only desktop
 * templates, so the same words pick those [V: 3750 SCG ch.8]. That is what a stack depends on:
 * every member runs the master's template, and one whose hardware lacks it sits in SDM mismatch.
 * The dual-ipv4-and-ipv6 templates are not modelled.
 */
import type { CatalystModel } from './info.ts';

export interface SdmTemplate {
  /** What the switch keeps in flash, and the `sdmTemplate` setting's value. */
  readonly id: string;
  /** The template word after `sdm prefer`. */
  readonly words: string;
  /** Desktop and aggregator versions share their words; lanbase is the 2960-S's own. */
  readonly family: 'lanbase' | 'desktop' | 'aggregator';
  /** The name `show sdm prefer` quotes. */
  readonly display: string;
  /** `ip routing` and `ip route` exist on this template. */
  readonly routing: boolean;
  /** `show sdm prefer`'s resource lines, label and figure [U: figures recalled, not checked]. */
  readonly resources: readonly (readonly [string, string])[];
  readonly help: string;
}

const LANBASE_DEFAULT: SdmTemplate = {
  id: 'default',
  words: 'default',
  family: 'lanbase',
  // [U] the 2960-S prints its default template as "default"; the 3750's says "desktop default".
  display: 'default',
  routing: false,
  help: 'Default bias',
  resources: [
    ['number of unicast mac addresses', '8K'],
    ['number of IPv4 IGMP groups', '0.25K'],
    ['number of IPv4/MAC qos aces', '0.125k'],
    ['number of IPv4/MAC security aces', '0.375k'],
  ],
};

const LANBASE_ROUTING: SdmTemplate = {
  id: 'lanbase-routing',
  words: 'lanbase-routing',
  family: 'lanbase',
  display: 'lanbase-routing',
  routing: true,
  help: 'Supports both IPv4 and IPv6 Static Routing',
  // [U] the 2960-S route capacity on lanbase-routing (DOMAIN §4.3 leaves it open).
  resources: [
    ['number of unicast mac addresses', '4K'],
    ['number of IPv4 IGMP groups + multicast routes', '0.25K'],
    ['number of IPv4 unicast routes', '4.25K'],
    ['  number of directly-connected IPv4 hosts', '4K'],
    ['  number of indirect IPv4 routes', '0.25K'],
    ['number of IPv4/MAC qos aces', '0.125k'],
    ['number of IPv4/MAC security aces', '0.375k'],
  ],
};

/** A 3750 template in its desktop or aggregator version; the versions differ in their figures and the QoS TCAM. */
function template3750(family: 'desktop' | 'aggregator', words: string, help: string, macs: string, routes: string): SdmTemplate {
  return {
    // A desktop template is stored by its words, an aggregator one by family and words.
    id: family === 'desktop' ? words : `aggregator-${words}`,
    words,
    family,
    display: `${family} ${words}`,
    routing: true,
    help,
    resources: [
      ['number of unicast mac addresses', macs],
      ['number of IPv4 IGMP groups + multicast routes', '1K'],
      ['number of IPv4 unicast routes', routes],
      ['number of IPv4 policy based routing aces', '0'],
      ['number of IPv4/MAC qos aces', family === 'desktop' ? '0.5K' : '0.75K'],
      ['number of IPv4/MAC security aces', '1K'],
    ],
  };
}

// [U] the 3750-X's per-template figures.
const DESKTOP: readonly SdmTemplate[] = [
  template3750('desktop', 'default', 'Default bias', '6K', '8K'),
  template3750('desktop', 'access', 'Access bias', '4K', '6K'),
  template3750('desktop', 'routing', 'Unicast bias', '3K', '11K'),
  template3750('desktop', 'vlan', 'VLAN bias', '12K', '0'),
];

// [U] the 12S's aggregator figures, and whether `access` has an aggregator version.
const AGGREGATOR: readonly SdmTemplate[] = [
  template3750('aggregator', 'default', 'Default bias', '6K', '12K'),
  template3750('aggregator', 'access', 'Access bias', '6K', '8K'),
  template3750('aggregator', 'routing', 'Unicast bias', '6K', '20K'),
  template3750('aggregator', 'vlan', 'VLAN bias', '12K', '0'),
];

const TEMPLATES: Readonly<Record<string, readonly SdmTemplate[]>> = {
  'cisco-catalyst-2960': [LANBASE_DEFAULT, LANBASE_ROUTING],
  'cisco-catalyst-3750': DESKTOP,
  // Its factory default is the aggregator default [V: 3750 SCG ch.8].
  'cisco-catalyst-3750g-12s': [...AGGREGATOR, ...DESKTOP],
};

export function sdmTemplates(model: CatalystModel): readonly SdmTemplate[] {
  return TEMPLATES[model.kind] ?? [LANBASE_DEFAULT];
}

/** The template a switch leaves the factory with: the first listed. */
export function defaultTemplate(model: CatalystModel): SdmTemplate {
  return sdmTemplates(model)[0]!;
}

export function sdmTemplate(model: CatalystModel, id: string): SdmTemplate | undefined {
  return sdmTemplates(model).find((t) => t.id === id);
}

/** The template words typed after `sdm prefer`, and whether `desktop` followed them. */
export interface SdmChoice {
  readonly words: string;
  readonly desktop: boolean;
}

/** The words' template on this hardware: the aggregator version where the switch has one, unless `desktop` was asked for. */
export function resolveTemplate(model: CatalystModel, choice: SdmChoice): SdmTemplate | undefined {
  const same = sdmTemplates(model).filter((t) => t.words === choice.words);
  if (choice.desktop) return same.find((t) => t.family === 'desktop');
  return same.find((t) => t.family === 'aggregator') ?? same[0];
}

/** Whether a switch of this model can run `id`: a desktop 3750 cannot run an aggregator template. */
export function supportsTemplate(model: CatalystModel, id: string): boolean {
  return sdmTemplate(model, id) !== undefined;
}

/** The running template and the one stored in flash for the next boot. */
export interface SdmState {
  current: string;
  next: string;
}

export const SDM_STORED_MESSAGE =
  "Changes to the running SDM preferences have been stored, but cannot take effect until the next reload.\nUse 'show sdm prefer' to see what SDM preference is currently active.";

/** `show sdm prefer`: the running template's resources, and the stored one when a reload will change it. */
export function showSdmPrefer(model: CatalystModel, sdm: SdmState): string {
  const cur = sdmTemplate(model, sdm.current) ?? defaultTemplate(model);
  const out = [
    ` The current template is "${cur.display}" template.`,
    ' The selected template optimizes the resources in',
    ' the switch to support this level of features for',
    ` ${cur.routing ? 8 : 0} routed interfaces and ${model.kind === 'cisco-catalyst-2960' ? 255 : 1024} VLANs.`,
    '',
  ];
  for (const [label, value] of cur.resources) out.push(`  ${(label + ':').padEnd(48)}${value}`);
  out.push('');
  if (sdm.next !== sdm.current) {
    const next = sdmTemplate(model, sdm.next) ?? defaultTemplate(model);
    out.push(`On next reload, template will be "${next.display}" template.`, '');
  }
  return out.join('\n') + '\n';
}
