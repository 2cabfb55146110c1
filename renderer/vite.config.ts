import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Resolved from this file rather than the working directory, so `vite build --config
// renderer/vite.config.ts` works from the repo root and from anywhere else.
const here = new URL('.', import.meta.url).pathname;

export default defineConfig({
  root: here,
  // Relative asset URLs: Electron loads the build from file:// and the browser shell from /.
  base: './',
  plugins: [react()],
  build: {
    outDir: new URL('../out/renderer', import.meta.url).pathname,
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
  },
  server: { host: '127.0.0.1' },
});
