// Scores of a labelling against the gold labels: accuracy, per-class precision/recall/F1,
// macro-F1 and macro-recall over the classes present in the gold labels, and the confusion.
import { SENTIMENT_LABELS, type SentimentLabel } from '../../src/shared/sentiment';

export interface ClassStats {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface Metrics {
  n: number;
  accuracy: number;
  macroF1: number;
  macroRecall: number;
  perClass: Record<SentimentLabel, ClassStats>;
  /** confusion[gold][pred]. */
  confusion: Record<SentimentLabel, Record<SentimentLabel, number>>;
}

export function metrics(gold: readonly SentimentLabel[], pred: readonly SentimentLabel[]): Metrics {
  const perClass = {} as Record<SentimentLabel, ClassStats>;
  const confusion = {} as Record<SentimentLabel, Record<SentimentLabel, number>>;
  for (const g of SENTIMENT_LABELS) confusion[g] = { positive: 0, neutral: 0, negative: 0 };
  let correct = 0;
  for (let i = 0; i < gold.length; i++) {
    const g = gold[i];
    const p = pred[i];
    if (!g || !p) continue;
    confusion[g][p]++;
    if (g === p) correct++;
  }
  const f1s: number[] = [];
  const recalls: number[] = [];
  for (const c of SENTIMENT_LABELS) {
    const tp = confusion[c][c];
    let fp = 0;
    let fn = 0;
    for (const o of SENTIMENT_LABELS) {
      if (o === c) continue;
      fp += confusion[o][c];
      fn += confusion[c][o];
    }
    const precision = tp + fp ? tp / (tp + fp) : 0;
    const recall = tp + fn ? tp / (tp + fn) : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    perClass[c] = { precision, recall, f1, support: tp + fn };
    if (tp + fn > 0) {
      f1s.push(f1);
      recalls.push(recall);
    }
  }
  const mean = (a: number[]): number => (a.length ? a.reduce((x, y) => x + y, 0) / a.length : 0);
  return { n: gold.length, accuracy: gold.length ? correct / gold.length : 0, macroF1: mean(f1s), macroRecall: mean(recalls), perClass, confusion };
}
