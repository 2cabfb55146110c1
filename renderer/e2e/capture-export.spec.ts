import { expect, test, type Page } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { readPcapng } from '../../emulator/wire/pcapng.ts';
import { decodeFrame } from '../../emulator/wire/frame.ts';
import { openApp } from './app.ts';

/**
 * The shipped basic-switching lab makes no traffic of its own after its start-up announcements,
 * so this fixture adds one scenario to it: pc1 pings pc3 across the trunk.
 */
const FIXTURE = path.resolve('renderer/e2e/capture-ping.lab.yaml');
const TRUNK = 'sw1:port24--sw2:port24';

async function dropLab(page: Page, file: string): Promise<void> {
  // Files from the desktop cannot be dragged by a synthetic mouse; the drop event carries one instead.
  const transfer = await page.evaluateHandle(
    ([name, text]) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], name, { type: 'application/yaml' }));
      return dt;
    },
    [path.basename(file), fs.readFileSync(file, 'utf8')] as const,
  );
  await page.locator('main.canvas').dispatchEvent('dragover', { dataTransfer: transfer });
  await page.locator('main.canvas').dispatchEvent('drop', { dataTransfer: transfer });
}

async function frames(page: Page): Promise<number> {
  const text = (await page.getByTestId('capture-frames').first().textContent()) ?? '';
  return Number(text.replace(/\D+/g, '') || '0');
}

async function protocols(page: Page): Promise<string[]> {
  return page.getByTestId('packet-row').evaluateAll((rows) => rows.map((r) => r.children[5]?.textContent ?? ''));
}

test('capture the trunk during a ping, filter it, read a decode tree and export a pcapng that parses', async ({ page }) => {
  test.setTimeout(60_000);
  await openApp(page);
  await dropLab(page, FIXTURE);
  await expect(page.getByTestId('lab-title')).toContainText('Capture fixture');

  await page.getByRole('tab', { name: /Captures/ }).click();
  const view = page.getByTestId('captures');
  await expect(view).toBeVisible();
  await expect(view.getByTestId('capture-run')).toContainText('Start a run');
  await expect(view.getByRole('button', { name: 'Capture', exact: true })).toBeDisabled();
  const runBar = page.getByRole('toolbar', { name: 'Run' });
  await runBar.getByLabel('Scenario').selectOption('ping-across-trunk');
  await runBar.getByRole('button', { name: '▶ Run' }).click();
  // Starting a run shows its flows; come back to the captures.
  await expect(page.getByTestId('run-state')).toContainText(/running/i);
  await page.getByRole('tab', { name: /Captures/ }).click();
  await expect(view.getByTestId('capture-run')).toContainText('running');

  // The picker offers the lab's links and cabled ports; capture the trunk.
  const picker = view.getByLabel('Capture target');
  await expect(picker.locator('option')).toHaveCount(15);
  await picker.selectOption(TRUNK);
  await view.getByRole('button', { name: 'Capture', exact: true }).click();
  await expect(view.getByTestId('capture-row')).toHaveCount(1);
  await expect(view.getByTestId('capture-row')).toContainText('sw1:port24 ↔ sw2:port24');

  // The count grows while the run goes on, and ARP then ICMP rows arrive.
  await expect.poll(() => frames(page), { timeout: 15_000 }).toBeGreaterThan(4);
  const early = await frames(page);
  await expect.poll(() => frames(page), { timeout: 10_000 }).toBeGreaterThan(early);
  await expect(view.getByTestId('packet-row').filter({ hasText: 'ICMP' }).first()).toBeVisible();
  await expect(view.getByTestId('packet-row').filter({ hasText: 'ARP' }).first()).toBeVisible();

  // Display filters, typed as a user types them.
  const filter = view.getByLabel('Display filter');
  await filter.click();
  await filter.pressSequentially('icmp && vlan.id == 10');
  await filter.press('Enter');
  await expect(view.getByTestId('capture-shown')).toContainText(/\d+ of \d+ shown/);
  await expect.poll(async () => [...new Set(await protocols(page))]).toEqual(['ICMP']);

  await filter.fill('');
  await filter.pressSequentially('arp');
  await filter.press('Enter');
  await expect.poll(async () => [...new Set(await protocols(page))]).toEqual(['ARP']);

  // A filter that cannot be read says why, under the box, and lists nothing.
  await filter.fill('');
  await filter.pressSequentially('ip.addr = 10.0.10.11');
  await expect(view.getByRole('alert')).toContainText('compare with "=="');
  await expect(filter).toHaveAttribute('aria-invalid', 'true');
  await filter.press('Enter');
  await expect(view.getByTestId('packet-row')).toHaveCount(0);

  await filter.fill('');
  await filter.pressSequentially('ip.addr == 10.0.10.13 && icmp.type == 0');
  await filter.press('Enter');
  await expect(view.getByRole('alert')).toHaveCount(0);
  await expect.poll(async () => (await protocols(page)).length).toBeGreaterThan(0);

  // Open a reply's decode tree, expand its IPv4 layer and pick the source address.
  const firstRow = view.getByTestId('packet-row').first();
  await expect(firstRow).toContainText('Echo (ping) reply');
  await firstRow.click();
  const tree = view.getByRole('tree', { name: 'Packet details' });
  await expect(tree).toContainText('802.1Q Virtual LAN');
  const ipLayer = tree.getByTestId('tree-line').filter({ hasText: /^▸Internet Protocol Version 4/ });
  await ipLayer.locator('.twisty').click();
  const source = tree.getByTestId('tree-line').filter({ hasText: /Source(?: Address)?: 10\.0\.10\.13/ });
  await expect(source).toBeVisible();
  await source.click();
  await expect(source).toHaveClass(/selected/);
  // The four bytes of the address light up in both the hex and the text columns.
  await expect(view.getByTestId('hex-dump').locator('.hex-bytes .lit')).toHaveCount(4);
  await expect(view.getByTestId('hex-dump').locator('.hex-bytes .lit')).toHaveText(['0a', '00', '0a', '0d']);

  // Screenshot of the view for the docs (small: the panel, not the whole window).
  if (process.env.LABBOX_SCREENSHOTS) await page.locator('section.bottom-panel').screenshot({ path: path.resolve('docs', 'captures.png') });

  // Keyboard: the arrow moves to the next reply further on.
  const selectedRow = view.locator('[data-testid="packet-row"][aria-selected="true"]');
  const number = async () => Number(await selectedRow.locator('span').first().textContent());
  const before = await number();
  await view.getByRole('grid', { name: 'Packets' }).press('ArrowDown');
  await expect.poll(number).toBeGreaterThan(before);
  await expect(selectedRow).toContainText('Echo (ping) reply');
  await expect(tree).toContainText(`Frame ${await number()}:`);
  // The field picked stays picked on the next frame, its bytes lit.
  await expect(tree.locator('.tree-line.selected')).toContainText('Source Address: 10.0.10.13');
  await expect(view.getByTestId('hex-dump').locator('.hex-bytes .lit')).toHaveCount(4);
  // Picking a byte picks the field behind it: byte 0x1a of a tagged frame is the IPv4 TTL.
  await view.getByTestId('hex-dump').locator('.hex-line').nth(1).locator('.hex-bytes span').nth(10).click();
  await expect(tree.locator('.tree-line.selected')).toContainText('Time to Live: 128');

  // Stop, then export: the file is named after the lab and the target and is a pcapng that parses.
  await view.getByRole('button', { name: 'Stop', exact: true }).click();
  await expect(view.getByTestId('capture-row').getByLabel('stopped')).toBeVisible();
  const kept = await frames(page);
  const downloading = page.waitForEvent('download');
  await view.getByRole('button', { name: 'Export pcapng' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('capture-ping-sw1_port24--sw2_port24.pcapng');
  const file = await download.path();
  const bytes = new Uint8Array(fs.readFileSync(file));
  expect([...bytes.subarray(0, 4)]).toEqual([0x0a, 0x0d, 0x0d, 0x0a]);
  const pcap = readPcapng(bytes);
  expect(pcap.interfaces.map((i) => i.name)).toEqual(['sw1:port24']);
  expect(pcap.packets.length).toBe(kept);
  const decoded = pcap.packets.map((p) => decodeFrame(p.data));
  expect(decoded.some((d) => d.protocol === 'ICMP' && d.frame.vlan === 10)).toBe(true);
  expect(decoded.some((d) => d.protocol === 'ARP')).toBe(true);
  expect(decoded.every((d) => d.problems.length === 0)).toBe(true);
});

test('the link inspector starts a capture on the selected link in the current run', async ({ page }) => {
  await openApp(page);
  await dropLab(page, FIXTURE);
  await expect(page.getByTestId('lab-title')).toContainText('Capture fixture');
  const inspector = page.getByRole('complementary', { name: 'Inspector' });

  // Click the pc1 link where it can be seen: a point along its line that no device covers.
  const spot = await page.locator('.react-flow__edge[data-id="link-1"]').evaluate((g) => {
    const line = g.querySelector('path.react-flow__edge-path');
    if (!(line instanceof SVGPathElement)) return null;
    const ctm = line.getScreenCTM();
    if (!ctm) return null;
    const length = line.getTotalLength();
    for (let i = 1; i < 40; i++) {
      const p = line.getPointAtLength((length * i) / 40).matrixTransform(ctm);
      const hit = document.elementFromPoint(p.x, p.y);
      if (hit && g.contains(hit)) return { x: p.x, y: p.y };
    }
    return null;
  });
  expect(spot, 'some part of the link is visible').not.toBeNull();
  await page.mouse.click(spot?.x ?? 0, spot?.y ?? 0);
  await expect(inspector.locator('.inspector-title')).toHaveText('Link');
  const capture = inspector.getByRole('button', { name: 'Capture' });
  await expect(capture).toBeDisabled();

  await page.getByRole('toolbar', { name: 'Run' }).getByRole('button', { name: '▶ Run' }).click();
  await expect(capture).toBeEnabled();
  await capture.click();
  await expect(page.getByRole('tab', { name: /Captures/ })).toHaveAttribute('aria-selected', 'true');
  const row = page.getByTestId('captures').getByTestId('capture-row');
  await expect(row).toContainText('pc1:eth0 ↔ sw1:port1');
  await expect(row.getByLabel('capturing')).toBeVisible();
});
