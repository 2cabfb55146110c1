import { serveRun } from '../serve-run.ts';

serveRun(() => {
  throw new Error('cannot build this network');
});
