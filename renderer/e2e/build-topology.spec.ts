import { expect, test } from '@playwright/test';
import { centre, deviceNode, drag, edges, openApp } from './app.ts';

test('a device dragged from the palette onto a new lab appears on the canvas, and linked port to port, saved and reopened', async ({ page }) => {
  await openApp(page);
  await page.getByRole('button', { name: 'New', exact: true }).click();
  const name = `e2e-${Date.now().toString(36)}`;
  await page.getByLabel('Lab name').fill(name);
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByTestId('lab-title')).toContainText(name);
  await expect(page.locator('.react-flow__node')).toHaveCount(0);

  const item = page.locator('.palette-item').first();
  const kind = await item.getAttribute('data-kind');
  expect(kind).toBeTruthy();
  const canvas = await page.locator('main.canvas').boundingBox();
  if (!canvas) throw new Error('no canvas');

  await drag(page, await centre(item), { x: canvas.x + canvas.width * 0.35, y: canvas.y + canvas.height * 0.4 });
  await expect(page.locator('.react-flow__node')).toHaveCount(1);
  const firstName = await page.locator('.react-flow__node .device-name').first().textContent();
  expect(firstName).toMatch(/^[a-z]+1$/);
  await expect(page.getByRole('complementary', { name: 'Inspector' }).getByLabel('Name', { exact: true })).toHaveValue(firstName ?? '');
  await expect(page.getByLabel('Unsaved changes')).toBeVisible();

  // A second drop of the same kind gets the next free name.
  await drag(page, await centre(item), { x: canvas.x + canvas.width * 0.7, y: canvas.y + canvas.height * 0.45 });
  await expect(page.locator('.react-flow__node')).toHaveCount(2);
  const secondName = firstName?.replace(/1$/, '2') ?? '';
  await expect(deviceNode(page, secondName)).toBeVisible();

  // Moving a device with the mouse moves it on the canvas.
  const node = deviceNode(page, secondName);
  const before = await node.boundingBox();
  const head = await centre(node.locator('.device-head'));
  await drag(page, head, { x: head.x - 40, y: head.y + 90 });
  const after = await node.boundingBox();
  expect(after && before && after.y - before.y).toBeGreaterThan(60);

  // Draw a link port to port: from the first device's first port to the second's last port of the same medium.
  const fromPort = deviceNode(page, firstName ?? '').locator('.port').first();
  const medium = /medium-(\w+)/.exec((await fromPort.getAttribute('class')) ?? '')?.[1];
  const toPort = deviceNode(page, secondName).locator(medium ? `.port.medium-${medium}` : '.port').last();
  const fromName = await fromPort.getAttribute('data-port');
  const toName = await toPort.getAttribute('data-port');
  await drag(page, await centre(fromPort), await centre(toPort));
  await expect(edges(page)).toHaveCount(1);
  await expect(fromPort).toHaveClass(/linked/);
  await expect(toPort).toHaveClass(/linked/);

  // The same port cannot take a second link: refused with the reason, nothing drawn.
  const otherPort = deviceNode(page, secondName).locator('.port').first();
  await drag(page, await centre(fromPort), await centre(otherPort));
  await expect(page.locator('.notice.error').last()).toContainText('already linked');
  await expect(edges(page)).toHaveCount(1);

  // Nor can a copper port be joined to an SFP port, when the kind has both.
  const copper = deviceNode(page, firstName ?? '').locator('.port.medium-copper:not(.linked)').first();
  const sfp = deviceNode(page, secondName).locator('.port.medium-sfp:not(.linked)').first();
  if ((await copper.count()) > 0 && (await sfp.count()) > 0) {
    await drag(page, await centre(copper), await centre(sfp));
    await expect(page.locator('.notice.error').last()).toContainText('cannot join a copper port');
    await expect(edges(page)).toHaveCount(1);
  }

  await page.getByRole('button', { name: 'Save As' }).click();
  await page.getByLabel('Lab name').fill(`${name}-saved`);
  await page.getByRole('dialog', { name: 'Save lab as' }).getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('lab-title')).toContainText(`${name}-saved.lab.yaml`);
  await expect(page.getByLabel('Unsaved changes')).toBeHidden();

  // Reopen it from the library: both devices come back, where they were left.
  await page.getByRole('button', { name: 'Open', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Open lab' });
  const row = dialog.getByTestId('lab-row').filter({ hasText: `${name}-saved` }).first();
  await expect(row).toContainText('2 devices');
  await row.click();
  await expect(page.locator('.react-flow__node')).toHaveCount(2);
  await expect(deviceNode(page, firstName ?? '')).toBeVisible();
  await expect(deviceNode(page, secondName)).toBeVisible();
  await expect(edges(page)).toHaveCount(1);
  await expect(deviceNode(page, firstName ?? '').locator(`.port[data-port="${fromName}"]`)).toHaveClass(/linked/);
  await expect(deviceNode(page, secondName).locator(`.port[data-port="${toName}"]`)).toHaveClass(/linked/);
});
