// Which engine scores sentiment and how far the background re-score is, for the status
// bar, Settings and every badge (a badge marks mentions the fallback rules scored). One per
// window, like the session: the badges read it without being handed it.
import type { VedettaApi } from '../../../shared/contract';
import { renderErrorRef } from '../../../shared/errors';
import type { SentimentStatus } from '../../../shared/ops/sentiment';
import { modelExpected } from './sentiment';

export class SentimentEngineState {
  status = $state.raw<SentimentStatus | null>(null);
  /** Pushed statuses applied so far: a fetched one older than the last push is dropped. */
  #pushes = 0;

  /** A model should be scoring: rows scored by the rules are then a fallback, and marked. */
  get modelExpected(): boolean {
    return modelExpected(this.status);
  }

  async load(api: VedettaApi): Promise<void> {
    const pushes = this.#pushes;
    try {
      const s = await api.call('sentiment.status', {});
      // Answers and events travel apart: an event that arrived meanwhile is newer than this answer.
      if (this.#pushes === pushes) this.status = worded(s);
    } catch {
      // Nothing to show is better than a wrong line: the next pushed event fills it in.
    }
  }

  /** Applies a pushed status; true when a re-score has just finished. */
  apply(next: SentimentStatus): boolean {
    this.#pushes++;
    const wasRunning = this.status?.rescore.running ?? false;
    this.status = worded(next);
    return wasRunning && !next.rescore.running;
  }
}

/** Why the model is not in use, in the person's language (the backend sends it in Italian). */
function worded(s: SentimentStatus): SentimentStatus {
  return s.error === null ? s : { ...s, error: renderErrorRef(s.errorRef, s.error) };
}

export const sentimentEngine = new SentimentEngineState();
