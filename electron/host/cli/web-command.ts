import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { HostError } from '../services/host-error.ts';
import { APP_ROOT, HostServices } from '../services/host-services.ts';
import type { WorkerEntry } from '../services/run-manager.ts';
import { DEFAULT_PORT, startWebServer } from '../server/web-server.ts';
import type { CliIo } from './labbox-cli.ts';

export const RENDERER_OUT = path.join(APP_ROOT, 'out', 'renderer');
const RENDERER_SRC = path.join(APP_ROOT, 'renderer');

function newestMtime(dir: string): number {
  let newest = 0;
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    if (e.name === 'node_modules' || e.name.startsWith('.') || e.name === 'e2e') continue;
    const full = path.join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestMtime(full));
    else if (e.isFile()) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

/**
 * In a source checkout, (re)builds the renderer when its build is missing or older than its
 * sources, so `npm run web` always serves what is in the tree. A packaged install has no
 * sources and no vite, and serves what it shipped.
 */
export function ensureRendererBuilt(io: CliIo): void {
  const config = path.join(RENDERER_SRC, 'vite.config.ts');
  const vite = path.join(APP_ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  if (!fs.existsSync(config) || !fs.existsSync(vite)) return;
  const index = path.join(RENDERER_OUT, 'index.html');
  const builtAt = fs.existsSync(index) ? fs.statSync(index).mtimeMs : 0;
  // The renderer bundles the host contract and parts of the emulator (lab format, catalog).
  const sourcesAt = Math.max(
    newestMtime(RENDERER_SRC),
    newestMtime(path.join(APP_ROOT, 'emulator')),
    fs.statSync(path.join(APP_ROOT, 'electron', 'host', 'contract.ts')).mtimeMs,
  );
  if (builtAt > sourcesAt) return;
  io.stderr(builtAt ? 'Rebuilding the LabBox UI (its sources changed)…\n' : 'Building the LabBox UI (first run)…\n');
  const result = spawnSync(process.execPath, [vite, 'build', '--config', config, '--logLevel', 'warn'], { cwd: APP_ROOT, encoding: 'utf8' });
  if (result.stdout) io.stderr(result.stdout);
  if (result.stderr) io.stderr(result.stderr);
  if (result.status !== 0) io.stderr('The UI build failed; the page will say so. Fix the error above and run again.\n');
}

/** Opens the page in the desktop's browser when there is a desktop; silently does nothing otherwise. */
export function openInBrowser(url: string, env: Record<string, string | undefined>): void {
  const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  if (process.platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) return;
  try {
    const child = spawn(opener, [url], { detached: true, stdio: 'ignore' });
    child.on('error', () => {});
    child.unref();
  } catch {
    // No opener on this machine: the URL is printed, which is enough.
  }
}

export interface ServeWebOptions {
  io: CliIo;
  port: number | undefined;
  open: boolean;
  worker?: WorkerEntry;
  onServing?: (stop: () => Promise<void>) => void;
  /** Skip the build check (the caller has just built). */
  skipBuild?: boolean;
}

/** Serves the browser shell until interrupted; prints its URL on one line. */
export async function serveWeb(options: ServeWebOptions): Promise<number> {
  const { io } = options;
  if (!options.skipBuild) ensureRendererBuilt(io);
  const services = HostServices.forNode({
    transport: 'websocket',
    env: io.env,
    ...(options.worker ? { worker: options.worker } : {}),
    onStoreError: (err) => io.stderr(`labbox: the workspace store could not be opened, so history, recent labs and autosave are off: ${err.message}\n`),
  });
  const port = options.port ?? DEFAULT_PORT;
  let server;
  try {
    server = await startWebServer({ api: services, port, rendererDir: RENDERER_OUT });
  } catch (err) {
    await services.dispose();
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new HostError('conflict', `port ${port} is already in use (is LabBox already running?); choose another with --port N, or --port 0 for any free port`);
    }
    throw err;
  }
  io.stdout(`LabBox is running at ${server.url}\n`);
  if (options.open) openInBrowser(server.url, io.env);

  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = async () => {
      if (stopping) return;
      stopping = true;
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      await server.close();
      await services.dispose();
      resolve(0);
    };
    const onSignal = () => void stop();
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    options.onServing?.(stop);
  });
}
