// The inbox's selection and its bulk actions with undo. The selection is by id (arrivals never
// move it); an action sets one value per selected mention through one server op, and the
// server answers with what it replaced, so Undo (the toast's «Annulla», Ctrl+Z) puts back
// each mention as it was and Redo (Ctrl+Shift+Z) sends the same action again.
import type { VedettaApi } from '../../../shared/contract';
import type { SentimentLabel } from '../../../shared/sentiment';
import { t } from '../../i18n/i18n.svelte';
import type { TagsStore } from '../tags/tags.svelte';
import { onList, pageState, pushDone, toggled, withItems, withRange, type BulkCall, type DoneAction } from './bulk-logic';

/** How long the toast with «Annulla» stays (Ctrl+Z works after it goes). */
export const TOAST_MS = 10_000;

export interface BulkToast {
  text: string;
  /** What the toast's button does: undo the last action, or redo the last undone one. */
  button: 'undo' | 'redo' | null;
}

type Result<C extends BulkCall> = { changed: number; previous: C['items'] };

export class BulkStore {
  /** Ids ticked (some may have left the list: `ids` is what acts). */
  picked = $state.raw<ReadonlySet<number>>(new Set());
  toast = $state.raw<BulkToast | null>(null);
  busy = $state(false);
  error = $state<string | null>(null);
  done = $state.raw<DoneAction[]>([]);
  undone = $state.raw<DoneAction[]>([]);

  /** The ids the inbox lists now, in its order. */
  #order: () => readonly number[] = () => [];
  /** The selected mentions on the list, in its order. */
  readonly ids = $derived(onList(this.picked, this.#order()));
  readonly count = $derived(this.ids.length);
  readonly page = $derived(pageState(this.picked, this.#order()));

  #api: VedettaApi;
  #tags: TagsStore | null;
  #anchor: number | null = null;
  #toastTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(api: VedettaApi, order: () => readonly number[], tags: TagsStore | null = null) {
    this.#api = api;
    this.#order = order;
    this.#tags = tags;
  }

  isPicked(id: number): boolean {
    return this.picked.has(id);
  }

  /** A row's box or `x`; with shift, the range from the last row toggled. */
  toggle(id: number, range = false): void {
    this.picked = range ? withRange(this.picked, this.#order(), this.#anchor, id) : toggled(this.picked, id);
    this.#anchor = id;
  }

  togglePage(): void {
    this.picked = this.page === 'all' ? new Set() : new Set(this.#order());
  }

  clear(): void {
    this.picked = new Set();
    this.#anchor = null;
  }

  /** Puts a tag on every selected mention, or (all already carry it) takes it off. */
  async tag(tagId: number, ids: readonly number[] = this.ids): Promise<void> {
    const carried = ids.every((id) => this.#tags?.of(id).includes(tagId) ?? false);
    const tagged = !carried;
    const name = this.#tags?.byId.get(tagId)?.name ?? '';
    await this.#act({ op: 'mentions.bulkTag', tagId, items: ids.map((id) => ({ id, tagged })) }, (n) => t(tagged ? 'bulk.done.tag' : 'bulk.done.untag', { count: n, name }));
  }

  async assign(userId: number | null, name: string): Promise<void> {
    await this.#act({ op: 'mentions.bulkAssign', items: this.ids.map((id) => ({ id, userId })) }, (n) => t('bulk.done.assign', { count: n, name }));
  }

  async markRead(read: boolean): Promise<void> {
    await this.#act({ op: 'mentions.bulkRead', items: this.ids.map((id) => ({ id, read })) }, (n) => t(read ? 'bulk.done.read' : 'bulk.done.unread', { count: n }));
  }

  async hide(): Promise<void> {
    await this.#act({ op: 'mentions.bulkStatus', items: this.ids.map((id) => ({ id, status: 'archived' as const })) }, (n) => t('bulk.done.hide', { count: n }));
  }

  async sentiment(label: SentimentLabel): Promise<void> {
    const word = t(`sentiment.${label}`).toLowerCase();
    await this.#act({ op: 'mentions.bulkSentiment', items: this.ids.map((id) => ({ id, label })) }, (n) => t('bulk.done.sentiment', { count: n, label: word }));
  }

  /** Ctrl+Z: the last action's mentions back as they were. */
  async undo(): Promise<void> {
    const last = this.done.at(-1);
    if (!last || this.busy) return;
    if (last.backward && !(await this.#send(last.backward))) return;
    this.done = this.done.slice(0, -1);
    this.undone = [...this.undone, last];
    this.#show({ text: t('bulk.undone', { what: last.what }), button: 'redo' });
  }

  /** Ctrl+Shift+Z: the last undone action again. */
  async redo(): Promise<void> {
    const last = this.undone.at(-1);
    if (!last || this.busy) return;
    const res = await this.#send(last.forward);
    if (!res) return;
    this.undone = this.undone.slice(0, -1);
    this.done = pushDone(this.done, { ...last, backward: res.changed > 0 ? withItems(last.forward, res.previous) : null });
    this.#show({ text: t('bulk.redone', { what: last.what }), button: 'undo' });
  }

  closeToast(): void {
    this.toast = null;
    if (this.#toastTimer) clearTimeout(this.#toastTimer);
    this.#toastTimer = null;
  }

  dispose(): void {
    this.closeToast();
  }

  async #act(call: BulkCall, words: (changed: number) => string): Promise<void> {
    if (call.items.length === 0 || this.busy) return;
    const res = await this.#send(call);
    if (!res) return;
    if (res.changed === 0) {
      this.#show({ text: t('bulk.done.nothing'), button: null });
      return;
    }
    const what = words(res.changed);
    this.done = pushDone(this.done, { forward: call, backward: withItems(call, res.previous), what });
    this.undone = [];
    this.#show({ text: what, button: 'undo' });
  }

  /** One server op; a refusal leaves everything as it was and says why. */
  async #send<C extends BulkCall>(call: C): Promise<Result<C> | null> {
    this.busy = true;
    this.error = null;
    try {
      const res = (await this.#call(call)) as Result<C>;
      if (call.op === 'mentions.bulkTag') this.#tags?.applyTagged(call.tagId, call.items);
      return res;
    } catch (e) {
      this.error = t('bulk.error', { message: e instanceof Error ? e.message : String(e) });
      return null;
    } finally {
      this.busy = false;
    }
  }

  #call(c: BulkCall): Promise<{ changed: number; previous: unknown[] }> {
    switch (c.op) {
      case 'mentions.bulkTag':
        return this.#api.call(c.op, { tagId: c.tagId, items: c.items });
      case 'mentions.bulkAssign':
        return this.#api.call(c.op, { items: c.items });
      case 'mentions.bulkRead':
        return this.#api.call(c.op, { items: c.items });
      case 'mentions.bulkStatus':
        return this.#api.call(c.op, { items: c.items });
      case 'mentions.bulkSentiment':
        return this.#api.call(c.op, { items: c.items });
    }
  }

  #show(toast: BulkToast): void {
    this.closeToast();
    this.toast = toast;
    this.#toastTimer = setTimeout(() => {
      this.#toastTimer = null;
      this.toast = null;
    }, TOAST_MS);
  }
}
