// A schema's own messages are catalogue codes: whoever words zod's issues says them in the
// language asked, Italian exactly as the schemas said it before, English for English readers.
// The schemas themselves never import the catalogue (it would land in the sandboxed preload).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { describeZodError } from '../../src/shared/contract';
import { isTextCode, TEXTS } from '../../src/shared/errors';
import { InboundMentionSchema, LIMITS } from '../../src/shared/schemas';
import { INPUT_METRICS, MetricPointInputSchema } from '../../src/shared/metrics';
import { SourceAddInputSchema } from '../../src/shared/sources';
import { AudienceInputSchema } from '../../src/shared/audiences';
import { PolicySchema, DEFAULT_POLICY } from '../../src/shared/policy';
import { OwnedAccountInputSchema } from '../../src/shared/perimeters';
import { parseWorded } from '../../src/core/ingest/zod-it';
import { validateInbound } from '../../src/core/ingest/pipeline';

const sharedDir = join(__dirname, '../../src/shared');
const schemaFiles = [
  ...readdirSync(sharedDir).filter((f) => f.endsWith('.ts')).map((f) => join(sharedDir, f)),
  ...readdirSync(join(sharedDir, 'ops')).filter((f) => f.endsWith('.ts')).map((f) => join(sharedDir, 'ops', f)),
];

/** The lines a failure reads as, in each language, with the same error map as the backend's. */
function said(schema: z.ZodType, input: unknown): Record<'it' | 'en', string[]> {
  const words = (lang: 'it' | 'en'): string[] => {
    const r = parseWorded(schema, input, lang);
    if (r.success) throw new Error('expected a failure');
    return describeZodError(r.error, lang);
  };
  return { it: words('it'), en: words('en') };
}

describe("a schema's own messages, in Italian and English", () => {
  it('a mention without text or title, and one over the length limit (the limit comes from the issue)', () => {
    expect(said(InboundMentionSchema, { source: 'x', text: ' ', published_at: 'ieri' })).toEqual({
      it: ['published_at: published_at non è una data ISO 8601', 'text: servono text o title'],
      en: ['published_at: published_at is not an ISO 8601 date', 'text: text or title is required'],
    });
    expect(said(InboundMentionSchema, { source: 'x', text: 'a'.repeat(LIMITS.textMax + 1) })).toEqual({
      it: [`text: testo oltre ${LIMITS.textMax} caratteri`],
      en: [`text: text over ${LIMITS.textMax} characters`],
    });
  });

  it("ingest's refusal reason (stored in an import report) is worded in the workspace's language", () => {
    const item = { source: 'Forum', title: '', published_at: '2026-01-01T00:00:00Z' };
    expect(validateInbound(item, 'it')).toEqual({ ok: false, reason: 'text: servono text o title' });
    expect(validateInbound(item, 'en')).toEqual({ ok: false, reason: 'text: text or title is required' });
  });

  it("a metric point: a custom issue's params, an enum's allowed values", () => {
    const r = said(MetricPointInputSchema, { content: 'c1', metric: 'likez', value: 1, time: '2026-01-01T00:00:00Z', region: 'Atlantide' });
    expect(r.it).toEqual([
      `metric: metrica sconosciuta: usa una di ${INPUT_METRICS.join(', ')}`,
      'region: regione sconosciuta: "Atlantide" (usa il codice ISTAT 01–20 o il nome)',
    ]);
    expect(r.en).toEqual([
      `metric: unknown metric: use one of ${INPUT_METRICS.join(', ')}`,
      'region: unknown region: "Atlantide" (use the ISTAT code 01–20 or the name)',
    ]);
  });

  it("a source's address and interval, an audience's rules, the policy's minutes, an own account", () => {
    expect(said(SourceAddInputSchema, { kind: 'rss', config: { url: 'ftp://x.org/feed' }, intervalSec: 10 })).toEqual({
      it: ['config.url: l’indirizzo deve iniziare con http:// o https://', 'intervalSec: l’intervallo minimo è 60 secondi'],
      en: ['config.url: the address must start with http:// or https://', 'intervalSec: the minimum interval is 60 seconds'],
    });
    expect(said(AudienceInputSchema, { name: ' ', type: 'primary', rules: { hashtags: [''] } })).toEqual({
      it: ['name: il nome è obbligatorio', 'rules.hashtags.0: hashtag vuoto'],
      en: ['name: the name is required', 'rules.hashtags.0: empty hashtag'],
    });
    expect(said(PolicySchema, { ...DEFAULT_POLICY, sla: { ...DEFAULT_POLICY.sla, critical: { legal: 0, second: 15, owner: 15 } } })).toEqual({
      it: ['sla.critical.legal: almeno 1 minuto'],
      en: ['sla.critical.legal: at least 1 minute'],
    });
    expect(said(OwnedAccountInputSchema, { brandId: 1, type: 'handle', value: 'due parole' })).toEqual({
      it: ['value: un handle è @nome, senza spazi (per Mastodon @nome@istanza)'],
      en: ['value: a handle is @name, without spaces (for Mastodon @name@instance)'],
    });
  });

  it('every code a schema file names is in the catalogue, and no schema file imports the catalogue', () => {
    const used = new Set<string>();
    for (const file of schemaFiles) {
      const src = readFileSync(file, 'utf8');
      for (const m of src.matchAll(/'(schema\.\w+)'/g)) used.add(m[1]!);
      // The preload bundles the contract: a schema calling the catalogue would keep all of it
      // there. Only the contract's describeZodError, a function, words issues.
      if (file.endsWith('contract.ts')) continue;
      expect(src, file).not.toMatch(/\b(renderText|renderError|TEXTS|zodIssueText)\b/);
    }
    expect(used.size).toBeGreaterThan(50);
    for (const code of used) expect(isTextCode(code), code).toBe(true);
    const catalogue = Object.keys(TEXTS.it).filter((k) => k.startsWith('schema.'));
    expect(catalogue.filter((k) => !used.has(k))).toEqual([]);
  });
});
