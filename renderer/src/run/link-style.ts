import type { CSSProperties } from 'react';
import type { LinkLive } from '../../../electron/host/contract.ts';

/**
 * How a link looks while a run goes: idle links stay as drawn, busier ones get thicker and move
 * from green through amber to red; a link without carrier is red and dashed.
 */
export function linkRunStyle(live: LinkLive | undefined): { className: string; style: CSSProperties } | null {
  if (!live) return null;
  if (!live.up) return { className: 'run-down', style: {} };
  // Log scale: a few ping probes must show, and so must the difference between 10% and 90%.
  const level = live.bps <= 0 ? 0 : Math.min(1, Math.max(0.08, (Math.log10(Math.max(live.load, 1e-6)) + 6) / 6));
  const hue = 140 - 140 * level;
  return { className: 'run-up', style: { stroke: `hsl(${hue.toFixed(0)} 70% 42%)`, strokeWidth: 2 + 5 * level } };
}
