// The workspace's own correction layer: what people in this workspace corrected, learned on
// top of the shipped model, which never changes on a desk. It is a second logistic
// regression over the same hashed features whose logits are added to the shipped model's,
// fitted with the shipped model's logits held fixed (stacking), with a strong L2 pull to
// zero so that a handful of corrections nudges similar texts without unlearning the rest.
// Trained in the background from the corrected mentions; passed to SentimentAnalyzer.analyze.
import type { SentimentLabel } from '../../shared/sentiment';
import type { LogitLayer, ModelLang } from './model/classifier';
import type { Features } from './model/features';
import { K, LABEL_INDEX } from './model/linear';
import { trainLinear, type Example } from './model/train';
import { langsOf, prepare, routeOf, type SentimentAnalyzer } from './sentiment';

export interface LabelledText {
  text: string;
  lang: string;
  label: SentimentLabel;
}

/**
 * L2 strength of the layer (per unit of example weight). Chosen by the correction
 * simulation in `npm run eval:sentiment` (correct 200 texts of a held-back corpus, measure
 * the rest): strong enough that the shipped model's judgement still leads.
 */
export const LAYER_L2 = 10;

/** Sparse weights of one language: bucket → K weights, plus K biases. */
interface SparseWeights {
  w: Map<number, Float32Array>;
  b: Float32Array;
}

export class WorkspaceLayer implements LogitLayer {
  private constructor(
    /** The shipped model the layer was trained on; a layer for another model is retrained. */
    readonly baseModel: string,
    /** How many corrections it learned from. */
    readonly corrections: number,
    private readonly langs: Partial<Record<ModelLang, SparseWeights>>,
  ) {}

  /**
   * Learns from the corrections (deterministic for the same examples in the same order).
   * Without a shipped model (rules fallback) there is nothing to stack on: an empty layer.
   */
  static train(analyzer: SentimentAnalyzer, examples: readonly LabelledText[], l2 = LAYER_L2): WorkspaceLayer {
    const model = analyzer.model;
    if (!model) return new WorkspaceLayer(analyzer.status.modelId, examples.length, {});
    const per: Record<ModelLang, { ex: Example[]; offsets: Float64Array[] }> = { it: { ex: [], offsets: [] }, en: { ex: [], offsets: [] } };
    for (const e of examples) {
      const sample = prepare(e.text);
      if (!sample.trim()) continue;
      for (const lang of langsOf(routeOf(sample, e.lang))) {
        const f = model.features(sample, lang);
        per[lang].ex.push({ f, y: LABEL_INDEX[e.label], s: 1 });
        per[lang].offsets.push(model.baseLogits(lang, f));
      }
    }
    const langs: Partial<Record<ModelLang, SparseWeights>> = {};
    for (const lang of ['it', 'en'] as const) {
      const { ex, offsets } = per[lang];
      if (ex.length === 0) continue;
      const bits = model.lang(lang).features.bits;
      // The loss is a mean over the corrections: scale L2 so its pull stays the same per correction.
      const dense = trainLinear(ex, bits, { l2: l2 / ex.length, offsets, maxIter: 100, bias: false });
      const w = new Map<number, Float32Array>();
      for (const e of ex) {
        for (let i = 0; i < e.f.length; i++) {
          const bkt = e.f.index[i] ?? 0;
          if (!w.has(bkt)) w.set(bkt, dense.w.slice(bkt * K, bkt * K + K));
        }
      }
      langs[lang] = { w, b: dense.b };
    }
    return new WorkspaceLayer(model.id, examples.length, langs);
  }

  /** The layer when it was trained on this shipped model, else null (it must be retrained). */
  forModel(modelId: string): WorkspaceLayer | null {
    return modelId === this.baseModel ? this : null;
  }

  addLogits(lang: ModelLang, f: Features, out: Float64Array): void {
    const l = this.langs[lang];
    if (!l) return;
    for (let k = 0; k < K; k++) out[k] = (out[k] ?? 0) + (l.b[k] ?? 0);
    for (let i = 0; i < f.length; i++) {
      const w = l.w.get(f.index[i] ?? -1);
      if (!w) continue;
      const v = f.value[i] ?? 0;
      for (let k = 0; k < K; k++) out[k] = (out[k] ?? 0) + v * (w[k] ?? 0);
    }
  }

  contributions(lang: ModelLang, f: Features): Float64Array | null {
    const l = this.langs[lang];
    if (!l) return null;
    const out = new Float64Array(f.length);
    for (let i = 0; i < f.length; i++) {
      const w = l.w.get(f.index[i] ?? -1);
      if (w) out[i] = (f.value[i] ?? 0) * ((w[2] ?? 0) - (w[0] ?? 0));
    }
    return out;
  }

  serialize(): Buffer {
    const langs: Record<string, { b: number[]; idx: number[]; w: number[] }> = {};
    for (const [lang, l] of Object.entries(this.langs)) {
      const idx = [...l.w.keys()].sort((a, b) => a - b);
      langs[lang] = { b: [...l.b], idx, w: idx.flatMap((i) => [...(l.w.get(i) ?? [])]) };
    }
    return Buffer.from(JSON.stringify({ v: 2, baseModel: this.baseModel, corrections: this.corrections, langs }));
  }

  /** Throws on a blob it cannot read; the caller then retrains from the corrections. */
  static deserialize(buf: Buffer): WorkspaceLayer {
    const o = JSON.parse(buf.toString('utf8')) as { v?: unknown; baseModel?: unknown; corrections?: unknown; langs?: unknown };
    if (o.v !== 2 || typeof o.baseModel !== 'string' || typeof o.corrections !== 'number' || !o.langs || typeof o.langs !== 'object') {
      throw new Error('unreadable corrections layer');
    }
    const langs: Partial<Record<ModelLang, SparseWeights>> = {};
    for (const lang of ['it', 'en'] as const) {
      const l = (o.langs as Record<string, unknown>)[lang] as { b?: unknown; idx?: unknown; w?: unknown } | undefined;
      if (!l) continue;
      if (!Array.isArray(l.b) || l.b.length !== K || !Array.isArray(l.idx) || !Array.isArray(l.w) || l.w.length !== l.idx.length * K) {
        throw new Error('unreadable corrections layer');
      }
      const w = new Map<number, Float32Array>();
      const flat = l.w as number[];
      (l.idx as number[]).forEach((bkt, i) => w.set(bkt, Float32Array.from(flat.slice(i * K, i * K + K))));
      langs[lang] = { w, b: Float32Array.from(l.b as number[]) };
    }
    return new WorkspaceLayer(o.baseModel, o.corrections, langs);
  }
}
