// SQL of owned content and metric points (Tier 2).
import type { Channel, Content, MetricId, ParsedContentInput } from '../../shared/metrics';
import type { Db } from './db';
import { effectiveScoreSql } from './mentions-repo';

interface ContentRow {
  id: number;
  key: string;
  channel: Channel;
  title: string;
  url: string | null;
  published_at: number | null;
  region: string | null;
  variants: string;
  control_variant: string | null;
  point_count: number;
  last_point_at: number | null;
}

export interface StoredPoint {
  contentId: number;
  metric: MetricId;
  region: string;
  variant: string;
  at: number;
  value: number;
  tz: string;
}

export type PointOutcome = 'accepted' | 'duplicate' | 'updated';

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

function parseVariants(json: string): string[] {
  try {
    const v = JSON.parse(json) as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

const CONTENT_SELECT = `
  SELECT c.id, c.key, c.channel, c.title, c.url, c.published_at, c.region, c.variants, c.control_variant,
         (SELECT COUNT(*) FROM metric_points p WHERE p.content_id = c.id) AS point_count,
         (SELECT MAX(at) FROM metric_points p WHERE p.content_id = c.id) AS last_point_at
  FROM owned_content c`;

export class MetricsRepo {
  private readonly byKey;
  private readonly insertContent;
  private readonly updateContent;
  private readonly getPoint;
  private readonly insertPoint;
  private readonly updatePoint;
  private readonly maxAt;
  private readonly seriesStmt;
  private readonly tailStmt;
  private readonly channelStmt;
  private sentimentColumn: boolean | null = null;

  constructor(private readonly db: Db) {
    this.byKey = db.prepare<[string], { id: number }>('SELECT id FROM owned_content WHERE key = ?');
    this.insertContent = db.prepare(
      `INSERT INTO owned_content (key, channel, title, url, published_at, region, variants, control_variant, created_at, updated_at)
       VALUES (@key, @channel, @title, @url, @published_at, @region, @variants, @control_variant, @now, @now)`,
    );
    this.updateContent = db.prepare(
      `UPDATE owned_content SET channel = @channel, title = @title, url = @url, published_at = @published_at,
         region = @region, variants = @variants, control_variant = @control_variant, updated_at = @now WHERE id = @id`,
    );
    this.getPoint = db.prepare<[number, string, string, string, number], { value: number }>(
      'SELECT value FROM metric_points WHERE content_id = ? AND metric = ? AND region = ? AND variant = ? AND at = ?',
    );
    this.insertPoint = db.prepare<[number, string, string, string, number, number, string, number]>(
      'INSERT INTO metric_points (content_id, metric, region, variant, at, value, tz, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.updatePoint = db.prepare<[number, string, number, number, string, string, string, number]>(
      'UPDATE metric_points SET value = ?, tz = ?, received_at = ? WHERE content_id = ? AND metric = ? AND region = ? AND variant = ? AND at = ?',
    );
    this.maxAt = db.prepare<[number, string, string, string], { m: number | null }>(
      'SELECT MAX(at) AS m FROM metric_points WHERE content_id = ? AND metric = ? AND region = ? AND variant = ?',
    );
    this.seriesStmt = db.prepare<[number, string, string, string], { at: number; value: number }>(
      'SELECT at, value FROM metric_points WHERE content_id = ? AND metric = ? AND region = ? AND variant = ? ORDER BY at',
    );
    this.tailStmt = db.prepare<[number, string, string, string, number], { at: number; value: number }>(
      'SELECT at, value FROM metric_points WHERE content_id = ? AND metric = ? AND region = ? AND variant = ? ORDER BY at DESC LIMIT ?',
    );
    this.channelStmt = db.prepare<[number], { channel: Channel }>('SELECT channel FROM owned_content WHERE id = ?');
  }

  /** Registers or updates content by its key; returns its id. */
  upsertContent(c: ParsedContentInput, now: number): { id: number; created: boolean } {
    const params = {
      key: c.key,
      channel: c.channel,
      title: c.title,
      url: c.url ?? null,
      published_at: c.published_at ? Date.parse(c.published_at) : null,
      region: c.region ?? null,
      variants: JSON.stringify(c.variants ?? []),
      control_variant: c.control_variant ?? null,
      now,
    };
    const existing = this.byKey.get(c.key);
    if (existing) {
      this.updateContent.run({ ...params, id: existing.id });
      return { id: existing.id, created: false };
    }
    return { id: Number(this.insertContent.run(params).lastInsertRowid), created: true };
  }

  idByKey(key: string): number | null {
    return this.byKey.get(key)?.id ?? null;
  }

  get(id: number): Content | null {
    const row = this.db.prepare<[number], ContentRow>(`${CONTENT_SELECT} WHERE c.id = ?`).get(id);
    return row ? toContent(row) : null;
  }

  list(channel?: Channel): Content[] {
    const rows = channel
      ? this.db.prepare<[string], ContentRow>(`${CONTENT_SELECT} WHERE c.channel = ? ORDER BY c.published_at DESC, c.id DESC`).all(channel)
      : this.db.prepare<[], ContentRow>(`${CONTENT_SELECT} ORDER BY c.published_at DESC, c.id DESC`).all();
    return rows.map(toContent);
  }

  count(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM owned_content').get() as { n: number }).n;
  }

  /**
   * Stores one point (call inside a transaction). The same point twice is a duplicate; the
   * same key with another value is a correction and replaces it. `late` says the point is
   * older than the newest already stored for its series (stored all the same).
   */
  putPoint(p: StoredPoint, receivedAt: number): { outcome: PointOutcome; late: boolean } {
    const prev = this.getPoint.get(p.contentId, p.metric, p.region, p.variant, p.at);
    if (prev) {
      if (prev.value === p.value) return { outcome: 'duplicate', late: false };
      this.updatePoint.run(p.value, p.tz, receivedAt, p.contentId, p.metric, p.region, p.variant, p.at);
      return { outcome: 'updated', late: false };
    }
    const max = this.maxAt.get(p.contentId, p.metric, p.region, p.variant)?.m ?? null;
    this.insertPoint.run(p.contentId, p.metric, p.region, p.variant, p.at, p.value, p.tz, receivedAt);
    return { outcome: 'accepted', late: max !== null && p.at < max };
  }

  /** One series in time order; with `last`, only its newest points. */
  series(contentId: number, metric: MetricId, region = '', variant = '', last?: number): { at: number; value: number }[] {
    if (last === undefined) return this.seriesStmt.all(contentId, metric, region, variant);
    return this.tailStmt.all(contentId, metric, region, variant, last).reverse();
  }

  channelOf(id: number): Channel | null {
    return this.channelStmt.get(id)?.channel ?? null;
  }

  /** Every point of a metric for these contents (any region/variant), in time order. */
  pointsFor(contentIds: readonly number[], metric: MetricId, opts: { withRegion?: boolean; withVariant?: boolean } = {}): StoredPoint[] {
    if (contentIds.length === 0) return [];
    const marks = contentIds.map(() => '?').join(',');
    const cond = [
      opts.withRegion === undefined ? '' : opts.withRegion ? "AND region <> ''" : "AND region = ''",
      opts.withVariant === undefined ? '' : opts.withVariant ? "AND variant <> ''" : "AND variant = ''",
    ].join(' ');
    return this.db
      .prepare<unknown[], { content_id: number; metric: MetricId; region: string; variant: string; at: number; value: number; tz: string }>(
        `SELECT content_id, metric, region, variant, at, value, tz FROM metric_points
         WHERE metric = ? AND content_id IN (${marks}) ${cond} ORDER BY at`,
      )
      .all(metric, ...contentIds)
      .map((r) => ({ contentId: r.content_id, metric: r.metric, region: r.region, variant: r.variant, at: r.at, value: r.value, tz: r.tz }));
  }

  /**
   * A metric over several contents as one series: the mean of the values at each instant,
   * in time order (regional points included only when `withRegion`; A/B variants never).
   */
  meanSeries(contentIds: readonly number[], metric: MetricId, withRegion: boolean): { at: number; value: number }[] {
    if (contentIds.length === 0) return [];
    const marks = contentIds.map(() => '?').join(',');
    return this.db
      .prepare<unknown[], { at: number; value: number }>(
        `SELECT at, AVG(value) AS value FROM metric_points
         WHERE metric = ? AND content_id IN (${marks}) AND variant = '' ${withRegion ? '' : "AND region = ''"}
         GROUP BY at ORDER BY at`,
      )
      .all(metric, ...contentIds);
  }

  /** Latest value per region of a metric for one content (or all of a channel's). */
  latestByRegion(contentIds: readonly number[], metric: MetricId): { code: string; value: number }[] {
    if (contentIds.length === 0) return [];
    const marks = contentIds.map(() => '?').join(',');
    // Per region: the mean over contents of each content's latest value.
    return this.db
      .prepare<unknown[], { code: string; value: number }>(
        `SELECT region AS code, AVG(value) AS value FROM (
           SELECT p.region, p.value FROM metric_points p
           JOIN (SELECT content_id, region, MAX(at) AS at FROM metric_points
                 WHERE metric = ? AND region <> '' AND variant = '' AND content_id IN (${marks}) GROUP BY content_id, region) l
             ON l.content_id = p.content_id AND l.region = p.region AND l.at = p.at
           WHERE p.metric = ? AND p.variant = '')
         GROUP BY region ORDER BY region`,
      )
      .all(metric, ...contentIds, metric);
  }

  /** Latest value of a metric per variant of one content. */
  latestByVariant(contentId: number, metric: MetricId): Map<string, number> {
    const rows = this.db
      .prepare<[number, string, number, string], { variant: string; value: number }>(
        `SELECT p.variant, p.value FROM metric_points p
         JOIN (SELECT variant, MAX(at) AS at FROM metric_points WHERE content_id = ? AND metric = ? AND variant <> '' AND region = '' GROUP BY variant) l
           ON l.variant = p.variant AND l.at = p.at
         WHERE p.content_id = ? AND p.metric = ? AND p.region = ''`,
      )
      .all(contentId, metric, contentId, metric);
    return new Map(rows.map((r) => [r.variant, r.value]));
  }

  latest(contentId: number, metric: MetricId): { at: number; value: number } | null {
    return (
      this.db
        .prepare<[number, string], { at: number; value: number }>(
          `SELECT at, value FROM metric_points WHERE content_id = ? AND metric = ? AND region = '' AND variant = '' ORDER BY at DESC LIMIT 1`,
        )
        .get(contentId, metric) ?? null
    );
  }

  /**
   * Mean sentiment of the mentions linked to the content (same canonical URL, or the link
   * quoted in the text). Null until mentions carry a sentiment_score column (issue #4).
   */
  linkedSentiment(url: string | null): { value: number; count: number } | null {
    if (!url) return null;
    if (this.sentimentColumn === null) {
      const cols = this.db.prepare(`SELECT name FROM pragma_table_info('mentions')`).all() as { name: string }[];
      this.sentimentColumn = cols.some((c) => c.name === 'sentiment_score');
    }
    if (!this.sentimentColumn) return null;
    const row = this.db
      .prepare<[string, string, string], { v: number | null; n: number }>(
        // A corrected mention counts with its person's label (see effectiveScoreSql).
        `SELECT AVG(${effectiveScoreSql('m')}) AS v, COUNT(*) AS n FROM mentions m
         WHERE m.sentiment_score IS NOT NULL AND (m.url = ? OR m.canonical_url = ? OR instr(m.text, ?) > 0)`,
      )
      .get(url, url, url);
    return row && row.v !== null && row.n > 0 ? { value: row.v, count: row.n } : null;
  }

  /** Series (content, metric, region) with a point since `since`, for the periodic sweep. */
  activeSeries(since: number, limit: number): { contentId: number; metric: MetricId; region: string }[] {
    return this.db
      .prepare<[number, number], { content_id: number; metric: MetricId; region: string }>(
        `SELECT DISTINCT content_id, metric, region FROM metric_points WHERE at >= ? AND variant = '' LIMIT ?`,
      )
      .all(since, limit)
      .map((r) => ({ contentId: r.content_id, metric: r.metric, region: r.region }));
  }

  pointCount(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM metric_points').get() as { n: number }).n;
  }
}

function toContent(r: ContentRow): Content {
  return {
    id: r.id,
    key: r.key,
    channel: r.channel,
    title: r.title,
    url: r.url,
    publishedAt: iso(r.published_at),
    region: r.region,
    variants: parseVariants(r.variants),
    controlVariant: r.control_variant,
    pointCount: r.point_count,
    lastPointAt: iso(r.last_point_at),
  };
}
