// `vedetta sources add|test --kind mastodon` as an admin scripts it: credentials from the
// environment (the documented way, never on the command line), sealed in the data folder,
// never printed back; then `vedetta serve` polls the fake Mastodon on 127.0.0.1 with them.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceView } from '../../src/shared/ops/sources';
import { FakeMastodon } from '../support/fake-social';
import { startVedetta } from '../support/vedetta-process';
import { tempDir } from './support/app';
import { vedetta } from './support/cli';



const TOKEN = 'tok-cli-mastodon-7f3a';
const mastodon = new FakeMastodon();

beforeAll(async () => {
  await mastodon.start();
  mastodon.token = TOKEN;
  mastodon.statuses = [
    { id: '2001', username: 'anna', content: '<p>Il nuovo <a href="x">#CaffeAurora</a> è aperto</p>', tags: ['caffeaurora'], created_at: '2025-06-10T08:00:00.000Z' },
    { id: '2002', username: 'luca', content: '<p>Ci vado domani</p>', tags: ['caffeaurora'], created_at: '2025-06-10T08:10:00.000Z', in_reply_to_id: '2001' },
  ];
});
afterAll(async () => {
  await mastodon.stop();
});

describe('vedetta sources with a Mastodon hashtag and an access token', () => {
  it('test and add read the token from the environment, seal it, and serve polls with it', async () => {
    const data = tempDir('vedetta-cli-social-');
    const opts = ['--kind', 'mastodon', '--instance', mastodon.base, '--mode', 'hashtag', '--hashtag', 'CaffeAurora'];
    try {
      // Without the token this instance refuses (it requires one): the dry run says so in Italian.
      const refused = await vedetta(['sources', 'test', ...opts]);
      expect(refused.code).toBe(1);
      expect(refused.stdout).toMatch(/Prova non riuscita: l'istanza Mastodon rifiuta le credenziali \(401\)/);
      const ok = await vedetta(['sources', 'test', ...opts], { VEDETTA_SECRET_ACCESS_TOKEN: TOKEN });
      expect(ok.code, ok.stdout + ok.stderr).toBe(0);
      expect(ok.stdout).toMatch(/Prova riuscita: 2 elementi/);
      expect(ok.stdout).toContain('Ci vado domani');

      // A Mastodon source takes only an access token: an API key is refused, nothing added.
      const wrong = await vedetta(['sources', 'add', ...opts, '--data', data], { VEDETTA_SECRET_API_KEY: 'k' });
      expect(wrong.code).toBe(1);
      expect(wrong.stderr).toMatch(/usa solo queste credenziali: accessToken/);

      const add = await vedetta(['sources', 'add', ...opts, '--name', 'Hashtag brand', '--interval', '600', '--data', data], { VEDETTA_SECRET_ACCESS_TOKEN: TOKEN });
      expect(add.code, add.stderr).toBe(0);
      expect(add.stdout).toMatch(/Fonte aggiunta: #\d+ «Hashtag brand» \(mastodon\), controllo ogni 600 s/);
      expect(add.stdout + add.stderr).not.toContain(TOKEN);

      const listed = await vedetta(['sources', 'list', '--format', 'json', '--data', data]);
      expect(listed.stdout).not.toContain(TOKEN);
      const [src] = JSON.parse(listed.stdout) as SourceView[];
      expect(src).toMatchObject({ kind: 'mastodon', secretNames: ['accessToken'], config: { instanceUrl: mastodon.base, mode: 'hashtag', hashtag: 'CaffeAurora' } });
      const files = readdirSync(data).filter((f) => f.startsWith('vedetta.db'));
      for (const f of files) expect(readFileSync(join(data, f)).toString('latin1')).not.toContain(TOKEN);

      // serve (same data folder, same local key) opens the sealed token and polls with it.
      const v = await startVedetta({ dataDir: data });
      try {
        await expect
          .poll(
            async () => {
              const after = JSON.parse((await vedetta(['sources', 'list', '--format', 'json', '--data', data])).stdout) as SourceView[];
              return [after[0]?.health.state, after[0]?.mentionCount];
            },
            { timeout: 30_000, interval: 500 },
          )
          .toEqual(['ok', 2]);
        expect(mastodon.log.at(-1)?.headers.authorization).toBe(`Bearer ${TOKEN}`);
      } finally {
        await v.stop();
      }
    } finally {
      rmSync(data, { recursive: true, force: true });
    }
  }, 180_000);
});
