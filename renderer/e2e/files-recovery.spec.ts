import { expect, test, type Page } from '@playwright/test';
import { centre, deviceNode, drag, openApp } from './app.ts';

async function newLabWithSwitch(page: Page, name: string): Promise<string> {
  await page.getByRole('button', { name: 'New', exact: true }).click();
  await page.getByLabel('Lab name').fill(name);
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByTestId('lab-title')).toContainText(name);
  const item = page.locator('.palette-item[data-kind="cisco-catalyst-3750"]');
  await item.scrollIntoViewIfNeeded();
  const canvas = await page.locator('main.canvas').boundingBox();
  if (!canvas) throw new Error('no canvas');
  await drag(page, await centre(item), { x: canvas.x + canvas.width * 0.4, y: canvas.y + canvas.height * 0.4 });
  await expect(page.locator('.react-flow__node')).toHaveCount(1);
  return (await page.locator('.react-flow__node .device-name').first().textContent()) ?? '';
}

test('a startup config line the switch would refuse is marked on its line', async ({ page }) => {
  await openApp(page);
  const sw = await newLabWithSwitch(page, `cfg-${Date.now().toString(36)}`);
  const inspector = page.getByRole('complementary', { name: 'Inspector' });
  await expect(inspector.getByLabel('Name', { exact: true })).toHaveValue(sw);
  const editor = inspector.getByLabel('Startup config');
  await editor.click();
  await page.keyboard.type('vlan 10\n name users\ninterface GigabitEthernet1/0/1\n switchport mdoe access\n switchport access vlan 10\n');
  await expect(inspector.locator('.config-gutter span[data-line="4"]')).toHaveClass(/bad/);
  await expect(inspector.locator('.config-gutter span[data-line="3"]')).not.toHaveClass(/bad/);
  await expect(inspector.getByRole('list', { name: 'Config errors' })).toContainText('line 4');
  await inspector.screenshot({ path: test.info().outputPath('config-error.png') });

  // Fixing the typo clears the mark.
  await editor.fill('vlan 10\n name users\ninterface GigabitEthernet1/0/1\n switchport mode access\n switchport access vlan 10\n');
  await expect(inspector.locator('.config-gutter .bad')).toHaveCount(0);
  await expect(inspector.getByText('accepts every line')).toBeVisible();
});

test('unsaved work is autosaved and offered for restore after the window goes away', async ({ page }) => {
  page.on('dialog', (d) => void d.accept());
  await openApp(page);
  const name = `crash-${Date.now().toString(36)}`;
  const sw = await newLabWithSwitch(page, name);
  await expect(page.getByLabel('Unsaved changes')).toBeVisible();
  // Autosave runs after a few idle seconds.
  await page.waitForTimeout(4000);
  await page.reload();
  await expect(page.getByTestId('connection')).toHaveText('Host connected');
  const dialog = page.getByRole('dialog', { name: 'Restore unsaved work' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('restore-question')).toContainText(/Restore unsaved work from .+\?/);
  await dialog.screenshot({ path: test.info().outputPath('restore.png') });
  await dialog.getByRole('button', { name: 'Restore' }).click();
  await expect(deviceNode(page, sw)).toBeVisible();
  await expect(page.getByLabel('Unsaved changes')).toBeVisible();
  await expect(page.getByTestId('lab-title')).toContainText(name);

  // Saving clears the snapshot, so the next start offers nothing.
  await page.keyboard.press('Control+s');
  await page.getByLabel('Lab name').fill(`${name}-kept`);
  await page.getByRole('dialog', { name: 'Save lab as' }).getByRole('button', { name: 'Save' }).click();
  await expect(page.getByLabel('Unsaved changes')).toBeHidden();
  await page.reload();
  await expect(page.getByTestId('connection')).toHaveText('Host connected');
  await page.waitForTimeout(800);
  await expect(page.getByRole('dialog', { name: 'Restore unsaved work' })).toBeHidden();
});

test('an unreadable lab file shows its error with line and field and leaves the open lab as it was', async ({ page }) => {
  page.on('dialog', (d) => void d.accept());
  await openApp(page);
  const name = `keep-${Date.now().toString(36)}`;
  const sw = await newLabWithSwitch(page, name);
  const transfer = await page.evaluateHandle(() => {
    const dt = new DataTransfer();
    dt.items.add(new File(['apiVersion: labbox/v1\nkind: Lab\nmetadata:\n  name: broken\ndevices:\n  - name: a\n    kind: [unclosed\n'], 'broken.lab.yaml', { type: 'application/yaml' }));
    return dt;
  });
  await page.locator('main.canvas').dispatchEvent('dragover', { dataTransfer: transfer });
  await page.locator('main.canvas').dispatchEvent('drop', { dataTransfer: transfer });
  await expect(page.locator('.notice.error').last()).toContainText('broken.lab.yaml');
  await expect(page.locator('.notice.error').last()).toContainText(/line \d+/);
  await expect(page.locator('.problems tbody tr').filter({ hasText: /\d+:\d+/ }).first()).toBeVisible();
  await expect(page.getByTestId('lab-title')).toContainText(name);
  await expect(deviceNode(page, sw)).toBeVisible();
  await expect(page.getByLabel('Unsaved changes')).toBeVisible();
});
