import { describe, expect, it } from 'vitest';
import type { CaptureTreeNode } from '../../../electron/host/contract.ts';
import { readLab } from '../lab/lab-text.ts';
import { ancestors, captureTargets, deepestAt, formatCaptureTime, hexLines, nodeAt, printable, targetLabel } from './capture-model.ts';

const LAB = `apiVersion: labbox/v1
kind: Lab
metadata: { name: t }
devices:
  - { name: sw1, kind: l2-switch }
  - { name: sw2, kind: l2-switch }
  - { name: pc1, kind: pc }
links:
  - { a: "sw1:port24", b: "sw2:port24" }
  - { a: "pc1:eth0", b: "sw1:port1" }
`;

const tree: CaptureTreeNode[] = [
  { label: 'Ethernet II', offset: 0, length: 14, children: [
    { label: 'Destination', offset: 0, length: 6 },
    { label: 'Source', offset: 6, length: 6 },
    { label: 'Type', offset: 12, length: 2 },
  ] },
  { label: 'IPv4', offset: 14, length: 20, children: [
    { label: 'Version / header length', offset: 14, length: 1, children: [
      { label: 'Version: 4', offset: 14, length: 1 },
    ] },
    { label: 'Flags byte', offset: 20, length: 2 },
    { label: "Don't fragment", offset: 20, length: 1 },
  ] },
];

describe('capture targets from the lab', () => {
  it('lists each link, then each cabled port once', () => {
    const targets = captureTargets(readLab(LAB));
    expect(targets.map((t) => [t.kind, t.target])).toEqual([
      ['link', 'sw1:port24--sw2:port24'],
      ['link', 'pc1:eth0--sw1:port1'],
      ['port', 'sw1:port24'],
      ['port', 'sw2:port24'],
      ['port', 'pc1:eth0'],
      ['port', 'sw1:port1'],
    ]);
    expect(targets[0].label).toBe('sw1:port24 ↔ sw2:port24');
    expect(targetLabel('sw1:port24--sw2:port24')).toBe('sw1:port24 ↔ sw2:port24');
    expect(targetLabel('pc1:eth0')).toBe('pc1:eth0');
  });

  it('offers nothing for a lab without links', () => {
    expect(captureTargets(readLab(''))).toEqual([]);
  });
});

describe('packet detail helpers', () => {
  it('shows simulated time in seconds with microseconds', () => {
    expect(formatCaptureTime(0)).toBe('0.000000');
    expect(formatCaptureTime(1_000_002_056)).toBe('1.000002');
    expect(formatCaptureTime(12_345_678_901)).toBe('12.345679');
  });

  it('splits bytes into 16-byte hex lines with a printable column', () => {
    const lines = hexLines(Array.from({ length: 20 }, (_, i) => i + 0x41));
    expect(lines.map((l) => [l.offset, l.bytes.length])).toEqual([[0, 16], [16, 4]]);
    expect(printable(0x41)).toBe('A');
    expect(printable(0x0a)).toBe('.');
    expect(printable(0xff)).toBe('.');
  });

  it('finds the most specific field behind a byte, and the ancestors to open for it', () => {
    expect(deepestAt(tree, 7)).toBe('0.1');
    expect(deepestAt(tree, 14)).toBe('1.0.0');
    expect(deepestAt(tree, 20)).toBe('1.2');
    expect(deepestAt(tree, 30)).toBe('1');
    expect(deepestAt(tree, 60)).toBeNull();
    expect(ancestors('1.0.0')).toEqual(['1', '1.0']);
    expect(nodeAt(tree, '1.0.0')?.label).toBe('Version: 4');
    expect(nodeAt(tree, '3')).toBeNull();
  });
});
