// Bot/spam flags and cross-source dedup, through the real ingest pipeline on a real SQLite file.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EventBus } from '../../src/core/api/events';
import { IngestPipeline } from '../../src/core/ingest/pipeline';
import { isSubstantial } from '../../src/core/ingest/quality';
import { openDatabase } from '../../src/core/store/db';
import { MentionsRepo } from '../../src/core/store/mentions-repo';
import { SourcesRepo } from '../../src/core/store/sources-repo';
import { FLAG_RULES } from '../../src/shared/mention-flags';
import { onClose, tempDir } from './support/core';

const T0 = Date.UTC(2026, 2, 1, 12, 0, 0);
const at = (sec: number): string => new Date(T0 + sec * 1000).toISOString();

function setup() {
  const db = openDatabase(join(tempDir(), 'v.db'));
  onClose(() => db.close());
  const mentions = new MentionsRepo(db);
  const events = new EventBus();
  const flaggedEvents: { id: number; flag: { kind: string } }[][] = [];
  events.subscribe((name, payload) => {
    if (name === 'mentions.flagged') flaggedEvents.push((payload as { items: { id: number; flag: { kind: string } }[] }).items);
  });
  const pipeline = new IngestPipeline({ db, mentions, sources: new SourcesRepo(db), events, now: () => T0, secret: () => 'k'.repeat(64) });
  const all = () => mentions.list({}, undefined, 1000).items;
  return { pipeline, mentions, all, flaggedEvents };
}

const CAMPAIGN = 'Caffè Aurora usa chicchi scadenti, boicottiamolo tutti! Condividete prima che lo cancellino.';

describe('bot/spam flags', () => {
  it('a pile-on of short reactions ("Vergogna!") from a hundred people is never flagged, nor merged', () => {
    const { pipeline, all } = setup();
    const res = pipeline.ingest(
      Array.from({ length: 100 }, (_, i) => ({ source: 'social', external_id: `v${i}`, author: `persona${i}`, text: 'Vergogna!', published_at: at(i % 20) })),
      'webhook',
    );
    expect(res.accepted).toBe(100);
    expect(all().filter((m) => m.flag)).toHaveLength(0);
    expect(isSubstantial('Vergogna!')).toBe(false);
    expect(isSubstantial('Vergogna! https://example.com/x')).toBe(true);
  });

  it('the same long text from many authors within seconds is a copy-paste campaign: all copies flagged, earlier ones too', () => {
    const { pipeline, all, flaggedEvents } = setup();
    // Arrives in two batches: the first 3 copies alone are not enough.
    pipeline.ingest([0, 1, 2].map((i) => ({ source: 'social', external_id: `c${i}`, author: `bot${i}`, text: CAMPAIGN, published_at: at(i * 5) })), 'webhook');
    expect(all().filter((m) => m.flag)).toHaveLength(0);
    const second = pipeline.ingest(
      [3, 4, 5].map((i) => ({ source: 'social', external_id: `c${i}`, author: `bot${i}`, text: `  ${CAMPAIGN.toUpperCase()} `, published_at: at(i * 5) })),
      'webhook',
    );
    expect(second.added.every((m) => m.flag?.kind === 'copy_campaign')).toBe(true);
    expect(second.added[0]!.flag).toEqual({ kind: 'copy_campaign', count: 6, windowSec: FLAG_RULES.copyCampaign.windowSec });
    expect(flaggedEvents.flat().map((f) => f.id).sort()).toHaveLength(3);
    const stored = all();
    expect(stored).toHaveLength(6); // flagged, never deleted
    expect(stored.every((m) => m.flag?.kind === 'copy_campaign')).toBe(true);
    // An unrelated mention and the same text an hour later by one person stay clean.
    pipeline.ingest([{ source: 'social', external_id: 'late', author: 'umano', text: CAMPAIGN, published_at: at(3600) }], 'webhook');
    expect(all().find((m) => m.externalId === 'late')?.flag ?? null).toBeNull();
  });

  it('the same long text from ONE author repeated is not a campaign of many', () => {
    const { pipeline, all } = setup();
    pipeline.ingest([0, 1, 2, 3, 4, 5].map((i) => ({ source: 'social', external_id: `s${i}`, author: 'unico', text: CAMPAIGN, published_at: at(i * 30) })), 'webhook');
    expect(all().some((m) => m.flag?.kind === 'copy_campaign')).toBe(false);
  });

  it('an author posting faster than a person can is flagged; a normal pace is not', () => {
    const { pipeline, all } = setup();
    pipeline.ingest(
      Array.from({ length: 10 }, (_, i) => ({ source: 'social', external_id: `f${i}`, author: 'raffica', text: `messaggio diverso numero ${i}`, published_at: at(i * 3) })),
      'webhook',
    );
    pipeline.ingest(
      Array.from({ length: 10 }, (_, i) => ({ source: 'social', external_id: `n${i}`, author: 'calmo', text: `pensiero ${i}`, published_at: at(i * 120) })),
      'webhook',
    );
    const fast = all().filter((m) => m.externalId?.startsWith('f'));
    expect(fast.every((m) => m.flag?.kind === 'fast_author')).toBe(true);
    expect(fast[0]!.flag).toEqual({ kind: 'fast_author', count: 10, windowSec: FLAG_RULES.fastAuthor.windowSec });
    expect(all().filter((m) => m.externalId?.startsWith('n')).some((m) => m.flag)).toBe(false);
  });
});

describe('cross-source dedup', () => {
  const ARTICLE = 'https://news.example.it/economia/caffe-aurora-chiude-tre-locali';

  it('the same canonical URL from a second source is skipped (counted as a duplicate), tracking parameters ignored', () => {
    const { pipeline, all } = setup();
    const a = pipeline.ingest([{ source: 'Feed notizie', external_id: 'guid-1', url: ARTICLE, title: 'Aurora chiude tre locali', text: 'Articolo', published_at: at(0) }], 'import');
    const b = pipeline.ingest(
      [{ source: 'Google Alerts', external_id: 'alert-9', url: `${ARTICLE}?utm_source=alerts&fbclid=x`, title: 'Aurora chiude tre locali', text: 'Articolo', published_at: at(60) }],
      'import',
    );
    expect(a.accepted).toBe(1);
    expect(b).toMatchObject({ accepted: 0, duplicates: 1 });
    expect(all()).toHaveLength(1);
    expect(all()[0]!.sourceName).toBe('Feed notizie');
  });

  it("a site's home page as URL is not an identity: two feeds linking every item to / keep their items", () => {
    const { pipeline, all } = setup();
    pipeline.ingest([{ source: 'A', external_id: '1', url: 'https://blog.example.it/', text: 'primo articolo del blog A', published_at: at(0) }], 'import');
    pipeline.ingest([{ source: 'B', external_id: '1', url: 'https://blog.example.it/', text: 'tutt’altro articolo del blog B', published_at: at(0) }], 'import');
    expect(all()).toHaveLength(2);
  });

  it('a titled article with a link syndicated to another source is skipped; people\'s posts are not merged', () => {
    const { pipeline, all } = setup();
    const long = `Caffè Aurora annuncia la chiusura di tre locali a Milano entro giugno, i dipendenti saranno ricollocati. ${ARTICLE}`;
    const title = 'Aurora chiude tre locali';
    pipeline.ingest([{ source: 'Feed Ansa', external_id: 'a1', author: 'redazione', title, text: long, published_at: at(0) }], 'import');
    const dup = pipeline.ingest([{ source: 'Feed aggregatore', external_id: 'g1', title, text: long, published_at: at(30) }], 'import');
    expect(dup).toMatchObject({ accepted: 0, duplicates: 1 });
    // The same long text posted by people (no title) in two places: two mentions.
    pipeline.ingest([{ source: 'Mastodon', external_id: 'p1', author: 'elena', text: long, published_at: at(1) }], 'webhook');
    const cross = pipeline.ingest([{ source: 'Bluesky', external_id: 'p2', author: 'elena', text: long, published_at: at(2) }], 'webhook');
    expect(cross.accepted).toBe(1);
    // Short identical words across sources are people, not copies.
    pipeline.ingest([{ source: 'Mastodon', external_id: 'm2', author: 'anna', text: 'Che tristezza', published_at: at(5) }], 'webhook');
    const short = pipeline.ingest([{ source: 'Bluesky', external_id: 'b2', author: 'bruno', text: 'Che tristezza', published_at: at(6) }], 'webhook');
    expect(short.accepted).toBe(1);
    // Within one source, identical long texts by different people are stored (and judged by the flags).
    const same = pipeline.ingest([{ source: 'Mastodon', external_id: 'm3', author: 'carla', text: long, published_at: at(40) }], 'webhook');
    expect(same.accepted).toBe(1);
    // Once an article exists twice it is a pattern, not syndication: a third feed keeps its copy.
    pipeline.ingest([{ source: 'Feed Ansa', external_id: 'a2', title, text: `${long} `, published_at: at(45) }], 'import');
    const third = pipeline.ingest([{ source: 'Feed terzo', external_id: 't1', title, text: long, published_at: at(50) }], 'import');
    expect(third.accepted).toBe(1);
    expect(all()).toHaveLength(8);
  });
});
