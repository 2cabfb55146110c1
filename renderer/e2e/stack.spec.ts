import { expect, test, type Locator, type Page } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { centre, deviceNode, drag, edges, openApp } from './app.ts';

const nodes = (page: Page) => page.locator('.react-flow__node');
const inspector = (page: Page) => page.getByRole('complementary', { name: 'Inspector' });

async function dropAt(page: Page, kind: string, to: { x: number; y: number }): Promise<string> {
  const count = await nodes(page).count();
  const item = page.locator(`.palette-item[data-kind="${kind}"]`);
  await item.scrollIntoViewIfNeeded();
  await drag(page, await centre(item), to);
  await expect(nodes(page)).toHaveCount(count + 1);
  // A dropped device is selected, so the inspector names it.
  return inspector(page).getByLabel('Name', { exact: true }).inputValue();
}

function port(page: Page, device: string, name: string): Locator {
  return deviceNode(page, device).locator(`.port[data-port="${name}"]`);
}

test('switches dropped onto a stack become members 1 and 2, and their ports carry the member number', async ({ page }) => {
  await openApp(page);
  const name = `stack-${Date.now().toString(36)}`;
  await page.getByRole('button', { name: 'New', exact: true }).click();
  await page.getByLabel('Lab name').fill(name);
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByTestId('lab-title')).toContainText(name);

  const canvas = await page.locator('main.canvas').boundingBox();
  if (!canvas) throw new Error('no canvas');
  const stack = await dropAt(page, 'cisco-catalyst-3750-stack', { x: canvas.x + canvas.width * 0.4, y: canvas.y + canvas.height * 0.35 });
  const frame = deviceNode(page, stack);
  const box = async () => {
    const b = await frame.boundingBox();
    if (!b) throw new Error('no stack');
    return b;
  };

  // The first switch is dropped near the stack's right edge and the second near the grown stack's
  // right edge, level with the first: each lands clear of the one before, and the stack grows to hold it.
  let b = await box();
  const first = await dropAt(page, 'cisco-catalyst-3750', { x: b.x + b.width - 12, y: b.y + b.height - 12 });
  const firstBox = await deviceNode(page, first).boundingBox();
  if (!firstBox) throw new Error('no first member');
  b = await box();
  const second = await dropAt(page, 'cisco-catalyst-3750', { x: b.x + b.width - 12, y: firstBox.y + 30 });
  // Then the first is moved by its head to the stack's left edge.
  const head = await centre(deviceNode(page, first).locator('.device-head').first());
  b = await box();
  await drag(page, head, { x: b.x, y: head.y });
  const fit = async () => {
    await page.getByRole('toolbar', { name: 'Edit' }).getByRole('button', { name: 'Fit' }).click();
    await page.waitForTimeout(400);
  };
  await fit();
  await page.locator('.react-flow__controls-zoomout').click();
  await page.waitForTimeout(400);

  b = await box();
  const below = Math.min(b.y + b.height + 60, canvas.y + canvas.height - 40);
  const pc1 = await dropAt(page, 'pc', { x: b.x + 100, y: below });
  const pc2 = await dropAt(page, 'pc', { x: b.x + b.width * 0.6, y: below });
  await fit();

  // pc1 to a port of member 1 and pc2 to a port of member 2, each by dragging from the PC's port to the switch's.
  await drag(page, await centre(port(page, pc1, 'eth0')), await centre(port(page, first, 'GigabitEthernet1/0/5')));
  await expect(edges(page)).toHaveCount(1);
  await drag(page, await centre(port(page, pc2, 'eth0')), await centre(port(page, second, 'GigabitEthernet2/0/7')));
  await expect(edges(page)).toHaveCount(2);
  await expect(port(page, second, 'GigabitEthernet2/0/7')).toHaveClass(/linked/);
  await expect(port(page, first, 'GigabitEthernet1/0/5')).toHaveClass(/linked/);
  // Both links attach to ports the members have: no port chip for a name the switch lacks.
  await expect(page.locator('.port.unknown')).toHaveCount(0);
  await expect(deviceNode(page, second).locator('.port')).toHaveCount(50);
  await expect(page.getByText('No problems')).toBeVisible();
  await page.waitForTimeout(300);
  await page.screenshot({ path: test.info().outputPath('stack.png') });
  await frame.screenshot({ path: test.info().outputPath('stack-frame.png') });

  // The inspector lists member 2's ports by its member number.
  await deviceNode(page, second).locator('.device-head').first().click();
  await expect(inspector(page).locator('.ports-table')).toContainText('Gi2/0/7');
  await expect(inspector(page).locator('.section-title').filter({ hasText: 'Ports' })).toContainText('50');

  await page.getByRole('button', { name: 'Save As' }).click();
  await page.getByLabel('Lab name').fill(`${name}-saved`);
  await page.getByRole('dialog', { name: 'Save lab as' }).getByRole('button', { name: 'Save' }).click();
  await expect(page.getByLabel('Unsaved changes')).toBeHidden();

  const home = process.env.LABBOX_E2E_HOME;
  if (!home) throw new Error('LABBOX_E2E_HOME is not set');
  const file = path.join(home, 'labs', `${name}-saved.lab.yaml`);
  const lab = parse(fs.readFileSync(file, 'utf8')) as { devices: { name: string; kind: string; parent?: string; slot?: string }[]; links: { a: string; b: string }[] };
  const member = (n: string) => lab.devices.find((d) => d.parent === stack && d.slot === n)?.name;
  expect(member('1')).toBe(first);
  expect(member('2')).toBe(second);
  const ends = lab.links.flatMap((l) => [l.a, l.b]);
  expect(ends).toContain(`${first}:GigabitEthernet1/0/5`);
  expect(ends).toContain(`${second}:GigabitEthernet2/0/7`);
  expect(ends.filter((e) => e.startsWith(`${second}:`)).every((e) => /^\S+:(Gi|GigabitEthernet)2\/0\/\d+$/.test(e))).toBe(true);
});
