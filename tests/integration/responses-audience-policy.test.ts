// A response to a mention from a strong audience gets the legal step even when the mention
// belongs to no moment, and the step says which audience. The real `vedetta serve`, people
// created with the real CLI, real sessions over HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, postMentions, startVedetta, type TestUser, type VedettaInstance } from '../support/vedetta-process';

const GIULIA: TestUser = { username: 'giulia', password: 'password-di-giulia', roles: ['manager'], name: 'Giulia' };

let v: VedettaInstance;
const sessions = new Map<string, string>();
let channelId = 0;
const mentionOf = new Map<string, number>();

async function ok<T>(user: TestUser, op: string, input: unknown): Promise<T> {
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
  const body = (await res.json()) as T;
  if (res.status !== 200) throw new Error(`${op} as ${user.username} → ${res.status}: ${JSON.stringify(body)}`);
  return body;
}

interface Detail {
  response: { id: number; state: string };
  steps: { id: number; kind: string; state: string; reasons: string[] }[];
}

beforeAll(async () => {
  v = await startVedetta({ users: [ADMIN, GIULIA] });
  const brand = await ok<{ id: number }>(ADMIN, 'perimeters.brandCreate', { name: 'Caffè Aurora' });
  // An ordinary in-perimeter theme: nothing here asks for legal by itself.
  await ok(ADMIN, 'perimeters.themeCreate', { brandId: brand.id, name: 'Al bar', query: 'cappuccino', swot: 'strength', stance: 'in_perimeter' });
  // Audiences first, so memberships are kept at ingest.
  await ok(ADMIN, 'audiences.create', { name: 'Clienti Aurora', type: 'primary', rules: { sources: ['Instagram @caffeaurora'] } });
  await ok(ADMIN, 'audiences.create', { name: 'Forum generico', type: 'generic', rules: { sources: ['Forum Caffè'] } });
  await ok(ADMIN, 'audiences.create', { name: 'Baristi', type: 'secondary', rules: { sources: ['Forum Baristi'] }, override: 'strong' });
  const now = Date.now();
  // "Clienti Aurora": thirty people in a minute on the brand's post (velocity well past 5/min).
  const crowd = Array.from({ length: 30 }, (_, i) => ({
    source: 'Instagram @caffeaurora',
    external_id: `ig${i}`,
    author: `cliente${i}`,
    text: i === 0 ? 'Il cappuccino di ieri era tiepido' : `Buongiorno a tutti, cappuccino numero ${i}`,
    lang: 'it',
    published_at: new Date(now - 60_000 + i * 2_000).toISOString(),
  }));
  const posted = await postMentions(v, [
    ...crowd,
    { source: 'Forum Caffè', external_id: 'fg1', author: 'solo', text: 'Il cappuccino del bar sotto casa è tiepido', lang: 'it', published_at: new Date(now - 5_000).toISOString() },
    { source: 'Forum Baristi', external_id: 'fb1', author: 'mario', text: 'Come montate il latte per il cappuccino?', lang: 'it', published_at: new Date(now - 4_000).toISOString() },
  ]);
  expect(posted.status).toBe(202);
  const list = await ok<{ items: { id: number; externalId?: string; text: string }[] }>(ADMIN, 'mentions.list', { limit: 100 });
  mentionOf.set('strong', list.items.find((m) => m.text.includes('ieri era tiepido'))!.id);
  mentionOf.set('weak', list.items.find((m) => m.text.includes('sotto casa'))!.id);
  mentionOf.set('override', list.items.find((m) => m.text.includes('montate il latte'))!.id);
  channelId = (await ok<{ id: number }>(ADMIN, 'publishing.channelCreate', { kind: 'manual', name: 'A mano' })).id;
}, 120_000);
afterAll(async () => {
  await v?.stop();
});

async function submitOn(mentionId: number): Promise<Detail> {
  const d = await ok<Detail>(GIULIA, 'responses.create', { targetKind: 'mention', targetId: mentionId, channelId, text: 'Grazie, ci pensiamo noi.' });
  return ok<Detail>(GIULIA, 'responses.submit', { id: d.response.id });
}

describe('policy: strong audiences', () => {
  it('the audiences read as expected, and no moment holds these mentions', async () => {
    const { items } = await ok<{ items: { name: string; strength: { strength: string; reason: string } }[] }>(ADMIN, 'audiences.list', {});
    const by = new Map(items.map((a) => [a.name, a.strength]));
    expect(by.get('Clienti Aurora')).toMatchObject({ strength: 'strong', reason: 'velocity' });
    expect(by.get('Forum generico')).toMatchObject({ strength: 'weak' });
    expect(by.get('Baristi')).toMatchObject({ strength: 'strong', reason: 'override' });
    const moments = await ok<{ total: number }>(ADMIN, 'moments.list', {});
    expect(moments.total).toBe(0);
  });

  it('a mention of a strong audience, in no moment, gets the legal step naming the audience', async () => {
    const d = await submitOn(mentionOf.get('strong')!);
    expect(d.steps.map((s) => [s.kind, s.state])).toEqual([['legal', 'active'], ['owner', 'waiting']]);
    expect(d.steps[0]!.reasons).toEqual(['Revisione legale: pubblico forte «Clienti Aurora».']);
  });

  it("the strategist's override counts as strong", async () => {
    const d = await submitOn(mentionOf.get('override')!);
    expect(d.steps.map((s) => s.kind)).toEqual(['legal', 'owner']);
    expect(d.steps[0]!.reasons).toEqual(['Revisione legale: pubblico forte «Baristi».']);
  });

  it('a mention of a weak audience gets no legal step', async () => {
    const d = await submitOn(mentionOf.get('weak')!);
    expect(d.steps.map((s) => s.kind)).toEqual(['owner']);
  });
});
