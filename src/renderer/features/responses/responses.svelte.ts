// The Responses view's state: the queues (re-read, throttled, on responses.changed), the
// selected response's detail, the composer (with the target's thread and the saved templates),
// the policy editor, and the notice to the next
// reviewer (a system notification where allowed, else a toast in the app's stack).
import type { OpInput, VedettaApi } from '../../../shared/contract';
import { ApiError } from '../../../shared/contract';
import type { EventPayload } from '../../../shared/contract';
import type { Role } from '../../../shared/auth';
import type { Policy, Severity } from '../../../shared/policy';
import type { PublishChannel } from '../../../shared/publishing';
import type { Checklist, Decision, ResponseContext, ResponseDetail, ResponseQueue, ResponseSummary, ResponseTemplate, ResponseWarningKind, TargetKind } from '../../../shared/responses';
import { t, type MessageKey } from '../../i18n/i18n.svelte';
import { listen } from '../../lib/events';
import { browserNotifier, type Notifier } from '../moments/moments.svelte';
import { isolate } from '../../../shared/links';

type LoadState = 'idle' | 'loading' | 'ready' | 'error';

export interface ComposeTarget {
  kind: TargetKind;
  id: number;
  title: string;
}

export interface ResponseToast {
  id: number;
  responseId: number;
  text: string;
}

const RELOAD_MS = 300;
const TOAST_MS = 15_000;

export function errorText(e: unknown): string {
  if (e instanceof ApiError) return e.details?.length ? `${e.message}: ${e.detailLines().join('; ')}` : e.message;
  return e instanceof Error ? e.message : String(e);
}

export class ResponsesStore {
  queue = $state<ResponseQueue>('toApprove');
  items = $state.raw<ResponseSummary[]>([]);
  counts = $state.raw<Record<ResponseQueue, number>>({ toApprove: 0, mine: 0, publishing: 0, published: 0, all: 0 });
  state = $state<LoadState>('idle');
  error = $state<string | null>(null);
  selectedId = $state<number | null>(null);
  detail = $state.raw<ResponseDetail | null>(null);
  detailError = $state<string | null>(null);
  /** The last refused or failed action, shown where the user acted. */
  actionError = $state<string | null>(null);
  busy = $state(false);
  channels = $state.raw<PublishChannel[]>([]);
  composing = $state.raw<ComposeTarget | null>(null);
  composeError = $state<string | null>(null);
  /** The thread around the target being answered and the placeholder values; null while read. */
  composeContext = $state.raw<ResponseContext | null>(null);
  templates = $state.raw<ResponseTemplate[]>([]);
  templateError = $state<string | null>(null);
  policy = $state.raw<Policy | null>(null);
  policyError = $state<string | null>(null);
  policySaved = $state(false);
  toasts = $state.raw<ResponseToast[]>([]);
  /** Roles of the signed-in person: notices go to whoever's turn it is (null: everyone). */
  roles: () => readonly Role[] | null = () => null;
  notifyInPage = true;
  onopen: ((id: number) => void) | null = null;

  #api: VedettaApi;
  #notifier: Notifier;
  #reloadTimer: ReturnType<typeof setTimeout> | null = null;
  #gen = 0;
  #toastSeq = 0;
  #queueChosen = false;
  #off: () => void;

  constructor(api: VedettaApi, notifier: Notifier = browserNotifier) {
    this.#api = api;
    this.#notifier = notifier;
    this.#off = listen(api, {
      'responses.changed': (p) => this.changed(p),
      'responses.templatesChanged': () => void this.loadTemplates(),
    });
  }

  async load(): Promise<void> {
    const gen = ++this.#gen;
    if (this.state !== 'ready') this.state = 'loading';
    try {
      const res = await this.#api.call('responses.list', { queue: this.queue });
      if (gen !== this.#gen) return;
      // The first time, open the queue that has something for this person.
      if (!this.#queueChosen) {
        this.#queueChosen = true;
        const first = (['toApprove', 'mine', 'publishing'] as const).find((q) => res.counts[q] > 0);
        if (first && first !== this.queue) {
          this.queue = first;
          return this.load();
        }
      }
      this.items = res.items;
      this.counts = res.counts;
      this.state = 'ready';
      this.error = null;
      if (this.selectedId !== null) void this.loadDetail(this.selectedId);
    } catch (e) {
      if (gen !== this.#gen) return;
      this.state = 'error';
      this.error = errorText(e);
    }
  }

  setQueue(q: ResponseQueue): void {
    this.#queueChosen = true;
    this.queue = q;
    void this.load();
  }

  select(id: number | null): void {
    this.selectedId = id;
    this.actionError = null;
    if (id === null) this.detail = null;
    else void this.loadDetail(id);
  }

  move(delta: number): void {
    if (this.items.length === 0) return;
    const i = this.items.findIndex((r) => r.id === this.selectedId);
    const next = this.items[Math.min(this.items.length - 1, Math.max(0, i < 0 ? 0 : i + delta))];
    if (next) this.select(next.id);
  }

  async loadDetail(id: number): Promise<void> {
    try {
      const d = await this.#api.call('responses.get', { id });
      if (this.selectedId === id) {
        this.detail = d;
        this.detailError = null;
      }
    } catch (e) {
      if (this.selectedId === id) this.detailError = errorText(e);
    }
  }

  async loadChannels(): Promise<void> {
    try {
      this.channels = await this.#api.call('responses.channels', {});
    } catch {
      /* the composer says no channel is available */
    }
  }

  compose(target: ComposeTarget): void {
    this.composing = target;
    this.composeError = null;
    this.composeContext = null;
    void this.loadChannels();
    void this.loadTemplates();
    void this.#api
      .call('responses.context', { targetKind: target.kind, targetId: target.id })
      .then((c) => {
        if (this.composing === target) this.composeContext = c;
      })
      .catch(() => undefined); // the composer works without the thread
  }

  async loadTemplates(): Promise<void> {
    try {
      this.templates = await this.#api.call('responses.templates', {});
    } catch (e) {
      this.templateError = errorText(e);
    }
  }

  /** Creates (no id) or edits a template; a refusal stays in `templateError`, the form keeps its text. */
  async saveTemplate(input: { id?: number; name: string; text: string }): Promise<boolean> {
    return this.#templateCall(() => this.#api.call('responses.templateSave', input));
  }

  deleteTemplate(id: number): Promise<boolean> {
    return this.#templateCall(() => this.#api.call('responses.templateDelete', { id }));
  }

  async #templateCall(run: () => Promise<ResponseTemplate[]>): Promise<boolean> {
    this.templateError = null;
    try {
      this.templates = await run();
      return true;
    } catch (e) {
      this.templateError = errorText(e);
      return false;
    }
  }

  async create(input: { channelId: number | null; severity: Severity | null; text: string }, submit: boolean): Promise<boolean> {
    const target = this.composing;
    if (!target) return false;
    this.busy = true;
    this.composeError = null;
    try {
      let d = await this.#api.call('responses.create', {
        targetKind: target.kind,
        targetId: target.id,
        channelId: input.channelId,
        ...(input.severity ? { severity: input.severity } : {}),
        text: input.text,
      });
      this.composing = null;
      this.#queueChosen = true;
      this.queue = 'mine';
      this.selectedId = d.response.id;
      this.detail = d;
      if (submit) {
        try {
          d = await this.#api.call('responses.submit', { id: d.response.id });
          this.detail = d;
        } catch (e) {
          // The draft is saved; the reason it could not be submitted shows on it.
          this.actionError = errorText(e);
        }
      }
      void this.load();
      return true;
    } catch (e) {
      this.composeError = errorText(e);
      return false;
    } finally {
      this.busy = false;
    }
  }

  async #act<K extends 'responses.edit' | 'responses.submit' | 'responses.decide' | 'responses.comment' | 'responses.checklist' | 'responses.publish' | 'responses.recordManual' | 'responses.override'>(
    op: K,
    input: OpInput<K>,
    /** A refusal the screen answers itself (a stale edit: the merge choice), not an error line. */
    handled: (e: unknown) => boolean = () => false,
  ): Promise<boolean> {
    this.busy = true;
    this.actionError = null;
    try {
      const d = (await this.#api.call(op, input)) as ResponseDetail;
      if (this.selectedId === d.response.id) this.detail = d;
      void this.load();
      return true;
    } catch (e) {
      if (!handled(e)) this.actionError = errorText(e);
      // What was refused may be stale: show the current state.
      if (this.selectedId !== null) void this.loadDetail(this.selectedId);
      return false;
    } finally {
      this.busy = false;
    }
  }

  /**
   * `baseVersionId`: the version the person started editing from, never "whatever is current
   * now": a colleague's version that arrived meanwhile must be refused as stale, not overwritten.
   */
  edit(text: string, baseVersionId: number): Promise<boolean> {
    const d = this.detail;
    if (!d) return Promise.resolve(false);
    // Stale: the detail is read again below, and the editor shows the colleague's version beside the draft.
    return this.#act('responses.edit', { id: d.response.id, baseVersionId, text }, (e) => e instanceof ApiError && e.key === 'responses.editStale');
  }
  submit(): Promise<boolean> {
    return this.detail ? this.#act('responses.submit', { id: this.detail.response.id }) : Promise.resolve(false);
  }
  decide(stepId: number, decision: Decision, comment: string): Promise<boolean> {
    const d = this.detail;
    if (!d) return Promise.resolve(false);
    // Bound to the version the reviewer is looking at, never "whatever is current".
    return this.#act('responses.decide', { id: d.response.id, stepId, decision, versionId: d.currentVersion.id, contentHash: d.currentVersion.contentHash, comment });
  }
  comment(text: string): Promise<boolean> {
    return this.detail ? this.#act('responses.comment', { id: this.detail.response.id, text }) : Promise.resolve(false);
  }
  confirmChecklist(checklist: Checklist): Promise<boolean> {
    const d = this.detail;
    return d ? this.#act('responses.checklist', { id: d.response.id, versionId: d.currentVersion.id, checklist }) : Promise.resolve(false);
  }
  publish(): Promise<boolean> {
    const d = this.detail;
    return d ? this.#act('responses.publish', { id: d.response.id, versionId: d.currentVersion.id, contentHash: d.currentVersion.contentHash }) : Promise.resolve(false);
  }
  recordManual(outboxId: number, url: string): Promise<boolean> {
    const d = this.detail;
    return d ? this.#act('responses.recordManual', { id: d.response.id, outboxId, url }) : Promise.resolve(false);
  }
  override(warning: ResponseWarningKind, reason: string): Promise<boolean> {
    const d = this.detail;
    return d ? this.#act('responses.override', { id: d.response.id, warning, reason }) : Promise.resolve(false);
  }

  async loadPolicy(): Promise<void> {
    try {
      this.policy = await this.#api.call('policy.get', {});
      this.policyError = null;
    } catch (e) {
      this.policyError = errorText(e);
    }
  }

  async savePolicy(p: Policy): Promise<boolean> {
    this.policySaved = false;
    try {
      this.policy = await this.#api.call('policy.update', p);
      this.policyError = null;
      this.policySaved = true;
      return true;
    } catch (e) {
      this.policyError = errorText(e);
      return false;
    }
  }

  /** responses.changed: re-read (throttled) and tell the next reviewer. */
  changed(p: EventPayload<'responses.changed'>): void {
    const roles = this.roles();
    if (p.next && (roles === null || roles.includes(p.next.role))) this.#notify(p.id, p.next.kind, p.next.title);
    if (this.#reloadTimer) return;
    this.#reloadTimer = setTimeout(() => {
      this.#reloadTimer = null;
      void this.load();
    }, RELOAD_MS);
  }

  #notify(responseId: number, kind: 'legal' | 'second' | 'owner', title: string): void {
    if (!this.notifyInPage) return;
    const text = `${t('responses.toast', { step: t(`responses.step.${kind}` as MessageKey) })} — ${title}`;
    const open = (): void => this.onopen?.(responseId);
    if (this.#notifier.permission() === 'granted') {
      try {
        this.#notifier.show(t('responses.toast', { step: t(`responses.step.${kind}` as MessageKey) }), isolate(title), open);
        return;
      } catch {
        /* fall back to the toast */
      }
    }
    const toast = { id: ++this.#toastSeq, responseId, text };
    this.toasts = [...this.toasts.filter((x) => x.responseId !== responseId), toast];
    setTimeout(() => this.dismiss(toast.id), TOAST_MS);
  }

  dismiss(id: number): void {
    this.toasts = this.toasts.filter((x) => x.id !== id);
  }

  dispose(): void {
    this.#off();
    this.#gen++;
    if (this.#reloadTimer) clearTimeout(this.#reloadTimer);
  }
}
