import { serveRun } from './serve-run.ts';

// The engine's createLabRun (emulator/run) is wired in here once it exists; until then a run
// fails with a clear reason instead of pretending to simulate.
serveRun(() => {
  throw new Error('this build has no network engine yet (emulator/run createLabRun is missing)');
});
