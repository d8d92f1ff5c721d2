import { randomBytes } from 'node:crypto';
import { SettingsSchema, type Settings } from '../../shared/schemas';
import { DEFAULT_TIME_ZONE } from '../../shared/time-zone';
import type { Db } from './db';

export const DEFAULT_SETTINGS: Settings = {
  locale: 'it',
  theme: 'system',
  onboarded: false,
  lockMinutes: 15,
  timeZone: DEFAULT_TIME_ZONE,
  authorHandles: { enabled: false, legalBasis: null, by: null, at: null },
};

// Keys the contract never exposes live under this prefix.
const INTERNAL = 'internal.';
const SECRET_KEY = `${INTERNAL}workspaceSecret`;

const settingKeys = Object.keys(SettingsSchema.shape) as (keyof Settings)[];

export class SettingsRepo {
  private readonly getStmt;
  private readonly setStmt;
  private readonly insertIfMissingStmt;
  private readonly allStmt;
  private secret: string | null = null;

  constructor(private readonly db: Db) {
    this.getStmt = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?');
    this.setStmt = db.prepare<[string, string]>(
      'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    );
    this.insertIfMissingStmt = db.prepare<[string, string]>('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING');
    this.allStmt = db.prepare<[], { key: string; value: string }>(`SELECT key, value FROM settings WHERE key NOT LIKE 'internal.%'`);
  }

  /** The user's settings; a missing or unreadable stored value falls back to its default. */
  get(): Settings {
    const out: Settings = { ...DEFAULT_SETTINGS };
    for (const { key, value } of this.allStmt.all()) {
      if (!(settingKeys as string[]).includes(key)) continue;
      const k = key as keyof Settings;
      let parsedJson: unknown;
      try {
        parsedJson = JSON.parse(value);
      } catch {
        continue;
      }
      const field = SettingsSchema.shape[k].safeParse(parsedJson);
      if (field.success) (out as Record<keyof Settings, unknown>)[k] = field.data;
    }
    return out;
  }

  update(patch: Partial<Settings>): Settings {
    const next = SettingsSchema.parse({ ...this.get(), ...patch });
    this.db.transaction(() => {
      for (const k of settingKeys) {
        if (patch[k] !== undefined) this.setStmt.run(k, JSON.stringify(next[k]));
      }
    })();
    return next;
  }

  /**
   * A value core keeps for itself (a background job's cursor), never shown to clients: the
   * parsed JSON, or null when missing or unreadable (the caller then starts afresh).
   */
  internal(name: string): unknown {
    const row = this.getStmt.get(`${INTERNAL}${name}`);
    if (!row) return null;
    try {
      return JSON.parse(row.value) as unknown;
    } catch {
      return null;
    }
  }

  /** Stores an internal value; inside the caller's transaction when there is one. */
  setInternal(name: string, value: unknown): void {
    this.setStmt.run(`${INTERNAL}${name}`, JSON.stringify(value));
  }

  /**
   * The workspace secret behind author pseudonyms: generated once, never shown or exported.
   * Losing it only means new pseudonyms no longer match old ones.
   */
  workspaceSecret(): string {
    if (this.secret) return this.secret;
    this.insertIfMissingStmt.run(SECRET_KEY, JSON.stringify(randomBytes(32).toString('hex')));
    const row = this.getStmt.get(SECRET_KEY);
    const value = row ? (JSON.parse(row.value) as unknown) : null;
    if (typeof value !== 'string' || value.length < 32) throw new Error('workspace secret unreadable');
    this.secret = value;
    return value;
  }
}
