// Social sources through the whole core, the way a user meets them: sources.add with
// credentials → the vault seals them → the real scheduler polls through the real connector
// (snoowrap over HTTPS for Reddit) against fake services on 127.0.0.1 → mentions stored
// once, with their thread structure → failures end in Italian health, never a crash.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openApp, type CoreApp } from '../../src/app/app';
import { silentLogger } from '../../src/core/platform';
import { createConnectorRegistry } from '../../src/connectors/inbound/registry';
import { createRedditConnector } from '../../src/connectors/inbound/reddit';
import type { OpOutput } from '../../src/shared/contract';
import type { SourceView } from '../../src/shared/ops/sources';
import { FakeDiscourse, FakeMastodon } from '../support/fake-social';
import { resourcesDir, tempDir } from './support/app';
import { FakeReddit } from './support/fake-reddit';

const reddit = new FakeReddit();
const mastodon = new FakeMastodon();
const discourse = new FakeDiscourse();
const T0 = Math.floor(Date.now() / 1000) - 3600;

function open(dataDir = tempDir('vedetta-social-')): { app: CoreApp; dataDir: string; dispose(): void } {
  const app = openApp({
    platform: { dataDir, resourcesDir, now: () => Date.now(), logger: silentLogger },
    mode: 'browser',
    connectors: {
      ...createConnectorRegistry(),
      reddit: createRedditConnector({ endpointDomain: reddit.endpointDomain, requestOptions: { ca: reddit.ca, lookup: reddit.lookup }, timeoutMs: 5_000 }),
    },
    maxPerHost: 20,
  });
  app.startSources();
  return {
    app,
    dataDir,
    dispose() {
      app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Every byte SQLite wrote (database, WAL, journal). */
function dbBytes(dataDir: string): string {
  return readdirSync(dataDir)
    .filter((f) => f.startsWith('vedetta.db'))
    .map((f) => readFileSync(join(dataDir, f)).toString('latin1'))
    .join('\n');
}

const pollNow = async (app: CoreApp, id: number): Promise<SourceView> => (await app.dispatch('sources.pollNow', { id })) as SourceView;
const viewOf = async (app: CoreApp, id: number): Promise<SourceView> => ((await app.dispatch('sources.list', {})) as SourceView[]).find((s) => s.id === id)!;
const mentionsOf = async (app: CoreApp, sourceId: number): Promise<OpOutput<'mentions.list'>['items']> =>
  ((await app.dispatch('mentions.list', { limit: 200 })) as OpOutput<'mentions.list'>).items.filter((m) => m.sourceId === sourceId);

beforeAll(async () => {
  await Promise.all([reddit.start(), mastodon.start(), discourse.start()]);
});
afterAll(async () => {
  await Promise.all([reddit.stop(), mastodon.stop(), discourse.stop()]);
});
beforeEach(() => {
  reddit.posts = [];
  reddit.comments = [];
  reddit.forced = [];
  reddit.log = [];
  reddit.rate.used = 0;
  mastodon.statuses = [];
  mastodon.token = null;
  mastodon.forced = [];
  discourse.topics = [];
  discourse.apiKey = null;
  discourse.forced = [];
});

describe('Reddit source through core, the vault and the scheduler', () => {
  it('seals the credentials, polls posts and comments with score and thread ids, and stores nothing twice', async () => {
    reddit.posts = [
      { id: 'p1', subreddit: 'italy', title: 'Caffè Aurora chiude?', selftext: 'Qualcuno sa?', author: 'mario', created_utc: T0, score: 42, num_comments: 2 },
      { id: 'p2', subreddit: 'italy', title: 'Nuovo bar', selftext: 'bello', author: 'lucia', created_utc: T0 + 10, score: 3, num_comments: 0 },
    ];
    reddit.comments = [
      { id: 'c1', link_id: 't3_p1', parent_id: 't3_p1', subreddit: 'italy', body: 'Sì, a giugno', author: 'anna', created_utc: T0 + 20, score: 5 },
      { id: 'c2', link_id: 't3_p1', parent_id: 't1_c1', subreddit: 'italy', body: 'peccato', author: 'bruno', created_utc: T0 + 30 },
    ];
    const { app, dataDir, dispose } = open();
    try {
      const posts = (await app.dispatch('sources.add', {
        kind: 'reddit',
        name: 'r/italy',
        config: { mode: 'subreddit_posts', subreddit: 'italy', clientId: reddit.app.clientId, username: reddit.app.username },
        secrets: { clientSecret: reddit.app.clientSecret, password: reddit.app.password },
        intervalSec: 3600,
      })) as SourceView;
      expect(posts.secretNames.sort()).toEqual(['clientSecret', 'password']);
      expect(JSON.stringify(posts)).not.toContain(reddit.app.password);
      const comments = (await app.dispatch('sources.add', {
        kind: 'reddit',
        name: 'r/italy commenti',
        config: { mode: 'subreddit_comments', subreddit: 'italy', clientId: reddit.app.clientId },
        secrets: { refreshToken: reddit.app.refreshToken, clientSecret: reddit.app.clientSecret },
        intervalSec: 3600,
      })) as SourceView;

      const p = await pollNow(app, posts.id);
      expect(p.health).toMatchObject({ state: 'ok', lastError: null });
      const c = await pollNow(app, comments.id);
      expect(c.health).toMatchObject({ state: 'ok', lastError: null });
      const stored = await mentionsOf(app, posts.id);
      expect(stored.map((m) => [m.externalId, m.score, m.comments, m.threadId]).sort()).toEqual([
        ['t3_p1', 42, 2, 't3_p1'],
        ['t3_p2', 3, 0, 't3_p2'],
      ]);
      expect(stored.every((m) => m.sourceKind === 'reddit' && m.sourceName === 'r/italy')).toBe(true);
      const cs = await mentionsOf(app, comments.id);
      expect(cs.map((m) => [m.externalId, m.threadId, m.parentId]).sort()).toEqual([
        ['t1_c1', 't3_p1', 't3_p1'],
        ['t1_c2', 't3_p1', 't1_c1'],
      ]);
      expect(reddit.log.find((l) => l.path === '/api/v1/access_token' && l.form?.get('grant_type') === 'refresh_token')).toBeDefined();

      // Polled again: nothing new, nothing twice.
      await pollNow(app, posts.id);
      await pollNow(app, comments.id);
      expect((await mentionsOf(app, posts.id)).length).toBe(2);
      expect((await mentionsOf(app, comments.id)).length).toBe(2);

      // The secrets are sealed: none is in the database file in clear.
      const bytes = dbBytes(dataDir);
      for (const secret of [reddit.app.clientSecret, reddit.app.password, reddit.app.refreshToken]) expect(bytes).not.toContain(secret);
      expect(bytes).toContain('r/italy');
    } finally {
      dispose();
    }
  });

  it('"Prova" logs in with the credentials typed in the form, or with the saved ones when editing, and stores nothing', async () => {
    reddit.posts = [{ id: 'q1', subreddit: 'italy', title: 'Anteprima', selftext: 'testo', author: 'mario', created_utc: T0 }];
    mastodon.statuses = [{ id: '9', username: 'a', content: '<p>Un &lt;b&gt;vero&lt;/b&gt; &amp; tag <a href="/tags/anteprima">#anteprima</a></p>', tags: ['anteprima'], created_at: '2025-06-10T08:00:00.000Z' }];
    const { app, dispose } = open();
    try {
      const config = { mode: 'subreddit_posts' as const, subreddit: 'italy', clientId: reddit.app.clientId, username: reddit.app.username };
      const none = (await app.dispatch('sources.test', { kind: 'reddit', config })) as OpOutput<'sources.test'>;
      expect(none).toMatchObject({ ok: false, error: { kind: 'config', message: expect.stringMatching(/servono le credenziali/) } });
      const typed = (await app.dispatch('sources.test', {
        kind: 'reddit',
        config,
        secrets: { clientSecret: reddit.app.clientSecret, password: reddit.app.password },
      })) as OpOutput<'sources.test'>;
      expect(typed).toMatchObject({ ok: true, total: 1 });
      expect(typed.items[0]?.title).toBe('Anteprima');
      const toot = (await app.dispatch('sources.test', { kind: 'mastodon', config: { instanceUrl: mastodon.base, mode: 'hashtag', hashtag: 'anteprima' } })) as OpOutput<'sources.test'>;
      // The preview shows what will be stored: plain text, not the status's HTML.
      expect(toot.items.map((i) => i.text)).toEqual(['Un <b>vero</b> & tag #anteprima']);
      expect(((await app.dispatch('sources.list', {})) as SourceView[]).length).toBe(0);
      expect(((await app.dispatch('mentions.list', { limit: 1 })) as OpOutput<'mentions.list'>).total).toBe(0);

      const s = (await app.dispatch('sources.add', {
        kind: 'reddit',
        name: 'Salvata',
        config,
        secrets: { clientSecret: reddit.app.clientSecret, password: reddit.app.password },
      })) as SourceView;
      const edit = (await app.dispatch('sources.test', { kind: 'reddit', id: s.id, config: { ...config, subreddit: 'italy+milano' } })) as OpOutput<'sources.test'>;
      expect(edit).toMatchObject({ ok: true, total: 1 });
      const wrong = (await app.dispatch('sources.test', { kind: 'reddit', id: s.id, config, secrets: { clientSecret: 'altro' } })) as OpOutput<'sources.test'>;
      expect(wrong.error?.message).toMatch(/^Reddit rifiuta le credenziali \(401\)/);
      await expect(app.dispatch('sources.test', { kind: 'mastodon', config: { instanceUrl: mastodon.base, mode: 'hashtag', hashtag: 'x' }, secrets: { apiKey: 'k' } })).rejects.toMatchObject({
        code: 'invalid',
      });
    } finally {
      dispose();
    }
  });

  it('a 401 from the token endpoint turns the source red in Italian and pauses it', async () => {
    const { app, dispose } = open();
    try {
      const s = (await app.dispatch('sources.add', {
        kind: 'reddit',
        name: 'Secret sbagliato',
        config: { mode: 'subreddit_posts', subreddit: 'italy', clientId: reddit.app.clientId, username: reddit.app.username },
        secrets: { clientSecret: 'non-questo', password: reddit.app.password },
        intervalSec: 3600,
      })) as SourceView;
      await pollNow(app, s.id).catch(() => null);
      const v = await viewOf(app, s.id);
      expect(v.health.state).toBe('paused');
      expect(v.health.lastError).toMatchObject({ kind: 'auth', httpStatus: 401, message: expect.stringMatching(/^Reddit rifiuta le credenziali \(401\)/) });
      expect(v.health.pausedReason).toMatch(/^Sospesa: Reddit rifiuta le credenziali/);
      expect(v.health.nextPollAt).toBeNull();
    } finally {
      dispose();
    }
  });

  it('a 429 with rate-limit headers delays the next poll until Reddit says', async () => {
    const { app, dispose } = open();
    try {
      const s = (await app.dispatch('sources.add', {
        kind: 'reddit',
        name: 'Affollato',
        config: { mode: 'subreddit_posts', subreddit: 'italy', clientId: reddit.app.clientId, username: reddit.app.username },
        secrets: { clientSecret: reddit.app.clientSecret, password: reddit.app.password },
        intervalSec: 60,
      })) as SourceView;
      reddit.forced.push({ status: 429, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '5400' }, body: '{"message":"Too Many Requests","error":429}' });
      const v = await pollNow(app, s.id);
      expect(v.health.state).toBe('failing');
      expect(v.health.lastError?.message).toMatch(/^troppe richieste a Reddit \(429\): riprovo tra 5400 secondi$/);
      expect(Date.parse(v.health.nextPollAt!) - Date.parse(v.health.lastError!.at)).toBeGreaterThanOrEqual(5_400_000);
    } finally {
      dispose();
    }
  });

  it('credentials the vault can no longer open end in Italian health, not a crash', async () => {
    const { app, dataDir } = open();
    try {
      const s = (await app.dispatch('sources.add', {
        kind: 'reddit',
        name: 'Chiave persa',
        config: { mode: 'subreddit_posts', subreddit: 'italy', clientId: reddit.app.clientId, username: reddit.app.username },
        secrets: { clientSecret: reddit.app.clientSecret, password: reddit.app.password },
        intervalSec: 3600,
      })) as SourceView;
      // The same database opened elsewhere, by a key that did not seal it.
      app.close();
      rmSync(join(dataDir, 'secrets.key'));
      const again = open(dataDir);
      try {
        await pollNow(again.app, s.id).catch(() => null);
        const v = await viewOf(again.app, s.id);
        expect(v.health.state).toBe('paused');
        expect(v.health.lastError?.kind).toBe('secrets');
        expect(v.health.lastError?.message).toMatch(/^Impossibile decifrare le credenziali.*Reinserisci/);
        // The dry run of the stored source says the same instead of failing.
        const t = (await again.app.dispatch('sources.test', { id: s.id })) as OpOutput<'sources.test'>;
        expect(t).toMatchObject({ ok: false, error: { kind: 'secrets' } });
        expect(t.error?.message).toMatch(/^Impossibile decifrare le credenziali/);
        // New credentials heal it.
        await again.app.dispatch('sources.update', { id: s.id, secrets: { clientSecret: reddit.app.clientSecret, password: reddit.app.password } });
        await again.app.dispatch('sources.resume', { id: s.id });
        const healed = await pollNow(again.app, s.id);
        expect(healed.health).toMatchObject({ state: 'ok', consecutiveFailures: 0, pausedReason: null });
      } finally {
        again.dispose();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('a connector that throws anyway', () => {
  it('ends a poll and a dry run in Italian health, not a crash', async () => {
    const dataDir = tempDir('vedetta-social-throw-');
    const app = openApp({
      platform: { dataDir, resourcesDir, now: () => Date.now(), logger: silentLogger },
      mode: 'browser',
      connectors: {
        ...createConnectorRegistry(),
        mastodon: {
          kind: 'mastodon',
          host: () => 'x',
          poll: () => Promise.reject(new TypeError('boom')),
        },
      },
    });
    try {
      app.startSources();
      const config = { instanceUrl: mastodon.base, mode: 'hashtag' as const, hashtag: 'x' };
      const t = (await app.dispatch('sources.test', { kind: 'mastodon', config })) as OpOutput<'sources.test'>;
      expect(t).toMatchObject({ ok: false, error: { kind: 'internal', message: 'errore inatteso del connettore: boom' } });
      const s = (await app.dispatch('sources.add', { kind: 'mastodon', name: 'Rotto', config })) as SourceView;
      const v = await pollNow(app, s.id);
      expect(v.health).toMatchObject({ state: 'failing', lastError: { kind: 'internal', message: 'errore inatteso del connettore: boom' } });
    } finally {
      app.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('Mastodon and Discourse sources through core', () => {
  it('a Mastodon hashtag with an access token: stored once, replies keep their parent, 401 pauses in Italian', async () => {
    mastodon.token = 'tok-mastodon-segreto';
    mastodon.statuses = [
      { id: '1001', username: 'anna', content: '<p>Da <a href="x">#CaffeAurora</a> oggi</p>', tags: ['caffeaurora'], created_at: '2025-06-10T08:00:00.000Z', favs: 3 },
      { id: '1002', username: 'luca', content: '<p>Concordo!</p>', tags: ['caffeaurora'], created_at: '2025-06-10T08:05:00.000Z', in_reply_to_id: '1001' },
      { id: '1003', username: 'x', content: '<p>altro</p>', tags: ['altro'], created_at: '2025-06-10T08:06:00.000Z' },
    ];
    const { app, dataDir, dispose } = open();
    try {
      const s = (await app.dispatch('sources.add', {
        kind: 'mastodon',
        config: { instanceUrl: mastodon.base, mode: 'hashtag', hashtag: '#CaffeAurora' },
        secrets: { accessToken: 'tok-mastodon-segreto' },
        intervalSec: 3600,
      })) as SourceView;
      expect(s.name).toMatch(/^#CaffeAurora @ 127\.0\.0\.1:\d+$/);
      expect(s.secretNames).toEqual(['accessToken']);
      const v = await pollNow(app, s.id);
      expect(v.health).toMatchObject({ state: 'ok', lastError: null, itemsLastHour: 2 });
      const ms = await mentionsOf(app, s.id);
      expect(ms.map((m) => m.text).sort()).toEqual(['Concordo!', 'Da #CaffeAurora oggi']);
      const reply = ms.find((m) => m.text === 'Concordo!')!;
      expect(reply.parentId).toBe(ms.find((m) => m.text !== 'Concordo!')!.externalId);
      expect(mastodon.log.at(-1)?.headers.authorization).toBe('Bearer tok-mastodon-segreto');

      await pollNow(app, s.id);
      expect(mastodon.log.at(-1)?.query.get('since_id')).toBe('1002');
      expect((await mentionsOf(app, s.id)).length).toBe(2);
      expect(dbBytes(dataDir)).not.toContain('tok-mastodon-segreto');

      mastodon.token = 'revocato';
      await pollNow(app, s.id).catch(() => null);
      const red = await viewOf(app, s.id);
      expect(red.health.state).toBe('paused');
      expect(red.health.lastError?.message).toMatch(/^l'istanza Mastodon rifiuta le credenziali \(401\)/);
    } finally {
      dispose();
    }
  });

  it('Mastodon 429 with X-RateLimit-Reset delays the next poll', async () => {
    const { app, dispose } = open();
    try {
      const s = (await app.dispatch('sources.add', { kind: 'mastodon', name: 'Limitata', config: { instanceUrl: mastodon.base, mode: 'hashtag', hashtag: 'x' }, intervalSec: 60 })) as SourceView;
      const reset = new Date(Date.now() + 2 * 3_600_000).toISOString();
      mastodon.forced.push({ status: 429, headers: { 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': reset }, body: '{"error":"Too many requests"}' });
      const v = await pollNow(app, s.id);
      expect(v.health.state).toBe('failing');
      expect(v.health.lastError?.httpStatus).toBe(429);
      expect(v.health.lastError?.message).toMatch(/429/);
      expect(Date.parse(v.health.nextPollAt!)).toBeGreaterThanOrEqual(Date.parse(reset) - 5_000);
    } finally {
      dispose();
    }
  });

  it('a private Discourse forum with an API key: topics stored once; a wrong key pauses in Italian', async () => {
    discourse.apiKey = { key: 'dk-segreta', username: 'system' };
    const now = Date.now();
    discourse.topics = [
      { id: 11, title: 'Caffè Aurora: orari estivi', slug: 'orari-estivi', username: 'gino', userId: 1, created_at: new Date(now - 60_000).toISOString(), cooked: '<p>Aperti fino alle <b>23</b>.</p>', replies: 3 },
      { id: 12, title: 'Nuova miscela', slug: 'nuova-miscela', username: 'pia', userId: 2, created_at: new Date(now - 30_000).toISOString(), cooked: '<p>Buonissima</p>', replies: 0 },
    ];
    const { app, dataDir, dispose } = open();
    try {
      const s = (await app.dispatch('sources.add', {
        kind: 'discourse',
        name: 'Forum clienti',
        config: { baseUrl: discourse.base, mode: 'latest', apiUsername: 'system' },
        secrets: { apiKey: 'dk-segreta' },
        intervalSec: 3600,
      })) as SourceView;
      const v = await pollNow(app, s.id);
      expect(v.health).toMatchObject({ state: 'ok', lastError: null });
      const ms = await mentionsOf(app, s.id);
      expect(ms.map((m) => [m.title, m.text, m.comments]).sort()).toEqual([
        ['Caffè Aurora: orari estivi', 'Aperti fino alle 23.', 3],
        ['Nuova miscela', 'Buonissima', 0],
      ]);
      expect(ms.every((m) => m.threadId === m.externalId)).toBe(true);
      await pollNow(app, s.id);
      expect((await mentionsOf(app, s.id)).length).toBe(2);
      expect(dbBytes(dataDir)).not.toContain('dk-segreta');

      await app.dispatch('sources.update', { id: s.id, secrets: { apiKey: 'sbagliata' } });
      await pollNow(app, s.id).catch(() => null);
      const red = await viewOf(app, s.id);
      expect(red.health.state).toBe('paused');
      expect(red.health.lastError?.message).toMatch(/^il forum nega l'accesso \(403\)/);
    } finally {
      dispose();
    }
  });
});
