// Publishing state for Settings → Canali di pubblicazione and the outbox list: channels and
// outbox entries, kept live by publishing.* events, and the actions on them. The responses
// view can reuse it (outbox filtered by response).
import { ApiError, type VedettaApi } from '../../../shared/contract';
import { listen } from '../../lib/events';
import type {
  ManualPlatform,
  OutboxView,
  PublishChannelConfig,
  PublishChannelKind,
  PublishChannelSecrets,
  PublishChannelTestResult,
  PublishChannelView,
} from '../../../shared/publishing';

export interface ChannelForm {
  id: number | null;
  kind: PublishChannelKind;
  name: string;
  requiresLegal: boolean;
  clientId: string;
  username: string;
  instance: string;
  url: string;
  /** Manual: where the text is posted by hand ('' = not said: the generic limit). */
  platform: ManualPlatform | '';
  secrets: { clientSecret: string; password: string; refreshToken: string; accessToken: string; hmacSecret: string };
}

export const CHANNEL_KINDS: readonly PublishChannelKind[] = ['manual', 'webhook', 'reddit', 'mastodon'];

export function emptyForm(kind: PublishChannelKind = 'manual'): ChannelForm {
  return {
    id: null,
    kind,
    name: '',
    requiresLegal: false,
    clientId: '',
    username: '',
    instance: '',
    url: '',
    platform: '',
    secrets: { clientSecret: '', password: '', refreshToken: '', accessToken: '', hmacSecret: '' },
  };
}

export function formOf(c: PublishChannelView): ChannelForm {
  return {
    ...emptyForm(c.kind),
    id: c.id,
    name: c.name,
    requiresLegal: c.requiresLegal,
    clientId: c.config.clientId ?? '',
    username: c.config.username ?? '',
    instance: c.config.instance ?? '',
    url: c.config.url ?? '',
    platform: c.config.platform ?? '',
  };
}

/** The kind's settings only; secrets typed in only (an empty field keeps the stored one). */
export function payloadOf(f: ChannelForm): { config: PublishChannelConfig; secrets: PublishChannelSecrets } {
  const config: PublishChannelConfig = {};
  const secrets: PublishChannelSecrets = {};
  const s = f.secrets;
  const put = <K extends keyof PublishChannelSecrets>(k: K): void => {
    if (s[k].trim()) secrets[k] = s[k].trim();
  };
  if (f.kind === 'reddit') {
    config.clientId = f.clientId.trim();
    if (f.username.trim()) config.username = f.username.trim();
    put('clientSecret');
    put('password');
    put('refreshToken');
  } else if (f.kind === 'mastodon') {
    config.instance = f.instance.trim();
    put('accessToken');
  } else if (f.kind === 'webhook') {
    config.url = f.url.trim();
    put('hmacSecret');
  } else if (f.platform !== '') {
    config.platform = f.platform;
  }
  return { config, secrets };
}

function message(e: unknown): string {
  if (e instanceof ApiError && e.details?.length) return `${e.message}: ${e.detailLines().join('; ')}`;
  return e instanceof Error ? e.message : String(e);
}

export class PublishingStore {
  channels = $state.raw<PublishChannelView[]>([]);
  outbox = $state.raw<OutboxView[]>([]);
  /** Error of the channel form (save). */
  formError = $state<string | null>(null);
  /** Error of an outbox action, by entry id. */
  entryErrors = $state.raw<ReadonlyMap<number, string>>(new Map());
  loadError = $state<string | null>(null);
  testResult = $state<PublishChannelTestResult | null>(null);
  testing = $state(false);
  saving = $state(false);

  #api: VedettaApi;
  #off: () => void;
  /** Only entries of this response when set (the responses view). */
  #responseId: number | undefined;

  constructor(api: VedettaApi, responseId?: number) {
    this.#api = api;
    this.#responseId = responseId;
    this.#off = listen(api, {
      'publishing.outboxChanged': (e) => {
        if (this.#responseId !== undefined && e.responseId !== this.#responseId) return;
        const rest = this.outbox.filter((x) => x.id !== e.id);
        this.outbox = [e, ...rest].sort((a, b) => b.id - a.id);
      },
      'publishing.channelsChanged': () => {
        void this.loadChannels();
      },
    });
  }

  dispose(): void {
    this.#off();
  }

  async load(): Promise<void> {
    await Promise.all([this.loadChannels(), this.loadOutbox()]);
  }

  async loadChannels(): Promise<void> {
    try {
      this.channels = await this.#api.call('publishing.channels', {});
    } catch (e) {
      this.loadError = message(e);
    }
  }

  async loadOutbox(): Promise<void> {
    try {
      this.outbox = await this.#api.call('publishing.outbox', this.#responseId !== undefined ? { responseId: this.#responseId } : {});
    } catch (e) {
      this.loadError = message(e);
    }
  }

  async save(f: ChannelForm): Promise<PublishChannelView | null> {
    this.formError = null;
    this.saving = true;
    const { config, secrets } = payloadOf(f);
    try {
      const saved =
        f.id === null
          ? await this.#api.call('publishing.channelCreate', { kind: f.kind, name: f.name, requiresLegal: f.requiresLegal, config, secrets })
          : await this.#api.call('publishing.channelUpdate', { id: f.id, name: f.name, requiresLegal: f.requiresLegal, config, secrets });
      await this.loadChannels();
      return saved;
    } catch (e) {
      this.formError = message(e);
      return null;
    } finally {
      this.saving = false;
    }
  }

  async test(f: ChannelForm): Promise<void> {
    this.testResult = null;
    this.testing = true;
    const { config, secrets } = payloadOf(f);
    try {
      this.testResult = await this.#api.call('publishing.channelTest', { ...(f.id !== null ? { id: f.id } : {}), kind: f.kind, config, secrets });
    } catch (e) {
      this.testResult = { ok: false, message: message(e) };
    } finally {
      this.testing = false;
    }
  }

  async setEnabled(c: PublishChannelView, enabled: boolean): Promise<void> {
    this.loadError = null;
    try {
      if (enabled) await this.#api.call('publishing.channelUpdate', { id: c.id, enabled: true });
      else await this.#api.call('publishing.channelDisable', { id: c.id });
      await this.loadChannels();
    } catch (e) {
      this.loadError = message(e);
    }
  }

  #setEntryError(id: number, msg: string | null): void {
    const next = new Map(this.entryErrors);
    if (msg === null) next.delete(id);
    else next.set(id, msg);
    this.entryErrors = next;
  }

  async recordManual(id: number, url: string): Promise<boolean> {
    this.#setEntryError(id, null);
    try {
      const e = await this.#api.call('publishing.recordManual', { id, url });
      this.outbox = this.outbox.map((x) => (x.id === e.id ? e : x));
      return true;
    } catch (e) {
      this.#setEntryError(id, message(e));
      return false;
    }
  }

  async retry(id: number): Promise<void> {
    this.#setEntryError(id, null);
    try {
      const e = await this.#api.call('publishing.retry', { id });
      this.outbox = this.outbox.map((x) => (x.id === e.id ? e : x));
    } catch (e) {
      this.#setEntryError(id, message(e));
    }
  }

  copyFailed(id: number, msg: string): void {
    this.#setEntryError(id, msg);
  }
}
