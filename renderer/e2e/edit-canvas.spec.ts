import { expect, test, type Page } from '@playwright/test';
import { centre, deviceNode, drag, edges, openApp } from './app.ts';

const nodes = (page: Page) => page.locator('.react-flow__node');

async function newLab(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: 'New', exact: true }).click();
  await page.getByLabel('Lab name').fill(name);
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByTestId('lab-title')).toContainText(name);
}

async function dropKind(page: Page, kind: string, fx: number, fy: number): Promise<void> {
  const item = page.locator(`.palette-item[data-kind="${kind}"]`);
  await item.scrollIntoViewIfNeeded();
  const canvas = await page.locator('main.canvas').boundingBox();
  if (!canvas) throw new Error('no canvas');
  await drag(page, await centre(item), { x: canvas.x + canvas.width * fx, y: canvas.y + canvas.height * fy });
}

test('build from the palette, link ports, undo and redo, copy and paste, delete, save and reopen', async ({ page }) => {
  await openApp(page);
  const name = `edit-${Date.now().toString(36)}`;
  await newLab(page, name);
  await dropKind(page, 'cisco-catalyst-2960', 0.3, 0.3);
  await expect(nodes(page)).toHaveCount(1);
  await dropKind(page, 'pc', 0.3, 0.75);
  await expect(nodes(page)).toHaveCount(2);
  const sw = (await nodes(page).nth(0).locator('.device-name').textContent()) ?? '';
  const pc = (await nodes(page).nth(1).locator('.device-name').textContent()) ?? '';

  // Link the PC's port to the switch's first copper port.
  await drag(page, await centre(deviceNode(page, pc).locator('.port').first()), await centre(deviceNode(page, sw).locator('.port.medium-copper').first()));
  await expect(edges(page)).toHaveCount(1);

  // Undo takes the link away, redo puts it back; the toolbar and the keyboard do the same.
  await page.getByRole('toolbar', { name: 'Edit' }).getByRole('button', { name: 'Undo' }).click();
  await expect(edges(page)).toHaveCount(0);
  await page.getByRole('toolbar', { name: 'Edit' }).getByRole('button', { name: 'Redo' }).click();
  await expect(edges(page)).toHaveCount(1);
  await page.locator('.react-flow__pane').click({ position: { x: 30, y: 300 } });
  await page.keyboard.press('Control+z');
  await expect(edges(page)).toHaveCount(0);
  await page.keyboard.press('Control+Shift+Z');
  await expect(edges(page)).toHaveCount(1);
  await page.keyboard.press('Control+z');
  await page.keyboard.press('Control+y');
  await expect(edges(page)).toHaveCount(1);

  // Shift-click selects both devices; copy and paste brings two renamed devices and the link between them.
  await deviceNode(page, sw).locator('.device-head').click();
  await deviceNode(page, pc).locator('.device-head').click({ modifiers: ['Shift'] });
  await expect(page.getByTestId('multi-selection')).toContainText('2 items selected');
  await page.keyboard.press('Control+c');
  await page.keyboard.press('Control+v');
  await expect(nodes(page)).toHaveCount(4);
  await expect(edges(page)).toHaveCount(2);
  const swCopy = sw.replace(/\d+$/, '2');
  const pcCopy = pc.replace(/\d+$/, '2');
  await expect(deviceNode(page, swCopy)).toBeVisible();
  await expect(deviceNode(page, pcCopy)).toBeVisible();
  // The pasted pair lands offset from the originals, not on top of them.
  const a = await deviceNode(page, sw).boundingBox();
  const b = await deviceNode(page, swCopy).boundingBox();
  expect(a && b && Math.abs(b.x - a.x) + Math.abs(b.y - a.y)).toBeGreaterThan(10);

  // Delete removes the pasted devices (still selected) with their link; undo brings them back.
  await page.keyboard.press('Delete');
  await expect(nodes(page)).toHaveCount(2);
  await expect(edges(page)).toHaveCount(1);
  await page.keyboard.press('Control+z');
  await expect(nodes(page)).toHaveCount(4);
  await page.keyboard.press('Control+z');
  await expect(nodes(page)).toHaveCount(2);

  // Box select (shift-drag on the empty canvas) picks up both devices.
  const canvas = await page.locator('main.canvas').boundingBox();
  if (!canvas) throw new Error('no canvas');
  await page.keyboard.down('Shift');
  await drag(page, { x: canvas.x + 60, y: canvas.y + 60 }, { x: canvas.x + canvas.width - 200, y: canvas.y + canvas.height - 20 });
  await page.keyboard.up('Shift');
  await expect(page.getByTestId('multi-selection')).toContainText(`${sw}, ${pc}`);

  // Auto-layout and the shortcut help.
  await page.getByRole('toolbar', { name: 'Edit' }).getByRole('button', { name: 'Layout' }).click();
  await expect(nodes(page)).toHaveCount(2);
  await page.getByRole('button', { name: 'Keyboard shortcuts' }).click();
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toContainText('Undo');
  await page.screenshot({ path: test.info().outputPath('edit-canvas.png') });

  // Save, close (open another lab) and reopen: the devices and the link come back.
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Save As' }).click();
  await page.getByLabel('Lab name').fill(`${name}-saved`);
  await page.getByRole('dialog', { name: 'Save lab as' }).getByRole('button', { name: 'Save' }).click();
  await expect(page.getByLabel('Unsaved changes')).toBeHidden();
  await newLab(page, `${name}-other`);
  await expect(nodes(page)).toHaveCount(0);
  await page.getByRole('button', { name: /Recent/ }).click();
  await page.getByRole('menu', { name: 'Recent labs' }).getByRole('menuitem', { name, exact: true }).click();
  await expect(nodes(page)).toHaveCount(2);
  await expect(edges(page)).toHaveCount(1);
  await expect(deviceNode(page, sw)).toBeVisible();
});

test('a device dropped onto a cluster goes inside it and moves with it', async ({ page }) => {
  await openApp(page);
  await newLab(page, `cont-${Date.now().toString(36)}`);
  await dropKind(page, 'hyperv-cluster', 0.35, 0.35);
  await expect(nodes(page)).toHaveCount(1);
  const cluster = (await nodes(page).first().locator('.device-name').textContent()) ?? '';
  const frame = deviceNode(page, cluster);
  const box = await frame.boundingBox();
  if (!box) throw new Error('no cluster');
  const item = page.locator('.palette-item[data-kind="hyperv-host"]');
  await item.scrollIntoViewIfNeeded();
  await drag(page, await centre(item), { x: box.x + box.width / 2, y: box.y + box.height - 30 });
  await expect(nodes(page)).toHaveCount(2);
  const host = (await nodes(page).nth(1).locator('.device-name').textContent()) ?? '';
  await expect(page.locator('.react-flow__node').filter({ has: page.getByTestId(`device-${host}`) })).toBeVisible();

  // Moving the cluster by its head carries the host along.
  const before = await deviceNode(page, host).boundingBox();
  const head = await centre(frame.locator('.device-head').first());
  await drag(page, head, { x: head.x + 120, y: head.y + 60 });
  const after = await deviceNode(page, host).boundingBox();
  expect(before && after && after.x - before.x).toBeGreaterThan(80);
  await page.screenshot({ path: test.info().outputPath('containers.png') });
});
