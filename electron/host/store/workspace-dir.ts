import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface WorkspaceLocation {
  /** The workspace folder: holds the store and the user's labs. */
  dir: string;
  /** Where the user's own labs are saved (`<dir>/labs`). */
  labsDir: string;
  /** Which rule chose `dir`, for diagnostics ("where is my data?"). */
  source: 'electron' | 'LABBOX_HOME' | 'XDG_DATA_HOME' | 'home';
}

export interface WorkspaceDirOptions {
  /** Electron's `app.getPath('userData')`, when running inside Electron. */
  electronUserData?: string;
  /** Defaults to process.env; tests pass their own so the real home is never touched. */
  env?: Record<string, string | undefined>;
  /** Defaults to os.homedir(). */
  homeDir?: string;
}

/**
 * Finds (and creates) the workspace folder: Electron's userData in the desktop app; otherwise
 * $LABBOX_HOME, then $XDG_DATA_HOME/labbox, then ~/.local/share/labbox — so the browser shell
 * and the CLI share one workspace, and a test or a CI job can point LABBOX_HOME elsewhere.
 */
export function resolveWorkspaceDir(options: WorkspaceDirOptions = {}): WorkspaceLocation {
  const env = options.env ?? process.env;
  let dir: string;
  let source: WorkspaceLocation['source'];
  const labboxHome = env.LABBOX_HOME;
  const xdg = env.XDG_DATA_HOME;
  if (options.electronUserData) {
    dir = path.resolve(options.electronUserData);
    source = 'electron';
  } else if (labboxHome) {
    dir = path.resolve(labboxHome);
    source = 'LABBOX_HOME';
  } else if (xdg && path.isAbsolute(xdg)) {
    // The XDG spec says a relative XDG_DATA_HOME is invalid and must be ignored.
    dir = path.join(xdg, 'labbox');
    source = 'XDG_DATA_HOME';
  } else {
    dir = path.join(options.homeDir ?? os.homedir(), '.local', 'share', 'labbox');
    source = 'home';
  }
  const labsDir = path.join(dir, 'labs');
  // Private by default: run reports and autosaves can hold customer topology details.
  fs.mkdirSync(labsDir, { recursive: true, mode: 0o700 });
  return { dir, labsDir, source };
}
