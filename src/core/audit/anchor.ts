// The audit chain's outside anchor. The hash chain in the database shows an edited or a
// deleted past row, but not the newest rows cut off the end: the shorter chain still
// verifies. So the head of the chain (how many entries, the last id and its hash) is also
// written outside the database, in a signed file of the data folder, shortly after every
// change and at shutdown; `audit verify` compares the database with it (and with any copy
// exported elsewhere with `vedetta audit anchor --out`).
//
// What it protects against, said plainly: someone who edits the database alone (SQL on a
// copied or open vedetta.db) cannot shorten the log unnoticed, because the anchor names
// a row that is gone. Someone who can also rewrite the data folder could re-sign the anchor
// with its key file: against them, keep an exported copy where they cannot write.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import type { AnchorCheck, AnchorCopyStatus } from '../../shared/ops/audit';
import { ApiError } from '../../shared/contract';
import { loadOrCreateKeyFile } from '../key-file';

export const ANCHOR_FILE = 'audit-anchor.json';
export const ANCHOR_KEY_FILE = 'audit-anchor.key';
/** How long after a change the anchor is rewritten (changes in a burst share one write). */
const DEBOUNCE_MS = 200;

/** The chain's head as the database holds it. */
export interface ChainHead {
  entries: number;
  lastId: number;
  lastHash: string;
}

const AnchorSchema = z.object({
  v: z.literal(1),
  entries: z.number().int().nonnegative(),
  lastId: z.number().int().nonnegative(),
  lastHash: z.string(),
  at: z.number().int(),
  mac: z.string(),
}).strict();
export type AnchorFile = z.infer<typeof AnchorSchema>;

/** What a chain lookup the check needs from the store: the hash of one entry, if present. */
export type HashOf = (id: number) => string | null;

export type { AnchorCheck };

function mac(key: Buffer, a: Omit<AnchorFile, 'mac'>): string {
  return createHmac('sha256', key).update(JSON.stringify([a.v, a.entries, a.lastId, a.lastHash, a.at])).digest('hex');
}

/** The key that signs the anchor (created 0600 on first use, like the secrets key). */
export function loadOrCreateAnchorKey(dataDir: string): Buffer {
  return loadOrCreateKeyFile(join(dataDir, ANCHOR_KEY_FILE));
}

/** Reads the anchor key without creating one (the read-only CLI): null when there is none. */
export function readAnchorKey(dataDir: string): Buffer | null {
  const path = join(dataDir, ANCHOR_KEY_FILE);
  return existsSync(path) ? Buffer.from(readFileSync(path, 'utf8').trim(), 'base64') : null;
}

export function signAnchor(key: Buffer, head: ChainHead, at: number): AnchorFile {
  const body = { v: 1 as const, entries: head.entries, lastId: head.lastId, lastHash: head.lastHash, at };
  return { ...body, mac: mac(key, body) };
}

/** Writes the anchor atomically (a temporary file renamed over the old one). */
export function writeAnchor(path: string, anchor: AnchorFile): void {
  const tmp = `${path}.part-${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify(anchor, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, path);
}

/** The anchor at `path` checked against the database's chain. */
export function checkAnchor(path: string, key: Buffer | null, head: ChainHead, hashOf: HashOf): AnchorCheck {
  if (!existsSync(path)) return { state: 'none' };
  let anchor: AnchorFile;
  try {
    anchor = AnchorSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
  } catch {
    return { state: 'invalid' };
  }
  if (!key) return { state: 'invalid' };
  const want = Buffer.from(mac(key, anchor), 'hex');
  const got = Buffer.from(anchor.mac, 'hex');
  if (want.length !== got.length || !timingSafeEqual(want, got)) return { state: 'invalid' };
  // An anchor of an empty chain names no entry: every chain extends it.
  if (anchor.lastId === 0) return { state: 'ok', anchoredAt: anchor.at, anchoredEntries: 0, newer: head.entries };
  if (hashOf(anchor.lastId) !== anchor.lastHash) {
    return { state: 'truncated', anchoredAt: anchor.at, anchoredEntries: anchor.entries, anchoredLastId: anchor.lastId, lastId: head.lastId, entries: head.entries };
  }
  return { state: 'ok', anchoredAt: anchor.at, anchoredEntries: anchor.entries, newer: Math.max(0, head.entries - anchor.entries) };
}

/** Where the chosen copy folder's anchor lives: a name that says whose file it is. */
export const ANCHOR_COPY_FILE = 'vedetta-audit-anchor.json';
/** The internal setting that keeps the chosen copy folder. */
export const ANCHOR_COPY_SETTING = 'auditAnchorCopyDir';

/** Keeps the chosen copy folder between runs (a core-only setting; admins change it). */
export interface AnchorCopyPlace {
  load(): string | null;
  save(dir: string | null): void;
}

/**
 * Keeps the data folder's anchor up to date for a running instance: `touch()` after each
 * audit write (coalesced, written off the caller's transaction so it only ever names
 * committed rows), `flush()` at shutdown. When an administrator chose a copy folder (a
 * mounted share, a folder only they can write), each write goes there too.
 */
export class AuditAnchor {
  readonly path: string;
  readonly #dataDir: string;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #copyDir: string | null;
  #copyWrittenAt: number | null = null;
  #copyError: string | null = null;

  constructor(
    dataDir: string,
    private readonly key: Buffer,
    private readonly head: () => ChainHead,
    private readonly now: () => number,
    private readonly onError: (e: unknown) => void,
    private readonly place: AnchorCopyPlace | null = null,
  ) {
    this.#dataDir = dataDir;
    this.path = join(dataDir, ANCHOR_FILE);
    this.#copyDir = place?.load() ?? null;
  }

  touch(): void {
    if (this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.flush();
    }, DEBOUNCE_MS);
    this.#timer.unref?.();
  }

  flush(): void {
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = null;
    }
    const anchor = signAnchor(this.key, this.head(), this.now());
    try {
      writeAnchor(this.path, anchor);
    } catch (e) {
      // A full disk must not fail the op that was audited; the next write tries again.
      this.onError(e);
    }
    if (this.#copyDir) this.#writeCopy(this.#copyDir, anchor);
  }

  check(hashOf: HashOf): AnchorCheck {
    return checkAnchor(this.path, this.key, this.head(), hashOf);
  }

  /** The copy folder's anchor against the chain; null when no copy folder is chosen. */
  checkCopy(hashOf: HashOf): AnchorCheck | null {
    return this.#copyDir ? checkAnchor(join(this.#copyDir, ANCHOR_COPY_FILE), this.key, this.head(), hashOf) : null;
  }

  copyStatus(): AnchorCopyStatus {
    return { dir: this.#copyDir, writtenAt: this.#copyWrittenAt, error: this.#copyError };
  }

  /**
   * Chooses (or, with null, stops) the copy folder. The folder must exist and take a write
   * now: a choice that cannot be written is refused with the system's reason, not
   * discovered later. The data folder itself is refused: a copy there protects nothing.
   */
  setCopyDir(dir: string | null): AnchorCopyStatus {
    if (dir === null) {
      this.#copyDir = null;
      this.#copyWrittenAt = null;
      this.#copyError = null;
      this.place?.save(null);
      return this.copyStatus();
    }
    if (!isAbsolute(dir)) throw new ApiError('audit.anchorCopyNotAbsolute', { dir });
    let isDir = false;
    try {
      isDir = statSync(dir).isDirectory();
    } catch {
      isDir = false;
    }
    if (!isDir) throw new ApiError('audit.anchorCopyMissing', { dir });
    if (resolve(dir) === resolve(this.#dataDir)) throw new ApiError('audit.anchorCopyIsDataDir', { dir: this.#dataDir });
    const anchor = signAnchor(this.key, this.head(), this.now());
    try {
      writeAnchor(join(dir, ANCHOR_COPY_FILE), anchor);
    } catch (e) {
      throw new ApiError('audit.anchorCopyUnwritable', { dir, reason: e instanceof Error ? e.message : String(e) });
    }
    this.#copyDir = dir;
    this.#copyWrittenAt = anchor.at;
    this.#copyError = null;
    this.place?.save(dir);
    return this.copyStatus();
  }

  #writeCopy(dir: string, anchor: AnchorFile): void {
    try {
      writeAnchor(join(dir, ANCHOR_COPY_FILE), anchor);
      this.#copyWrittenAt = anchor.at;
      this.#copyError = null;
    } catch (e) {
      // An unplugged share must not fail the audited op either: the status says so, in
      // Registro, until a write succeeds again.
      this.#copyError = e instanceof Error ? e.message : String(e);
      this.onError(e);
    }
  }
}
