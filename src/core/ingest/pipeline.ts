// The ingest path shared by webhook, import and replay: validate → normalize → analyze
// (sentiment) → one write transaction per batch → events. A batch is stored whole or not at all.
import { describeZodError } from '../../shared/contract';
import type { MentionTheme } from '../../shared/perimeters';
import { InboundMentionSchema, type InboundMention, type IngestReject, type IngestResult, type IngestWarning, type Mention, type SourceKind } from '../../shared/schemas';
import { isFutureDated } from '../../shared/clock';
import { renderText, type ErrorLang } from '../../shared/errors';
import { analyzeMention, type SentimentFields, sentimentAnalyzer, type SentimentAnalyzer, type WorkspaceLayer } from '../analysis';
import type { EventBus } from '../api/events';
import type { Db } from '../store/db';
import { insertedToMention, type MentionInsert, type MentionsRepo } from '../store/mentions-repo';
import type { SourcesRepo } from '../store/sources-repo';
import { MentionQualityRepo } from '../store/mention-quality-repo';
import type { MentionFlag } from '../../shared/mention-flags';
import { crossSourceDuplicate, flagSuspicious, type FlagChange } from './quality';
import { AuthorKeyCache, normalizeMention, type NormalizedMention } from './normalize';
import type { AuthorAliases } from './author-alias';
import { orderStages, type InsertedRow, type IngestStage } from './stages';
import { parseWorded } from './zod-it';

/** Where a batch came from; it is also the kind of the sources it creates. */
export type IngestOrigin = Extract<SourceKind, 'webhook' | 'import' | 'replay'>;

export interface PipelineDeps {
  db: Db;
  sources: SourcesRepo;
  mentions: MentionsRepo;
  events: EventBus;
  now: () => number;
  /** The workspace secret for author pseudonyms. */
  secret: () => string;
  /** Whether raw handles are kept beside the pseudonyms (an administrator's choice, off by default). */
  keepAuthorNames?: () => boolean;
  /** The readable aliases of the authors: each new author gets theirs with their first mention. */
  aliases?: AuthorAliases;
  /** Sentiment scorer; the one with the repository's lexicons when not given. */
  sentiment?: SentimentAnalyzer;
  /** This workspace's correction layer, read at each batch (it is retrained in the background). */
  layer?: () => WorkspaceLayer | null;
  /**
   * What the features do with the rows just inserted, inside the batch transaction (stages.ts);
   * ordered here from their declarations, so a cycle stops the start-up.
   */
  stages?: readonly IngestStage[];
  /** The workspace's language: why an item was refused or warned about is worded in it (reports are stored). */
  lang?: () => ErrorLang;
}

export interface IngestOptions {
  /** 1-based file line of each item, reported with its rejection (imports). */
  lines?: readonly number[];
}

/** A result plus the stored mentions, for callers that need them (tests, replay). */
export interface IngestOutcome extends IngestResult {
  added: Mention[];
  sourcesCreated: number;
}

/** Validation of one untrusted item: the item, or why it was refused (in the language asked, Italian by default). */
export function validateInbound(raw: unknown, lang: ErrorLang = 'it'): { ok: true; item: InboundMention } | { ok: false; reason: string } {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { ok: false, reason: renderText('ingest.notObject', {}, lang) };
  }
  // "text or title" is the rule: a title-only item (or a CSV with an empty text cell) lacks
  // text altogether, and the rule's own message says what is missing better than "required".
  const obj = raw as Record<string, unknown>;
  const input = obj.text === undefined ? { ...obj, text: '' } : obj;
  const parsed = parseWorded(InboundMentionSchema, input, lang);
  if (!parsed.success) return { ok: false, reason: describeZodError(parsed.error, lang).join('; ') };
  return { ok: true, item: parsed.data };
}

type AnalyzedMention = NormalizedMention & SentimentFields;

/** Why a stored item carries a warning: its clock is wrong (shared/clock.ts). */
export function futureDatedReason(publishedAt: number, lang: ErrorLang = 'it'): string {
  const when = new Date(publishedAt).toISOString().slice(0, 16).replace('T', ' ');
  return renderText('ingest.futureDated', { when }, lang);
}

export class IngestPipeline {
  private readonly store: (
    rows: AnalyzedMention[],
    origin: IngestOrigin | null,
    now: number,
    knownSourceId: number | null,
    kind: SourceKind,
  ) => {
    ids: (number | null)[];
    inserts: MentionInsert[];
    created: number;
    themes: Map<number, MentionTheme[]> | null;
    flags: FlagChange[];
    aliases: Map<string, string>;
  };

  private readonly sentiment: SentimentAnalyzer;
  private authorKeys: AuthorKeyCache | null = null;
  private authorKeysSecret = '';
  /** The stages after storage, in the order they run. */
  readonly stages: readonly IngestStage[];

  constructor(private readonly deps: PipelineDeps) {
    this.sentiment = deps.sentiment ?? sentimentAnalyzer();
    const stages = (this.stages = orderStages(deps.stages ?? []));
    const quality = new MentionQualityRepo(deps.db);
    this.store = deps.db.transaction(
      (rows: AnalyzedMention[], origin: IngestOrigin | null, now: number, knownSourceId: number | null, kind: SourceKind) => {
      const sourceIds = new Map<string, number>();
      let created = 0;
      const inserts: MentionInsert[] = [];
      const ids: (number | null)[] = [];
      const stats = new Map<number, { added: number; latest: number }>();
      // The rows just stored, as the stages read them (built here, not copied afterwards).
      const fresh: InsertedRow[] = [];
      const freshIds: number[] = [];
      for (const row of rows) {
        let sourceId = knownSourceId ?? sourceIds.get(row.sourceName);
        if (sourceId === undefined && origin !== null) {
          const s = deps.sources.ensure(origin, row.sourceName, now);
          if (s.created) created++;
          sourceId = s.id;
          sourceIds.set(row.sourceName, sourceId);
        }
        if (sourceId === undefined) throw new Error('ingest without a source');
        // The row becomes the insert in place: run() made it, and nothing else holds it.
        const insert: MentionInsert = Object.assign(row, { sourceId });
        inserts.push(insert);
        // The same item already stored from another source is skipped (see quality.ts).
        const id = crossSourceDuplicate(quality, row, sourceId) === null ? deps.mentions.insertOne(insert) : null;
        ids.push(id);
        if (id !== null) {
          fresh.push({ id, row: insert, sourceKind: kind });
          freshIds.push(id);
          // A future-dated item does not make the source's newest item a date to come.
          const at = isFutureDated(row.publishedAt, now) ? 0 : row.publishedAt;
          const st = stats.get(sourceId);
          if (st) {
            st.added++;
            st.latest = Math.max(st.latest, at);
          } else stats.set(sourceId, { added: 1, latest: at });
        }
      }
      deps.mentions.indexText(freshIds);
      // Each author of the batch by their alias (a new author's is drawn and stored now).
      const aliases = new Map<string, string>();
      if (deps.aliases) {
        for (const f of fresh) {
          const k = f.row.authorKey;
          if (k !== null && !aliases.has(k)) aliases.set(k, deps.aliases.aliasOf(k));
        }
      }
      for (const [sourceId, st] of stats) deps.sources.recordItems(sourceId, st.added, st.latest, now);
      let themes: Map<number, MentionTheme[]> | null = null;
      if (stages.length > 0) {
        const batch = { rows: fresh, themes: new Map<number, MentionTheme[]>() };
        for (const stage of stages) stage.run(batch);
        themes = batch.themes;
      }
      const flags = fresh.length > 0 ? flagSuspicious(quality, fresh.map((r) => r.row)) : [];
      return { ids, inserts, created, themes, flags, aliases };
      },
    );
  }

  /**
   * Validates every item, stores the valid ones in ONE transaction, then announces the new
   * ones. Throws (storing nothing) when the transaction fails; invalid items never throw.
   */
  ingest(rawItems: readonly unknown[], origin: IngestOrigin, opts: IngestOptions = {}): IngestOutcome {
    return this.run(rawItems, { origin, kind: origin, sourceId: null }, opts);
  }

  /**
   * Items polled for one known source (the scheduler's sink): every item is attached to THAT
   * row whatever its `source` field says, in one transaction. Same items twice → stored once.
   */
  ingestForSource(source: { id: number; kind: SourceKind }, rawItems: readonly unknown[]): IngestOutcome {
    return this.run(rawItems, { origin: null, kind: source.kind, sourceId: source.id }, {});
  }

  private run(
    rawItems: readonly unknown[],
    target: { origin: IngestOrigin | null; kind: SourceKind; sourceId: number | null },
    opts: IngestOptions,
  ): IngestOutcome {
    const { origin } = target;
    const now = this.deps.now();
    const secret = this.deps.secret();
    if (!this.authorKeys || this.authorKeysSecret !== secret) {
      this.authorKeys = new AuthorKeyCache(secret);
      this.authorKeysSecret = secret;
    }
    const authorKeys = this.authorKeys;
    const keepAuthorNames = this.deps.keepAuthorNames?.() ?? false;
    const rejected: IngestReject[] = [];
    const rows: AnalyzedMention[] = [];
    /** Index in rawItems of each row. */
    const rowIndex: number[] = [];
    const layer = this.deps.layer?.() ?? null;
    const lang = this.deps.lang?.() ?? 'it';
    rawItems.forEach((raw, index) => {
      const line = opts.lines?.[index];
      const v = validateInbound(raw, lang);
      if (!v.ok) {
        rejected.push({ index, ...(line !== undefined ? { line } : {}), reason: v.reason });
        return;
      }
      const row = normalizeMention(v.item, { secret, authorKeys, now, keepAuthorNames });
      // Analysis runs before the write transaction, so the lock is held only for the writes.
      rows.push(Object.assign(row, analyzeMention(row, this.sentiment, layer)));
      rowIndex.push(index);
    });

    const added: Mention[] = [];
    const warnings: IngestWarning[] = [];
    let created = 0;
    let flaggedEarlier: FlagChange[] = [];
    if (rows.length > 0) {
      let res: ReturnType<typeof this.store>;
      try {
        res = this.store(rows, origin, now, target.sourceId, target.kind);
      } catch (err) {
        // The batch rolled back, the aliases it drew with it: none may be remembered.
        this.deps.aliases?.forget();
        throw err;
      }
      created = res.created;
      const flagOf = new Map<number, MentionFlag>(res.flags.map((f) => [f.id, f.flag]));
      res.ids.forEach((id, i) => {
        const ins = res.inserts[i];
        if (id === null || !ins) return;
        if (isFutureDated(ins.publishedAt, ins.fetchedAt)) {
          const index = rowIndex[i]!;
          const line = opts.lines?.[index];
          warnings.push({ index, ...(line !== undefined ? { line } : {}), reason: futureDatedReason(ins.publishedAt, lang) });
        }
        const m = insertedToMention(id, ins, target.kind, ins.authorKey === null ? null : (res.aliases.get(ins.authorKey) ?? null));
        if (res.themes) m.themes = res.themes.get(id) ?? [];
        const flag = flagOf.get(id);
        if (flag) {
          m.flag = flag;
          flagOf.delete(id);
        }
        added.push(m);
      });
      // Flags that fell on mentions stored by earlier batches (the campaign became visible now).
      flaggedEarlier = [...flagOf].map(([id, flag]) => ({ id, flag }));
    }
    // Events only after the commit: a listener never sees a row that could still roll back.
    if (created > 0) this.deps.events.emit('sources.changed', {});
    if (added.length > 0) this.deps.events.emit('mentions.added', { items: added });
    if (flaggedEarlier.length > 0) this.deps.events.emit('mentions.flagged', { items: flaggedEarlier });
    return {
      accepted: added.length,
      duplicates: rows.length - added.length,
      rejected,
      warnings,
      ids: added.map((m) => m.id),
      added,
      sourcesCreated: created,
    };
  }
}
