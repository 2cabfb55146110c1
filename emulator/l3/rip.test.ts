import { describe, expect, it } from 'vitest';
import { parseIpv4 as ip } from '../core/ipv4.ts';
import { localMac } from '../core/mac.ts';
import { Network } from '../core/network.ts';
import type { Port } from '../core/port.ts';
import { SECOND } from '../core/time.ts';
import { groupMac } from '../l2/igmp-snooping.ts';
import { EthernetSwitch } from '../l2/switch.ts';
import { isRipMessage, RIP_GROUP, RIP_PORT } from '../wire/rip.ts';
import { IpHost } from './ip-host.ts';
import { IOS_RIP_TIMERS, RipSpeaker, type RipOptions, type RipTimers } from './rip.ts';

const G1 = 1e9;
const LINK = { rateBps: G1, delayNs: 1000 };
let macs = 1;

/** A forwarding stack with RIP on every interface, wired the way the router kind wires it. */
class RipNode extends IpHost {
  readonly rip: RipSpeaker;
  constructor(net: Network, name: string, timers: RipTimers = IOS_RIP_TIMERS) {
    super(net, name);
    this.forwarding = true;
    this.arpRetryCount = 0;
    const options: RipOptions = { timers, maxPaths: 4, installPaths: 4, forwardWhileInvalid: true };
    this.rip = new RipSpeaker(
      {
        net, name, random: net.random.forId(`${name}/rip`), routes: this.routes,
        transmit: (ifc, pkt) => this.transmitIp(ifc, pkt, groupMac(pkt.dst)),
        joinGroup: (ifc) => this.joinGroup(RIP_GROUP, ifc.name),
        leaveGroup: (ifc) => this.leaveGroup(RIP_GROUP, ifc.name),
        hasBetterRoute: (p, l) => this.routes.list().some((r) => r.prefix === p && r.length === l && r.origin !== 'rip'),
      },
      options,
    );
    this.bindUdp(RIP_PORT, (d, src) => {
      if (isRipMessage(d.data)) this.rip.receive(d.data, src);
    });
  }
  nic(name: string, addr: string, len: number): void {
    this.addInterface(name, localMac(macs++), G1);
    this.addAddress(name, ip(addr), len);
  }
  enableRip(): void {
    this.rip.configure(true, this.interfaces.map((ifc) => ({ name: ifc.name, ifc, networks: [], send: true, receive: true })), this.rip.options);
  }
  override start(): void {
    super.start();
    this.rip.start();
  }
  override portStateChanged(port: Port, up: boolean): void {
    super.portStateChanged(port, up);
    this.rip.interfacesChanged();
  }
  ripRoute(prefix: string, len: number) {
    return this.rip.routeList().find((r) => r.prefix === ip(prefix) && r.length === len);
  }
}

/** a —— b —— c, c with a stub network 10.3.3.0/24; b's link to c goes through a switch so c can vanish silently. */
function chain(timers?: RipTimers) {
  const net = new Network(3);
  const a = new RipNode(net, 'a', timers);
  const b = new RipNode(net, 'b', timers);
  const c = new RipNode(net, 'c', timers);
  a.nic('ab', '10.0.12.1', 30);
  b.nic('ba', '10.0.12.2', 30);
  b.nic('bc', '10.0.23.1', 24);
  c.nic('cb', '10.0.23.2', 24);
  c.nic('stub', '10.3.3.1', 24);
  const sw = new EthernetSwitch(net, 'sw', { portNames: ['p1', 'p2'], speedBps: G1, baseMac: 0x0a0000000000 });
  const stubSw = new EthernetSwitch(net, 'stubsw', { portNames: ['p1'], speedBps: G1, baseMac: 0x0a0000000100 });
  net.connect(a.ports[0], b.ports[0], LINK);
  const bSide = net.connect(b.ports[1], sw.ports[0], LINK);
  const cSide = net.connect(c.ports[0], sw.ports[1], LINK);
  net.connect(c.ports[1], stubSw.ports[0], LINK);
  for (const n of [a, b, c]) n.enableRip();
  net.start();
  return { net, a, b, c, bSide, cSide };
}

describe('RIPv2 between routers', () => {
  it('learns a network two routers away with metric 2 and installs it with its next hop', () => {
    const { net, a } = chain();
    net.runUntil(5 * SECOND);
    const r = a.ripRoute('10.3.3.0', 24);
    expect(r?.metric).toBe(2);
    expect(r?.paths.map((p) => p.nextHop)).toEqual([ip('10.0.12.2')]);
    expect(a.routeList().find((x) => x.origin === 'rip' && x.prefix === ip('10.3.3.0'))?.nextHop).toBe(ip('10.0.12.2'));
  });

  it('sends a route back where it came from only as unreachable (split horizon with poison reverse)', () => {
    const { net, b } = chain();
    net.runUntil(5 * SECOND);
    const toA = b.rip.entriesFor(b.iface('ba'), false);
    const toC = b.rip.entriesFor(b.iface('bc'), false);
    expect(toA.find((e) => e.prefix === ip('10.3.3.0'))?.metric).toBe(2);
    expect(toC.find((e) => e.prefix === ip('10.3.3.0'))?.metric).toBe(16);
    expect(toA.find((e) => e.prefix === ip('10.0.23.0'))?.metric).toBe(1);
    // A network is not announced on its own interface.
    expect(toA.some((e) => e.prefix === ip('10.0.12.0'))).toBe(false);
  });

  it('a link going down at the router poisons its routes at once (triggered update)', () => {
    const { net, a, bSide } = chain();
    net.runUntil(40 * SECOND);
    bSide.setUp(false);
    net.runUntil(40 * SECOND + 100_000_000);
    expect(a.ripRoute('10.3.3.0', 24)?.metric).toBe(16);
    expect(a.ripRoute('10.0.23.0', 24)?.metric).toBe(16);
  });

  it('a neighbour that vanishes behind a switch is believed until the invalid timer, and flushed at 240 s', () => {
    const { net, b, cSide } = chain();
    net.runUntil(40 * SECOND);
    const heard = b.ripRoute('10.3.3.0', 24)?.paths[0].heardNs ?? 0;
    cSide.setUp(false);
    net.runUntil(heard + 179 * SECOND);
    expect(b.ripRoute('10.3.3.0', 24)?.metric).toBe(1);
    net.runUntil(heard + 181 * SECOND);
    expect(b.ripRoute('10.3.3.0', 24)?.metric).toBe(16);
    // Possibly down, yet still forwarding until the flush timer, as IOS documents.
    expect(b.routeList().some((r) => r.origin === 'rip' && r.prefix === ip('10.3.3.0'))).toBe(true);
    net.runUntil(heard + 241 * SECOND);
    expect(b.ripRoute('10.3.3.0', 24)).toBeUndefined();
    expect(b.routeList().some((r) => r.origin === 'rip' && r.prefix === ip('10.3.3.0'))).toBe(false);
  });

  it('shorter timers (5 15 15 20) find the silent failure within 15 s', () => {
    const { net, b, cSide } = chain({ updateNs: 5 * SECOND, invalidNs: 15 * SECOND, holddownNs: 15 * SECOND, flushNs: 20 * SECOND });
    net.runUntil(30 * SECOND);
    cSide.setUp(false);
    net.runUntil(46 * SECOND);
    expect(b.ripRoute('10.3.3.0', 24)?.metric).toBe(16);
  });

  it('keeps equal-cost paths and shares flows between them', () => {
    const net = new Network(5);
    const a = new RipNode(net, 'a');
    const b1 = new RipNode(net, 'b1');
    const b2 = new RipNode(net, 'b2');
    a.nic('x', '10.0.1.1', 30);
    a.nic('y', '10.0.2.1', 30);
    b1.nic('x', '10.0.1.2', 30);
    b1.nic('lan', '10.9.0.1', 24);
    b2.nic('y', '10.0.2.2', 30);
    b2.nic('lan', '10.9.0.2', 24);
    const lan = new EthernetSwitch(net, 'lan', { portNames: ['p1', 'p2'], speedBps: G1, baseMac: 0x0a0000000200 });
    net.connect(a.ports[0], b1.ports[0], LINK);
    net.connect(a.ports[1], b2.ports[0], LINK);
    net.connect(b1.ports[1], lan.ports[0], LINK);
    net.connect(b2.ports[1], lan.ports[1], LINK);
    for (const n of [a, b1, b2]) n.enableRip();
    net.start();
    net.runUntil(5 * SECOND);
    expect(a.ripRoute('10.9.0.0', 24)?.paths.map((p) => p.nextHop).sort()).toEqual([ip('10.0.1.2'), ip('10.0.2.2')].sort());
    const ways = new Set<number>();
    for (let s = 1; s < 40; s++) ways.add(a.routes.lookupFlow(ip('10.9.0.50'), ip(`10.7.0.${s}`))?.nextHop ?? 0);
    expect(ways).toEqual(new Set([ip('10.0.1.2'), ip('10.0.2.2')]));
  });

  it('jitters the periodic update with the run seed, so two seeds differ and one seed repeats', () => {
    const at = (seed: number): number => {
      const net = new Network(seed);
      const a = new RipNode(net, 'a');
      a.nic('x', '10.0.1.1', 24);
      a.enableRip();
      net.start();
      net.runUntil(SECOND);
      return a.rip.nextPeriodicAt;
    };
    expect(at(1)).toBe(at(1));
    expect(at(1)).not.toBe(at(2));
    expect(at(1)).toBeGreaterThanOrEqual(25 * SECOND);
    expect(at(1)).toBeLessThanOrEqual(35 * SECOND);
  });
});
