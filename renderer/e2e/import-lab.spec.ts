import { expect, test } from '@playwright/test';
import { deviceNode, openApp } from './app.ts';

const broken = `apiVersion: labbox/v1
kind: Lab
metadata:
  name: dropped
  title: Dropped lab
devices:
  - name: mystery
    kind: no-such-kind
    position: { x: 0, y: 0 }
links: []
`;

test('a lab file dropped on the window is imported and opened, and its problems are listed with line and field', async ({ page }) => {
  await openApp(page);
  // Files from the desktop cannot be dragged by a synthetic mouse; the drop event carries one instead.
  const transfer = await page.evaluateHandle((text) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], 'dropped.lab.yaml', { type: 'application/yaml' }));
    return dt;
  }, broken);
  await page.locator('main.canvas').dispatchEvent('dragover', { dataTransfer: transfer });
  await page.locator('main.canvas').dispatchEvent('drop', { dataTransfer: transfer });

  await expect(page.getByTestId('lab-title')).toContainText('Dropped lab');
  await expect(deviceNode(page, 'mystery')).toBeVisible();
  await expect(deviceNode(page, 'mystery').locator('.device-node')).toHaveClass(/has-problem/);

  await expect(page.getByRole('tab', { name: /Problems/ })).toHaveAttribute('aria-selected', 'true');
  const row = page.locator('.problems tbody tr').filter({ hasText: /devices(\[0\]|\.0)\.kind/ });
  await expect(row).toBeVisible();
  await expect(row.locator('td').first()).toHaveText('8:11');

  // Clicking the problem selects the device it is about.
  await row.click();
  await expect(page.getByRole('complementary', { name: 'Inspector' }).getByLabel('Name', { exact: true })).toHaveValue('mystery');
});

test('a file that is not a lab is refused with a reason and the open lab stays', async ({ page }) => {
  await openApp(page);
  const transfer = await page.evaluateHandle(() => {
    const dt = new DataTransfer();
    dt.items.add(new File(['hello'], 'notes.txt', { type: 'text/plain' }));
    return dt;
  });
  await page.locator('main.canvas').dispatchEvent('drop', { dataTransfer: transfer });
  await expect(page.locator('.notice.error')).toContainText('notes.txt is not a lab file');
  await expect(page.getByTestId('lab-title')).toHaveText('No lab open');
});

test('Import picks a lab file and adds it to the library under a name of its own', async ({ page }) => {
  await openApp(page);
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Import' }).click()]);
  const text = broken.replace('name: dropped', 'name: picked').replace('Dropped lab', 'Picked lab').replace('no-such-kind', 'pc');
  await chooser.setFiles({ name: 'picked.lab.yaml', mimeType: 'application/yaml', buffer: Buffer.from(text) });
  await expect(page.getByTestId('lab-title')).toContainText('Picked lab');
  await expect(deviceNode(page, 'mystery')).toBeVisible();
  await expect(page.getByText('No problems')).toBeVisible();

  await page.getByRole('button', { name: 'Open', exact: true }).click();
  const workspace = page.getByRole('dialog', { name: 'Open lab' }).locator('section').filter({ has: page.getByRole('heading', { name: 'Workspace' }) });
  await expect(workspace.getByTestId('lab-row').filter({ hasText: 'Picked lab' })).toBeVisible();
});
