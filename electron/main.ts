import fs from 'node:fs';
import path from 'node:path';
import { BrowserWindow, Menu, app, dialog, ipcMain, protocol, session, type MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from './host/contract.ts';
import { lookupStatic } from './host/server/static-files.ts';
import { HostServices } from './host/services/host-services.ts';
import { openStore, type WorkspaceStore } from './host/store/workspace-store.ts';
import { resolveWorkspaceDir } from './host/store/workspace-dir.ts';
import { attachIpcTransport } from './host/transports/ipc.ts';
import { PUSH_CHANNEL } from './host/transports/ipc-channels.ts';

/**
 * The desktop shell. Kept thin: windows, menus and native dialogs here; everything the window
 * asks for goes through the host contract (IPC transport → HostServices), the same services the
 * browser shell and the CLI use.
 *
 * The UI is served from a private `labbox://app/` scheme rather than file://, so it has a real
 * origin for its CSP and so navigation can be pinned to it.
 */

const SCHEME = 'labbox';
const APP_ORIGIN = `${SCHEME}://app`;
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const isAppUrl = (url: string): boolean => url === APP_ORIGIN || url.startsWith(`${APP_ORIGIN}/`);

protocol.registerSchemesAsPrivileged([{ scheme: SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
app.enableSandbox();

// The bundled main lives in out/main; in a packaged app, files the worker thread loads must sit
// outside the asar archive (see asarUnpack in build/electron-builder.yml).
const outDir = path.resolve(__dirname, '..');
const unpacked = (p: string) => p.replace(`${path.sep}app.asar${path.sep}`, `${path.sep}app.asar.unpacked${path.sep}`);
const rendererDir = path.join(outDir, 'renderer');

let services: HostServices | null = null;
let mainWindow: BrowserWindow | null = null;

function serveApp(): void {
  protocol.handle(SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== 'app') return new Response('Not found', { status: 404 });
    const found = lookupStatic(rendererDir, url.pathname);
    if (found.kind !== 'file') return new Response(found.kind === 'forbidden' ? 'Forbidden' : 'Not found', { status: found.kind === 'forbidden' ? 403 : 404 });
    const body = await fs.promises.readFile(found.file);
    return new Response(body, {
      headers: { 'Content-Type': found.contentType, 'Content-Security-Policy': CSP, 'X-Content-Type-Options': 'nosniff' },
    });
  });
}

function lockDown(): void {
  // The app needs no camera, notifications, geolocation or anything else a page may ask for.
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
}

function openServices(): HostServices {
  const where = resolveWorkspaceDir({ electronUserData: app.getPath('userData') });
  let store: WorkspaceStore | null = null;
  try {
    store = openStore(where.dir);
    store.markInterruptedRuns();
  } catch (err) {
    dialog.showErrorBox('LabBox workspace', `${err instanceof Error ? err.message : String(err)}\n\nRun history, recent labs and autosave are off until this is fixed.`);
  }
  return new HostServices({
    transport: 'ipc',
    version: app.getVersion(),
    workspaceDir: where.dir,
    workspaceLabsDir: where.labsDir,
    shippedLabsDir: path.join(app.getAppPath(), 'labs'),
    store,
    worker: { file: unpacked(path.join(__dirname, 'run-worker.cjs')) },
  });
}

function sendMenu(command: MenuCommand): void {
  if (mainWindow && !mainWindow.isDestroyed()) mainWindow.webContents.send(PUSH_CHANNEL, { channel: 'menuCommand', payload: command });
}

const LAB_FILTERS = [{ name: 'LabBox lab', extensions: ['lab.yaml', 'yaml', 'yml'] }];

async function menuOpen(): Promise<void> {
  if (!mainWindow || !services) return;
  const picked = await dialog.showOpenDialog(mainWindow, { title: 'Open lab', properties: ['openFile'], filters: LAB_FILTERS });
  const file = picked.filePaths[0];
  if (picked.canceled || !file) return;
  sendMenu({ command: 'open', id: services.library.grant(file) });
}

async function menuSaveAs(): Promise<void> {
  if (!mainWindow || !services) return;
  const picked = await dialog.showSaveDialog(mainWindow, { title: 'Save lab as', defaultPath: services.library.workspaceLabsDir, filters: LAB_FILTERS });
  if (picked.canceled || !picked.filePath) return;
  const file = picked.filePath.endsWith('.lab.yaml') ? picked.filePath : `${picked.filePath.replace(/\.ya?ml$/, '')}.lab.yaml`;
  sendMenu({ command: 'saveAs', path: services.library.grant(file) });
}

function buildMenu(): void {
  const mac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(mac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'New Lab', accelerator: 'CmdOrCtrl+N', click: () => sendMenu({ command: 'new' }) },
        { label: 'Open…', accelerator: 'CmdOrCtrl+O', click: () => void menuOpen() },
        { type: 'separator' },
        { label: 'Save', accelerator: 'CmdOrCtrl+S', click: () => sendMenu({ command: 'save' }) },
        { label: 'Save As…', accelerator: 'CmdOrCtrl+Shift+S', click: () => void menuSaveAs() },
        { type: 'separator' },
        { label: 'Import…', accelerator: 'CmdOrCtrl+I', click: () => sendMenu({ command: 'import' }) },
        { label: 'Export…', accelerator: 'CmdOrCtrl+E', click: () => sendMenu({ command: 'export' }) },
        { type: 'separator' },
        mac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    minWidth: 900,
    minHeight: 600,
    title: 'LabBox',
    show: false,
    webPreferences: {
      preload: path.join(outDir, 'preload', 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      webviewTag: false,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  // A page with unsaved work asks before it is closed (the renderer sets beforeunload).
  win.webContents.on('will-prevent-unload', (event) => {
    const choice = dialog.showMessageBoxSync(win, {
      type: 'question',
      buttons: ['Discard changes', 'Cancel'],
      defaultId: 1,
      cancelId: 1,
      message: 'This lab has unsaved changes.',
      detail: 'Closing now discards them (an autosave snapshot is kept for recovery).',
    });
    if (choice === 0) event.preventDefault();
  });
  void win.loadURL(`${APP_ORIGIN}/index.html`);
  return win;
}

void app.whenReady().then(() => {
  lockDown();
  serveApp();
  services = openServices();
  attachIpcTransport(ipcMain, services, () => mainWindow?.webContents ?? null, isAppUrl);
  buildMenu();
  mainWindow = createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) mainWindow = createWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

let disposed = false;
app.on('will-quit', (event) => {
  if (disposed || !services) return;
  // Stop run workers and close the store cleanly before the process goes.
  event.preventDefault();
  disposed = true;
  void services.dispose().finally(() => app.quit());
});
