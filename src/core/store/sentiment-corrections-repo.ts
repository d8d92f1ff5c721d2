// SQL of people's sentiment corrections: the label on the mention, the history of every
// change, the corrected texts the workspace layer learns from, and the stored layer itself.
import type { SentimentLabel } from '../../shared/sentiment';
import type { Db } from './db';

/** What a correction needs to know of a mention before it changes it. */
export interface SentimentState {
  id: number;
  label: SentimentLabel | null;
  modelLabel: SentimentLabel | null;
  score: number | null;
  correctedAt: number | null;
}

export interface CorrectionHistoryRow {
  id: number;
  mentionId: number;
  label: SentimentLabel;
  previousLabel: SentimentLabel | null;
  userId: number | null;
  createdAt: number;
}

/** One corrected mention as the layer learns from it. */
export interface CorrectedText {
  title: string | null;
  text: string;
  lang: string;
  label: SentimentLabel;
}

export interface StoredLayer {
  baseModel: string;
  corrections: number;
  trainedAt: number;
  data: Buffer;
}

export class SentimentCorrectionsRepo {
  private readonly s;

  constructor(private readonly db: Db) {
    this.s = {
      state: db.prepare<[number], { id: number; label: SentimentLabel | null; model_label: SentimentLabel | null; score: number | null; corrected_at: number | null }>(
        `SELECT id, sentiment_label AS label, sentiment_model_label AS model_label, sentiment_score AS score,
           sentiment_corrected_at AS corrected_at FROM mentions WHERE id = ?`),
      apply: db.prepare<[string, number | null, number | null, number]>(
        'UPDATE mentions SET sentiment_label = ?, sentiment_corrected_by = ?, sentiment_corrected_at = ? WHERE id = ?'),
      addHistory: db.prepare<[number, string, string | null, number | null, number]>(
        'INSERT INTO sentiment_corrections (mention_id, label, previous_label, user_id, created_at) VALUES (?, ?, ?, ?, ?)'),
      history: db.prepare<[number], { id: number; mention_id: number; label: SentimentLabel; previous_label: SentimentLabel | null; user_id: number | null; created_at: number }>(
        'SELECT id, mention_id, label, previous_label, user_id, created_at FROM sentiment_corrections WHERE mention_id = ? ORDER BY id'),
      // By id: the same corrections always reach the trainer in the same order (deterministic layer).
      corrected: db.prepare<[], CorrectedText>(
        `SELECT title, text, lang, sentiment_label AS label FROM mentions
         WHERE sentiment_corrected_at IS NOT NULL AND sentiment_label IS NOT NULL ORDER BY id`),
      countCorrected: db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM mentions WHERE sentiment_corrected_at IS NOT NULL'),
      layer: db.prepare<[], { base_model: string; corrections: number; trained_at: number; data: Buffer }>(
        'SELECT base_model, corrections, trained_at, data FROM sentiment_layer WHERE id = 1'),
      putLayer: db.prepare<[string, number, number, Buffer]>(
        'INSERT OR REPLACE INTO sentiment_layer (id, base_model, corrections, trained_at, data) VALUES (1, ?, ?, ?, ?)'),
      clearLayer: db.prepare('DELETE FROM sentiment_layer'),
    };
  }

  /** Runs `f` in one write transaction (a savepoint when already inside one). */
  transaction<T>(f: () => T): T {
    return this.db.transaction(f)();
  }

  state(id: number): SentimentState | null {
    const r = this.s.state.get(id);
    return r ? { id: r.id, label: r.label, modelLabel: r.model_label, score: r.score, correctedAt: r.corrected_at } : null;
  }

  /** Sets the label every aggregate reads, and who corrected it (both null: the engine's label again). */
  apply(id: number, label: SentimentLabel, correctedBy: number | null, correctedAt: number | null): void {
    this.s.apply.run(label, correctedBy, correctedAt, id);
  }

  addHistory(h: Omit<CorrectionHistoryRow, 'id'>): void {
    this.s.addHistory.run(h.mentionId, h.label, h.previousLabel, h.userId, h.createdAt);
  }

  /** Every change of a mention's label by a person, oldest first. */
  history(mentionId: number): CorrectionHistoryRow[] {
    return this.s.history.all(mentionId).map((r) => ({
      id: r.id,
      mentionId: r.mention_id,
      label: r.label,
      previousLabel: r.previous_label,
      userId: r.user_id,
      createdAt: r.created_at,
    }));
  }

  /** The mentions whose label is a person's, oldest id first. */
  correctedTexts(): CorrectedText[] {
    return this.s.corrected.all();
  }

  countCorrected(): number {
    return this.s.countCorrected.get()?.n ?? 0;
  }

  layer(): StoredLayer | null {
    const r = this.s.layer.get();
    return r ? { baseModel: r.base_model, corrections: r.corrections, trainedAt: r.trained_at, data: r.data } : null;
  }

  /** Replaces the stored layer whole (one statement: readers see the old row or the new one). */
  putLayer(l: StoredLayer): void {
    this.s.putLayer.run(l.baseModel, l.corrections, l.trainedAt, l.data);
  }

  clearLayer(): void {
    this.s.clearLayer.run();
  }
}
