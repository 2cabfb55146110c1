import { expect, test, type Page } from '@playwright/test';
import path from 'node:path';
import { openApp, openLabFromDialog, readLabFacts } from './app.ts';

const NLB_LAB = path.resolve('labs/nlb-live-migration.lab.yaml');
const FIXTURE = path.resolve('renderer/e2e/fixtures/campus-consoles.lab.yaml');

const runBar = (page: Page) => page.getByRole('toolbar', { name: 'Run' });

/** Seconds on the run clock ("12.400 s" or "1:05.200"). */
async function clockSeconds(page: Page): Promise<number> {
  const text = (await page.getByTestId('run-clock').innerText()).split('/')[0]!.trim();
  const m = /^(?:(\d+):)?(\d+)\.(\d+)/.exec(text.replace(' s', ''));
  if (!m) throw new Error(`unreadable clock: ${text}`);
  return Number(m[1] ?? 0) * 60 + Number(m[2]) + Number(m[3]) / 1000;
}

async function importFixture(page: Page): Promise<void> {
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Import' }).click()]);
  await chooser.setFiles(FIXTURE);
  await expect(page.getByTestId('lab-title')).toContainText(readLabFacts(FIXTURE).title);
}

test('a shipped scenario runs flat out to its report: outage and loss per flow, and every expectation judged', async ({ page }) => {
  test.setTimeout(120_000);
  const lab = readLabFacts(NLB_LAB);
  await openApp(page);
  await openLabFromDialog(page, lab.title);
  const bar = runBar(page);
  await bar.getByLabel('Scenario').selectOption('unicast');
  await bar.getByLabel('Speed').selectOption({ label: 'As fast as possible' });
  await bar.getByRole('button', { name: /Run/ }).click();

  await expect(page.getByTestId('run-state')).toHaveText('Finished', { timeout: 100_000 });
  await expect(page.getByTestId('run-clock')).toContainText('40.000 s / 40.000 s');
  await expect(page.getByRole('tab', { name: 'Report' })).toHaveAttribute('aria-selected', 'true');
  const report = page.getByTestId('run-report');
  await expect(report.getByTestId('verdict')).toContainText(/PASSED|FAILED/);
  const table = report.getByRole('table', { name: 'Outage per flow' });
  const rows = table.getByTestId('outage-row');
  await expect(rows).toHaveCount(3);
  // The pings to the VIPs get through; the web stream is what the unicast move breaks.
  const cells = async (flow: string) => rows.filter({ hasText: flow }).locator('td').allInnerTexts();
  const vip10 = await cells('vip10');
  expect(Number(vip10[1])).toBeGreaterThan(100);
  expect(vip10[2]).toBe('0');
  const web = await cells('web');
  expect(Number(web[2])).toBeGreaterThan(0);
  expect(web[4]).toMatch(/\d+(\.\d+)? s/);
  const judged = report.getByTestId('expectation');
  expect(await judged.count()).toBeGreaterThan(5);
  await expect(report.locator('[data-testid="expectation"][data-status="pending"]')).toHaveCount(0);

  // The flow strips stay for reading after the run, one per flow.
  await page.getByRole('tab', { name: 'Flows' }).click();
  await expect(page.getByTestId('flow-row')).toHaveCount(3);
  await expect(page.getByTestId('strip-vip10')).toBeVisible();
  await page.getByRole('tab', { name: /Timeline/ }).click();
  await expect(page.getByTestId('timeline-row').filter({ hasText: 'scenario.' }).first()).toBeVisible();
});

test('pause, step and stop: the clock moves one second per step, and a pulled cable shows red while it is out', async ({ page }) => {
  await openApp(page);
  await importFixture(page);
  const bar = runBar(page);
  await bar.getByLabel('Scenario').selectOption('cable-pull');
  await bar.getByLabel('Speed').selectOption({ label: 'Real time' });
  await bar.getByRole('button', { name: /Run/ }).click();
  await expect(page.getByTestId('run-state')).toHaveText('Running');
  await bar.getByRole('button', { name: /Pause/ }).click();
  await expect(page.getByTestId('run-state')).toHaveText('Paused');
  const before = await clockSeconds(page);
  expect(before).toBeLessThan(3);
  await expect(page.getByTestId('run-clock')).toContainText('/ 12.000 s');

  const step = bar.getByRole('button', { name: /Step/ });
  // Past the pull at 4 s, before the cable goes back at 7 s.
  for (let i = 0; i < 5; i++) {
    await step.click();
    await expect.poll(() => clockSeconds(page)).toBeCloseTo(before + i + 1, 2);
  }
  const pc2Link = page.locator('.react-flow__edge[data-id="link-1"] path.react-flow__edge-path');
  await expect(pc2Link).toHaveClass(/run-down/);
  await expect(page.locator('.react-flow__edge[data-id="link-0"] path.react-flow__edge-path')).toHaveClass(/run-up/);
  await page.getByRole('tab', { name: 'Flows' }).click();
  await expect(page.getByTestId('flow-row')).toContainText(/\d+ lost/);
  await expect(page.getByTestId('expectation').first()).toHaveAttribute('data-status', 'pending');

  await page.getByRole('tab', { name: /Timeline/ }).click();
  await expect(page.getByTestId('timeline-row').filter({ hasText: 'link.down' })).toHaveCount(1);

  await bar.getByRole('button', { name: /Stop/ }).click();
  await expect(page.getByTestId('run-state')).toHaveText('Stopped');
  await expect(page.getByRole('tab', { name: 'Report' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('run-report').getByTestId('verdict')).toContainText('FAILED');
});

test('a free run of the basic lab counts up its own duration and says it finished', async ({ page }) => {
  await openApp(page);
  await openLabFromDialog(page, readLabFacts(path.resolve('labs/basic-switching.lab.yaml')).title);
  const bar = runBar(page);
  await expect(bar.getByLabel('Scenario')).toHaveValue('');
  await bar.getByLabel('Free run seconds').fill('20');
  await bar.getByLabel('Speed').selectOption({ label: 'As fast as possible' });
  await bar.getByRole('button', { name: /Run/ }).click();
  await expect(page.getByTestId('run-state')).toHaveText('Finished', { timeout: 20_000 });
  await expect(page.getByTestId('run-clock')).toContainText('20.000 s / 20.000 s');
  await page.getByRole('tab', { name: 'Report' }).click();
  await expect(page.getByTestId('run-summary')).toContainText('Free run finished at 20.000 s');
});
