/**
 * Catalog entry for the Nexus 2248TP fabric extender (N2K-C2248TP-1GE): 48 × 1G copper host
 * ports and 4 × 10G SFP+ fabric uplinks. A FEX is a remote line card of its parent Nexus 5000:
 * no console, no configuration and no switching of its own. Its host ports carry the number the
 * parent gives it with `fex associate`, so the lab names it in `fex` and the ports follow:
 * Ethernet101/1/1–48 for FEX 101.
 */
import { FEX_MAX, FEX_MIN, fexHostPorts } from '../cisco-nexus-5548/info.ts';
import type { DeviceKindInfo, PortSpec } from '../kind.ts';

export const NEXUS_2248_KIND = 'cisco-nexus-2248';
export const FABRIC_PORTS = 4;
export const DEFAULT_FEX = 101;

export function fexFabricPorts(): PortSpec[] {
  return Array.from({ length: FABRIC_PORTS }, (_, i) => ({ name: `Fabric${i + 1}`, aliases: [`fabric${i + 1}`, `NIF${i + 1}`], speedBps: 10e9, medium: 'sfp' as const }));
}

export function fexNumber(settings: Readonly<Record<string, unknown>>): number {
  const n = settings['fex'];
  return typeof n === 'number' ? n : DEFAULT_FEX;
}

export const nexus2248Info: DeviceKindInfo = {
  kind: NEXUS_2248_KIND,
  vendor: 'Cisco',
  model: 'Nexus 2248TP FEX (N2K-C2248TP-1GE)',
  role: 'switch',
  description:
    'Cisco Nexus 2248TP fabric extender: 48 × 1G host ports and 4 × 10G fabric uplinks (Fabric1-4) to a Nexus 5548 parent port in `switchport mode fex-fabric` with `fex associate <fex>`; the parent switches every frame',
  settings: {
    fex: { type: 'integer', description: 'FEX number its parent associates it with; names its host ports Ethernet<fex>/1/1-48', default: DEFAULT_FEX, min: FEX_MIN, max: FEX_MAX },
  },
  ports: (s) => [...fexHostPorts(fexNumber(s)), ...fexFabricPorts()],
  configSyntax: null,
};
