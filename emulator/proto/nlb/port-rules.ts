/**
 * NLB port rules and the decision every host makes on its own, for every inbound packet to the
 * cluster IP: which host handles it. All hosts compute the same answer from the same rules, the
 * same converged membership and the packet's source address and port, so exactly one host passes
 * the packet up and the others drop it, without talking to each other.
 *
 * A rule: a port range, a protocol (TCP, UDP or both), a filtering mode (multiple hosts share the
 * range; a single host takes all of it; disabled drops it) and, for multiple-host rules, client
 * affinity (none: source IP and port choose the host; single: the source IP alone; network: the
 * source's class C network, so clients behind a proxy farm stick to one host).
 *
 * Lab files write the rules compactly: `ports/protocol/filtering[/affinity]`, several rules
 * separated by `;`, e.g. `80/tcp/multiple/single; 1000-2000/udp/single`.
 */
import { IPPROTO_ICMP, IPPROTO_TCP, IPPROTO_UDP } from '../../core/packets.ts';
import { hashString } from '../../core/prng.ts';

export type RuleProtocol = 'tcp' | 'udp' | 'both';
export type FilteringMode = 'multiple' | 'single' | 'disabled';
export type Affinity = 'none' | 'single' | 'network';

export interface PortRule {
  readonly start: number;
  readonly end: number;
  readonly protocol: RuleProtocol;
  readonly filtering: FilteringMode;
  /** Meaningful for `multiple` only. */
  readonly affinity: Affinity;
}

/**
 * The rule NLB Manager proposes for a new cluster: every port, both protocols, multiple hosts,
 * single affinity. Recalled product default [U]; a lab overrides it with `portRules`.
 */
export const DEFAULT_PORT_RULES = '0-65535/both/multiple/single';

/**
 * Load-balanced traffic is divided into this many buckets, each owned by one host. WLBS used 60
 * (recalled from the NT4-era design notes [U]); only the count's granularity matters here.
 */
export const NLB_BUCKETS = 60;

const PROTOCOLS: readonly RuleProtocol[] = ['tcp', 'udp', 'both'];
const FILTERING: readonly FilteringMode[] = ['multiple', 'single', 'disabled'];
const AFFINITIES: readonly Affinity[] = ['none', 'single', 'network'];

function oneOf<T extends string>(word: string, options: readonly T[], what: string, rule: string): T {
  const w = word.trim().toLowerCase();
  const hit = options.find((o) => o === w);
  if (hit === undefined) throw new Error(`port rule "${rule}": ${what} must be one of ${options.join(', ')}`);
  return hit;
}

function port(text: string, rule: string): number {
  if (!/^\d{1,5}$/.test(text.trim())) throw new Error(`port rule "${rule}": "${text}" is not a port number`);
  const n = Number(text);
  if (n > 65535) throw new Error(`port rule "${rule}": port ${n} is above 65535`);
  return n;
}

/** Parse the compact form. Throws with a message naming the faulty rule. */
export function parsePortRules(text: string): PortRule[] {
  const rules: PortRule[] = [];
  for (const raw of text.split(';')) {
    const r = raw.trim();
    if (r === '') continue;
    const parts = r.split('/');
    if (parts.length < 3 || parts.length > 4) throw new Error(`port rule "${r}": expected ports/protocol/filtering[/affinity]`);
    const [range, proto, filt, aff] = parts;
    const dash = range.indexOf('-');
    const start = port(dash < 0 ? range : range.slice(0, dash), r);
    const end = dash < 0 ? start : port(range.slice(dash + 1), r);
    if (end < start) throw new Error(`port rule "${r}": the range ends before it starts`);
    const filtering = oneOf(filt, FILTERING, 'filtering mode', r);
    const affinity = aff === undefined ? 'single' : oneOf(aff, AFFINITIES, 'affinity', r);
    const rule: PortRule = { start, end, protocol: oneOf(proto, PROTOCOLS, 'protocol', r), filtering, affinity };
    for (const o of rules) {
      const overlapProto = o.protocol === 'both' || rule.protocol === 'both' || o.protocol === rule.protocol;
      if (overlapProto && rule.start <= o.end && o.start <= rule.end) throw new Error(`port rule "${r}" overlaps ${formatPortRule(o)}`);
    }
    rules.push(rule);
  }
  return rules.sort((a, b) => a.start - b.start || a.protocol.localeCompare(b.protocol));
}

export function formatPortRule(r: PortRule): string {
  const range = r.start === r.end ? `${r.start}` : `${r.start}-${r.end}`;
  return `${range}/${r.protocol}/${r.filtering}${r.filtering === 'multiple' ? `/${r.affinity}` : ''}`;
}

export function formatPortRules(rules: readonly PortRule[]): string {
  return rules.map(formatPortRule).join('; ');
}

/** One number standing for the rule set; hosts whose numbers differ cannot converge together. */
export function rulesFingerprint(rules: readonly PortRule[]): number {
  return hashString(formatPortRules(rules), 0x811c9dc5);
}

/** The deterministic mixing of a client's key into a bucket (MurmurHash3's finaliser). */
function mix(h: number): number {
  let x = h >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/**
 * The bucket a client falls in under an affinity. NLB's own hash is not published [U]: any
 * function every host shares gives the behaviour that matters (same client, same host).
 */
export function clientBucket(affinity: Affinity, srcIp: number, srcPort: number): number {
  let key: number;
  if (affinity === 'none') key = mix(srcIp) ^ mix(srcPort + 0x9e3779b9);
  else if (affinity === 'single') key = srcIp;
  else key = (srcIp & 0xffffff00) >>> 0;
  return mix(key) % NLB_BUCKETS;
}

/** Owner of a bucket among the converged members (sorted host IDs): an even share each. */
export function bucketOwner(bucket: number, members: readonly number[]): number {
  return members[bucket % members.length];
}

/** What NLB knows about an inbound packet to a cluster IP. */
export interface InboundFlow {
  protocol: number;
  srcIp: number;
  srcPort: number;
  dstPort: number;
}

export type Handler = { kind: 'host'; hostId: number } | { kind: 'every-host' } | { kind: 'no-host' };

export function ruleFor(rules: readonly PortRule[], protocol: number, dstPort: number): PortRule | null {
  for (const r of rules) {
    if (dstPort < r.start || dstPort > r.end) continue;
    if (r.protocol === 'both' || (r.protocol === 'tcp' && protocol === IPPROTO_TCP) || (r.protocol === 'udp' && protocol === IPPROTO_UDP)) return r;
  }
  return null;
}

/**
 * Which host handles a packet, given the converged membership (sorted host IDs; the lowest is
 * the highest priority, the default host). ICMP passes to every host unless `filterIcmp` is set
 * (FilterICMP, shown DISABLED by default in `nlb display` output), then it hashes on the source
 * like single affinity. Traffic no rule covers, and protocols other than TCP and UDP, go to the
 * default host.
 */
export function decideHandler(rules: readonly PortRule[], members: readonly number[], flow: InboundFlow, filterIcmp: boolean): Handler {
  if (members.length === 0) return { kind: 'no-host' };
  const defaultHost: Handler = { kind: 'host', hostId: members[0] };
  if (flow.protocol === IPPROTO_ICMP) {
    if (!filterIcmp) return { kind: 'every-host' };
    return { kind: 'host', hostId: bucketOwner(clientBucket('single', flow.srcIp, 0), members) };
  }
  if (flow.protocol !== IPPROTO_TCP && flow.protocol !== IPPROTO_UDP) return defaultHost;
  const rule = ruleFor(rules, flow.protocol, flow.dstPort);
  if (rule === null) return defaultHost;
  switch (rule.filtering) {
    case 'disabled':
      return { kind: 'no-host' };
    case 'single':
      // Handling priority per rule is a per-host setting; LabBox orders by host priority [U].
      return defaultHost;
    case 'multiple':
      return { kind: 'host', hostId: bucketOwner(clientBucket(rule.affinity, flow.srcIp, flow.srcPort), members) };
  }
}
