// Keeps this workspace's correction layer: loads the stored one at start, retrains it in the
// background a few seconds after the last correction, and hands the ingest path the layer to
// score with. One per app instance: the analyzer (the shipped model) is shared per process,
// the layer is the workspace's own and never is.
import type { Logger } from '../platform';
import type { SentimentCorrectionsRepo } from '../store/sentiment-corrections-repo';
import type { SentimentAnalyzer } from './sentiment';
import { WorkspaceLayer } from './workspace-layer';
import { mentionText } from './analyze';

/** Quiet time after the last correction: a burst of corrections trains once, after it. */
export const LAYER_DEBOUNCE_MS = 3_000;

export interface LayerTrainerDeps {
  repo: SentimentCorrectionsRepo;
  analyzer: SentimentAnalyzer;
  now: () => number;
  logger: Logger;
  debounceMs?: number;
}

export class WorkspaceLayerTrainer {
  private layer: WorkspaceLayer | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;
  private readonly debounceMs: number;

  constructor(private readonly deps: LayerTrainerDeps) {
    this.debounceMs = deps.debounceMs ?? LAYER_DEBOUNCE_MS;
  }

  /**
   * The stored layer, when it reads and was trained on the model in use. Otherwise (corrupt
   * blob, another model after an upgrade, corrections but no layer) it is retrained from
   * the corrections in the background: the app starts without waiting for it.
   */
  load(): void {
    const stored = this.deps.repo.layer();
    if (stored) {
      try {
        const layer = WorkspaceLayer.deserialize(stored.data);
        if (layer.baseModel === this.deps.analyzer.status.modelId) {
          this.layer = layer;
          return;
        }
        this.deps.logger.info('sentiment: il livello delle correzioni era per un altro modello, lo riaddestro', { was: layer.baseModel });
      } catch (err) {
        this.deps.logger.warn('sentiment: livello delle correzioni illeggibile, lo riaddestro', { error: err instanceof Error ? err.message : String(err) });
      }
    }
    if (stored || this.deps.repo.countCorrected() > 0) this.kick(0);
  }

  /**
   * What the ingest path scores with (null: nothing learned yet). A layer trained on another
   * model than the one now in use (it fell back to the rules, or was upgraded) is set aside
   * and retrained.
   */
  current(): WorkspaceLayer | null {
    const layer = this.layer;
    if (layer && layer.baseModel !== this.deps.analyzer.status.modelId) {
      this.layer = null;
      this.kick(0);
      return null;
    }
    return layer;
  }

  /** Whether a training is scheduled (tests wait on it). */
  get pending(): boolean {
    return this.timer !== null;
  }

  /** Schedules a training after `delayMs` of quiet; each call restarts the wait. */
  kick(delayMs = this.debounceMs): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.trainNow();
    }, delayMs);
    // A pending training never keeps a CLI process alive.
    this.timer.unref?.();
  }

  /**
   * Learns from every corrected mention and stores the layer (replacing the row whole); no
   * corrections left (all undone) means no layer. A failure keeps the previous layer.
   */
  trainNow(): void {
    if (this.stopped) return;
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    try {
      const examples = this.deps.repo.correctedTexts().map((c) => ({ text: mentionText(c), lang: c.lang, label: c.label }));
      if (examples.length === 0) {
        this.deps.repo.clearLayer();
        this.layer = null;
        return;
      }
      const layer = WorkspaceLayer.train(this.deps.analyzer, examples);
      this.deps.repo.transaction(() =>
        this.deps.repo.putLayer({ baseModel: layer.baseModel, corrections: layer.corrections, trainedAt: this.deps.now(), data: layer.serialize() }));
      this.layer = layer;
    } catch (err) {
      this.deps.logger.error('sentiment: addestramento sulle correzioni non riuscito, resta il livello precedente', { error: err instanceof Error ? err.message : String(err) });
    }
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
