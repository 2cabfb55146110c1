/** Small lab builders for the c7000 / Virtual Connect tests. */
import { Network } from '../../../core/network.ts';
import { SECOND } from '../../../core/time.ts';
import { EthernetSwitch } from '../../../l2/switch.ts';
import { parseIpv4 } from '../../../core/ipv4.ts';
import type { PingFlow } from '../../../l3/ping.ts';
import { ClientPc } from '../../pc/device.ts';
import { BladeIpHost } from '../../hp-blade/blade.ts';
import type { VcModule } from '../../hp-virtual-connect/module.ts';
import type { Settings } from '../../kind.ts';
import { C7000Enclosure } from '../enclosure.ts';
import { createBladeInBay, createEnclosure, createVcModule } from '../index.ts';

export interface TestLab {
  net: Network;
  enc: C7000Enclosure;
  sw: EthernetSwitch;
  client: ClientPc;
  modules: Map<number, VcModule>;
}

export interface LabSpec {
  modules: { bay: number; kind?: string; settings?: Settings }[];
  blades: { name: string; bay: number; settings: Settings }[];
  config: string;
  /** Uplinks cabled to the upstream switch: `bay:X1` → switch port index. */
  uplinks: string[];
  uplinkSpeed?: number;
}

export function buildLab(spec: LabSpec, seed = 1): TestLab {
  const net = new Network(seed);
  const enc = createEnclosure(net, { name: 'enc1', settings: {} });
  const modules = new Map<number, VcModule>();
  spec.modules.forEach((m, i) => {
    const mod = createVcModule(net, {
      name: `vc${m.bay}`,
      kind: m.kind ?? 'hp-vc-flexfabric',
      settings: m.settings ?? {},
      parent: 'enc1',
      slot: String(m.bay),
      config: i === 0 ? spec.config : undefined,
    });
    modules.set(m.bay, mod);
  });
  for (const b of spec.blades) createBladeInBay(net, { name: b.name, kind: 'hp-bl460c', settings: b.settings, parent: 'enc1', slot: String(b.bay) });
  const names = [...spec.uplinks.map((_, i) => `p${i + 1}`), 'client'];
  const sw = new EthernetSwitch(net, 'core', { portNames: names, speedBps: 10e9, baseMac: 0x0022bd000100 });
  const client = new ClientPc(net, 'client', { ip: '10.0.0.1/24' });
  spec.uplinks.forEach((u, i) => {
    const [bay, port] = u.split(':');
    const p = modules.get(Number(bay))!.uplink(port)!;
    net.connect(p, sw.ports[i], { rateBps: spec.uplinkSpeed ?? 10e9, delayNs: 500 });
  });
  net.connect(client.ports[0], sw.ports[spec.uplinks.length], { rateBps: 1e9, delayNs: 500 });
  return { net, enc, sw, client, modules };
}

export function blade(lab: TestLab, name: string): BladeIpHost {
  return lab.net.node(name) as BladeIpHost;
}

export function ping(lab: TestLab, to: string, everyMs = 1000): PingFlow {
  return lab.client.ping(parseIpv4(to), { intervalNs: everyMs * 1_000_000, timeoutNs: 1 * SECOND });
}

/** Replies in a window of send times. */
export function replies(flow: PingFlow, fromS: number, toS: number): { sent: number; ok: number } {
  const probes = flow.probes.filter((p) => p.sentNs >= fromS * SECOND && p.sentNs < toS * SECOND);
  return { sent: probes.length, ok: probes.filter((p) => p.result === 'reply').length };
}

/** Active/standby: one network with an uplink on each module, a profile with a NIC on each. */
export const ACTIVE_STANDBY = `
add network Prod SmartLink=Enabled
add uplinkport enc0:1:X1 Network=Prod
add uplinkport enc0:2:X1 Network=Prod
add profile web1
add enet-connection web1 Network=Prod
add enet-connection web1 Network=Prod
assign profile web1 enc0:3
`;
