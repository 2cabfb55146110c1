#!/usr/bin/env node
// The `labbox` command: registers the TypeScript loader, then runs the CLI from source.
import { register } from 'tsx/esm/api';

register();
await import('../electron/host/cli/main.ts');
