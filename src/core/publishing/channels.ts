// Publishing channels: their settings per kind (only the fields a kind uses are kept), their
// credentials sealed by the SecretStore (names shown, values never), a connection test, and
// the channel summaries the responses workflow reads. A channel is usable only when its
// connector finds nothing missing in its settings.
import { ApiError } from '../../shared/contract';
import {
  channelCharLimit,
  PublishChannelConfigSchema,
  PublishChannelSecretsSchema,
  type PublishChannel,
  type PublishChannelConfig,
  type PublishChannelCreate,
  type PublishChannelKind,
  type PublishChannelSecrets,
  type PublishChannelTest,
  type PublishChannelTestResult,
  type PublishChannelUpdate,
  type PublishChannelView,
} from '../../shared/publishing';
import { noteAudit } from '../api/call-scope';
import type { EventBus } from '../api/events';
import type { SecretStore } from '../sources';
import type { ChannelRow, PublishChannelsRepo, SealedSecrets } from '../store/publish-channels-repo';
import { testSaid, type ChannelTestResult, type PublishConnectors } from './ports';

const KIND_FIELDS: Record<PublishChannelKind, { config: (keyof PublishChannelConfig)[]; secrets: (keyof PublishChannelSecrets)[] }> = {
  reddit: { config: ['clientId', 'username'], secrets: ['clientSecret', 'password', 'refreshToken'] },
  mastodon: { config: ['instance'], secrets: ['accessToken'] },
  webhook: { config: ['url'], secrets: ['hmacSecret'] },
  manual: { config: ['platform'], secrets: [] },
};
export const KIND_NAMES: Record<PublishChannelKind, string> = { reddit: 'Reddit', mastodon: 'Mastodon', webhook: 'webhook', manual: 'manuale' };

function pick<T extends object>(obj: T, keys: readonly (keyof T)[]): Partial<T> {
  const out: Partial<T> = {};
  for (const k of keys) {
    const v = obj[k];
    if (typeof v === 'string' && v.trim() !== '') out[k] = v;
  }
  return out;
}

export interface PublishChannelsDeps {
  events: EventBus;
  now: () => number;
  secrets: SecretStore;
  connectors: PublishConnectors;
  /** A channel was enabled: the outbox may have entries waiting for it. */
  enabled: () => void;
}

export class PublishChannels {
  constructor(
    private readonly repo: PublishChannelsRepo,
    private readonly d: PublishChannelsDeps,
  ) {}

  channels(): PublishChannel[] {
    return this.repo.list().map((r) => summaryOf(r));
  }

  channel(id: number): PublishChannel | null {
    const r = this.repo.get(id);
    return r ? summaryOf(r) : null;
  }

  /**
   * Asks a Mastodon instance for its character limit and keeps it on the channel. Called when
   * the channel connects (created, its settings changed, "Prova connessione"); an instance
   * that does not answer leaves the limit as it was (500 when never read).
   */
  async refreshLimit(id: number): Promise<void> {
    const ch = this.repo.get(id);
    const connector = ch ? this.d.connectors[ch.kind as Exclude<PublishChannelKind, 'manual'>] : undefined;
    if (!ch || !connector?.charLimit) return;
    const config = PublishChannelConfigSchema.safeParse(ch.config).data ?? {};
    let secrets: PublishChannelSecrets = {};
    try {
      secrets = this.open(ch);
    } catch {
      /* the instance's public configuration needs no token */
    }
    let max: number | null = null;
    try {
      max = await connector.charLimit({ config, secrets, now: this.d.now });
    } catch {
      max = null;
    }
    try {
      // Read again: the settings may have changed while the instance answered.
      const now = this.repo.get(id);
      const current = now ? (PublishChannelConfigSchema.safeParse(now.config).data ?? {}) : null;
      if (max === null || !current || max === current.maxChars) return;
      this.repo.update(id, { config: { ...current, maxChars: max } }, this.d.now());
      this.d.events.emit('publishing.channelsChanged', {});
    } catch {
      /* the app closed while the instance answered: read again at the next connection */
    }
  }

  listChannels(): PublishChannelView[] {
    return this.repo.list().map((r) => this.toChannelView(r));
  }

  createChannel(input: PublishChannelCreate): PublishChannelView {
    const kind = input.kind;
    const name = input.name.trim();
    if (this.repo.idByName(name) !== null) throw new ApiError('publishing.channelNameTaken', { name });
    const config = pick(PublishChannelConfigSchema.parse(input.config ?? {}), KIND_FIELDS[kind].config);
    const secrets = pick(PublishChannelSecretsSchema.parse(input.secrets ?? {}), KIND_FIELDS[kind].secrets);
    this.assertUsable(kind, config, secrets);
    const id = this.repo.create(
      { kind, name, requiresLegal: input.requiresLegal ?? false, enabled: input.enabled ?? true, config, secrets: this.seal(secrets) },
      this.d.now(),
    );
    this.d.events.emit('publishing.channelsChanged', {});
    void this.refreshLimit(id);
    return this.toChannelView(this.mustChannel(id));
  }

  updateChannel(input: PublishChannelUpdate): PublishChannelView {
    const ch = this.mustChannel(input.id);
    const name = input.name?.trim();
    if (name !== undefined && name.toLowerCase() !== ch.name.toLowerCase() && this.repo.idByName(name) !== null) {
      throw new ApiError('publishing.channelNameTaken', { name });
    }
    const fields = KIND_FIELDS[ch.kind];
    const storedConfig = PublishChannelConfigSchema.safeParse(ch.config).data ?? {};
    // The instance's limit was read, not typed: new settings keep it until it is read again.
    const config = input.config
      ? { ...pick(PublishChannelConfigSchema.parse(input.config), fields.config), ...(storedConfig.maxChars !== undefined ? { maxChars: storedConfig.maxChars } : {}) }
      : storedConfig;
    const newSecrets = input.secrets ? pick(PublishChannelSecretsSchema.parse(input.secrets), fields.secrets) : {};
    const touchesSettings = input.config !== undefined || Object.keys(newSecrets).length > 0;
    let sealed: SealedSecrets | null | undefined;
    if (touchesSettings) {
      // Empty fields keep what is stored; unreadable stored secrets must all be typed again.
      let stored: PublishChannelSecrets = {};
      try {
        stored = this.open(ch);
      } catch {
        stored = {};
      }
      const merged = { ...stored, ...newSecrets };
      // Password and refresh token are alternatives: the one just typed replaces the other.
      if (newSecrets.refreshToken) delete merged.password;
      if (newSecrets.password) delete merged.refreshToken;
      this.assertUsable(ch.kind, config, merged);
      sealed = Object.keys(newSecrets).length > 0 ? this.seal(merged) : undefined;
    }
    this.repo.update(
      ch.id,
      {
        ...(name !== undefined ? { name } : {}),
        ...(input.requiresLegal !== undefined ? { requiresLegal: input.requiresLegal } : {}),
        ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
        ...(input.config !== undefined ? { config } : {}),
        ...(sealed !== undefined ? { secrets: sealed } : {}),
      },
      this.d.now(),
    );
    noteAudit({
      detail: {
        name: name ?? ch.name,
        ...(input.requiresLegal !== undefined ? { requiresLegal: input.requiresLegal } : {}),
        ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
        ...(input.config !== undefined ? { config } : {}),
        ...(Object.keys(newSecrets).length ? { sealedFieldsChanged: Object.keys(newSecrets).sort() } : {}),
      },
    });
    this.d.events.emit('publishing.channelsChanged', {});
    if (touchesSettings) void this.refreshLimit(ch.id);
    if (input.enabled === true) this.d.enabled();
    return this.toChannelView(this.mustChannel(ch.id));
  }

  async testChannel(input: PublishChannelTest): Promise<PublishChannelTestResult> {
    const stored = input.id !== undefined ? this.mustChannel(input.id) : null;
    const kind = input.kind ?? stored?.kind;
    if (!kind) throw new ApiError('publishing.testNoKind');
    if (stored && kind !== stored.kind) throw new ApiError('publishing.kindFixed');
    if (kind === 'manual') return carriedTest(testSaid(true, 'publish.manualTest'));
    const fields = KIND_FIELDS[kind];
    const config = input.config ? pick(PublishChannelConfigSchema.parse(input.config), fields.config) : (PublishChannelConfigSchema.safeParse(stored?.config ?? {}).data ?? {});
    let secrets: PublishChannelSecrets = {};
    if (stored) {
      try {
        secrets = this.open(stored);
      } catch (e) {
        if (!input.secrets) return e instanceof ApiError ? { ok: false, message: e.message, ref: { key: e.key, params: { ...e.params } } } : { ok: false, message: e instanceof Error ? e.message : String(e) };
      }
    }
    secrets = { ...secrets, ...(input.secrets ? pick(PublishChannelSecretsSchema.parse(input.secrets), fields.secrets) : {}) };
    const connector = this.d.connectors[kind];
    if (!connector) return carriedTest(testSaid(false, 'publish.unavailableTest', { kind: KIND_NAMES[kind] }));
    const said = carriedTest(await connector.test({ config, secrets, now: this.d.now }));
    if (stored && said.ok) await this.refreshLimit(stored.id);
    return said;
  }

  private assertUsable(kind: PublishChannelKind, config: PublishChannelConfig, secrets: PublishChannelSecrets): void {
    if (kind === 'manual') return;
    const problem = this.d.connectors[kind]?.configProblem(config, secrets);
    if (problem) throw new ApiError('publishing.channelIncomplete', { kind: KIND_NAMES[kind], problem });
  }

  private seal(secrets: PublishChannelSecrets): SealedSecrets | null {
    const names = Object.keys(secrets).sort();
    if (names.length === 0) return null;
    return { backend: this.d.secrets.backend, cipher: this.d.secrets.encrypt(JSON.stringify(secrets)), names };
  }

  /** A channel's secrets, unsealed (an ApiError when this backend cannot read them). */
  open(ch: ChannelRow): PublishChannelSecrets {
    if (!ch.secretCipher || !ch.secretBackend) return {};
    const family = (b: string): string => (b === 'local_key' ? 'local' : 'os');
    if (family(ch.secretBackend) !== family(this.d.secrets.backend)) {
      throw new ApiError(ch.secretBackend === 'local_key' ? 'publishing.secretsFromBrowser' : 'publishing.secretsFromDesktop');
    }
    let plain: string;
    try {
      plain = this.d.secrets.decrypt(ch.secretCipher);
    } catch {
      throw new ApiError('publishing.secretsUndecryptable');
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(plain);
    } catch {
      parsed = null;
    }
    const res = PublishChannelSecretsSchema.safeParse(parsed);
    if (!res.success) throw new ApiError('publishing.secretsUnreadable');
    return res.data;
  }

  mustChannel(id: number): ChannelRow {
    const ch = this.repo.get(id);
    if (!ch) throw new ApiError('publishing.channelNotFound', { id });
    return ch;
  }

  private toChannelView(r: ChannelRow): PublishChannelView {
    return {
      ...summaryOf(r),
      config: PublishChannelConfigSchema.safeParse(r.config).data ?? {},
      secretNames: r.secretNames,
      createdAt: new Date(r.createdAt).toISOString(),
      updatedAt: new Date(r.updatedAt).toISOString(),
    };
  }
}

function summaryOf(r: ChannelRow): PublishChannel {
  const config = PublishChannelConfigSchema.safeParse(r.config).data ?? {};
  return {
    id: r.id,
    kind: r.kind,
    name: r.name,
    requiresLegal: r.requiresLegal,
    enabled: r.enabled,
    charLimit: channelCharLimit(r.kind, config),
    platform: r.kind === 'manual' ? (config.platform ?? null) : null,
  };
}

/** A channel test's answer as the contract carries it: the text's code with plain params, for the viewer to word. */
function carriedTest(r: ChannelTestResult): PublishChannelTestResult {
  return { ok: r.ok, message: r.message, ...(r.ref ? { ref: { key: r.ref.key, params: { ...r.ref.params } } } : {}) };
}
