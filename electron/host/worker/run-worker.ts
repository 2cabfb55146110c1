import { createLabRun } from '../../../emulator/run/index.ts';
import { serveRun } from './serve-run.ts';

/** A run worker: one running lab, on the engine, in its own thread. */
serveRun(createLabRun);
