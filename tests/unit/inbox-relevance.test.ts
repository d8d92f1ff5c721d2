// "Most relevant" across all themes: the same order as computing every mention's best live
// relevance and sorting (the reference below), page after page, filters included.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Cursor, MentionQuery } from '../../src/shared/contract';
import { openDatabase } from '../../src/core/store/db';
import { MentionsRepo } from '../../src/core/store/mentions-repo';
import { onClose, tempDir } from './support/core';

const T0 = Date.UTC(2026, 10, 20, 8);

/** A store with mentions, themes (one deleted) and matches: ties, zero relevance, unmatched. */
function seeded() {
  const db = openDatabase(join(tempDir(), 'vedetta.db'));
  onClose(() => db.close());
  const now = T0;
  db.prepare(`INSERT INTO sources (kind, name, created_at) VALUES ('import', 'uno', 0), ('import', 'due', 0)`).run();
  const brand = db.prepare('INSERT INTO brands (name, created_at) VALUES (?, ?)').run('Aurora', now).lastInsertRowid;
  const theme = db.prepare(`INSERT INTO themes (brand_id, name, query, swot, created_at, updated_at) VALUES (?, ?, 'x', 'threat', ?, ?)`);
  const themes = [1, 2, 3, 4, 5].map((i) => Number(theme.run(brand, `t${i}`, now, now).lastInsertRowid));
  const mention = db.prepare(
    `INSERT INTO mentions (source_id, dedup_key, content_hash, text, lang, published_at, fetched_at) VALUES (?, ?, 'h', ?, ?, ?, ?)`,
  );
  const match = db.prepare('INSERT INTO mention_themes (mention_id, theme_id, relevance, spans, published_at) VALUES (?, ?, ?, ?, ?)');
  // A deterministic pseudo-random sequence, so a failure reproduces.
  let seed = 7;
  const rnd = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const rels = [0, 0.25, 0.5, 0.5, 0.75, 1];
  const ids: number[] = [];
  for (let i = 0; i < 400; i++) {
    // Some mentions share a published time: the id breaks the tie.
    const at = T0 + Math.floor(i / 3) * 60_000;
    const id = Number(mention.run(1 + (i % 2), `k${i}`, i % 5 === 0 ? `caffè ${i}` : `capsule ${i}`, i % 4 === 0 ? 'en' : 'it', at, at).lastInsertRowid);
    ids.push(id);
    for (const th of themes) if (rnd() < 0.3) match.run(id, th, rels[Math.floor(rnd() * rels.length)]!, '[]', at);
  }
  // The last theme is deleted: its matches linger until purged and must not count.
  db.prepare('DELETE FROM themes WHERE id = ?').run(themes[4]);
  const mentions = new MentionsRepo(db);
  mentions.indexText(ids);
  return { db, mentions };
}

/** The reference: every mention's best live relevance, then newest first. */
function reference(db: ReturnType<typeof seeded>['db'], where = ''): number[] {
  return (
    db
      .prepare(
        `SELECT m.id FROM mentions m ${where} ORDER BY COALESCE((SELECT MAX(mt.relevance) FROM mention_themes mt JOIN themes t ON t.id = mt.theme_id WHERE mt.mention_id = m.id), 0) DESC, m.published_at DESC, m.id DESC`,
      )
      .all() as { id: number }[]
  ).map((r) => r.id);
}

function pageThrough(mentions: MentionsRepo, query: MentionQuery, limit: number): { ids: number[]; total: number } {
  const ids: number[] = [];
  let after: Cursor | undefined;
  let total = 0;
  for (let guard = 0; guard < 1000; guard++) {
    const page = mentions.list(query, after, limit, 'relevance');
    total = page.total;
    ids.push(...page.items.map((m) => m.id));
    if (!page.next) break;
    after = page.next;
  }
  return { ids, total };
}

describe('inbox sorted by relevance across all themes', () => {
  it('pages in the reference order, each mention once, matched ones first then the rest by time', () => {
    const { db, mentions } = seeded();
    const expected = reference(db);
    for (const limit of [1, 7, 50, 1000]) {
      const { ids, total } = pageThrough(mentions, {}, limit);
      expect(ids).toEqual(expected);
      expect(total).toBe(400);
    }
  });

  it('keeps every filter: language, source and words', () => {
    const { db, mentions } = seeded();
    expect(pageThrough(mentions, { langs: ['en'] }, 9).ids).toEqual(reference(db, "WHERE m.lang = 'en'"));
    expect(pageThrough(mentions, { sourceIds: [2] }, 9).ids).toEqual(reference(db, 'WHERE m.source_id = 2'));
    expect(pageThrough(mentions, { text: 'caffe' }, 9).ids).toEqual(reference(db, "WHERE m.text LIKE 'caffè%'"));
  });

  it('a page carries the relevance it was sorted by, for the next cursor', () => {
    const { mentions } = seeded();
    const first = mentions.list({}, undefined, 5, 'relevance');
    expect(first.items).toHaveLength(5);
    expect(first.next?.relevance).toBe(1);
  });
});
