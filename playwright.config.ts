import { chromium, defineConfig } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * End-to-end tests drive the real browser shell (`labbox web`) in Chromium, as a user would.
 * The workspace is a fresh temporary folder for every run, so no test sees another run's labs.
 */
// LABBOX_E2E_PORT lets two checkouts run their suites side by side on one machine.
const PORT = Number(process.env.LABBOX_E2E_PORT ?? 4791);

// The config is evaluated again in each worker; they inherit this from the runner's environment.
process.env.LABBOX_E2E_HOME ??= fs.mkdtempSync(path.join(os.tmpdir(), 'labbox-e2e-'));

/** Playwright's own Chromium when it was downloaded, else the system's (Debian `chromium`). */
function launchOptions(): { executablePath?: string; args?: string[] } {
  let own = '';
  try {
    own = chromium.executablePath();
  } catch {
    own = '';
  }
  if (own && fs.existsSync(own)) return {};
  const system = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((p) => fs.existsSync(p));
  if (!system) throw new Error('No Chromium found: run `npx playwright install chromium` or install the system package `chromium`.');
  return {
    executablePath: system,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  };
}

export default defineConfig({
  testDir: 'renderer/e2e',
  outputDir: 'test-results',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: process.env.CI ? 'line' : 'list',
  timeout: 30_000,
  expect: { timeout: 7_000 },
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    headless: true,
    viewport: { width: 1280, height: 800 },
    launchOptions: launchOptions(),
    trace: 'retain-on-failure',
  },
  webServer: {
    command: `node bin/labbox.mjs web --port ${PORT}`,
    url: `http://127.0.0.1:${PORT}/`,
    env: { LABBOX_HOME: process.env.LABBOX_E2E_HOME },
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
