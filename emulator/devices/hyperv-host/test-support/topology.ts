/** Small labs for the Hyper-V tests: hosts cabled to one shared Ethernet switch, a client, guests. */
import type { Frame } from '../../../core/frame.ts';
import { parseIpv4 } from '../../../core/ipv4.ts';
import { Network } from '../../../core/network.ts';
import { NetworkNode } from '../../../core/node.ts';
import type { Port } from '../../../core/port.ts';
import { EthernetSwitch } from '../../../l2/switch.ts';
import type { ChannelMode } from '../../../l2/port-channel.ts';
import { IpHost } from '../../../l3/ip-host.ts';
import { GenericGuest } from '../generic-guest.ts';
import { HypervHost, type HypervHostOptions } from '../host.ts';
import type { GuestOs, VirtualMachine, VnicSpec } from '../vm.ts';

export const LINK = { rateBps: 10e9, delayNs: 1000 };

export interface Lab {
  net: Network;
  sw: EthernetSwitch;
  hosts: HypervHost[];
  client: IpHost;
  /** Switch port names of host h's NIC i. */
  portOf(h: number, nic: number): string;
}

export interface LabOptions {
  hosts?: number;
  host?: Partial<HypervHostOptions>;
  /** How the switch bundles each host's NICs: none, a static channel, or LACP. */
  channel?: ChannelMode | null;
  /** VLAN the VMs and the client use (0 = untagged, all in VLAN 1). */
  vlan?: number;
  clientIp?: string;
  prefix?: number;
  seed?: number;
}

export function buildLab(o: LabOptions = {}): Lab {
  const net = new Network(o.seed ?? 1);
  const sw = new EthernetSwitch(net, 'sw1', { portNames: Array.from({ length: 24 }, (_, i) => `Gi1/0/${i + 1}`), speedBps: 10e9, baseMac: 0x0022bd000100 });
  const nHosts = o.hosts ?? 2;
  const nics = o.host?.nics ?? 2;
  const vlan = o.vlan ?? 0;
  if (vlan !== 0) sw.createVlan(vlan);
  const hosts: HypervHost[] = [];
  const portOf = (h: number, i: number): string => `Gi1/0/${h * nics + i + 1}`;
  for (let h = 0; h < nHosts; h++) {
    const host = new HypervHost(net, `hv${h + 1}`, o.host);
    hosts.push(host);
    for (let i = 0; i < nics; i++) {
      net.connect(host.nics[i], sw.portByName(portOf(h, i)) as Port, LINK);
      if (o.channel) sw.joinChannel(portOf(h, i), h + 1, o.channel);
    }
    const ref = o.channel ? `Port-channel${h + 1}` : null;
    if (vlan !== 0) {
      if (ref !== null) sw.setTrunk(ref, { allowed: [1, vlan] });
      else for (let i = 0; i < nics; i++) sw.setTrunk(portOf(h, i), { allowed: [1, vlan] });
    }
  }
  const client = new IpHost(net, 'client');
  client.addInterface('eth0', 0x0050560000aa, 10e9);
  client.addAddress('eth0', parseIpv4(o.clientIp ?? '10.0.0.100'), o.prefix ?? 24);
  client.arpRetryCount = 0;
  net.connect(client.interfaces[0].port, sw.portByName('Gi1/0/24') as Port, LINK);
  if (vlan !== 0) sw.setAccess('Gi1/0/24', vlan);
  return { net, sw, hosts, client, portOf };
}

/** A VM running the plain IP guest. */
export function ipVm(host: HypervHost, name: string, ip: string, opts: VnicSpec & { memoryMb?: number; dirtyMbPerSecond?: number; prefix?: number } = {}): GenericGuest {
  const vm = host.createVm({ name, memoryMb: opts.memoryMb, dirtyMbPerSecond: opts.dirtyMbPerSecond, adapters: [{ vlan: opts.vlan, macSpoofing: opts.macSpoofing, staticMac: opts.staticMac }] });
  const g = new GenericGuest(host.net, vm, [{ ip: parseIpv4(ip), prefix: opts.prefix ?? 24 }], null);
  g.arpRetryCount = 0;
  return g;
}

/** A guest that sends raw frames with whatever source MAC it is told and records what reaches it. */
export class RawGuest extends NetworkNode implements GuestOs {
  readonly nic: Port;
  readonly received: Frame[] = [];
  mac: number;
  /** Addresses the guest reports to the host (for the unsolicited ARP after a move). */
  addresses: number[] = [];

  constructor(net: Network, vm: VirtualMachine) {
    super(net, vm.name);
    this.mac = vm.adapters[0].mac;
    this.nic = this.addPort('eth0', 10e9);
    this.nic.mac = this.mac;
    vm.plug(this);
  }
  adapterPort(): Port {
    return this.nic;
  }
  adapterMac(): number {
    return this.mac;
  }
  adapterAddresses(): readonly number[] {
    return this.addresses;
  }
  receive(_p: Port, f: Frame): void {
    this.received.push(this.net.pool.copy(f));
    this.net.pool.release(f);
  }
  send(dst: number, src: number, tag = 0): void {
    const f = this.net.pool.alloc();
    f.dst = dst;
    f.src = src;
    f.vlan = 0;
    f.pcp = 0;
    f.etherType = 0x88b5;
    f.size = 100;
    f.payload = { kind: 'opaque', length: 86, tag };
    f.tag = tag;
    this.nic.send(f);
  }
}

/** A raw frame from the client's port, bypassing IP (for unknown-unicast probes). */
export function clientRaw(lab: Lab, dst: number, tag = 0): void {
  const net = lab.net;
  const f = net.pool.alloc();
  f.dst = dst;
  f.src = lab.client.interfaces[0].mac;
  f.vlan = 0;
  f.pcp = 0;
  f.etherType = 0x88b5;
  f.size = 100;
  f.payload = { kind: 'opaque', length: 86, tag };
  f.tag = tag;
  lab.client.interfaces[0].port.send(f);
}
