// The Moments view's state: the list (live: re-read, throttled, on moments.changed), the
// selected moment's detail, the perimeter's themes (names, stance, SWOT) and the crisis
// alerts shown when a crisis opens (a desktop notification where allowed, else a toast).
import type { VedettaApi } from '../../../shared/contract';
import type { MomentDetail, MomentKind, MomentSettings, MomentState, MomentSummary } from '../../../shared/moments';
import { ApiError } from '../../../shared/contract';
import type { PerimeterTheme } from '../../../shared/perimeters';
import { t, type MessageKey } from '../../i18n/i18n.svelte';
import { listen } from '../../lib/events';
import { isolate } from '../../../shared/links';

type LoadState = 'idle' | 'loading' | 'ready' | 'error';

export interface MomentFilters {
  kind: MomentKind | null;
  state: MomentState | null;
  /** Only moments with mentions from this audience. */
  audienceId?: number | null;
}

export interface Toast {
  id: number;
  moment: MomentSummary;
}

/** What the store needs from the browser to notify (injected so tests can run without one). */
export interface Notifier {
  /** 'granted' shows a system notification; anything else falls back to a toast. */
  permission(): NotificationPermission | 'unsupported';
  request(): Promise<NotificationPermission | 'unsupported'>;
  show(title: string, body: string, onclick: () => void): void;
}

export const browserNotifier: Notifier = {
  permission: () => (typeof Notification === 'undefined' ? 'unsupported' : Notification.permission),
  request: async () => (typeof Notification === 'undefined' ? 'unsupported' : Notification.requestPermission()),
  show(title, body, onclick) {
    const n = new Notification(title, { body, tag: `vedetta-${title}` });
    n.onclick = () => {
      window.focus();
      onclick();
    };
  },
};

const RELOAD_MS = 400;
const TOAST_MS = 12_000;

export class MomentsStore {
  items = $state.raw<MomentSummary[]>([]);
  total = $state(0);
  state = $state<LoadState>('idle');
  error = $state<string | null>(null);
  filters = $state.raw<MomentFilters>({ kind: null, state: null });
  selectedId = $state<number | null>(null);
  detail = $state.raw<MomentDetail | null>(null);
  detailState = $state<LoadState>('idle');
  detailError = $state<string | null>(null);
  themes = $state.raw<PerimeterTheme[]>([]);
  toasts = $state.raw<Toast[]>([]);
  settings = $state.raw<MomentSettings | null>(null);
  settingsError = $state<string | null>(null);
  settingsSaving = $state(false);
  /** Whether the browser may show system notifications ('default': not asked yet). */
  permission = $state<NotificationPermission | 'unsupported'>('unsupported');
  /** Open crises, for the rail's badge. */
  readonly openCrises = $derived(this.items.filter((m) => m.kind === 'crisis' && m.state === 'open').length);

  #api: VedettaApi;
  #notifier: Notifier;
  #gen = 0;
  #detailGen = 0;
  #reloadTimer: ReturnType<typeof setTimeout> | null = null;
  #toastSeq = 0;
  /** When set, a click on a notification or toast opens that moment. */
  onopen: ((id: number) => void) | null = null;
  /** Whether the view is showing (the desktop app notifies from its main process instead). */
  notifyInPage = true;

  #off: () => void;

  constructor(api: VedettaApi, notifier: Notifier = browserNotifier) {
    this.#api = api;
    this.#notifier = notifier;
    this.permission = notifier.permission();
    this.#off = listen(api, {
      'moments.changed': ({ opened }) => this.changed(opened),
      // Someone took a crisis in charge (here or in another window): the moment shows who.
      'moments.acknowledged': () => this.changed([]),
      // Memberships changed: a list filtered by audience re-reads.
      'audiences.changed': () => {
        if (this.filters.audienceId != null) this.changed([]);
      },
      // Theme names for the filters.
      'perimeters.changed': () => void this.loadThemes(),
    });
  }

  /** Asked from a click (browsers allow the prompt only on a user gesture). */
  async requestPermission(): Promise<void> {
    try {
      this.permission = await this.#notifier.request();
    } catch {
      this.permission = this.#notifier.permission();
    }
  }

  async load(): Promise<void> {
    const gen = ++this.#gen;
    if (this.state !== 'ready') this.state = 'loading';
    try {
      const res = await this.#api.call('moments.list', {
        ...(this.filters.kind ? { kind: this.filters.kind } : {}),
        ...(this.filters.state ? { state: this.filters.state } : {}),
        ...(this.filters.audienceId != null ? { audienceIds: [this.filters.audienceId] } : {}),
      });
      if (gen !== this.#gen) return;
      this.items = res.items;
      this.total = res.total;
      this.state = 'ready';
      this.error = null;
      if (this.selectedId !== null && !res.items.some((m) => m.id === this.selectedId)) {
        // A rebuild renumbers moments: the old selection is gone.
        this.selectedId = res.items[0]?.id ?? null;
        this.detail = null;
      }
      if (this.selectedId === null && res.items[0]) this.selectedId = res.items[0].id;
      if (this.selectedId !== null) void this.loadDetail(this.selectedId);
    } catch (e) {
      if (gen !== this.#gen) return;
      this.state = 'error';
      this.error = e instanceof Error ? e.message : String(e);
    }
  }

  async loadThemes(): Promise<void> {
    try {
      this.themes = (await this.#api.call('perimeters.list', {})).themes;
    } catch {
      /* theme names are a nicety in the inbox filter; the next change retries */
    }
  }

  async loadSettings(): Promise<void> {
    try {
      this.settings = await this.#api.call('moments.settings', {});
      this.settingsError = null;
    } catch (e) {
      this.settingsError = e instanceof Error ? e.message : String(e);
    }
  }

  /** Saves the thresholds; the backend recomputes every moment (moments.changed follows). */
  async saveSettings(patch: Partial<MomentSettings>): Promise<boolean> {
    this.settingsSaving = true;
    try {
      this.settings = await this.#api.call('moments.settingsUpdate', patch);
      this.settingsError = null;
      return true;
    } catch (e) {
      const details = e instanceof ApiError && e.details?.length ? e.detailLines().map((d) => d.replace(/^(\w+):/, (_m, k: string) => `${t(`moments.set.${k}` as MessageKey)}:`)) : null;
      this.settingsError = t('moments.set.error', { details: details ? details.join('; ') : e instanceof Error ? e.message : String(e) });
      return false;
    } finally {
      this.settingsSaving = false;
    }
  }

  setFilters(patch: Partial<MomentFilters>): void {
    this.filters = { ...this.filters, ...patch };
    void this.load();
  }

  select(id: number): void {
    if (this.selectedId === id && this.detail?.moment.id === id) return;
    this.selectedId = id;
    void this.loadDetail(id);
  }

  move(delta: number): void {
    if (this.items.length === 0) return;
    const i = this.items.findIndex((m) => m.id === this.selectedId);
    const next = this.items[Math.max(0, Math.min(this.items.length - 1, (i < 0 ? -1 : i) + delta))];
    if (next) this.select(next.id);
  }

  async loadDetail(id: number): Promise<void> {
    const gen = ++this.#detailGen;
    if (this.detail?.moment.id !== id) this.detailState = 'loading';
    try {
      const d = await this.#api.call('moments.get', { id });
      if (gen !== this.#detailGen) return;
      this.detail = d;
      this.detailState = 'ready';
      this.detailError = null;
    } catch (e) {
      if (gen !== this.#detailGen) return;
      this.detailState = 'error';
      this.detailError = e instanceof Error ? e.message : String(e);
    }
  }

  /** moments.changed: re-read (throttled: during a pile-on it fires with every batch) and alert. */
  changed(opened: readonly MomentSummary[]): void {
    for (const m of opened) if (m.kind === 'crisis') this.#alert(m);
    if (this.#reloadTimer) return;
    this.#reloadTimer = setTimeout(() => {
      this.#reloadTimer = null;
      void this.load();
    }, RELOAD_MS);
  }

  #alert(m: MomentSummary): void {
    if (!this.notifyInPage) return;
    const open = (): void => this.onopen?.(m.id);
    if (this.#notifier.permission() === 'granted') {
      try {
        // The system notification's title is our own words; the moment's (outside) title goes
        // in the body, bidi-isolated (src/shared/links.ts).
        this.#notifier.show(t('moments.notifyTitle'), `${isolate(m.title)}: ${t('moments.toastBody', { count: m.volume })}`, open);
        return;
      } catch {
        /* fall back to the toast */
      }
    }
    const toast = { id: ++this.#toastSeq, moment: m };
    this.toasts = [...this.toasts, toast];
    setTimeout(() => this.dismiss(toast.id), TOAST_MS);
  }

  dismiss(id: number): void {
    this.toasts = this.toasts.filter((t) => t.id !== id);
  }

  dispose(): void {
    this.#off();
    this.#gen++;
    if (this.#reloadTimer) clearTimeout(this.#reloadTimer);
  }
}
