import { expect, test, type Page } from '@playwright/test';
import path from 'node:path';
import { openApp, openLabFromDialog, readLabFacts } from './app.ts';

const NLB_LAB = path.resolve('labs/nlb-live-migration.lab.yaml');

/** Milliseconds on a clock readout ("12.400 s" or "1:05.200"): what the user reads, to the millisecond. */
function readMs(text: string): number {
  const m = /^(?:(\d+):)?(\d+)\.(\d{3})/.exec(text.split('/')[0]!.trim());
  if (!m) throw new Error(`unreadable clock: ${text}`);
  return (Number(m[1] ?? 0) * 60 + Number(m[2])) * 1000 + Number(m[3]);
}

const clockMs = async (page: Page): Promise<number> => readMs(await page.getByTestId('run-clock').innerText());

/** How many rows the timeline holds ("12 events"). */
async function timelineCount(page: Page): Promise<number> {
  const text = await page.locator('.timeline-tools .muted').first().innerText();
  return Number(/^(\d+) events/.exec(text)?.[1] ?? Number.NaN);
}

test('step sizes move the simulated clock by exactly that much, and Next event pauses on the next event the timeline lists', async ({ page }) => {
  test.setTimeout(60_000);
  await openApp(page);
  await openLabFromDialog(page, readLabFacts(NLB_LAB).title);
  const bar = page.getByRole('toolbar', { name: 'Run' });
  await bar.getByLabel('Scenario').selectOption('unicast');
  await bar.getByLabel('Speed').selectOption({ label: 'Real time' });
  await bar.getByRole('button', { name: /Run/ }).click();
  await expect(page.getByTestId('run-state')).toHaveText('Running');
  await bar.getByRole('button', { name: /Pause/ }).click();
  await expect(page.getByTestId('run-state')).toHaveText('Paused');

  const step = bar.getByRole('button', { name: /^Step/ });
  await expect(step).toHaveText('Step 1 s');
  for (const [label, ms] of [
    ['100 ms', 100],
    ['10 ms', 10],
    ['100 ms', 100],
    ['1 s', 1000],
  ] as const) {
    await bar.getByLabel('Step size').selectOption({ label });
    await expect(step).toHaveText(`Step ${label}`);
    const before = await clockMs(page);
    await step.click();
    await expect.poll(() => clockMs(page)).toBe(before + ms);
    await expect(page.getByTestId('run-state')).toHaveText('Paused');
  }

  // Next event: the clock stops on the time of the first new timeline row, and stays paused there.
  await page.getByRole('tab', { name: /Timeline/ }).click();
  const next = bar.getByRole('button', { name: 'Next event' });
  for (let i = 0; i < 3; i++) {
    const before = await clockMs(page);
    const rowsBefore = await timelineCount(page);
    await next.click();
    await expect(page.getByTestId('step-note')).toBeVisible();
    await expect(page.getByTestId('run-state')).toHaveText('Paused');
    const after = await clockMs(page);
    expect(after).toBeGreaterThan(before);
    const added = (await timelineCount(page)) - rowsBefore;
    expect(added).toBeGreaterThan(0);
    const newRows = page.getByTestId('timeline-row');
    const times = (await newRows.locator('.t').allInnerTexts()).slice(-added).map(readMs);
    expect(times.every((t) => t === after)).toBe(true);
    // The note names the event the step stopped on: the first of the new rows.
    const kinds = await newRows.locator('.kind').allInnerTexts();
    await expect(page.getByTestId('step-note')).toContainText(kinds.at(-added)!);
  }
  await bar.screenshot({ path: test.info().outputPath('run-bar-after-next-event.png') });

  // A step can be asked of a running run: it pauses first, then steps.
  await bar.getByRole('button', { name: 'Resume' }).click();
  await expect(page.getByTestId('run-state')).toHaveText('Running');
  await bar.getByLabel('Step size').selectOption({ label: '10 s' });
  await step.click();
  await expect(page.getByTestId('run-state')).toHaveText('Paused');
  await expect(page.getByTestId('step-note')).toHaveCount(0);
});
