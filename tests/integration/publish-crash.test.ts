// Fault injection: the real `vedetta serve` process is SIGKILLed between "the platform
// accepted the post" and "Vedetta recorded it" (VEDETTA_TEST_CRASH_AFTER_SEND=1, read by the
// CLI host and handed to core through the Platform). Restarted, it reconciles the row left in
// `sending` before any retry, and each platform ends up with exactly ONE post:
// Reddit (found among the account's comments), Mastodon (found among the account's statuses)
// and the webhook (sent again with the same Idempotency-Key; the receiver dedupes).
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp } from '../../src/app/app';
import { silentLogger } from '../../src/core/platform';
import type { PublishChannelCreate } from '../../src/shared/publishing';
import { FakeReddit } from '../support/fake-reddit';
import { FakeMastodonWriter, FakeWebhookReceiver } from '../support/fake-publish';
import { startVedetta } from '../support/vedetta-process';
import { resourcesDir } from './support/app';

const reddit = new FakeReddit();
const masto = new FakeMastodonWriter();
const hook = new FakeWebhookReceiver();
let redditEnv: Record<string, string> = {};
const dirs: string[] = [];

beforeAll(async () => {
  await Promise.all([reddit.start(), masto.start(), hook.start()]);
  reddit.posts = [{ id: 'aaa1', subreddit: 'italy', title: 'Caffè Aurora chiude?', author: 'mario', created_utc: Math.floor(Date.now() / 1000) - 600 }];
  const d = mkdtempSync(join(tmpdir(), 'vedetta-ca-file-'));
  dirs.push(d);
  redditEnv = reddit.publishEnv(d);
});
afterAll(async () => {
  await Promise.all([reddit.stop(), masto.stop(), hook.stop()]);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Channel, target mention and one queued entry, written by the real core in-process; the worker does not run. */
async function prepared(channel: PublishChannelCreate, mention: { external_id: string; url?: string } | null, text: string): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'vedetta-crash-'));
  dirs.push(dataDir);
  const app = openApp({ platform: { dataDir, resourcesDir, now: () => Date.now(), logger: silentLogger }, mode: 'cli' });
  try {
    const ch = (await app.dispatch('publishing.channelCreate', channel)) as { id: number };
    const mentionId = mention ? (app.ingestWebhook({ source: 'Social', text: 'Chiude davvero?', ...mention }).ids?.[0] ?? null) : null;
    app.publishing.enqueue({
      responseId: 1,
      versionId: 1,
      contentHash: 'c0ffee',
      channelId: ch.id,
      targetMentionId: mentionId,
      text,
      actor: { userId: 3, username: 'owner', displayName: 'Owner', roles: ['owner'] },
    });
  } finally {
    app.close();
  }
  return dataDir;
}

interface Row {
  state: string;
  attempts: number;
  external_id: string | null;
  url: string | null;
}
function outbox(dataDir: string): Row[] {
  const db = new Database(join(dataDir, 'vedetta.db'), { readonly: true });
  try {
    return db.prepare('SELECT state, attempts, external_id, url FROM publish_outbox').all() as Row[];
  } finally {
    db.close();
  }
}
function auditActions(dataDir: string): string[] {
  const db = new Database(join(dataDir, 'vedetta.db'), { readonly: true });
  try {
    return (db.prepare(`SELECT action FROM audit_log WHERE action LIKE 'publishing.%' ORDER BY id`).all() as { action: string }[]).map((r) => r.action);
  } finally {
    db.close();
  }
}

const env = (): Record<string, string> => ({
  ...redditEnv,
  VEDETTA_TEST_PUBLISH_BACKOFF_MS: '50',
});

async function waitFor<T>(what: string, fn: () => T | undefined, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Crash after the send, check the row is left in `sending`, restart, wait for it to be published. */
async function crashAndRecover(dataDir: string, posts: () => number): Promise<Row> {
  const first = await startVedetta({ dataDir, env: { ...env(), VEDETTA_TEST_CRASH_AFTER_SEND: '1' } });
  const ended = await first.exited;
  expect(ended.signal).toBe('SIGKILL');
  expect(posts()).toBe(1);
  expect(outbox(dataDir)).toEqual([expect.objectContaining({ state: 'sending', attempts: 1, external_id: null })]);

  const second = await startVedetta({ dataDir, env: env() });
  try {
    const row = await waitFor('the entry to settle', () => outbox(dataDir).find((r) => r.state === 'published' || r.state === 'failed'));
    expect(row.state).toBe('published');
    expect(posts()).toBe(1);
    return row;
  } finally {
    await second.stop();
  }
}

describe('a crash between "sent" and "recorded"', { timeout: 90_000 }, () => {
  it('Reddit: the comment is found on restart and recorded; Reddit has exactly one', async () => {
    const dataDir = await prepared(
      { kind: 'reddit', name: 'Reddit', config: { clientId: reddit.app.clientId, username: reddit.app.username }, secrets: { clientSecret: reddit.app.clientSecret, password: reddit.app.password } },
      { external_id: 't3_aaa1' },
      'Nessuna chiusura: siamo aperti come sempre.',
    );
    const row = await crashAndRecover(dataDir, () => reddit.posted().length);
    expect(row.external_id).toBe(`t1_${reddit.posted()[0]!.id}`);
    expect(row.url).toContain('/r/italy/comments/aaa1/');
    expect(reddit.log.filter((l) => l.path === '/api/comment')).toHaveLength(1);
    expect(auditActions(dataDir)).toEqual(['publishing.channelCreate', 'publishing.enqueue', 'publishing.interrupted', 'publishing.reconciled']);
  });

  it('Mastodon: the status is found among the account statuses; one status', async () => {
    const dataDir = await prepared(
      { kind: 'mastodon', name: 'Mastodon', config: { instance: masto.base }, secrets: { accessToken: masto.token } },
      { external_id: `mastodon:${new URL(masto.base).host}:4001` },
      'Ciao! Nessuna chiusura.',
    );
    const row = await crashAndRecover(dataDir, () => masto.statuses.length);
    expect(row.external_id).toBe(masto.statuses[0]!.id);
    expect(masto.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  it('webhook: sent again with the same Idempotency-Key; the receiver keeps one delivery', async () => {
    const dataDir = await prepared(
      { kind: 'webhook', name: 'CMS', config: { url: `${hook.base}/in` }, secrets: { hmacSecret: hook.secret } },
      null,
      'Comunicato per il CMS',
    );
    const row = await crashAndRecover(dataDir, () => hook.deliveries.length);
    expect(row.external_id).toBe('wh-1');
    expect(hook.received).toBe(2);
    const keys = new Set(hook.requests.filter((r) => r.method === 'POST').map((r) => r.headers['idempotency-key']));
    expect(keys.size).toBe(1);
  });
});
