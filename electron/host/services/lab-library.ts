import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { LabDocument, LabSummary, ValidationResult } from '../contract.ts';
import { API_VERSION, MAX_LAB_BYTES, type Lab } from '../../../emulator/lab/schema.ts';
import type { LabIndexEntry, WorkspaceStore } from '../store/workspace-store.ts';
import { HostError } from './host-error.ts';
import { parseLab, serializeLab } from './lab-codec.ts';
import { writeFileAtomic } from '../files/atomic-write.ts';
import { LAB_FILE_SUFFIX as LAB_SUFFIX, listLabFiles } from '../files/lab-folder.ts';

const NAME_RE = /^[A-Za-z][A-Za-z0-9_.-]{0,62}$/;

export interface LabLibraryOptions {
  /** The labs that ship with LabBox: read-only. */
  shippedDir: string;
  /** The user's own labs (`<workspace>/labs`). */
  workspaceLabsDir: string;
  store: WorkspaceStore | null;
}

/**
 * The lab library: shipped labs (read-only) plus the workspace's labs folder, and any file the
 * user picked in a native dialog. No other path is reachable, whatever a page asks for, so the
 * browser shell cannot be used to read or write arbitrary files.
 *
 * Saving never loses work: text is written (atomically) even when it does not validate, and the
 * errors come back with the saved document. A save to a shipped lab becomes a copy in the
 * workspace, since shipped labs are read-only.
 */
export class LabLibrary {
  private readonly shippedDir: string;
  private readonly workspaceDir: string;
  private readonly granted = new Set<string>();
  private readonly store: WorkspaceStore | null;

  constructor(options: LabLibraryOptions) {
    this.shippedDir = path.resolve(options.shippedDir);
    this.workspaceDir = path.resolve(options.workspaceLabsDir);
    this.store = options.store;
    fs.mkdirSync(this.workspaceDir, { recursive: true });
  }

  get workspaceLabsDir(): string {
    return this.workspaceDir;
  }

  /** Makes a file the user chose in a native open/save dialog reachable. */
  grant(file: string): string {
    const abs = path.resolve(file);
    this.granted.add(abs);
    return abs;
  }

  async list(): Promise<LabSummary[]> {
    const shipped = await this.scan(this.shippedDir, true);
    const own = await this.scan(this.workspaceDir, false);
    if (!this.store) return [...shipped, ...own].map((e) => ({ id: e.path, ...e }));
    this.store.replaceFolder(this.shippedDir, shipped);
    this.store.replaceFolder(this.workspaceDir, own);
    return this.store.listLabs().map(summary);
  }

  recent(): LabSummary[] {
    if (!this.store) return [];
    return this.store
      .recentLabs(10)
      .filter((r) => fs.existsSync(r.path))
      .map(summary);
  }

  async open(id: string): Promise<LabDocument> {
    const file = this.readable(id);
    const text = await this.read(file);
    const doc = this.document(file, text);
    await this.index(file, doc);
    this.store?.markLabOpened(file);
    return doc;
  }

  async create(name: string): Promise<LabDocument> {
    if (!NAME_RE.test(name)) {
      throw new HostError('invalid-argument', `"${name}" is not a lab name: use a letter, then letters, digits, "_", "." or "-" (at most 63)`);
    }
    const lab: Lab = { apiVersion: API_VERSION, kind: 'Lab', metadata: { name, title: name }, devices: [], links: [], scenarios: [], guide: [] };
    const text = serializeLab(lab);
    const parsed = parseLab(`${name}${LAB_SUFFIX}`, text);
    return { id: null, path: null, text, lab: parsed.ok ? parsed.lab : null, errors: parsed.ok ? [] : parsed.errors };
  }

  async save(file: string, text: string): Promise<LabDocument> {
    const abs = path.resolve(file);
    if (this.isShipped(abs)) return this.write(this.uniqueTarget(path.basename(abs)), text);
    return this.write(this.writable(abs), text);
  }

  async saveAs(target: string, text: string): Promise<LabDocument> {
    const file = this.saveTarget(target);
    if (fs.existsSync(file) && !this.granted.has(file)) {
      throw new HostError('conflict', `${path.basename(file)} already exists in your labs; choose another name`);
    }
    return this.write(file, text);
  }

  async import(fileName: string, text: string): Promise<LabDocument> {
    return this.write(this.uniqueTarget(fileName), text);
  }

  async export(id: string): Promise<{ fileName: string; text: string }> {
    const file = this.readable(id);
    return { fileName: path.basename(file), text: await this.read(file) };
  }

  validate(file: string, text: string): ValidationResult {
    const parsed = parseLab(file || 'untitled.lab.yaml', text);
    return parsed.ok ? { ok: true, errors: [] } : { ok: false, errors: parsed.errors };
  }

  // -------------------------------------------------------------------------------------------

  private isShipped(abs: string): boolean {
    return path.dirname(abs) === this.shippedDir;
  }

  private isOwn(abs: string): boolean {
    return path.dirname(abs) === this.workspaceDir && abs.endsWith(LAB_SUFFIX);
  }

  private readable(id: string): string {
    const abs = path.resolve(id);
    if (this.granted.has(abs) || this.isOwn(abs) || (this.isShipped(abs) && abs.endsWith(LAB_SUFFIX))) return abs;
    throw new HostError('not-found', `${id} is not a lab in the library`);
  }

  private writable(abs: string): string {
    if (this.granted.has(abs) || this.isOwn(abs)) return abs;
    throw new HostError('invalid-argument', `${abs} is outside your labs folder; use Save As`);
  }

  /** A bare name lands in the workspace labs folder; a path must be one the library may write. */
  private saveTarget(target: string): string {
    if (!target.includes('/') && !target.includes('\\')) return path.join(this.workspaceDir, withSuffix(safeFileName(target)));
    const abs = path.resolve(target);
    if (this.isShipped(abs)) throw new HostError('invalid-argument', 'shipped labs are read-only; save a copy under another name');
    return this.writable(abs);
  }

  private uniqueTarget(fileName: string): string {
    const base = withSuffix(safeFileName(path.basename(fileName.replace(/\\/g, '/'))));
    const stem = base.slice(0, -LAB_SUFFIX.length);
    let candidate = path.join(this.workspaceDir, base);
    for (let n = 2; fs.existsSync(candidate); n++) candidate = path.join(this.workspaceDir, `${stem}-${n}${LAB_SUFFIX}`);
    return candidate;
  }

  private async write(file: string, text: string): Promise<LabDocument> {
    await writeFileAtomic(file, text);
    const doc = this.document(file, text);
    await this.index(file, doc);
    this.store?.markLabOpened(file);
    this.store?.discardSnapshotsFor(file);
    return doc;
  }

  private async read(file: string): Promise<string> {
    let size: number;
    try {
      size = (await fsp.stat(file)).size;
    } catch {
      throw new HostError('not-found', `${file} does not exist`);
    }
    if (size > MAX_LAB_BYTES) {
      throw new HostError('invalid-lab', `${path.basename(file)} is ${(size / 1048576).toFixed(1)} MB; lab files may be at most ${MAX_LAB_BYTES / 1048576} MB`);
    }
    return fsp.readFile(file, 'utf8');
  }

  private document(file: string, text: string): LabDocument {
    const parsed = parseLab(file, text);
    return { id: file, path: file, text, lab: parsed.ok ? parsed.lab : null, errors: parsed.ok ? [] : parsed.errors };
  }

  private async index(file: string, doc: LabDocument): Promise<void> {
    if (!this.store) return;
    const modifiedAt = (await fsp.stat(file)).mtime.toISOString();
    this.store.upsertLab(entryFor(file, doc.lab as Lab | null, this.isShipped(file), modifiedAt));
  }

  /** The labs directly in `dir` (shipped sub-folders hold test fixtures, not labs to offer). */
  private async scan(dir: string, shipped: boolean): Promise<LabIndexEntry[]> {
    const files = await listLabFiles(dir, { recursive: false, removeStale: !shipped });
    const out: LabIndexEntry[] = [];
    for (const f of files) {
      let lab: Lab | null = null;
      if (f.size <= MAX_LAB_BYTES) {
        const text = await fsp.readFile(f.path, 'utf8').catch(() => null);
        const parsed = text === null ? null : parseLab(f.path, text);
        if (parsed?.ok) lab = parsed.lab;
      }
      out.push(entryFor(path.resolve(f.path), lab, shipped, f.modifiedAt));
    }
    return out;
  }
}

function entryFor(file: string, lab: Lab | null, shipped: boolean, modifiedAt: string): LabIndexEntry {
  const stem = path.basename(file).slice(0, -LAB_SUFFIX.length) || path.basename(file);
  return {
    path: file,
    name: lab?.metadata.name ?? stem,
    title: lab?.metadata.title ?? lab?.metadata.name ?? stem,
    devices: lab?.devices.length ?? 0,
    links: lab?.links.length ?? 0,
    scenarios: lab?.scenarios.map((s) => s.name) ?? [],
    shipped,
    modifiedAt,
  };
}

function summary(r: LabSummary): LabSummary {
  return {
    id: r.id,
    path: r.path,
    name: r.name,
    title: r.title,
    devices: r.devices,
    links: r.links,
    scenarios: r.scenarios,
    shipped: r.shipped,
    modifiedAt: r.modifiedAt,
  };
}

/** Keeps a file name to characters that are safe on every desktop OS. */
function safeFileName(name: string): string {
  const cleaned = name
    .normalize('NFC')
    .replace(/[^A-Za-z0-9_.\- ]/g, '-')
    .replace(/^[.\s-]+/, '')
    .trim()
    .slice(0, 120);
  return cleaned || 'lab';
}

function withSuffix(name: string): string {
  if (name.endsWith(LAB_SUFFIX)) return name;
  const stem = name.replace(/\.(ya?ml)$/i, '').replace(/\.lab$/i, '');
  return `${stem || 'lab'}${LAB_SUFFIX}`;
}
