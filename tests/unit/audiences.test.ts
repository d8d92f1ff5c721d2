// Strength and risk: the pure computation (edge cases: no audience matched, one author
// dominating, tiny volumes) and the real path: audiences defined through the contract on a real
// SQLite store, the demo stream fed as a replay delivers it, the crisis read back with its risk.
import { describe, expect, it } from 'vitest';
import {
  computeFigures,
  computeRisk,
  computeStrength,
  communitiesOf,
  hashtagsOf,
  type FigureRow,
  type MomentRisk,
} from '../../src/shared/audiences';
import type { MomentSummary } from '../../src/shared/moments';
import { testApp } from './support/core';
import { RiskRows } from '../../src/core/audiences/risk';
import { AudiencesRepo } from '../../src/core/store/audiences-repo';
import type { Db } from '../../src/core/store/db';
import { createDemoPerimeter, demoStream, feedInSlices } from './support/demo-moments';
import type { CoreApp } from '../../src/app/app';

const T0 = Date.parse('2026-11-20T10:00:00Z');

function rows(n: number, o: { everyMs?: number; author?: (i: number) => string | null; likes?: number; score?: number; comment?: boolean } = {}): FigureRow[] {
  return Array.from({ length: n }, (_, i) => ({
    publishedAt: T0 + i * (o.everyMs ?? 6_000),
    authorKey: o.author ? o.author(i) : `a${i}`,
    likes: o.likes ?? 0,
    comments: 0,
    shares: 0,
    score: o.score ?? 0,
    isComment: o.comment ?? false,
  }));
}

describe('strength', () => {
  it('a fast crowd is strong on velocity; the figures say why', () => {
    const f = computeFigures(rows(100, { everyMs: 6_000 })); // 10 a minute from 100 people
    expect(f.velocity).toBe(10);
    expect(f.authors).toBe(100);
    const s = computeStrength(f);
    expect(s).toMatchObject({ strength: 'strong', reason: 'velocity' });
  });

  it('a slow audience with large reach and engagement is strong; a slow quiet one is weak', () => {
    const slow = rows(20, { everyMs: 120_000, likes: 1_500, score: 500 });
    expect(computeStrength(computeFigures(slow))).toMatchObject({ strength: 'strong', reason: 'reach' });
    const quiet = rows(20, { everyMs: 120_000, likes: 3 });
    expect(computeStrength(computeFigures(quiet))).toMatchObject({ strength: 'weak', reason: 'low' });
  });

  it('tiny volumes are never strong, however viral', () => {
    const few = rows(3, { everyMs: 1_000, likes: 1_000_000 });
    const s = computeStrength(computeFigures(few));
    expect(s.strength).toBe('weak');
    expect(s.reason).toBe('tiny');
    expect(computeStrength(computeFigures([])).strength).toBe('weak');
  });

  it('one author dominating is one voice, not a crowd', () => {
    const spam = rows(200, { everyMs: 1_000, author: (i) => (i % 10 === 0 ? `x${i}` : 'same') });
    const f = computeFigures(spam);
    expect(f.topAuthorShare).toBeGreaterThan(0.8);
    const s = computeStrength(f);
    expect(s).toMatchObject({ strength: 'weak', reason: 'dominated' });
    // Velocity counts the flooding author three times at most.
    expect(f.velocity).toBeLessThan(10);
  });

  it('the override wins but the computed strength stays visible', () => {
    const f = computeFigures(rows(100));
    expect(computeStrength(f, 'weak')).toMatchObject({ strength: 'weak', computed: 'strong', reason: 'override' });
    expect(computeStrength(computeFigures(rows(2)), 'strong')).toMatchObject({ strength: 'strong', computed: 'weak' });
  });
});

describe('risk', () => {
  const audience = (id: number, type: 'primary' | 'secondary' | 'generic', r: FigureRow[], name = `A${id}`) => ({ audienceId: id, name, type, override: null, rows: r });

  it('no audience matched: weak, and the explanation says so', () => {
    const risk = computeRisk(1, 40, 40, [audience(1, 'primary', [])], T0);
    expect(risk.area).toBe('weak');
    expect(risk.audiences).toEqual([]);
    expect(risk.position).toBeNull();
    expect(risk.explanation).toBe('debole: nessun pubblico mappato tocca il momento (40 menzioni)');
  });

  it('a strong primary audience with most of the comments makes the area strong, named in the line', () => {
    const primary = rows(62, { everyMs: 1_500, comment: true });
    const secondary = rows(10, { everyMs: 60_000 });
    const risk = computeRisk(7, 100, 28, [audience(1, 'primary', primary, 'Clienti Aurora'), audience(2, 'secondary', secondary)], T0);
    expect(risk.area).toBe('strong');
    expect(risk.explanation).toMatch(/^forte: 62% dei commenti dal pubblico primario «Clienti Aurora», \d+(,\d)?\/min/);
    expect(risk.position).toBeLessThan(1 / 3);
    expect(risk.index).toBeGreaterThanOrEqual(0.5);
  });

  it('a strong audience with a tiny share does not weigh', () => {
    const risk = computeRisk(3, 1_000, 960, [audience(1, 'generic', rows(40, { everyMs: 1_000 }))], T0);
    expect(risk.audiences[0]!.strength.strength).toBe('strong');
    expect(risk.area).toBe('weak');
    expect(risk.explanation).toContain('quota troppo piccola');
  });

  it('one author flooding a moment keeps it weak, and the line says why', () => {
    const flood = rows(50, { everyMs: 1_000, author: () => 'bot' });
    const risk = computeRisk(4, 60, 10, [audience(1, 'secondary', flood, 'Evento')], T0);
    expect(risk.area).toBe('weak');
    expect(risk.explanation).toContain('un solo autore scrive il 100%');
  });

  it('tiny volumes stay weak', () => {
    const risk = computeRisk(5, 3, 0, [audience(1, 'primary', rows(3, { everyMs: 1_000, likes: 100_000 }))], T0);
    expect(risk.area).toBe('weak');
    expect(risk.explanation).toContain('solo 3 menzioni');
  });
});

describe('membership helpers', () => {
  it('finds subreddits in URLs and source names, threads, hashtags folded', () => {
    expect(communitiesOf({ sourceName: 'Reddit r/italy', url: 'https://www.reddit.com/r/Italy/comments/x/', threadId: null })).toEqual(['r/italy']);
    expect(communitiesOf({ sourceName: 'Reddit r/Italia', url: null, threadId: 'ig-post-8841' })).toEqual(['r/italia', 'ig-post-8841']);
    expect(hashtagsOf(null, 'Vergogna #boicottaAurora e #SettimanaDelCaffè')).toEqual(['boicottaaurora', 'settimanadelcaffe']);
  });
});

async function defineDemoAudiences(app: CoreApp): Promise<Record<string, number>> {
  const ids: Record<string, number> = {};
  const make = async (name: string, type: string, rules: Record<string, unknown>): Promise<void> => {
    ids[name] = ((await app.dispatch('audiences.create', { name, type, rules })) as { id: number }).id;
  };
  await make('Clienti Aurora', 'primary', { sources: ['Instagram @caffeaurora', 'Trustpilot'] });
  await make('Appassionati di caffè', 'secondary', { communities: ['r/coffee'], sources: ['Forum CaffèItalia', 'Blog Espresso&Co'], hashtags: ['#SettimanaDelCaffè'] });
  await make('Reddit Italia', 'generic', { communities: ['r/italy', 'r/Italia'] });
  return ids;
}

describe('audiences on the demo stream', () => {
  it('the demo crisis lands in the strong risk area, explained by the primary audience; filters and the checklist work', async () => {
    const { app } = testApp();
    await createDemoPerimeter(app);
    const ids = await defineDemoAudiences(app);
    const changes: { momentId: number; to: string }[] = [];
    app.events.subscribe((e, p) => {
      if (e === 'risk.changed') changes.push(...(p as { changes: { momentId: number; to: string }[] }).changes);
    });
    const audiencesSvc = (app as unknown as { audiences: { idle(): Promise<void> } }).audiences;
    await audiencesSvc.idle();
    feedInSlices(app, demoStream(), 10_000);
    await new Promise((r) => setTimeout(r, 300));
    await audiencesSvc.idle();

    const list = (await app.dispatch('audiences.list', {})) as { items: { name: string; mentionCount: number; figures: { velocity: number } }[] };
    expect(list.items.find((a) => a.name === 'Clienti Aurora')!.mentionCount).toBe(1737 + 295);
    const { items } = (await app.dispatch('moments.list', { kind: 'crisis' })) as { items: MomentSummary[] };
    expect(items.length).toBeGreaterThan(0);
    const crisis = items[0]!;
    const { risk, checklist } = (await app.dispatch('risk.moment', { momentId: crisis.id })) as { risk: MomentRisk; checklist: { complete: boolean } };
    console.log(`crisis «${crisis.title}» (${crisis.volume}): ${risk.explanation}`);
    for (const a of risk.audiences) console.log(`  ${a.name} ${a.type} ${Math.round(a.share * 100)}% v=${a.figures.velocity}/min reach=${a.figures.reach} eng=${a.figures.engagement} → ${a.strength.strength}`);
    expect(risk.area).toBe('strong');
    expect(risk.explanation).toMatch(/^forte: \d+% de(i commenti|lle menzioni) dal pubblico primario «Clienti Aurora»/);
    expect(changes.some((c) => c.momentId === crisis.id && c.to === 'strong')).toBe(true);
    expect(app.audiences.riskArea(crisis.id)).toBe('strong');
    expect(checklist.complete).toBe(false);
    // A moment's mentions are read in pages (a large store's crisis links tens of thousands):
    // small pages read the same rows as one page, none twice, none missed.
    const arepo = new AudiencesRepo((app as unknown as { db: Db }).db);
    const read = (pageSize: number): { count: number; unmatched: number; byAudience: [number, number][] } => {
      const rows = new RiskRows(arepo, crisis.id, pageSize);
      while (rows.next());
      return { count: rows.count, unmatched: rows.unmatched, byAudience: [...rows.byAudience].map(([id, list]) => [id, list.length]).sort((a, b) => a[0]! - b[0]!) as [number, number][] };
    };
    const whole = read(1_000_000);
    expect(whole.count).toBe(crisis.volume);
    expect(read(97)).toEqual(whole);

    // The opportunity is not in the strong area.
    const opp = ((await app.dispatch('moments.list', { kind: 'opportunity' })) as { items: MomentSummary[] }).items[0]!;
    const oppRisk = ((await app.dispatch('risk.moment', { momentId: opp.id })) as { risk: MomentRisk }).risk;
    console.log(`opportunity «${opp.title}»: ${oppRisk.explanation}`);

    // The response policy reads the risk area: legal review on the crisis for its strong area,
    // not on the opportunity (issue #5's "legal review when the risk area is strong").
    const channel = (await app.dispatch('publishing.channelCreate', { kind: 'manual', name: 'A mano' })) as { id: number };
    const legalReasons = async (targetKind: 'moment' | 'mention', targetId: number): Promise<string[]> => {
      const draft = (await app.dispatch('responses.create', { targetKind, targetId, channelId: channel.id, text: 'Ci scusiamo, vi aggiorniamo a breve.' })) as { response: { id: number } };
      const sub = (await app.dispatch('responses.submit', { id: draft.response.id })) as { steps: { kind: string; reasons: string[] }[] };
      return sub.steps.filter((st) => st.kind === 'legal').flatMap((st) => st.reasons);
    };
    expect(await legalReasons('moment', crisis.id)).toContain('Revisione legale: area di rischio forte.');
    expect((await legalReasons('moment', opp.id)).includes('Revisione legale: area di rischio forte.')).toBe(app.audiences.riskArea(opp.id) === 'strong');
    // A mention of the quiet hours belongs to no moment: no risk area, no such step.
    expect(await legalReasons('mention', 1)).not.toContain('Revisione legale: area di rischio forte.');
    const crisisMention = ((await app.dispatch('mentions.list', { query: { momentId: crisis.id }, limit: 1 })) as { items: { id: number }[] }).items[0]!;
    expect(await legalReasons('mention', crisisMention.id)).toContain('Revisione legale: area di rischio forte.');

    // Filters: the inbox by audience, the moments list by audience.
    const inbox = (await app.dispatch('mentions.list', { query: { audienceIds: [ids['Reddit Italia']!] }, limit: 50 })) as { total: number; items: { sourceName: string }[] };
    expect(inbox.total).toBe(676 + 417);
    expect(new Set(inbox.items.map((m) => m.sourceName))).toEqual(new Set(['Reddit r/italy', 'Reddit r/Italia']));
    const byPrimary = (await app.dispatch('moments.list', { audienceIds: [ids['Clienti Aurora']!] })) as { items: MomentSummary[] };
    expect(byPrimary.items.map((m) => m.id)).toContain(crisis.id);

    // The checklist persists per moment and survives a rebuild that renumbers the moments.
    for (const item of ['timing', 'pertinence', 'coherence', 'product']) {
      await app.dispatch('risk.checklistSet', { momentId: crisis.id, item, done: true, note: item === 'timing' ? 'Rispondere entro 30 minuti' : '' });
    }
    expect(app.audiences.getChecklist(crisis.id).complete).toBe(true);
    const rebuilt = new Promise<void>((resolve) => {
      const off = app.events.subscribe((e, p) => {
        if (e === 'moments.changed' && (p as { rebuilt: boolean }).rebuilt) {
          off();
          resolve();
        }
      });
    });
    await app.dispatch('moments.rebuild', {});
    await rebuilt;
    await audiencesSvc.idle();
    const after = ((await app.dispatch('moments.list', { kind: 'crisis' })) as { items: MomentSummary[] }).items[0]!;
    const c2 = app.audiences.getChecklist(after.id);
    expect(c2.complete).toBe(true);
    expect(c2.items.timing.note).toBe('Rispondere entro 30 minuti');
    expect(app.audiences.riskArea(after.id)).toBe('strong');
  }, 120_000);

  it('bad rules are refused in Italian and nothing is saved', async () => {
    const { app } = testApp();
    await expect(app.dispatch('audiences.create', { name: 'Vuoto', type: 'primary', rules: {} })).rejects.toMatchObject({ details: [{ text: expect.stringContaining('serve almeno una regola') as unknown }] });
    await expect(app.dispatch('audiences.create', { name: '', type: 'primary', rules: { sources: ['X'] } })).rejects.toMatchObject({ code: 'invalid' });
    await app.dispatch('audiences.create', { name: 'Uno', type: 'primary', rules: { sources: ['X'] } });
    await expect(app.dispatch('audiences.create', { name: 'uno', type: 'generic', rules: { sources: ['Y'] } })).rejects.toMatchObject({ code: 'conflict' });
    expect(((await app.dispatch('audiences.list', {})) as { items: unknown[] }).items).toHaveLength(1);
    await expect(app.dispatch('risk.moment', { momentId: 999 })).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('re-reading the store for new audiences', () => {
  it('audiences made while a re-read runs join it: one pass over the store, and each gets exactly its members', async () => {
    const { app } = testApp();
    const N = 9_000;
    const sources = ['Forum Caffè', 'Blog', 'Recensioni'];
    const tags = ['#caffè', '#crema', '#moka'];
    for (let i = 0; i < N; i += 500) {
      app.ingestWebhook(
        Array.from({ length: 500 }, (_, k) => {
          const n = i + k;
          return { source: sources[n % 3]!, external_id: `a-${n}`, author: `u${n % 700}`, text: `messaggio ${n} sulla ${tags[n % 7 % 3]!} di oggi`, published_at: new Date(T0 + n * 1_000).toISOString() };
        }),
      );
    }
    const svc = app.audiences as unknown as { repo: AudiencesRepo; idle(): Promise<void> };
    await svc.idle();
    let scanned = 0;
    const scan = svc.repo.scan.bind(svc.repo);
    svc.repo.scan = (afterId, limit) => {
      const rows = scan(afterId, limit);
      scanned += rows.length;
      return rows;
    };
    const defs = [
      { name: 'Forum', rules: { sources: ['Forum Caffè'] }, expected: N / 3 },
      { name: 'Blog', rules: { sources: ['Blog'] }, expected: N / 3 },
      { name: 'Crema', rules: { hashtags: ['crema'] }, expected: Array.from({ length: N }, (_, n) => n % 7 % 3 === 1).filter(Boolean).length },
      { name: 'Moka o recensioni', rules: { sources: ['Recensioni'], hashtags: ['moka'] }, expected: Array.from({ length: N }, (_, n) => n % 3 === 2 || n % 7 % 3 === 2).filter(Boolean).length },
    ];
    // The first starts the re-read; the others arrive while it runs, one chunk apart.
    const ids: number[] = [];
    for (const d of defs) {
      ids.push(((await app.dispatch('audiences.create', { name: d.name, type: 'generic', rules: d.rules })) as { id: number }).id);
      await new Promise((r) => setImmediate(r));
    }
    await svc.idle();
    const list = (await app.dispatch('audiences.list', {})) as { items: { id: number; mentionCount: number }[]; rematch: { running: boolean } };
    expect(list.rematch.running).toBe(false);
    for (const [i, d] of defs.entries()) expect(list.items.find((a) => a.id === ids[i])!.mentionCount, d.name).toBe(d.expected);
    // One pass, plus going round to where the last one joined: never one pass per audience.
    expect(scanned).toBeGreaterThanOrEqual(N);
    expect(scanned).toBeLessThan(2 * N);
    console.log(`4 audiences made a chunk apart: ${scanned} rows read for ${N} stored`);

    // Made back to back (a script, or a person quick with the form): about one pass.
    scanned = 0;
    const more = [
      { name: 'Forum 2', rules: { sources: ['Forum Caffè'] }, expected: N / 3 },
      { name: 'Recensioni', rules: { sources: ['Recensioni'] }, expected: N / 3 },
      { name: 'Caffè', rules: { hashtags: ['#caffè'] }, expected: Array.from({ length: N }, (_, n) => n % 7 % 3 === 0).filter(Boolean).length },
    ];
    const moreIds: number[] = [];
    for (const d of more) moreIds.push(((await app.dispatch('audiences.create', { name: d.name, type: 'generic', rules: d.rules })) as { id: number }).id);
    await svc.idle();
    const after = (await app.dispatch('audiences.list', {})) as { items: { id: number; mentionCount: number }[] };
    for (const [i, d] of more.entries()) expect(after.items.find((a) => a.id === moreIds[i])!.mentionCount, d.name).toBe(d.expected);
    expect(scanned).toBeLessThan(1.5 * N);
    console.log(`3 audiences made back to back: ${scanned} rows read for ${N} stored`);
  }, 60_000);
});

describe('audiences built on themes, when a theme changes', () => {
  it('wait for the themes\' re-match and then re-read the store once, with the new matches', async () => {
    const { app } = testApp();
    const brand = (await app.dispatch('perimeters.brandCreate', { name: 'Aurora' })) as { id: number };
    const theme = (await app.dispatch('perimeters.themeCreate', { brandId: brand.id, name: 'Capsule', query: 'capsule', swot: 'threat' })) as { id: number };
    const N = 6_000;
    for (let i = 0; i < N; i += 500) {
      app.ingestWebhook(Array.from({ length: 500 }, (_, k) => ({ source: 'Forum', external_id: `t-${i + k}`, text: (i + k) % 2 ? `le capsule ${i + k}` : `la moka ${i + k}`, published_at: new Date(T0 + (i + k) * 1_000).toISOString() })));
    }
    const perimeters = (app as unknown as { perimeters: { busy: boolean } }).perimeters;
    const svc = app.audiences as unknown as { repo: AudiencesRepo; idle(): Promise<void> };
    const audience = (await app.dispatch('audiences.create', { name: 'Chi parla del tema', type: 'generic', rules: { themeIds: [theme.id] } })) as { id: number };
    await svc.idle();
    const count = async () => ((await app.dispatch('audiences.list', {})) as { items: { id: number; mentionCount: number }[] }).items.find((a) => a.id === audience.id)!.mentionCount;
    expect(await count()).toBe(N / 2);

    let scanned = 0;
    const scan = svc.repo.scan.bind(svc.repo);
    svc.repo.scan = (afterId, limit) => {
      const rows = scan(afterId, limit);
      scanned += rows.length;
      return rows;
    };
    await app.dispatch('perimeters.themeUpdate', { id: theme.id, brandId: brand.id, name: 'Capsule e moka', query: 'capsule OR moka', swot: 'threat' });
    while (perimeters.busy) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 50));
    await svc.idle();
    expect(await count()).toBe(N);
    // Once, after the theme's matches were there: not once at the edit and again at its end.
    expect(scanned).toBe(N);
  }, 60_000);
});
