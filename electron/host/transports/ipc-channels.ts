/** IPC channel names shared by main and the preload (kept free of imports so the preload bundles small). */
export const INVOKE_CHANNEL = 'labbox:invoke';
export const PUSH_CHANNEL = 'labbox:push';
