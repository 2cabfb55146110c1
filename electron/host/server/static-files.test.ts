import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../test-support/host-fixtures.ts';
import { lookupStatic } from './static-files.ts';

describe('static file lookup', () => {
  const base = tempDir('static');
  const root = path.join(base, 'renderer');
  fs.mkdirSync(path.join(root, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(root, 'index.html'), 'index');
  fs.writeFileSync(path.join(root, 'assets', 'a.css'), 'css');
  fs.writeFileSync(path.join(root, '.env'), 'SECRET=1');
  fs.writeFileSync(path.join(base, 'outside.txt'), 'outside');
  fs.symlinkSync(path.join(base, 'outside.txt'), path.join(root, 'assets', 'link.txt'));

  it('finds files in the build', () => {
    expect(lookupStatic(root, '/')).toMatchObject({ kind: 'file', contentType: 'text/html; charset=utf-8' });
    expect(lookupStatic(root, '/assets/a.css')).toMatchObject({ kind: 'file', contentType: 'text/css; charset=utf-8' });
    expect(lookupStatic(root, '/assets/missing.js')).toEqual({ kind: 'not-found' });
  });

  it('refuses every way of naming a file outside it', () => {
    for (const p of ['/../outside.txt', '/%2e%2e/outside.txt', '/assets/%2E%2E%2F%2E%2E%2Foutside.txt', '/..\\outside.txt', '/%5c..%5coutside.txt', '/index.html%00.png', '/%E0%A4%A', '/./index.html', '/assets/link.txt']) {
      expect(lookupStatic(root, p).kind, p).toBe('forbidden');
    }
    expect(lookupStatic(root, '/.env').kind).toBe('not-found');
  });
});
