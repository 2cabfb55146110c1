import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FAKE_WORKER, tempDir } from '../test-support/host-fixtures.ts';
import { runCli, type CliIo } from './labbox-cli.ts';

function io(home: string): CliIo & { out: string; err: string } {
  const x = {
    out: '',
    err: '',
    stdout: (t: string) => void (x.out += t),
    stderr: (t: string) => void (x.err += t),
    env: { LABBOX_HOME: home },
    cwd: home,
  };
  return x;
}

/** Starts `labbox web` in-process: `serving` settles once it serves (or has given up). */
function serve(args: string[], home: string) {
  const out = io(home);
  let stop: () => Promise<void> = async () => {};
  let served: () => void = () => {};
  const serving = new Promise<void>((resolve) => (served = resolve));
  const exit = runCli(['web', ...args], out, {
    worker: FAKE_WORKER,
    skipUiBuild: true,
    onServing: (s) => {
      stop = s;
      served();
    },
  });
  void exit.then(() => served());
  return { out, serving, exit, stop: () => stop() };
}

describe('labbox web', () => {
  it('prints the URL on one line and serves until stopped', async () => {
    const home = path.join(tempDir('web'), 'home');
    const a = serve(['--port', '0'], home);
    await a.serving;
    expect(a.out.out).toMatch(/^LabBox is running at http:\/\/127\.0\.0\.1:\d+\/\n$/);
    const url = a.out.out.trim().split(' ').at(-1)!;
    const res = await fetch(url);
    expect([200, 503]).toContain(res.status);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");

    const port = new URL(url).port;
    const b = serve(['--port', port], home);
    expect(await b.exit).toBe(1);
    expect(b.out.err).toContain(`port ${port} is already in use`);

    await a.stop();
    expect(await a.exit).toBe(0);
  });

  it('refuses a port that is not a port', async () => {
    const home = path.join(tempDir('web-port'), 'home');
    const out = io(home);
    expect(await runCli(['web', '--port', 'http'], out, { skipUiBuild: true })).toBe(2);
    expect(out.err).toContain('the port must be a number from 0 to 65535');
  });
});
