import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openDatabase, DatabaseMissingError } from '../../src/core/store/db';
import { LATEST_SCHEMA_VERSION, migrate, migrations, SchemaTooNewError, schemaVersion } from '../../src/core/store/migrations';
import { MentionsRepo } from '../../src/core/store/mentions-repo';
import { SourceNameTakenError, SourcesRepo } from '../../src/core/store/sources-repo';
import { SettingsRepo, DEFAULT_SETTINGS } from '../../src/core/store/settings-repo';
import { AuditRepo } from '../../src/core/store/audit-repo';
import { ImportReportsRepo } from '../../src/core/store/import-reports-repo';
import { buildFtsQuery } from '../../src/core/store/fts-query';
import { IngestPipeline } from '../../src/core/ingest/pipeline';
import { EventBus } from '../../src/core/api/events';
import { onClose, tempDir } from './support/core';
import { LIMITS } from '../../src/shared/schemas';

function open(file = join(tempDir(), 'v.db')) {
  const db = openDatabase(file);
  onClose(() => db.close());
  return db;
}

function storeWith(texts: { text: string; title?: string }[]) {
  const db = open();
  const mentions = new MentionsRepo(db);
  const sources = new SourcesRepo(db);
  const pipeline = new IngestPipeline({ db, mentions, sources, events: new EventBus(), now: () => Date.UTC(2026, 0, 1), secret: () => 's'.repeat(64) });
  const res = pipeline.ingest(
    texts.map((t, i) => ({ source: 'test', external_id: `e${i}`, published_at: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(), ...t })),
    'import',
  );
  return { db, mentions, sources, ids: res.ids };
}

const search = (m: MentionsRepo, text: string) => m.list({ text }, undefined, 100).items.map((x) => x.text);

describe('migrations', () => {
  it('builds the schema from empty and records the version', () => {
    const db = open();
    expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type IN ('table') ORDER BY name`).all() as { name: string }[];
    const names = tables.map((t) => t.name);
    for (const t of ['sources', 'mentions', 'mentions_fts', 'users', 'user_roles', 'settings', 'audit_log', 'import_reports']) {
      expect(names).toContain(t);
    }
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
  });

  it('re-opening an up-to-date database changes nothing', () => {
    const file = join(tempDir(), 'v.db');
    const a = openDatabase(file);
    new SourcesRepo(a).ensure('import', 'x', 1);
    a.close();
    const b = open(file);
    expect(schemaVersion(b)).toBe(LATEST_SCHEMA_VERSION);
    expect(migrate(b)).toEqual([]);
    expect(new SourcesRepo(b).count()).toBe(1);
  });

  it('runs every pending migration in one transaction: a failing one leaves the database untouched', () => {
    const file = join(tempDir(), 'v.db');
    const db = new Database(file);
    onClose(() => db.close());
    const broken = [...migrations, { version: migrations.length + 1, name: 'broken', up: () => { throw new Error('boom'); } }];
    expect(() => migrate(db, broken)).toThrow('boom');
    expect(schemaVersion(db)).toBe(0);
    expect(db.prepare(`SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'mentions'`).get()).toEqual({ n: 0 });
  });

  it('refuses a database from a newer Vedetta, for writers and readers, with a clear message', () => {
    const file = join(tempDir(), 'v.db');
    openDatabase(file).close();
    const raw = new Database(file);
    raw.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    raw.close();
    expect(() => openDatabase(file)).toThrow(SchemaTooNewError);
    expect(() => openDatabase(file)).toThrow(/versione più recente di Vedetta/);
    expect(() => openDatabase(file, { readonly: true })).toThrow(SchemaTooNewError);
  });

  it('a reader never creates a database', () => {
    const file = join(tempDir(), 'none.db');
    expect(() => openDatabase(file, { readonly: true })).toThrow(DatabaseMissingError);
  });
});

describe('full-text search', () => {
  it('folds accents both ways: "perche" finds "perché" and "perché" finds "perche"', () => {
    const { mentions } = storeWith([{ text: 'Ma perché il caffè è freddo?' }, { text: 'perche no' }, { text: 'altro' }]);
    expect(search(mentions, 'perche')).toHaveLength(2);
    expect(search(mentions, 'PERCHÉ')).toHaveLength(2);
    expect(search(mentions, 'caffe freddo')).toEqual(['Ma perché il caffè è freddo?']);
  });

  it('matches the last word as a prefix, and titles too', () => {
    const { mentions } = storeWith([{ text: 'consegna lenta', title: 'Capsule Aurora' }, { text: 'consegnato ieri' }]);
    expect(search(mentions, 'conse')).toHaveLength(2);
    expect(search(mentions, 'capsul')).toEqual(['consegna lenta']);
  });

  it('user input never reaches FTS syntax: quotes, operators and junk are just words', () => {
    const { mentions } = storeWith([{ text: 'NEAR OR AND "ciao" mondo' }]);
    for (const q of ['"', 'ciao"', 'NOT', 'a OR', '*', '(', 'mondo)', 'col:umn', '^ciao', 'NEAR(', '-', '""""', '\u0000']) {
      expect(() => search(mentions, q)).not.toThrow();
    }
    expect(search(mentions, 'ciao" OR "x')).toHaveLength(0);
    expect(buildFtsQuery('ciao" OR mondo*')).toBe('"ciao" "OR" "mondo"*');
    expect(buildFtsQuery('  ?! ')).toBeNull();
  });

  it('triggers keep the index in step with inserts, updates and deletes', () => {
    const { db, mentions, ids } = storeWith([{ text: 'gatto nero' }, { text: 'cane bianco' }]);
    expect(search(mentions, 'gatto')).toHaveLength(1);
    db.prepare('UPDATE mentions SET text = ? WHERE id = ?').run('gatto bianco', ids[1]);
    expect(search(mentions, 'cane')).toHaveLength(0);
    expect(search(mentions, 'gatto')).toHaveLength(2);
    db.prepare('DELETE FROM mentions WHERE id = ?').run(ids[0]);
    expect(search(mentions, 'nero')).toHaveLength(0);
    expect(search(mentions, 'gatto')).toEqual(['gatto bianco']);
    // A status change does not touch the index (and must not break it).
    mentions.setStatus(ids[1]!, 'read');
    expect(search(mentions, 'bianco')).toHaveLength(1);
    expect(db.prepare(`INSERT INTO mentions_fts (mentions_fts, rank) VALUES ('integrity-check', 1)`).run().changes).toBeGreaterThanOrEqual(0);
  });
});

describe('the inbox total', () => {
  it('is exact where an index counts it alone, and stops at LIMITS.countCap where only a walk of every match would', () => {
    const n = LIMITS.countCap + 50;
    const { db, mentions, ids } = storeWith(Array.from({ length: n }, (_, i) => ({ text: `parola numero ${i}` })));
    // Two themes' matches, written as the perimeters' re-match would.
    const link = db.prepare('INSERT INTO mention_themes (mention_id, theme_id, relevance, published_at) VALUES (?, ?, 1, 0)');
    db.transaction(() => {
      ids.forEach((id, i) => {
        if (i % 2 === 0) link.run(id, 1);
        if (i % 3 === 0) link.run(id, 2);
      });
    })();
    const count = (q: Parameters<MentionsRepo['list']>[0]) => {
      const p = mentions.list(q, undefined, 5);
      return { total: p.total, capped: p.capped };
    };
    expect(count({})).toEqual({ total: n, capped: false });
    expect(count({ text: 'parola' })).toEqual({ total: n, capped: false });
    expect(count({ themeIds: [1] })).toEqual({ total: ids.filter((_, i) => i % 2 === 0).length, capped: false });
    // A mention in both themes is one match.
    expect(count({ themeIds: [1, 2] })).toEqual({ total: ids.filter((_, i) => i % 2 === 0 || i % 3 === 0).length, capped: false });
    const sourceId = mentions.get(ids[0]!)!.sourceId;
    expect(count({ sourceIds: [sourceId] })).toEqual({ total: LIMITS.countCap, capped: true });
    expect(count({ sourceIds: [sourceId], themeIds: [2] })).toEqual({ total: ids.filter((_, i) => i % 3 === 0).length, capped: false });
    // The page itself is whole whatever the count says.
    expect(mentions.list({ sourceIds: [sourceId] }, undefined, 5).items).toHaveLength(5);
  }, 60_000);
});

describe('repositories', () => {
  it('settings: defaults, typed update, internal secret generated once and hidden', () => {
    const db = open();
    const s = new SettingsRepo(db);
    expect(s.get()).toEqual(DEFAULT_SETTINGS);
    expect(s.update({ locale: 'en' })).toEqual({ ...DEFAULT_SETTINGS, locale: 'en' });
    expect(() => s.update({ theme: 'neon' as never })).toThrow();
    const secret = s.workspaceSecret();
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    expect(new SettingsRepo(db).workspaceSecret()).toBe(secret);
    expect(Object.keys(s.get())).toEqual(['locale', 'theme', 'onboarded', 'lockMinutes', 'timeZone', 'authorHandles']);
  });

  it('audit log: hash chain verifies, and a tampered row is found', () => {
    const db = open();
    const audit = new AuditRepo(db);
    audit.append({ actor: 'a', action: 'x', detail: { n: 1 } }, 1);
    const second = audit.append({ actor: 'a', action: 'y', subject: 's' }, 2);
    audit.append({ actor: 'b', action: 'z' }, 3);
    expect(audit.verify()).toEqual({ ok: true, entries: 3 });
    db.prepare('UPDATE audit_log SET actor = ? WHERE id = ?').run('mallory', second.id);
    expect(audit.verify()).toMatchObject({ ok: false, brokenAt: second.id });
  });

  it('import reports round-trip, newest first', () => {
    const r = new ImportReportsRepo(open());
    r.insert({ fileName: 'a.csv', format: 'csv', at: 1, lines: 2, accepted: 1, duplicates: 0, rejected: [{ index: 1, line: 3, reason: 'x' }], error: null });
    r.insert({ fileName: 'b.jsonl', format: 'jsonl', at: 2, lines: 0, accepted: 0, duplicates: 0, rejected: [], error: 'vuoto' });
    const list = r.list();
    expect(list.map((x) => x.fileName)).toEqual(['b.jsonl', 'a.csv']);
    expect(list[1]!.rejected).toEqual([{ index: 1, line: 3, reason: 'x' }]);
    expect(list[1]!.at).toBe(new Date(1).toISOString());
  });

  it('sources keep their mention count and last item time', () => {
    const { sources } = storeWith([{ text: 'uno' }, { text: 'due' }]);
    const [s] = sources.list();
    expect(s).toMatchObject({ kind: 'import', name: 'test', enabled: true, mentionCount: 2, lastItemAt: new Date(Date.UTC(2026, 0, 1, 0, 1)).toISOString() });
  });

  it('a thread is the root plus its replies, oldest first', () => {
    const db = open();
    const mentions = new MentionsRepo(db);
    const pipeline = new IngestPipeline({ db, mentions, sources: new SourcesRepo(db), events: new EventBus(), now: () => 0, secret: () => 'k'.repeat(64) });
    const at = (m: number) => new Date(Date.UTC(2026, 0, 1, 0, m)).toISOString();
    const { ids } = pipeline.ingest([
      { source: 'forum', external_id: 't1', text: 'Domanda?', published_at: at(0) },
      { source: 'forum', external_id: 'c2', thread_id: 't1', parent_id: 't1', text: 'Risposta 2', published_at: at(2) },
      { source: 'forum', external_id: 'c1', thread_id: 't1', parent_id: 't1', text: 'Risposta 1', published_at: at(1) },
      { source: 'altro', external_id: 'c3', thread_id: 't1', text: 'Altra fonte', published_at: at(3) },
    ], 'webhook');
    const reply = mentions.get(ids[1]!)!;
    expect(mentions.thread(reply).map((m) => m.text)).toEqual(['Domanda?', 'Risposta 1', 'Risposta 2']);
    expect(mentions.thread(mentions.get(ids[0]!)!).map((m) => m.text)).toEqual(['Domanda?', 'Risposta 1', 'Risposta 2']);
  });
});

describe('source names (issue #17, item 6)', () => {
  it('a typed name is refused when any source has it, whatever its kind or case; a pushed stream of a taken name joins that source', () => {
    const db = openDatabase(join(tempDir(), 'v.db'));
    onClose(() => db.close());
    {
      const repo = new SourcesRepo(db);
      const hook = repo.ensure('webhook', 'X', 1);
      expect(hook.created).toBe(true);
      // A CSV import naming the same source adds to it: "X" is listed once.
      expect(repo.ensure('import', 'X', 2)).toEqual({ id: hook.id, created: false });
      expect(repo.list().filter((s) => s.name === 'X')).toHaveLength(1);
      // Typed in the form: refused, even as "x", even as another kind.
      expect(() => repo.create({ kind: 'rss', name: 'x', config: { url: 'https://example.org/feed' }, intervalSec: 300 }, 3)).toThrow(SourceNameTakenError);
      const feed = repo.create({ kind: 'rss', name: 'Feed', config: { url: 'https://example.org/feed' }, intervalSec: 300 }, 3);
      expect(() => repo.update(feed, { name: 'X' })).toThrow(SourceNameTakenError);
      repo.update(feed, { name: 'Feed' });
    }
  });
});
