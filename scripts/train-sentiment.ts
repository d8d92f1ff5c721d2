// `npm run train:sentiment`: rebuilds resources/sentiment/model.bin from the fixtures
// (../shared/fixtures/sentiment), deterministically — sorted corpora, file order, full-batch
// L-BFGS without random draws — and writes model.provenance.json beside it: the data files
// and their hashes, the recipe, the model's hash, and its scores on the held-back 20% of every
// corpus (plus the corpora it never saw). `--check` rebuilds in memory and only compares.
import { writeFileSync, readFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createHash } from 'node:crypto';
import { parseArgs } from 'node:util';
import { decodeModel } from '../src/core/analysis/model/model-file';
import { CORPORA, FIXTURES_DIR, fixturesMissing, isTrain, loadCorpus, sha256File } from './sentiment/data';
import { heldBack, modelLabeler, score, table, type Row } from './sentiment/evaluate';
import { buildModel, lexicons, RECIPE } from './sentiment/recipe';

const OUT_DIR = resolve(import.meta.dirname, '../resources/sentiment');
export const MODEL_PATH = join(OUT_DIR, 'model.bin');
export const PROVENANCE_PATH = join(OUT_DIR, 'model.provenance.json');

function main(): void {
  const { values } = parseArgs({ options: { check: { type: 'boolean' } } });
  const missing = fixturesMissing();
  if (missing) {
    console.error(missing);
    process.exit(2);
  }
  const t0 = performance.now();
  const { bytes, id } = buildModel(RECIPE);
  const sha = createHash('sha256').update(bytes).digest('hex');
  const secs = ((performance.now() - t0) / 1000).toFixed(0);
  if (values.check) {
    const shipped = existsSync(MODEL_PATH) ? createHash('sha256').update(readFileSync(MODEL_PATH)).digest('hex') : null;
    console.log(`ricostruito ${id} in ${secs} s: ${shipped === sha ? 'identico al modello distribuito' : 'DIVERSO dal modello distribuito'}`);
    process.exit(shipped === sha ? 0 : 1);
  }
  const model = decodeModel(bytes);
  const lex = lexicons();
  const label = modelLabeler(model, lex);
  const trainedOn = new Set([...Object.keys(RECIPE.it.corpora), ...Object.keys(RECIPE.en.corpora)]);
  const rows: Row[] = [];
  for (const c of CORPORA) {
    const h = heldBack(c, trainedOn);
    rows.push(score(h.label, c.lang, h.samples, 'vedetta', label));
  }
  writeFileSync(MODEL_PATH, bytes);
  const data = CORPORA.map((c) => {
    const samples = loadCorpus(c);
    return {
      file: c.file,
      use: c.use,
      sha256: sha256File(join(FIXTURES_DIR, c.file)),
      samples: samples.length,
      trainPart: samples.filter(isTrain).length,
      usedForTraining: trainedOn.has(c.name),
    };
  });
  const provenance = {
    model: { file: 'model.bin', id, sha256: sha, bytes: bytes.length },
    command: 'npm run train:sentiment',
    method:
      'Multinomial logistic regression per language (it, en) over hashed features (word unigrams with negation scope, word pairs, ' +
      'hashtags and their split words, emoji/emoticons, names kept apart from opinion words, character 3–5-grams) and the rule ' +
      'scorer\'s signals; L2, full-batch L-BFGS; weights quantised to int16. Trained on the 80% train part of each corpus in the ' +
      'recipe (split by a SHA-256 of the id, or of the normalised text); the 20% is never used for a choice.',
    recipe: RECIPE,
    data,
    evaluation: rows.map((r) => ({ set: r.set, lang: r.lang, n: r.m.n, accuracy: r.m.accuracy, macroF1: r.m.macroF1, macroRecall: r.m.macroRecall, confusion: r.m.confusion })),
  };
  writeFileSync(PROVENANCE_PATH, `${JSON.stringify(provenance, null, 2)}\n`);
  console.log(`Modello ${id} (${(bytes.length / 1e6).toFixed(1)} MB) scritto in ${MODEL_PATH} in ${secs} s\n`);
  console.log(table(rows));
}

if (resolve(process.argv[1] ?? '') === import.meta.filename) main();
