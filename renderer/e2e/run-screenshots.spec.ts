import { expect, test } from '@playwright/test';
import path from 'node:path';
import { openApp, openLabFromDialog, readLabFacts } from './app.ts';

/** Pictures of the run views for the docs; each step also checks what the picture is meant to show. */
test('screenshots: a scenario run mid-way, its report, and a switch console', async ({ page }) => {
  test.setTimeout(120_000);
  await openApp(page);
  await openLabFromDialog(page, readLabFacts(path.resolve('labs/nlb-live-migration.lab.yaml')).title);
  const bar = page.getByRole('toolbar', { name: 'Run' });
  await bar.getByLabel('Scenario').selectOption('unicast');
  await bar.getByLabel('Speed').selectOption({ label: '×10' });
  await bar.getByRole('button', { name: /Run/ }).click();
  // Past the live migration at 20 s, while the web stream is broken.
  await expect.poll(async () => Number.parseFloat(await page.getByTestId('run-clock').innerText()), { timeout: 60_000, intervals: [100] }).toBeGreaterThan(25);
  await bar.getByRole('button', { name: /Pause/ }).click();
  await expect(page.getByTestId('run-state')).toHaveText('Paused');
  await expect(page.getByTestId('flow-row')).toHaveCount(3);
  await page.screenshot({ path: 'docs/run-view.png' });

  await bar.getByLabel('Speed').selectOption({ label: 'As fast as possible' });
  await bar.getByRole('button', { name: 'Resume' }).click();
  await expect(page.getByTestId('run-state')).toHaveText('Finished', { timeout: 60_000 });
  await expect(page.getByTestId('run-report')).toBeVisible();
  await page.screenshot({ path: 'docs/run-report.png' });

  // The cluster's box overlaps sw1 in this layout, so the double-click goes to sw1 itself.
  await page.getByTestId('device-sw1').dispatchEvent('dblclick');
  const term = page.getByTestId('terminal-sw1');
  await expect(term).toContainText('Connected to sw1 console.');
  await term.click();
  await page.keyboard.type('enable');
  await page.keyboard.press('Enter');
  await page.keyboard.type('show bridge address-table');
  await page.keyboard.press('Enter');
  await expect(term).toContainText('Aging time');
  await page.keyboard.type('show ?');
  await expect(term).toContainText('bridge');
  await page.screenshot({ path: 'docs/console.png' });
});
