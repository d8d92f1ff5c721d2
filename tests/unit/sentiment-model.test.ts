// The trained sentiment model: its file (loader, corruption, version), its features
// (negation scope, hashtags, names), its explanations, hostile input, the correction layer,
// and the shipped file against its provenance.
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildLexicons, readRawLists } from '../../src/core/analysis/lexicon';
import { charGrams, DEFAULT_FEATURES, extractFeatures } from '../../src/core/analysis/model/features';
import { dictionaryOf, splitHashtag } from '../../src/core/analysis/model/hashtags';
import { hashString } from '../../src/core/analysis/model/hash';
import { decodeModel, encodeModel, ModelFileError, MODEL_FORMAT } from '../../src/core/analysis/model/model-file';
import { trainLinear, type Example } from '../../src/core/analysis/model/train';
import { loadModel, SentimentAnalyzer, sentimentAnalyzer } from '../../src/core/analysis/sentiment';
import { WorkspaceLayer } from '../../src/core/analysis/workspace-layer';
import { renderErrorRef } from '../../src/shared/errors';

const repo = resolve(import.meta.dirname, '../..');
const shippedPath = join(repo, 'resources/sentiment/model.bin');
const lex = buildLexicons(readRawLists());
const shipped = decodeModel(readFileSync(shippedPath));
const analyzer = new SentimentAnalyzer(lex, shipped);
const tmp = mkdtempSync(join(tmpdir(), 'vedetta-model-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('the shipped model file', () => {
  it('matches its provenance: same hash, same id, same size', () => {
    const prov = JSON.parse(readFileSync(join(repo, 'resources/sentiment/model.provenance.json'), 'utf8')) as {
      model: { id: string; sha256: string; bytes: number };
      data: { file: string; usedForTraining: boolean; use: string }[];
    };
    const bytes = readFileSync(shippedPath);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(prov.model.sha256);
    expect(bytes.length).toBe(prov.model.bytes);
    expect(shipped.id).toBe(prov.model.id);
    expect(bytes.length).toBeLessThanOrEqual(20 * 1024 * 1024);
    // Only the sets marked "train" in SOURCES.md may have fitted it.
    for (const d of prov.data) if (d.usedForTraining) expect(d.use, d.file).toBe('train');
  });

  it('is what the app loads from the resources folder', () => {
    const a = sentimentAnalyzer();
    expect(a.status).toEqual({ engine: 'model', modelId: shipped.id, error: null, trainedAt: shipped.createdAt });
    expect(a.analyze('Servizio pessimo, non lo consiglio a nessuno', 'it')).toMatchObject({ engine: 'model', modelId: shipped.id });
  });

  it('refuses a corrupt, truncated or foreign file with an Italian reason, and the analyzer falls back to the rules', () => {
    const bytes = readFileSync(shippedPath);
    const flipped = Buffer.from(bytes);
    flipped[flipped.length - 5] = (flipped[flipped.length - 5] ?? 0) ^ 0xff;
    expect(() => decodeModel(flipped)).toThrow(/danneggiato/);
    expect(() => decodeModel(bytes.subarray(0, bytes.length - 100))).toThrow(ModelFileError);
    expect(() => decodeModel(Buffer.from('PK\u0003\u0004 not a model'))).toThrow(/non è un modello di Vedetta/);
    const newer = Buffer.from(bytes);
    newer.writeUInt16LE(MODEL_FORMAT + 1, 4);
    expect(() => decodeModel(newer)).toThrow(/formato che questa versione non legge/);

    // A resources folder whose model.bin is damaged: rules, marked, and the reason kept.
    const dir = join(tmp, 'sentiment');
    cpSync(join(repo, 'resources/sentiment'), dir, { recursive: true });
    writeFileSync(join(dir, 'model.bin'), flipped);
    const loaded = loadModel(dir);
    expect('error' in loaded && loaded.error).toMatch(/regole di riserva/);
    const fallback = new SentimentAnalyzer(lex, loaded);
    expect(fallback.status.engine).toBe('rules');
    expect(fallback.status.error).toBe('Il file del modello del sentiment non è valido (file danneggiato o troncato). Vedetta usa le regole di riserva, meno precise.');
    // The same reason as a code, which an English UI words in English.
    expect(fallback.status.errorRef).toEqual({ key: 'sentiment.modelInvalid', params: { why: 'modelWhy.damaged' } });
    expect(renderErrorRef(fallback.status.errorRef, '', 'en')).toBe('The sentiment model file is not valid (damaged or truncated file). Vedetta uses the fallback rules, less precise.');
    expect(fallback.analyze('Che schifo di servizio', 'it')).toMatchObject({ engine: 'rules', modelId: 'rules', label: 'negative' });
    rmSync(join(dir, 'model.bin'));
    const none = loadModel(dir);
    expect('error' in none && none.error).toMatch(/non trovato/);
  });
});

describe('features', () => {
  const dict = dictionaryOf(lex.it);

  it('splits a run-together hashtag into words', () => {
    expect(splitHashtag('boicottalunetta', dict)).toEqual(['boicotta', 'lunetta']);
  });

  it('keeps names and quoted titles from counting as opinion words', () => {
    // "buona" inside the reform's name is not praise: the lexicon signal stays silent.
    const named = extractFeatures('Oggi sciopero contro La Buona Scuola', lex.it, dict);
    const plain = extractFeatures('Oggi una buona scuola', lex.it, dict);
    const sum = (f: typeof named): number => f.value.reduce((a, v, i) => a + ((f.source[i] ?? 0) === -2 ? v : 0), 0);
    expect(sum(named)).toBe(0);
    expect(sum(plain)).toBeGreaterThan(0);
  });

  it('marks negation within its scope, never across a hashtag or a full stop', () => {
    const f = extractFeatures('non è #bello. bello', lex.it, dict);
    expect(f.words).toEqual(['non è', '#bello', 'bello']);
    expect(extractFeatures('non mi è piaciuto', lex.it, dict).words).toEqual(['non mi', 'non … è', 'non … piaciuto']);
  });

  it('hashes every character 3-, 4- and 5-gram of a word with its marks, shortest first', () => {
    const expected = [3, 4, 5].flatMap((n) => Array.from({ length: '<caffè>'.length - n + 1 }, (_, k) => hashString('c:', '<caffè>'.slice(k, k + n)) | 0));
    expect(Array.from(charGrams('caffè', 3, 5))).toEqual(expected);
    expect(charGrams('a', 3, 5).length).toBe(1);
  });

  it('gives a text the same features on first sight of its words and after (memo), before and after a long text', () => {
    const plain = (f: ReturnType<typeof extractFeatures>): unknown => ({ ...f, index: Array.from(f.index), value: Array.from(f.value), source: Array.from(f.source) });
    const text = 'Zorbaglione nuovissimo: non mi è piaciuto per niente, #vergognazorba 😡 «Il Grande Caffè»';
    const first = plain(extractFeatures(text, lex.it, dict));
    const long = extractFeatures(Array.from({ length: 3_000 }, (_, i) => `parola${i} bella`).join(' '), lex.it, dict);
    expect(long.length).toBe(long.index.length);
    expect(long.length).toBeGreaterThan(1024);
    expect(plain(extractFeatures(text, lex.it, dict))).toEqual(first);
  });

  it('is deterministic and bounded for hostile input', () => {
    const inputs = [
      '',
      '😡😡😡',
      '🙂',
      'مرحبا بكم في العالم',
      'שלום עולם',
      'Привет, мир! ok bello',
      '\u0000\u0001\u0002\uFFFD\uFFFD binary \u0007',
      'x'.repeat(100_000),
      'bello '.repeat(20_000),
      `${'#'.repeat(500)}${'a'.repeat(500)}`,
    ];
    for (const t of inputs) {
      const r = analyzer.analyze(t);
      expect(['positive', 'neutral', 'negative']).toContain(r.label);
      expect(Number.isFinite(r.score)).toBe(true);
      expect(analyzer.analyze(t)).toEqual(r);
    }
    expect(analyzer.analyze('').label).toBe('neutral');
  });
});

describe('decisions and explanations', () => {
  it('reads plain Italian and English complaints and praise', () => {
    expect(analyzer.analyze('Muffa ovunque, che schifo', 'it').label).toBe('negative');
    expect(analyzer.analyze('Grazie mille, servizio fantastico!', 'it').label).toBe('positive');
    expect(analyzer.analyze('I hate this, worst service ever', 'en').label).toBe('negative');
    expect(analyzer.analyze('Love it, thank you so much!', 'en').label).toBe('positive');
  });

  it('explains a decision with the input’s own words, weighted by the model', () => {
    const r = analyzer.analyze('Il caffè è freddo e il servizio pessimo', 'it');
    expect(r.label).toBe('negative');
    const words = new Set('Il caffè è freddo e il servizio pessimo'.split(' '));
    for (const t of r.terms) expect(words.has(t.term) || t.term.includes('…'), t.term).toBe(true);
    expect(r.terms.find((t) => t.term === 'pessimo')?.weight ?? 0).toBeLessThan(0);
  });
});

describe('training', () => {
  const small = (): Example[] => {
    const dict = dictionaryOf(lex.it);
    const texts: [string, number][] = [
      ['che schifo', 0], ['pessimo servizio', 0], ['non funziona', 0], ['orribile', 0],
      ['oggi piove', 1], ['il treno parte alle otto', 1], ['domani riunione', 1],
      ['bellissimo', 2], ['grazie mille', 2], ['ottimo lavoro', 2], ['che bello', 2],
    ];
    return texts.map(([t, y]) => ({ f: extractFeatures(t, lex.it, dict, { ...DEFAULT_FEATURES, bits: 14 }), y, s: 1 }));
  };

  it('is deterministic: the same examples give the same bytes', () => {
    const a = trainLinear(small(), 14, { l2: 1e-3 });
    const b = trainLinear(small(), 14, { l2: 1e-3 });
    const langs = (w: typeof a) => ({ it: { features: { ...DEFAULT_FEATURES, bits: 14 }, weights: w }, en: { features: { ...DEFAULT_FEATURES, bits: 14 }, weights: w } });
    expect(encodeModel('t', 'x', langs(a)).bytes.equals(encodeModel('t', 'x', langs(b)).bytes)).toBe(true);
  });
});

describe('the workspace correction layer', () => {
  it('learns what people corrected, survives serialisation, and belongs to one model', () => {
    const text = 'Il nuovo gusto pistacchio arriva in negozio da lunedì';
    const before = analyzer.analyze(text, 'it');
    const target = before.label === 'positive' ? 'negative' : 'positive';
    const examples = ['Il nuovo gusto pistacchio è in negozio', 'Nuovo gusto pistacchio da lunedì', 'Arriva il gusto pistacchio'].map((t) => ({ text: t, lang: 'it', label: target as 'positive' | 'negative' }));
    const layer = WorkspaceLayer.train(analyzer, [...examples, ...examples, ...examples]);
    expect(layer.corrections).toBe(9);
    expect(analyzer.analyze(text, 'it', layer).label).toBe(target);
    const again = WorkspaceLayer.deserialize(layer.serialize());
    expect(analyzer.analyze(text, 'it', again)).toEqual(analyzer.analyze(text, 'it', layer));
    expect(layer.forModel('another-model')).toBeNull();
    // A text about something else stays as the shipped model says.
    expect(analyzer.analyze('Servizio pessimo, non lo consiglio', 'it', layer).label).toBe('negative');
    expect(() => WorkspaceLayer.deserialize(Buffer.from('{"v":9}'))).toThrow();
  });
});
