// One contract suite, run against both adapters (HTTP + WebSocket, and Electron IPC), so
// the UI sees the same behaviour whichever way it is connected.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError, type EventName, type EventPayload, type VedettaApi } from '../../src/shared/contract';
import type { IngestResult } from '../../src/shared/schemas';

export interface ContractHarness {
  api: VedettaApi;
  dataDir: string;
  mode: 'desktop' | 'browser';
  /** How mentions enter in this setup (the real webhook for HTTP, core's ingest for IPC). */
  push(body: unknown): Promise<IngestResult>;
  close(): Promise<void>;
}

export async function expectApiError(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError);
    return e as ApiError;
  }
  throw new Error('expected the call to fail');
}

export function nextEvent<E extends EventName>(
  api: VedettaApi,
  event: E,
  match: (p: EventPayload<E>) => boolean = () => true,
  timeoutMs = 10_000,
): Promise<EventPayload<E>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no ${event} event within ${timeoutMs} ms`));
    }, timeoutMs);
    const off = api.on(event, (p) => {
      if (!match(p)) return;
      clearTimeout(timer);
      off();
      resolve(p);
    });
  });
}

const mention = (i: number, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  source: 'Contract test',
  external_id: `ct-${i}`,
  url: `https://example.com/p/${i}`,
  author: `utente${i}`,
  text: `Menzione numero ${i}`,
  published_at: new Date(Date.UTC(2026, 10, 20, 10, 0, i)).toISOString(),
  lang: 'it',
  ...extra,
});

export function defineContractSuite(name: string, open: () => Promise<ContractHarness>): void {
  describe(`contract over ${name}`, () => {
    let h: ContractHarness;
    beforeEach(async () => {
      h = await open();
    });
    afterEach(async () => {
      await h.close();
    });

    it('app.info describes this instance', async () => {
      const info = await h.api.call('app.info', {});
      expect(info.version).toMatch(/^\d+\.\d+\.\d+/);
      expect(info.dataDir).toBe(h.dataDir);
      expect(info.mode).toBe(h.mode);
      expect(info.mentionCount).toBe(0);
    });

    it('settings round-trip and survive a re-read', async () => {
      const before = await h.api.call('settings.get', {});
      expect(before.locale).toBe('it');
      const updated = await h.api.call('settings.update', { locale: 'en', theme: 'dark' });
      expect(updated).toMatchObject({ locale: 'en', theme: 'dark', onboarded: before.onboarded });
      expect(await h.api.call('settings.get', {})).toEqual(updated);
    });

    it('invalid input is refused with code invalid and readable details', async () => {
      const err = await expectApiError(h.api.call('settings.update', { theme: 'neon' } as never));
      expect(err.code).toBe('invalid');
      expect(err.details?.some((d) => d.path === 'theme' && d.text.startsWith('theme: '))).toBe(true);

      const err2 = await expectApiError(h.api.call('mentions.get', { id: 'uno' } as never));
      expect(err2.code).toBe('invalid');
      expect(err2.details?.length).toBeGreaterThan(0);

      const err3 = await expectApiError(h.api.call('no.such.op' as never, {} as never));
      expect(err3.code).toBe('invalid');
    });

    it('ingested mentions can be listed and opened', async () => {
      const res = await h.push([mention(1), mention(2), mention(3, { thread_id: 't-1' })]);
      expect(res.accepted).toBe(3);
      const list = await h.api.call('mentions.list', { query: {} });
      expect(list.total).toBe(3);
      expect(list.items.map((m) => m.externalId).sort()).toEqual(['ct-1', 'ct-2', 'ct-3']);
      const first = list.items.find((m) => m.externalId === 'ct-2');
      expect(first).toBeDefined();
      const got = await h.api.call('mentions.get', { id: first!.id });
      expect(got.mention).toMatchObject({ id: first!.id, text: 'Menzione numero 2', sourceName: 'Contract test' });
      expect(Array.isArray(got.thread)).toBe(true);
      expect((await h.api.call('app.info', {})).mentionCount).toBe(3);

      const missing = await expectApiError(h.api.call('mentions.get', { id: 987654 }));
      expect(missing.code).toBe('not_found');
    });

    it('full-text search ignores accents and case, and ANDs words', async () => {
      await h.push([
        mention(10, { text: 'Il caffè di stamattina era perfetto' }),
        mention(11, { text: 'CAFFE troppo amaro, crema assente' }),
        mention(12, { text: 'Consegna in ritardo di tre giorni' }),
      ]);
      const hits = await h.api.call('mentions.list', { query: { text: 'caffe' } });
      expect(hits.items.map((m) => m.externalId).sort()).toEqual(['ct-10', 'ct-11']);
      const both = await h.api.call('mentions.list', { query: { text: 'Caffè crema' } });
      expect(both.items.map((m) => m.externalId)).toEqual(['ct-11']);
      const none = await h.api.call('mentions.list', { query: { text: 'inesistente' } });
      expect(none.total).toBe(0);
    });

    it('text holding HTML and script comes back as inert plain text', async () => {
      const text = 'Guardate qui <script>alert("x")</script> <img src=x onerror=alert(1)>';
      await h.push(mention(20, { text }));
      const list = await h.api.call('mentions.list', { query: {} });
      const m = list.items.find((x) => x.externalId === 'ct-20');
      // Core stores plain text: the words stay, markup and script are gone.
      expect(m?.text).toContain('Guardate qui');
      expect(m?.text).not.toMatch(/<script|<img|onerror/);
    });

    it('mentions.added reaches the client', async () => {
      const arrived = nextEvent(h.api, 'mentions.added', (p) => p.items.some((m) => m.externalId === 'ct-30'));
      await h.push(mention(30));
      const payload = await arrived;
      const m = payload.items.find((x) => x.externalId === 'ct-30');
      expect(m).toMatchObject({ text: 'Menzione numero 30', sourceName: 'Contract test', status: 'new' });
    });

    it('sources: add, edit, pause, resume and delete cross the adapter with Italian errors and sources.changed', async () => {
      const changed = nextEvent(h.api, 'sources.changed');
      // Nothing listens on port 9 of 127.0.0.1; the source is added all the same, and fails.
      const s = await h.api.call('sources.add', { kind: 'rss', name: 'Contratto', config: { url: 'http://127.0.0.1:9/feed' }, intervalSec: 600 });
      await changed;
      expect(s).toMatchObject({ kind: 'rss', name: 'Contratto', polled: true, intervalSec: 600, config: { url: 'http://127.0.0.1:9/feed' }, secretNames: [] });
      const bad = await expectApiError(h.api.call('sources.add', { kind: 'rss', config: { url: 'ftp://x' } }));
      expect(bad.code).toBe('invalid');
      expect(bad.detailLines('it').join(' ')).toMatch(/http:\/\/ o https:\/\//);
      const edited = await h.api.call('sources.update', { id: s.id, name: 'Contratto 2', intervalSec: 120 });
      expect(edited).toMatchObject({ name: 'Contratto 2', intervalSec: 120 });
      expect((await h.api.call('sources.pause', { id: s.id })).health.state).toBe('paused');
      expect((await h.api.call('sources.resume', { id: s.id })).enabled).toBe(true);
      expect(await h.api.call('sources.delete', { id: s.id })).toEqual({ id: s.id, name: 'Contratto 2', deletedMentions: 0 });
      expect((await expectApiError(h.api.call('sources.pause', { id: s.id }))).code).toBe('not_found');
    });

    it('status changes are stored', async () => {
      const res = await h.push(mention(40));
      const id = res.ids[0]!;
      const updated = await h.api.call('mentions.setStatus', { id, status: 'read' });
      expect(updated.status).toBe('read');
      expect((await h.api.call('mentions.get', { id })).mention.status).toBe('read');
    });
    it('perimeters: themes match arriving mentions, the tester answers, bad queries are refused with their position', async () => {
      const changed = nextEvent(h.api, 'perimeters.changed');
      const brand = await h.api.call('perimeters.brandCreate', { name: 'Caffè Aurora' });
      await changed;
      const bad = await expectApiError(h.api.call('perimeters.themeCreate', { brandId: brand.id, name: 'Rotto', query: 'muffa NEAR/ capsule', swot: 'threat' }));
      expect(bad.code).toBe('invalid');
      expect(bad.message).toMatch(/NEAR\/ vuole un numero/);
      expect(bad.details).toContainEqual({ text: 'colonna 7', key: 'query.atColumn', params: { column: 7 } });
      expect(bad.detailLines('en')).toEqual(['position 6', 'column 7']);
      const theme = await h.api.call('perimeters.themeCreate', { brandId: brand.id, name: 'Muffa', query: 'muffa AND capsul*', swot: 'threat', stance: 'sensitive' });
      expect((await h.api.call('perimeters.list', {})).themes.map((t) => t.name)).toEqual(['Muffa']);

      const added = nextEvent(h.api, 'mentions.added');
      await h.push([mention(1, { text: 'Muffa nelle capsule!' }), mention(2, { text: 'Tutto bene' })]);
      const { items } = await added;
      const hit = items.find((m) => m.text === 'Muffa nelle capsule!');
      expect(hit?.themes).toEqual([{ themeId: theme.id, relevance: expect.any(Number), spans: [{ field: 'text', start: 0, end: 5 }, { field: 'text', start: 12, end: 19 }] }]);
      expect(items.find((m) => m.text === 'Tutto bene')?.themes).toEqual([]);

      const tested = await h.api.call('perimeters.testQuery', { query: 'capsul* OR bene' });
      expect(tested).toMatchObject({ ok: true, count: 2, total: 2 });
      const broken = await h.api.call('perimeters.testQuery', { query: '(muffa' });
      expect(broken).toEqual({ ok: false, error: { message: 'parentesi non chiusa alla colonna 1', key: 'query.unclosedParen', params: { col: 1 }, position: 0, column: 1, length: 1 } });

      const byTheme = await h.api.call('mentions.list', { query: { themeIds: [theme.id] } });
      expect(byTheme.items.map((m) => m.text)).toEqual(['Muffa nelle capsule!']);
    });
  });
}
