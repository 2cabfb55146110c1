import { expect, test } from '@playwright/test';
import path from 'node:path';
import { deviceNode, openApp, openLabFromDialog, readLabFacts } from './app.ts';

/**
 * Documentation screenshots, not a check: run on purpose with
 *   LABBOX_SCREENSHOTS=1 npx playwright test screenshots
 * They write docs/screenshot.png (light) and docs/screenshot-dark.png.
 */
test.skip(!process.env.LABBOX_SCREENSHOTS, 'documentation screenshots are taken on request only');

const LAB_FILE = path.resolve('labs/nlb-live-migration.lab.yaml');

for (const theme of ['light', 'dark'] as const) {
  test(`main view with a lab open, ${theme}`, async ({ page }) => {
    const lab = readLabFacts(LAB_FILE);
    await page.addInitScript((t) => localStorage.setItem('labbox.theme', t), theme);
    await openApp(page);
    await openLabFromDialog(page, lab.title);
    const selected = 'sw1';
    await deviceNode(page, selected).locator('.device-head').click();
    await expect(page.getByRole('complementary', { name: 'Inspector' }).getByLabel('Name', { exact: true })).toHaveValue(selected);
    await page.mouse.move(0, 400);
    await page.screenshot({ path: path.resolve('docs', theme === 'light' ? 'screenshot.png' : 'screenshot-dark.png') });
  });
}
