import { expect, test, type Locator, type Page } from '@playwright/test';
import path from 'node:path';
import { deviceNode, openApp, readLabFacts } from './app.ts';

const FIXTURE = path.resolve('renderer/e2e/fixtures/campus-consoles.lab.yaml');

async function importFixture(page: Page): Promise<void> {
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Import' }).click()]);
  await chooser.setFiles(FIXTURE);
  await expect(page.getByTestId('lab-title')).toContainText(readLabFacts(FIXTURE).title);
}

/** What the terminal shows, one string per screen row. */
async function screen(term: Locator): Promise<string[]> {
  return term.locator('.xterm-rows > div').allInnerTexts();
}

test('a console on a Catalyst before any run: show mac address-table pages at --More--, then shows the rest', async ({ page }) => {
  await openApp(page);
  await importFixture(page);
  await deviceNode(page, 'cat1').locator('.device-head').dblclick();
  await expect(page.getByRole('tab', { name: /Console/ })).toHaveAttribute('aria-selected', 'true');
  const term = page.getByTestId('terminal-cat1');
  await expect(term).toContainText('Connected to cat1 console.');
  await expect(term).toContainText('cat1>');
  // Consoles work on a network that waits at time zero.
  await expect(page.getByTestId('run-state')).toHaveText('Paused');

  await term.click();
  await page.keyboard.type('show mac address-table');
  await page.keyboard.press('Enter');
  await expect(term).toContainText('--More--');
  expect((await screen(term)).join('\n')).toMatch(/All\s+0180\.c200\.000\w\s+STATIC\s+CPU/);
  // The table's head has scrolled above a short panel; the wheel brings it back, as in any terminal.
  await term.hover();
  await expect
    .poll(async () => {
      await page.mouse.wheel(0, -600);
      return (await screen(term)).join('\n');
    })
    .toMatch(/Mac Address Table[\s\S]*Vlan\s+Mac Address\s+Type\s+Ports[\s\S]*All\s+0100\.0ccc\.cccc\s+STATIC\s+CPU/);
  await page.mouse.wheel(0, 2000);
  await page.keyboard.press('Space');
  await expect(term).toContainText('Total Mac Addresses for this criterion');
  const rows = await screen(term);
  expect(rows.some((r) => r.includes('--More--'))).toBe(false);
  expect(rows.filter((r) => r.trim() !== '').at(-1)?.trim()).toBe('cat1>');
});

test('console keys: Tab completes, ? answers at once and keeps the line, the up arrow recalls', async ({ page }) => {
  await openApp(page);
  await importFixture(page);
  // The right-click menu is the other way in.
  await deviceNode(page, 'cat1').locator('.device-head').click({ button: 'right' });
  await page.getByRole('menuitem', { name: 'Open console on cat1' }).click();
  const term = page.getByTestId('terminal-cat1');
  await expect(term).toContainText('cat1>');
  await term.click();

  await page.keyboard.type('sh ver');
  await page.keyboard.press('Tab');
  await expect(term).toContainText('cat1>sh version');
  await page.keyboard.type('| ?');
  // Help comes without Enter, and the line is typed again after the prompt.
  await expect(term).toContainText('include');
  await expect.poll(async () => (await screen(term)).filter((r) => r.trim() !== '').at(-1)?.trim()).toBe('cat1>sh version |');
  await page.keyboard.type('include IOS');
  await page.keyboard.press('Enter');
  await expect(term).toContainText('Cisco IOS Software');

  await page.keyboard.press('ArrowUp');
  await expect.poll(async () => (await screen(term)).filter((r) => r.trim() !== '').at(-1)?.trim()).toBe('cat1>sh version | include IOS');
});

test('a console opened before a run follows the network once the run starts, and still answers after it ends', async ({ page }) => {
  await openApp(page);
  await importFixture(page);
  await deviceNode(page, 'cat1').locator('.device-head').dblclick();
  const term = page.getByTestId('terminal-cat1');
  await expect(term).toContainText('cat1>');
  const bar = page.getByRole('toolbar', { name: 'Run' });
  await bar.getByLabel('Free run seconds').fill('5');
  await bar.getByLabel('Speed').selectOption({ label: 'As fast as possible' });
  await bar.getByRole('button', { name: /Run/ }).click();
  await expect(page.getByTestId('run-state')).toHaveText('Finished', { timeout: 20_000 });
  await page.getByRole('tab', { name: /Console/ }).click();
  await term.click();
  await page.keyboard.type('show mac address-table dynamic');
  await page.keyboard.press('Enter');
  // The PCs have spoken by now, so their MACs are learnt on their ports.
  await expect(term).toContainText(/0200\.0000\.0011\s+DYNAMIC\s+Gi1\/0\/1/);
});
