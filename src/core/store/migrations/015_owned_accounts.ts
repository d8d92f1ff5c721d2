import type { Database } from 'better-sqlite3';
import type { Migration } from './types';

// Each brand's own accounts, declared in Perimetri (issue #14 item 2): a source, a handle on a
// platform, a thread/post id or a post's URL. Until now a source counted as the brand's own
// when its name read "… @<brand>"; that convention becomes a suggestion. So that an upgrade
// changes nothing silently, the sources the convention made the brand's own are declared here,
// where the user sees them and may remove them.
export const ownedAccounts: Migration = {
  version: 15,
  name: 'owned_accounts',
  up(db: Database) {
    db.exec(`
      CREATE TABLE owned_accounts (
        id          INTEGER PRIMARY KEY,
        brand_id    INTEGER NOT NULL REFERENCES brands(id) ON DELETE CASCADE,
        type        TEXT NOT NULL CHECK (type IN ('source', 'handle', 'thread', 'url')),
        value       TEXT NOT NULL,
        -- Only for a handle: the platform it lives on; NULL on any source.
        platform    TEXT,
        -- What makes two entries one account (folded source name, handle and platform, canonical
        -- URL, thread id): an account is declared once and belongs to one brand.
        identity    TEXT NOT NULL UNIQUE,
        created_at  INTEGER NOT NULL
      );
      CREATE INDEX owned_accounts_brand ON owned_accounts (brand_id);
    `);
    // Frozen copy of the convention as it was (moments/service.ts before this version): the
    // brand's name folded, stripped to letters and digits, found after an "@" in the source's
    // folded name. Later changes to the live rules must not change what this migration did.
    const fold = (s: string): string => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
    const brands = db.prepare<[], { id: number; name: string }>('SELECT id, name FROM brands ORDER BY id').all();
    const sources = db.prepare<[], { name: string }>('SELECT DISTINCT name FROM sources ORDER BY name').all();
    const insert = db.prepare<[number, string, string, number]>(
      "INSERT OR IGNORE INTO owned_accounts (brand_id, type, value, platform, identity, created_at) VALUES (?, 'source', ?, NULL, ?, ?)");
    const at = Date.now();
    for (const s of sources) {
      const f = fold(s.name);
      const brand = brands.find((b) => {
        const handle = fold(b.name).replace(/[^\p{L}\p{N}]/gu, '');
        return handle.length >= 3 && f.includes(`@${handle}`);
      });
      if (brand) insert.run(brand.id, s.name, `source:${fold(s.name).trim().replace(/\s+/g, ' ')}`, at);
    }
  },
};
