import { createContext } from 'react';

/**
 * True while the canvas is zoomed out so far that port names cannot be read: devices then draw as
 * plain boxes and links without port tags, which is what keeps a 2,000-device lab smooth.
 */
export const LowDetail = createContext(false);

/** Below this zoom the canvas draws in low detail. */
export const LOW_DETAIL_ZOOM = 0.45;

/**
 * Below this zoom a large lab is drawn as one overview picture instead of device nodes. It is
 * higher than the low-detail zoom because the first frame after it mounts every device on screen
 * with its faceplate, and at this zoom a window holds about half as many as at 0.45.
 */
export const OVERVIEW_ZOOM = 0.6;
