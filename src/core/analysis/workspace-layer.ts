// The workspace's own correction layer: what people in this workspace corrected, learned on
// top of the shipped model (the shipped model never changes on a desk). Trained in the
// background from the corrected mentions; passed to SentimentAnalyzer.analyze.
// INTERFACE FIRST: the learning itself lands with the trained model (issue #13).
import type { SentimentLabel } from '../../shared/sentiment';
import type { SentimentAnalyzer } from './sentiment';

export interface LabelledText {
  text: string;
  lang: string;
  label: SentimentLabel;
}

export class WorkspaceLayer {
  private constructor(
    /** The shipped model the layer was trained on; a layer for another model is retrained. */
    readonly baseModel: string,
    /** How many corrections it learned from. */
    readonly corrections: number,
  ) {}

  /** Learns from the corrections (deterministic; a few thousand examples take well under a second). */
  static train(analyzer: SentimentAnalyzer, examples: readonly LabelledText[]): WorkspaceLayer {
    return new WorkspaceLayer(analyzer.status.modelId, examples.length);
  }

  serialize(): Buffer {
    return Buffer.from(JSON.stringify({ v: 1, baseModel: this.baseModel, corrections: this.corrections }));
  }

  /** Throws on a blob it cannot read; the caller then retrains from the corrections. */
  static deserialize(buf: Buffer): WorkspaceLayer {
    const o = JSON.parse(buf.toString('utf8')) as { v?: unknown; baseModel?: unknown; corrections?: unknown };
    if (o.v !== 1 || typeof o.baseModel !== 'string' || typeof o.corrections !== 'number') throw new Error('livello di correzioni illeggibile');
    return new WorkspaceLayer(o.baseModel, o.corrections);
  }
}
