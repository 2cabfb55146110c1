/**
 * Catalog entry for a Catalyst 3750-X StackWise stack. Member switches are `cisco-catalyst-3750`
 * devices whose `parent` is the stack and whose `slot` is their stack member number (1–9); the
 * member number is the first figure of each of its port names, so member 2's ports are
 * `Gi2/0/1`–`Gi2/0/48` and `Te2/1/1`–`Te2/1/2`. Links go to the member a cable plugs into; the
 * stack's configuration and console are the one switch all members make up.
 */
import { CATALYST_3750, catalystPorts } from '../cisco-catalyst/info.ts';
import type { DeviceKindInfo, PortSpec } from '../kind.ts';

export const STACK_KIND = 'cisco-catalyst-3750-stack';
export const MEMBER_KIND = CATALYST_3750.kind;
/** StackWise numbers members 1 to 9. */
export const MAX_MEMBERS = 9;

/** A member takes about two minutes from power-on to forwarding as a stack member [U]. */
export const DEFAULT_MEMBER_BOOT_SECONDS = 120;

const portsByMember: PortSpec[][] = [];
/** The ports member `n` brings into the stack. */
export function memberPorts(n: number): readonly PortSpec[] {
  let p = portsByMember[n];
  if (p === undefined) {
    p = catalystPorts(CATALYST_3750, n);
    portsByMember[n] = p;
  }
  return p;
}

export const catalyst3750StackInfo: DeviceKindInfo = {
  kind: STACK_KIND,
  vendor: 'Cisco',
  model: 'Catalyst 3750-X StackWise stack',
  role: 'switch',
  description:
    'A StackWise stack of up to nine Catalyst 3750-X switches acting as one switch: one MAC table, one running config, one IOS console. Members are cisco-catalyst-3750 devices with this stack as parent and their member number as slot; member n\'s ports are Gi<n>/0/1-48 and Te<n>/1/1-2',
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
    accepts: [MEMBER_KIND],
    slots: { min: 1, max: MAX_MEMBERS, word: 'stack member number' },
    configInParent: true,
    childPorts: (_kind, _settings, slot) => memberPorts(slot),
  },
};
