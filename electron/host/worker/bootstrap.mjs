// Worker threads start as plain Node: register the TypeScript loader in this thread, then load
// the worker named by the host. (The packaged Electron app bundles the worker as JS instead.)
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
