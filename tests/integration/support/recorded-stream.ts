// A recorded stream for the moments' clock tests: ordinary chatter from 16:30 to 18:20, a
// pile-on of insults on the brand's own post from 18:12:31 (several per second, stamped to the
// second, so many share a published time), a positive trend from 18:50. Deterministic (seeded), so every path receives
// the same items. Stamped in the past (November 2026), never near the wall clock.
import Database from 'better-sqlite3';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openApp } from '../../../src/app/app';
import { silentLogger } from '../../../src/core/platform';
import { resourcesDir } from './app';

export type Item = Record<string, unknown> & { published_at: string; external_id: string };

export const STREAM_START = Date.parse('2026-11-20T16:30:00Z');
export const PILE_ON_AT = STREAM_START + 102 * 60_000 + 31_000;
export const TREND_AT = STREAM_START + 140 * 60_000;
const MIN = 60_000;

/** A small linear congruential generator: the same numbers on every machine. */
export function seeded(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    return s / 2_147_483_648;
  };
}

const secondOf = (ms: number): string => new Date(Math.floor(ms / 1000) * 1000).toISOString();

export function recordedStream(): Item[] {
  const r = seeded(7);
  const out: Item[] = [];
  const chatter = [
    'Pausa caffè al bar con gli amici',
    'Il barista di Aurora stamattina era gentile',
    'Preso un cappuccino prima del lavoro',
    'Qualcuno ha provato la nuova macchinetta?',
    'Caffè Aurora buono come sempre',
    'Le capsule Aurora arrivano sempre puntuali',
  ];
  let i = 0;
  for (let t = STREAM_START; t < STREAM_START + 110 * MIN; t += 20_000 + r() * 60_000) {
    out.push({ source: 'Reddit r/italy', external_id: `q${i}`, author: `q${i % 23}`, text: chatter[i % chatter.length]!, lang: 'it', published_at: secondOf(t) });
    i++;
  }
  const insults = ['Vergogna Caffè Aurora, capsule con la muffa, schifo!', 'Che schifo, boicottiamo Aurora', 'Vergogna!', 'Mai più Aurora, capsule marce, vergogna'];
  let p = PILE_ON_AT;
  for (let k = 0; k < 300; k++) {
    out.push({ source: 'Instagram @caffeaurora', thread_id: 'ig-post-1', external_id: `c${k}`, author: `angry${k}`, text: insults[k % insults.length]!, lang: 'it', published_at: secondOf(p) });
    p += r() * 2_500;
  }
  let q = TREND_AT;
  for (let k = 0; k < 120; k++) {
    out.push({
      source: 'Instagram @caffeaurora',
      thread_id: 'ig-post-2',
      external_id: `o${k}`,
      author: `fan${k}`,
      text: 'Bellissima la degustazione della settimana del caffè, fantastico! #settimanadelcaffe',
      lang: 'it',
      published_at: secondOf(q),
    });
    q += r() * 15_000;
  }
  // Stable: items of the same second keep the order they were written in.
  return out.sort((a, b) => Date.parse(a.published_at) - Date.parse(b.published_at));
}

export const toJsonl = (items: readonly Item[]): string => `${items.map((i) => JSON.stringify(i)).join('\n')}\n`;

/**
 * A data folder whose store holds the perimeter the stream is judged by (a brand, an in-perimeter
 * opportunity theme, a sensitive boycott theme), built once through the real core and copied
 * into each workspace, so every path starts from the same store.
 */
export async function perimeterTemplate(dir: string): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const app = openApp({ platform: { dataDir: dir, resourcesDir, now: () => Date.now(), logger: silentLogger }, mode: 'cli' });
  try {
    const brand = (await app.dispatch('perimeters.brandCreate', { name: 'Caffè Aurora' })) as { id: number };
    await app.dispatch('perimeters.themeCreate', { brandId: brand.id, name: 'Settimana del caffè', query: 'degustazione OR "settimana del caffè"', swot: 'opportunity', stance: 'in_perimeter' });
    await app.dispatch('perimeters.themeCreate', { brandId: brand.id, name: 'Boicottaggio', query: 'boicott* OR vergogna', swot: 'threat', stance: 'sensitive' });
  } finally {
    app.close();
  }
  return dir;
}

/** A fresh workspace holding a copy of the template's store. */
export function workspaceFrom(template: string, dir: string): string {
  mkdirSync(dir, { recursive: true });
  for (const f of ['vedetta.db', 'vedetta.db-wal', 'vedetta.db-shm']) if (existsSync(join(template, f))) copyFileSync(join(template, f), join(dir, f));
  return dir;
}

export interface StoredMoment {
  kind: string;
  key: string;
  title: string;
  openedAt: string;
  closedAt: string | null;
  volume: number;
  negative: number;
}

/** The moments a workspace's SQLite file holds, in opening order (read-only: a server may be running). */
export function storedMoments(dataDir: string, shiftMs = 0): StoredMoment[] {
  const db = new Database(join(dataDir, 'vedetta.db'), { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare<[], { kind: string; key: string; title: string; opened_at: number; closed_at: number | null; volume: number; negative: number }>(
        'SELECT kind, key, title, opened_at, closed_at, volume, negative FROM moments ORDER BY opened_at, kind, key',
      )
      .all()
      .map((m) => ({
        kind: m.kind,
        key: m.key,
        title: m.title,
        openedAt: new Date(m.opened_at - shiftMs).toISOString(),
        closedAt: m.closed_at === null ? null : new Date(m.closed_at - shiftMs).toISOString(),
        volume: m.volume,
        negative: m.negative,
      }));
  } finally {
    db.close();
  }
}

/** One stored mention's published time, ms. */
export function storedPublishedAt(dataDir: string, externalId: string): number {
  const db = new Database(join(dataDir, 'vedetta.db'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare<[string], { at: number }>('SELECT published_at AS at FROM mentions WHERE external_id = ?').get(externalId)!.at;
  } finally {
    db.close();
  }
}
