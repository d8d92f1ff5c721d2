import type { IngestStage } from '../ingest/stages';
import type { PerimetersService } from './service';

/** Ingest stage: the perimeter themes of each new mention, which the later stages read. */
export function perimetersStage(perimeters: PerimetersService): IngestStage {
  return {
    name: 'perimeters',
    after: [],
    run(batch) {
      for (const [id, themes] of perimeters.matchInserted(batch.rows)) batch.themes.set(id, themes);
    },
  };
}
