import { expect, test } from '@playwright/test';
import path from 'node:path';
import { deviceNode, openApp, openLabFromDialog, readLabFacts } from './app.ts';

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

const inside = (inner: Box, outer: Box) => inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.width <= outer.x + outer.width + 0.5 && inner.y + inner.height <= outer.y + outer.height + 0.5;
const overlaps = (a: Box, b: Box) => a.x < b.x + b.width - 0.5 && b.x < a.x + a.width - 0.5 && a.y < b.y + b.height - 0.5 && b.y < a.y + a.height - 0.5;

test('Layout arranges a lab with containers: what a container holds stays inside it, and nothing overlaps', async ({ page }) => {
  const facts = readLabFacts(path.resolve('labs/nlb-live-migration.lab.yaml'));
  await openApp(page);
  await openLabFromDialog(page, facts.title);
  await expect(page.locator('.react-flow__node')).toHaveCount(facts.devices.length);
  await page.getByRole('toolbar', { name: 'Edit' }).getByRole('button', { name: 'Layout' }).click();
  // Laying out is one edit: the lab now has unsaved changes, and one undo takes it all back.
  await expect(page.getByRole('button', { name: 'Save', exact: true })).toBeEnabled();
  await page.waitForTimeout(500);

  const box = async (name: string): Promise<Box> => {
    const b = await deviceNode(page, name).boundingBox();
    if (!b) throw new Error(`${name} is not drawn`);
    return b;
  };
  const parentOf: Record<string, string> = { hv1: 'cl1', hv2: 'cl1', web1: 'hv1', app1: 'hv1', web2: 'hv2', app2: 'hv2' };
  for (const [child, parent] of Object.entries(parentOf)) expect(inside(await box(child), await box(parent)), `${child} inside ${parent}`).toBe(true);
  // Siblings at every level are apart.
  const groups = [facts.devices.filter((d) => !(d in parentOf)), ['hv1', 'hv2'], ['web1', 'app1'], ['web2', 'app2']];
  for (const g of groups) {
    const boxes = await Promise.all(g.map(box));
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) expect(overlaps(boxes[i], boxes[j]), `${g[i]} and ${g[j]} overlap`).toBe(false);
  }
  // The switch feeds the cluster from above.
  const sw = await box('sw1');
  expect(sw.y + sw.height).toBeLessThanOrEqual((await box('cl1')).y);
  await page.screenshot({ path: test.info().outputPath('auto-layout.png') });

  const before = await box('web1');
  await page.getByRole('toolbar', { name: 'Edit' }).getByRole('button', { name: 'Undo' }).click();
  await expect(page.getByRole('button', { name: 'Save', exact: true })).toBeDisabled();
  await page.waitForTimeout(300);
  expect(await box('web1')).not.toEqual(before);
});
