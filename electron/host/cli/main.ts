import { runCli } from './labbox-cli.ts';

/** The `labbox` command (bin/labbox.mjs loads this once tsx is registered). */
const code = await runCli(process.argv.slice(2), {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  env: process.env,
  cwd: process.cwd(),
  stderrIsTty: process.stderr.isTTY === true,
});
process.exitCode = code;
