import type { CaptureTreeNode } from '../../../electron/host/contract.ts';
import type { LabView } from '../lab/lab-text.ts';

/** Something a capture can be started on: a link (both directions at one end) or one port. */
export interface CaptureTarget {
  /** What the host's startCapture takes: `dev:port` or `devA:portA--devB:portB`. */
  target: string;
  label: string;
  kind: 'link' | 'port';
}

/** The lab's links, then every port that has a cable, in lab order: what is worth capturing on. */
export function captureTargets(view: LabView): CaptureTarget[] {
  const links: CaptureTarget[] = [];
  const ports: CaptureTarget[] = [];
  const seen = new Set<string>();
  const addPort = (ep: string) => {
    if (seen.has(ep)) return;
    seen.add(ep);
    ports.push({ target: ep, label: ep, kind: 'port' });
  };
  for (const l of view.links) {
    const a = `${l.a.device}:${l.a.port}`;
    const b = `${l.b.device}:${l.b.port}`;
    links.push({ target: linkTarget(a, b), label: `${a} ↔ ${b}`, kind: 'link' });
    addPort(a);
    addPort(b);
  }
  return [...links, ...ports];
}

export function linkTarget(a: string, b: string): string {
  return `${a}--${b}`;
}

/** How a capture target reads in a list: links with an arrow, like the picker. */
export function targetLabel(target: string): string {
  const parts = target.split('--');
  return parts.length === 2 ? `${parts[0]} ↔ ${parts[1]}` : target;
}

/** Simulated nanoseconds as seconds with microseconds, the precision a packet list shows. */
export function formatCaptureTime(ns: number): string {
  const us = Math.round(ns / 1000);
  const s = Math.floor(us / 1e6);
  return `${s}.${String(us - s * 1e6).padStart(6, '0')}`;
}

export interface HexLine {
  offset: number;
  /** Byte values on this line (up to 16). */
  bytes: number[];
}

export function hexLines(bytes: readonly number[]): HexLine[] {
  const lines: HexLine[] = [];
  for (let off = 0; off < bytes.length; off += 16) lines.push({ offset: off, bytes: bytes.slice(off, off + 16) });
  return lines;
}

export function hex2(v: number): string {
  return v.toString(16).padStart(2, '0');
}

export function printable(v: number): string {
  return v >= 0x20 && v < 0x7f ? String.fromCharCode(v) : '.';
}

/** A node's place in a decode tree: child indexes from the top, joined with dots ("1.0"). */
export type NodePath = string;

export function nodeAt(tree: readonly CaptureTreeNode[], path: NodePath): CaptureTreeNode | null {
  let list: readonly CaptureTreeNode[] | undefined = tree;
  let node: CaptureTreeNode | null = null;
  for (const part of path.split('.')) {
    node = list?.[Number(part)] ?? null;
    if (!node) return null;
    list = node.children;
  }
  return node;
}

/**
 * The most specific node covering a byte, for a click in the hex dump: the deepest node whose
 * range holds it, preferring the narrowest when siblings overlap (flag fields share a byte).
 */
export function deepestAt(tree: readonly CaptureTreeNode[], offset: number): NodePath | null {
  const walk = (list: readonly CaptureTreeNode[], prefix: string): NodePath | null => {
    let best: { path: string; length: number } | null = null;
    list.forEach((n, i) => {
      if (offset >= n.offset && offset < n.offset + n.length && (best === null || n.length < best.length)) best = { path: `${prefix}${i}`, length: n.length };
    });
    if (best === null) return null;
    const chosen: { path: string; length: number } = best;
    const node = nodeAt(tree, chosen.path);
    const inner = node?.children ? walk(node.children, `${chosen.path}.`) : null;
    return inner ?? chosen.path;
  };
  return walk(tree, '');
}

/** Paths of a node's ancestors, so revealing a node expands everything above it. */
export function ancestors(path: NodePath): NodePath[] {
  const parts = path.split('.');
  return parts.slice(0, -1).map((_, i) => parts.slice(0, i + 1).join('.'));
}

/** Saves base64 bytes through the browser's download (the host names the file after the lab and target). */
export function downloadBytes(fileName: string, base64: string): number {
  const bin = atob(base64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  const url = URL.createObjectURL(new Blob([bytes], { type: 'application/vnd.tcpdump.pcap' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
  return bytes.length;
}
