import type { Database } from 'better-sqlite3';
import type { Migration } from './types';

// Working together (issue #16): internal notes on mentions and moments, and who has read which
// mention.
//
// A note hangs from a thread, one per subject. A moment's number is not stable (a rebuild
// renumbers moments), so its thread keeps the moment's anchor and follows it as the
// acknowledgement does; moving one thread row moves all its notes at once. A thread whose
// mention is deleted (retention, an author's erasure) goes with its notes: the note speaks of a
// post that is gone. The author's name is kept beside the id so the note survives the person.
//
// mention_reads is one row per person and mention opened, keyed person first: a person's
// unread count is the inbox's total minus their rows, counted on the primary key's prefix
// (no scan of mentions per person). The second index serves "Visto da" and the cascade when
// mentions are deleted. Nothing is carried over from the shared mentions.status: it said that
// someone had opened a mention, not who.
export const notesReads: Migration = {
  version: 21,
  name: 'notes_reads',
  up(db: Database) {
    db.exec(`
      CREATE TABLE note_threads (
        id            INTEGER PRIMARY KEY,
        subject_kind  TEXT NOT NULL CHECK (subject_kind IN ('mention', 'moment')),
        -- NULL only inside a moment rebuild's re-attachment (a moment not found again keeps a
        -- negative number: not shown, not lost).
        subject_id    INTEGER,
        -- Moments: {kind, openedAt, keys}, what identifies the moment across a rebuild.
        anchor        TEXT,
        UNIQUE (subject_kind, subject_id)
      );
      CREATE TABLE notes (
        id               INTEGER PRIMARY KEY,
        thread_id        INTEGER NOT NULL REFERENCES note_threads(id) ON DELETE CASCADE,
        author_id        INTEGER,
        author_username  TEXT NOT NULL,
        author_name      TEXT NOT NULL,
        body             TEXT NOT NULL,
        -- The people its @names resolved to: [{id, username, displayName}].
        mentioned        TEXT NOT NULL DEFAULT '[]',
        created_at       INTEGER NOT NULL
      );
      CREATE INDEX notes_by_thread ON notes (thread_id, id);
      CREATE TRIGGER note_threads_mention_gone AFTER DELETE ON mentions BEGIN
        DELETE FROM note_threads WHERE subject_kind = 'mention' AND subject_id = old.id;
      END;

      CREATE TABLE mention_reads (
        user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        mention_id  INTEGER NOT NULL REFERENCES mentions(id) ON DELETE CASCADE,
        read_at     INTEGER NOT NULL,
        PRIMARY KEY (user_id, mention_id)
      ) WITHOUT ROWID;
      CREATE INDEX mention_reads_by_mention ON mention_reads (mention_id, read_at);
    `);
  },
};
