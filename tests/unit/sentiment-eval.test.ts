// Quality guard on the held-back 20% of the labelled corpora (../shared/fixtures/sentiment)
// and on the corpora the model never trained on: the shipped model must never fall below the
// plain AFINN lexicon, and must stay clearly above it on the tweets it is built for. The
// full evaluation (n-gram baseline, cross-corpus rows, correction simulation) is
// `npm run eval:sentiment`; this test only guards against a broken or regressed model.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeModel } from '../../src/core/analysis/model/model-file';
import { CORPORA } from '../../scripts/sentiment/data';
import { afinnLabeler, heldBack, modelLabeler, score } from '../../scripts/sentiment/evaluate';
import { lexicons, RECIPE } from '../../scripts/sentiment/recipe';
import { requireFixtures } from '../support/fixtures';

describe('sentiment quality on data the model never saw', () => {
  it('beats AFINN everywhere, and by 8 macro-F1 points on the tweets it is built for', () => {
    requireFixtures('sentiment');
    const lex = lexicons();
    const model = decodeModel(readFileSync(resolve(import.meta.dirname, '../../resources/sentiment/model.bin')));
    const ours = modelLabeler(model, lex);
    const afinn = afinnLabeler();
    const trainedOn = new Set([...Object.keys(RECIPE.it.corpora), ...Object.keys(RECIPE.en.corpora)]);
    for (const c of CORPORA) {
      const h = heldBack(c, trainedOn);
      const m = score(h.label, c.lang, h.samples, 'vedetta', ours).m;
      const b = score(h.label, c.lang, h.samples, 'afinn', afinn).m;
      expect(m.macroF1, `${h.label}: ${m.macroF1.toFixed(3)} vs AFINN ${b.macroF1.toFixed(3)}`).toBeGreaterThanOrEqual(b.macroF1);
      if (c.name === 'it-sentipolc16-train' || c.name === 'en-tweeteval-val') expect(m.macroF1 - b.macroF1, h.label).toBeGreaterThan(0.08);
    }
  }, 300_000);
});
