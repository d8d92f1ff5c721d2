import type { Database } from 'better-sqlite3';
import type { Migration } from './types';

// Sentiment per mention. NULL score = not scored yet: rows stored before this migration are
// scored afterwards by a background backfill, which finds them through the partial index.
export const sentiment: Migration = {
  version: 2,
  name: 'sentiment',
  up(db: Database) {
    db.exec(`
      ALTER TABLE mentions ADD COLUMN sentiment_score REAL
        CHECK (sentiment_score IS NULL OR (sentiment_score >= -1 AND sentiment_score <= 1));
      ALTER TABLE mentions ADD COLUMN sentiment_label TEXT
        CHECK (sentiment_label IS NULL OR sentiment_label IN ('positive', 'neutral', 'negative'));
      -- JSON array of {"term", "weight"}: what drove the score.
      ALTER TABLE mentions ADD COLUMN sentiment_terms TEXT;
      -- The inbox filtered by label, newest first, without a sort.
      CREATE INDEX mentions_sentiment ON mentions (sentiment_label, published_at DESC, id DESC);
      CREATE INDEX mentions_unscored ON mentions (id) WHERE sentiment_score IS NULL;
    `);
  },
};
