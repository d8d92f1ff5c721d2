// The signed-in person's notifications: the top bar's bell and its panel. Follows
// notifications.changed, which names the recipients: this window re-reads only when its own
// person is among them (someone assigned them something, or they read one in another window).
import type { VedettaApi } from '../../../shared/contract';
import type { Notification, Subject } from '../../../shared/ops/notifications';
import { listen } from '../../lib/events';

type LoadState = 'idle' | 'loading' | 'ready' | 'error';

/** How many the panel shows: the newest; older ones are not worth paging through. */
export const PANEL_SIZE = 30;

export class NotificationsStore {
  items = $state.raw<Notification[]>([]);
  unread = $state(0);
  state = $state<LoadState>('idle');
  error = $state<string | null>(null);
  /** Opens a notification's subject (set by the shell: it knows how to move between screens). */
  onopen: ((subject: Subject) => void) | null = null;

  #api: VedettaApi;
  #me: () => number | null;
  #gen = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #off: () => void;

  constructor(api: VedettaApi, me: () => number | null) {
    this.#api = api;
    this.#me = me;
    this.#off = listen(api, {
      'notifications.changed': ({ userIds }) => {
        const id = this.#me();
        if (id !== null && userIds.includes(id)) this.loadSoon();
      },
    });
  }

  /** Reads the newest notifications and the unread count; a failure lands in state/error. */
  async load(): Promise<void> {
    const gen = ++this.#gen;
    if (this.state !== 'ready') this.state = 'loading';
    try {
      const res = await this.#api.call('notifications.list', { limit: PANEL_SIZE });
      if (gen !== this.#gen) return;
      this.items = res.items;
      this.unread = res.unread;
      this.state = 'ready';
      this.error = null;
      document.documentElement.dataset.unread = String(res.unread);
    } catch (e) {
      if (gen !== this.#gen) return;
      this.state = 'error';
      this.error = e instanceof Error ? e.message : String(e);
    }
  }

  /** A burst of changes (ten assignments at once) is one read. */
  loadSoon(delay = 150): void {
    if (this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.load();
    }, delay);
  }

  /** Opens the subject and marks the notification read (the count drops at once). */
  open(n: Notification): void {
    this.onopen?.(n.subject);
    if (!n.read) void this.markRead(n.id);
  }

  async markRead(id: number): Promise<void> {
    const before = this.items;
    this.items = before.map((n) => (n.id === id ? { ...n, read: true } : n));
    if (before.some((n) => n.id === id && !n.read)) this.unread = Math.max(0, this.unread - 1);
    try {
      this.unread = (await this.#api.call('notifications.markRead', { id })).unread;
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
      this.loadSoon(0);
    }
  }

  async markAllRead(): Promise<void> {
    this.items = this.items.map((n) => (n.read ? n : { ...n, read: true }));
    this.unread = 0;
    try {
      this.unread = (await this.#api.call('notifications.markAllRead', {})).unread;
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
      this.loadSoon(0);
    }
  }

  dispose(): void {
    this.#off();
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }
}
