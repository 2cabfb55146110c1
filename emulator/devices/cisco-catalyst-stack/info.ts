/**
 * Catalog entry for a Catalyst 3750 StackWise stack. Member switches are `cisco-catalyst-3750`
 * (3750-X 48T) or `cisco-catalyst-3750g-12s` devices whose `parent` is the stack and whose `slot`
 * is their stack member number (1–9); the member number is the first figure of each of its port
 * names, so a 3750-X as member 2 has `Gi2/0/1`–`Gi2/0/48` and `Te2/1/1`–`Te2/1/2`, a 3750G-12S
 * `Gi2/0/1`–`Gi2/0/12`. Links go to the member a cable plugs into; the stack's configuration and
 * console are the one switch all members make up.
 */
import { CATALYST_3750, CATALYST_3750G_12S, catalystPorts, type CatalystModel } from '../cisco-catalyst/info.ts';
import type { DeviceKindInfo, PortSpec } from '../kind.ts';

export const STACK_KIND = 'cisco-catalyst-3750-stack';
/** The models that stack together, the 3750-X first: its ports name the stack's widest member layout. */
export const MEMBER_MODELS: readonly CatalystModel[] = [CATALYST_3750, CATALYST_3750G_12S];
export const MEMBER_KINDS: readonly string[] = MEMBER_MODELS.map((m) => m.kind);
/** StackWise numbers members 1 to 9. */
export const MAX_MEMBERS = 9;

/** A member takes about two minutes from power-on to forwarding as a stack member [U]. */
export const DEFAULT_MEMBER_BOOT_SECONDS = 120;

export function memberModel(kind: string): CatalystModel {
  const m = MEMBER_MODELS.find((x) => x.kind === kind);
  if (m === undefined) throw new Error(`${kind} is not a stack member kind`);
  return m;
}

const portsByMember = new Map<string, PortSpec[]>();
/**
 * The ports member `n` brings into the stack, by its model; without one, a 3750-X's, whose names
 * include every other member model's (a 12S's Gi<n>/0/1-12 are its first twelve).
 */
export function memberPorts(n: number, model: CatalystModel = CATALYST_3750): readonly PortSpec[] {
  const key = `${model.kind}/${n}`;
  let p = portsByMember.get(key);
  if (p === undefined) {
    p = catalystPorts(model, n);
    portsByMember.set(key, p);
  }
  return p;
}

export const catalyst3750StackInfo: DeviceKindInfo = {
  kind: STACK_KIND,
  vendor: 'Cisco',
  model: 'Catalyst 3750 StackWise stack',
  role: 'switch',
  description:
    'A StackWise stack of up to nine Catalyst 3750-X or 3750G-12S switches acting as one switch: one MAC table, one running config, one IOS console, one SDM template (the master\'s). Members are cisco-catalyst-3750 or cisco-catalyst-3750g-12s devices with this stack as parent and their member number as slot; member n\'s ports are Gi<n>/0/x (and Te<n>/1/1-2 on a 3750-X)',
  settings: {
    hostname: { type: 'string', description: 'Host name shown in the prompt, unless the startup config sets `hostname`; defaults to the device name' },
    memberBootSeconds: {
      type: 'integer',
      description: 'Seconds a member takes from power-on or insertion until its ports forward as part of the stack [U: 120]',
      default: DEFAULT_MEMBER_BOOT_SECONDS,
      min: 0,
      max: 3600,
    },
  },
  // The stack's ports are its members'; cables name the member they plug into.
  ports: () => [],
  configSyntax: 'cisco-ios',
  container: {
    accepts: MEMBER_KINDS,
    slots: { min: 1, max: MAX_MEMBERS, word: 'stack member number' },
    configInParent: true,
    // A kind the stack does not take is reported as such by validation; its ports are a 3750-X's meanwhile.
    childPorts: (kind, _settings, slot) => memberPorts(slot, MEMBER_MODELS.find((m) => m.kind === kind)),
  },
};
