// Publishing through the real core (SQLite outbox, sealed channel credentials) and the real
// connectors: snoowrap over HTTPS against a Reddit-shaped server with a test-only CA, fetch
// against a Mastodon-shaped server and a webhook receiver that checks the HMAC signature.
// Each connector: success, 429 then success, 401 permanent, a connection cut mid-request
// after the platform stored the post (never posted twice).
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openApp, type CoreApp } from '../../src/app/app';
import { silentLogger } from '../../src/core/platform';
import { createPublishConnectors } from '../../src/connectors/outbound/registry';
import type { OutboxEntry, PublishChannelTestResult, PublishChannelView } from '../../src/shared/publishing';
import { renderErrorRef } from '../../src/shared/errors';
import type { Actor } from '../../src/shared/auth';
import { FakeReddit } from '../support/fake-reddit';
import { FakeMastodonWriter, FakeWebhookReceiver } from '../support/fake-publish';
import { resourcesDir, tempDir } from './support/app';
import { rmSync } from 'node:fs';

const reddit = new FakeReddit();
const masto = new FakeMastodonWriter();
const hook = new FakeWebhookReceiver();
const ACTOR: Actor = { userId: 7, username: 'marta', displayName: 'Marta', roles: ['manager'] };
const T0 = Math.floor(Date.now() / 1000) - 3600;

beforeAll(async () => {
  await Promise.all([reddit.start(), masto.start(), hook.start()]);
});
afterAll(async () => {
  await Promise.all([reddit.stop(), masto.stop(), hook.stop()]);
});

let app: CoreApp;
let dataDir: string;
beforeEach(() => {
  reddit.posts = [{ id: 'aaa1', subreddit: 'italy', title: 'Caffè Aurora chiude?', author: 'mario', created_utc: T0 }];
  reddit.comments = [{ id: 'ccc1', link_id: 't3_aaa1', parent_id: 't3_aaa1', subreddit: 'italy', body: 'Davvero?', author: 'lucia', created_utc: T0 + 5 }];
  reddit.log = [];
  reddit.forced = [];
  reddit.dropNextComment = false;
  masto.statuses = [];
  masto.forced = [];
  masto.requests = [];
  masto.dropNext = false;
  hook.forced = [];
  hook.requests = [];
  hook.deliveries = [];
  hook.received = 0;
  hook.dropNext = false;
  dataDir = tempDir('vedetta-pub-');
  app = openApp({
    platform: { dataDir, resourcesDir, now: () => Date.now(), logger: silentLogger, testHooks: { publishBackoffMs: [30] } },
    mode: 'browser',
    publishConnectors: createPublishConnectors({ timeoutMs: 3_000, reddit: { endpointDomain: reddit.endpointDomain, requestOptions: { ca: reddit.ca, lookup: reddit.lookup } } }),
  });
  app.publishing.start();
});
afterEach(() => {
  app.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** A port nobody listens on. */
async function closedPort(): Promise<number> {
  const { createServer } = await import('node:net');
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

async function call<T>(op: string, input: unknown): Promise<T> {
  return (await app.dispatch(op, input)) as T;
}

function mention(externalId: string, url?: string): number {
  const res = app.ingestWebhook({ source: 'Social', external_id: externalId, text: 'Caffè Aurora chiude davvero?', ...(url ? { url } : {}) });
  const id = res.ids?.[0];
  if (id === undefined) throw new Error(`mention not stored: ${JSON.stringify(res)}`);
  return id;
}

/** Resolves when the entry reaches published or failed. */
function settle(entry: OutboxEntry): Promise<OutboxEntry> {
  const now = app.publishing.forResponse(entry.responseId).find((e) => e.id === entry.id);
  if (now && (now.state === 'published' || now.state === 'failed')) return Promise.resolve(now);
  return nextSettle(entry);
}

/** The next time the entry settles (after a retry). */
function nextSettle(entry: OutboxEntry): Promise<OutboxEntry> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`entry ${entry.id} did not settle`)), 15_000);
    const off = app.publishing.onSettled((e) => {
      if (e.id !== entry.id) return;
      clearTimeout(timer);
      off();
      resolve(e);
    });
  });
}

let responseSeq = 100;
function enqueue(channelId: number, targetMentionId: number | null, text: string): OutboxEntry {
  return app.publishing.enqueue({ responseId: ++responseSeq, versionId: 1, contentHash: `h-${responseSeq}`, channelId, targetMentionId, text, actor: ACTOR });
}

const redditChannel = (): Promise<PublishChannelView> =>
  call('publishing.channelCreate', {
    kind: 'reddit',
    name: 'Reddit brand',
    config: { clientId: reddit.app.clientId, username: reddit.app.username },
    secrets: { clientSecret: reddit.app.clientSecret, password: reddit.app.password },
  });
const mastoChannel = (): Promise<PublishChannelView> =>
  call('publishing.channelCreate', { kind: 'mastodon', name: 'Mastodon brand', config: { instance: masto.base }, secrets: { accessToken: masto.token } });
const hookChannel = (): Promise<PublishChannelView> =>
  call('publishing.channelCreate', { kind: 'webhook', name: 'CMS', requiresLegal: true, config: { url: `${hook.base}/incoming` }, secrets: { hmacSecret: hook.secret } });

describe('channels', () => {
  it('keeps credentials sealed: the view names them, never their values, and the file holds no clear text', async () => {
    const ch = await redditChannel();
    expect(ch).toMatchObject({ kind: 'reddit', name: 'Reddit brand', enabled: true, requiresLegal: false, config: { clientId: 'app-id', username: 'brand_bot' } });
    expect(ch.secretNames).toEqual(['clientSecret', 'password']);
    expect(JSON.stringify(await call('publishing.channels', {}))).not.toContain(reddit.app.password);
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(`${dataDir}/vedetta.db`).includes(Buffer.from(reddit.app.password))).toBe(false);
    // Typing only a new field keeps the others.
    const upd = await call<PublishChannelView>('publishing.channelUpdate', { id: ch.id, requiresLegal: true, secrets: { password: '' } });
    expect(upd.secretNames).toEqual(['clientSecret', 'password']);
    expect(upd.requiresLegal).toBe(true);
  });

  it('refuses incomplete settings and duplicate names in Italian', async () => {
    await expect(call('publishing.channelCreate', { kind: 'webhook', name: 'X', config: { url: 'ftp://x' }, secrets: { hmacSecret: hook.secret } })).rejects.toThrow(/indirizzo del webhook/);
    await expect(call('publishing.channelCreate', { kind: 'webhook', name: 'X', config: { url: `${hook.base}/i` }, secrets: { hmacSecret: 'corto' } })).rejects.toThrow(/almeno 16 caratteri/);
    await expect(call('publishing.channelCreate', { kind: 'mastodon', name: 'M', config: { instance: masto.base } })).rejects.toThrow(/token di accesso/);
    await expect(call('publishing.channelCreate', { kind: 'reddit', name: 'R', config: { clientId: 'x' }, secrets: { clientSecret: 's' } })).rejects.toThrow(/nome utente e password/);
    await call('publishing.channelCreate', { kind: 'manual', name: 'A mano' });
    await expect(call('publishing.channelCreate', { kind: 'manual', name: 'a MANO' })).rejects.toThrow(/Esiste già un canale/);
    await expect(call('publishing.channelCreate', { kind: 'manual', name: '   ' })).rejects.toMatchObject({ details: [{ text: expect.stringMatching(/obbligatorio/) as unknown }] });
  });

  it('"Prova connessione" says who we are, or why not, and posts nothing', async () => {
    const r = await redditChannel();
    const tested = await call<PublishChannelTestResult>('publishing.channelTest', { id: r.id });
    expect(tested).toEqual({ ok: true, message: 'Collegato come u/brand_bot.', ref: { key: 'publish.redditConnected', params: { name: 'brand_bot' } } });
    // The form words it in the viewer's language from the code.
    expect(renderErrorRef(tested.ref, tested.message, 'en')).toBe('Connected as u/brand_bot.');
    const m = await mastoChannel();
    expect(await call('publishing.channelTest', { id: m.id })).toMatchObject({ ok: true, message: expect.stringContaining('@brand') });
    expect(await call('publishing.channelTest', { id: m.id, secrets: { accessToken: 'sbagliato' } })).toMatchObject({ ok: false, message: expect.stringContaining('401') });
    const h = await hookChannel();
    expect(await call('publishing.channelTest', { id: h.id })).toMatchObject({ ok: true });
    const closed = await closedPort();
    expect(await call('publishing.channelTest', { kind: 'webhook', config: { url: `http://127.0.0.1:${closed}/x` }, secrets: { hmacSecret: hook.secret } })).toMatchObject({ ok: false, message: expect.stringContaining('rifiuta la connessione') });
    expect(reddit.posted()).toHaveLength(0);
    expect(masto.statuses).toHaveLength(0);
    expect(hook.deliveries).toHaveLength(0);
  });
});

describe('reddit (snoowrap, POST /api/comment)', () => {
  it('replies to a post, records id and URL, and a second enqueue of the same text is the same entry', async () => {
    const ch = await redditChannel();
    const m = mention('t3_aaa1');
    const e = enqueue(ch.id, m, 'Ciao Mario, siamo aperti & tranquilli: nessuna chiusura.');
    expect(e.state).toBe('pending');
    const done = await settle(e);
    expect(done).toMatchObject({ state: 'published', attempts: 1, lastError: null });
    const posted = reddit.posted();
    expect(posted).toHaveLength(1);
    expect(done.externalId).toBe(`t1_${posted[0]!.id}`);
    expect(done.url).toBe(`https://www.reddit.com/r/italy/comments/aaa1/x/${posted[0]!.id}/`);
    const form = reddit.log.find((l) => l.path === '/api/comment')?.form;
    expect(form?.get('thing_id')).toBe('t3_aaa1');
    expect(form?.get('text')).toBe('Ciao Mario, siamo aperti & tranquilli: nessuna chiusura.');
    const again = app.publishing.enqueue({ responseId: e.responseId, versionId: 2, contentHash: e.contentHash, channelId: ch.id, targetMentionId: m, text: 'x', actor: ACTOR });
    expect(again.id).toBe(e.id);
    await app.publishing.idle();
    expect(reddit.posted()).toHaveLength(1);
  });

  it('replies to a comment (t1_) found from its permalink', async () => {
    const ch = await redditChannel();
    const m = mention('feed-guid-1', 'https://www.reddit.com/r/italy/comments/aaa1/caffe/ccc1/');
    const done = await settle(enqueue(ch.id, m, 'Grazie Lucia!'));
    expect(done.state).toBe('published');
    expect(reddit.posted()[0]?.parent_id).toBe('t1_ccc1');
  });

  it('waits out a 429 and then posts once', async () => {
    const ch = await redditChannel();
    reddit.forced = [{ status: 429, headers: { 'retry-after': '0' }, body: '{"message":"Too Many Requests","error":429}' }];
    const done = await settle(enqueue(ch.id, mention('t3_aaa1'), 'Risposta dopo il 429'));
    expect(done).toMatchObject({ state: 'published', attempts: 2 });
    expect(reddit.posted()).toHaveLength(1);
  });

  it('a 401 is permanent: failed at once, with the reason in Italian, nothing posted', async () => {
    const ch = await redditChannel();
    reddit.forced = [{ status: 401, body: '{"message":"Unauthorized","error":401}' }];
    const done = await settle(enqueue(ch.id, mention('t3_aaa1'), 'Mai pubblicata'));
    expect(done).toMatchObject({ state: 'failed', attempts: 1 });
    expect(done.lastError).toMatch(/Reddit rifiuta le credenziali \(401\)/);
    expect(reddit.posted()).toHaveLength(0);
  });

  it('a connection cut after Reddit stored the comment is reconciled, not posted again', async () => {
    const ch = await redditChannel();
    reddit.dropNextComment = true;
    const done = await settle(enqueue(ch.id, mention('t3_aaa1'), 'Una sola volta, <promesso>'));
    expect(done.state).toBe('published');
    expect(reddit.posted()).toHaveLength(1);
    expect(reddit.log.filter((l) => l.path === '/api/comment')).toHaveLength(1);
    expect(reddit.log.some((l) => l.path === '/user/brand_bot/comments')).toBe(true);
    expect(done.externalId).toBe(`t1_${reddit.posted()[0]!.id}`);
  });

  it('refuses a Reddit channel for a mention that is not a Reddit post or comment', async () => {
    const ch = await redditChannel();
    expect(() => enqueue(ch.id, mention('not-reddit', 'https://esempio.it/a'), 'x')).toThrow(/post o a un commento Reddit/);
    expect(() => enqueue(ch.id, null, 'x')).toThrow(/post o a un commento Reddit/);
  });
});

describe('mastodon (POST /api/v1/statuses)', () => {
  const host = (): string => new URL(masto.base).host;

  it("reads the instance's character limit when the channel connects (500 when the instance does not say)", async () => {
    masto.maxChars = 1_000;
    const ch = await mastoChannel();
    const limitOf = async (id: number): Promise<number | undefined> => (await call<PublishChannelView[]>('publishing.channels', {})).find((c) => c.id === id)?.charLimit;
    await expect.poll(() => limitOf(ch.id)).toBe(1_000);
    expect((await call<PublishChannelView[]>('publishing.channels', {})).find((c) => c.id === ch.id)?.config.maxChars).toBe(1_000);
    // A new limit is read again at "Prova connessione"; new settings keep the one read until then.
    masto.maxChars = 5_000;
    await call('publishing.channelUpdate', { id: ch.id, config: { instance: masto.base } });
    await expect.poll(() => limitOf(ch.id)).toBe(5_000);
    masto.maxChars = null;
    const other = await call<PublishChannelView>('publishing.channelCreate', { kind: 'mastodon', name: 'Mastodon muto', config: { instance: masto.base }, secrets: { accessToken: masto.token } });
    expect(other.charLimit).toBe(500);
    expect((await call<{ ok: boolean }>('publishing.channelTest', { id: other.id })).ok).toBe(true);
    expect(await limitOf(other.id)).toBe(500);
    masto.maxChars = 500;
  });

  it('replies with in_reply_to_id and the Idempotency-Key header', async () => {
    const ch = await mastoChannel();
    const e = enqueue(ch.id, mention(`mastodon:${host()}:4001`), 'Ciao!\n\nA presto da Aurora.');
    const done = await settle(e);
    expect(done).toMatchObject({ state: 'published', externalId: masto.statuses[0]!.id, url: `${masto.base}/@brand/${masto.statuses[0]!.id}` });
    expect(masto.statuses).toEqual([{ id: masto.statuses[0]!.id, text: 'Ciao!\n\nA presto da Aurora.', inReplyToId: '4001', idempotencyKey: e.idempotencyKey }]);
  });

  it('resolves a status of another instance through search, by its URL', async () => {
    const ch = await mastoChannel();
    masto.remote.set('https://altra.social/@anna/77', '4001');
    const done = await settle(enqueue(ch.id, mention('mastodon:altra.social:77', 'https://altra.social/@anna/77'), 'Risposta federata'));
    expect(done.state).toBe('published');
    expect(masto.statuses[0]?.inReplyToId).toBe('4001');
  });

  it('waits out a 429 and then posts once', async () => {
    const ch = await mastoChannel();
    masto.forced = [{ status: 429, headers: { 'retry-after': '0' } }];
    const done = await settle(enqueue(ch.id, mention(`mastodon:${host()}:4001`), 'Dopo il 429'));
    expect(done).toMatchObject({ state: 'published', attempts: 2 });
    expect(masto.statuses).toHaveLength(1);
  });

  it('a 401 is permanent', async () => {
    const ch = await mastoChannel();
    masto.forced = [{ status: 401, body: '{"error":"The access token is invalid"}' }];
    const done = await settle(enqueue(ch.id, mention(`mastodon:${host()}:4001`), 'Mai'));
    expect(done).toMatchObject({ state: 'failed', attempts: 1 });
    expect(done.lastError).toMatch(/rifiuta il token \(401\)/);
    expect(masto.statuses).toHaveLength(0);
  });

  it('a connection cut after the status was stored is found among the account statuses, not posted again', async () => {
    const ch = await mastoChannel();
    masto.dropNext = true;
    const done = await settle(enqueue(ch.id, mention(`mastodon:${host()}:4001`), 'Solo una volta & basta'));
    expect(done.state).toBe('published');
    expect(masto.statuses).toHaveLength(1);
    expect(done.externalId).toBe(masto.statuses[0]!.id);
    expect(masto.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
    expect(masto.requests.some((r) => r.path === '/api/v1/accounts/109/statuses')).toBe(true);
  });
});

describe('webhook (signed JSON)', () => {
  it('POSTs the text signed with HMAC-SHA256 of timestamp.body, with the idempotency key', async () => {
    const ch = await hookChannel();
    const e = enqueue(ch.id, null, 'Testo per il CMS');
    const done = await settle(e);
    expect(done).toMatchObject({ state: 'published', externalId: 'wh-1', url: `${hook.base}/posts/wh-1` });
    expect(hook.deliveries).toHaveLength(1);
    const d = hook.deliveries[0]!;
    expect(d.key).toBe(e.idempotencyKey);
    expect(d.payload).toMatchObject({ type: 'vedetta.publish', text: 'Testo per il CMS', responseId: e.responseId, contentHash: e.contentHash, channel: 'CMS' });
    const req = hook.requests.find((r) => r.method === 'POST')!;
    expect(hook.verify(String(req.headers['x-vedetta-timestamp']), req.body, String(req.headers['x-vedetta-signature']))).toBe(true);
  });

  it('waits out a 429 and then delivers once', async () => {
    const ch = await hookChannel();
    hook.forced = [{ status: 429, headers: { 'retry-after': '0' } }];
    const done = await settle(enqueue(ch.id, null, 'Dopo il 429'));
    expect(done).toMatchObject({ state: 'published', attempts: 2 });
    expect(hook.deliveries).toHaveLength(1);
  });

  it('a 401 (bad signature) is permanent', async () => {
    const ch = await hookChannel();
    hook.forced = [{ status: 401 }];
    const done = await settle(enqueue(ch.id, null, 'Mai'));
    expect(done).toMatchObject({ state: 'failed', attempts: 1 });
    expect(done.lastError).toMatch(/401/);
  });

  it('a connection cut is retried with the same key, and the receiver keeps one delivery', async () => {
    const ch = await hookChannel();
    hook.dropNext = true;
    const done = await settle(enqueue(ch.id, null, 'Una volta'));
    expect(done).toMatchObject({ state: 'published', attempts: 2, externalId: 'wh-1' });
    expect(hook.received).toBe(2);
    expect(hook.deliveries).toHaveLength(1);
    const keys = hook.requests.filter((r) => r.method === 'POST').map((r) => r.headers['idempotency-key']);
    expect(new Set(keys).size).toBe(1);
  });

  it('a receiver that is down is retried until it answers', async () => {
    const ch = await hookChannel();
    hook.forced = [{ status: 503 }, { status: 502 }];
    const done = await settle(enqueue(ch.id, null, 'Dopo due 5xx'));
    expect(done).toMatchObject({ state: 'published', attempts: 3 });
    expect(hook.deliveries).toHaveLength(1);
  });
});

describe('manual channel and the outbox ops', () => {
  it('waits for the URL, validates it, records it, and the audit names who did it', async () => {
    const ch = await call<PublishChannelView>('publishing.channelCreate', { kind: 'manual', name: 'A mano' });
    const e = enqueue(ch.id, null, 'Da incollare a mano');
    expect(e.state).toBe('awaiting_manual');
    const list = await call<{ id: number; text: string; state: string }[]>('publishing.outbox', { state: 'awaiting_manual' });
    expect(list.map((x) => [x.id, x.text])).toEqual([[e.id, 'Da incollare a mano']]);
    await expect(call('publishing.recordManual', { id: e.id, url: 'non è un url' })).rejects.toThrow(/URL completo/);
    await expect(call('publishing.recordManual', { id: e.id, url: 'javascript:alert(1)' })).rejects.toThrow(/URL completo/);
    const done = await call<{ state: string; url: string }>('publishing.recordManual', { id: e.id, url: ' https://www.instagram.com/p/abc123/ ' });
    expect(done).toMatchObject({ state: 'published', url: 'https://www.instagram.com/p/abc123/' });
    // Recording the same URL again is harmless; another URL is refused.
    await call('publishing.recordManual', { id: e.id, url: 'https://www.instagram.com/p/abc123/' });
    await expect(call('publishing.recordManual', { id: e.id, url: 'https://esempio.it/altro' })).rejects.toThrow(/già registrata/);
  });

  it('a disabled channel refuses new entries; a failed entry can be retried once the channel works', async () => {
    const ch = await hookChannel();
    hook.forced = [{ status: 401 }];
    const failed = await settle(enqueue(ch.id, null, 'Riprova'));
    expect(failed.state).toBe('failed');
    const retried = nextSettle(failed);
    await call('publishing.retry', { id: failed.id });
    expect((await retried).state).toBe('published');
    expect(hook.deliveries).toHaveLength(1);
    await call('publishing.channelDisable', { id: ch.id });
    expect(() => enqueue(ch.id, null, 'Nuovo testo')).toThrow(/disattivato/);
  });
});
