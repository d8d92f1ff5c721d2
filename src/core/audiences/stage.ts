import type { IngestStage } from '../ingest/stages';
import type { AudiencesService } from './service';

/** Ingest stage: which audiences each new mention belongs to (the rules read its themes). */
export function audiencesStage(audiences: AudiencesService): IngestStage {
  return { name: 'audiences', after: ['perimeters'], run: (batch) => audiences.matchInserted(batch.rows, batch.themes) };
}
