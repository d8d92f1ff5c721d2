// The background re-score of stored mentions after the scoring engine changed: resumable
// from its cursor, restarted by a new model id, corrected labels kept, a failed batch rolled
// back whole, progress numbers, and the moments recomputed when labels changed.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { RESCORE_STATE_KEY, SentimentRescoreJob, type LabelChange, type RescoreDeps } from '../../src/core/analysis/backfill';
import { RULES_MODEL_ID, SentimentAnalyzer, sentimentAnalyzer, type SentimentResult, type SentimentStatus } from '../../src/core/analysis/sentiment';
import { EventBus } from '../../src/core/api/events';
import { openApp } from '../../src/app/app';
import { IngestPipeline } from '../../src/core/ingest/pipeline';
import { silentLogger } from '../../src/core/platform';
import { openDatabase } from '../../src/core/store/db';
import { MentionsRepo } from '../../src/core/store/mentions-repo';
import { migrate, migrations } from '../../src/core/store/migrations';
import { sentiment as sentimentMigration } from '../../src/core/store/migrations/002_sentiment';
import { SettingsRepo } from '../../src/core/store/settings-repo';
import { SourcesRepo } from '../../src/core/store/sources-repo';
import type { SentimentRescore } from '../../src/shared/ops/sentiment';
import type { SentimentLabel } from '../../src/shared/sentiment';
import { resourcesWithModel } from '../support/resources';
import { onClose, tempDir, testPlatform } from './support/core';

/** A stand-in for a shipped model: a fixed id, a label chosen by the test, and a count of texts scored. */
class FakeModel extends SentimentAnalyzer {
  scored = 0;
  constructor(
    private readonly id: string,
    private readonly labelOf: (text: string) => SentimentLabel,
    private readonly state: Omit<SentimentStatus, 'modelId'> = { engine: 'model', error: null, trainedAt: null },
  ) {
    super(sentimentAnalyzer().lexicons);
  }

  override get status(): SentimentStatus {
    return { ...this.state, modelId: this.id };
  }

  override analyze(text: string): SentimentResult {
    this.scored++;
    const label = this.labelOf(text);
    const score = label === 'negative' ? -0.7 : label === 'positive' ? 0.7 : 0;
    return { score, label, terms: [{ term: 'modello', weight: score }], scorer: 'it', engine: this.state.engine, modelId: this.id };
  }
}

const TEXTS = ['Che schifo, non funziona niente!', 'Bellissimo, consigliatissimo 😍', 'Ordine numero 12 spedito.'];

/** A store built by the real migrations with `n` mentions scored by the rules at ingest. */
function store(n: number) {
  const db = openDatabase(join(tempDir(), 'vedetta.db'));
  onClose(() => db.close());
  const mentions = new MentionsRepo(db);
  const settings = new SettingsRepo(db);
  // An older store: scored by the rules alone.
  const rules = new SentimentAnalyzer(sentimentAnalyzer().lexicons);
  const pipeline = new IngestPipeline({ db, mentions, sources: new SourcesRepo(db), events: new EventBus(), now: () => Date.UTC(2026, 0, 1), secret: () => 's'.repeat(64), sentiment: rules });
  const items = Array.from({ length: n }, (_, i) => ({ source: 's', external_id: String(i), text: `${TEXTS[i % 3]} #${i}`, lang: 'it' }));
  expect(pipeline.ingest(items, 'import').accepted).toBe(n);
  return { db, mentions, settings };
}

type Row = { id: number; sentiment_label: SentimentLabel | null; sentiment_score: number | null; sentiment_model: string | null; sentiment_model_label: string | null };
const rows = (db: Database.Database): Row[] =>
  db.prepare<[], Row>('SELECT id, sentiment_label, sentiment_score, sentiment_model, sentiment_model_label FROM mentions ORDER BY id').all();

function job(s: ReturnType<typeof store>, analyzer: SentimentAnalyzer, over: Partial<RescoreDeps> = {}) {
  const progress: SentimentRescore[] = [];
  const j: SentimentRescoreJob = new SentimentRescoreJob({
    db: s.db, mentions: s.mentions, settings: s.settings, analyzer, logger: silentLogger, now: () => 0,
    batchSize: 10, progressEveryMs: 0,
    ...over,
    onProgress: (p) => {
      progress.push(p);
      over.onProgress?.(p);
    },
  });
  return { job: j, progress };
}

const allNegative = (): SentimentLabel => 'negative';

describe('sentiment re-score', () => {
  it('re-scores every row another engine scored, in batches, with progress numbers', async () => {
    const s = store(25);
    expect(new Set(rows(s.db).map((r) => r.sentiment_model))).toEqual(new Set([RULES_MODEL_ID]));
    const model = new FakeModel('m1', allNegative);
    const { job: j, progress } = job(s, model);
    expect(await j.start()).toEqual({ total: 25, done: 25, running: false });
    expect(progress).toEqual([
      { total: 25, done: 0, running: true },
      { total: 25, done: 10, running: true },
      { total: 25, done: 20, running: true },
      { total: 25, done: 25, running: true },
      { total: 25, done: 25, running: false },
    ]);
    expect(model.scored).toBe(25);
    expect(rows(s.db).every((r) => r.sentiment_model === 'm1' && r.sentiment_label === 'negative' && r.sentiment_model_label === 'negative')).toBe(true);
    expect(s.settings.internal(RESCORE_STATE_KEY)).toEqual({ model: 'm1', cursor: 25, done: 25, total: 25 });

    // The next start with the same model finds nothing to do and scores nothing.
    const again = job(s, model);
    expect(await again.job.start()).toEqual({ total: 25, done: 25, running: false });
    expect(model.scored).toBe(25);
    expect(again.progress).toEqual([]);
  });

  it('resumes after a stop from its persisted cursor', async () => {
    const s = store(25);
    const first = new FakeModel('m1', allNegative);
    const stopper = job(s, first, { onProgress: (p) => p.done === 10 && stopper.job.stop() });
    expect(await stopper.job.start()).toEqual({ total: 25, done: 10, running: false });
    expect(rows(s.db).filter((r) => r.sentiment_model === 'm1').map((r) => r.id)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
    expect(s.settings.internal(RESCORE_STATE_KEY)).toMatchObject({ model: 'm1', cursor: 10, done: 10 });

    // A new process: the job goes on from id 11, and only the rest is scored.
    const second = new FakeModel('m1', allNegative);
    const resumed = job(s, second);
    expect(await resumed.job.start()).toEqual({ total: 25, done: 25, running: false });
    expect(resumed.progress[0]).toEqual({ total: 25, done: 10, running: true });
    expect(second.scored).toBe(15);
    expect(rows(s.db).every((r) => r.sentiment_model === 'm1')).toBe(true);
  });

  it('starts over for a different model id', async () => {
    const s = store(12);
    await job(s, new FakeModel('m1', allNegative)).job.start();
    const m2 = new FakeModel('m2', () => 'positive');
    const { job: j, progress } = job(s, m2);
    expect(await j.start()).toEqual({ total: 12, done: 12, running: false });
    expect(progress[0]).toEqual({ total: 12, done: 0, running: true });
    expect(m2.scored).toBe(12);
    expect(rows(s.db).every((r) => r.sentiment_model === 'm2' && r.sentiment_label === 'positive')).toBe(true);
    expect(s.settings.internal(RESCORE_STATE_KEY)).toMatchObject({ model: 'm2', cursor: 12 });
  });

  it('keeps a person’s label and still updates the model’s own label and score', async () => {
    const s = store(6);
    s.db.prepare(`UPDATE mentions SET sentiment_label = 'positive', sentiment_corrected_at = 1 WHERE id = 2`).run();
    await job(s, new FakeModel('m1', allNegative)).job.start();
    const corrected = rows(s.db).find((r) => r.id === 2);
    expect(corrected).toMatchObject({ id: 2, sentiment_label: 'positive', sentiment_model: 'm1', sentiment_model_label: 'negative' });
    expect(s.mentions.get(2)).toMatchObject({ sentimentLabel: 'positive', sentimentScore: -0.7, sentimentModel: 'm1' });
    expect(rows(s.db).filter((r) => r.id !== 2).every((r) => r.sentiment_label === 'negative')).toBe(true);
  });

  it('rolls a failed batch back whole and resumes it at the next start', async () => {
    const s = store(25);
    const before = rows(s.db);
    const real = s.mentions.setSentiment.bind(s.mentions);
    let calls = 0;
    // The fifth row of the second batch cannot be written (say, the disk filled up).
    s.mentions.setSentiment = (id, f) => {
      if (++calls === 15) throw new Error('SQLITE_FULL: database or disk is full');
      real(id, f);
    };
    const failing = job(s, new FakeModel('m1', allNegative));
    expect(await failing.job.start()).toEqual({ total: 25, done: 10, running: false });
    const after = rows(s.db);
    expect(after.slice(0, 10).every((r) => r.sentiment_model === 'm1')).toBe(true);
    // Nothing of the failed batch (ids 11–20) nor after it changed; the cursor did not pass it.
    expect(after.slice(10)).toEqual(before.slice(10));
    expect(s.settings.internal(RESCORE_STATE_KEY)).toMatchObject({ model: 'm1', cursor: 10, done: 10 });

    s.mentions.setSentiment = real;
    const next = new FakeModel('m1', allNegative);
    expect(await job(s, next).job.start()).toEqual({ total: 25, done: 25, running: false });
    expect(next.scored).toBe(15);
    expect(rows(s.db).every((r) => r.sentiment_model === 'm1')).toBe(true);
  });

  it('hands on each committed batch’s label changes (for the moments), never the unchanged rows', async () => {
    const s = store(50);
    const before = new Map(rows(s.db).map((r) => [r.id, r]));
    const changed: LabelChange[] = [];
    await job(s, new FakeModel('m1', allNegative), { onRelabel: (c) => changed.push(...c) }).job.start();
    // Every row not already negative at −0.7 moved, with its old and new label and score.
    const moved = [...before.values()].filter((r) => r.sentiment_label !== 'negative' || r.sentiment_score !== -0.7);
    expect(changed.map((c) => c.id).sort((a, b) => a - b)).toEqual(moved.map((r) => r.id));
    for (const c of changed) {
      expect(c.before).toEqual({ label: before.get(c.id)?.sentiment_label, score: before.get(c.id)?.sentiment_score });
      expect(c.after).toEqual({ label: 'negative', score: -0.7 });
    }
    expect(new Set(changed.map((c) => c.id)).size).toBe(changed.length);

    // The same labels and scores from another model: rows are re-scored, nothing handed on.
    const none: LabelChange[] = [];
    const same = new FakeModel('m2', () => 'negative');
    await job(s, same, { onRelabel: (c) => none.push(...c) }).job.start();
    expect(same.scored).toBe(50);
    expect(none).toEqual([]);
  });

  it('in rules fallback fills in only rows never scored: a model’s scores are not downgraded', async () => {
    const s = store(9);
    await job(s, new FakeModel('m1', allNegative)).job.start();
    s.db.prepare(`UPDATE mentions SET sentiment_model = 'rules' WHERE id IN (4, 5)`).run();
    s.db.prepare('UPDATE mentions SET sentiment_score = NULL, sentiment_label = NULL, sentiment_terms = NULL, sentiment_model = NULL WHERE id = 7').run();
    const fallback = new FakeModel(RULES_MODEL_ID, () => 'neutral', { engine: 'rules', error: 'Il file del modello è danneggiato.', trainedAt: null });
    const { job: j } = job(s, fallback);
    expect(await j.start()).toEqual({ total: 1, done: 1, running: false });
    expect(fallback.scored).toBe(1);
    const byId = new Map(rows(s.db).map((r) => [r.id, r]));
    expect(byId.get(7)).toMatchObject({ sentiment_model: 'rules', sentiment_label: 'neutral' });
    expect(byId.get(4)?.sentiment_model).toBe('rules');
    expect(byId.get(1)).toMatchObject({ sentiment_model: 'm1', sentiment_label: 'negative' });
  });
});

const before = migrations.filter((m) => m.version < sentimentMigration.version);

/** A data folder of the Vedetta before sentiment: `texts` stored unscored, minutes apart. */
function oldDataDir(texts: readonly string[]): string {
  const dir = tempDir();
  const db = new Database(join(dir, 'vedetta.db'));
  migrate(db, before);
  const src = db.prepare(`INSERT INTO sources (kind, name, created_at) VALUES ('import', 'vecchio', 0)`).run();
  const ins = db.prepare(
    `INSERT INTO mentions (source_id, external_id, dedup_key, content_hash, text, lang, published_at, fetched_at) VALUES (?, ?, ?, 'h', ?, 'it', ?, ?)`,
  );
  const t0 = Date.UTC(2026, 0, 5, 9);
  // Fetched a minute after publication: a mention dated long after its arrival is a wrong
  // clock, which the moments never count.
  texts.forEach((t, i) => ins.run(src.lastInsertRowid, `old-${i}`, `k${i}`, t, t0 + i * 60_000, t0 + (i + 1) * 60_000));
  db.close();
  return dir;
}

/** Polls until `ok`; fails, rather than going on with a stale value, if that never comes. */
async function until<T>(read: () => T | Promise<T>, ok: (v: T) => boolean, timeoutMs = 25_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let v = await read();
  while (!ok(v)) {
    // A background job on a loaded machine: a timeout here is a hang, not slowness.
    if (Date.now() > deadline) throw new Error(`never reached: ${JSON.stringify(v).slice(0, 300)}`);
    await new Promise((r) => setTimeout(r, 10));
    v = await read();
  }
  return v;
}

describe('re-score in the app', () => {
  it('scores an older store in the background, reports it over sentiment.status and adjusts the moments’ counts', async () => {
    const texts = Array.from({ length: 120 }, (_, i) => (i % 2 ? `Che vergogna, capsule rotte e nessuno risponde ${i}` : `Capsule arrivate oggi ${i}`));
    const dataDir = oldDataDir(texts);
    const app = openApp({ platform: testPlatform(dataDir), mode: 'browser' });
    onClose(() => app.close());
    const events: string[] = [];
    app.events.subscribe((e, p) => {
      if (e === 'moments.changed' && (p as { rebuilt: boolean }).rebuilt) events.push('moments.rebuilt');
      if (e === 'sentiment.status' && !(p as { rescore: SentimentRescore }).rescore.running) events.push('rescore.finished');
    });
    type Status = { engine: string; modelId: string; error: string | null; rescore: SentimentRescore };
    const status = await until(() => app.dispatch('sentiment.status', {}) as Promise<Status>, (s) => !s.rescore.running && s.rescore.done === 120);
    // With no model shipped the rules are the engine (no error); with one, it is the model.
    expect(status.rescore).toEqual({ total: 120, done: 120, running: false });
    expect(status.engine === 'model' ? status.error : null).toBeNull();
    // The moments' counts follow the new labels, adjusted in place: exactly what a rebuild
    // from the stored mentions gives, and the moments keep their ids.
    const ro = new Database(join(dataDir, 'vedetta.db'), { readonly: true });
    onClose(() => ro.close());
    const counts = (): string => JSON.stringify(ro.prepare('SELECT key, bucket, n, neg, pos FROM moment_counts ORDER BY key, bucket').all());
    const adjusted = counts();
    expect(ro.prepare<[], { n: number | null }>('SELECT SUM(neg) AS n FROM moment_counts').get()?.n ?? 0).toBeGreaterThan(0);
    const rebuilt = events.length;
    await app.dispatch('moments.rebuild', {});
    await until(() => events, (e) => e.length > rebuilt && e.slice(rebuilt).includes('moments.rebuilt'));
    expect(counts()).toBe(adjusted);
    const { items } = (await app.dispatch('mentions.list', { limit: 200 })) as { items: { sentimentLabel: string | null; sentimentModel: string | null }[] };
    expect(items.every((m) => m.sentimentLabel !== null && m.sentimentModel === status.modelId)).toBe(true);
  });
});

describe('a missing or corrupt model file', () => {
  for (const model of ['missing', 'corrupt'] as const) {
    it(`(${model}) stops nothing: the app starts, says why in Italian, and ingests with the rules`, async () => {
      const resources = resourcesWithModel(model);
      onClose(resources.remove);
      const app = openApp({ platform: testPlatform(tempDir(), { resourcesDir: resources.dir }), mode: 'browser' });
      onClose(() => app.close());
      const status = (await app.dispatch('sentiment.status', {})) as { engine: string; modelId: string; error: string | null };
      expect(status).toMatchObject({ engine: 'rules', modelId: RULES_MODEL_ID });
      // Once a model ships, its absence is an error worth a sentence; before, the rules are simply the engine.
      if (status.error !== null) expect(status.error).toMatch(/modello/i);
      const res = app.ingestWebhook({ source: 'forum', external_id: 'x1', text: 'Che schifo, capsule rotte e nessuno risponde', lang: 'it' });
      expect(res.accepted).toBe(1);
      const { items } = (await app.dispatch('mentions.list', { limit: 5 })) as { items: { sentimentLabel: string | null; sentimentModel: string | null }[] };
      expect(items[0]).toMatchObject({ sentimentLabel: 'negative', sentimentModel: RULES_MODEL_ID });
    });
  }
});
