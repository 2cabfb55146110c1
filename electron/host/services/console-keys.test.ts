import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConsoleOutput } from '../contract.ts';
import { tempDir } from '../test-support/host-fixtures.ts';
import { HostServices } from './host-services.ts';

const LAB = `apiVersion: labbox/v1
kind: Lab
metadata: { name: keys }
devices:
  - { name: cat1, kind: cisco-catalyst-2960, config: "hostname cat1" }
  - { name: pc1, kind: pc, settings: { ip: 10.0.0.11/24 } }
links:
  - { a: "pc1:eth0", b: "cat1:Gi1/0/1" }
`;

let services: HostServices;
beforeEach(() => {
  services = HostServices.forNode({ transport: 'websocket', env: { LABBOX_HOME: path.join(tempDir('keys'), 'home') } });
});
afterEach(() => services.dispose());

/** A console on the real engine, and everything it has printed so far. */
async function catalystConsole() {
  const out: ConsoleOutput[] = [];
  services.onConsoleOutput((o) => out.push(o));
  const run = await services.startRun({ text: LAB, file: '', seed: 1, speed: 1, forSeconds: 60, paused: true });
  const { consoleId } = await services.openConsole(run.runId, 'cat1');
  const screen = () => out.filter((o) => o.consoleId === consoleId).map((o) => o.data).join('');
  return { consoleId, screen };
}

describe('console keys on an IOS device', () => {
  it('completes with Tab and answers ? as it is typed, keeping the line', async () => {
    const { consoleId, screen } = await catalystConsole();
    await services.consoleWrite(consoleId, 'sh ma\t');
    expect(screen()).toBe('sh mac ');
    await services.consoleWrite(consoleId, '?');
    expect(screen()).toMatch(/mac \?\r\n {2}address-table +MAC forwarding table\r\n.*cat1>sh mac $/s);
    await services.consoleWrite(consoleId, '\x15zz\t');
    expect(screen().endsWith('zz\x07')).toBe(true);
  });

  it('pages long output at --More--: space for the next page, q to stop', async () => {
    const { consoleId, screen } = await catalystConsole();
    await services.consoleWrite(consoleId, 'show mac address-table\r');
    expect(screen().endsWith(' --More-- ')).toBe(true);
    const before = screen().length;
    await services.consoleWrite(consoleId, ' ');
    const page = screen().slice(before);
    expect(page.startsWith('\r          \r')).toBe(true);
    expect(page).toContain('Total Mac Addresses');
    expect(page.endsWith('cat1>')).toBe(true);
    await services.consoleWrite(consoleId, 'show mac address-table\rq');
    expect(screen().endsWith('\r          \rcat1>')).toBe(true);
  });

  it('recalls the last command with the up arrow', async () => {
    const { consoleId, screen } = await catalystConsole();
    await services.consoleWrite(consoleId, 'show version | include IOS\r');
    const before = screen().length;
    await services.consoleWrite(consoleId, '\x1b[A');
    expect(screen().slice(before)).toBe('show version | include IOS');
  });
});
