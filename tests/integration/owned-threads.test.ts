// Owned threads are declared, not guessed from a name (issue #14 item 2). The real `vedetta
// serve` over HTTP, people created with the real CLI: a manager declares the brand's Instagram
// post by its URL; a pile-on on that post opens a moment that tracks the post's thread, its
// commenters form the "own accounts" audience, and a reply there gets the high severity and the
// legal step for a strong audience. A source merely named "Fan club @caffeaurora" gets none of
// that: it is only offered as a suggestion.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, postMentions, startVedetta, type TestUser, type VedettaInstance } from '../support/vedetta-process';

const GIULIA: TestUser = { username: 'giulia', password: 'password-di-giulia', roles: ['manager'], name: 'Giulia' };

let v: VedettaInstance;
const sessions = new Map<string, string>();

async function call<T>(user: TestUser, op: string, input: unknown): Promise<{ status: number; body: T }> {
  let session = sessions.get(user.username);
  if (!session) {
    const r = await fetch(`${v.url}/api/v1/rpc/auth.signIn`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${v.token}` },
      body: JSON.stringify({ username: user.username, password: user.password }),
    });
    session = ((await r.json()) as { token: string }).token;
    sessions.set(user.username, session);
  }
  const res = await fetch(`${v.url}/api/v1/rpc/${op}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${v.token}`, 'x-vedetta-session': session },
    body: JSON.stringify(input),
  });
  return { status: res.status, body: (await res.json()) as T };
}

async function ok<T>(user: TestUser, op: string, input: unknown): Promise<T> {
  const r = await call<T>(user, op, input);
  if (r.status !== 200) throw new Error(`${op} as ${user.username} → ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body;
}

interface Moment {
  id: number;
  kind: string;
  title: string;
  openedAt: string;
}
interface MomentDetail {
  moment: Moment;
  keys: { kind: string; label: string }[];
}
interface Detail {
  response: { id: number; severity: string };
  steps: { kind: string; state: string; reasons: string[] }[];
}

const MIN = 60_000;
// Three hours ago: the stream is history, in published time, as a webhook delivers it late.
const START = Date.now() - 3 * 60 * MIN;
const at = (ms: number): string => new Date(ms).toISOString();
let brandId = 0;
let channelId = 0;

/** An hour of ordinary talk, one a minute. */
const chatter = Array.from({ length: 60 }, (_, i) => ({
  source: 'X/Twitter',
  external_id: `q${i}`,
  author: `q${i % 13}`,
  text: ['Pausa caffè con i colleghi', 'Un cappuccino prima del treno', 'Qualcuno consiglia una moka?'][i % 3],
  lang: 'it',
  published_at: at(START + i * MIN),
}));

/** Forty angry comments in five minutes under one post, each by someone else. */
const pileOn = (source: string, thread: string, prefix: string, from: number, text: string) =>
  Array.from({ length: 40 }, (_, i) => ({
    source,
    thread_id: thread,
    external_id: `${prefix}${i}`,
    url: `https://www.instagram.com/p/${prefix}${i}/`,
    author: `${prefix}-persona-${i}`,
    text,
    lang: 'it',
    published_at: at(from + i * 7_500),
  }));

beforeAll(async () => {
  v = await startVedetta({ users: [ADMIN, GIULIA] });
  brandId = (await ok<{ id: number }>(ADMIN, 'perimeters.brandCreate', { name: 'Caffè Aurora' })).id;
  // The manager declares the brand's post by its link (tracking parameter and all).
  const post = await call<{ id: number; type: string; value: string }>(GIULIA, 'perimeters.ownedAdd', {
    brandId,
    type: 'url',
    value: 'https://www.instagram.com/p/ig-post-8841/?igshid=abc',
  });
  expect(post.status).toBe(200);
  // Stored without the tracking parameter.
  expect(post.body).toMatchObject({ type: 'url', value: 'https://www.instagram.com/p/ig-post-8841/' });
  // Audiences first, so memberships are kept at ingest: the people on the brand's own accounts.
  await ok(ADMIN, 'audiences.create', { name: 'Account Aurora', type: 'primary', rules: { ownedBrandIds: [brandId] } });
  expect((await postMentions(v, chatter)).status).toBe(202);
  expect((await postMentions(v, pileOn('Instagram @caffeaurora', 'ig-post-8841', 'own', START + 60 * MIN, 'Vergogna, che schifo, mai più!'))).status).toBe(202);
  expect((await postMentions(v, pileOn('Fan club @caffeaurora', 'fc-77', 'fan', START + 120 * MIN, 'Pessimo, delusione totale, basta'))).status).toBe(202);
  channelId = (await ok<{ id: number }>(ADMIN, 'publishing.channelCreate', { kind: 'manual', name: 'A mano' })).id;
}, 120_000);
afterAll(async () => {
  await v?.stop();
});

async function momentsWithThreads(): Promise<MomentDetail[]> {
  const { items } = await ok<{ items: Moment[] }>(ADMIN, 'moments.list', { limit: 50 });
  return Promise.all(items.map((m) => ok<MomentDetail>(ADMIN, 'moments.get', { id: m.id })));
}

async function mentionId(externalPrefix: string): Promise<number> {
  const { items } = await ok<{ items: { id: number; externalId: string | null }[] }>(ADMIN, 'mentions.list', { limit: 500 });
  return items.find((m) => m.externalId === `${externalPrefix}0`)!.id;
}

describe('declared owned threads', () => {
  it('a pile-on on the declared post opens a crisis that tracks its thread; the undeclared "@brand" source has no thread key', async () => {
    const details = await momentsWithThreads();
    const threadKeys = details.flatMap((d) => d.keys.filter((k) => k.kind === 'thread').map((k) => [d.moment.kind, k.label]));
    // Everything the moments hold, should this fail (it failed once, under a loaded CI run).
    const seen = JSON.stringify(details.map((d) => [d.moment.kind, d.moment.title, d.moment.openedAt, d.keys.map((k) => k.label)]));
    expect(threadKeys, seen).toEqual([['crisis', 'ig-post-8841 · Instagram @caffeaurora']]);
  });

  it('the commenters of the declared post form the "own accounts" audience, strong; the fan club is not in it', async () => {
    const { items } = await ok<{ items: { name: string; mentionCount: number; strength: { strength: string; reason: string } }[] }>(ADMIN, 'audiences.list', {});
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ name: 'Account Aurora', mentionCount: 40, strength: { strength: 'strong', reason: 'velocity' } });
    const crisis = (await momentsWithThreads()).find((d) => d.keys.some((k) => k.kind === 'thread'))!;
    const { risk } = await ok<{ risk: { area: string; explanation: string } }>(ADMIN, 'risk.moment', { momentId: crisis.moment.id });
    expect(risk.area).toBe('strong');
    expect(risk.explanation).toContain('«Account Aurora»');
  });

  it('a reply on the declared post is high severity with the legal step naming the audience; on the fan club it is moderate, owner only', async () => {
    const own = await ok<Detail>(GIULIA, 'responses.create', { targetKind: 'mention', targetId: await mentionId('own'), channelId, text: 'Ci scusiamo, vi scriviamo in privato.' });
    expect(own.response.severity).toBe('high');
    const ownSubmitted = await ok<Detail>(GIULIA, 'responses.submit', { id: own.response.id });
    expect(ownSubmitted.steps.map((s) => s.kind)).toEqual(['legal', 'owner']);
    expect(ownSubmitted.steps[0]!.reasons).toContain('Revisione legale: pubblico forte «Account Aurora».');

    const fan = await ok<Detail>(GIULIA, 'responses.create', { targetKind: 'mention', targetId: await mentionId('fan'), channelId, text: 'Grazie del messaggio.' });
    expect(fan.response.severity).toBe('moderate');
    const fanSubmitted = await ok<Detail>(GIULIA, 'responses.submit', { id: fan.response.id });
    expect(fanSubmitted.steps.map((s) => s.kind)).toEqual(['owner']);
  });

  it('the "@brand" source is offered as a suggestion, not counted; duplicates and bad input get Italian errors; the list is audited', async () => {
    const sugg = await ok<{ items: { brandId: number; type: string; value: string; count: number }[] }>(GIULIA, 'perimeters.ownedSuggestions', {});
    expect(sugg.items).toEqual([
      { brandId, type: 'source', value: 'Fan club @caffeaurora', count: 40 },
      { brandId, type: 'source', value: 'Instagram @caffeaurora', count: 40 },
    ]);
    const dup = await call(GIULIA, 'perimeters.ownedAdd', { brandId, type: 'url', value: 'http://instagram.com/p/ig-post-8841' });
    expect(dup).toMatchObject({ status: 409, body: { error: { code: 'conflict', message: '«https://www.instagram.com/p/ig-post-8841/» è già tra gli account propri di «Caffè Aurora».' } } });
    const bad = await call(GIULIA, 'perimeters.ownedAdd', { brandId, type: 'handle', value: '@caffè aurora' });
    expect(bad).toMatchObject({ status: 400, body: { error: { code: 'invalid', details: [{ text: 'value: un handle è @nome, senza spazi (per Mastodon @nome@istanza)', path: 'value' }] } } });
    const audit = await ok<{ items: { action: string; actor: string; detail: string }[] }>(ADMIN, 'audit.list', { filter: { action: 'perimeters.ownedAdd' } });
    // Newest first: the duplicate refused by the service, then the addition (the malformed
    // handle never reached it: the input's shape is checked before any handler runs).
    expect(audit.items.map((i) => [i.actor, (JSON.parse(i.detail) as { esito?: string }).esito ?? 'ok'])).toEqual([['giulia', 'fallito'], ['giulia', 'ok']]);
  });
});
