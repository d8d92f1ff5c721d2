// Publishing channels. Credentials arrive here already sealed (cipher + the backend that
// sealed it + the names of the fields set); this file never sees them in clear.
import type { Database } from 'better-sqlite3';
import type { PublishChannelKind } from '../../shared/publishing';

export interface ChannelRow {
  id: number;
  kind: PublishChannelKind;
  name: string;
  requiresLegal: boolean;
  enabled: boolean;
  config: Record<string, unknown>;
  secretBackend: string | null;
  secretCipher: Buffer | null;
  secretNames: string[];
  createdAt: number;
  updatedAt: number;
}

interface Raw {
  id: number;
  kind: PublishChannelKind;
  name: string;
  requires_legal: number;
  enabled: number;
  config: string;
  secret_backend: string | null;
  secret_cipher: Buffer | null;
  secret_names: string;
  created_at: number;
  updated_at: number;
}

function parseJson<T>(text: string, fallback: T): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

function toRow(r: Raw): ChannelRow {
  const names = parseJson<unknown>(r.secret_names, []);
  const config = parseJson<unknown>(r.config, {});
  return {
    id: r.id,
    kind: r.kind,
    name: r.name,
    requiresLegal: r.requires_legal === 1,
    enabled: r.enabled === 1,
    config: typeof config === 'object' && config !== null && !Array.isArray(config) ? (config as Record<string, unknown>) : {},
    secretBackend: r.secret_backend,
    secretCipher: r.secret_cipher,
    secretNames: Array.isArray(names) ? names.filter((n): n is string => typeof n === 'string') : [],
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export interface SealedSecrets {
  backend: string;
  cipher: Buffer;
  names: string[];
}

export class PublishChannelsRepo {
  private readonly all;
  private readonly one;
  private readonly byName;
  private readonly insert;

  constructor(private readonly db: Database) {
    this.all = db.prepare<[], Raw>('SELECT * FROM publish_channels ORDER BY name COLLATE NOCASE, id');
    this.one = db.prepare<[number], Raw>('SELECT * FROM publish_channels WHERE id = ?');
    this.byName = db.prepare<[string], { id: number }>('SELECT id FROM publish_channels WHERE name = ? COLLATE NOCASE');
    this.insert = db.prepare<[string, string, number, number, string, string | null, Buffer | null, string, number, number], { id: number }>(
      `INSERT INTO publish_channels (kind, name, requires_legal, enabled, config, secret_backend, secret_cipher, secret_names, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
    );
  }

  list(): ChannelRow[] {
    return this.all.all().map(toRow);
  }

  get(id: number): ChannelRow | null {
    const r = this.one.get(id);
    return r ? toRow(r) : null;
  }

  idByName(name: string): number | null {
    return this.byName.get(name)?.id ?? null;
  }

  create(
    input: { kind: PublishChannelKind; name: string; requiresLegal: boolean; enabled: boolean; config: object; secrets: SealedSecrets | null },
    now: number,
  ): number {
    const row = this.insert.get(
      input.kind,
      input.name,
      input.requiresLegal ? 1 : 0,
      input.enabled ? 1 : 0,
      JSON.stringify(input.config),
      input.secrets?.backend ?? null,
      input.secrets?.cipher ?? null,
      JSON.stringify(input.secrets?.names ?? []),
      now,
      now,
    );
    if (!row) throw new Error('channel insert returned no id');
    return row.id;
  }

  update(
    id: number,
    patch: { name?: string; requiresLegal?: boolean; enabled?: boolean; config?: object; secrets?: SealedSecrets | null },
    now: number,
  ): void {
    const sets: string[] = ['updated_at = @now'];
    const params: Record<string, unknown> = { id, now };
    if (patch.name !== undefined) {
      sets.push('name = @name');
      params.name = patch.name;
    }
    if (patch.requiresLegal !== undefined) {
      sets.push('requires_legal = @requiresLegal');
      params.requiresLegal = patch.requiresLegal ? 1 : 0;
    }
    if (patch.enabled !== undefined) {
      sets.push('enabled = @enabled');
      params.enabled = patch.enabled ? 1 : 0;
    }
    if (patch.config !== undefined) {
      sets.push('config = @config');
      params.config = JSON.stringify(patch.config);
    }
    if (patch.secrets !== undefined) {
      sets.push('secret_backend = @backend, secret_cipher = @cipher, secret_names = @names');
      params.backend = patch.secrets?.backend ?? null;
      params.cipher = patch.secrets?.cipher ?? null;
      params.names = JSON.stringify(patch.secrets?.names ?? []);
    }
    this.db.prepare(`UPDATE publish_channels SET ${sets.join(', ')} WHERE id = @id`).run(params);
  }
}
