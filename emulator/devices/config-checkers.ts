import type { ConfigIssue } from '../cli/engine.ts';
import { catalyst2960Info, catalyst3750g12sInfo, catalyst3750Info, checkCatalystConfig } from './cisco-catalyst/index.ts';
import { catalyst3750StackInfo, checkStackConfig } from './cisco-catalyst-stack/index.ts';
import { checkNexusConfig, nexus5548Info } from './cisco-nexus-5548/index.ts';
import { checkPowerConnectConfig, powerConnect5424Info, powerConnect5448Info } from './dell-powerconnect/index.ts';
import { checkRouterConfig, routerInfo } from './router/index.ts';

/**
 * Startup-config checkers by kind: each runs the same CLI parser the device's console uses, so an
 * editor can mark a line the device itself would refuse. Kinds without a vendor CLI have none.
 */
type ConfigChecker = (kind: string, text: string) => ConfigIssue[];

const checkers = new Map<string, ConfigChecker>([
  [catalyst2960Info.kind, checkCatalystConfig],
  [catalyst3750Info.kind, checkCatalystConfig],
  [catalyst3750g12sInfo.kind, checkCatalystConfig],
  [catalyst3750StackInfo.kind, checkStackConfig],
  [powerConnect5424Info.kind, checkPowerConnectConfig],
  [powerConnect5448Info.kind, checkPowerConnectConfig],
  [routerInfo.kind, checkRouterConfig],
  [nexus5548Info.kind, checkNexusConfig],
]);

/** The kind's checker, or undefined when its config is not read by a CLI parser. */
export function configChecker(kind: string): ConfigChecker | undefined {
  return checkers.get(kind);
}
