import { serveRun } from './serve-run.ts';
import { createFakeLabRun } from './test-support/fake-lab-run.ts';

// Placeholder until the engine's createLabRun lands.
serveRun(createFakeLabRun);
