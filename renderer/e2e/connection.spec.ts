import { expect, test, type WebSocketRoute } from '@playwright/test';
import { openApp } from './app.ts';

test('when the host connection drops the window says so, reconnects by itself and carries on', async ({ page }) => {
  const sockets: WebSocketRoute[] = [];
  let refuse = false;
  // Stand between the page and the real host so the test can cut the line.
  await page.routeWebSocket('**/ws', (ws) => {
    sockets.push(ws);
    if (refuse) {
      void ws.close();
      return;
    }
    ws.connectToServer();
  });
  await openApp(page);
  await expect(page.getByTestId('disconnected')).toBeHidden();

  refuse = true;
  await sockets[sockets.length - 1].close();
  await expect(page.getByTestId('disconnected')).toBeVisible();
  await expect(page.getByTestId('connection')).toHaveText('Disconnected');
  // While the host is away, the client keeps trying.
  await expect.poll(() => sockets.length).toBeGreaterThan(2);

  refuse = false;
  await expect(page.getByTestId('connection')).toHaveText('Host connected', { timeout: 15_000 });
  await expect(page.getByTestId('disconnected')).toBeHidden();
  // And the connection works again: the library can be listed.
  await page.getByRole('button', { name: 'Open', exact: true }).click();
  await expect(page.getByRole('dialog', { name: 'Open lab' }).getByTestId('lab-row').first()).toBeVisible();
});
