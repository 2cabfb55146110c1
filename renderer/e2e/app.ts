import { expect, type Locator, type Page } from '@playwright/test';
import fs from 'node:fs';
import { parse } from 'yaml';

/** What a test needs to know about a lab file, read from the file itself so the test follows it. */
export interface LabFacts {
  title: string;
  devices: string[];
  links: { a: string; b: string }[];
}

export function readLabFacts(file: string): LabFacts {
  const lab = parse(fs.readFileSync(file, 'utf8')) as {
    metadata: { name: string; title?: string };
    devices?: { name: string }[];
    links?: { a: string; b: string }[];
  };
  return {
    title: lab.metadata.title ?? lab.metadata.name,
    devices: (lab.devices ?? []).map((d) => d.name),
    links: (lab.links ?? []).map((l) => ({ a: l.a, b: l.b })),
  };
}

export async function openApp(page: Page): Promise<void> {
  await page.goto('/');
  await expect(page.getByTestId('connection')).toHaveText('Host connected');
}

export async function openLabFromDialog(page: Page, title: string): Promise<void> {
  await page.getByRole('button', { name: 'Open', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Open lab' });
  await expect(dialog).toBeVisible();
  await dialog.getByTestId('lab-row').filter({ hasText: title }).first().click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('lab-title')).toContainText(title);
}

export function deviceNode(page: Page, name: string): Locator {
  return page.locator('.react-flow__node').filter({ has: page.getByTestId(`device-${name}`) });
}

export function edges(page: Page): Locator {
  return page.locator('.react-flow__edge');
}

/** A real pointer drag: press, move in several steps (React Flow and HTML drag need intermediate moves), release. */
export async function drag(page: Page, from: { x: number; y: number }, to: { x: number; y: number }): Promise<void> {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(from.x + 8, from.y + 4, { steps: 2 });
  await page.mouse.move(to.x, to.y, { steps: 12 });
  await page.mouse.up();
}

export async function centre(locator: Locator): Promise<{ x: number; y: number }> {
  const box = await locator.boundingBox();
  if (!box) throw new Error('element is not visible');
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}
