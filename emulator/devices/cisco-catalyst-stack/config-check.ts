/**
 * Checking a stack's startup configuration without a network, for editors and validators: the
 * stack's own command set over a detached plane. The text alone does not say which members the
 * lab has, so every member number 1–9 counts as present; a line naming a member the lab lacks is
 * accepted here and refused only when the stack loads it.
 */
import { CliEngine, type ConfigIssue } from '../../cli/engine.ts';
import { catalystBaseMac, detachedPlane } from '../cisco-catalyst/device.ts';
import type { CatalystState, ModeData } from '../cisco-catalyst/grammar.ts';
import { CATALYST_3750 } from '../cisco-catalyst/info.ts';
import { MAX_MEMBERS } from './info.ts';
import { stackDialect, type StackControl } from './stack-cli.ts';
import { DEFAULT_PRIORITY, stackConfig, type StackMemberView } from './stack.ts';

export function checkStackConfig(_kind: string, text: string, name = 'Switch'): ConfigIssue[] {
  const numbers = Array.from({ length: MAX_MEMBERS }, (_, i) => i + 1);
  const baseMac = catalystBaseMac(name);
  const st: CatalystState = {
    model: CATALYST_3750, config: stackConfig(name, numbers.map((n) => [n, CATALYST_3750] as const)), plane: detachedPlane(baseMac), startup: null,
    sdm: { current: 'default', next: 'default' }, booting: true, rebooting: false, boots: 0, system: null,
  };
  const priorities = new Map(numbers.map((n) => [n, DEFAULT_PRIORITY]));
  const stack: StackControl = {
    systemMac: baseMac,
    stackMembers: (): StackMemberView[] =>
      numbers.map((n) => ({ number: n, name: `${name}-${n}`, mac: baseMac + n * 0x80, priority: priorities.get(n) ?? DEFAULT_PRIORITY, role: n === 1 ? 'Master' : 'Member', model: CATALYST_3750, state: 'Ready' })),
    setPriority: (n, p) => {
      priorities.set(n, p);
      return true;
    },
  };
  return new CliEngine<ModeData>(stackDialect(st, stack)).applyConfig(text);
}
