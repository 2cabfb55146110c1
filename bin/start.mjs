#!/usr/bin/env node
// `npm start`: the desktop app when the Electron runtime is installed; otherwise the same UI in
// the browser, served by the browser shell (same host services, same workspace).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

function electronBinary() {
  try {
    // The electron package exports the path of its binary, and throws when the download was skipped.
    const binary = require('electron');
    return typeof binary === 'string' && fs.existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();
if (binary) {
  const npmCli = process.env.npm_execpath;
  const build = npmCli
    ? spawnSync(process.execPath, [npmCli, 'run', 'build'], { cwd: root, stdio: 'inherit' })
    : spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (build.status !== 0) process.exit(build.status ?? 1);
  const child = spawn(binary, [root, ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  const port = process.env.LABBOX_PORT ?? '4780';
  process.stdout.write(
    `The Electron runtime is not installed on this machine, so LabBox is opening in your browser instead: http://127.0.0.1:${port}/\n`,
  );
  const { register } = await import('tsx/esm/api');
  register();
  const { runCli } = await import('../electron/host/cli/labbox-cli.ts');
  // The sentence above already carries the URL; the server's own line would repeat it.
  let announced = port === '0';
  const code = await runCli(['web', '--port', port, '--open'], {
    stdout: (t) => {
      if (!announced && t.startsWith('LabBox is running at ')) announced = true;
      else process.stdout.write(t);
    },
    stderr: (t) => process.stderr.write(t),
    env: process.env,
    cwd: process.cwd(),
  });
  process.exitCode = code;
}
