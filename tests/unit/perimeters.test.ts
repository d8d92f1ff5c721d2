// Perimeters store, matching in the ingest pipeline, background re-match (resumable), the
// contract ops through the real dispatcher, relevance and the theme filter/sort of the inbox.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileTheme, matchThemes, relevanceOf } from '../../src/core/analysis/perimeters';
import { compileQuery, prepareDoc } from '../../src/core/analysis/query';
import { EventBus } from '../../src/core/api/events';
import { IngestPipeline } from '../../src/core/ingest/pipeline';
import { silentLogger } from '../../src/core/platform';
import { compileStoredThemes } from '../../src/core/perimeters/compiled';
import { DEMO_THEMES } from '../../src/core/perimeters/demo-seed';
import { PerimetersService } from '../../src/core/perimeters/service';
import { perimetersStage } from '../../src/core/perimeters/stage';
import { openDatabase, type Db } from '../../src/core/store/db';
import { MentionsRepo } from '../../src/core/store/mentions-repo';
import { migrations } from '../../src/core/store/migrations';
import { SourcesRepo } from '../../src/core/store/sources-repo';
import { ApiError } from '../../src/shared/contract';
import { openApp } from '../../src/app/app';
import { onClose, tempDir, testApp, testPlatform } from './support/core';

const T0 = Date.UTC(2026, 10, 20, 8, 0);

function setup(file = join(tempDir(), 'v.db')) {
  const db = openDatabase(file);
  onClose(() => db.close());
  const events = new EventBus();
  const seen: string[] = [];
  events.subscribe((e) => seen.push(e));
  // Slices run when the test says so: a quit between two slices is then exact.
  const queue: (() => void)[] = [];
  const svc = new PerimetersService({
    db,
    events,
    now: () => T0,
    secret: () => 's'.repeat(64),
    logger: silentLogger,
    defer: (f) => queue.push(f),
  });
  const mentions = new MentionsRepo(db);
  const pipeline = new IngestPipeline({
    db,
    mentions,
    sources: new SourcesRepo(db),
    events,
    now: () => T0,
    secret: () => 's'.repeat(64),
    stages: [perimetersStage(svc)],
  });
  const runAll = (): number => {
    let n = 0;
    while (queue.length) {
      queue.shift()!();
      n++;
    }
    return n;
  };
  return { db, svc, mentions, pipeline, queue, runAll, seen, file };
}

let seq = 0;
function item(text: string, extra: Record<string, unknown> = {}) {
  seq++;
  return { source: 'Instagram @caffeaurora', external_id: `x${seq}`, text, published_at: new Date(T0 + seq * 1000).toISOString(), ...extra };
}

function matchRows(db: Db, themeId: number) {
  return db.prepare('SELECT mention_id, relevance, spans FROM mention_themes WHERE theme_id = ? ORDER BY mention_id').all(themeId) as {
    mention_id: number;
    relevance: number;
    spans: string;
  }[];
}

describe('perimeters store', () => {
  it('is created by the real migrations', () => {
    const { db } = setup();
    const names = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]).map((r) => r.name);
    for (const t of ['brands', 'products', 'themes', 'mention_themes', 'rematch_jobs']) expect(names).toContain(t);
    const idx = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'mention_themes'`).all() as { name: string }[];
    expect(idx.map((i) => i.name)).toContain('mention_themes_by_time');
    expect(migrations.some((m) => m.name === 'perimeters')).toBe(true);
  });

  it('keeps brands → products → themes and refuses an invalid query with its position, saving nothing', () => {
    const { svc } = setup();
    const b = svc.repo.createBrand('Caffè Aurora', T0);
    const p = svc.repo.createProduct(b, 'Aurora Crema', T0);
    const t = svc.createTheme({ brandId: b, productId: p, name: 'Muffa', query: 'muffa AND capsul*', swot: 'threat', stance: 'sensitive', weight: 1 });
    expect(t).toMatchObject({ brandId: b, productId: p, name: 'Muffa', swot: 'threat', stance: 'sensitive', weight: 1 });
    let err: unknown;
    try {
      svc.createTheme({ brandId: b, productId: null, name: 'Rotto', query: 'muffa AND (capsule', swot: 'threat', stance: 'in_perimeter', weight: 1 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).message).toMatch(/parentesi non chiusa alla colonna 11/);
    expect(svc.repo.themes().map((x) => x.name)).toEqual(['Muffa']);
    // A product of another brand is refused.
    const other = svc.repo.createBrand('Borealis', T0);
    expect(() => svc.createTheme({ brandId: other, productId: p, name: 'X', query: 'x', swot: 'threat', stance: 'in_perimeter', weight: 1 })).toThrow(/altro brand/);
  });
});

describe('matching in the ingest pipeline', () => {
  it('stores relevance and spans for every new mention and puts the themes on the event', () => {
    const { svc, pipeline, db } = setup();
    const b = svc.repo.createBrand('Caffè Aurora', T0);
    const muffa = svc.createTheme({ brandId: b, productId: null, name: 'Muffa', query: 'muffa AND capsul*', swot: 'threat', stance: 'sensitive', weight: 1 });
    const fredda = svc.createTheme({ brandId: b, productId: null, name: 'Fredda', query: '"aurora fredda"', swot: 'opportunity', stance: 'in_perimeter', weight: 0.5 });
    const res = pipeline.ingest(
      [
        item('Muffa nelle capsule Aurora Crema, che schifo'),
        item('La Aurora Fredda è buonissima'),
        item('Niente a che vedere'),
        item('muffa muffa capsule capsule', { title: 'Capsule con muffa' }),
      ],
      'webhook',
    );
    expect(res.accepted).toBe(4);
    const [a, f, none, strong] = res.added;
    expect(a!.themes).toEqual([{ themeId: muffa.id, relevance: expect.any(Number), spans: [{ field: 'text', start: 0, end: 5 }, { field: 'text', start: 12, end: 19 }] }]);
    expect(f!.themes?.map((x) => x.themeId)).toEqual([fredda.id]);
    expect(none!.themes).toEqual([]);
    const rows = matchRows(db, muffa.id);
    expect(rows.map((r) => r.mention_id)).toEqual([a!.id, strong!.id]);
    for (const r of rows) {
      expect(r.relevance).toBeGreaterThan(0);
      expect(r.relevance).toBeLessThanOrEqual(1);
    }
    // More hits and a title hit weigh more; a lighter theme weighs less.
    expect(rows[1]!.relevance).toBeGreaterThan(rows[0]!.relevance);
    expect(f!.themes![0]!.relevance).toBeLessThan(a!.themes![0]!.relevance);
    expect(svc.repo.themesOf([a!.id]).get(a!.id)).toEqual(a!.themes);
  });
});

describe('relevance', () => {
  const doc = (text: string, title?: string) => prepareDoc({ text, title: title ?? null });
  it('is in [0, 1], grows with hits and title hits, shrinks with the weight and in long texts', () => {
    const q = compileQuery('aurora');
    const one = relevanceOf(q.match(doc('aurora'))!, doc('aurora'), 1);
    const two = relevanceOf(q.match(doc('aurora e aurora'))!, doc('aurora e aurora'), 1);
    const title = relevanceOf(q.match(doc('x', 'aurora'))!, doc('x', 'aurora'), 1);
    const long = `${'parola '.repeat(400)}aurora`;
    const inLong = relevanceOf(q.match(doc(long))!, doc(long), 1);
    expect(two).toBeGreaterThan(one);
    expect(title).toBeGreaterThan(one);
    expect(inLong).toBeLessThan(one);
    expect(relevanceOf(q.match(doc('aurora'))!, doc('aurora'), 0.5)).toBeCloseTo(one / 2, 2);
    const many = `${'aurora '.repeat(200)}`;
    expect(relevanceOf(q.match(doc(many, 'aurora'))!, doc(many, 'aurora'), 1)).toBeLessThanOrEqual(1);
    expect(relevanceOf(q.match(doc('aurora'))!, doc('aurora'), 0)).toBe(0);
  });

  it('matchThemes matches raw fields against compiled themes', () => {
    const themes = DEMO_THEMES.map((t, i) => compileTheme({ id: i + 1, query: t.query, weight: t.weight }));
    const hits = matchThemes({ text: 'Muffa nelle capsule Aurora Crema #boicottaAurora', lang: 'it', source: 'X' }, themes);
    expect(hits.map((h) => DEMO_THEMES[h.themeId - 1]!.name).sort()).toEqual(['Boicottaggio e proteste', 'Muffa nelle capsule']);
    expect(matchThemes({ text: 'anything' }, [])).toEqual([]);
  });
});

describe('background re-match', () => {
  it('re-matches stored mentions after an edit, in slices, with progress events', () => {
    const { svc, pipeline, db, runAll, seen } = setup();
    const b = svc.repo.createBrand('Caffè Aurora', T0);
    const items = Array.from({ length: 700 }, (_, i) => item(i % 2 ? `capsule numero ${i}` : `muffa numero ${i}`));
    pipeline.ingest(items, 'import');
    const t = svc.createTheme({ brandId: b, productId: null, name: 'Muffa', query: 'muffa', swot: 'threat', stance: 'sensitive', weight: 1 });
    expect(svc.rematchState()).toMatchObject({ running: true, jobs: [{ themeId: t.id, kind: 'match', done: 0, total: 700 }] });
    runAll();
    expect(svc.rematchState()).toEqual({ running: false, jobs: [] });
    expect(matchRows(db, t.id)).toHaveLength(350);
    expect(seen).toContain('perimeters.rematch');

    svc.updateTheme(t.id, { brandId: b, productId: null, name: 'Capsule', query: 'capsule', swot: 'threat', stance: 'sensitive', weight: 1 });
    runAll();
    const rows = matchRows(db, t.id);
    expect(rows).toHaveLength(350);
    const texts = new Set((db.prepare('SELECT text FROM mentions WHERE id IN (SELECT mention_id FROM mention_themes WHERE theme_id = ?)').all(t.id) as { text: string }[]).map((r) => r.text.split(' ')[0]));
    expect([...texts]).toEqual(['capsule']);

    // Renaming alone changes no match: no job.
    svc.updateTheme(t.id, { brandId: b, productId: null, name: 'Capsule 2', query: 'capsule', swot: 'weakness', stance: 'sensitive', weight: 1 });
    expect(svc.rematchState().jobs).toEqual([]);

    svc.deleteTheme(t.id);
    runAll();
    expect(matchRows(db, t.id)).toHaveLength(0);
    expect(svc.rematchState().jobs).toEqual([]);
  });

  it('resumes an interrupted re-match at the next start, where it stopped', () => {
    const first = setup();
    const b = first.svc.repo.createBrand('Caffè Aurora', T0);
    first.pipeline.ingest(Array.from({ length: 3000 }, (_, i) => item(`muffa ${i}`)), 'import');
    const t = first.svc.createTheme({ brandId: b, productId: null, name: 'Muffa', query: 'muffa', swot: 'threat', stance: 'sensitive', weight: 1 });
    // One slice of work, then "quit".
    first.queue.shift()!();
    first.svc.stop();
    const after = first.svc.rematchState().jobs[0]!;
    expect(after.done).toBeGreaterThan(0);
    expect(after.done).toBeLessThan(3000);
    const partial = matchRows(first.db, t.id).length;
    expect(partial).toBe(after.done);
    first.db.close();

    const second = setup(first.file);
    expect(second.svc.rematchState().jobs[0]).toMatchObject({ themeId: t.id, done: after.done, total: 3000 });
    second.svc.kick();
    second.runAll();
    expect(matchRows(second.db, t.id)).toHaveLength(3000);
    expect(second.svc.rematchState().jobs).toEqual([]);
  });
});

describe('contract', () => {
  it('CRUD, testQuery with counts, sample and spans, theme filter and relevance sort', async () => {
    const { app } = testApp();
    const call = (op: string, input: unknown) => app.dispatch(op, input);
    const brand = (await call('perimeters.brandCreate', { name: 'Caffè Aurora' })) as { id: number };
    await expect(call('perimeters.brandCreate', { name: 'caffè aurora' })).rejects.toMatchObject({ code: 'conflict' });
    const product = (await call('perimeters.productCreate', { brandId: brand.id, name: 'Aurora Crema' })) as { id: number };
    app.ingestWebhook([
      item('Muffa nelle capsule Aurora Crema'),
      item('muffa muffa muffa nelle capsule', { title: 'Muffa!' }),
      item('Le capsule sono arrivate'),
      item('Perché nessuno risponde?'),
    ]);

    const bad = (await call('perimeters.testQuery', { query: 'muffa NEAR/ capsule' })) as { ok: boolean; error: { column: number; message: string } };
    expect(bad.ok).toBe(false);
    expect(bad.error.column).toBe(7);
    expect(bad.error.message).toMatch(/NEAR\/ vuole un numero/);

    const good = (await call('perimeters.testQuery', { query: 'muffa capsul*', sample: 5 })) as {
      ok: true;
      count: number;
      total: number;
      sample: { mention: { text: string }; spans: { start: number; end: number }[] }[];
    };
    expect(good).toMatchObject({ ok: true, count: 2, total: 4 });
    expect(good.sample).toHaveLength(2);
    const s = good.sample[0]!;
    expect(s.spans.map((x) => s.mention.text.slice(x.start, x.end))).toContain('capsule');
    const accent = (await call('perimeters.testQuery', { query: 'perche' })) as { count: number };
    expect(accent.count).toBe(1);

    await expect(
      call('perimeters.themeCreate', { brandId: brand.id, name: 'Rotto', query: '(muffa', swot: 'threat' }),
    ).rejects.toMatchObject({ code: 'invalid' });
    const theme = (await call('perimeters.themeCreate', {
      brandId: brand.id,
      productId: product.id,
      name: 'Muffa',
      query: 'muffa',
      swot: 'threat',
      stance: 'sensitive',
      weight: 0.8,
    })) as { id: number };
    // The re-match runs in the background: wait for it through the state op.
    await expect.poll(async () => ((await call('perimeters.rematchState', {})) as { running: boolean }).running).toBe(false);
    const list = (await call('perimeters.list', {})) as { brands: unknown[]; products: unknown[]; themes: { id: number; mentionCount: number }[] };
    expect(list.brands).toHaveLength(1);
    expect(list.products).toHaveLength(1);
    expect(list.themes[0]).toMatchObject({ id: theme.id, mentionCount: 2 });

    const byTheme = (await call('mentions.list', { query: { themeIds: [theme.id] } })) as { items: { text: string; themes: { themeId: number }[] }[]; total: number };
    expect(byTheme.total).toBe(2);
    expect(byTheme.items.every((m) => m.themes[0]?.themeId === theme.id)).toBe(true);

    const byRel = (await call('mentions.list', { query: {}, sort: 'relevance', limit: 1 })) as {
      items: { title: string | null; themes: { relevance: number }[] }[];
      next: { relevance: number } | null;
      total: number;
    };
    expect(byRel.total).toBe(4);
    expect(byRel.items[0]!.title).toBe('Muffa!');
    const page2 = (await call('mentions.list', { query: {}, sort: 'relevance', limit: 10, after: byRel.next })) as { items: { text: string; themes: unknown[] }[] };
    expect(page2.items).toHaveLength(3);
    expect(page2.items[0]!.text).toBe('Muffa nelle capsule Aurora Crema');
    // One theme: the same order, paged down its relevance index.
    const one = (await call('mentions.list', { query: { themeIds: [theme.id] }, sort: 'relevance', limit: 1 })) as typeof byRel;
    expect(one.total).toBe(2);
    expect(one.items[0]!.title).toBe('Muffa!');
    const oneNext = (await call('mentions.list', { query: { themeIds: [theme.id] }, sort: 'relevance', limit: 1, after: one.next })) as typeof byRel;
    expect(oneNext.items.map((m) => m.title)).toEqual([null]);
    expect(oneNext.next).toBeNull();

    await call('perimeters.themeDelete', { id: theme.id });
    const after = (await call('mentions.list', { query: {} })) as { items: { themes: unknown[] }[] };
    expect(after.items.every((m) => m.themes.length === 0)).toBe(true);
    await call('perimeters.brandDelete', { id: brand.id });
    expect(((await call('perimeters.list', {})) as { products: unknown[] }).products).toHaveLength(0);
  });
});

describe('quit during a re-match', () => {
  it('the running app resumes an interrupted re-match when it is opened again', async () => {
    const dataDir = tempDir();
    const first = openApp({ platform: testPlatform(dataDir), mode: 'browser' });
    first.ingestWebhook(Array.from({ length: 2000 }, (_, i) => item(`muffa nelle capsule ${i}`)));
    const brand = (await first.dispatch('perimeters.brandCreate', { name: 'Caffè Aurora' })) as { id: number };
    await first.dispatch('perimeters.themeCreate', { brandId: brand.id, name: 'Muffa', query: 'muffa', swot: 'threat' });
    // Quit before the background work is done.
    const pending = (await first.dispatch('perimeters.rematchState', {})) as { running: boolean; jobs: { done: number; total: number }[] };
    expect(pending.running).toBe(true);
    first.close();

    const second = openApp({ platform: testPlatform(dataDir), mode: 'browser' });
    onClose(() => second.close());
    const resumed = (await second.dispatch('perimeters.rematchState', {})) as { jobs: { total: number }[] };
    expect(resumed.jobs[0]?.total).toBe(2000);
    await expect.poll(async () => ((await second.dispatch('perimeters.rematchState', {})) as { running: boolean }).running, { timeout: 20_000 }).toBe(false);
    const list = (await second.dispatch('perimeters.list', {})) as { themes: { mentionCount: number }[] };
    expect(list.themes[0]!.mentionCount).toBe(2000);
  }, 30_000);
});

describe('themes for the CLI', () => {
  it('compiles the stored themes from a read-only store for matchThemes()', () => {
    const s = setup();
    const b = s.svc.repo.createBrand('Caffè Aurora', T0);
    const t = s.svc.createTheme({ brandId: b, productId: null, name: 'Muffa', query: 'muffa', swot: 'threat', stance: 'sensitive', weight: 1 });
    s.db.close();
    const ro = openDatabase(s.file, { readonly: true });
    onClose(() => ro.close());
    const themes = compileStoredThemes(ro);
    expect(themes.map((x) => x.id)).toEqual([t.id]);
    expect(matchThemes({ text: 'Muffa!', lang: 'it' }, themes)).toEqual([{ themeId: t.id, relevance: expect.any(Number), spans: [{ field: 'text', start: 0, end: 5 }] }]);
  });
});

describe('the query tester through the full-text index', () => {
  it('counts exactly what the theme itself would match, read without the index', async () => {
    const { app } = testApp();
    const brand = (await app.dispatch('perimeters.brandCreate', { name: 'Caffè Aurora' })) as { id: number };
    const words = ['capsule', 'capsula', 'rotte', 'rotta', 'moka', 'muffa', 'servizio clienti', 'perché', '#aurora', 'l’acqua', 'e-commerce', 'consegna'];
    const texts = Array.from({ length: 1_500 }, (_, i) => {
      const pick = (k: number) => words[(i * (k + 3) + k * 7) % words.length]!;
      return `${pick(0)} e ${pick(1)} oggi ${pick(2)} numero ${i}`;
    });
    for (let i = 0; i < texts.length; i += 500) app.ingestWebhook(texts.slice(i, i + 500).map((t) => item(t)));
    const queries = ['capsule', 'capsul* AND rott*', '"servizio clienti" OR moka', 'muffa NEAR/3 capsule', '#aurora', 'NOT capsule', 'perche', 'acqua', '(moka OR muffa) AND NOT rotte', 'commerce'];
    const perimeters = (app as unknown as { perimeters: { busy: boolean } }).perimeters;
    for (const [i, query] of queries.entries()) {
      const theme = (await app.dispatch('perimeters.themeCreate', { brandId: brand.id, name: `T${i}`, query, swot: 'threat' })) as { id: number };
      while (perimeters.busy) await new Promise((r) => setTimeout(r, 10));
      // The theme's re-match reads every stored mention, one by one.
      const matched = ((await app.dispatch('mentions.list', { query: { themeIds: [theme.id] }, limit: 1 })) as { total: number }).total;
      const tested = (await app.dispatch('perimeters.testQuery', { query })) as { ok: true; count: number; scanned: number; total: number };
      expect({ query, count: tested.count, scanned: tested.scanned }).toEqual({ query, count: matched, scanned: texts.length });
    }
  }, 60_000);
});
