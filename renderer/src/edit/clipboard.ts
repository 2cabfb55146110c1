import type { Clip } from './lab-edits.ts';

/**
 * The canvas clipboard. It lives in the window rather than the system clipboard so that copy and
 * paste work the same in the desktop app and in a browser that withholds clipboard access.
 */
let held: Clip | null = null;
let pastes = 0;

export function hold(clip: Clip): void {
  held = clip;
  pastes = 0;
}

/** The held clip and how far this paste moves it: each paste of the same clip steps further on. */
export function nextPaste(): { clip: Clip; offset: { x: number; y: number } } | null {
  if (!held) return null;
  pastes += 1;
  return { clip: held, offset: { x: 40 * pastes, y: 40 * pastes } };
}
