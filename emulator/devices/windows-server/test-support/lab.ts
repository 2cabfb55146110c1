/** Small NLB labs for tests: Windows servers and clients on one generic switch, optionally as Hyper-V VMs. */
import { Network, type NetEvent } from '../../../core/network.ts';
import type { Port } from '../../../core/port.ts';
import { SECOND } from '../../../core/time.ts';
import { HypervHost } from '../../hyperv-host/host.ts';
import type { Settings } from '../../kind.ts';
import { GenericSwitch } from '../../l2-switch/device.ts';
import { ClientPc } from '../../pc/device.ts';
import { WindowsServer } from '../device.ts';

export interface NlbLabOptions {
  hosts: number;
  vip?: string;
  subnet?: string;
  mode?: string;
  /** Extra settings for every NLB host (or per host through `perHost`). */
  settings?: Settings;
  perHost?: (i: number) => Settings;
  seed?: number;
}

export interface NlbLab {
  net: Network;
  sw: GenericSwitch;
  servers: WindowsServer[];
  client: ClientPc;
  /** A PC that takes no part: frames reaching its port were flooded. */
  bystander: ClientPc;
  swPortOf(node: { ports: readonly Port[] }): Port;
  events: NetEvent[];
  ip(host: number): string;
}

export function connect(net: Network, a: Port, b: Port): void {
  net.connect(a, b, { rateBps: 1e9, delayNs: 500 });
}

/** NLB hosts on port1…portN, the client on port 20, a bystander on port 21. */
export function nlbLab(o: NlbLabOptions): NlbLab {
  const net = new Network(o.seed ?? 7);
  const subnet = o.subnet ?? '10.0.0';
  const vip = o.vip ?? `${subnet}.100`;
  const sw = new GenericSwitch(net, 'sw1', { ports: 24 }, undefined);
  const ip = (i: number): string => `${subnet}.${11 + i}`;
  const servers: WindowsServer[] = [];
  for (let i = 0; i < o.hosts; i++) {
    const s = new WindowsServer(net, `web${i + 1}`, {
      ip: `${ip(i)}/24`,
      nlbClusterIp: `${vip}/24`,
      nlbMode: o.mode ?? 'unicast',
      nlbHostPriority: i + 1,
      ...o.settings,
      ...(o.perHost ? o.perHost(i) : {}),
    });
    servers.push(s);
    connect(net, s.ports[0], sw.ports[i]);
  }
  const client = new ClientPc(net, 'client', { ip: `${subnet}.50/24` });
  connect(net, client.ports[0], sw.ports[19]);
  const bystander = new ClientPc(net, 'bystander', { ip: `${subnet}.60/24` });
  connect(net, bystander.ports[0], sw.ports[20]);
  const events: NetEvent[] = [];
  net.onEvent = (e) => events.push(e);
  const swPortOf = (node: { ports: readonly Port[] }): Port => {
    const peer = node.ports[0].peer;
    if (peer === null) throw new Error('not cabled');
    return peer;
  };
  return { net, sw, servers, client, bystander, swPortOf, events, ip };
}

export function secondsOf(e: NetEvent): number {
  return e.t / SECOND;
}

/** Hyper-V hosts (one NIC, no team) on the switch, each with NLB guest VMs. */
export function hypervNlbLab(o: { vms: number; spoofing: boolean; mode: string; hosts?: number; settings?: Settings }) {
  const net = new Network(11);
  const sw = new GenericSwitch(net, 'sw1', { ports: 24 }, undefined);
  const hostCount = o.hosts ?? 1;
  const hvs: HypervHost[] = [];
  for (let h = 0; h < hostCount; h++) {
    const hv = new HypervHost(net, `hv${h + 1}`, { nics: 1, teaming: 'None' });
    connect(net, hv.nics[0], sw.ports[h]);
    hvs.push(hv);
  }
  const servers: WindowsServer[] = [];
  for (let i = 0; i < o.vms; i++) {
    const hv = hvs[i % hostCount];
    const settings: Settings = {
      ip: `10.0.0.${11 + i}/24`,
      nlbClusterIp: '10.0.0.100/24',
      nlbMode: o.mode,
      nlbHostPriority: i + 1,
      macSpoofing: o.spoofing,
      ...o.settings,
    };
    const vm = hv.createVm({ name: `nlb${i + 1}`, adapters: [{ macSpoofing: o.spoofing }] });
    servers.push(new WindowsServer(net, `nlb${i + 1}`, settings, { vm }));
  }
  const client = new ClientPc(net, 'client', { ip: '10.0.0.50/24' });
  connect(net, client.ports[0], sw.ports[19]);
  const events: NetEvent[] = [];
  net.onEvent = (e) => events.push(e);
  return { net, sw, hvs, servers, client, events };
}
