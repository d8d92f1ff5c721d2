import type { IngestStage } from '../ingest/stages';
import type { MomentsService } from './service';

/** Ingest stage: the new mentions counted in the moments' windows (themes are keys too). */
export function momentsStage(moments: MomentsService): IngestStage {
  return { name: 'moments', after: ['perimeters'], run: (batch) => moments.trackInserted(batch.rows, batch.themes) };
}
