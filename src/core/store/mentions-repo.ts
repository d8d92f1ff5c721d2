// Over 500 lines (~680): every SQL statement on the mentions table and its FTS index, kept in
// one repo so the store layer has one place per table; the search/filter query builder is the
// seam if it grows.
import type { Cursor, MentionQuery } from '../../shared/contract';
import { LIMITS, type Mention, type SourceKind } from '../../shared/schemas';
import { SentimentTermSchema, type SentimentLabel, type SentimentTerm } from '../../shared/sentiment';
import type { SentimentFields } from '../analysis';
import { MentionFlagSchema } from '../../shared/mention-flags';
import { externalIdKey, type NormalizedMention } from '../ingest/normalize';
import type { Db } from './db';
import { buildFtsQuery } from './fts-query';
import { aliasFold, looksLikeAlias } from '../../shared/author-alias';

export type MentionStatus = Mention['status'];

export interface MentionInsert extends NormalizedMention, SentimentFields {
  sourceId: number;
}

/** A stored mention the sentiment re-score goes through: its words and the label it shows now. */
export interface RescoreRow {
  id: number;
  title: string | null;
  text: string;
  lang: string;
  label: SentimentLabel | null;
  score: number | null;
  /** 1 when a person set the label (it survives any re-score). */
  corrected: 0 | 1;
}

/** A row as the store returns it, joined with its source. */
interface MentionRow {
  id: number;
  source_id: number;
  source_name: string;
  source_kind: SourceKind;
  external_id: string | null;
  url: string | null;
  canonical_url: string | null;
  author_key: string | null;
  author_alias: string | null;
  author_name: string | null;
  title: string | null;
  text: string;
  lang: string;
  published_at: number;
  fetched_at: number;
  thread_id: string | null;
  parent_id: string | null;
  likes: number;
  comments: number;
  shares: number;
  score: number;
  status: MentionStatus;
  sentiment_score: number | null;
  sentiment_label: SentimentLabel | null;
  sentiment_terms: string | null;
  sentiment_model: string | null;
  sentiment_model_label: SentimentLabel | null;
  sentiment_corrected_at: number | null;
  /** The corrector's display name (null when nobody corrected, or the person is gone). */
  sentiment_corrected_by_name: string | null;
  flag: string | null;
  flag_detail: string | null;
}

/** One exported mention: pseudonymous author only, snake_case like the import format. */
export interface MentionExportRow {
  id: number;
  source: string;
  source_kind: SourceKind;
  external_id: string | null;
  url: string | null;
  author_key: string | null;
  title: string | null;
  text: string;
  lang: string;
  published_at: string;
  fetched_at: string;
  thread_id: string | null;
  parent_id: string | null;
  likes: number;
  comments: number;
  shares: number;
  score: number;
  status: MentionStatus;
  sentiment_score: number | null;
  sentiment_label: SentimentLabel | null;
}

export const MENTION_EXPORT_COLUMNS: readonly (keyof MentionExportRow)[] = [
  'id', 'source', 'source_kind', 'external_id', 'url', 'author_key', 'title', 'text', 'lang',
  'published_at', 'fetched_at', 'thread_id', 'parent_id', 'likes', 'comments', 'shares', 'score', 'status',
  'sentiment_score', 'sentiment_label',
];

const SELECT_COLUMNS = `
  m.id, m.source_id, s.name AS source_name, s.kind AS source_kind, m.external_id, m.url,
  m.canonical_url, m.author_key, m.author_name,
  (SELECT a.alias FROM author_aliases a WHERE a.author_key = m.author_key) AS author_alias, m.title, m.text, m.lang, m.published_at, m.fetched_at,
  m.thread_id, m.parent_id, m.likes, m.comments, m.shares, m.score, m.status,
  m.sentiment_score, m.sentiment_label, m.sentiment_terms, m.sentiment_model, m.sentiment_model_label,
  m.sentiment_corrected_at,
  (SELECT u.display_name FROM users u WHERE u.id = m.sentiment_corrected_by) AS sentiment_corrected_by_name,
  m.flag, m.flag_detail`;
const FROM = 'FROM mentions m JOIN sources s ON s.id = m.source_id';

export const THREAD_MAX = 200;
/** Up to this many matches, a filtered page is read by seeking the matches and sorting them. */
const SEEK_MAX = 2_000;

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * The score aggregates read (a moment's mean sentiment, Tier 2 comment sentiment): the
 * engine's score, except on a mention a person corrected, where their label counts at full
 * strength (+1, 0, −1): a human judgement is not a weak signal, and the engine's score may
 * even point the other way. effectiveScore is the same rule for rows already in memory.
 */
export function effectiveScoreSql(alias: string): string {
  return `(CASE WHEN ${alias}.sentiment_corrected_at IS NULL THEN ${alias}.sentiment_score
    ELSE (CASE ${alias}.sentiment_label WHEN 'positive' THEN 1.0 WHEN 'negative' THEN -1.0 ELSE 0.0 END) END)`;
}

export function effectiveScore(score: number | null, label: SentimentLabel | null, corrected: boolean): number | null {
  if (!corrected) return score;
  return label === 'positive' ? 1 : label === 'negative' ? -1 : 0;
}

const TermsSchema = SentimentTermSchema.array();

/** The stored drivers; a damaged value reads as none rather than failing the page. */
function parseTerms(json: string | null): SentimentTerm[] {
  if (!json) return [];
  try {
    const parsed = TermsSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

function rowToMention(r: MentionRow): Mention {
  return {
    id: r.id,
    sourceId: r.source_id,
    sourceName: r.source_name,
    sourceKind: r.source_kind,
    externalId: r.external_id,
    // The canonical form is what we show and open: no tracking parameters, http(s) only.
    url: r.canonical_url,
    title: r.title,
    text: r.text,
    authorKey: r.author_key,
    authorAlias: r.author_alias,
    authorHandle: r.author_name,
    lang: r.lang,
    publishedAt: iso(r.published_at),
    fetchedAt: iso(r.fetched_at),
    threadId: r.thread_id,
    parentId: r.parent_id,
    likes: r.likes,
    comments: r.comments,
    shares: r.shares,
    score: r.score,
    status: r.status,
    sentimentScore: r.sentiment_score,
    sentimentLabel: r.sentiment_label,
    sentimentTerms: parseTerms(r.sentiment_terms),
    sentimentModel: r.sentiment_model,
    sentimentModelLabel: r.sentiment_model_label,
    sentimentCorrection: r.sentiment_corrected_at === null ? null : { by: r.sentiment_corrected_by_name, at: iso(r.sentiment_corrected_at) },
    ...(r.flag ? { flag: parseFlag(r.flag, r.flag_detail) } : {}),
  };
}

/** The stored flag columns → the DTO's flag (null when the detail is unreadable). */
export function parseFlag(kind: string, detail: string | null): Mention['flag'] {
  try {
    const d = JSON.parse(detail ?? '{}') as { count?: unknown; windowSec?: unknown };
    const parsed = MentionFlagSchema.safeParse({ kind, count: d.count, windowSec: d.windowSec });
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The DTO of a row just inserted, built without reading it back. */
export function insertedToMention(id: number, row: MentionInsert, sourceKind: SourceKind, authorAlias: string | null = null): Mention {
  return {
    id,
    sourceId: row.sourceId,
    sourceName: row.sourceName,
    sourceKind,
    externalId: row.externalId,
    url: row.canonicalUrl,
    title: row.title,
    text: row.text,
    authorKey: row.authorKey,
    authorAlias,
    authorHandle: row.authorName,
    lang: row.lang,
    publishedAt: iso(row.publishedAt),
    fetchedAt: iso(row.fetchedAt),
    threadId: row.threadId,
    parentId: row.parentId,
    likes: row.likes,
    comments: row.comments,
    shares: row.shares,
    score: row.score,
    status: 'new',
    sentimentScore: row.sentimentScore,
    sentimentLabel: row.sentimentLabel,
    sentimentTerms: row.sentimentTerms,
    sentimentModel: row.sentimentModel,
    sentimentModelLabel: row.sentimentLabel,
    sentimentCorrection: null,
  };
}

export class InvalidCursorError extends Error {
  constructor() {
    super('invalid pagination cursor');
    this.name = 'InvalidCursorError';
  }
}

export interface MentionPage {
  items: Mention[];
  /** Exact, or LIMITS.countCap when `capped` (there are more). */
  total: number;
  capped: boolean;
  next: Cursor | null;
}

type Params = Record<string, string | number>;

export class MentionsRepo {
  private readonly insertStmt;
  private readonly getStmt;
  private readonly threadStmt;
  private readonly setStatusStmt;
  private readonly countAllStmt;
  private readonly exportStmt;
  private readonly rescore;
  private readonly setSentimentStmt;
  private readonly indexTextStmt;
  private readonly cache = new Map<string, ReturnType<Db['prepare']>>();
  private readonly aliasKeyStmt;

  constructor(private readonly db: Db) {
    this.insertStmt = db.prepare<unknown[]>(`
      INSERT INTO mentions (
        source_id, external_id, url, canonical_url, dedup_key, content_hash, author_key, author_name,
        title, text, lang, published_at, fetched_at, thread_id, parent_id, likes, comments, shares, score,
        sentiment_score, sentiment_label, sentiment_terms, sentiment_model, sentiment_model_label
      ) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (source_id, dedup_key) DO NOTHING`);
    this.indexTextStmt = db.prepare<[string]>(
      'INSERT INTO mentions_fts (rowid, title, text) SELECT id, title, text FROM mentions WHERE id IN (SELECT value FROM json_each(?))',
    );
    this.getStmt = db.prepare<[number], MentionRow>(`SELECT ${SELECT_COLUMNS} ${FROM} WHERE m.id = ?`);
    // The thread is every reply carrying the thread id, plus the root post itself (found by
    // its dedup key, which is derived from its external id).
    this.threadStmt = db.prepare<[number, string, number, string, number], MentionRow>(`
      SELECT ${SELECT_COLUMNS} ${FROM}
      WHERE m.id IN (
        SELECT id FROM mentions WHERE source_id = ? AND thread_id = ?
        UNION
        SELECT id FROM mentions WHERE source_id = ? AND dedup_key = ?
      )
      ORDER BY m.published_at, m.id
      LIMIT ?`);
    this.setStatusStmt = db.prepare<[string, number]>('UPDATE mentions SET status = ? WHERE id = ?');
    this.countAllStmt = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM mentions');
    // Which rows a re-score must touch: every row another engine scored (or none did); or,
    // when it only fills in what was never scored, those alone, through the partial index.
    const RESCORE_COLUMNS = 'id, title, text, lang, sentiment_label AS label, sentiment_score AS score, sentiment_corrected_at IS NOT NULL AS corrected';
    this.rescore = {
      rulesBatch: db.prepare<[number, number], RescoreRow>(
        `SELECT ${RESCORE_COLUMNS} FROM mentions WHERE sentiment_score IS NULL AND id > ? ORDER BY id LIMIT ?`),
      modelBatch: db.prepare<[number, string, number], RescoreRow>(
        `SELECT ${RESCORE_COLUMNS} FROM mentions WHERE id > ? AND sentiment_model IS NOT ? ORDER BY id LIMIT ?`),
      rulesCount: db.prepare<[number, number], { n: number }>(
        'SELECT COUNT(*) AS n FROM mentions WHERE sentiment_score IS NULL AND id > ? AND id <= ?'),
      modelCount: db.prepare<[number, number, string], { n: number }>(
        'SELECT COUNT(*) AS n FROM mentions WHERE id > ? AND id <= ? AND sentiment_model IS NOT ?'),
      maxId: db.prepare<[], { n: number | null }>('SELECT MAX(id) AS n FROM mentions'),
    };
    // A person's correction outranks any engine: the label stays theirs, the model's own is kept beside it.
    this.setSentimentStmt = db.prepare<[number, string, string, string, string, number]>(
      `UPDATE mentions SET sentiment_score = ?, sentiment_terms = ?, sentiment_model = ?, sentiment_model_label = ?,
         sentiment_label = CASE WHEN sentiment_corrected_at IS NULL THEN ? ELSE sentiment_label END
       WHERE id = ?`);
    this.aliasKeyStmt = db.prepare<[string], { author_key: string }>('SELECT author_key FROM author_aliases WHERE alias_fold = ?');
    this.exportStmt = db.prepare<[], MentionRow>(`SELECT ${SELECT_COLUMNS} ${FROM} ORDER BY m.published_at DESC, m.id DESC`);
  }

  /**
   * Row id when stored, null when the source already had this item. Only the ingest
   * pipeline calls it, inside its batch transaction (it also keeps the source counters).
   */
  /**
   * Stores one mention, or returns null when its (source, dedup key) is already stored.
   * Its words reach the full-text index only through indexText(), once per batch.
   */
  insertOne(r: MentionInsert): number | null {
    // run() rather than RETURNING, which makes SQLite buffer the returned row: a skipped
    // duplicate changes nothing, a stored row is the last one inserted.
    const res = this.insertStmt.run(
      r.sourceId, r.externalId, r.url, r.canonicalUrl, r.dedupKey, r.contentHash, r.authorKey, r.authorName,
      r.title, r.text, r.lang, r.publishedAt, r.fetchedAt, r.threadId, r.parentId, r.likes, r.comments, r.shares, r.score,
      r.sentimentScore, r.sentimentLabel, JSON.stringify(r.sentimentTerms), r.sentimentModel, r.sentimentLabel,
    );
    return res.changes === 1 ? Number(res.lastInsertRowid) : null;
  }

  /**
   * Adds the mentions just inserted to the full-text index, in one statement: FTS5 writes an
   * index segment per statement, so one per batch instead of one per mention.
   */
  indexText(ids: readonly number[]): void {
    if (ids.length > 0) this.indexTextStmt.run(JSON.stringify(ids));
  }

  /**
   * The next `limit` mentions after `afterId` (id order) a re-score must score: those another
   * engine than `model` scored or none did; with `model` null, only those never scored.
   */
  rescoreBatch(model: string | null, afterId: number, limit: number): RescoreRow[] {
    return model === null ? this.rescore.rulesBatch.all(afterId, limit) : this.rescore.modelBatch.all(afterId, model, limit);
  }

  /** How many of the mentions with afterId < id <= uptoId rescoreBatch(model, …) would return. */
  rescoreCount(model: string | null, afterId: number, uptoId: number): number {
    const r = model === null ? this.rescore.rulesCount.get(afterId, uptoId) : this.rescore.modelCount.get(afterId, uptoId, model);
    return r?.n ?? 0;
  }

  /** The highest mention id stored (0 when none). */
  maxId(): number {
    return this.rescore.maxId.get()?.n ?? 0;
  }

  setSentiment(id: number, f: SentimentFields): void {
    this.setSentimentStmt.run(f.sentimentScore, JSON.stringify(f.sentimentTerms), f.sentimentModel, f.sentimentLabel, f.sentimentLabel, id);
  }

  get(id: number): Mention | null {
    const r = this.getStmt.get(id);
    return r ? rowToMention(r) : null;
  }

  /** The conversation around a mention, oldest first, at most THREAD_MAX rows. */
  thread(m: Mention): Mention[] {
    const key = m.threadId ?? m.externalId;
    if (!key) return [];
    const rootKey = externalIdKey(key);
    return this.threadStmt.all(m.sourceId, key, m.sourceId, rootKey, THREAD_MAX).map(rowToMention);
  }

  setStatus(id: number, status: MentionStatus): Mention | null {
    this.setStatusStmt.run(status, id);
    return this.get(id);
  }

  /** Erases every raw author handle kept (handles turned off): how many mentions had one. */
  eraseAuthorNames(): number {
    return this.db.prepare('UPDATE mentions SET author_name = NULL WHERE author_name IS NOT NULL').run().changes;
  }

  countAll(): number {
    return this.countAllStmt.get()?.n ?? 0;
  }

  /** The author a search names by their alias ("Volpe-482"), or null: an alias nobody has is words. */
  authorKeyOfAlias(text: string | undefined): string | null {
    return text && looksLikeAlias(text) ? (this.aliasKeyStmt.get(aliasFold(text))?.author_key ?? null) : null;
  }

  /** Mentions linked to any of `ids` (themes, audiences), counted on the link table's own index. */
  private countLinked(table: 'mention_themes' | 'mention_audiences', column: 'theme_id' | 'audience_id', ids: readonly number[]): { total: number; capped: boolean } {
    if (ids.length === 1) return { total: (this.stmt(`SELECT COUNT(*) AS n FROM ${table} WHERE ${column} = @id`).get({ id: ids[0]! }) as { n: number }).n, capped: false };
    // A mention in two of them is one match: DISTINCT, which needs a table of what it saw, so capped.
    const n = (this.stmt(`SELECT COUNT(*) AS n FROM (SELECT DISTINCT mention_id FROM ${table} WHERE ${column} IN (SELECT value FROM json_each(@ids)) LIMIT ${LIMITS.countCap + 1})`).get({ ids: JSON.stringify(ids) }) as { n: number }).n;
    return { total: n, capped: n > LIMITS.countCap };
  }

  /**
   * One page in inbox order (newest first). Keyset paging: `after` is the last row of the
   * previous page, so rows arriving meanwhile never shift or repeat what was already read.
   * Empty filter arrays mean "no filter".
   */
  list(
    query: MentionQuery,
    after: Cursor | undefined,
    limit: number,
    sort: 'time' | 'relevance' = 'time',
    assignee: number | null = null,
    /** The inbox search's own index expression (its words already parsed), and a total known from an earlier batch. */
    opts: { fts?: string | null; total?: number } = {},
  ): MentionPage {
    // A search that is an author's alias ("Volpe-482") is that author's mentions, found by
    // their key; any other text (or an alias nobody has) is searched as words.
    const aliasKey = opts.fts === undefined ? this.authorKeyOfAlias(query.text) : null;
    const fts = opts.fts !== undefined ? opts.fts : aliasKey === null ? buildFtsQuery(query.text) : null;
    const sourceIds = query.sourceIds?.length ? JSON.stringify(query.sourceIds) : null;
    const langs = query.langs?.length ? JSON.stringify(query.langs) : null;
    const sentiments = query.sentiments?.length ? JSON.stringify(query.sentiments) : null;
    const themeIds = query.themeIds?.length ? JSON.stringify(query.themeIds) : null;
    const momentId = query.momentId ?? null;
    const audienceIds = query.audienceIds?.length ? JSON.stringify(query.audienceIds) : null;
    const tagIds = query.tagIds?.length ? JSON.stringify(query.tagIds) : null;
    const params: Params = {};
    if (tagIds) params.tagIds = tagIds;
    if (assignee !== null) params.assignee = assignee;
    if (aliasKey !== null) params.authorKey = aliasKey;
    if (audienceIds) params.audienceIds = audienceIds;
    if (momentId !== null) params.momentId = momentId;
    if (fts) params.fts = fts;
    if (sourceIds) params.sourceIds = sourceIds;
    if (langs) params.langs = langs;
    if (sentiments) params.sentiments = sentiments;
    if (themeIds) params.themeIds = themeIds;

    // The filters, written two ways. "seek" lets SQLite start from the matching rows and sort
    // them: best when they are few. "scan" walks the inbox index newest-first and tests each
    // row (the unary + keeps SQLite from seeking): best when matches are many, and bounded.
    const filters = (scan: boolean): string[] => {
      const w: string[] = [];
      const p = scan ? '+' : '';
      if (fts) w.push(`${p}m.id IN (SELECT rowid FROM mentions_fts WHERE mentions_fts MATCH @fts)`);
      if (aliasKey !== null) w.push(`${p}m.author_key = @authorKey`);
      if (sourceIds) w.push(`${p}m.source_id IN (SELECT value FROM json_each(@sourceIds))`);
      if (langs) w.push('m.lang IN (SELECT value FROM json_each(@langs))');
      if (sentiments) w.push(`${p}m.sentiment_label IN (SELECT value FROM json_each(@sentiments))`);
      // A link table (themes, audiences, tags) is read two ways too: seeking, the list of its
      // mentions; scanning, a probe of its key per row walked (the list of a broad filter is
      // hundreds of thousands of ids, built before the first row: 100–200 ms at 1,000,000).
      const linked = (table: string, column: string, param: string): string =>
        scan
          ? `EXISTS (SELECT 1 FROM ${table} l WHERE l.mention_id = m.id AND l.${column} IN (SELECT value FROM json_each(@${param})))`
          : `m.id IN (SELECT mention_id FROM ${table} WHERE ${column} IN (SELECT value FROM json_each(@${param})))`;
      if (themeIds) w.push(linked('mention_themes', 'theme_id', 'themeIds'));
      if (momentId !== null) w.push(`${p}m.id IN (SELECT mention_id FROM moment_mentions WHERE moment_id = @momentId)`);
      if (audienceIds) w.push(linked('mention_audiences', 'audience_id', 'audienceIds'));
      // One person's assigned mentions, read from the assignments index (user, kind, id).
      if (assignee !== null) w.push(`${p}m.id IN (SELECT subject_id FROM assignments WHERE user_id = @assignee AND subject_kind = 'mention')`);
      // Any of these tags: mention_tags' primary key (tag, mention) seeking, its per-mention index scanning.
      if (tagIds) w.push(linked('mention_tags', 'tag_id', 'tagIds'));
      return w;
    };

    // The total: exact where an index counts it alone, else counted up to COUNT_CAP ("oltre
    // 10.000"): an exact count of a broad filter walks every match (seconds at 1,000,000).
    const others = sourceIds !== null || langs !== null || sentiments !== null || momentId !== null || assignee !== null || aliasKey !== null || tagIds !== null;
    let total: number;
    let capped = false;
    if (opts.total !== undefined) {
      total = opts.total;
    } else if (fts && !others && !themeIds && !audienceIds) {
      // The index is kept in step with mentions by triggers, so it can count alone.
      total = (this.stmt('SELECT COUNT(*) AS n FROM mentions_fts WHERE mentions_fts MATCH @fts').get(params) as { n: number }).n;
    } else if (themeIds && !others && !fts && !audienceIds) {
      ({ total, capped } = this.countLinked('mention_themes', 'theme_id', query.themeIds!));
    } else if (audienceIds && !others && !fts && !themeIds) {
      ({ total, capped } = this.countLinked('mention_audiences', 'audience_id', query.audienceIds!));
    } else {
      const w = filters(false);
      if (w.length === 0) total = this.countAll();
      else {
        total = (this.stmt(`SELECT COUNT(*) AS n FROM (SELECT 1 FROM mentions m WHERE ${w.join(' AND ')} LIMIT ${LIMITS.countCap + 1})`).get(params) as { n: number }).n;
        capped = total > LIMITS.countCap;
      }
    }
    if (capped) total = LIMITS.countCap;

    if (sort === 'relevance' && query.themeIds?.length === 1) {
      return { ...this.listByThemeRelevance(query.themeIds[0]!, filters(true), params, total, after, limit), capped };
    }
    if (sort === 'relevance' && themeIds === null) return { ...this.listByBestRelevance(filters(true), params, total, after, limit), capped };
    if (sort === 'relevance') return { ...this.listByRelevance(filters(false), params, total, after, limit, true), capped };

    const pageWhere = filters(total > SEEK_MAX);
    const pageParams: Params = { ...params, limit: limit + 1 };
    if (after) {
      const at = Date.parse(after.publishedAt);
      if (!Number.isFinite(at)) throw new InvalidCursorError();
      pageWhere.push('(m.published_at, m.id) < (@cursorAt, @cursorId)');
      pageParams.cursorAt = at;
      pageParams.cursorId = after.id;
    }
    const sql =
      `SELECT ${SELECT_COLUMNS} ${FROM} ${pageWhere.length ? `WHERE ${pageWhere.join(' AND ')}` : ''} ` +
      'ORDER BY m.published_at DESC, m.id DESC LIMIT @limit';
    const rows = this.stmt(sql).all(pageParams) as MentionRow[];
    const more = rows.length > limit;
    const items = (more ? rows.slice(0, limit) : rows).map(rowToMention);
    const last = items[items.length - 1];
    return { items, total, capped, next: more && last ? { publishedAt: last.publishedAt, id: last.id } : null };
  }

  /**
   * A page of one theme's matches, most relevant first: walks the relevance index of
   * mention_themes (its published_at is the mention's), so any page costs the same.
   */
  private listByThemeRelevance(themeId: number, where: string[], params: Params, total: number, after: Cursor | undefined, limit: number): Omit<MentionPage, 'capped'> {
    const pageParams: Params = { ...params, themeId, limit: limit + 1 };
    const w = ['mt.theme_id = @themeId', ...where];
    if (after) {
      const at = Date.parse(after.publishedAt);
      if (!Number.isFinite(at) || after.relevance === undefined) throw new InvalidCursorError();
      w.push('(mt.relevance, mt.published_at, mt.mention_id) < (@cursorRel, @cursorAt, @cursorId)');
      pageParams.cursorRel = after.relevance;
      pageParams.cursorAt = at;
      pageParams.cursorId = after.id;
    }
    const sql =
      `SELECT ${SELECT_COLUMNS}, mt.relevance AS rel FROM mention_themes mt INDEXED BY mention_themes_by_relevance ` +
      `JOIN mentions m ON m.id = mt.mention_id JOIN sources s ON s.id = m.source_id WHERE ${w.join(' AND ')} ` +
      'ORDER BY mt.relevance DESC, mt.published_at DESC, mt.mention_id DESC LIMIT @limit';
    const rows = this.stmt(sql).all(pageParams) as (MentionRow & { rel: number })[];
    const more = rows.length > limit;
    const page = more ? rows.slice(0, limit) : rows;
    const last = page[page.length - 1];
    return {
      items: page.map(rowToMention),
      total,
      next: more && last ? { publishedAt: iso(last.published_at), id: last.id, relevance: last.rel } : null,
    };
  }

  /**
   * A page ordered by each mention's best relevance among all live themes, then newest first
   * (the order of listByRelevance without a theme filter), without computing the relevance
   * of every stored mention. Each theme's relevance index is walked for at most a page of
   * rows that are their mention's best match (ties go to the lowest theme id, so a mention
   * shows once); the per-theme pages are merged. Mentions with no match above 0 follow, by
   * time, from the inbox index.
   */
  private listByBestRelevance(where: string[], params: Params, total: number, after: Cursor | undefined, limit: number): Omit<MentionPage, 'capped'> {
    let cursorAt = 0;
    if (after) {
      cursorAt = Date.parse(after.publishedAt);
      if (!Number.isFinite(cursorAt) || after.relevance === undefined) throw new InvalidCursorError();
    }
    const want = limit + 1;
    const picked: { id: number; rel: number; at: number }[] = [];
    const better = 'SELECT 1 FROM mention_themes o JOIN themes t ON t.id = o.theme_id WHERE o.mention_id = mt.mention_id AND (o.relevance > mt.relevance OR (o.relevance = mt.relevance AND o.theme_id < mt.theme_id))';
    if (!after || after.relevance! > 0) {
      const w = ['mt.theme_id = @themeId', 'mt.relevance > 0', `NOT EXISTS (${better})`, ...where];
      const p: Params = { ...params, limit: want };
      if (after) {
        w.push('(mt.relevance, mt.published_at, mt.mention_id) < (@cursorRel, @cursorAt, @cursorId)');
        p.cursorRel = after.relevance!;
        p.cursorAt = cursorAt;
        p.cursorId = after.id;
      }
      const perTheme = this.stmt(
        'SELECT mt.mention_id AS id, mt.relevance AS rel, mt.published_at AS at FROM mention_themes mt INDEXED BY mention_themes_by_relevance ' +
          `JOIN mentions m ON m.id = mt.mention_id WHERE ${w.join(' AND ')} ORDER BY mt.relevance DESC, mt.published_at DESC, mt.mention_id DESC LIMIT @limit`,
      );
      const themeIds = this.stmt('SELECT id FROM themes').pluck().all() as number[];
      for (const themeId of themeIds) picked.push(...(perTheme.all({ ...p, themeId }) as { id: number; rel: number; at: number }[]));
      picked.sort((a, b) => b.rel - a.rel || b.at - a.at || b.id - a.id);
      picked.length = Math.min(picked.length, want);
    }
    if (picked.length < want) {
      const w = ['NOT EXISTS (SELECT 1 FROM mention_themes o JOIN themes t ON t.id = o.theme_id WHERE o.mention_id = m.id AND o.relevance > 0)', ...where];
      const p: Params = { ...params, limit: want - picked.length };
      if (after && after.relevance === 0) {
        w.push('(m.published_at, m.id) < (@cursorAt, @cursorId)');
        p.cursorAt = cursorAt;
        p.cursorId = after.id;
      }
      const unmatched = this.stmt(`SELECT m.id AS id, 0 AS rel, m.published_at AS at FROM mentions m WHERE ${w.join(' AND ')} ORDER BY m.published_at DESC, m.id DESC LIMIT @limit`);
      picked.push(...(unmatched.all(p) as { id: number; rel: number; at: number }[]));
    }
    const more = picked.length > limit;
    const page = more ? picked.slice(0, limit) : picked;
    const byId = new Map(
      (this.stmt(`SELECT ${SELECT_COLUMNS} ${FROM} WHERE m.id IN (SELECT value FROM json_each(@ids))`).all({ ids: JSON.stringify(page.map((r) => r.id)) }) as MentionRow[]).map(
        (r) => [r.id, r],
      ),
    );
    const items = page.flatMap((r) => {
      const row = byId.get(r.id);
      return row ? [rowToMention(row)] : [];
    });
    const last = page[page.length - 1];
    return { items, total, next: more && last ? { publishedAt: iso(last.at), id: last.id, relevance: last.rel } : null };
  }

  /**
   * A page ordered by perimeter relevance (the best match among the filtered themes, or
   * among all themes), then newest first. The cursor carries the last row's relevance.
   */
  private listByRelevance(where: string[], params: Params, total: number, after: Cursor | undefined, limit: number, byTheme: boolean): Omit<MentionPage, 'capped'> {
    const rel =
      'COALESCE((SELECT MAX(mt.relevance) FROM mention_themes mt JOIN themes t ON t.id = mt.theme_id WHERE mt.mention_id = m.id' +
      `${byTheme ? ' AND mt.theme_id IN (SELECT value FROM json_each(@themeIds))' : ''}), 0)`;
    const pageParams: Params = { ...params, limit: limit + 1 };
    let cursorWhere = '';
    if (after) {
      const at = Date.parse(after.publishedAt);
      if (!Number.isFinite(at) || after.relevance === undefined) throw new InvalidCursorError();
      cursorWhere = 'WHERE (rel, published_at, id) < (@cursorRel, @cursorAt, @cursorId)';
      pageParams.cursorRel = after.relevance;
      pageParams.cursorAt = at;
      pageParams.cursorId = after.id;
    }
    const sql =
      `SELECT * FROM (SELECT ${SELECT_COLUMNS}, ${rel} AS rel ${FROM} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}) ` +
      `${cursorWhere} ORDER BY rel DESC, published_at DESC, id DESC LIMIT @limit`;
    const rows = this.stmt(sql).all(pageParams) as (MentionRow & { rel: number })[];
    const more = rows.length > limit;
    const page = more ? rows.slice(0, limit) : rows;
    const last = page[page.length - 1];
    return {
      items: page.map(rowToMention),
      total,
      next: more && last ? { publishedAt: iso(last.published_at), id: last.id, relevance: last.rel } : null,
    };
  }

  /**
   * Mentions published in [from, to) by window of `bucketMs` and sentiment label, read from the
   * inbox index's time range (an hour is a few thousand rows at most, never a scan).
   */
  countByWindow(from: number, to: number, bucketMs: number): { bucket: number; label: SentimentLabel | null; n: number }[] {
    return this.stmt(
      `SELECT CAST((published_at - @from) / @bucketMs AS INTEGER) AS bucket, sentiment_label AS label, COUNT(*) AS n
       FROM mentions WHERE published_at >= @from AND published_at < @to GROUP BY bucket, label`,
    ).all({ from, to, bucketMs }) as { bucket: number; label: SentimentLabel | null; n: number }[];
  }

  /** Every mention in inbox order, for export; streams rows without loading them all. */
  *exportRows(): Generator<MentionExportRow> {
    for (const r of this.exportStmt.iterate()) {
      yield {
        id: r.id,
        source: r.source_name,
        source_kind: r.source_kind,
        external_id: r.external_id,
        url: r.canonical_url,
        author_key: r.author_key,
        title: r.title,
        text: r.text,
        lang: r.lang,
        published_at: iso(r.published_at),
        fetched_at: iso(r.fetched_at),
        thread_id: r.thread_id,
        parent_id: r.parent_id,
        likes: r.likes,
        comments: r.comments,
        shares: r.shares,
        score: r.score,
        status: r.status,
        sentiment_score: r.sentiment_score,
        sentiment_label: r.sentiment_label,
      };
    }
  }

  // The filter combinations are few, so their statements are prepared once and kept.
  private stmt(sql: string) {
    let s = this.cache.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.cache.set(sql, s);
    }
    return s;
  }
}
