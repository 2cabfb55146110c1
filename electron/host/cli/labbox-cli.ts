import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Lab } from '../../../emulator/lab/schema.ts';
import { HostError } from '../services/host-error.ts';
import { HostServices, packageVersion } from '../services/host-services.ts';
import { formatLabError, parseDuration, parseLab } from '../services/lab-codec.ts';
import { junitXml, type RunReport } from '../services/run-report.ts';
import type { WorkerEntry } from '../services/run-manager.ts';
import { serveWeb } from './web-command.ts';

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Record<string, string | undefined>;
  cwd: string;
  /** True when stderr is a terminal (progress can redraw one line). */
  stderrIsTty?: boolean;
}

export interface CliOptions {
  /** Which run worker to start (tests use a stand-in network). */
  worker?: WorkerEntry;
  /** Called once `labbox web` is serving, with a function that shuts it down. */
  onServing?: (stop: () => Promise<void>) => void;
  /** Serve the renderer build as it is, without checking it against its sources. */
  skipUiBuild?: boolean;
}

/** Exit codes: the CLI contract other tools rely on. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_INVALID = 2;

const HELP = `LabBox: a lab-in-a-box for data-center networks.

Usage:
  labbox validate FILE...            check lab files; exit 0 when valid, 2 when not
  labbox run FILE [options]          run a lab headless; exit 0 when every expectation
                                     held, 1 when any failed, 2 on invalid input
      --scenario NAME                run this scenario (default: every scenario in the file)
      --seed N                       seed for the run (default: the scenario's, else 1)
      --for DURATION                 how long to run a lab without scenarios (default 10s)
      --report OUT.json              write the run report as JSON
      --junit OUT.xml                write a JUnit XML report (one testcase per expectation)
  labbox web [--port N]              serve the LabBox UI on http://127.0.0.1:N/
                                     (default 4780, or $LABBOX_PORT; 0 picks a free port)
  labbox --help | --version

Errors in lab files are printed one per line as FILE:LINE:COL: field.path: message.
The workspace (run history, your labs) is in $LABBOX_HOME, else the XDG data folder.
`;

class UsageError extends Error {}

export async function runCli(argv: readonly string[], io: CliIo, options: CliOptions = {}): Promise<number> {
  try {
    const [command, ...rest] = argv;
    if (command === undefined) {
      io.stderr(HELP);
      return EXIT_INVALID;
    }
    if (command === '--help' || command === '-h' || command === 'help') {
      io.stdout(HELP);
      return EXIT_OK;
    }
    if (command === '--version' || command === '-v') {
      io.stdout(`${packageVersion()}\n`);
      return EXIT_OK;
    }
    if (command === 'validate') return validateCommand(rest, io);
    if (command === 'run') return await runCommand(rest, io, options);
    if (command === 'web') return await webCommand(rest, io, options);
    throw new UsageError(`unknown command "${command}"`);
  } catch (err) {
    if (err instanceof UsageError || (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS'))) {
      io.stderr(`labbox: ${err.message}\nRun "labbox --help" for usage.\n`);
      return EXIT_INVALID;
    }
    throw err;
  }
}

function readLabFile(file: string, io: CliIo): string | null {
  try {
    const abs = path.resolve(io.cwd, file);
    if (fs.statSync(abs).isDirectory()) throw new Error('it is a folder');
    return fs.readFileSync(abs, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : err instanceof Error ? err.message : String(err);
    io.stderr(`${file}: cannot read: ${reason}\n`);
    return null;
  }
}

/** Parses a file, printing its errors; null when it is not a valid lab. */
function loadLab(file: string, io: CliIo): { lab: Lab; text: string } | null {
  const text = readLabFile(file, io);
  if (text === null) return null;
  const parsed = parseLab(file, text);
  if (!parsed.ok) {
    for (const e of parsed.errors) io.stdout(`${formatLabError(e)}\n`);
    return null;
  }
  return { lab: parsed.lab, text };
}

function validateCommand(args: string[], io: CliIo): number {
  const { positionals } = parseArgs({ args, allowPositionals: true, strict: true, options: {} });
  if (positionals.length === 0) throw new UsageError('validate needs a lab file');
  let ok = true;
  for (const file of positionals) {
    const loaded = loadLab(file, io);
    if (!loaded) {
      ok = false;
      continue;
    }
    const { lab } = loaded;
    // Fixed wording (no singulars) so scripts can read the counts with one pattern.
    io.stdout(`${file}: valid (${lab.devices.length} devices, ${lab.links.length} links, ${lab.scenarios.length} scenarios)\n`);
  }
  return ok ? EXIT_OK : EXIT_INVALID;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function parseSeed(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) > 2 ** 32 - 1) throw new UsageError(`--seed must be a whole number from 0 to ${2 ** 32 - 1}, not "${text}"`);
  return Number(text);
}

function parseFor(text: string | undefined): number {
  if (text === undefined) return 10e9;
  let ns: number;
  try {
    ns = parseDuration(/^\d+(\.\d+)?$/.test(text) ? Number(text) : text);
  } catch (err) {
    throw new UsageError(`--for: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (ns <= 0) throw new UsageError('--for must be longer than zero');
  return ns;
}

interface PlannedRun {
  scenario: string | null;
  seed: number;
  forNs: number;
}

async function runCommand(args: string[], io: CliIo, options: CliOptions): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      scenario: { type: 'string' },
      seed: { type: 'string' },
      for: { type: 'string' },
      report: { type: 'string' },
      junit: { type: 'string' },
    },
  });
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'run needs a lab file' : 'run takes one lab file');
  const file = positionals[0]!;
  const seed = parseSeed(values.seed);
  const forNs = parseFor(values.for);

  const loaded = loadLab(file, io);
  if (!loaded) return EXIT_INVALID;
  const { lab, text } = loaded;

  const plan: PlannedRun[] = [];
  if (values.scenario !== undefined) {
    const s = lab.scenarios.find((x) => x.name === values.scenario);
    if (!s) {
      const names = lab.scenarios.map((x) => x.name);
      io.stderr(`${file}: no scenario "${values.scenario}"; ${names.length ? `the file has: ${names.join(', ')}` : 'the file has none'}\n`);
      return EXIT_INVALID;
    }
    plan.push({ scenario: s.name, seed: seed ?? s.seed ?? 1, forNs: s.duration !== undefined ? parseDuration(s.duration) : forNs });
  } else if (lab.scenarios.length > 0) {
    for (const s of lab.scenarios) plan.push({ scenario: s.name, seed: seed ?? s.seed ?? 1, forNs: s.duration !== undefined ? parseDuration(s.duration) : forNs });
  } else {
    plan.push({ scenario: null, seed: seed ?? 1, forNs });
  }

  const services = HostServices.forNode({
    transport: 'websocket',
    env: io.env,
    ...(options.worker ? { worker: options.worker } : {}),
    onStoreError: (err) => io.stderr(`labbox: run history is off: ${err.message}\n`),
  });
  const reports: RunReport[] = [];
  try {
    const labPath = path.resolve(io.cwd, file);
    for (const p of plan) reports.push(await runOne(services, io, { labPath, text, lab, ...p }));
  } finally {
    await services.dispose();
  }

  for (const r of reports) printResult(r, io);
  const passed = reports.every((r) => r.passed);
  if (values.report !== undefined) {
    const doc = { lab: lab.metadata.name, file, passed, runs: reports };
    writeOutput(path.resolve(io.cwd, values.report), `${JSON.stringify(doc, null, 2)}\n`);
  }
  if (values.junit !== undefined) writeOutput(path.resolve(io.cwd, values.junit), junitXml(reports));
  return passed ? EXIT_OK : EXIT_FAILED;
}

function writeOutput(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

async function runOne(
  services: HostServices,
  io: CliIo,
  p: PlannedRun & { labPath: string; text: string; lab: Lab },
): Promise<RunReport> {
  const label = `${p.lab.metadata.name}${p.scenario ? ` / ${p.scenario}` : ''}`;
  const info = await services.startRun({
    text: p.text,
    file: p.labPath,
    seed: p.seed,
    speed: 0,
    forSeconds: p.forNs / 1e9,
    ...(p.scenario ? { scenario: p.scenario } : {}),
  });
  let lastProgress: number | null = null;
  let printed = false;
  const unsubscribe = services.onRunEvents((batch) => {
    if (batch.runId !== info.runId || batch.state !== 'running') return;
    const wall = Date.now();
    // Quiet for short runs; a line a second for long ones, so CI logs show it is alive.
    if (lastProgress === null || wall - lastProgress < 1000) {
      lastProgress ??= wall;
      return;
    }
    lastProgress = wall;
    printed = true;
    const end = batch.endTime ?? p.forNs;
    const line = `${label}: ${(batch.now / 1e9).toFixed(1)} s of ${(end / 1e9).toFixed(1)} s simulated`;
    io.stderr(io.stderrIsTty ? `\r${line}\x1b[K` : `${line}\n`);
  });
  try {
    const report = await services.runFinished(info.runId);
    if (io.stderrIsTty && printed) io.stderr('\r\x1b[K');
    return report;
  } finally {
    unsubscribe();
  }
}

function printResult(r: RunReport, io: CliIo): void {
  const label = `${r.lab}${r.scenario ? ` / ${r.scenario}` : ''}`;
  const verdict = r.passed ? 'PASS' : 'FAIL';
  const held = r.expectations.filter((e) => e.status === 'pass').length;
  const expectations = r.expectations.length ? `, ${held}/${r.expectations.length} expectations held` : '';
  io.stdout(
    `${verdict} ${label} (seed ${r.seed}): ${r.simulatedSeconds} s simulated, ${plural(r.eventsExecuted, 'event')} executed, ${plural(r.events.length + r.eventsOmitted, 'notable event')}${expectations}\n`,
  );
  const mark = { pass: 'ok  ', fail: 'FAIL', error: 'ERR ', skipped: 'skip' } as const;
  for (const e of r.expectations) {
    const measured = e.measured ? ` (expected ${e.expected ?? '?'}, measured ${e.measured})` : '';
    io.stdout(`  ${mark[e.status]} ${e.name}${measured}${e.status !== 'pass' && e.message ? `: ${e.message.split('\n')[0]}` : ''}\n`);
  }
  if (r.state !== 'done') io.stdout(`  the run ended as ${r.state}${r.error ? `: ${r.error}` : ''}\n`);
}

async function webCommand(args: string[], io: CliIo, options: CliOptions): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, strict: true, options: { port: { type: 'string' }, open: { type: 'boolean' } } });
  if (positionals.length > 0) throw new UsageError(`web takes no file (got "${positionals[0]}")`);
  const portText = values.port ?? io.env.LABBOX_PORT;
  let port: number | undefined;
  if (portText !== undefined) {
    if (!/^\d+$/.test(portText) || Number(portText) > 65535) throw new UsageError(`the port must be a number from 0 to 65535, not "${portText}"`);
    port = Number(portText);
  }
  try {
    return await serveWeb({
      io,
      port,
      open: values.open ?? false,
      skipBuild: options.skipUiBuild ?? false,
      ...(options.worker ? { worker: options.worker } : {}),
      ...(options.onServing ? { onServing: options.onServing } : {}),
    });
  } catch (err) {
    if (err instanceof HostError) {
      io.stderr(`labbox: ${err.message}\n`);
      return EXIT_FAILED;
    }
    throw err;
  }
}
