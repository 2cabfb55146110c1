import { createContext } from 'react';

/**
 * True while the canvas is zoomed out so far that port names cannot be read: devices then draw as
 * plain boxes and links without port tags, which is what keeps a 2,000-device lab smooth.
 */
export const LowDetail = createContext(false);

/** Below this zoom the canvas draws in low detail. */
export const LOW_DETAIL_ZOOM = 0.45;
