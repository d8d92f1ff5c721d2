// SQL of moments: counts per key and window, moments with their keys and linked mentions,
// the detection settings, and the scan of stored mentions a rebuild reads.
import { DEFAULT_MOMENT_SETTINGS, MomentSettingsSchema, type MomentKeyKind, type MomentKind, type MomentSettings, type MomentState } from '../../shared/moments';
import type { SentimentLabel } from '../../shared/sentiment';
import type { Statement } from 'better-sqlite3';
import type { Db } from './db';
import { effectiveScoreSql } from './mentions-repo';

const SETTINGS_KEY = 'moments.settings';

export interface CountRow {
  key: string;
  bucket: number;
  n: number;
  neg: number;
  pos: number;
  sent_sum: number;
  brand: number;
}

export interface MomentRow {
  id: number;
  kind: MomentKind;
  state: MomentState;
  key: string;
  key_kind: MomentKeyKind;
  title: string;
  theme_id: number | null;
  opened_at: number;
  updated_at: number;
  closed_at: number | null;
  quiet_since: number | null;
  peak_z: number;
  volume: number;
  negative: number;
  sent_sum: number;
}

export interface MomentKeyRow {
  moment_id: number;
  key: string;
  key_kind: MomentKeyKind;
  label: string;
  mean: number;
  sd: number;
  neg_mean: number;
  neg_sd: number;
}

/** A stored mention as the detector reads it back (rebuild). */
export interface TrackedRow {
  id: number;
  published_at: number;
  /** When it arrived: a mention dated far past it is not tracked (shared/clock.ts). */
  fetched_at: number;
  title: string | null;
  text: string;
  source_id: number;
  source_name: string;
  thread_id: string | null;
  canonical_url: string | null;
  author_key: string | null;
  sentiment_score: number | null;
  sentiment_label: SentimentLabel | null;
  theme_ids: string | null;
}

export interface NewMoment {
  kind: MomentKind;
  key: string;
  keyKind: MomentKeyKind;
  title: string;
  themeId: number | null;
  openedAt: number;
  peakZ: number;
  createdAt: number;
}

// A corrected mention is read with the person's label and its score at full strength.
const TRACKED_COLUMNS = `m.id, m.published_at, m.fetched_at, m.title, m.text, m.source_id, s.name AS source_name, m.thread_id, m.canonical_url, m.author_key,
  ${effectiveScoreSql('m')} AS sentiment_score, m.sentiment_label,
  (SELECT group_concat(theme_id) FROM mention_themes mt WHERE mt.mention_id = m.id) AS theme_ids`;

/**
 * Term windows seen once or twice before a bucket, at most a number of them. Written with the
 * WHERE of the partial index moment_counts_prunable_terms (migration 017), so it reads that
 * index only: the rows it deletes, never the term windows kept nor the other keys' ones.
 */
export const PRUNE_TERMS_SQL = `
  DELETE FROM moment_counts WHERE (bucket, key) IN (
    SELECT bucket, key FROM moment_counts WHERE bucket < ? AND n < 3 AND key >= 't:' AND key < 't;' LIMIT ?)`;

/** Count rows per upsert statement (7 parameters each, well under SQLite's 32,766). */
export const COUNT_ROWS_PER_STATEMENT = 64;

const upsertCountsSql = (rows: number): string => `
  INSERT INTO moment_counts (bucket, key, n, neg, pos, sent_sum, brand) VALUES ${Array.from({ length: rows }, () => '(?, ?, ?, ?, ?, ?, ?)').join(', ')}
  ON CONFLICT (bucket, key) DO UPDATE SET n = n + excluded.n, neg = neg + excluded.neg, pos = pos + excluded.pos,
    sent_sum = sent_sum + excluded.sent_sum, brand = brand + excluded.brand`;

export class MomentsRepo {
  private readonly s;
  /** The upsert of count rows, by rows per statement (prepared on first use). */
  private readonly upserts = new Map<number, Statement<unknown[]>>();

  constructor(private readonly db: Db) {
    this.s = {
      // The table is keyed (bucket, key): one key's windows are looked up one by one.
      range: db.prepare<[number, number, string], CountRow>(`
        WITH RECURSIVE b(x) AS (SELECT ? UNION ALL SELECT x + 1 FROM b WHERE x < ?)
        SELECT c.key, c.bucket, c.n, c.neg, c.pos, c.sent_sum, c.brand FROM b JOIN moment_counts c ON c.bucket = b.x AND c.key = ?
        ORDER BY c.bucket`),
      from: db.prepare<[number], CountRow>('SELECT key, bucket, n, neg, pos, sent_sum, brand FROM moment_counts WHERE bucket >= ?'),
      // Two lookups at the ends of the key, not one scan (MIN and MAX together read every row).
      bounds: db.prepare<[], { lo: number | null; hi: number | null }>(
        'SELECT (SELECT MIN(bucket) FROM moment_counts) AS lo, (SELECT MAX(bucket) FROM moment_counts) AS hi'),
      pruneTerms: db.prepare<[number, number]>(PRUNE_TERMS_SQL),
      clearMentions: db.prepare<[number]>(
        'DELETE FROM moment_mentions WHERE (moment_id, mention_id) IN (SELECT moment_id, mention_id FROM moment_mentions LIMIT ?)'),
      clearKeys: db.prepare<[number]>('DELETE FROM moment_keys WHERE (moment_id, key) IN (SELECT moment_id, key FROM moment_keys LIMIT ?)'),
      clearMoments: db.prepare<[number]>('DELETE FROM moments WHERE id IN (SELECT id FROM moments LIMIT ?)'),
      clearCounts: db.prepare<[number]>('DELETE FROM moment_counts WHERE (bucket, key) IN (SELECT bucket, key FROM moment_counts LIMIT ?)'),
      insertMoment: db.prepare<[string, string, string, string, number | null, number, number, number, number], { id: number }>(`
        INSERT INTO moments (kind, state, key, key_kind, title, theme_id, opened_at, updated_at, peak_z, created_at)
        VALUES (?, 'open', ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
      updateMoment: db.prepare<[string, string, string, number | null, number, number | null, number | null, number, number]>(`
        UPDATE moments SET state = ?, key = ?, title = ?, theme_id = ?, updated_at = ?, closed_at = ?, quiet_since = ?, peak_z = ?
        WHERE id = ?`),
      retitle: db.prepare<[string, string, string, number | null, number]>('UPDATE moments SET key = ?, key_kind = ?, title = ?, theme_id = ? WHERE id = ?'),
      addTotals: db.prepare<[number, number, number, number]>('UPDATE moments SET volume = volume + ?, negative = negative + ?, sent_sum = sent_sum + ? WHERE id = ?'),
      addKey: db.prepare<[number, string, string, string, number, number, number, number]>(`
        INSERT OR IGNORE INTO moment_keys (moment_id, key, key_kind, label, mean, sd, neg_mean, neg_sd) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
      link: db.prepare<[number, number, number]>('INSERT OR IGNORE INTO moment_mentions (moment_id, mention_id, published_at) VALUES (?, ?, ?)'),
      open: db.prepare<[], MomentRow>(`SELECT * FROM moments WHERE state = 'open' ORDER BY id`),
      keysOf: db.prepare<[number], MomentKeyRow>('SELECT * FROM moment_keys WHERE moment_id = ?'),
      linkedIds: db.prepare<[number, number], { mention_id: number }>(
        'SELECT mention_id FROM moment_mentions WHERE moment_id = ? ORDER BY published_at DESC LIMIT ?'),
      get: db.prepare<[number], MomentRow>('SELECT * FROM moments WHERE id = ?'),
      ofMention: db.prepare<[number], { moment_id: number }>('SELECT moment_id FROM moment_mentions WHERE mention_id = ? ORDER BY moment_id'),
      top: db.prepare<[number, number], { id: number }>(`
        SELECT m.id FROM moment_mentions mm JOIN mentions m ON m.id = mm.mention_id
        WHERE mm.moment_id = ?
        ORDER BY (m.likes + 2 * m.shares + 3 * m.comments + ABS(m.score)) DESC, (m.sentiment_label = 'negative') DESC, m.published_at DESC
        LIMIT ?`),
      themes: db.prepare<[number], { theme_id: number; n: number }>(`
        SELECT mt.theme_id, COUNT(*) AS n FROM moment_mentions mm JOIN mention_themes mt ON mt.mention_id = mm.mention_id
        WHERE mm.moment_id = ? GROUP BY mt.theme_id ORDER BY n DESC LIMIT 20`),
      texts: db.prepare<[number, number], { title: string | null; text: string }>(`
        SELECT m.title, m.text FROM moment_mentions mm JOIN mentions m ON m.id = mm.mention_id
        WHERE mm.moment_id = ? ORDER BY mm.published_at DESC LIMIT ?`),
      scan: db.prepare<[number, number, number, number], TrackedRow>(`
        SELECT ${TRACKED_COLUMNS} FROM mentions m JOIN sources s ON s.id = m.source_id
        WHERE (m.published_at, m.id) > (?, ?) AND m.published_at >= ?
        ORDER BY m.published_at, m.id LIMIT ?`),
      tracked: db.prepare<[number], TrackedRow>(`SELECT ${TRACKED_COLUMNS} FROM mentions m JOIN sources s ON s.id = m.source_id WHERE m.id = ?`),
      // Only windows that exist: a correction never creates a window (a pruned one stays gone).
      adjustCount: db.prepare<[number, number, number, number, string]>(
        'UPDATE moment_counts SET neg = neg + ?, pos = pos + ?, sent_sum = sent_sum + ? WHERE bucket = ? AND key = ?'),
      settings: db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?'),
      recentRows: db.prepare<[string], { id: number; published_at: number; sentiment_score: number | null; sentiment_label: SentimentLabel | null; author_key: string | null }>(
        'SELECT id, published_at, sentiment_score, sentiment_label, author_key FROM mentions WHERE id IN (SELECT value FROM json_each(?))'),
      streamBounds: db.prepare<[number, number], { first: number | null; last: number | null }>(
        // Each walks the inbox index from one end past the few future-dated mentions (shared/clock.ts).
        `SELECT (SELECT published_at FROM mentions WHERE published_at <= fetched_at + ? ORDER BY published_at LIMIT 1) AS first,
                (SELECT published_at FROM mentions WHERE published_at <= fetched_at + ? ORDER BY published_at DESC LIMIT 1) AS last`),
      earliestIn: db.prepare<[number, number, number], { at: number }>(
        'SELECT published_at AS at FROM mentions WHERE published_at >= ? AND published_at < ? AND published_at <= fetched_at + ? ORDER BY published_at LIMIT 1'),
      putSettings: db.prepare<[string, string]>(
        'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
    };
  }

  // --- counts ---

  upsertCounts(rows: Iterable<CountRow>): void {
    const flat: (string | number)[] = [];
    for (const r of rows) flat.push(r.bucket, r.key, r.n, r.neg, r.pos, r.sent_sum, r.brand);
    this.upsertCountsFlat(flat);
  }
  /**
   * Adds count rows given flat, seven values a row (bucket, key, n, neg, pos, sent_sum, brand),
   * COUNT_ROWS_PER_STATEMENT rows a statement: a batch of mentions writes some twenty term rows
   * each, and one statement per row cost more in calls than in the table's own work.
   */
  upsertCountsFlat(values: readonly (string | number)[]): void {
    const rows = values.length / 7;
    // In the table's order, (bucket, key): each row lands next to the last one, at the end of
    // its window's pages, instead of all over them (a fifth less CPU for a batch's rows).
    const order = Array.from({ length: rows }, (_, i) => i * 7);
    order.sort((a, b) => {
      const ka = values[a + 1] as string;
      const kb = values[b + 1] as string;
      return (values[a] as number) - (values[b] as number) || (ka < kb ? -1 : ka > kb ? 1 : 0);
    });
    let i = 0;
    while (i < rows) {
      const k = Math.min(COUNT_ROWS_PER_STATEMENT, rows - i);
      const params: (string | number)[] = new Array<string | number>(k * 7);
      for (let r = 0; r < k; r++) for (let c = 0; c < 7; c++) params[r * 7 + c] = values[order[i + r]! + c]!;
      this.upsertStatement(k).run(params);
      i += k;
    }
  }
  private upsertStatement(rows: number): Statement<unknown[]> {
    let st = this.upserts.get(rows);
    if (!st) this.upserts.set(rows, (st = this.db.prepare<unknown[]>(upsertCountsSql(rows))));
    return st;
  }
  /** Moves a counted mention from one label to another in a window that holds it. */
  adjustCount(key: string, bucket: number, d: { neg: number; pos: number; sent: number }): void {
    this.s.adjustCount.run(d.neg, d.pos, d.sent, bucket, key);
  }
  counts(key: string, from: number, to: number): CountRow[] {
    if (to < from) return [];
    return this.s.range.all(from, to, key);
  }
  countsFrom(bucket: number): CountRow[] {
    return this.s.from.all(bucket);
  }
  /** What the detector keeps of recent mentions, read back for those it no longer holds. */
  recentRows(ids: readonly number[]): { id: number; published_at: number; sentiment_score: number | null; sentiment_label: SentimentLabel | null; author_key: string | null }[] {
    return this.s.recentRows.all(JSON.stringify(ids));
  }
  /** Published time of the first and last stored mention not dated more than `futureMs` past its arrival. */
  streamBounds(futureMs: number): { first: number | null; last: number | null } {
    return this.s.streamBounds.get(futureMs, futureMs) ?? { first: null, last: null };
  }
  /**
   * Where the stream that ends at `last` starts: its earliest mention not preceded by another
   * within `gapMs` (future-dated ones, more than `futureMs` past their arrival, left out).
   * Walks back a gap at a time: a few index lookups per day of stream.
   */
  streamStart(last: number, gapMs: number, futureMs: number): number {
    let start = last;
    for (;;) {
      const earlier = this.s.earliestIn.get(start - gapMs, start, futureMs);
      if (!earlier) return start;
      start = earlier.at;
    }
  }
  bucketBounds(): { lo: number | null; hi: number | null } {
    return this.s.bounds.get() ?? { lo: null, hi: null };
  }
  /**
   * Drops old windows of terms seen once or twice (they only ever feed a baseline of zero), at
   * most `limit` of them: returns how many went, so a caller with a backlog (a jump in stream
   * time) spreads it over several calls instead of one long statement.
   */
  pruneTerms(beforeBucket: number, limit: number): number {
    return this.s.pruneTerms.run(beforeBucket, limit).changes;
  }

  // --- moments ---

  insertMoment(m: NewMoment): number {
    return this.s.insertMoment.get(m.kind, m.key, m.keyKind, m.title, m.themeId, m.openedAt, m.openedAt, m.peakZ, m.createdAt)!.id;
  }
  updateMoment(id: number, f: { state: MomentState; key: string; title: string; themeId: number | null; updatedAt: number; closedAt: number | null; quietSince: number | null; peakZ: number }): void {
    this.s.updateMoment.run(f.state, f.key, f.title, f.themeId, f.updatedAt, f.closedAt, f.quietSince, f.peakZ, id);
  }
  retitle(id: number, key: string, keyKind: MomentKeyKind, title: string, themeId: number | null): void {
    this.s.retitle.run(key, keyKind, title, themeId, id);
  }
  addKey(k: MomentKeyRow): void {
    this.s.addKey.run(k.moment_id, k.key, k.key_kind, k.label, k.mean, k.sd, k.neg_mean, k.neg_sd);
  }
  /** Links mentions; returns the ones that were not linked yet. */
  link(momentId: number, items: readonly { id: number; publishedAt: number; score: number | null; negative: boolean }[]): number[] {
    const fresh: number[] = [];
    let neg = 0;
    let sent = 0;
    for (const it of items) {
      if (this.s.link.run(momentId, it.id, it.publishedAt).changes === 0) continue;
      fresh.push(it.id);
      if (it.negative) neg++;
      sent += it.score ?? 0;
    }
    if (fresh.length > 0) this.s.addTotals.run(fresh.length, neg, sent, momentId);
    return fresh;
  }
  /** A moment's totals after one of its mentions changed label (its volume stays). */
  adjustTotals(momentId: number, d: { neg: number; sent: number }): void {
    this.s.addTotals.run(0, d.neg, d.sent, momentId);
  }
  openMoments(): MomentRow[] {
    return this.s.open.all();
  }
  keysOf(id: number): MomentKeyRow[] {
    return this.s.keysOf.all(id);
  }
  linkedIds(id: number, limit: number): number[] {
    return this.s.linkedIds.all(id, limit).map((r) => r.mention_id);
  }
  /** The moments a mention belongs to (a response to a mention inherits their risk). */
  momentIdsOfMention(mentionId: number): number[] {
    return this.s.ofMention.all(mentionId).map((r) => r.moment_id);
  }

  get(id: number): MomentRow | null {
    return this.s.get.get(id) ?? null;
  }
  list(f: { kind?: MomentKind; state?: MomentState; themeId?: number; audienceIds?: number[]; limit: number }): { rows: MomentRow[]; total: number } {
    const w: string[] = [];
    const p: Record<string, string | number> = {};
    if (f.kind) {
      w.push('kind = @kind');
      p.kind = f.kind;
    }
    if (f.state) {
      w.push('state = @state');
      p.state = f.state;
    }
    if (f.themeId !== undefined) {
      w.push(`(theme_id = @themeId OR EXISTS (SELECT 1 FROM moment_keys k WHERE k.moment_id = moments.id AND k.key = @themeKey))`);
      p.themeId = f.themeId;
      p.themeKey = `th:${f.themeId}`;
    }
    if (f.audienceIds?.length) {
      w.push(`EXISTS (SELECT 1 FROM moment_mentions mm JOIN mention_audiences ma ON ma.mention_id = mm.mention_id
        WHERE mm.moment_id = moments.id AND ma.audience_id IN (SELECT value FROM json_each(@audienceIds)))`);
      p.audienceIds = JSON.stringify(f.audienceIds);
    }
    const where = w.length ? `WHERE ${w.join(' AND ')}` : '';
    const total = (this.db.prepare(`SELECT COUNT(*) AS n FROM moments ${where}`).get(p) as { n: number }).n;
    // Open moments first, then the most recently active.
    const rows = this.db
      .prepare(`SELECT * FROM moments ${where} ORDER BY (state = 'open') DESC, updated_at DESC, id DESC LIMIT @limit`)
      .all({ ...p, limit: f.limit }) as MomentRow[];
    return { rows, total };
  }
  topMentionIds(id: number, limit: number): number[] {
    return this.s.top.all(id, limit).map((r) => r.id);
  }
  themeCounts(id: number): { theme_id: number; n: number }[] {
    return this.s.themes.all(id);
  }
  linkedTexts(id: number, limit: number): { title: string | null; text: string }[] {
    return this.s.texts.all(id, limit);
  }
  /** Moments of a kind opened in [from, to] (a rebuild's candidates for a record's anchor). */
  openedBetween(kind: MomentKind, from: number, to: number): { id: number; opened_at: number }[] {
    return this.db.prepare<[string, number, number], { id: number; opened_at: number }>('SELECT id, opened_at FROM moments WHERE kind = ? AND opened_at BETWEEN ? AND ?').all(kind, from, to);
  }
  /** Published time of the moment's newest linked mention; null when it has none. */
  lastLinkedAt(id: number): number | null {
    return this.db.prepare<[number], { at: number | null }>('SELECT MAX(published_at) AS at FROM moment_mentions WHERE moment_id = ?').get(id)?.at ?? null;
  }
  /** Stream time: the newest published time stored (never the wall clock: a replay keeps its own). */
  streamNow(): number {
    return this.db.prepare<[], { at: number | null }>('SELECT MAX(published_at) AS at FROM mentions').get()?.at ?? 0;
  }

  /**
   * Forgets up to `limit` rows of the moments and their counts (before a rebuild); true once
   * nothing is left. A store of a million mentions holds millions of count rows: one DELETE of
   * them all would hold the thread for seconds, so the rebuild clears in slices between which
   * it answers requests. Links and keys go before their moments, so no cascade is left to do.
   */
  clearSome(limit: number): boolean {
    let left = limit;
    for (const st of [this.s.clearMentions, this.s.clearKeys, this.s.clearMoments, this.s.clearCounts]) {
      left -= st.run(left).changes;
      if (left <= 0) return false;
    }
    return true;
  }

  /** One stored mention as the detector reads it (null when gone). */
  tracked(id: number): TrackedRow | null {
    return this.s.tracked.get(id) ?? null;
  }

  /** Stored mentions after (publishedAt, id) in stream order, from `since` on. */
  scan(afterAt: number, afterId: number, since: number, limit: number): TrackedRow[] {
    return this.s.scan.all(afterAt, afterId, since, limit);
  }

  // --- settings ---

  settings(): MomentSettings {
    const row = this.s.settings.get(SETTINGS_KEY);
    if (!row) return { ...DEFAULT_MOMENT_SETTINGS };
    try {
      // Unknown or damaged fields fall back to their defaults one by one.
      const raw = JSON.parse(row.value) as Record<string, unknown>;
      const out: Record<string, unknown> = { ...DEFAULT_MOMENT_SETTINGS };
      for (const [k, schema] of Object.entries(MomentSettingsSchema.shape)) {
        const v = schema.safeParse(raw[k]);
        if (v.success) out[k] = v.data;
      }
      return MomentSettingsSchema.parse(out);
    } catch {
      return { ...DEFAULT_MOMENT_SETTINGS };
    }
  }
  putSettings(s: MomentSettings): void {
    this.s.putSettings.run(SETTINGS_KEY, JSON.stringify(s));
  }
}
