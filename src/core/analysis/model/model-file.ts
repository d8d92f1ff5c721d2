// The shipped model file (resources/sentiment/model.bin):
//   "VDSM" · u16 format version · u32 header length · header (JSON, UTF-8) · weights
// The header names the model, its feature settings per language and where each language's
// weights sit; the weights are int16, dense per bucket × class, with one scale per language;
// a SHA-256 of everything after the header guards against a truncated or altered file.
// It holds no training text: only hashed buckets and their weights.
import { createHash } from 'node:crypto';
import { ApiError } from '../../../shared/contract';
import type { TermKey } from '../../../shared/errors';
import type { FeatureOptions } from './features';
import { K, type LinearWeights } from './linear';

export const MODEL_MAGIC = 'VDSM';
export const MODEL_FORMAT = 1;

export interface LanguageHeader {
  features: FeatureOptions;
  bias: number[];
  /** Weight = int16 × scale. */
  scale: number;
  /** Byte offset (from the start of the weights) and count of int16 values. */
  offset: number;
  count: number;
}

export interface ModelHeader {
  /** e.g. "vedetta-sentiment-2026.12.06-1a2b3c4d": the date it was built and its weights' hash. */
  id: string;
  createdAt: string;
  languages: Record<'it' | 'en', LanguageHeader>;
  /** SHA-256 (hex) of the weights section. */
  sha256: string;
}

export interface LanguageModel {
  features: FeatureOptions;
  weights: LinearWeights;
}

export interface LoadedModel {
  id: string;
  createdAt: string;
  it: LanguageModel;
  en: LanguageModel;
}

/** A model file that cannot be used: a code, said to the user in Settings and the status bar. */
export class ModelFileError extends ApiError {
  override name = 'ModelFileError';
}

function quantize(w: Float32Array): { q: Int16Array; scale: number } {
  let max = 0;
  for (const x of w) if (Math.abs(x) > max) max = Math.abs(x);
  const scale = max > 0 ? max / 32767 : 1;
  const q = new Int16Array(w.length);
  for (let i = 0; i < w.length; i++) q[i] = Math.round((w[i] ?? 0) / scale);
  return { q, scale };
}

/** Serialises a model; `id` gets the weights' hash appended so two different files never share an id. */
export function encodeModel(idPrefix: string, createdAt: string, langs: Record<'it' | 'en', LanguageModel>): { bytes: Buffer; id: string } {
  const parts: Buffer[] = [];
  let offset = 0;
  const headers = {} as Record<'it' | 'en', LanguageHeader>;
  for (const lang of ['it', 'en'] as const) {
    const m = langs[lang];
    const { q, scale } = quantize(m.weights.w);
    const buf = Buffer.from(q.buffer, q.byteOffset, q.byteLength);
    parts.push(buf);
    headers[lang] = { features: m.features, bias: [...m.weights.b], scale, offset, count: q.length };
    offset += buf.length;
  }
  const weights = Buffer.concat(parts);
  const sha256 = createHash('sha256').update(weights).digest('hex');
  const id = `${idPrefix}-${sha256.slice(0, 8)}`;
  const header: ModelHeader = { id, createdAt, languages: headers, sha256 };
  const h = Buffer.from(JSON.stringify(header), 'utf8');
  const pre = Buffer.alloc(10);
  pre.write(MODEL_MAGIC, 0, 'ascii');
  pre.writeUInt16LE(MODEL_FORMAT, 4);
  pre.writeUInt32LE(h.length, 6);
  return { bytes: Buffer.concat([pre, h, weights]), id };
}

function isFeatureOptions(o: unknown): o is FeatureOptions {
  if (!o || typeof o !== 'object') return false;
  const f = o as Record<string, unknown>;
  return (
    typeof f.bits === 'number' && Number.isInteger(f.bits) && f.bits >= 10 && f.bits <= 24 &&
    Array.isArray(f.charRange) && f.charRange.length === 2 && f.charRange.every((x) => typeof x === 'number') &&
    typeof f.charWeight === 'number' && typeof f.signalWeight === 'number' &&
    typeof f.bigrams === 'boolean' && typeof f.negation === 'boolean' && typeof f.signals === 'boolean' &&
    typeof f.splitHashtags === 'boolean' && typeof f.stopwords === 'boolean' && (f.names === 'mark' || f.names === 'signals' || f.names === 'off')
  );
}

/** Reads a model file; throws ModelFileError on anything it cannot trust. */
export function decodeModel(bytes: Buffer): LoadedModel {
  const bad = (why: TermKey, lang?: 'it' | 'en'): never => {
    throw lang ? new ModelFileError('sentiment.modelLanguage', { lang, why }) : new ModelFileError('sentiment.modelInvalid', { why });
  };
  if (bytes.length < 10 || bytes.toString('ascii', 0, 4) !== MODEL_MAGIC) bad('modelWhy.notVedetta');
  const format = bytes.readUInt16LE(4);
  if (format !== MODEL_FORMAT) throw new ModelFileError('sentiment.modelFormat', { format, expected: MODEL_FORMAT });
  const hLen = bytes.readUInt32LE(6);
  if (10 + hLen > bytes.length) bad('modelWhy.headerTruncated');
  let header: ModelHeader;
  try {
    header = JSON.parse(bytes.toString('utf8', 10, 10 + hLen)) as ModelHeader;
  } catch {
    return bad('modelWhy.headerUnreadable');
  }
  const weights = bytes.subarray(10 + hLen);
  if (typeof header.sha256 !== 'string' || createHash('sha256').update(weights).digest('hex') !== header.sha256) bad('modelWhy.damaged');
  if (typeof header.id !== 'string' || !header.languages) bad('modelWhy.headerIncomplete');
  const lang = (l: 'it' | 'en'): LanguageModel => {
    const h = header.languages[l];
    if (!h || !isFeatureOptions(h.features) || !Array.isArray(h.bias) || h.bias.length !== K || typeof h.scale !== 'number') return bad('modelWhy.languageIncomplete', l);
    if (h.count !== (1 << h.features.bits) * K || h.offset < 0 || h.offset + h.count * 2 > weights.length || h.offset % 2 !== 0) return bad('modelWhy.weightsSize', l);
    const q = new Int16Array(h.count);
    for (let i = 0; i < h.count; i++) q[i] = weights.readInt16LE(h.offset + i * 2);
    const w = new Float32Array(h.count);
    for (let i = 0; i < h.count; i++) w[i] = (q[i] ?? 0) * h.scale;
    return { features: h.features, weights: { w, b: Float32Array.from(h.bias) } };
  };
  return { id: header.id, createdAt: String(header.createdAt), it: lang('it'), en: lang('en') };
}
