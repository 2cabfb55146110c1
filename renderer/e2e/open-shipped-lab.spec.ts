import { expect, test } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { deviceNode, edges, openApp, openLabFromDialog, readLabFacts } from './app.ts';

const LAB_FILE = path.resolve('labs/basic-switching.lab.yaml');

test('a shipped lab opened from the Open dialog shows its devices where the file puts them, and its links', async ({ page }) => {
  const lab = readLabFacts(LAB_FILE);
  expect(lab.devices.length).toBeGreaterThan(1);
  await openApp(page);

  await page.getByRole('button', { name: 'Open', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Open lab' });
  await expect(dialog.getByRole('heading', { name: 'Shipped labs' })).toBeVisible();
  await expect(dialog.getByTestId('lab-row').filter({ hasText: lab.title })).toContainText(`${lab.devices.length} devices`);
  await dialog.getByRole('button', { name: 'Close' }).click();

  await openLabFromDialog(page, lab.title);
  for (const name of lab.devices) {
    const node = deviceNode(page, name);
    await expect(node).toBeVisible();
    await expect(node.locator('.device-name')).toHaveText(name);
  }
  await expect(edges(page)).toHaveCount(lab.links.length);
  // Each link is drawn between the two devices it names.
  for (const [i, l] of lab.links.entries()) {
    const edge = page.locator(`.react-flow__edge[data-id="link-${i}"]`);
    await expect(edge).toBeAttached();
    await expect(edge.locator('path').first()).toHaveAttribute('d', /^M [-\d.]+,[-\d.]+ L [-\d.]+,[-\d.]+$/);
    expect(l.a.split(':')[0]).not.toBe(l.b.split(':')[0]);
  }
  // Every device is inside the visible canvas: the view was fitted to the lab.
  const canvas = await page.locator('main.canvas').boundingBox();
  for (const name of lab.devices) {
    const box = await deviceNode(page, name).boundingBox();
    expect(box && canvas && box.x >= canvas.x && box.y >= canvas.y && box.x + box.width <= canvas.x + canvas.width).toBeTruthy();
  }
  await expect(page.getByRole('tab', { name: /Problems/ })).toBeVisible();
  await expect(page.getByText('No problems')).toBeVisible();
});

test('selecting a device on the canvas shows it in the inspector, and a link shows its two ends', async ({ page }) => {
  const lab = readLabFacts(LAB_FILE);
  await openApp(page);
  await openLabFromDialog(page, lab.title);
  const first = lab.devices[0];
  await deviceNode(page, first).locator('.device-head').click();
  const inspector = page.getByRole('complementary', { name: 'Inspector' });
  await expect(inspector.getByLabel('Name', { exact: true })).toHaveValue(first);

  const link = lab.links[0];
  // Click the link where it can be seen: a point along its line that no device covers.
  const spot = await page.locator('.react-flow__edge[data-id="link-0"]').evaluate((g) => {
    const path = g.querySelector('path.react-flow__edge-path');
    if (!(path instanceof SVGPathElement)) return null;
    const ctm = path.getScreenCTM();
    if (!ctm) return null;
    const length = path.getTotalLength();
    for (let i = 1; i < 40; i++) {
      const p = path.getPointAtLength((length * i) / 40).matrixTransform(ctm);
      const hit = document.elementFromPoint(p.x, p.y);
      if (hit && g.contains(hit)) return { x: p.x, y: p.y };
    }
    return null;
  });
  expect(spot, 'some part of the first link is visible').not.toBeNull();
  const mid = spot ?? { x: 0, y: 0 };
  await page.mouse.click(mid.x, mid.y);
  await expect(inspector.locator('.inspector-title')).toHaveText('Link');
  await expect(inspector.locator('.link-ends')).toContainText(link.a.split(':')[0]);
  await expect(inspector.locator('.link-ends')).toContainText(link.b.split(':')[0]);
});

test('Export downloads the lab file exactly as it is on disk', async ({ page }) => {
  const lab = readLabFacts(LAB_FILE);
  await openApp(page);
  await openLabFromDialog(page, lab.title);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export' }).click()]);
  expect(download.suggestedFilename()).toBe('basic-switching.lab.yaml');
  const saved = await download.path();
  expect(fs.readFileSync(saved, 'utf8')).toBe(fs.readFileSync(LAB_FILE, 'utf8'));
});
