// The texts moved into the catalogue read the same in Italian as before and have their
// English: a connector's failure, zod's wording, an alert line, a publisher's refusal, and the
// command line's own lines, which follow VEDETTA_LANG like its errors.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { renderText, type TextRef } from '../../src/shared/errors';
import { statusError } from '../../src/connectors/inbound/http/json-api';
import { redditConfigProblem } from '../../src/connectors/inbound/reddit';
import { publishError } from '../../src/core/publishing/ports';
import { parseWorded } from '../../src/core/ingest/zod-it';
import { fmtValue } from '../../src/core/metrics/series';
import { main } from '../../src/cli/main';
import { tempDir } from './support/core';

const both = (ref: TextRef | undefined): [string, string] => {
  if (!ref) throw new Error('no ref');
  return [renderText(ref.key, ref.params, 'it'), renderText(ref.key, ref.params, 'en')];
};

describe('texts of the connectors and core, in both languages', () => {
  it("a service's failure names the service in each language's grammar", () => {
    const forum = statusError('forum', 503);
    expect(forum.message).toBe('il forum ha risposto 503');
    expect(both(forum.ref)).toEqual(['il forum ha risposto 503', 'the forum answered 503']);
    const throttled = statusError('mastodon', 429, 5 * 60_000);
    expect(both(throttled.ref)).toEqual(["troppe richieste all'istanza Mastodon (429): riprovo tra 5 minuti", 'too many requests to the Mastodon instance (429): retrying in 5 minutes']);
    // The Italian wording is the one the connector said before the catalogue.
    expect(redditConfigProblem({ mode: 'search' } as never, { password: 'x' })).toBe('indica le parole da cercare');
  });

  it("a publisher's refusal keeps the platform's words after ours", () => {
    const e = publishError('publish.credentials', { service: 'service.webhook', of: 'serviceOf.webhook', to: 'serviceTo.webhook', status: 403, detail: ': bad signature' }, { permanent: true, uncertain: false });
    expect(both(e.ref)).toEqual(['il webhook rifiuta le credenziali (403): bad signature', 'the webhook refuses the credentials (403): bad signature']);
    expect(e.message).toBe('il webhook rifiuta le credenziali (403): bad signature');
  });

  it("zod's issues are worded in the language asked", () => {
    const schema = z.object({ text: z.string(), n: z.number().min(0), kind: z.enum(['a', 'b']) });
    const issues = (lang: 'it' | 'en'): string[] => parseWorded(schema, { text: 3, n: -1, kind: 'c' }, lang).error?.issues.map((i) => i.message) ?? [];
    expect(issues('it')).toEqual(['atteso un testo, ricevuto un numero', 'non può essere negativo', 'valore non ammesso (ammessi: a, b)']);
    expect(issues('en')).toEqual(['expected a text, got a number', 'cannot be negative', 'value not allowed (allowed: a, b)']);
  });

  it('an alert line names the metric and writes numbers as its language does', () => {
    const params = { metric: 'metric.ctr', value: fmtValue('ctr', 0.0345, 'it'), side: 'alert.below', threshold: fmtValue('ctr', 0.04, 'it') };
    expect(renderText('alert.threshold', params, 'it')).toBe('CTR 3,5% (sotto la soglia 4%)');
    const en = { ...params, value: fmtValue('ctr', 0.0345, 'en'), threshold: fmtValue('ctr', 0.04, 'en') };
    expect(renderText('alert.threshold', en, 'en')).toBe('CTR 3.5% (below the threshold 4%)');
  });
});

describe("the command line's lines", { timeout: 60_000 }, () => {
  const run = async (argv: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; out: string; err: string }> => {
    let out = '';
    let err = '';
    const code = await main(argv, { env, io: { out: (t) => void (out += t), err: (t) => void (err += t) } });
    return { code, out, err };
  };

  it('status and sources list follow VEDETTA_LANG', async () => {
    const data = tempDir();
    // Creates the folder's database (no people yet: an empty list).
    expect((await run(['users', 'list', '--data', data], {})).code).toBe(0);
    const it = await run(['status', '--data', data], {});
    expect(it.out).toMatch(/^Cartella dati: {3}.+\nSchema: {10}v\d+\nMenzioni: {8}0\nFonti: {11}0\nIn uso da: {7}nessuna istanza\n$/);
    const en = await run(['status', '--data', data], { VEDETTA_LANG: 'en' });
    expect(en.out).toMatch(/^Data folder: {5}.+\nSchema: {10}v\d+\nMentions: {8}0\nSources: {9}0\nIn use by: {7}no instance\n$/);
    expect((await run(['sources', 'list', '--data', data], {})).out).toBe('Nessuna fonte.\n');
    expect((await run(['sources', 'list', '--data', data], { VEDETTA_LANG: 'en' })).out).toBe('No sources.\n');
    expect((await run(['audit', 'verify', '--data', data], { VEDETTA_LANG: 'en' })).out).toMatch(/^Log intact: \d+ entries verified\.\n(Anchor of .+ confirmed|No external anchor written yet)/);
  });
});
