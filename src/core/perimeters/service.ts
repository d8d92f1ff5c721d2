// Over 400 lines on purpose: compiled themes, their cache, in-transaction matching and the re-match cursor are one state; owned accounts live here because each edit of them invalidates the same cache.
// Brand perimeters at run time: the compiled themes (cached, rebuilt after an edit), matching
// of new mentions inside the ingest transaction, the background re-match after an edit (time-
// sliced, progress persisted so a quit resumes it), the query tester, and each brand's own
// accounts with the resolver everyone asks about them.
import { Signal } from '../api/signal';
import { ApiError } from '../../shared/contract';
import type { Mention } from '../../shared/schemas';
import type { MentionTheme, OwnedAccount, OwnedAccountFields, OwnedSuggestion, PerimeterTheme, QueryErrorDto, RematchState, ThemeInput } from '../../shared/perimeters';
import { compileTheme, matchPrepared, relevanceOf, type CompiledTheme, compileQuery, ftsPlan, prepareDoc, QueryError, type CompiledQuery, type MatchSpan, type PreparedDoc } from '../analysis';
import type { EventBus } from '../api/events';
import { authorKey } from '../ingest/normalize';
import { canonicalUrl } from '../ingest/url';
import type { Logger } from '../platform';
import type { Db } from '../store/db';
import type { MentionInsert } from '../store/mentions-repo';
import { OwnedRepo } from '../store/owned-repo';
import { PerimetersRepo, type MatchableMention, type MatchRow } from '../store/perimeters-repo';
import { OwnedResolver, ownedIdentity, ownedSuggestions } from './owned';
import { yieldTurn } from '../event-loop';

/** Longest a slice of background work may hold the thread that answers the UI. */
export const SLICE_BUDGET_MS = 10;
// Small batches keep a slice short even when the machine is busy (the budget is checked between them).
const REMATCH_BATCH = 100;
const TEST_CHUNK = 200;
/** The query tester reads at most this many of the newest mentions. */
export const TEST_SCAN_MAX = 20_000;
const PROGRESS_EVERY_MS = 150;

export interface PerimetersDeps {
  db: Db;
  events: EventBus;
  now: () => number;
  secret: () => string;
  logger: Logger;
  /** How long a slice has run (tests inject a fake clock). Defaults to performance.now. */
  clock?: () => number;
  /** Schedules the next slice (tests may run slices synchronously). */
  defer?: (f: () => void) => void;
}

export interface TestQueryResult {
  ok: true;
  count: number;
  scanned: number;
  total: number;
  sample: { mention: MatchableMention; spans: MatchSpan[] }[];
}

/** A QueryError as the contract carries it: the Italian text, and its code for other languages. */
export function queryErrorDto(e: QueryError): QueryErrorDto {
  return { message: e.toBody().message, key: e.key, params: { ...e.params }, position: e.position, column: e.column, length: e.length };
}

export class PerimetersService {
  /** The perimeter changed (an edit, or a re-match finished): moments and audiences re-read it. */
  readonly changes = new Signal<void>();
  readonly repo: PerimetersRepo;
  readonly ownedRepo: OwnedRepo;
  /** Which brand owns a mention or thread: moments, audiences and responses all ask this one. */
  readonly owned: OwnedResolver;
  private compiledCache: CompiledTheme[] | null = null;
  private running = false;
  private stopped = false;
  private lastProgressAt = 0;
  private testGen = 0;
  private readonly clock: () => number;
  private readonly defer: (f: () => void) => void;
  private readonly authorKeyMemo = new Map<string, string | null>();
  /** How long background slices held the thread (wall and CPU), for the bench. */
  readonly stats = { slices: 0, longestSliceMs: 0, longestSliceCpuMs: 0 };

  constructor(private readonly deps: PerimetersDeps) {
    this.repo = new PerimetersRepo(deps.db);
    this.ownedRepo = new OwnedRepo(deps.db);
    this.owned = new OwnedResolver(this.ownedRepo, deps.secret);
    this.clock = deps.clock ?? (() => performance.now());
    this.defer = deps.defer ?? ((f) => void setTimeout(f, 0));
  }

  // --- compiled themes ---

  /** Every stored theme compiled; rebuilt only after an edit. */
  compiled(): CompiledTheme[] {
    if (this.compiledCache) return this.compiledCache;
    const out: CompiledTheme[] = [];
    for (const t of this.repo.themeDefs()) {
      try {
        out.push(compileTheme(t));
      } catch (e) {
        // Saved queries were valid when saved; one the parser no longer accepts is skipped, not fatal.
        this.deps.logger.warn(`tema ${t.id} (${t.name}): query non valida, ignorata`, { error: e instanceof Error ? e.message : String(e) });
      }
    }
    this.compiledCache = out;
    return out;
  }

  private invalidate(): void {
    this.compiledCache = null;
  }

  private docOf(m: { title: string | null; text: string; lang: string; url: string | null; authorKey: string | null; sourceName: string; sourceKind: string }): PreparedDoc {
    return prepareDoc({
      title: m.title,
      text: m.text,
      lang: m.lang,
      source: m.sourceName,
      sourceKind: m.sourceKind,
      url: m.url,
      authorKey: m.authorKey,
      // author:<name> in a query: the name's pseudonym for this mention's source.
      authorKeyFor: (name) => this.authorKeyOf(m.sourceName, name),
    });
  }

  private authorKeyOf(source: string, name: string): string | null {
    const k = `${source}\u0000${name}`;
    if (this.authorKeyMemo.has(k)) return this.authorKeyMemo.get(k) ?? null;
    if (this.authorKeyMemo.size > 5_000) this.authorKeyMemo.clear();
    const v = authorKey(this.deps.secret(), source, name);
    this.authorKeyMemo.set(k, v);
    return v;
  }

  private docOfStored(m: MatchableMention): PreparedDoc {
    return this.docOf({ title: m.title, text: m.text, lang: m.lang, url: m.url, authorKey: m.author_key, sourceName: m.source_name, sourceKind: m.source_kind });
  }

  /**
   * Matches just-inserted mentions against every theme and stores the matches. Runs inside
   * the ingest transaction, so a batch and its matches commit together.
   */
  matchInserted(rows: readonly { id: number; row: MentionInsert; sourceKind: string }[]): Map<number, MentionTheme[]> {
    const out = new Map<number, MentionTheme[]>();
    const themes = this.compiled();
    if (themes.length === 0 || rows.length === 0) return out;
    const writes: MatchRow[] = [];
    for (const { id, row, sourceKind } of rows) {
      const doc = this.docOf({ title: row.title, text: row.text, lang: row.lang, url: row.canonicalUrl, authorKey: row.authorKey, sourceName: row.sourceName, sourceKind });
      const matches = matchPrepared(doc, themes);
      if (matches.length === 0) continue;
      matches.sort((a, b) => b.relevance - a.relevance);
      out.set(id, matches.map((m) => ({ themeId: m.themeId, relevance: m.relevance, spans: m.spans })));
      for (const m of matches) writes.push({ mentionId: id, themeId: m.themeId, relevance: m.relevance, spans: m.spans, publishedAt: row.publishedAt });
    }
    this.repo.insertNewMatches(writes);
    return out;
  }

  /** Adds `themes` to mentions read from the store. */
  decorate<T extends Mention>(items: T[]): T[] {
    if (items.length === 0) return items;
    const map = this.repo.themesOf(items.map((m) => m.id));
    return items.map((m) => ({ ...m, themes: map.get(m.id) ?? [] }));
  }

  // --- editing ---

  private validQuery(query: string): void {
    try {
      compileQuery(query);
    } catch (e) {
      if (e instanceof QueryError) {
        throw new ApiError('perimeters.badQuery', { ...e.params, reason: e.key }, [
          { key: 'query.atPosition', params: { position: e.position } },
          { key: 'query.atColumn', params: { column: e.column } },
        ]);
      }
      throw e;
    }
  }

  private enqueueMatch(themeId: number): void {
    // Every stored mention is at or below the newest id (counted on the index: a COUNT by id
    // range reads the table, 0.4 s at 1,000,000 while the edit waits).
    const max = this.repo.maxMentionId();
    this.repo.putJob(themeId, 'match', max, this.repo.countMentions(), this.deps.now());
  }

  private enqueuePurge(themeIds: readonly number[]): void {
    for (const id of themeIds) this.repo.putJob(id, 'purge', 0, this.repo.countMatchesOf(id), this.deps.now());
  }

  createTheme(input: ThemeInput): PerimeterTheme {
    this.validQuery(input.query);
    this.checkOwner(input.brandId, input.productId);
    const id = this.deps.db.transaction(() => {
      const id = this.repo.createTheme(input, this.deps.now());
      this.enqueueMatch(id);
      return id;
    })();
    this.changed();
    return this.repo.theme(id)!;
  }

  updateTheme(id: number, input: ThemeInput): PerimeterTheme {
    const before = this.repo.theme(id);
    if (!before) throw new ApiError('perimeters.themeNotFound', { id });
    this.validQuery(input.query);
    this.checkOwner(input.brandId, input.productId);
    this.deps.db.transaction(() => {
      this.repo.updateTheme(id, input, this.deps.now());
      // Only what changes matches or their relevance needs a re-match.
      if (before.query !== input.query || before.weight !== input.weight) this.enqueueMatch(id);
    })();
    this.changed();
    return this.repo.theme(id)!;
  }

  deleteTheme(id: number): void {
    const ok = this.deps.db.transaction(() => {
      if (!this.repo.deleteTheme(id)) return false;
      this.enqueuePurge([id]);
      return true;
    })();
    if (!ok) throw new ApiError('perimeters.themeNotFound', { id });
    this.changed();
  }

  deleteBrand(id: number): void {
    const ok = this.deps.db.transaction(() => {
      if (!this.repo.brand(id)) return false;
      this.enqueuePurge(this.repo.deleteBrand(id));
      return true;
    })();
    if (!ok) throw new ApiError('perimeters.brandNotFound', { id });
    this.changed();
  }

  deleteProduct(id: number): void {
    const ok = this.deps.db.transaction(() => {
      if (!this.repo.product(id)) return false;
      this.enqueuePurge(this.repo.deleteProduct(id));
      return true;
    })();
    if (!ok) throw new ApiError('perimeters.productNotFound', { id });
    this.changed();
  }

  // --- own accounts ---

  /** Declares one of a brand's own accounts; the same account twice, for any brand, is refused. */
  addOwned(input: OwnedAccountFields): OwnedAccount {
    const brand = this.repo.brand(input.brandId);
    if (!brand) throw new ApiError('perimeters.brandUnknown', { id: input.brandId });
    // Stored as the list shows it: a handle with its "@", a link without tracking parameters.
    const value = input.type === 'handle' ? `@${input.value.replace(/^@/, '')}` : input.type === 'url' ? (canonicalUrl(input.value) ?? input.value) : input.value;
    const identity = ownedIdentity(input.type, value, input.platform);
    const id = this.deps.db.transaction(() => {
      const dup = this.ownedRepo.byIdentity(identity);
      if (dup) {
        const other = dup.brandId === brand.id ? null : this.repo.brand(dup.brandId);
        throw other
          ? new ApiError('perimeters.ownedElsewhere', { value: dup.value, brand: other.name })
          : new ApiError('perimeters.ownedAlready', { value: dup.value, brand: brand.name });
      }
      return this.ownedRepo.add({ brandId: brand.id, type: input.type, value, platform: input.platform, identity }, this.deps.now());
    })();
    this.changed();
    return this.ownedRepo.get(id)!;
  }

  /** Returns what was removed (for the audit). */
  deleteOwned(id: number): OwnedAccount {
    const before = this.ownedRepo.get(id);
    if (!before || !this.ownedRepo.delete(id)) throw new ApiError('perimeters.ownedNotFound', { id });
    this.changed();
    return before;
  }

  ownedSuggestions(): OwnedSuggestion[] {
    return ownedSuggestions(this.repo.brands(), this.ownedRepo.handleSources(), this.ownedRepo.list());
  }

  private checkOwner(brandId: number, productId: number | null): void {
    if (!this.repo.brand(brandId)) throw new ApiError('perimeters.brandUnknown', { id: brandId });
    if (productId !== null) {
      const p = this.repo.product(productId);
      if (!p) throw new ApiError('perimeters.productUnknown', { id: productId });
      if (p.brandId !== brandId) throw new ApiError('perimeters.productOfOtherBrand', { name: p.name });
    }
  }

  /** After any edit: drop the compiled cache, tell the clients, start the background work. */
  changed(): void {
    this.invalidate();
    this.owned.invalidate();
    // The re-match starts first, so the listeners see `busy`: what reads the themes' matches
    // (audiences built on themes) waits for the end of the re-match instead of re-reading the
    // whole store now, against matches that are not there yet, and again when they are.
    this.kick();
    this.changes.emit();
    this.deps.events.emit('perimeters.changed', {});
  }

  // --- background re-match ---

  rematchState(): RematchState {
    const jobs = this.repo.jobs().map((j) => ({ themeId: j.theme_id, kind: j.kind, done: Math.min(j.done, j.total), total: j.total }));
    return { running: jobs.length > 0, jobs };
  }

  /** Starts (or resumes, after a restart) the pending re-match jobs. */
  kick(): void {
    if (this.running || this.stopped) return;
    if (this.repo.jobs().length === 0) return;
    this.running = true;
    this.defer(() => this.slice());
  }

  stop(): void {
    this.stopped = true;
  }

  /** Whether background work is pending (tests wait on it). */
  get busy(): boolean {
    return this.running;
  }

  /** One slice: batches until the budget is spent, each batch committed with its progress. */
  private slice(): void {
    if (this.stopped) {
      this.running = false;
      return;
    }
    const started = this.clock();
    const cpu0 = process.cpuUsage();
    let more = true;
    try {
      do {
        more = this.step();
      } while (more && this.clock() - started < SLICE_BUDGET_MS);
      const cpu = process.cpuUsage(cpu0);
      this.stats.slices++;
      this.stats.longestSliceMs = Math.max(this.stats.longestSliceMs, this.clock() - started);
      this.stats.longestSliceCpuMs = Math.max(this.stats.longestSliceCpuMs, (cpu.user + cpu.system) / 1000);
    } catch (e) {
      this.running = false;
      this.deps.logger.error('ricalcolo dei temi interrotto', { error: e instanceof Error ? e.message : String(e) });
      return;
    }
    const nowMs = this.clock();
    if (!more || nowMs - this.lastProgressAt > PROGRESS_EVERY_MS) {
      this.lastProgressAt = nowMs;
      this.deps.events.emit('perimeters.rematch', this.rematchState());
    }
    if (more) this.defer(() => this.slice());
    else {
      this.running = false;
      // Counts changed: the features wired to the perimeter and the clients re-read it.
      this.changes.emit();
      this.deps.events.emit('perimeters.changed', {});
    }
  }

  /** One batch of the oldest job. Returns whether work remains. */
  private step(): boolean {
    const job = this.repo.jobs()[0];
    if (!job) return false;
    this.deps.db.transaction(() => {
      if (job.kind === 'purge') {
        const n = this.repo.purgeSome(job.theme_id);
        if (n === 0) this.repo.deleteJob(job.theme_id);
        else this.repo.jobProgress(job.theme_id, 0, job.done + n);
        return;
      }
      const theme = this.compiled().find((t) => t.id === job.theme_id);
      if (!theme) {
        // Deleted (or unreadable) meanwhile: nothing to match.
        this.repo.deleteJob(job.theme_id);
        return;
      }
      const batch = this.repo.mentionsBelow(job.cursor_id, REMATCH_BATCH);
      if (batch.length === 0) {
        this.repo.deleteJob(job.theme_id);
        return;
      }
      const writes: MatchRow[] = [];
      for (const m of batch) {
        const doc = this.docOfStored(m);
        const hit = theme.query.match(doc);
        if (hit) writes.push({ mentionId: m.id, themeId: theme.id, relevance: relevanceOf(hit, doc, theme.weight), spans: hit.spans, publishedAt: m.published_at });
        else this.repo.deleteMatch(m.id, theme.id);
      }
      this.repo.putMatches(writes);
      this.repo.jobProgress(job.theme_id, batch[batch.length - 1]!.id - 1, job.done + batch.length);
    })();
    return this.repo.jobs().length > 0;
  }

  // --- query tester ---

  /**
   * Counts the stored mentions (the newest TEST_SCAN_MAX) a query matches and returns a
   * sample with spans. Scans in chunks between which the thread answers other requests;
   * a newer test call makes an older one stop early.
   */
  async testQuery(query: string, sampleSize: number): Promise<TestQueryResult | { ok: false; error: ReturnType<typeof queryErrorDto> }> {
    let q: CompiledQuery;
    try {
      q = compileQuery(query);
    } catch (e) {
      if (e instanceof QueryError) return { ok: false, error: queryErrorDto(e) };
      throw e;
    }
    const gen = ++this.testGen;
    const total = this.repo.countMentions();
    // The newest TEST_SCAN_MAX mentions are the ones judged. Where the full-text index can name
    // the only mentions that may match (the words of the query), just those are read; any other
    // cannot match, so the count is the same as reading them all.
    const plan = ftsPlan(q.ast);
    const floor = plan ? this.repo.idAtRank(TEST_SCAN_MAX) - 1 : 0;
    const read = (below: number, n: number): MatchableMention[] => (plan ? this.repo.candidatesBelow(plan.expr, below, Math.max(0, floor), n) : this.repo.mentionsBelow(below, n));
    let cursor = Number.MAX_SAFE_INTEGER;
    let scanned = 0;
    let count = 0;
    const sample: TestQueryResult['sample'] = [];
    while (scanned < TEST_SCAN_MAX) {
      if (this.stopped) break;
      const started = this.clock();
      let exhausted = false;
      while (this.clock() - started < SLICE_BUDGET_MS && scanned < TEST_SCAN_MAX) {
        const batch = read(cursor, Math.min(TEST_CHUNK, TEST_SCAN_MAX - scanned));
        if (batch.length === 0) {
          exhausted = true;
          break;
        }
        for (const m of batch) {
          const hit = q.match(this.docOfStored(m));
          if (!hit) continue;
          count++;
          if (sample.length < sampleSize) sample.push({ mention: m, spans: hit.spans });
        }
        scanned += batch.length;
        cursor = batch[batch.length - 1]!.id - 1;
      }
      if (exhausted) break;
      await yieldTurn();
      if (gen !== this.testGen) break;
    }
    // Read through the index, the judged mentions are still the newest TEST_SCAN_MAX (or all).
    if (plan && gen === this.testGen && !this.stopped) scanned = Math.min(total, TEST_SCAN_MAX);
    return { ok: true, count, scanned, total, sample };
  }
}
