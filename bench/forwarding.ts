/**
 * `npm run bench`: the forwarding core against ns-3 on the workload of
 * ../shared/bench/ns3-l2/README.md, plus a fabric-size sweep.
 *
 *   npm run bench                                   # README sizes + ns-3 ratios + sweep
 *   npm run bench -- --json --topo chain --K 64 --N 960000
 *   npm run bench -- --json --topo tree --K 64 --H 1024 --N 1000000
 *   options: --no-ns3, --sweep-only, --no-sweep, --sweep 1000,10000,100000, --repeat N
 *   (default: medians of 3 runs per side; 1 run with --json)
 *
 * Each workload runs in its own child process so peak RSS is that workload's alone.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { buildFabric, runWorkload, type Counts, type Workload } from './fabric.ts';
import { ensureNs3, runNs3, type Ns3Result } from './ns3.ts';

interface Args {
  json: boolean;
  topo: 'chain' | 'tree' | null;
  K: number | null;
  H: number | null;
  N: number | null;
  ns3: boolean;
  sweep: number[] | null;
  child: 'run' | 'build' | null;
  /** Runs per side and workload; figures are the medians. */
  repeat: number | null;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { json: false, topo: null, K: null, H: null, N: null, ns3: true, sweep: [1000, 10000, 100000], child: null, repeat: null };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=');
    const value = (): string => inline ?? argv[++i];
    switch (flag) {
      case '--json': a.json = true; break;
      case '--topo': { const t = value(); if (t !== 'chain' && t !== 'tree') throw new Error('--topo chain|tree'); a.topo = t; break; }
      case '--K': a.K = Number(value()); break;
      case '--H': a.H = Number(value()); break;
      case '--N': a.N = Number(value()); break;
      case '--no-ns3': a.ns3 = false; break;
      case '--no-sweep': a.sweep = null; break;
      case '--sweep': a.sweep = value().split(',').map(Number); break;
      case '--sweep-only': a.topo = null; a.child = null; a.K = -1; break;
      case '--repeat': a.repeat = Math.max(1, Math.floor(Number(value()))); break;
      case '--child': { const c = value(); if (c !== 'run' && c !== 'build') throw new Error('bad --child'); a.child = c; break; }
      default: throw new Error(`unknown option ${argv[i]}`);
    }
  }
  return a;
}

const peakRssMiB = (): number => process.resourceUsage().maxRSS / 1024;

interface Result extends Counts {
  impl: 'labbox';
  topo: string;
  K: number;
  H: number;
  N: number;
  setup_s: number;
  run_s: number;
  cpu_s: number;
  frame_hops_per_s: number;
  events_per_s: number;
  /** The same rate over CPU seconds: steadier than wall time on a busy machine. */
  cpu_frame_hops_per_s: number;
  peak_rss_mib: number;
}

function measure(w: Workload): Result {
  const r = runWorkload(w);
  return {
    impl: 'labbox',
    topo: w.topo,
    K: w.K,
    H: w.H,
    N: w.N,
    ...r.counts,
    setup_s: round(r.setupS, 3),
    run_s: round(r.runS, 3),
    cpu_s: round(r.cpuS, 3),
    frame_hops_per_s: Math.round(r.counts.link_deliveries / r.runS),
    events_per_s: Math.round(r.counts.events / r.runS),
    cpu_frame_hops_per_s: Math.round(r.counts.link_deliveries / r.cpuS),
    peak_rss_mib: round(peakRssMiB(), 1),
  };
}

function round(x: number, d: number): number {
  const f = 10 ** d;
  return Math.round(x * f) / f;
}

/** Run this script in a fresh process for one measurement and parse its JSON line. */
function child<T>(args: string[]): T {
  const self = fileURLToPath(import.meta.url);
  const out = execFileSync(process.execPath, ['--import', 'tsx', self, ...args], { encoding: 'utf8', maxBuffer: 1 << 20 });
  const line = out.trim().split('\n').pop() as string;
  return JSON.parse(line) as T;
}

function workloadArgs(w: Workload): string[] {
  return ['--topo', w.topo, '--K', String(w.K), '--H', String(w.H), '--N', String(w.N)];
}

interface Compared extends Result {
  ns3_frame_hops_per_s?: number;
  ns3_events_per_s?: number;
  ns3_peak_rss_mib?: number;
  ns3_link_deliveries?: number;
  ns3_drops?: number;
  ns3_delivered?: number;
  counts_match_ns3?: boolean;
  speedup_frame_hops?: number;
  speedup_events?: number;
  ns3_cpu_frame_hops_per_s?: number;
  speedup_cpu_frame_hops?: number;
  ns3_note?: string;
  /** Runs per side the figures are medians of. */
  runs?: number;
}

function compare(r: Result, ns: Ns3Result | null, note: string): Compared {
  if (ns === null) return { ...r, ns3_note: note };
  const nsHops = Number(ns.frame_hops_per_s);
  const nsEvents = Number(ns.events_per_s);
  const nsCpuHops = ns.cpu_s !== undefined ? Math.round(Number(ns.phy_rx_end) / Number(ns.cpu_s)) : undefined;
  return {
    ...r,
    ...(nsCpuHops !== undefined ? { ns3_cpu_frame_hops_per_s: nsCpuHops, speedup_cpu_frame_hops: round(r.cpu_frame_hops_per_s / nsCpuHops, 2) } : {}),
    ns3_frame_hops_per_s: nsHops,
    ns3_events_per_s: nsEvents,
    ns3_peak_rss_mib: Number(ns.peak_rss_mib),
    ns3_link_deliveries: Number(ns.phy_rx_end),
    ns3_drops: Number(ns.mac_tx_drop),
    ns3_delivered: Number(ns.delivered),
    counts_match_ns3: Number(ns.phy_rx_end) === r.link_deliveries && Number(ns.mac_tx_drop) === r.drops && Number(ns.delivered) === r.delivered && Number(ns.sent) === r.sent,
    speedup_frame_hops: round(r.frame_hops_per_s / nsHops, 2),
    speedup_events: round(r.events_per_s / nsEvents, 2),
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Counts are identical run to run (the run is deterministic); rates and memory take the median. */
function medianResult(rs: Result[]): Result {
  const first = rs[0];
  for (const r of rs) {
    if (r.link_deliveries !== first.link_deliveries || r.drops !== first.drops || r.delivered !== first.delivered) {
      throw new Error('benchmark counts differ between runs: the engine is not deterministic');
    }
  }
  return {
    ...first,
    run_s: median(rs.map((r) => r.run_s)),
    cpu_s: median(rs.map((r) => r.cpu_s)),
    frame_hops_per_s: median(rs.map((r) => r.frame_hops_per_s)),
    events_per_s: median(rs.map((r) => r.events_per_s)),
    cpu_frame_hops_per_s: median(rs.map((r) => r.cpu_frame_hops_per_s)),
    peak_rss_mib: median(rs.map((r) => r.peak_rss_mib)),
  };
}

function medianNs3(rs: Ns3Result[]): Ns3Result {
  const out: Ns3Result = { ...rs[0] };
  for (const k of ['frame_hops_per_s', 'events_per_s', 'run_s', 'cpu_s', 'peak_rss_mib']) {
    if (rs.every((r) => typeof r[k] === 'number')) out[k] = median(rs.map((r) => r[k] as number));
  }
  return out;
}

function fmtM(x: number): string {
  return `${(x / 1e6).toFixed(2)} M`;
}

function printHuman(c: Compared): void {
  const name = c.topo === 'tree' ? `tree K=${c.K} H=${c.H} N=${c.N}` : `chain K=${c.K} N=${c.N}`;
  console.log(`\n${name}`);
  const ns = c.ns3_frame_hops_per_s !== undefined;
  const row = (label: string, ours: string, theirs: string, ratio: string): void =>
    console.log(`  ${label.padEnd(18)} ${ours.padStart(14)} ${theirs.padStart(14)} ${ratio.padStart(8)}`);
  row('', 'labbox', ns ? 'ns-3' : '', ns ? 'ratio' : '');
  if (ns) {
    row('frame-hops/s', fmtM(c.frame_hops_per_s), fmtM(c.ns3_frame_hops_per_s as number), `${c.speedup_frame_hops}×`);
    row('events/s', fmtM(c.events_per_s), fmtM(c.ns3_events_per_s as number), `${c.speedup_events}×`);
    if (c.ns3_cpu_frame_hops_per_s !== undefined) {
      row('hops/CPU-second', fmtM(c.cpu_frame_hops_per_s), fmtM(c.ns3_cpu_frame_hops_per_s), `${c.speedup_cpu_frame_hops}×`);
    }
    row('peak RSS MiB', String(c.peak_rss_mib), String(c.ns3_peak_rss_mib), round(c.peak_rss_mib / (c.ns3_peak_rss_mib as number), 2) + '×');
    row('link deliveries', String(c.link_deliveries), String(c.ns3_link_deliveries), c.link_deliveries === c.ns3_link_deliveries ? '=' : 'DIFF');
    row('drops', String(c.drops), String(c.ns3_drops), c.drops === c.ns3_drops ? '=' : 'DIFF');
    row('delivered', String(c.delivered), String(c.ns3_delivered), c.delivered === c.ns3_delivered ? '=' : 'DIFF');
    row('floods', String(c.floods), '(n/a)', '');
  } else {
    row('frame-hops/s', fmtM(c.frame_hops_per_s), '', '');
    row('events/s', fmtM(c.events_per_s), '', '');
    row('hops/CPU-second', fmtM(c.cpu_frame_hops_per_s), '', '');
    row('peak RSS MiB', String(c.peak_rss_mib), '', '');
    for (const k of ['link_deliveries', 'drops', 'delivered', 'floods'] as const) row(k.replace('_', ' '), String(c[k]), '', '');
    console.log(`  (ns-3: ${c.ns3_note})`);
  }
  console.log(`  run ${c.run_s} s (${c.cpu_s} CPU s), setup ${c.setup_s} s, ${c.events} events, sent ${c.sent}${c.runs ? `; medians of ${c.runs} runs per side` : ''}`);
}

interface BuildResult {
  hosts: number;
  K: number;
  build_s: number;
  heap_mib: number;
  peak_rss_mib: number;
  switches: number;
  ports: number;
}

/** Build a tree fabric (16 hosts per edge switch) without traffic and measure time and memory. */
function measureBuild(hosts: number): BuildResult {
  const K = Math.max(1, Math.ceil(hosts / 16));
  const t0 = performance.now();
  const f = buildFabric({ topo: 'tree', K, H: hosts, N: 0 }, { traffic: false });
  f.net.start();
  const t1 = performance.now();
  let ports = 0;
  for (const n of f.net.nodes) ports += n.ports.length;
  const heap = process.memoryUsage().heapUsed / 1048576;
  return { hosts, K, build_s: round((t1 - t0) / 1000, 3), heap_mib: round(heap, 1), peak_rss_mib: round(peakRssMiB(), 1), switches: f.switches.length, ports };
}

const USAGE = `usage: npm run bench [-- options]
  --json                      one JSON object per workload instead of tables
  --topo chain|tree           one workload (with --K, --H, --N) instead of the README sizes
  --K N  --H N  --N N         bridges in the chain / hosts in the tree / frames sent
  --no-ns3                    LabBox only (no ns-3 build or run)
  --no-sweep | --sweep-only   leave out, or run only, the fabric-size sweep
  --sweep 1000,10000,100000   host counts of the sweep
  --repeat N                  runs per side; figures are the medians`;

function main(): void {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    console.log(USAGE);
    return;
  }
  let args: Args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`bench: ${e instanceof Error ? e.message : String(e)}\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (args.child === 'run') {
    const w: Workload = { topo: args.topo ?? 'chain', K: args.K ?? 16, H: args.H ?? 16, N: args.N ?? 160000 };
    console.log(JSON.stringify(measure(w)));
    return;
  }
  if (args.child === 'build') {
    console.log(JSON.stringify(measureBuild(args.H ?? 1000)));
    return;
  }
  const workloads: Workload[] = [];
  if (args.topo !== null) {
    workloads.push({ topo: args.topo, K: args.K ?? (args.topo === 'tree' ? 64 : 16), H: args.H ?? (args.topo === 'tree' ? 1024 : 16), N: args.N ?? 120000 });
  } else if (args.K !== -1) {
    workloads.push(
      { topo: 'chain', K: 4, H: 16, N: 1_000_000 },
      { topo: 'chain', K: 16, H: 16, N: 400_000 },
      { topo: 'chain', K: 64, H: 16, N: 120_000 },
      { topo: 'tree', K: 64, H: 1024, N: 1_000_000 },
    );
  }
  const ns3 = args.ns3 ? ensureNs3() : { path: null, reason: 'skipped (--no-ns3)' };
  if (!args.json && workloads.length > 0) {
    console.log(`LabBox forwarding benchmark (node ${process.version}); ns-3: ${ns3.path ?? ns3.reason}`);
  }
  // Medians of several runs (interleaved, so both sides see the same background load) unless
  // asked for one JSON figure, where a single run keeps the contract invocation quick.
  const repeat = args.repeat ?? (args.json ? 1 : 3);
  for (const w of workloads) {
    const oursRuns: Result[] = [];
    const theirRuns: Ns3Result[] = [];
    for (let i = 0; i < repeat; i++) {
      oursRuns.push(child<Result>(['--child', 'run', ...workloadArgs(w)]));
      if (ns3.path !== null) theirRuns.push(runNs3(ns3.path, w));
    }
    const ours = medianResult(oursRuns);
    const theirs = theirRuns.length > 0 ? medianNs3(theirRuns) : null;
    const c = compare(ours, theirs, ns3.reason);
    if (repeat > 1) c.runs = repeat;
    if (args.json) console.log(JSON.stringify(c));
    else printHuman(c);
  }
  const sweepWanted = args.sweep !== null && (args.topo === null || args.K === -1) && !(args.json && args.topo !== null);
  if (sweepWanted && args.sweep !== null) {
    if (!args.json) console.log('\nfabric build sweep (tree, 16 hosts per edge switch; targets: 10k hosts ≤ 2 s, 100k hosts ≤ 2 GiB)');
    for (const h of args.sweep) {
      const b = child<BuildResult>(['--child', 'build', '--H', String(h)]);
      if (args.json) console.log(JSON.stringify({ sweep: true, ...b }));
      else console.log(`  ${String(h).padStart(7)} hosts  ${String(b.switches).padStart(5)} switches  ${String(b.ports).padStart(7)} ports  build ${b.build_s.toFixed(3)} s  heap ${b.heap_mib} MiB  peak RSS ${b.peak_rss_mib} MiB`);
    }
  }
}

main();
