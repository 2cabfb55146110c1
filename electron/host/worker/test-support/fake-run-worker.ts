import { serveRun } from '../serve-run.ts';
import { createFakeLabRun } from './fake-lab-run.ts';

serveRun(createFakeLabRun);
