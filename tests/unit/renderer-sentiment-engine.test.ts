// What the status bar and the badges say about the sentiment engine: a fallback is claimed
// only when a model was expected, a running re-score shows its numbers, all quiet otherwise.
import { describe, expect, it } from 'vitest';
import { engineNotices, modelExpected, scoredByFallback } from '../../src/renderer/features/sentiment/sentiment';
import type { SentimentStatus } from '../../src/shared/ops/sentiment';

const status = (over: Partial<SentimentStatus> = {}): SentimentStatus => ({
  engine: 'model',
  modelId: 'it-en-2026.12',
  modelDate: null,
  error: null,
  rescore: { total: 0, done: 0, running: false },
  ...over,
});
const RULES_NO_MODEL = status({ engine: 'rules', modelId: 'rules' });
const FALLBACK = status({ engine: 'rules', modelId: 'rules', error: 'Il file del modello è danneggiato.' });

describe('sentiment engine notices', () => {
  it('says nothing when the model scores and nothing is being re-scored', () => {
    expect(engineNotices(null)).toEqual([]);
    expect(engineNotices(status())).toEqual([]);
    expect(engineNotices(RULES_NO_MODEL)).toEqual([]);
  });

  it('shows a running re-score with its numbers, and the fallback with its reason', () => {
    expect(engineNotices(status({ rescore: { total: 40_000, done: 12_340, running: true } }))).toEqual([{ kind: 'rescore', done: 12_340, total: 40_000 }]);
    expect(engineNotices(FALLBACK)).toEqual([{ kind: 'fallback', error: 'Il file del modello è danneggiato.' }]);
    expect(engineNotices({ ...FALLBACK, rescore: { total: 10, done: 2, running: true } }).map((n) => n.kind)).toEqual(['rescore', 'fallback']);
  });

  it('marks a badge as the fallback’s only when a model was expected and the rules scored it', () => {
    expect(modelExpected(status())).toBe(true);
    expect(modelExpected(FALLBACK)).toBe(true);
    expect(modelExpected(RULES_NO_MODEL)).toBe(false);
    expect(scoredByFallback({ sentimentLabel: 'negative', sentimentModel: 'rules' }, true)).toBe(true);
    expect(scoredByFallback({ sentimentLabel: 'negative', sentimentModel: 'rules' }, false)).toBe(false);
    expect(scoredByFallback({ sentimentLabel: 'negative', sentimentModel: 'it-en-2026.12' }, true)).toBe(false);
    expect(scoredByFallback({ sentimentLabel: null, sentimentModel: null }, true)).toBe(false);
  });
});
