// The labelled corpora in ../shared/fixtures/sentiment, read in place (never copied), each
// split once and for all by a hash of its id (or of its normalised text when it has none):
// 80% train, 20% test. Nothing is ever tuned on the test part; settings are chosen by
// cross-validation inside the train part, with folds cut by the same kind of hash.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SENTIMENT_LABELS, type SentimentLabel } from '../../src/shared/sentiment';

export const FIXTURES_DIR = resolve(import.meta.dirname, '../../../shared/fixtures/sentiment');

export type Use = 'train' | 'eval-only' | 'validation';

export interface Corpus {
  /** File name without .jsonl. */
  name: string;
  lang: 'it' | 'en';
  use: Use;
  file: string;
}

/** What SOURCES.md allows: only 'train' sets may fit the shipped model. */
export const CORPORA: readonly Corpus[] = [
  { name: 'it-sentipolc16-train', lang: 'it', use: 'train' },
  { name: 'it-feelit', lang: 'it', use: 'train' },
  { name: 'it-happyparents', lang: 'it', use: 'train' },
  { name: 'it-multiemotions', lang: 'it', use: 'eval-only' },
  { name: 'it-absita18-train', lang: 'it', use: 'eval-only' },
  { name: 'it-amazon-dooge-x10', lang: 'it', use: 'eval-only' },
  { name: 'en-tweeteval-train-reconstructed', lang: 'en', use: 'train' },
  { name: 'en-vader-tweets', lang: 'en', use: 'train' },
  { name: 'en-tweeteval-val', lang: 'en', use: 'validation' },
].map((c) => ({ ...c, lang: c.lang as 'it' | 'en', use: c.use as Use, file: `${c.name}.jsonl` }));

export interface Sample {
  /** Stable key: the corpus's id, else a hash of the normalised text. */
  key: string;
  text: string;
  label: SentimentLabel;
  /** 0–99 from the key's hash: < 80 train, ≥ 80 test. */
  bucket: number;
}

export { LABEL_INDEX } from '../../src/core/analysis/model/linear';

/** Near-identical tweets (retweets, the same headline with another link) share a key. */
function normalisedText(t: string): string {
  return t
    .toLowerCase()
    .replace(/<url>|https?:\/\/\S+|<mention_\d+>|@\w+|^rt\b/gu, ' ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

function bucketOf(key: string): number {
  return createHash('sha256').update(key).digest().readUInt32BE(0) % 100;
}

/** Literal "\u2019" escapes in some English sources, decoded. */
function decodeEscapes(t: string): string {
  return t.includes('\\u') ? t.replace(/\\u([0-9a-fA-F]{4})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))) : t;
}

export function fixturesMissing(dir = FIXTURES_DIR): string | null {
  if (existsSync(dir)) return null;
  return `Set etichettati non trovati in ${dir}: servono i file di ../shared/fixtures/sentiment (vedi il loro SOURCES.md).`;
}

export function loadCorpus(c: Corpus, dir = FIXTURES_DIR): Sample[] {
  const out: Sample[] = [];
  const seen = new Set<string>();
  for (const line of readFileSync(join(dir, c.file), 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const o = JSON.parse(line) as { text?: unknown; label?: unknown; id?: unknown };
    if (typeof o.text !== 'string' || !SENTIMENT_LABELS.includes(o.label as SentimentLabel)) continue;
    const text = decodeEscapes(o.text);
    const norm = normalisedText(text);
    // The split follows the text when there is no id, so a repeated tweet never sits on both sides.
    const key = typeof o.id === 'string' || typeof o.id === 'number' ? `${c.name}:${o.id}` : `${c.name}:t:${norm}`;
    const dupKey = `${norm}\u0000${String(o.label)}`;
    if (seen.has(dupKey)) continue;
    seen.add(dupKey);
    out.push({ key, text, label: o.label as SentimentLabel, bucket: bucketOf(typeof o.id === 'string' || typeof o.id === 'number' ? key : `t:${norm}`) });
  }
  return out;
}

export const isTrain = (s: Sample): boolean => s.bucket < 80;
export const isTest = (s: Sample): boolean => s.bucket >= 80;

/** The fold (0..k-1) of a train sample for cross-validation inside the 80%. */
export function foldOf(s: Sample, k: number): number {
  return s.bucket % k;
}

export function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}
