import { expect, test, type Page } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { openApp } from './app.ts';

/**
 * A 2,000-device lab: opened, drawn, panned and zoomed while every animation frame is timed. The
 * figures are printed rather than asserted, because a shared CI machine can be slow for reasons
 * that have nothing to do with the canvas; the test asserts only that the lab draws completely.
 */

const CORES = 4;
const ACCESS = 100;
const PCS = 1896;
const PCS_PER_SWITCH = 19;
const DEVICES = CORES + ACCESS + PCS;

function largeLab(name: string): { text: string; links: number } {
  const out: string[] = ['apiVersion: labbox/v1', 'kind: Lab', 'metadata:', `  name: ${name}`, `  title: Perf ${DEVICES} devices`, 'devices:'];
  const links: string[] = [];
  for (let c = 0; c < CORES; c++) out.push(`  - { name: core${c + 1}, kind: cisco-catalyst-3750, position: { x: ${c * 2500 + 6000}, y: 0 } }`);
  for (let a = 0; a < ACCESS; a++) {
    out.push(`  - { name: acc${a + 1}, kind: cisco-catalyst-2960, position: { x: ${a * 260}, y: 600 } }`);
    links.push(`  - { a: acc${a + 1}:Gi1/0/24, b: core${(a % CORES) + 1}:Gi1/0/${Math.floor(a / CORES) + 1} }`);
  }
  for (let p = 0; p < PCS; p++) {
    const sw = Math.floor(p / PCS_PER_SWITCH);
    const k = p % PCS_PER_SWITCH;
    out.push(`  - { name: pc${p + 1}, kind: pc, position: { x: ${sw * 260 + (k % 2) * 120}, y: ${900 + Math.floor(k / 2) * 90} } }`);
    links.push(`  - { a: pc${p + 1}:eth0, b: acc${sw + 1}:Gi1/0/${k + 1} }`);
  }
  out.push('links:', ...links, '');
  return { text: out.join('\n'), links: links.length };
}

interface FrameStats {
  frames: number;
  p50: number;
  p95: number;
  max: number;
}

async function startFrameClock(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __frames: number[]; __frameRun: boolean };
    w.__frames = [];
    w.__frameRun = true;
    let last = performance.now();
    const tick = (t: number) => {
      w.__frames.push(t - last);
      last = t;
      if (w.__frameRun) requestAnimationFrame(tick);
    };
    requestAnimationFrame((t) => {
      last = t;
      requestAnimationFrame(tick);
    });
  });
}

async function stopFrameClock(page: Page): Promise<FrameStats> {
  const frames = await page.evaluate(() => {
    const w = window as unknown as { __frames: number[]; __frameRun: boolean };
    w.__frameRun = false;
    return w.__frames;
  });
  const sorted = [...frames].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { frames: frames.length, p50: at(0.5), p95: at(0.95), max: sorted[sorted.length - 1] ?? 0 };
}

// Trace snapshots copy the whole DOM at every action, which would time the recorder, not the canvas.
test.use({ trace: 'off' });

const fmt = (s: FrameStats) => `${s.frames} frames, p50 ${s.p50.toFixed(1)} ms, p95 ${s.p95.toFixed(1)} ms, max ${s.max.toFixed(1)} ms`;

test('a 2,000-device lab opens, draws completely, and pans and zooms (figures printed)', async ({ page }) => {
  test.setTimeout(180_000);
  const home = process.env.LABBOX_E2E_HOME;
  if (!home) throw new Error('LABBOX_E2E_HOME is not set');
  const name = `perf-${Date.now().toString(36)}`;
  const lab = largeLab(name);
  fs.mkdirSync(path.join(home, 'labs'), { recursive: true });
  fs.writeFileSync(path.join(home, 'labs', `${name}.lab.yaml`), lab.text);

  await openApp(page);
  await page.getByRole('button', { name: 'Open', exact: true }).click();
  const row = page.getByRole('dialog', { name: 'Open lab' }).getByTestId('lab-row').filter({ hasText: name }).first();
  await expect(row).toBeVisible({ timeout: 30_000 });

  // The clock starts at the click itself and stops at the first frame in which every device and link is on screen:
  // either as React Flow nodes, or drawn on the zoomed-out overview, which says how many of each it drew.
  await page.evaluate(
    ({ devices, links }) => {
      const w = window as unknown as { __drawn: Promise<number> };
      w.__drawn = new Promise((resolve) => {
        document.addEventListener(
          'click',
          () => {
            const t0 = performance.now();
            const poll = () => {
              const n = document.querySelectorAll('.react-flow__node').length;
              const e = document.querySelectorAll('.react-flow__edge').length;
              const o = document.querySelector<HTMLElement>('[data-testid="overview"]')?.dataset;
              const drawn = (n >= devices && e >= links) || (Number(o?.devices) >= devices && Number(o?.links) >= links);
              if (drawn) resolve(performance.now() - t0);
              else requestAnimationFrame(poll);
            };
            requestAnimationFrame(poll);
          },
          { capture: true, once: true },
        );
      });
    },
    { devices: DEVICES, links: lab.links },
  );
  await row.click();
  const drawMs = await page.evaluate(() => (window as unknown as { __drawn: Promise<number> }).__drawn);
  console.log(`[perf] ${DEVICES} devices, ${lab.links} links: open+draw ${drawMs.toFixed(0)} ms`);
  const overview = page.getByTestId('overview');
  await expect(overview).toHaveAttribute('data-devices', String(DEVICES));
  await expect(overview).toHaveAttribute('data-links', String(lab.links));
  await page.screenshot({ path: test.info().outputPath('perf-large-lab.png') });

  const pane = await page.locator('.react-flow__pane').boundingBox();
  if (!pane) throw new Error('no pane');
  const cx = pane.x + pane.width / 2;
  const cy = pane.y + pane.height / 2;

  // Pan the whole lab back and forth with the mouse.
  await startFrameClock(page);
  for (let i = 0; i < 3; i++) {
    await page.mouse.move(cx, cy);
    await page.mouse.down();
    await page.mouse.move(cx + 300, cy + 120, { steps: 30 });
    await page.mouse.move(cx - 300, cy - 120, { steps: 60 });
    await page.mouse.move(cx, cy, { steps: 30 });
    await page.mouse.up();
  }
  const panAll = await stopFrameClock(page);

  // Zoom in with the wheel until the devices show their ports, then pan there.
  await startFrameClock(page);
  for (let i = 0; i < 24; i++) {
    await page.mouse.move(cx, cy);
    await page.mouse.wheel(0, -120);
  }
  const zoomIn = await stopFrameClock(page);
  await page.waitForTimeout(300);
  // Zoomed in, a drag that starts on a device moves it: each drag grabs the background between devices instead.
  const emptyNear = (x: number, y: number) =>
    page.evaluate(
      (c) => {
        for (let r = 0; r < 300; r += 6)
          for (let a = 0; a < 16; a++) {
            const px = c.x + r * Math.cos((a * Math.PI) / 8);
            const py = c.y + r * Math.sin((a * Math.PI) / 8);
            if (document.elementFromPoint(px, py)?.classList.contains('react-flow__pane')) return { x: px, y: py };
          }
        return null;
      },
      { x, y },
    );
  await startFrameClock(page);
  for (let i = 0; i < 4; i++) {
    const dir = i % 2 === 0 ? 1 : -1;
    const grab = await emptyNear(cx - dir * 200, cy - dir * 100);
    if (!grab) throw new Error('no empty background to pan by');
    await page.mouse.move(grab.x, grab.y);
    await page.mouse.down();
    await page.mouse.move(grab.x + dir * 400, grab.y + dir * 200, { steps: 40 });
    await page.mouse.up();
  }
  const panClose = await stopFrameClock(page);

  // Zoom out and back in with the wheel while devices stay close enough to show their ports.
  await startFrameClock(page);
  for (const dy of [120, 120, 120, 120, -120, -120, -120, -120, 120, 120, -120, -120]) {
    await page.mouse.move(cx, cy);
    await page.mouse.wheel(0, dy);
  }
  const zoomClose = await stopFrameClock(page);
  // Zoomed in, the devices are real nodes again: their ports can be linked and they can be dragged.
  await expect(overview).toHaveCount(0);
  await expect(page.locator('.react-flow__node').first()).toBeVisible();
  // Panning moved the view, not a device: the lab has no unsaved change.
  await expect(page.getByRole('button', { name: 'Save', exact: true })).toBeDisabled();
  await page.screenshot({ path: test.info().outputPath('perf-large-lab-zoomed.png') });

  // Back to the whole lab with F; a click on a device in the overview selects it and zooms to where its ports can be used.
  await page.keyboard.press('f');
  await expect(overview).toBeVisible();
  await expect(page.getByTestId('overview-minimap')).toBeVisible();
  // Zoom to fit animates for 200 ms; read the view once it has settled.
  await page.waitForTimeout(400);
  const pc1 = await page.evaluate(() => {
    const m = /translate\((-?[\d.]+)px, (-?[\d.]+)px\) scale\(([\d.]+)\)/.exec(document.querySelector<HTMLElement>('.react-flow__viewport')?.style.transform ?? '');
    const pane = document.querySelector('.react-flow')?.getBoundingClientRect();
    if (!m || !pane) return null;
    const [tx, ty, k] = [Number(m[1]), Number(m[2]), Number(m[3])];
    // pc1 is written at (0, 900); the overview draws an unmeasured device 150 x 46.
    return { x: pane.left + tx + (0 + 75) * k, y: pane.top + ty + (900 + 23) * k };
  });
  if (!pc1) throw new Error('no viewport transform');
  // Zoomed out a device is a speck: hovering names it.
  await page.mouse.move(pc1.x - 2, pc1.y - 2);
  await page.mouse.move(pc1.x, pc1.y, { steps: 2 });
  await expect(page.getByTestId('overview-hover')).toContainText('pc1');
  // Shift-drag a box over the first access switch's PCs: they are selected, though none is a node yet.
  const step = (await page.evaluate(() => /scale\(([\d.]+)\)/.exec(document.querySelector<HTMLElement>('.react-flow__viewport')?.style.transform ?? '')?.[1])) ?? '0';
  const k = Number(step);
  await page.keyboard.down('Shift');
  await page.mouse.move(pc1.x - 75 * k - 4, pc1.y - 23 * k - 4);
  await page.mouse.down();
  await page.mouse.move(pc1.x + 175 * k, pc1.y + 850 * k, { steps: 8 });
  await page.mouse.up();
  await page.keyboard.up('Shift');
  await expect(page.locator('.inspector')).toContainText(`${PCS_PER_SWITCH} items selected`);
  // Delete takes them and their links out of the lab; undo puts them back.
  const status = page.locator('footer');
  await page.keyboard.press('Delete');
  await expect(status).toContainText(`${DEVICES - PCS_PER_SWITCH} devices · ${lab.links - PCS_PER_SWITCH} links`);
  await page.keyboard.press('Control+z');
  await expect(status).toContainText(`${DEVICES} devices · ${lab.links} links`);
  await page.mouse.click(pc1.x, pc1.y);
  await expect(page.getByTestId('device-pc1')).toBeVisible();
  await expect(page.locator('.inspector-title')).toHaveText('pc1');

  console.log(`[perf] pan (whole lab in view): ${fmt(panAll)}`);
  console.log(`[perf] wheel zoom in, from the whole lab into detail: ${fmt(zoomIn)}`);
  console.log(`[perf] wheel zoom out and in, in detail: ${fmt(zoomClose)}`);
  console.log(`[perf] pan (zoomed in): ${fmt(panClose)}`);
  expect(drawMs).toBeGreaterThan(0);
});
