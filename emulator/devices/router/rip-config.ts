/**
 * The `router rip` block of the running configuration: which classful networks RIP runs on, the
 * version, auto-summary, passive interfaces and `timers basic`; rendered as IOS shows it.
 */
import { formatIpv4 } from '../../cli/params.ts';
import { SECOND } from '../../core/time.ts';
import { IOS_RIP_TIMERS, type RipTimers } from '../../l3/rip.ts';

/** The classful network an address falls in, which is what IOS keeps from `network A.B.C.D`. */
export function classfulNetwork(ip: number): { net: number; len: number } {
  const first = ip >>> 24;
  const len = first < 128 ? 8 : first < 192 ? 16 : 24;
  const mask = (0xffffffff << (32 - len)) >>> 0;
  return { net: (ip & mask) >>> 0, len };
}

export class RipConfig {
  /** `router rip` is present. */
  enabled = false;
  /** `version 2`; null: the default (send 1, receive 1 and 2). */
  version: 1 | 2 | null = null;
  readonly networks: number[] = [];
  autoSummary = true;
  readonly passive = new Set<string>();
  /** `timers basic`; null: the defaults. */
  timers: RipTimers | null = null;
  maximumPaths = 4;

  effectiveTimers(): RipTimers {
    return this.timers ?? IOS_RIP_TIMERS;
  }

  /** RIP runs on an interface whose address falls in one of the configured classful networks. */
  covers(ip: number): boolean {
    return this.networks.includes(classfulNetwork(ip).net);
  }

  render(): string[] {
    if (!this.enabled) return [];
    const out = ['router rip'];
    if (this.version !== null) out.push(` version ${this.version}`);
    if (this.timers !== null) {
      const t = this.timers;
      out.push(` timers basic ${t.updateNs / SECOND} ${t.invalidNs / SECOND} ${t.holddownNs / SECOND} ${t.flushNs / SECOND}`);
    }
    for (const p of this.passive) out.push(` passive-interface ${p}`);
    for (const n of this.networks) out.push(` network ${formatIpv4(n)}`);
    if (this.maximumPaths !== 4) out.push(` maximum-paths ${this.maximumPaths}`);
    if (!this.autoSummary) out.push(' no auto-summary');
    out.push('!');
    return out;
  }
}
