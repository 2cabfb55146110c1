import { localMac } from '../emulator/core/mac.ts';
import { Network } from '../emulator/core/network.ts';
import { ETHERTYPE_BENCH } from '../emulator/core/packets.ts';
import { MS, US } from '../emulator/core/time.ts';
import { RawFrameHost } from '../emulator/l2/raw-host.ts';
import { EthernetSwitch } from '../emulator/l2/switch.ts';

/**
 * The benchmark workload of ../shared/bench/ns3-l2/README.md, built from LabBox's own switch,
 * port, link and host classes. Timing follows l2fabric.cc (SimpleNetDevice links) so that link
 * deliveries, drops and delivered frames match ns-3 exactly:
 * - ns-3's packet is the 64 bytes the client writes (SimpleNetDevice adds no header), so frames
 *   here are 64 bytes on the wire: 51 ns at 10 Gb/s (51.2 ns truncated to ns-3's resolution).
 * - each port queues up to 100 frames behind the one being serialised (DropTailQueue 100p).
 * - host i starts at 1 ms + floor(i·20 µs / H) with a start event that then schedules the first
 *   send, as ns-3's Application start does; bridge ports are attached in ns-3's order so floods
 *   visit them in the same order.
 */
export interface Workload {
  topo: 'chain' | 'tree';
  K: number;
  H: number;
  N: number;
}

export interface Fabric {
  net: Network;
  hosts: RawFrameHost[];
  switches: EthernetSwitch[];
  stopNs: number;
}

export const RATE_BPS = 10e9;
export const DELAY_NS = 50;
export const FRAME_BYTES = 64;
export const INTERVAL_NS = 20 * US;
export const START_NS = 1 * MS;

export function buildFabric(w: Workload, opts: { traffic?: boolean } = {}): Fabric {
  const { topo, K, H, N } = w;
  if (H < 2 || H % 2 !== 0) throw new Error('H must be even and >= 2');
  if (K < 1) throw new Error('K must be >= 1');
  const net = new Network(1);
  const tree = topo === 'tree';
  const nb = tree ? K + 1 : K;
  // port lists per bridge in ns-3's attachment order
  const attach: { peerKind: 'bridge' | 'host'; peer: number }[][] = Array.from({ length: nb }, () => []);
  const bridgeLinks: [number, number][] = [];
  if (tree) for (let e = 0; e < K; e++) bridgeLinks.push([e, K]);
  else for (let b = 0; b + 1 < K; b++) bridgeLinks.push([b, b + 1]);
  for (const [a, b] of bridgeLinks) {
    attach[a].push({ peerKind: 'bridge', peer: b });
    attach[b].push({ peerKind: 'bridge', peer: a });
  }
  const hostAt: number[] = [];
  for (let h = 0; h < H; h++) {
    const at = Math.floor((h * K) / H);
    hostAt.push(at);
    attach[at].push({ peerKind: 'host', peer: h });
  }
  const switches: EthernetSwitch[] = [];
  for (let b = 0; b < nb; b++) {
    const names = attach[b].map((_, i) => `p${i}`);
    switches.push(new EthernetSwitch(net, `br${b}`, { portNames: names, speedBps: RATE_BPS, baseMac: 0x0e0000000000 + b * 0x10000 }));
  }
  const hosts: RawFrameHost[] = [];
  for (let h = 0; h < H; h++) hosts.push(new RawFrameHost(net, `h${h}`, localMac(h + 1), RATE_BPS));
  // connect: each bridge's ports in attachment order
  const nextFree = new Array<number>(nb).fill(0);
  const link = { rateBps: RATE_BPS, delayNs: DELAY_NS };
  for (const [a, b] of bridgeLinks) {
    net.connect(switches[a].ports[nextFree[a]++], switches[b].ports[nextFree[b]++], link);
  }
  for (let h = 0; h < H; h++) {
    const at = hostAt[h];
    net.connect(hosts[h].nic, switches[at].ports[nextFree[at]++], link);
  }
  const perHost = Math.floor(N / H);
  if (opts.traffic !== false) {
    for (let i = 0; i < H; i++) {
      const peer = (i + H / 2) % H;
      hosts[i].acceptEtherType = ETHERTYPE_BENCH + (peer < H / 2 ? 0 : 1);
      hosts[i].startStream({
        dst: hosts[peer].mac,
        etherType: ETHERTYPE_BENCH + (i < H / 2 ? 0 : 1),
        size: FRAME_BYTES,
        intervalNs: INTERVAL_NS,
        count: perHost,
        startNs: START_NS + Math.floor((INTERVAL_NS * i) / H),
      });
    }
  }
  const stopNs = START_NS + INTERVAL_NS * (perHost + 1) + 100 * MS;
  return { net, hosts, switches, stopNs };
}

export interface Counts {
  sent: number;
  delivered: number;
  link_deliveries: number;
  floods: number;
  drops: number;
  events: number;
}

export function counts(f: Fabric): Counts {
  let sent = 0;
  let delivered = 0;
  for (const h of f.hosts) {
    sent += h.sent;
    delivered += h.delivered;
  }
  return {
    sent,
    delivered,
    link_deliveries: f.net.frameHops,
    floods: f.net.floods,
    drops: f.net.queueDrops,
    events: f.net.sched.executed,
  };
}

/** Build, run to the stop time, and count. */
export function runWorkload(w: Workload): { fabric: Fabric; counts: Counts; runS: number; cpuS: number; setupS: number } {
  const t0 = performance.now();
  const fabric = buildFabric(w);
  fabric.net.start();
  const t1 = performance.now();
  const c0 = process.cpuUsage();
  fabric.net.runUntil(fabric.stopNs);
  const cpu = process.cpuUsage(c0);
  const t2 = performance.now();
  return { fabric, counts: counts(fabric), runS: (t2 - t1) / 1000, cpuS: Math.max(1e-6, (cpu.user + cpu.system) / 1e6), setupS: (t1 - t0) / 1000 };
}
