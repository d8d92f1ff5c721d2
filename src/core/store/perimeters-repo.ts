// SQL of brand perimeters (brands, products, themes), of mention ↔ theme matches and of the
// persisted re-match jobs.
import type { Brand, MentionTheme, Product, PerimeterTheme, Stance, Swot } from '../../shared/perimeters';
import type { MatchSpan } from '../analysis';
import type { Db } from './db';

const iso = (ms: number): string => new Date(ms).toISOString();

interface ThemeRow {
  id: number;
  brand_id: number;
  product_id: number | null;
  name: string;
  query: string;
  swot: Swot;
  stance: Stance;
  weight: number;
  created_at: number;
  updated_at: number;
}

export interface ThemeFields {
  brandId: number;
  productId: number | null;
  name: string;
  query: string;
  swot: Swot;
  stance: Stance;
  weight: number;
}

export interface MatchRow {
  mentionId: number;
  themeId: number;
  relevance: number;
  spans: MatchSpan[];
  publishedAt: number;
}

/** What the matcher needs of a stored mention. */
export interface MatchableMention {
  id: number;
  title: string | null;
  text: string;
  lang: string;
  url: string | null;
  author_key: string | null;
  published_at: number;
  source_name: string;
  source_kind: string;
}

export interface RematchJobRow {
  theme_id: number;
  kind: 'match' | 'purge';
  cursor_id: number;
  done: number;
  total: number;
}

/** A theme as defined, without its mention count (see PerimetersRepo.themeDefs). */
export type ThemeDef = Omit<PerimeterTheme, 'mentionCount'>;

function toThemeDef(r: ThemeRow): ThemeDef {
  return {
    id: r.id,
    brandId: r.brand_id,
    productId: r.product_id,
    name: r.name,
    query: r.query,
    swot: r.swot,
    stance: r.stance,
    weight: r.weight,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

function toTheme(r: ThemeRow, count: number): PerimeterTheme {
  return { ...toThemeDef(r), mentionCount: count };
}

export class PerimetersRepo {
  private readonly s;

  constructor(private readonly db: Db) {
    this.s = {
      brands: db.prepare<[], { id: number; name: string; created_at: number }>('SELECT id, name, created_at FROM brands ORDER BY name'),
      brand: db.prepare<[number], { id: number; name: string; created_at: number }>('SELECT id, name, created_at FROM brands WHERE id = ?'),
      insertBrand: db.prepare<[string, number], { id: number }>('INSERT INTO brands (name, created_at) VALUES (?, ?) RETURNING id'),
      renameBrand: db.prepare<[string, number]>('UPDATE brands SET name = ? WHERE id = ?'),
      deleteBrand: db.prepare<[number]>('DELETE FROM brands WHERE id = ?'),
      products: db.prepare<[], { id: number; brand_id: number; name: string; created_at: number }>(
        'SELECT id, brand_id, name, created_at FROM products ORDER BY name',
      ),
      product: db.prepare<[number], { id: number; brand_id: number; name: string; created_at: number }>(
        'SELECT id, brand_id, name, created_at FROM products WHERE id = ?',
      ),
      insertProduct: db.prepare<[number, string, number], { id: number }>(
        'INSERT INTO products (brand_id, name, created_at) VALUES (?, ?, ?) RETURNING id',
      ),
      renameProduct: db.prepare<[string, number]>('UPDATE products SET name = ? WHERE id = ?'),
      deleteProduct: db.prepare<[number]>('DELETE FROM products WHERE id = ?'),
      themes: db.prepare<[], ThemeRow>('SELECT * FROM themes ORDER BY name'),
      theme: db.prepare<[number], ThemeRow>('SELECT * FROM themes WHERE id = ?'),
      themeIdsOfBrand: db.prepare<[number], { id: number }>('SELECT id FROM themes WHERE brand_id = ?'),
      themeIdsOfProduct: db.prepare<[number], { id: number }>('SELECT id FROM themes WHERE product_id = ?'),
      counts: db.prepare<[], { theme_id: number; n: number }>(
        'SELECT theme_id, COUNT(*) AS n FROM mention_themes WHERE theme_id IN (SELECT id FROM themes) GROUP BY theme_id',
      ),
      countOne: db.prepare<[number], { n: number }>('SELECT COUNT(*) AS n FROM mention_themes WHERE theme_id = ?'),
      insertTheme: db.prepare<[number, number | null, string, string, Swot, Stance, number, number, number], { id: number }>(
        `INSERT INTO themes (brand_id, product_id, name, query, swot, stance, weight, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      ),
      updateTheme: db.prepare<[number, number | null, string, string, Swot, Stance, number, number, number]>(
        `UPDATE themes SET brand_id = ?, product_id = ?, name = ?, query = ?, swot = ?, stance = ?, weight = ?, updated_at = ?
         WHERE id = ?`,
      ),
      deleteTheme: db.prepare<[number]>('DELETE FROM themes WHERE id = ?'),
      insertMatch: db.prepare<[number, number, number, string, number]>(
        `INSERT INTO mention_themes (mention_id, theme_id, relevance, spans, published_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (mention_id, theme_id) DO UPDATE SET relevance = excluded.relevance, spans = excluded.spans`,
      ),
      insertNewMatch: db.prepare<[number, number, number, string, number]>(
        'INSERT INTO mention_themes (mention_id, theme_id, relevance, spans, published_at) VALUES (?, ?, ?, ?, ?)',
      ),
      deleteMatch: db.prepare<[number, number]>('DELETE FROM mention_themes WHERE mention_id = ? AND theme_id = ?'),
      matchesOf: db.prepare<[string], { mention_id: number; theme_id: number; relevance: number; spans: string }>(
        `SELECT mt.mention_id, mt.theme_id, mt.relevance, mt.spans FROM mention_themes mt
         JOIN themes t ON t.id = mt.theme_id
         WHERE mt.mention_id IN (SELECT value FROM json_each(?))
         ORDER BY mt.relevance DESC, mt.theme_id`,
      ),
      purgeBatch: db.prepare<[number, number]>(
        `DELETE FROM mention_themes WHERE theme_id = ? AND mention_id IN
           (SELECT mention_id FROM mention_themes WHERE theme_id = ? LIMIT 2000)`,
      ),
      mentionsBelow: db.prepare<[number, number], MatchableMention>(
        `SELECT m.id, m.title, m.text, m.lang, m.canonical_url AS url, m.author_key, m.published_at,
                s.name AS source_name, s.kind AS source_kind
         FROM mentions m JOIN sources s ON s.id = m.source_id
         WHERE m.id <= ? ORDER BY m.id DESC LIMIT ?`,
      ),
      // The index's candidates, newest first: FTS5 walks its rowids downwards itself.
      candidatesBelow: db.prepare<[string, number, number, number], MatchableMention>(
        `SELECT m.id, m.title, m.text, m.lang, m.canonical_url AS url, m.author_key, m.published_at,
                s.name AS source_name, s.kind AS source_kind
         FROM mentions_fts f JOIN mentions m ON m.id = f.rowid JOIN sources s ON s.id = m.source_id
         WHERE mentions_fts MATCH ? AND f.rowid <= ? AND f.rowid > ? ORDER BY f.rowid DESC LIMIT ?`,
      ),
      idAtRank: db.prepare<[number], { id: number }>('SELECT id FROM mentions ORDER BY id DESC LIMIT 1 OFFSET ?'),
      maxMentionId: db.prepare<[], { id: number | null }>('SELECT MAX(id) AS id FROM mentions'),
      // Without a WHERE, SQLite counts on the smallest index, not the table's rows (ms, not 100s of ms, at 1,000,000).
      countAll: db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM mentions'),
      jobs: db.prepare<[], RematchJobRow>('SELECT theme_id, kind, cursor_id, done, total FROM rematch_jobs ORDER BY created_at, theme_id'),
      upsertJob: db.prepare<[number, string, number, number, number]>(
        `INSERT INTO rematch_jobs (theme_id, kind, cursor_id, done, total, created_at) VALUES (?, ?, ?, 0, ?, ?)
         ON CONFLICT (theme_id) DO UPDATE SET kind = excluded.kind, cursor_id = excluded.cursor_id, done = 0,
           total = excluded.total, created_at = excluded.created_at`,
      ),
      jobProgress: db.prepare<[number, number, number]>('UPDATE rematch_jobs SET cursor_id = ?, done = ? WHERE theme_id = ?'),
      deleteJob: db.prepare<[number]>('DELETE FROM rematch_jobs WHERE theme_id = ?'),
    };
  }

  // --- brands and products ---

  brands(): Brand[] {
    return this.s.brands.all().map((r) => ({ id: r.id, name: r.name, createdAt: iso(r.created_at) }));
  }
  brand(id: number): Brand | null {
    const r = this.s.brand.get(id);
    return r ? { id: r.id, name: r.name, createdAt: iso(r.created_at) } : null;
  }
  createBrand(name: string, now: number): number {
    return this.s.insertBrand.get(name, now)!.id;
  }
  renameBrand(id: number, name: string): boolean {
    return this.s.renameBrand.run(name, id).changes > 0;
  }
  /** Deletes a brand with its products and themes; returns the themes that went with it. */
  deleteBrand(id: number): number[] {
    const ids = this.s.themeIdsOfBrand.all(id).map((r) => r.id);
    this.s.deleteBrand.run(id);
    return ids;
  }

  products(): Product[] {
    return this.s.products.all().map((r) => ({ id: r.id, brandId: r.brand_id, name: r.name, createdAt: iso(r.created_at) }));
  }
  product(id: number): Product | null {
    const r = this.s.product.get(id);
    return r ? { id: r.id, brandId: r.brand_id, name: r.name, createdAt: iso(r.created_at) } : null;
  }
  createProduct(brandId: number, name: string, now: number): number {
    return this.s.insertProduct.get(brandId, name, now)!.id;
  }
  renameProduct(id: number, name: string): boolean {
    return this.s.renameProduct.run(name, id).changes > 0;
  }
  deleteProduct(id: number): number[] {
    const ids = this.s.themeIdsOfProduct.all(id).map((r) => r.id);
    this.s.deleteProduct.run(id);
    return ids;
  }

  // --- themes ---

  /**
   * The themes as defined. What matching, moments and the checklist read: the counts of
   * themes() walk every stored match (~50 ms at 300,000 mentions, on the thread that asks).
   */
  themeDefs(): ThemeDef[] {
    return this.s.themes.all().map(toThemeDef);
  }
  /** The themes with how many stored mentions each matches, for the Perimetri list. */
  themes(): PerimeterTheme[] {
    const counts = new Map(this.s.counts.all().map((r) => [r.theme_id, r.n]));
    return this.s.themes.all().map((r) => toTheme(r, counts.get(r.id) ?? 0));
  }
  theme(id: number): PerimeterTheme | null {
    const r = this.s.theme.get(id);
    return r ? toTheme(r, this.s.countOne.get(id)?.n ?? 0) : null;
  }
  createTheme(f: ThemeFields, now: number): number {
    return this.s.insertTheme.get(f.brandId, f.productId, f.name, f.query, f.swot, f.stance, f.weight, now, now)!.id;
  }
  updateTheme(id: number, f: ThemeFields, now: number): boolean {
    return this.s.updateTheme.run(f.brandId, f.productId, f.name, f.query, f.swot, f.stance, f.weight, now, id).changes > 0;
  }
  deleteTheme(id: number): boolean {
    return this.s.deleteTheme.run(id).changes > 0;
  }

  // --- matches ---

  /** Writes matches; call inside the caller's transaction. */
  putMatches(rows: readonly MatchRow[]): void {
    for (const r of rows) this.s.insertMatch.run(r.mentionId, r.themeId, r.relevance, JSON.stringify(r.spans), r.publishedAt);
  }
  /** Matches of mentions just inserted (no earlier row can exist): a plain insert. */
  insertNewMatches(rows: readonly MatchRow[]): void {
    for (const r of rows) this.s.insertNewMatch.run(r.mentionId, r.themeId, r.relevance, JSON.stringify(r.spans), r.publishedAt);
  }
  deleteMatch(mentionId: number, themeId: number): void {
    this.s.deleteMatch.run(mentionId, themeId);
  }
  /** Matches of live themes for these mentions, most relevant first. */
  themesOf(mentionIds: readonly number[]): Map<number, MentionTheme[]> {
    const out = new Map<number, MentionTheme[]>();
    if (mentionIds.length === 0) return out;
    for (const r of this.s.matchesOf.all(JSON.stringify(mentionIds))) {
      let spans: MentionTheme['spans'] = [];
      try {
        spans = JSON.parse(r.spans) as MentionTheme['spans'];
      } catch {
        /* a damaged spans cell shows the chip without highlights */
      }
      const list = out.get(r.mention_id) ?? [];
      list.push({ themeId: r.theme_id, relevance: r.relevance, spans });
      out.set(r.mention_id, list);
    }
    return out;
  }
  countMatchesOf(themeId: number): number {
    return this.s.countOne.get(themeId)?.n ?? 0;
  }
  /** Deletes up to 2,000 matches of a theme; returns how many. */
  purgeSome(themeId: number): number {
    return this.s.purgeBatch.run(themeId, themeId).changes;
  }

  // --- mentions to match ---

  mentionsBelow(id: number, limit: number): MatchableMention[] {
    return this.s.mentionsBelow.all(id, limit);
  }
  /** Mentions the full-text expression names, id ≤ `id` and > `floor`, newest first. */
  candidatesBelow(fts: string, id: number, floor: number, limit: number): MatchableMention[] {
    return this.s.candidatesBelow.all(fts, id, floor, limit);
  }
  /** The id of the `rank`-th newest mention (1 = the newest); 0 when there are fewer. */
  idAtRank(rank: number): number {
    return this.s.idAtRank.get(rank - 1)?.id ?? 0;
  }
  maxMentionId(): number {
    return this.s.maxMentionId.get()?.id ?? 0;
  }
  countMentions(): number {
    return this.s.countAll.get()?.n ?? 0;
  }

  // --- re-match jobs ---

  jobs(): RematchJobRow[] {
    return this.s.jobs.all();
  }
  putJob(themeId: number, kind: 'match' | 'purge', cursorId: number, total: number, now: number): void {
    this.s.upsertJob.run(themeId, kind, cursorId, total, now);
  }
  jobProgress(themeId: number, cursorId: number, done: number): void {
    this.s.jobProgress.run(cursorId, done, themeId);
  }
  deleteJob(themeId: number): void {
    this.s.deleteJob.run(themeId);
  }
}
