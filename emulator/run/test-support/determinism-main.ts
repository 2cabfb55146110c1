import { eventLogHash } from './determinism.ts';

// Run in a child process by the determinism test: prints the event-log hash for a seed.
const seed = Number(process.argv[2] ?? '1');
console.log(JSON.stringify(eventLogHash(seed)));
