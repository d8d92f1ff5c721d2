// Audiences and risk in the UI: the audience maps (list, create, edit, delete), the risk map's
// moments, the selected moment's risk and checklist, and the alerts when a moment changes risk
// area (a system notification where allowed, else a toast in the app's stack).
import type { OpOutput, VedettaApi } from '../../../shared/contract';
import { ApiError } from '../../../shared/contract';
import { riskLine, type Audience, type AudienceRematch, type AudienceRules, type AudienceType, type ChecklistItem, type RiskExplain, type Strength } from '../../../shared/audiences';
import type { MomentKind, MomentState } from '../../../shared/moments';
import type { EventPayload } from '../../../shared/contract';
import { i18n, t, type MessageKey } from '../../i18n/i18n.svelte';
import { listen } from '../../lib/events';
import { browserNotifier, type Notifier } from '../moments/moments.svelte';

type LoadState = 'idle' | 'loading' | 'ready' | 'error';
export type MapItem = OpOutput<'risk.map'>['items'][number];
export type MomentRiskView = OpOutput<'risk.moment'>;
export type Suggestions = OpOutput<'audiences.suggestions'>;
export type RiskChange = EventPayload<'risk.changed'>['changes'][number];

/** A moment's risk line in the person's language, through the i18n layer (toast, map, moment). */
export function riskWords(x: RiskExplain): string {
  return riskLine(x, t, i18n.locale);
}

export interface AudienceDraft {
  name: string;
  type: AudienceType;
  override: Strength | null;
  sources: string;
  communities: string;
  hashtags: string;
  themeIds: number[];
  authorKeys: string;
  /** Brands whose own accounts (declared in Perimetri) feed the audience. */
  ownedBrandIds: number[];
}

export const EMPTY_DRAFT: AudienceDraft = { name: '', type: 'primary', override: null, sources: '', communities: '', hashtags: '', themeIds: [], authorKeys: '', ownedBrandIds: [] };

/** One entry per line or comma: "r/italy, r/Italia" and two lines are the same. */
export function splitList(s: string): string[] {
  return s
    .split(/[\n,]/)
    .map((x) => x.trim())
    .filter((x) => x.length > 0);
}

export function draftOf(a: Audience): AudienceDraft {
  return {
    name: a.name,
    type: a.type,
    override: a.override,
    sources: a.rules.sources.join('\n'),
    communities: a.rules.communities.join('\n'),
    hashtags: a.rules.hashtags.join('\n'),
    themeIds: [...a.rules.themeIds],
    authorKeys: a.rules.authorKeys.join('\n'),
    ownedBrandIds: [...a.rules.ownedBrandIds],
  };
}

export function rulesOf(d: AudienceDraft): AudienceRules {
  return {
    sources: splitList(d.sources),
    communities: splitList(d.communities),
    hashtags: splitList(d.hashtags),
    themeIds: d.themeIds,
    authorKeys: splitList(d.authorKeys),
    ownedBrandIds: d.ownedBrandIds,
  };
}

export interface RiskToast {
  id: number;
  change: RiskChange;
}

const TOAST_MS = 12_000;
const RELOAD_MS = 400;

/** The contract's "path: reason" lines in the form's own words ("Nome: il nome è obbligatorio"). */
function message(e: unknown): string {
  if (e instanceof ApiError && e.details?.length) {
    return e
      .detailLines()
      .map((d) => d.replace(/^audience\./, ''))
      .map((d) => d.replace(/^name: /, `${t('risk.aud.name')}: `))
      .map((d) => d.replace(/^rules\.(sources|communities|hashtags|authorKeys)(\.\d+)?: /, (_m, k: string) => `${t(`risk.aud.rule.${k}` as MessageKey)}: `))
      .map((d) => d.replace(/^rules(\.\w+)?(\.\d+)?: /, ''))
      .join('; ');
  }
  return e instanceof Error ? e.message : String(e);
}

export class RiskStore {
  audiences = $state.raw<Audience[]>([]);
  rematch = $state.raw<AudienceRematch>({ running: false, done: 0, total: 0 });
  audiencesState = $state<LoadState>('idle');
  audiencesError = $state<string | null>(null);
  suggestions = $state.raw<Suggestions | null>(null);
  saving = $state(false);
  saveError = $state<string | null>(null);

  mapItems = $state.raw<MapItem[]>([]);
  mapState = $state<LoadState>('idle');
  mapError = $state<string | null>(null);
  mapFilters = $state.raw<{ kind: MomentKind | null; state: MomentState | null }>({ kind: null, state: null });

  momentId = $state<number | null>(null);
  moment = $state.raw<MomentRiskView | null>(null);
  momentError = $state<string | null>(null);
  checklistError = $state<string | null>(null);

  toasts = $state.raw<RiskToast[]>([]);
  /** When set, a click on an alert opens that moment. */
  onopen: ((id: number) => void) | null = null;
  notifyInPage = true;

  #api: VedettaApi;
  #notifier: Notifier;
  #toastSeq = 0;
  #timers = new Map<string, ReturnType<typeof setTimeout>>();
  #mapGen = 0;
  #momentGen = 0;
  #checkQueue: Promise<void> = Promise.resolve();
  /** Checklist edits made so far, and saves not yet answered: a read that overlaps one is older than the screen. */
  #checkEdits = 0;
  #checksInFlight = 0;

  #off: () => void;

  constructor(api: VedettaApi, notifier: Notifier = browserNotifier) {
    this.#api = api;
    this.#notifier = notifier;
    this.#off = listen(api, {
      'audiences.changed': ({ rematch }) => this.audiencesChanged(rematch),
      'risk.changed': ({ changes }) => this.riskChanged(changes),
    });
  }

  #soon(key: string, f: () => void): void {
    if (this.#timers.has(key)) return;
    this.#timers.set(
      key,
      setTimeout(() => {
        this.#timers.delete(key);
        f();
      }, RELOAD_MS),
    );
  }

  async loadAudiences(): Promise<void> {
    if (this.audiencesState !== 'ready') this.audiencesState = 'loading';
    try {
      const res = await this.#api.call('audiences.list', {});
      this.audiences = res.items;
      this.rematch = res.rematch;
      this.audiencesState = 'ready';
      this.audiencesError = null;
    } catch (e) {
      this.audiencesState = 'error';
      this.audiencesError = message(e);
    }
  }

  async loadSuggestions(): Promise<void> {
    try {
      this.suggestions = await this.#api.call('audiences.suggestions', {});
    } catch {
      /* suggestions are a help, not needed to type rules */
    }
  }

  /** Creates (id null) or updates an audience; returns its id, or null with saveError set. */
  async save(id: number | null, d: AudienceDraft): Promise<number | null> {
    this.saving = true;
    this.saveError = null;
    try {
      const audience = { name: d.name, type: d.type, override: d.override, rules: rulesOf(d) };
      const a = id === null ? await this.#api.call('audiences.create', audience) : await this.#api.call('audiences.update', { id, audience });
      await this.loadAudiences();
      return a.id;
    } catch (e) {
      this.saveError = t('risk.aud.saveError', { details: message(e) });
      return null;
    } finally {
      this.saving = false;
    }
  }

  async remove(id: number): Promise<boolean> {
    try {
      await this.#api.call('audiences.delete', { id });
      await this.loadAudiences();
      return true;
    } catch (e) {
      this.saveError = message(e);
      return false;
    }
  }

  async loadMap(): Promise<void> {
    const gen = ++this.#mapGen;
    if (this.mapState !== 'ready') this.mapState = 'loading';
    try {
      const res = await this.#api.call('risk.map', {
        ...(this.mapFilters.kind ? { kind: this.mapFilters.kind } : {}),
        ...(this.mapFilters.state ? { state: this.mapFilters.state } : {}),
      });
      if (gen !== this.#mapGen) return;
      this.mapItems = res.items;
      this.mapState = 'ready';
      this.mapError = null;
    } catch (e) {
      if (gen !== this.#mapGen) return;
      this.mapState = 'error';
      this.mapError = message(e);
    }
  }

  setMapFilters(patch: Partial<{ kind: MomentKind | null; state: MomentState | null }>): void {
    this.mapFilters = { ...this.mapFilters, ...patch };
    void this.loadMap();
  }

  async loadMoment(id: number | null): Promise<void> {
    const gen = ++this.#momentGen;
    if (id !== this.momentId) {
      this.moment = null;
      this.checklistError = null;
    }
    this.momentId = id;
    if (id === null) return;
    const edits = this.#checkEdits;
    const savingAtStart = this.#checksInFlight > 0;
    try {
      const res = await this.#api.call('risk.moment', { momentId: id });
      if (gen !== this.#momentGen) return;
      // A refresh (another moment's risk changed) read while a tick was being saved carries the
      // checklist as it was before it: applied, the box just ticked would untick under the
      // person's pointer. The checklist on screen is the newer one then; the save's answer
      // brings the server's word for its item.
      const overlapped = savingAtStart || this.#checksInFlight > 0 || edits !== this.#checkEdits;
      this.moment = overlapped && this.moment?.risk.momentId === id ? { ...res, checklist: this.moment.checklist } : res;
      this.momentError = null;
    } catch (e) {
      if (gen !== this.#momentGen) return;
      this.momentError = message(e);
    }
  }

  /**
   * Saves one item: applied on screen at once, sent in order (a tick and a note typed right
   * after it must not overtake each other and undo one another).
   */
  setChecklist(item: ChecklistItem, patch: { done?: boolean; note?: string }): Promise<void> {
    const id = this.momentId;
    if (id === null || !this.moment) return Promise.resolve();
    const cur = this.moment.checklist.items[item];
    const next = { done: patch.done ?? cur.done, note: patch.note ?? cur.note };
    const items = { ...this.moment.checklist.items, [item]: { ...cur, ...next } };
    this.moment = { ...this.moment, checklist: { ...this.moment.checklist, items, complete: Object.values(items).every((e) => e.done) } };
    this.#checkEdits++;
    this.#checksInFlight++;
    this.#checkQueue = this.#checkQueue.then(async () => {
      try {
        const checklist = await this.#api.call('risk.checklistSet', { momentId: id, item, done: next.done, note: next.note });
        if (this.moment && this.momentId === id) {
          // Keep what was typed meanwhile for other items; take the server's word for this one.
          const merged = { ...this.moment.checklist.items, [item]: checklist.items[item] };
          this.moment = { ...this.moment, checklist: { ...checklist, items: merged } };
        }
        this.checklistError = null;
      } catch (e) {
        this.checklistError = t('risk.check.saveError', { details: message(e) });
      } finally {
        this.#checksInFlight--;
      }
    });
    return this.#checkQueue;
  }

  // --- events ---

  audiencesChanged(rematch: AudienceRematch): void {
    this.rematch = rematch;
    this.#soon('aud', () => void this.loadAudiences());
  }

  riskChanged(changes: readonly RiskChange[]): void {
    for (const c of changes) this.#alert(c);
    this.#soon('risk', () => {
      if (this.mapState !== 'idle') void this.loadMap();
      if (this.momentId !== null) void this.loadMoment(this.momentId);
    });
  }

  #alert(c: RiskChange): void {
    if (!this.notifyInPage) return;
    const open = (): void => this.onopen?.(c.momentId);
    if (this.#notifier.permission() === 'granted') {
      try {
        this.#notifier.show(t(c.to === 'strong' ? 'risk.toastStrong' : 'risk.toastWeak', { title: c.title }), riskWords(c.explain), open);
        return;
      } catch {
        /* fall back to the toast */
      }
    }
    const toast = { id: ++this.#toastSeq, change: c };
    this.toasts = [...this.toasts, toast];
    setTimeout(() => this.dismiss(toast.id), TOAST_MS);
  }

  dismiss(id: number): void {
    this.toasts = this.toasts.filter((x) => x.id !== id);
  }

  dispose(): void {
    this.#off();
    for (const tm of this.#timers.values()) clearTimeout(tm);
    this.#timers.clear();
  }
}
