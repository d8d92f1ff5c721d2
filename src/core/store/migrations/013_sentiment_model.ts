import type { Database } from 'better-sqlite3';
import type { Migration } from './types';

// The trained sentiment model and people's corrections.
// - sentiment_label stays the label every aggregate reads (inbox filter, moments, panels,
//   exports); when a person corrects a mention it holds their label, and the model's own
//   label is kept in sentiment_model_label so both can be shown.
// - sentiment_model names what scored the row ('rules' or the model id): rows scored by an
//   older engine are re-scored in the background, resumably (cursor in settings), and a
//   corrected row keeps its human label through any re-score.
// - sentiment_corrections is the history (who, when, from what, to what); the workspace
//   layer trained on the corrections lives in sentiment_layer (one row, replaced whole).
export const sentimentModel: Migration = {
  version: 13,
  name: 'sentiment_model',
  up(db: Database) {
    db.exec(`
      ALTER TABLE mentions ADD COLUMN sentiment_model TEXT;
      ALTER TABLE mentions ADD COLUMN sentiment_model_label TEXT
        CHECK (sentiment_model_label IS NULL OR sentiment_model_label IN ('positive', 'neutral', 'negative'));
      ALTER TABLE mentions ADD COLUMN sentiment_corrected_by INTEGER REFERENCES users(id) ON DELETE SET NULL;
      ALTER TABLE mentions ADD COLUMN sentiment_corrected_at INTEGER;
      UPDATE mentions SET sentiment_model = 'rules', sentiment_model_label = sentiment_label
        WHERE sentiment_score IS NOT NULL;

      CREATE TABLE sentiment_corrections (
        id              INTEGER PRIMARY KEY,
        mention_id      INTEGER NOT NULL REFERENCES mentions(id) ON DELETE CASCADE,
        label           TEXT NOT NULL CHECK (label IN ('positive', 'neutral', 'negative')),
        previous_label  TEXT CHECK (previous_label IS NULL OR previous_label IN ('positive', 'neutral', 'negative')),
        user_id         INTEGER REFERENCES users(id) ON DELETE SET NULL,
        created_at      INTEGER NOT NULL
      );
      CREATE INDEX sentiment_corrections_by_mention ON sentiment_corrections (mention_id, id);
      CREATE INDEX mentions_corrected ON mentions (sentiment_corrected_at) WHERE sentiment_corrected_at IS NOT NULL;

      CREATE TABLE sentiment_layer (
        id           INTEGER PRIMARY KEY CHECK (id = 1),
        base_model   TEXT NOT NULL,
        corrections  INTEGER NOT NULL,
        trained_at   INTEGER NOT NULL,
        data         BLOB NOT NULL
      );
    `);
  },
};
