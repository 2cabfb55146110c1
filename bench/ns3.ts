import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Workload } from './fabric.ts';

/** Locates, builds (into the git-ignored bench/ns3/) and runs the ns-3 reference program. */

const here = dirname(fileURLToPath(import.meta.url));
const outDir = join(here, 'ns3');
const binary = join(outDir, 'l2fabric');

function sourcePath(): string | null {
  const candidates = [process.env.LABBOX_NS3_SOURCE, join(here, '..', '..', 'shared', 'bench', 'ns3-l2', 'l2fabric.cc')];
  for (const c of candidates) if (c && existsSync(c)) return c;
  return null;
}

function ns3Installed(): boolean {
  return existsSync('/usr/include/ns3/bridge-module.h') || existsSync('/usr/include/ns3.37/ns3/bridge-module.h');
}

/** Path of a built l2fabric, building it when needed; null (with a reason) when ns-3 is unavailable. */
export function ensureNs3(): { path: string | null; reason: string } {
  const src = sourcePath();
  if (!src) return { path: null, reason: 'l2fabric.cc not found (set LABBOX_NS3_SOURCE)' };
  if (!ns3Installed()) return { path: null, reason: "ns-3 not installed (Debian: apt-get install libns3-dev)" };
  if (existsSync(binary) && statSync(binary).mtimeMs >= statSync(src).mtimeMs) return { path: binary, reason: '' };
  mkdirSync(outDir, { recursive: true });
  // Same flags as the reference build.sh (Debian's ns3 .pc files are broken), output kept out of git.
  const args = ['-std=c++17', '-O2', '-march=native', '-DNDEBUG', '-o', binary, src];
  for (const lib of ['applications', 'internet', 'bridge', 'csma', 'traffic-control', 'network', 'core']) args.push(`-lns3-${lib}`);
  try {
    execFileSync('g++', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (e) {
    return { path: null, reason: `building l2fabric failed: ${(e as Error).message.split('\n')[0]}` };
  }
  return { path: binary, reason: '' };
}

export type Ns3Result = Record<string, number | string>;

/**
 * Run l2fabric and parse its RESULT line. It runs under bash so `times` can report the child's
 * CPU seconds as `cpu_s` (busy machines stretch wall time; CPU time is steadier).
 */
export function runNs3(path: string, w: Workload): Ns3Result {
  const args = ['--link=simple', '--mode=raw', `--topo=${w.topo}`, `--K=${w.K}`, `--H=${w.H}`, `--N=${w.N}`];
  const out = execFileSync('bash', ['-c', '"$0" "$@"; times', path, ...args], { encoding: 'utf8', maxBuffer: 1 << 20 });
  const lines = out.split('\n');
  const line = lines.find((l) => l.startsWith('RESULT '));
  if (!line) throw new Error(`ns-3 printed no RESULT line:\n${out}`);
  const r: Ns3Result = {};
  for (const kv of line.slice(7).trim().split(/\s+/)) {
    const [k, v] = kv.split('=');
    const n = Number(v);
    r[k] = Number.isFinite(n) && v !== '' ? n : v;
  }
  // `times` prints the shell's then the children's user and system time, e.g. "0m7.404s 0m0.050s"
  const child = lines.filter((l) => /^\d+m[\d.]+s \d+m[\d.]+s$/.test(l.trim())).pop();
  if (child) {
    const secs = child
      .trim()
      .split(' ')
      .map((t) => {
        const m = /^(\d+)m([\d.]+)s$/.exec(t);
        return m ? Number(m[1]) * 60 + Number(m[2]) : 0;
      });
    r.cpu_s = Math.max(0.001, secs[0] + secs[1] - Number(r.setup_s ?? 0));
  }
  return r;
}
