/**
 * Small labs for the ESXi tests: each host's vmnic i cabled to edge switch i (as blade NICs sit
 * on two interconnect modules), the edge switches trunked to one core switch, a client on the
 * core. Pulling a host's vmnic cable leaves the core's MAC table pointing at the old edge until
 * something tells it otherwise, which is what Notify Switches is for.
 */
import type { Frame } from '../../../core/frame.ts';
import { parseCidr } from '../../../core/ipv4.ts';
import { Network } from '../../../core/network.ts';
import { NetworkNode } from '../../../core/node.ts';
import type { Port } from '../../../core/port.ts';
import { EthernetSwitch } from '../../../l2/switch.ts';
import { IpHost } from '../../../l3/ip-host.ts';
import { GenericGuest } from '../../hyperv-host/generic-guest.ts';
import type { GuestOs } from '../../hyperv-host/vm.ts';
import type { Settings } from '../../kind.ts';
import { EsxiHost } from '../host.ts';
import { hostOptionsFromSettings } from '../options.ts';

export const LINK = { rateBps: 10e9, delayNs: 1000 };

export interface EsxiLab {
  net: Network;
  core: EthernetSwitch;
  edges: EthernetSwitch[];
  hosts: EsxiHost[];
  client: IpHost;
  /** The core port facing edge switch i. */
  corePortOfEdge(i: number): string;
  /** The link between host h's vmnic i and its edge switch. */
  cable(h: number, nic: number): ReturnType<Network['connect']>;
}

export interface EsxiLabOptions {
  hosts?: number;
  uplinks?: number;
  /** Host settings (as the lab file writes them), the same for every host. */
  host?: Settings;
  /** VLAN the client sits in; the edge and core trunks carry it. */
  vlan?: number;
  clientIp?: string;
  seed?: number;
}

export function buildEsxiLab(o: EsxiLabOptions = {}): EsxiLab {
  const net = new Network(o.seed ?? 1);
  const nHosts = o.hosts ?? 2;
  const uplinks = o.uplinks ?? 2;
  const vlan = o.vlan ?? 0;
  const core = new EthernetSwitch(net, 'core', { portNames: Array.from({ length: 24 }, (_, i) => `Gi1/0/${i + 1}`), speedBps: 10e9, baseMac: 0x0022bd000100 });
  if (vlan !== 0) core.createVlan(vlan);
  const edges: EthernetSwitch[] = [];
  const cables = new Map<string, ReturnType<Network['connect']>>();
  for (let i = 0; i < uplinks; i++) {
    const edge = new EthernetSwitch(net, `edge${i}`, { portNames: Array.from({ length: 17 }, (_, k) => `X${k + 1}`), speedBps: 10e9, baseMac: 0x0017a4000100 + i * 0x100 });
    edges.push(edge);
    if (vlan !== 0) edge.createVlan(vlan);
    net.connect(edge.portByName('X17') as Port, core.portByName(`Gi1/0/${i + 1}`) as Port, LINK);
    if (vlan !== 0) {
      edge.setTrunk('X17', { allowed: [1, vlan] });
      core.setTrunk(`Gi1/0/${i + 1}`, { allowed: [1, vlan] });
    }
  }
  const hosts: EsxiHost[] = [];
  for (let h = 0; h < nHosts; h++) {
    const name = `esx${h + 1}`;
    const host = new EsxiHost(net, name, hostOptionsFromSettings(name, { uplinks, managementIp: `10.0.0.${11 + h}/24`, ...o.host }));
    hosts.push(host);
    for (let i = 0; i < uplinks; i++) {
      const edgePort = `X${h + 1}`;
      cables.set(`${h}/${i}`, net.connect(host.vmnics[i], edges[i].portByName(edgePort) as Port, LINK));
      if (vlan !== 0) edges[i].setTrunk(edgePort, { allowed: [1, vlan] });
    }
  }
  const client = new IpHost(net, 'client');
  client.addInterface('eth0', 0x0050560000aa, 10e9);
  const c = parseCidr(o.clientIp ?? '10.0.0.100/24');
  client.addAddress('eth0', c.ip, c.prefix);
  client.arpRetryCount = 0;
  net.connect(client.interfaces[0].port, core.portByName('Gi1/0/24') as Port, LINK);
  if (vlan !== 0) core.setAccess('Gi1/0/24', vlan);
  return {
    net,
    core,
    edges,
    hosts,
    client,
    corePortOfEdge: (i) => `Gi1/0/${i + 1}`,
    cable: (h, nic) => cables.get(`${h}/${nic}`) as ReturnType<Network['connect']>,
  };
}

/** A VM with the plain IPv4 guest on `host`, in port group `portGroup`. */
export function ipVm(host: EsxiHost, name: string, cidr: string, portGroup = 'VM Network', staticMac?: number): GenericGuest {
  const e = host.createVm({ name, adapters: [staticMac !== undefined ? { staticMac } : {}] }, [{ portGroup }]);
  const c = parseCidr(cidr);
  const g = new GenericGuest(host.net, e.vm, [{ ip: c.ip, prefix: c.prefix }], null);
  g.arpRetryCount = 0;
  return g;
}

/** A guest that records what reaches it and presents whatever MAC it is told (an NLB unicast adapter). */
export class RawGuest extends NetworkNode implements GuestOs {
  readonly nic: Port;
  readonly received: number[] = [];
  constructor(
    host: EsxiHost,
    name: string,
    portGroup: string,
    /** The MAC the vNIC is configured with. */
    vnicMac: number,
    /** The MAC the guest programs into its adapter (NLB unicast: the cluster MAC). */
    public mac = vnicMac,
  ) {
    super(host.net, name);
    const e = host.createVm({ name, adapters: [{ staticMac: vnicMac }] }, [{ portGroup }]);
    this.nic = this.addPort('eth0', 10e9);
    this.nic.mac = this.mac;
    e.vm.plug(this);
  }
  adapterPort(): Port {
    return this.nic;
  }
  adapterMac(): number {
    return this.mac;
  }
  adapterAddresses(): readonly number[] {
    return [];
  }
  receive(_p: Port, f: Frame): void {
    if (f.etherType === 0x88b5) this.received.push(f.tag);
    this.net.pool.release(f);
  }
  send(dst: number, src: number, tag = 0): void {
    this.nic.send(rawFrame(this.net, dst, src, tag));
  }
}

export function rawFrame(net: Network, dst: number, src: number, tag: number): Frame {
  const f = net.pool.alloc();
  f.dst = dst;
  f.src = src;
  f.vlan = 0;
  f.pcp = 0;
  f.etherType = 0x88b5;
  f.size = 100;
  f.payload = { kind: 'opaque', length: 86, tag };
  f.tag = tag;
  return f;
}

/** The core's port for `mac`, or null when it has no entry. */
export function corePortOf(lab: EsxiLab, mac: number, vlan = 1): string | null {
  const e = lab.core.macTable({ vlan }).find((x) => x.mac === mac);
  return e === undefined ? null : e.ports.join(',');
}
