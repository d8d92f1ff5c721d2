// People correct a mention's sentiment (issue #13 §5) through core's real dispatcher on real
// SQLite: who may, bad input, the stored label, history and audit, a moment's negative count,
// Tier 2's comment sentiment, the export, and the workspace layer's retraining and reload.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Mention } from '../../src/shared/schemas';
import type { MomentSummary } from '../../src/shared/moments';
import type { Role } from '../../src/shared/auth';
import { DB_FILE, openApp, openReadOnly, type CoreApp } from '../../src/app/app';
import { SentimentAnalyzer, sentimentAnalyzer } from '../../src/core/analysis/sentiment';
import { WorkspaceLayerTrainer } from '../../src/core/analysis/layer-trainer';
import { WorkspaceLayer } from '../../src/core/analysis/workspace-layer';
import { openDatabase } from '../../src/core/store/db';
import { MetricsRepo } from '../../src/core/store/metrics-repo';
import { SentimentCorrectionsRepo } from '../../src/core/store/sentiment-corrections-repo';
import { silentLogger } from '../../src/core/platform';
import { fails, onClose, resourcesDir, tempDir, testApp, testPlatform } from './support/core';

afterEach(() => vi.restoreAllMocks());

/** People with one role each, signed in: their session tokens by role. */
async function people(app: CoreApp, roles: readonly Role[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const role of roles) {
    const username = `u-${role}`;
    await app.auth.createUser({ username, displayName: `Persona ${role}`, password: `password-${role}-lunga`, roles: [role] });
    const grant = (await app.dispatch('auth.signIn', { username, password: `password-${role}-lunga` }, { session: null })) as { token: string };
    out[role] = grant.token;
  }
  return out;
}

function seed(app: CoreApp, items: Record<string, unknown>[]): number[] {
  return app.ingestWebhook(items.map((it, i) => ({ source: 'Test', external_id: `m${i}`, lang: 'it', ...it }))).ids;
}

const get = async (app: CoreApp, id: number): Promise<Mention> => ((await app.dispatch('mentions.get', { id })) as { mention: Mention }).mention;
const correct = (app: CoreApp, session: string | undefined, id: number, label: string) =>
  app.dispatch('mentions.correctSentiment', { id, label }, session === undefined ? undefined : { session }) as Promise<Mention>;

function readDb(dataDir: string): Database.Database {
  const db = new Database(join(dataDir, DB_FILE), { readonly: true });
  onClose(() => db.close());
  return db;
}

describe('who may correct, and what is refused', () => {
  it('managers, strategists and admins correct; analysts, legal and owners get a 403 in Italian; nobody signed in gets a 401', async () => {
    const { app } = testApp();
    const tokens = await people(app, ['manager', 'strategist', 'admin', 'analyst', 'legal', 'owner']);
    const [id] = seed(app, [{ text: 'Capsule arrivate rotte, che vergogna' }]);
    for (const role of ['analyst', 'legal', 'owner']) {
      const err = await fails(correct(app, tokens[role], id!, 'positive'));
      expect(err.code).toBe('forbidden');
      expect(err.message).toMatch(/Il tuo ruolo non consente questa azione/);
    }
    expect((await fails(correct(app, '', id!, 'positive'))).code).toBe('unauthorized');
    expect((await get(app, id!)).sentimentCorrection).toBeNull();
    expect((await correct(app, tokens.manager, id!, 'positive')).sentimentLabel).toBe('positive');
    expect((await correct(app, tokens.strategist, id!, 'neutral')).sentimentLabel).toBe('neutral');
    expect((await correct(app, tokens.admin, id!, 'positive')).sentimentCorrection?.by).toBe('Persona admin');
  });

  it('bad input is refused before anything is written; an unknown mention is a 404', async () => {
    const { app, dataDir } = testApp();
    const [id] = seed(app, [{ text: 'Buonissimo questo caffè' }]);
    for (const input of [{ id, label: 'bad' }, { id: String(id), label: 'positive' }, { id, label: 'positive', by: 'x' }, { label: 'negative' }, { id: 1.5, label: 'negative' }]) {
      const err = await fails(app.dispatch('mentions.correctSentiment', input));
      expect(err.code).toBe('invalid');
      expect(err.message).toMatch(/Richiesta non valida/);
    }
    const missing = await fails(correct(app, undefined, 999_999, 'negative'));
    expect(missing.code).toBe('not_found');
    expect(missing.message).toMatch(/non trovata/);
    const db = readDb(dataDir);
    expect(db.prepare('SELECT COUNT(*) AS n FROM sentiment_corrections').get()).toEqual({ n: 0 });
  });
});

describe('a correction', () => {
  it('sets the label every reader sees, keeps the model\'s, records history and an audit row with from → to; the chain verifies', async () => {
    const { app, dataDir } = testApp();
    const tokens = await people(app, ['manager']);
    const updates: Mention[][] = [];
    app.events.subscribe((e, p) => {
      if (e === 'mentions.updated') updates.push((p as { items: Mention[] }).items);
    });
    const [id, other] = seed(app, [{ text: 'Capsule arrivate rotte, che vergogna' }, { text: 'Il nuovo blend è buonissimo' }]);
    const before = await get(app, id!);
    expect(before).toMatchObject({ sentimentLabel: 'negative', sentimentModelLabel: 'negative', sentimentModel: sentimentAnalyzer().status.modelId, sentimentCorrection: null });

    const m = await correct(app, tokens.manager, id!, 'positive');
    expect(m).toMatchObject({ id, sentimentLabel: 'positive', sentimentModelLabel: 'negative', sentimentScore: before.sentimentScore });
    expect(m.sentimentCorrection?.by).toBe('Persona manager');
    expect(Date.parse(m.sentimentCorrection!.at)).not.toBeNaN();
    expect(updates).toHaveLength(1);
    expect(updates[0]![0]).toMatchObject({ id, sentimentLabel: 'positive' });

    // The inbox filter reads the corrected label.
    const pos = (await app.dispatch('mentions.list', { query: { sentiments: ['positive'] } })) as { items: Mention[] };
    expect(pos.items.map((x) => x.id).sort()).toEqual([id, other].sort());
    const neg = (await app.dispatch('mentions.list', { query: { sentiments: ['negative'] } })) as { total: number };
    expect(neg.total).toBe(0);

    const db = readDb(dataDir);
    expect(db.prepare('SELECT mention_id, label, previous_label, user_id FROM sentiment_corrections').all()).toEqual([
      { mention_id: id, label: 'positive', previous_label: 'negative', user_id: expect.any(Number) as unknown },
    ]);
    const audit = db.prepare(`SELECT actor, action, subject, detail FROM audit_log WHERE action = 'sentiment.correct'`).all() as { actor: string; subject: string; detail: string }[];
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: 'u-manager', subject: `mention:${id}` });
    expect(JSON.parse(audit[0]!.detail)).toEqual({ mentionId: id, from: 'negative', to: 'positive', model: 'negative' });
    expect(await app.dispatch('audit.verify', {})).toMatchObject({ ok: true });

    // The export, beside the running instance, carries the person's label.
    const ro = openReadOnly(dataDir);
    onClose(() => ro.close());
    let out = '';
    ro.exportMentions('jsonl', (c) => (out += c));
    const exported = out.trim().split('\n').map((l) => JSON.parse(l) as { id: number; sentiment_label: string });
    expect(exported.find((r) => r.id === id)?.sentiment_label).toBe('positive');
  });

  it('the same label twice changes nothing; the model\'s label undoes the correction; a second person\'s correction replaces the first; history keeps all', async () => {
    const { app, dataDir } = testApp();
    const tokens = await people(app, ['manager', 'strategist']);
    const [id] = seed(app, [{ text: 'Capsule arrivate rotte, che vergogna' }]);
    const db = readDb(dataDir);
    const history = () => db.prepare('SELECT label, previous_label FROM sentiment_corrections ORDER BY id').all();
    const audits = () => (db.prepare(`SELECT COUNT(*) AS n FROM audit_log WHERE action = 'sentiment.correct'`).get() as { n: number }).n;

    // Confirming what the engine said is no correction.
    expect((await correct(app, tokens.manager, id!, 'negative')).sentimentCorrection).toBeNull();
    expect(history()).toEqual([]);

    await correct(app, tokens.manager, id!, 'neutral');
    await correct(app, tokens.manager, id!, 'neutral');
    expect(audits()).toBe(1);
    const second = await correct(app, tokens.strategist, id!, 'positive');
    expect(second.sentimentCorrection?.by).toBe('Persona strategist');
    const undone = await correct(app, tokens.manager, id!, 'negative');
    expect(undone).toMatchObject({ sentimentLabel: 'negative', sentimentModelLabel: 'negative', sentimentCorrection: null });
    expect(history()).toEqual([
      { label: 'neutral', previous_label: 'negative' },
      { label: 'positive', previous_label: 'neutral' },
      { label: 'negative', previous_label: 'positive' },
    ]);
    expect(audits()).toBe(3);
    const last = db.prepare(`SELECT detail FROM audit_log WHERE action = 'sentiment.correct' ORDER BY id DESC LIMIT 1`).get() as { detail: string };
    expect(JSON.parse(last.detail)).toMatchObject({ from: 'positive', to: 'negative', revert: true });
  });
});

// ---- aggregates ----
const START = Date.parse('2026-11-20T08:00:00Z');
const MIN = 60_000;
const quiet = (from: number, minutes: number): Record<string, unknown>[] =>
  Array.from({ length: minutes }, (_, i) => ({
    source: 'Reddit r/italy',
    external_id: `q${i}`,
    text: i % 2 ? 'Il barista di Aurora è gentile' : 'Pausa caffè con gli amici',
    lang: 'it',
    published_at: new Date(from + i * MIN).toISOString(),
  }));
const burst = (from: number, n: number): Record<string, unknown>[] =>
  Array.from({ length: n }, (_, i) => ({
    source: 'Instagram @caffeaurora',
    external_id: `b${i}`,
    author: `autore-${i}`,
    text: 'Muffa nelle capsule Aurora, vergogna! Che schifo',
    lang: 'it',
    published_at: new Date(from + i * 10_000).toISOString(),
  }));

describe('aggregates follow the corrected label at once', () => {
  it('a crisis\' negative count and its window drop when a linked mention is corrected, and come back when the correction is undone', async () => {
    const { app } = testApp();
    const brand = (await app.dispatch('perimeters.brandCreate', { name: 'Caffè Aurora' })) as { id: number };
    await app.dispatch('perimeters.themeCreate', { brandId: brand.id, name: 'Muffa', query: 'muffa AND capsul*', swot: 'threat', stance: 'sensitive' });
    app.ingestWebhook(quiet(START, 60));
    app.ingestWebhook(burst(START + 60 * MIN, 10));
    const crisis = () => app.dispatch('moments.list', { kind: 'crisis' }).then((r) => (r as { items: MomentSummary[] }).items[0]!);
    const before = await crisis();
    expect(before.negative).toBeGreaterThan(0);
    const linked = (await app.dispatch('mentions.list', { query: { momentId: before.id }, limit: 50 })) as { items: Mention[] };
    const target = linked.items.find((m) => m.sentimentLabel === 'negative')!;
    const windowNeg = async (): Promise<number> => {
      const d = (await app.dispatch('moments.get', { id: before.id })) as { timeline: { start: string; negative: number }[] };
      const at = Date.parse(target.publishedAt);
      return d.timeline.find((b) => Date.parse(b.start) <= at && at < Date.parse(b.start) + 5 * MIN)!.negative;
    };
    const win = await windowNeg();
    const changed: unknown[] = [];
    app.events.subscribe((e, p) => {
      if (e === 'moments.changed') changed.push(p);
    });

    await correct(app, undefined, target.id, 'positive');
    const after = await crisis();
    expect(after.id).toBe(before.id);
    expect(after.negative).toBe(before.negative - 1);
    expect(after.volume).toBe(before.volume);
    expect(after.sentiment).toBeGreaterThan(before.sentiment);
    expect(await windowNeg()).toBe(win - 1);
    await vi.waitFor(() => expect(changed).toContainEqual({ opened: [], rebuilt: false }));

    await correct(app, undefined, target.id, 'negative');
    expect((await crisis()).negative).toBe(before.negative);
    expect((await crisis()).sentiment).toBeCloseTo(before.sentiment, 6);
    expect(await windowNeg()).toBe(win);
  });

  it('Tier 2 comment sentiment counts a corrected mention with the person\'s label', async () => {
    const { app, dataDir } = testApp();
    const url = 'https://www.esempio.it/articolo-1';
    const [id] = seed(app, [{ text: `Articolo interessante ${url}` }]);
    const db = openDatabase(join(dataDir, DB_FILE));
    onClose(() => db.close());
    const metrics = new MetricsRepo(db);
    const before = metrics.linkedSentiment(url);
    expect(before?.count).toBe(1);
    await correct(app, undefined, id!, 'negative');
    expect(metrics.linkedSentiment(url)).toEqual({ value: -1, count: 1 });
  });
});

describe('the workspace layer', () => {
  it('retrains in the background after the last of a burst of corrections, and the ingest path scores with it', async () => {
    const { app, dataDir } = testApp({ timers: { layerDebounceMs: 30 } });
    const ids = seed(app, [{ text: 'Che schifo di servizio' }, { text: 'Ottimo caffè' }, { text: 'Consegna martedì' }]);
    const db = readDb(dataDir);
    const layerRow = () => db.prepare('SELECT base_model, corrections FROM sentiment_layer').get() as { base_model: string; corrections: number } | undefined;
    await correct(app, undefined, ids[0]!, 'neutral');
    await correct(app, undefined, ids[1]!, 'negative');
    // Never inside the request: nothing is trained yet.
    expect(layerRow()).toBeUndefined();
    await vi.waitFor(() => expect(layerRow()).toEqual({ base_model: sentimentAnalyzer(resourcesDir).status.modelId, corrections: 2 }), { timeout: 5_000 });

    const analyze = vi.spyOn(SentimentAnalyzer.prototype, 'analyze');
    seed(app, [{ external_id: 'new-1', text: 'Un altro commento sul servizio' }]);
    const layer = analyze.mock.calls.at(-1)?.[2];
    expect(layer).toBeInstanceOf(WorkspaceLayer);
    expect(layer?.corrections).toBe(2);

    // Undoing every correction leaves nothing to learn from: the layer goes.
    await correct(app, undefined, ids[0]!, 'negative');
    await correct(app, undefined, ids[1]!, 'positive');
    await vi.waitFor(() => expect(layerRow()).toBeUndefined(), { timeout: 5_000 });
  });

  it('is loaded at start; a corrupt one, or one trained on another model, is retrained from the corrections', async () => {
    const dataDir = tempDir();
    const open = () => openApp({ platform: testPlatform(dataDir, { timers: { layerDebounceMs: 10_000 } }), mode: 'browser' });
    let app = open();
    const ids = seed(app, [{ text: 'Che schifo di servizio' }]);
    await correct(app, undefined, ids[0]!, 'positive');
    app.close();

    const analyzer = sentimentAnalyzer(resourcesDir);
    const db = openDatabase(join(dataDir, DB_FILE));
    onClose(() => db.close());
    const repo = new SentimentCorrectionsRepo(db);
    // The app closed before its debounce: there are corrections but no layer.
    expect(repo.layer()).toBeNull();
    const trainer = (): WorkspaceLayerTrainer => {
      const t = new WorkspaceLayerTrainer({ repo, analyzer, now: () => 1_000, logger: silentLogger, debounceMs: 10_000 });
      onClose(() => t.stop());
      return t;
    };
    let t = trainer();
    t.load();
    expect(t.pending).toBe(true);
    t.trainNow();
    expect(t.current()?.corrections).toBe(1);
    expect(repo.layer()).toMatchObject({ baseModel: analyzer.status.modelId, corrections: 1, trainedAt: 1_000 });

    // Stored and readable: loaded as is, nothing to do.
    t = trainer();
    t.load();
    expect(t.pending).toBe(false);
    expect(t.current()?.corrections).toBe(1);

    // Corrupt, then trained on another model: both retrain (soon, never blocking the start).
    for (const data of [Buffer.from('\u0000rotto'), WorkspaceLayer.deserialize(Buffer.from(JSON.stringify({ v: 2, baseModel: 'modello-vecchio', corrections: 9, langs: {} }))).serialize()]) {
      repo.putLayer({ baseModel: 'x', corrections: 9, trainedAt: 5, data });
      t = trainer();
      t.load();
      expect(t.current()).toBeNull();
      expect(t.pending).toBe(true);
      t.trainNow();
      expect(t.current()).toMatchObject({ baseModel: analyzer.status.modelId, corrections: 1 });
    }

    // The real app does the same at start, in the background.
    db.prepare('DELETE FROM sentiment_layer').run();
    app = openApp({ platform: testPlatform(dataDir, { timers: { layerDebounceMs: 10_000 } }), mode: 'browser' });
    onClose(() => app.close());
    await vi.waitFor(() => expect(repo.layer()?.corrections).toBe(1), { timeout: 5_000 });
  });
});
