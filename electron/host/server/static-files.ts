import fs from 'node:fs';
import path from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.yaml': 'text/yaml; charset=utf-8',
};

export type StaticLookup =
  | { kind: 'file'; file: string; contentType: string }
  | { kind: 'not-found' }
  | { kind: 'forbidden' };

/**
 * Maps a request path onto a file inside `root`, or refuses. Anything that could name a file
 * outside the root (`..` segments, encoded or not, backslashes, NUL, absolute paths after
 * decoding) is refused outright instead of being normalised into something harmless-looking.
 */
export function lookupStatic(root: string, urlPath: string): StaticLookup {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return { kind: 'forbidden' };
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return { kind: 'forbidden' };
  const segments = decoded.split('/').filter((s) => s !== '');
  if (segments.some((s) => s === '..' || s === '.')) return { kind: 'forbidden' };
  // Dotfiles are never part of a build.
  if (segments.some((s) => s.startsWith('.'))) return { kind: 'not-found' };
  const rel = segments.length === 0 ? 'index.html' : segments.join('/');
  const resolvedRoot = path.resolve(root);
  const file = path.resolve(resolvedRoot, rel);
  const inside = path.relative(resolvedRoot, file);
  if (inside === '' || inside.startsWith('..') || path.isAbsolute(inside)) return { kind: 'forbidden' };
  let real: string;
  try {
    real = fs.realpathSync(file);
    if (!fs.statSync(real).isFile()) return { kind: 'not-found' };
  } catch {
    return { kind: 'not-found' };
  }
  // A symlink inside the build must not lead out of it either.
  const realRoot = fs.realpathSync(resolvedRoot);
  const realInside = path.relative(realRoot, real);
  if (realInside.startsWith('..') || path.isAbsolute(realInside)) return { kind: 'forbidden' };
  const contentType = CONTENT_TYPES[path.extname(real).toLowerCase()] ?? 'application/octet-stream';
  return { kind: 'file', file: real, contentType };
}
