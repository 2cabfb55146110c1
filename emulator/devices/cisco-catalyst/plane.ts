/**
 * What the Catalyst CLI needs from the forwarding plane underneath it: a way to program the
 * configuration, and read views for the `show` commands. The device implements it over the
 * shared managed-switch class; the CLI never touches forwarding state directly.
 */
import type { MemberState } from '../../l2/port-channel.ts';
import type { PortCounters } from '../../l2/switch.ts';
import type { CatalystConfig } from './config.ts';

// The counters and LACP member states are the managed switch's own; the CLI sees them unchanged.
export type { PortCounters } from '../../l2/switch.ts';
export type { MemberState } from '../../l2/port-channel.ts';

export interface PortView {
  /** Carrier (cable plugged to a live peer, both ends enabled). */
  readonly operUp: boolean;
  /** Negotiated speed when up, bits per second. */
  readonly speedBps: number;
  readonly counters: PortCounters;
  /** Simulated time of the last up/down change, ns. */
  readonly lastChangeNs: number;
}

export interface MacEntryView {
  readonly vlan: number;
  readonly mac: number;
  readonly isStatic: boolean;
  /** Canonical interface names (`GigabitEthernet1/0/1`, `Port-channel1`). */
  readonly ports: readonly string[];
}

export interface SwitchPlane {
  /** Simulated time now, ns. */
  now(): number;
  /** The switch's base MAC (ports take consecutive addresses after it). */
  readonly baseMac: number;
  /** Reprogram forwarding from the configuration after a change. */
  program(config: CatalystConfig): void;
  port(name: string): PortView | null;
  lacpMember(name: string): MemberState;
  macTable(): readonly MacEntryView[];
  /** `clear mac address-table dynamic [vlan N]`. */
  clearDynamic(vlan?: number): void;
}
