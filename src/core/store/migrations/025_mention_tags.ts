import type { Database } from 'better-sqlite3';
import type { Migration } from './types';

// Tags on mentions (issue #17): a workspace's shared words ("da richiamare", "stampa") put on
// mentions by hand, one at a time or on a selection. Numbered 025 for the merge of #17's
// branches.
//
// A name is unique whatever its case ("Stampa" and "stampa" are one tag). mention_tags is keyed
// tag first: the inbox's tag filter and a tag's count read its primary key's prefix; the
// second index serves a page's chips and the cascade when mentions are deleted (retention, an
// author's erasure). Who put a tag on and when is kept for the audit's sake, not shown.
export const mentionTags: Migration = {
  version: 25,
  name: 'mention_tags',
  up(db: Database) {
    db.exec(`
      CREATE TABLE tags (
        id          INTEGER PRIMARY KEY,
        name        TEXT NOT NULL COLLATE NOCASE UNIQUE,
        created_by  INTEGER,
        created_at  INTEGER NOT NULL
      );
      CREATE TABLE mention_tags (
        tag_id      INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
        mention_id  INTEGER NOT NULL REFERENCES mentions(id) ON DELETE CASCADE,
        added_by    INTEGER,
        added_at    INTEGER NOT NULL,
        PRIMARY KEY (tag_id, mention_id)
      ) WITHOUT ROWID;
      CREATE INDEX mention_tags_by_mention ON mention_tags (mention_id, tag_id);
    `);
  },
};
