// The perimeters screen's state: the brand → product → theme data with each brand's own
// accounts and the suggestions for them, the theme being edited, the live (debounced) query
// test, and the background re-match progress.
import type { OpOutput, VedettaApi } from '../../../shared/contract';
import type { OwnedAccountInput, OwnedSuggestion, Perimeters, PerimeterTheme, QueryErrorDto, RematchState, Stance, Swot } from '../../../shared/perimeters';
import { ownedCallError, ownedInputError } from './owned-logic';
import { listen } from '../../lib/events';

export const TEST_DEBOUNCE_MS = 250;

export interface ThemeDraft {
  id: number | null;
  brandId: number | null;
  productId: number | null;
  name: string;
  query: string;
  swot: Swot;
  stance: Stance;
  weight: number;
}

type TestOk = Extract<OpOutput<'perimeters.testQuery'>, { ok: true }>;
export type TestState =
  | { status: 'idle' }
  | { status: 'testing' }
  | { status: 'error'; error: QueryErrorDto }
  | { status: 'ok'; result: TestOk }
  | { status: 'failed'; message: string };

const EMPTY: Perimeters = { brands: [], products: [], themes: [], owned: [] };

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export class PerimetersStore {
  data = $state.raw<Perimeters>(EMPTY);
  loaded = $state(false);
  error = $state<string | null>(null);
  draft = $state<ThemeDraft | null>(null);
  test = $state.raw<TestState>({ status: 'idle' });
  saving = $state(false);
  saveError = $state<string | null>(null);
  savedAt = $state(0);
  rematch = $state.raw<RematchState>({ running: false, jobs: [] });
  /** Sources named "… @handle" like a brand, not declared: offered, never counted by themselves. */
  suggestions = $state.raw<OwnedSuggestion[]>([]);
  /** Why the last own-account addition failed, shown under that brand's form. */
  ownedError = $state<{ brandId: number; message: string } | null>(null);
  ownedBusy = $state(false);

  readonly themesById = $derived(new Map(this.data.themes.map((t) => [t.id, t])));

  #api: VedettaApi;
  #testTimer: ReturnType<typeof setTimeout> | null = null;
  #testGen = 0;
  #loadGen = 0;
  #loadTimer: ReturnType<typeof setTimeout> | null = null;
  #off: () => void;

  constructor(api: VedettaApi) {
    this.#api = api;
    this.#off = listen(api, {
      'perimeters.changed': () => this.loadSoon(),
      'perimeters.rematch': (s) => this.setRematch(s),
    });
  }

  /** load(), once for a burst of changes. */
  loadSoon(delay = 300): void {
    if (this.#loadTimer) return;
    this.#loadTimer = setTimeout(() => {
      this.#loadTimer = null;
      void this.load();
    }, delay);
  }

  async load(): Promise<void> {
    const gen = ++this.#loadGen;
    try {
      const [data, rematch, suggestions] = await Promise.all([
        this.#api.call('perimeters.list', {}),
        this.#api.call('perimeters.rematchState', {}),
        this.#api.call('perimeters.ownedSuggestions', {}),
      ]);
      if (gen !== this.#loadGen) return;
      this.data = data;
      this.rematch = rematch;
      this.suggestions = suggestions.items;
      this.loaded = true;
      this.error = null;
    } catch (e) {
      if (gen === this.#loadGen) this.error = message(e);
    }
  }

  setRematch(s: RematchState): void {
    this.rematch = s;
  }

  theme(id: number): PerimeterTheme | undefined {
    return this.themesById.get(id);
  }

  // --- brands and products ---

  async #run<T>(f: () => Promise<T>): Promise<T | null> {
    this.error = null;
    try {
      const r = await f();
      await this.load();
      return r;
    } catch (e) {
      this.error = message(e);
      return null;
    }
  }

  createBrand(name: string) {
    return this.#run(() => this.#api.call('perimeters.brandCreate', { name }));
  }
  renameBrand(id: number, name: string) {
    return this.#run(() => this.#api.call('perimeters.brandUpdate', { id, name }));
  }
  deleteBrand(id: number) {
    if (this.draft?.brandId === id) this.draft = null;
    return this.#run(() => this.#api.call('perimeters.brandDelete', { id }));
  }
  createProduct(brandId: number, name: string) {
    return this.#run(() => this.#api.call('perimeters.productCreate', { brandId, name }));
  }
  renameProduct(id: number, name: string) {
    return this.#run(() => this.#api.call('perimeters.productUpdate', { id, name }));
  }
  deleteProduct(id: number) {
    if (this.draft?.productId === id) this.draft = null;
    return this.#run(() => this.#api.call('perimeters.productDelete', { id }));
  }

  // --- own accounts ---

  /** Checks the input with the contract's schema first; true once added (the list is re-read). */
  async addOwned(input: OwnedAccountInput): Promise<boolean> {
    const invalid = ownedInputError(input);
    if (invalid) {
      this.ownedError = { brandId: input.brandId, message: invalid };
      return false;
    }
    this.ownedBusy = true;
    try {
      await this.#api.call('perimeters.ownedAdd', input);
      this.ownedError = null;
      await this.load();
      return true;
    } catch (e) {
      this.ownedError = { brandId: input.brandId, message: ownedCallError(e) };
      return false;
    } finally {
      this.ownedBusy = false;
    }
  }

  acceptSuggestion(s: OwnedSuggestion): Promise<boolean> {
    return this.addOwned({ brandId: s.brandId, type: s.type, value: s.value });
  }

  removeOwned(id: number) {
    return this.#run(() => this.#api.call('perimeters.ownedDelete', { id }));
  }

  clearOwnedError(): void {
    this.ownedError = null;
  }

  // --- theme editor ---

  /** The draft as last opened or saved: what "unsaved edits" are measured against. */
  #baseline: string | null = null;

  /** Whether the theme editor holds edits not saved yet (ui/dirty-forms asks before losing them). */
  get draftDirty(): boolean {
    return this.draft !== null && JSON.stringify(this.draft) !== this.#baseline;
  }

  newTheme(brandId: number, productId: number | null = null): void {
    this.draft = { id: null, brandId, productId, name: '', query: '', swot: 'threat', stance: 'in_perimeter', weight: 1 };
    this.#baseline = JSON.stringify(this.draft);
    this.saveError = null;
    this.test = { status: 'idle' };
  }

  editTheme(id: number): void {
    const t = this.theme(id);
    if (!t) return;
    this.draft = { id: t.id, brandId: t.brandId, productId: t.productId, name: t.name, query: t.query, swot: t.swot, stance: t.stance, weight: t.weight };
    this.#baseline = JSON.stringify(this.draft);
    this.saveError = null;
    this.scheduleTest(0);
  }

  closeEditor(): void {
    this.draft = null;
    this.#baseline = null;
    this.#testGen++;
    if (this.#testTimer) clearTimeout(this.#testTimer);
  }

  setQuery(query: string): void {
    if (!this.draft) return;
    this.draft.query = query;
    this.scheduleTest();
  }

  /** Tests the draft's query after the user pauses typing; only the latest answer shows. */
  scheduleTest(delay = TEST_DEBOUNCE_MS): void {
    if (this.#testTimer) clearTimeout(this.#testTimer);
    const q = this.draft?.query ?? '';
    if (!q.trim()) {
      this.#testGen++;
      this.test = { status: 'idle' };
      return;
    }
    this.#testTimer = setTimeout(() => void this.runTest(q), delay);
  }

  async runTest(query: string): Promise<void> {
    const gen = ++this.#testGen;
    if (this.test.status !== 'ok') this.test = { status: 'testing' };
    try {
      const res = await this.#api.call('perimeters.testQuery', { query, sample: 5 });
      if (gen !== this.#testGen) return;
      this.test = res.ok ? { status: 'ok', result: res } : { status: 'error', error: res.error };
    } catch (e) {
      if (gen === this.#testGen) this.test = { status: 'failed', message: message(e) };
    }
  }

  async save(): Promise<boolean> {
    const d = this.draft;
    if (!d || d.brandId === null) return false;
    this.saving = true;
    this.saveError = null;
    const input = { brandId: d.brandId, productId: d.productId, name: d.name, query: d.query, swot: d.swot, stance: d.stance, weight: d.weight };
    // What was sent becomes the saved state; what is typed meanwhile stays unsaved.
    const sent = JSON.stringify(d);
    try {
      const t = d.id === null
        ? await this.#api.call('perimeters.themeCreate', input)
        : await this.#api.call('perimeters.themeUpdate', { id: d.id, ...input });
      await this.load();
      if (this.draft === d) {
        this.draft = { ...d, id: t.id };
        this.#baseline = JSON.stringify({ ...(JSON.parse(sent) as ThemeDraft), id: t.id });
      }
      this.savedAt = Date.now();
      return true;
    } catch (e) {
      this.saveError = message(e);
      return false;
    } finally {
      this.saving = false;
    }
  }

  async deleteTheme(id: number): Promise<void> {
    if (this.draft?.id === id) this.closeEditor();
    await this.#run(() => this.#api.call('perimeters.themeDelete', { id }));
  }

  dispose(): void {
    this.#off();
    if (this.#testTimer) clearTimeout(this.#testTimer);
    if (this.#loadTimer) clearTimeout(this.#loadTimer);
    this.#testGen++;
  }
}
