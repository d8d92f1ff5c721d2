// Issue #18 item 7: a planted-secret test. Credentials of every kind (Reddit client secret,
// password and refresh token, a Mastodon token, a Discourse API key) are planted as unique
// strings, then the sources are used the way people use them, failures included: a service
// that answers 401, one that answers 500 echoing what it was sent. Afterwards not one of the
// strings may appear in the logs, in anything the ops answered (health, previews, errors),
// in the audit log or its CSV export, or in any file of the data folder but the sealed key.
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp } from '../../src/app/app';
import type { Logger } from '../../src/core/platform';
import { createConnectorRegistry } from '../../src/connectors/inbound/registry';
import { createRedditConnector } from '../../src/connectors/inbound/reddit';
import type { SourceView } from '../../src/shared/ops/sources';
import { FakeDiscourse, FakeMastodon } from '../support/fake-social';
import { resourcesDir, tempDir } from './support/app';
import { FakeReddit } from './support/fake-reddit';

const reddit = new FakeReddit();
const mastodon = new FakeMastodon();
const discourse = new FakeDiscourse();

const PLANTED = {
  redditSecret: 'PLANTED-reddit-client-secret-4f1c',
  redditPassword: 'PLANTED-reddit-password-9b2e',
  redditRefresh: 'PLANTED-reddit-refresh-77aa',
  mastodonToken: 'PLANTED-mastodon-token-c3d0',
  discourseKey: 'PLANTED-discourse-key-e5f6',
};

beforeAll(async () => {
  await Promise.all([reddit.start(), mastodon.start(), discourse.start()]);
  reddit.app = { ...reddit.app, clientSecret: PLANTED.redditSecret, password: PLANTED.redditPassword, refreshToken: PLANTED.redditRefresh };
  mastodon.token = PLANTED.mastodonToken;
  discourse.apiKey = { key: PLANTED.discourseKey, username: 'system' };
});
afterAll(async () => {
  await Promise.all([reddit.stop(), mastodon.stop(), discourse.stop()]);
});

/** Every file of the data folder, recursively, as text (the sealed key file excepted). */
function folderText(dir: string): string {
  let out = '';
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out += folderText(p);
    else if (name !== 'secrets.key') out += `\n${name}\n${readFileSync(p).toString('latin1')}`;
  }
  return out;
}

describe('planted secrets', () => {
  it('never appear in logs, answers, the audit, its export or the data folder', async () => {
    const dataDir = tempDir('vedetta-planted-');
    const logged: string[] = [];
    const capture = (level: string) => (msg: string, extra?: Record<string, unknown>) => void logged.push(`${level} ${msg} ${JSON.stringify(extra ?? {})}`);
    const logger: Logger = { info: capture('info'), warn: capture('warn'), error: capture('error') };
    const app = openApp({
      platform: { dataDir, resourcesDir, now: () => Date.now(), logger },
      mode: 'browser',
      connectors: {
        ...createConnectorRegistry(),
        reddit: createRedditConnector({ endpointDomain: reddit.endpointDomain, requestOptions: { ca: reddit.ca, lookup: reddit.lookup }, timeoutMs: 5_000 }),
      },
      maxPerHost: 20,
    });
    const answers: unknown[] = [];
    const call = async (op: string, input: unknown): Promise<unknown> => {
      try {
        const out = await app.dispatch(op as never, input as never);
        answers.push(out);
        return out;
      } catch (e) {
        answers.push(e instanceof Error ? { name: e.name, message: e.message, ...(e as unknown as Record<string, unknown>) } : e);
        return null;
      }
    };
    try {
      app.startSources();
      const r = (await call('sources.add', {
        kind: 'reddit',
        name: 'r/italy',
        config: { mode: 'subreddit_posts', subreddit: 'italy', clientId: reddit.app.clientId, username: reddit.app.username },
        secrets: { clientSecret: PLANTED.redditSecret, password: PLANTED.redditPassword },
        intervalSec: 3600,
      })) as SourceView;
      const rc = (await call('sources.add', {
        kind: 'reddit',
        name: 'r/italy commenti',
        config: { mode: 'subreddit_comments', subreddit: 'italy', clientId: reddit.app.clientId },
        secrets: { refreshToken: PLANTED.redditRefresh, clientSecret: PLANTED.redditSecret },
        intervalSec: 3600,
      })) as SourceView;
      const m = (await call('sources.add', {
        kind: 'mastodon',
        name: 'Mastodon #caffè',
        config: { instanceUrl: mastodon.base, mode: 'hashtag', hashtag: 'caffe' },
        secrets: { accessToken: PLANTED.mastodonToken },
        intervalSec: 3600,
      })) as SourceView;
      const d = (await call('sources.add', {
        kind: 'discourse',
        name: 'Forum',
        config: { baseUrl: discourse.base, mode: 'latest', apiUsername: 'system' },
        secrets: { apiKey: PLANTED.discourseKey },
        intervalSec: 3600,
      })) as SourceView;
      expect([r, rc, m, d].every((s) => s && typeof s.id === 'number'), JSON.stringify(answers).slice(0, 1500)).toBe(true);

      for (const s of [r, rc, m, d]) await call('sources.pollNow', { id: s.id });
      // Failures: the service refuses, then answers 500 echoing the credentials it got.
      reddit.forced = [
        { status: 401, body: '{"error": 401}' },
        { status: 500, body: JSON.stringify({ error: `bad request: client_secret=${PLANTED.redditSecret}&password=${PLANTED.redditPassword}` }) },
      ];
      await call('sources.pollNow', { id: r.id });
      await call('sources.pollNow', { id: rc.id });
      await call('sources.test', { kind: 'reddit', id: r.id, config: { mode: 'subreddit_posts', subreddit: 'italy', clientId: reddit.app.clientId, username: reddit.app.username }, secrets: { clientSecret: `${PLANTED.redditSecret}-x` } });
      mastodon.token = `${PLANTED.mastodonToken}-rotated`;
      await call('sources.pollNow', { id: m.id });
      await call('sources.test', { kind: 'mastodon', config: { instanceUrl: mastodon.base, mode: 'hashtag', hashtag: 'caffe' }, secrets: { accessToken: PLANTED.mastodonToken } });
      discourse.apiKey = null;
      await call('sources.update', { id: d.id, secrets: { apiKey: `${PLANTED.discourseKey}-2` } });
      await call('sources.list', {});
      await call('audit.list', { limit: 500 });
      let csv = '';
      app.auditService.exportCsv({}, (c) => void (csv += c));
      expect(csv.split('\r\n').length).toBeGreaterThan(4);

      const everything = [logged.join('\n'), JSON.stringify(answers), csv].join('\n');
      app.close();
      const files = folderText(dataDir);
      for (const [name, secret] of Object.entries(PLANTED)) {
        expect(everything.includes(secret), `${name} in logs, answers or the audit`).toBe(false);
        expect(files.includes(secret), `${name} in the data folder`).toBe(false);
      }
      // The sources did run: the check is not vacuous.
      expect(JSON.stringify(answers)).toContain('r/italy');
      expect(files).toContain('sources.add');
    } finally {
      app.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
