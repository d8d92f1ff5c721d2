// Sources: the list (shown by the inbox filter and the Sources screen, re-read on
// sources.changed), actions on sources (add, edit, pause, resume, delete, poll now, dry run)
// and the notices of sources the scheduler paused.
import type { OpInput, OpOutput, VedettaApi } from '../../../shared/contract';
import type { SourceView } from '../../../shared/ops/sources';
import type { SourceTestResult } from '../../../shared/sources';
import { listen } from '../../lib/events';
import { compact, configOf, intervalSecOf, opt, redditRssName, secretsOf, toFormError, type FormError, type PolledInput, type SourceForm } from './sources-form';

export * from './sources-form';

export interface PausedNotice {
  id: number;
  name: string;
  reason: string;
}

export class SourcesStore {
  items = $state.raw<SourceView[]>([]);
  notices = $state.raw<PausedNotice[]>([]);
  /** Source id → the action running on it. */
  busy = $state.raw<ReadonlyMap<number, string>>(new Map());
  error = $state<string | null>(null);

  #api: VedettaApi;
  #off: () => void;
  #listTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(api: VedettaApi) {
    this.#api = api;
    this.#off = listen(api, {
      'sources.paused': (n) => {
        this.notices = [...this.notices.filter((x) => x.id !== n.id), n];
      },
      'sources.changed': () => this.loadListSoon(),
      'import.finished': () => this.loadListSoon(),
    });
  }

  /** The first read, part of the app's start: a failure is the caller's to show. */
  async loadList(): Promise<void> {
    this.items = await this.#api.call('sources.list', {});
  }

  /** Re-reads the list, once for a burst of changes; on failure the previous list stays. */
  loadListSoon(delay = 400): void {
    if (this.#listTimer) return;
    this.#listTimer = setTimeout(() => {
      this.#listTimer = null;
      void this.#refreshList();
    }, delay);
  }

  /** Never rejects: a failed refresh keeps the previous list. */
  async #refreshList(): Promise<void> {
    try {
      await this.loadList();
    } catch {
      /* kept the previous list; the next change retries */
    }
  }

  /** Whether a mention came from a source the list does not show yet (one just created). */
  knows(sourceId: number): boolean {
    return this.items.some((s) => s.id === sourceId);
  }

  dispose(): void {
    this.#off();
    if (this.#listTimer) clearTimeout(this.#listTimer);
  }

  dismiss(id: number): void {
    this.notices = this.notices.filter((n) => n.id !== id);
  }

  async #act<T>(id: number, action: string, fn: () => Promise<T>): Promise<T | null> {
    this.error = null;
    this.busy = new Map([...this.busy, [id, action]]);
    try {
      return await fn();
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
      return null;
    } finally {
      const next = new Map(this.busy);
      next.delete(id);
      this.busy = next;
    }
  }

  pause(id: number): Promise<SourceView | null> {
    return this.#act(id, 'pause', () => this.#api.call('sources.pause', { id }));
  }

  resume(id: number): Promise<SourceView | null> {
    this.dismiss(id);
    return this.#act(id, 'resume', () => this.#api.call('sources.resume', { id }));
  }

  pollNow(id: number): Promise<SourceView | null> {
    return this.#act(id, 'poll', () => this.#api.call('sources.pollNow', { id }));
  }

  remove(id: number): Promise<OpOutput<'sources.delete'> | null> {
    this.dismiss(id);
    return this.#act(id, 'delete', () => this.#api.call('sources.delete', { id }));
  }

  /** Saves the form: a new source, or the edit of `id`. Throws FormError for the form to show. */
  async save(f: SourceForm, id: number | null): Promise<SourceView> {
    const cfg = configOf(f);
    if ('error' in cfg) throw { message: cfg.error, details: [] } satisfies FormError;
    const name = opt(f.name) ?? (id === null ? redditRssName(f) : undefined);
    const intervalSec = intervalSecOf(f);
    const secrets = secretsOf(f);
    try {
      if (id === null) {
        return await this.#api.call('sources.add', { ...cfg, ...compact({ name, intervalSec, secrets }) } as OpInput<'sources.add'>);
      }
      return await this.#api.call('sources.update', { id, config: cfg.config, ...compact({ name, intervalSec, secrets }) });
    } catch (e) {
      throw toFormError(e);
    }
  }

  /** The dry run of the form's settings, or of a stored source. */
  async test(input: PolledInput | { id: number }): Promise<SourceTestResult> {
    return this.#api.call('sources.test', input);
  }
}
