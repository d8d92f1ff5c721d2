// Owned content and its metric points coming in: the webhook's body, the contract's record
// and content operations, a CSV import (in batches, with each rejection's file line) and the
// demo's history. Points are validated (a rate is 0..1, a time needs its zone), stored in one
// transaction (a repeat is a duplicate, a changed value an update), announced, and the rules
// evaluated on the series they touched.
import { ApiError, describeZodError, zodDetails } from '../../shared/contract';
import {
  ContentInputSchema,
  METRIC_INFO,
  METRIC_LIMITS,
  MetricPointInputSchema,
  type Channel,
  type Content,
  type MetricImportReport,
  type MetricIngestResult,
  type MetricReject,
  type ParsedCsvMapping,
} from '../../shared/metrics';
import type { EventBus } from '../api/events';
import type { Db } from '../store/db';
import type { MetricsRepo, StoredPoint } from '../store/metrics-repo';
import { parseWorded, zodIssueCode } from '../ingest/zod-it';
import { renderText, type ErrorLang } from '../../shared/errors';
import { CsvReadError, csvToPoints, previewCsv } from './csv';
import { demoMetricHistory } from './demo';
import { normalizeTime } from './formulas';
import type { AlertRules, Touched } from './rules';

export interface MetricPointsDeps {
  db: Db;
  events: EventBus;
  now: () => number;
  metrics: MetricsRepo;
  rules: AlertRules;
  /** The workspace's language: rejection reasons of a CSV import are stored in its report. */
  lang: () => ErrorLang;
}

export class MetricPoints {
  private readonly metrics: MetricsRepo;

  constructor(private readonly d: MetricPointsDeps) {
    this.metrics = d.metrics;
  }

  /**
   * Validates content registrations and points, stores the good ones in one transaction,
   * then evaluates the rules on the series they touched. `lines` maps an item's index to
   * the file line it came from (CSV import).
   */
  ingest(contents: readonly unknown[], points: readonly unknown[], lines?: readonly number[], createMissing?: Channel, quiet = false): MetricIngestResult {
    const now = this.d.now();
    const rejected: MetricReject[] = [];
    // Reasons are worded in the workspace's language: a CSV import's report is stored.
    const lang = this.d.lang();
    const reject = (index: number, reason: string): void => {
      rejected.push({ index, ...(lines?.[index] !== undefined ? { line: lines[index] } : {}), reason });
    };
    const contentInputs = contents.map((c) => parseWorded(ContentInputSchema, c, lang));
    const parsed: (StoredPoint & { key: string; index: number })[] = [];
    points.forEach((raw, index) => {
      const r = parseWorded(MetricPointInputSchema, raw, lang);
      if (!r.success) return reject(index, describeZodError(r.error, lang).join('; '));
      const p = r.data;
      const unit = METRIC_INFO[p.metric].unit;
      if (unit === 'rate' && (p.value < 0 || p.value > 1)) return reject(index, renderText('metrics.rateRange', { metric: p.metric, value: p.value }, lang));
      if ((unit === 'count' || unit === 'seconds') && p.value < 0) return reject(index, renderText('metrics.negative', { metric: p.metric }, lang));
      if (p.metric === 'language_fit_score' && (p.value < 0 || p.value > 1)) return reject(index, renderText('metrics.fitRange', {}, lang));
      const t = normalizeTime(p.time, p.tz, lang);
      if ('error' in t) return reject(index, t.error);
      parsed.push({ key: p.content, index, contentId: 0, metric: p.metric, region: p.region ?? '', variant: p.variant ?? '', at: t.at, value: p.value, tz: t.tz });
    });
    let accepted = 0;
    let duplicates = 0;
    let updated = 0;
    let late = 0;
    let contentCount = 0;
    const touched = new Map<string, Touched>();
    const contentIds = new Set<number>();
    const metricIds = new Set<string>();
    this.d.db.transaction(() => {
      contentInputs.forEach((r, i) => {
        if (!r.success) {
          rejected.push({ index: i, reason: renderText('metrics.contentRow', { index: i, reason: describeZodError(r.error, lang).join('; ') }, lang) });
          return;
        }
        this.metrics.upsertContent(r.data, now);
        contentCount++;
      });
      const ids = new Map<string, number | null>();
      for (const p of parsed) {
        let id = ids.get(p.key);
        if (id === undefined) {
          id = this.metrics.idByKey(p.key);
          if (id === null && createMissing) id = this.metrics.upsertContent({ key: p.key, channel: createMissing, title: p.key }, now).id;
          ids.set(p.key, id);
        }
        if (id === null) {
          reject(p.index, renderText('metrics.unknownContent', { key: p.key }, lang));
          continue;
        }
        const res = this.metrics.putPoint({ ...p, contentId: id }, now);
        if (res.outcome === 'duplicate') {
          duplicates++;
          continue;
        }
        if (res.outcome === 'updated') updated++;
        else accepted++;
        if (res.late) late++;
        contentIds.add(id);
        metricIds.add(p.metric);
        if (p.variant === '') touched.set(`${id}|${p.metric}|${p.region}`, { contentId: id, metric: p.metric, region: p.region });
      }
    })();
    rejected.sort((a, b) => a.index - b.index);
    if (contentIds.size > 0 || contentCount > 0) {
      this.d.events.emit('metrics.points', { contentIds: [...contentIds], metrics: [...metricIds], count: accepted + updated });
      this.d.rules.evaluate([...touched.values()], quiet);
    }
    return { accepted, duplicates, updated, late, contents: contentCount, rejected };
  }

  /** The webhook's body: an array of points or { content, points }. */
  ingestWebhook(body: unknown): MetricIngestResult {
    if (body === null || typeof body !== 'object') throw new ApiError('metrics.badBody');
    let contents: unknown[] = [];
    let points: unknown[];
    if (Array.isArray(body)) points = body;
    else {
      const o = body as Record<string, unknown>;
      const extra = Object.keys(o).filter((k) => k !== 'content' && k !== 'points');
      if (extra.length > 0) throw new ApiError('metrics.unknownFields', { fields: extra.slice(0, 5).join(', ') });
      if (o.content !== undefined && !Array.isArray(o.content)) throw new ApiError('metrics.contentNotArray');
      if (o.points !== undefined && !Array.isArray(o.points)) throw new ApiError('metrics.pointsNotArray');
      contents = (o.content as unknown[] | undefined) ?? [];
      points = (o.points as unknown[] | undefined) ?? [];
    }
    if (points.length + contents.length === 0) throw new ApiError('metrics.emptyBody');
    if (points.length > METRIC_LIMITS.batchMax || contents.length > METRIC_LIMITS.batchMax) {
      throw new ApiError('metrics.tooMany', { max: METRIC_LIMITS.batchMax });
    }
    return this.ingest(contents, points);
  }

  /** Fills an empty workspace with the demo's owned content and metric history. */
  seedDemo(): boolean {
    if (this.metrics.count() > 0) return false;
    const { content, points } = demoMetricHistory(this.d.now());
    this.ingest(content, []);
    // History, not news: its alerts are listed but not sent out.
    for (let i = 0; i < points.length; i += METRIC_LIMITS.batchMax) this.ingest([], points.slice(i, i + METRIC_LIMITS.batchMax), undefined, undefined, true);
    return true;
  }

  saveContent(input: unknown): Content {
    const lang = this.d.lang();
    const r = parseWorded(ContentInputSchema, input, lang);
    if (!r.success) throw new ApiError('metrics.contentInvalid', {}, zodDetails(r.error, zodIssueCode));
    const { id } = this.metrics.upsertContent(r.data, this.d.now());
    this.d.events.emit('metrics.points', { contentIds: [id], metrics: [], count: 0 });
    return this.metrics.get(id) as Content;
  }

  /** An unreadable file throws its CsvReadError, an ApiError with its code. */
  csvPreview(content: string) {
    return previewCsv(content);
  }

  csvImport(fileName: string, content: string, mapping: ParsedCsvMapping): MetricImportReport {
    let rows: ReturnType<typeof csvToPoints>;
    try {
      rows = csvToPoints(content, mapping, this.d.lang());
    } catch (err) {
      if (err instanceof CsvReadError) {
        return { fileName, rows: 0, accepted: 0, duplicates: 0, updated: 0, late: 0, contents: 0, rejected: [], error: err.toBody().message, errorRef: { key: err.key, params: { ...err.params } } };
      }
      throw err;
    }
    const total: MetricIngestResult = { accepted: 0, duplicates: 0, updated: 0, late: 0, contents: 0, rejected: [...rows.rejected] };
    for (let i = 0; i < rows.points.length; i += METRIC_LIMITS.batchMax) {
      const chunk = rows.points.slice(i, i + METRIC_LIMITS.batchMax);
      const r = this.ingest([], chunk.map((c) => c.point), chunk.map((c) => c.line), mapping.createMissing);
      total.accepted += r.accepted;
      total.duplicates += r.duplicates;
      total.updated += r.updated;
      total.late += r.late;
      total.rejected.push(...r.rejected.map((x) => ({ ...x, index: i + x.index })));
    }
    total.rejected.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    return { ...total, fileName, rows: rows.rows, error: null };
  }
}
