import { defineConfig } from 'electron-vite';

/**
 * Bundles the Electron main process (plus the run worker it starts) and the preload. Both are
 * emitted as CommonJS `.cjs`: with `"type": "module"` electron-vite would emit an ESM preload,
 * and Electron runs ESM preloads only with the sandbox off. The renderer is built separately
 * (`vite build --config renderer/vite.config.ts` → out/renderer), shared with the browser shell.
 */
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // better-sqlite3 (native), ws, yaml, zod… stay in node_modules; electron-builder ships them.
      externalizeDeps: true,
      rollupOptions: {
        input: {
          main: 'electron/main.ts',
          'run-worker': 'electron/host/worker/run-worker.ts',
        },
        output: { format: 'cjs', entryFileNames: '[name].cjs', chunkFileNames: 'chunks/[name]-[hash].cjs' },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // A sandboxed preload cannot require() anything but electron: bundle it whole.
      externalizeDeps: false,
      rollupOptions: {
        input: { preload: 'electron/preload.ts' },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
});
