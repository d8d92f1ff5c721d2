// The webhook keys of Impostazioni, for administrators: the list, a new key, a rotation, a
// removal. A token arrives only with a creation or a rotation; it stays in `reveal` until the
// person says "Fatto", then nothing in the page holds it any more.
import { ApiError, type VedettaApi } from '../../../shared/contract';
import type { WebhookKey } from '../../../shared/ops/webhooks';
import { listen } from '../../lib/events';

function message(e: unknown): string {
  if (e instanceof ApiError && e.details?.length) return `${e.message}: ${e.detailLines().join('; ')}`;
  return e instanceof Error ? e.message : String(e);
}

/** A token just made, shown once. */
export interface WebhookReveal {
  keyId: number;
  name: string;
  token: string;
  rotated: boolean;
}

export class WebhookKeysStore {
  keys = $state.raw<WebhookKey[]>([]);
  mentionsUrl = $state<string | null>(null);
  metricsUrl = $state<string | null>(null);
  state = $state<'idle' | 'loading' | 'ready' | 'error'>('idle');
  /** Why the list could not be read. */
  error = $state<string | null>(null);
  /** Why a rotation or a removal failed (shown above the table). */
  actionError = $state<string | null>(null);
  reveal = $state.raw<WebhookReveal | null>(null);
  /** The key an action is running on, so its buttons wait. */
  busyId = $state<number | null>(null);

  #api: VedettaApi;
  #generation = 0;
  #off: () => void;

  constructor(api: VedettaApi) {
    this.#api = api;
    // Another administrator's change, or the minute's uses written: re-read once shown.
    this.#off = listen(api, {
      'webhooks.changed': () => {
        if (this.state !== 'idle') void this.load();
      },
    });
  }

  async load(): Promise<void> {
    const gen = ++this.#generation;
    if (this.state !== 'ready') this.state = 'loading';
    try {
      const r = await this.#api.call('webhooks.list', {});
      if (gen !== this.#generation) return;
      this.keys = r.keys;
      this.mentionsUrl = r.mentionsUrl;
      this.metricsUrl = r.metricsUrl;
      this.error = null;
      this.state = 'ready';
    } catch (e) {
      if (gen !== this.#generation) return;
      this.error = message(e);
      this.state = 'error';
    }
  }

  /** null when made (its token is in `reveal`); else the reason, shown by the form. */
  async create(name: string): Promise<string | null> {
    try {
      const { key, token } = await this.#api.call('webhooks.create', { name });
      this.reveal = { keyId: key.id, name: key.name, token, rotated: false };
      this.actionError = null;
      await this.load();
      return null;
    } catch (e) {
      return message(e);
    }
  }

  async rotate(id: number): Promise<boolean> {
    return this.#onKey(id, async () => {
      const { key, token } = await this.#api.call('webhooks.rotate', { id });
      this.reveal = { keyId: key.id, name: key.name, token, rotated: true };
    });
  }

  async remove(id: number): Promise<boolean> {
    return this.#onKey(id, async () => {
      await this.#api.call('webhooks.remove', { id });
      // The token of a key that no longer exists is worth nothing: it goes too.
      if (this.reveal?.keyId === id) this.reveal = null;
    });
  }

  /**
   * An action on one key: its buttons wait meanwhile, a failure is shown above the table, and
   * the list is read again either way (a key another administrator removed leaves it).
   */
  async #onKey(id: number, act: () => Promise<void>): Promise<boolean> {
    this.busyId = id;
    try {
      await act();
      this.actionError = null;
      return true;
    } catch (e) {
      this.actionError = message(e);
      return false;
    } finally {
      await this.load();
      this.busyId = null;
    }
  }

  /** "Fatto": the token is dropped, never to be shown again. */
  dismissReveal(): void {
    this.reveal = null;
  }

  dispose(): void {
    this.#off();
    this.reveal = null;
  }
}
