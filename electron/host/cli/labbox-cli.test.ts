import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openStore } from '../store/workspace-store.ts';
import { FAKE_WORKER, tempDir } from '../test-support/host-fixtures.ts';
import { runCli, type CliIo } from './labbox-cli.ts';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const BIN = path.join(ROOT, 'bin', 'labbox.mjs');

const BROKEN = `apiVersion: labbox/v1
kind: Lab
metadata:
  name: broken lab
devices:
  - name: sw1
    kind: no-such-kind
    colour: red
links:
  - { a: sw1:Gi0/1, b: sw9:Gi0/1 }
`;

const TWO_SCENARIOS = `apiVersion: labbox/v1
kind: Lab
metadata:
  name: drills
scenarios:
  - name: short
    seed: 7
    duration: 3s
  - name: long
    duration: 1m
`;

const CHECKS = `apiVersion: labbox/v1
kind: Lab
metadata:
  name: checks
devices:
  - name: sw1
    kind: l2-switch
scenarios:
  - name: healthy
    duration: 5s
    expect:
      - { name: sw1 says up, at: 5s, cli: { on: sw1, run: echo up }, matches: up }
  - name: broken
    seed: 3
    duration: 5s
    expect:
      - { name: sw1 says down, at: 5s, cli: { on: sw1, run: echo up }, matches: down }
      - { name: sw1 says up, at: 5s, cli: { on: sw1, run: echo up }, matches: up }
`;

function labbox(args: string[], cwd: string, home: string) {
  const res = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, LABBOX_HOME: home } });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

function memoryIo(cwd: string, home: string): CliIo & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    stdout: (t: string) => void (io.out += t),
    stderr: (t: string) => void (io.err += t),
    env: { LABBOX_HOME: home },
    cwd,
  };
  return io;
}

describe('labbox CLI (spawned as a user runs it)', () => {
  const dir = tempDir('cli');
  const home = path.join(dir, 'home');
  fs.writeFileSync(path.join(dir, 'broken.lab.yaml'), BROKEN);
  fs.writeFileSync(path.join(dir, 'drills.lab.yaml'), TWO_SCENARIOS);

  it('validate: prints FILE:LINE:COL: field.path: message for every error and exits 2', () => {
    const res = labbox(['validate', 'broken.lab.yaml'], dir, home);
    expect(res.code).toBe(2);
    const lines = res.stdout.trim().split('\n');
    for (const line of lines) expect(line).toMatch(/^broken\.lab\.yaml:\d+:\d+: [\w.[\]"]+: .+$/);
    expect(lines.map((l) => l.split(': ')[1])).toEqual(['metadata.name', 'devices[0].kind', 'devices[0].colour', 'links[0].b']);
    expect(lines[0]).toMatch(/^broken\.lab\.yaml:4:9: metadata\.name: /);
  });

  it('validate: exits 0 on a valid lab and says what is in it', () => {
    const res = labbox(['validate', 'drills.lab.yaml'], dir, home);
    expect(res).toMatchObject({ code: 0, stdout: 'drills.lab.yaml: valid (0 devices, 0 links, 2 scenarios)\n' });
  });

  it('run: exits 2 on invalid input without starting anything', () => {
    expect(labbox(['run', 'broken.lab.yaml'], dir, home).code).toBe(2);
    const unknown = labbox(['run', 'drills.lab.yaml', '--scenario', 'nope'], dir, home);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no scenario "nope"; the file has: short, long');
    expect(labbox(['run', 'drills.lab.yaml', '--frobnicate'], dir, home).code).toBe(2);
    expect(labbox(['run', 'missing.lab.yaml'], dir, home)).toMatchObject({ code: 2, stderr: 'missing.lab.yaml: cannot read: no such file\n' });
  });

  it('--help and --version', () => {
    const help = labbox(['--help'], dir, home);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('labbox run FILE');
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(labbox(['--version'], dir, home)).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });
  });
});

describe('labbox run (in-process, against a stand-in network)', () => {
  it('runs every scenario, writes JSON and JUnit reports, records history, exits 0', async () => {
    const dir = tempDir('cli-run');
    const home = path.join(dir, 'home');
    fs.writeFileSync(path.join(dir, 'drills.lab.yaml'), TWO_SCENARIOS);
    const io = memoryIo(dir, home);
    const code = await runCli(['run', 'drills.lab.yaml', '--report', 'out/report.json', '--junit', 'out/junit.xml'], io, { worker: FAKE_WORKER });
    // Progress lines may appear on stderr when the machine is slow; nothing else may.
    expect(io.err.split('\n').filter((l) => l && !/ s of [\d.]+ s simulated$/.test(l))).toEqual([]);
    expect(code).toBe(0);
    expect(io.out).toContain('PASS drills / short (seed 7): 3 s simulated');
    expect(io.out).toContain('PASS drills / long (seed 1): 60 s simulated');
    const report = JSON.parse(fs.readFileSync(path.join(dir, 'out/report.json'), 'utf8')) as {
      passed: boolean;
      runs: { scenario: string; seed: number; simulatedSeconds: number; eventCounts: Record<string, number> }[];
    };
    expect(report.passed).toBe(true);
    expect(report.runs.map((r) => [r.scenario, r.seed, r.simulatedSeconds, r.eventCounts['clock.tick']])).toEqual([
      ['short', 7, 3, 3],
      ['long', 1, 60, 60],
    ]);
    const junit = fs.readFileSync(path.join(dir, 'out/junit.xml'), 'utf8');
    expect(junit).toContain('<testsuites name="labbox" tests="2" failures="0" errors="0">');
    expect(junit.match(/<testcase /g)).toHaveLength(2);
    const store = openStore(home);
    expect(store.listRuns().map((r) => [r.scenario, r.status])).toEqual([
      ['long', 'passed'],
      ['short', 'passed'],
    ]);
    store.close();
  });

  it('runs a lab without scenarios for --for, and only the named scenario with --scenario and --seed', async () => {
    const dir = tempDir('cli-for');
    const home = path.join(dir, 'home');
    fs.writeFileSync(path.join(dir, 'plain.lab.yaml'), 'apiVersion: labbox/v1\nkind: Lab\nmetadata: { name: plain }\n');
    fs.writeFileSync(path.join(dir, 'drills.lab.yaml'), TWO_SCENARIOS);
    let io = memoryIo(dir, home);
    expect(await runCli(['run', 'plain.lab.yaml', '--for', '2m'], io, { worker: FAKE_WORKER })).toBe(0);
    expect(io.out).toMatch(/^PASS plain \(seed 1\): 120 s simulated/);
    io = memoryIo(dir, home);
    expect(await runCli(['run', 'drills.lab.yaml', '--scenario', 'long', '--seed', '99'], io, { worker: FAKE_WORKER })).toBe(0);
    expect(io.out.trim().split('\n')).toHaveLength(1);
    expect(io.out).toContain('PASS drills / long (seed 99)');
    expect(await runCli(['run', 'plain.lab.yaml', '--for', 'soon'], memoryIo(dir, home), { worker: FAKE_WORKER })).toBe(2);
  });

  it('judges scenario runs by their expectations: exit 1 when any failed, 0 when all held', async () => {
    const dir = tempDir('cli-checks');
    const home = path.join(dir, 'home');
    fs.writeFileSync(path.join(dir, 'checks.lab.yaml'), CHECKS);
    let io = memoryIo(dir, home);
    expect(await runCli(['run', 'checks.lab.yaml', '--junit', 'j.xml', '--report', 'r.json'], io, { worker: FAKE_WORKER })).toBe(1);
    expect(io.out).toContain('PASS checks / healthy (seed 1): 5 s simulated');
    expect(io.out).toContain('FAIL checks / broken (seed 3): 5 s simulated');
    expect(io.out).toContain('1/2 expectations held');
    expect(io.out).toMatch(/ {2}FAIL sw1 says down \(expected output matching \/down\/, measured "up"\)/);
    const junit = fs.readFileSync(path.join(dir, 'j.xml'), 'utf8');
    expect(junit).toContain('<testsuites name="labbox" tests="3" failures="1" errors="0">');
    expect(junit).toContain('<testcase classname="checks / broken" name="sw1 says down" time="0">\n      <failure message="expected output matching /down/; measured &quot;up&quot;">');
    const report = JSON.parse(fs.readFileSync(path.join(dir, 'r.json'), 'utf8')) as { passed: boolean; runs: { scenarioReport: { passed: boolean } }[] };
    expect([report.passed, ...report.runs.map((r) => r.scenarioReport.passed)]).toEqual([false, true, false]);

    io = memoryIo(dir, home);
    expect(await runCli(['run', 'checks.lab.yaml', '--scenario', 'healthy'], io, { worker: FAKE_WORKER })).toBe(0);
    expect(io.out).toContain('1/1 expectations held');
    const store = openStore(home);
    expect(store.listRuns().map((r) => [r.scenario, r.status])).toEqual([
      ['healthy', 'passed'],
      ['broken', 'failed'],
      ['healthy', 'passed'],
    ]);
    store.close();
  });

  it('exits 1 when a run does not complete, and says why in the JUnit report', async () => {
    const dir = tempDir('cli-fail');
    fs.writeFileSync(path.join(dir, 'plain.lab.yaml'), 'apiVersion: labbox/v1\nkind: Lab\nmetadata: { name: plain }\n');
    const io = memoryIo(dir, path.join(dir, 'home'));
    const broken = { file: FAKE_WORKER.file, data: { entry: new URL('../worker/test-support/broken-run-worker.ts', import.meta.url).href } };
    expect(await runCli(['run', 'plain.lab.yaml', '--junit', 'j.xml'], io, { worker: broken })).toBe(1);
    expect(io.out).toContain('FAIL plain');
    expect(io.out).toContain('cannot build this network');
    expect(fs.readFileSync(path.join(dir, 'j.xml'), 'utf8')).toContain('<error message="cannot build this network">');
  });
});
