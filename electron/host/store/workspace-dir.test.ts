import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveWorkspaceDir } from './workspace-dir.ts';

let root: string;
let home: string;

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'labbox-ws-'));
  home = path.join(root, 'home');
});

afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

describe('resolveWorkspaceDir', () => {
  it('uses Electron’s userData folder first', () => {
    const userData = path.join(root, 'userData');
    const loc = resolveWorkspaceDir({ electronUserData: userData, env: { LABBOX_HOME: path.join(root, 'lh') }, homeDir: home });
    expect(loc).toEqual({ dir: userData, labsDir: path.join(userData, 'labs'), source: 'electron' });
    expect(fs.statSync(loc.labsDir).isDirectory()).toBe(true);
    expect(fs.existsSync(path.join(root, 'lh'))).toBe(false);
  });

  it('then $LABBOX_HOME, resolved to an absolute path', () => {
    const loc = resolveWorkspaceDir({ env: { LABBOX_HOME: path.join(root, 'lh', 'sub', '..'), XDG_DATA_HOME: path.join(root, 'xdg') }, homeDir: home });
    expect(loc.dir).toBe(path.join(root, 'lh'));
    expect(loc.source).toBe('LABBOX_HOME');
    expect(fs.statSync(path.join(root, 'lh', 'labs')).isDirectory()).toBe(true);
  });

  it('then $XDG_DATA_HOME/labbox, ignoring a relative XDG_DATA_HOME as the spec requires', () => {
    const xdg = path.join(root, 'xdg');
    expect(resolveWorkspaceDir({ env: { LABBOX_HOME: '', XDG_DATA_HOME: xdg }, homeDir: home })).toMatchObject({
      dir: path.join(xdg, 'labbox'),
      source: 'XDG_DATA_HOME',
    });
    expect(resolveWorkspaceDir({ env: { XDG_DATA_HOME: 'relative/data' }, homeDir: home }).source).toBe('home');
  });

  it('then ~/.local/share/labbox, created private to the user', () => {
    const loc = resolveWorkspaceDir({ env: {}, homeDir: home });
    expect(loc.dir).toBe(path.join(home, '.local', 'share', 'labbox'));
    expect(loc.source).toBe('home');
    expect(fs.statSync(loc.labsDir).mode & 0o077).toBe(0);
  });

  it('leaves an existing workspace and its labs as they are', () => {
    const first = resolveWorkspaceDir({ env: {}, homeDir: home });
    fs.writeFileSync(path.join(first.labsDir, 'mine.lab.yaml'), 'kept');
    const again = resolveWorkspaceDir({ env: {}, homeDir: home });
    expect(again).toEqual(first);
    expect(fs.readFileSync(path.join(again.labsDir, 'mine.lab.yaml'), 'utf8')).toBe('kept');
  });
});
