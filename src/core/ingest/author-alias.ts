// Readable pseudonyms: each author key gets an alias like "Volpe-482" that people can say in a
// meeting. The alias is drawn from a keyed hash of the author key, keyed per workspace (from
// the workspace secret), so the same author reads the same across restarts and differently in
// another workspace, and nothing outside the workspace can tell who "Volpe-482" is. A drawn
// alias already taken by another author is settled by drawing again (attempt 1, 2, …): the
// first author keeps theirs, and the answer is stored (author_aliases) so it never moves.
import { looksLikeAlias } from '../../shared/author-alias';
import { AuthorAliasesRepo } from '../store/author-aliases-repo';
import type { Db } from '../store/db';
import { HmacSha256 } from './normalize';

/** Italian animals, plain ASCII so they are typed as read. */
export const ALIAS_WORDS: readonly string[] = [
  'Volpe', 'Lupo', 'Orso', 'Gufo', 'Falco', 'Tasso', 'Riccio', 'Cervo', 'Daino', 'Lince',
  'Lepre', 'Airone', 'Cigno', 'Passero', 'Merlo', 'Fringuello', 'Pettirosso', 'Rondine', 'Gabbiano', 'Civetta',
  'Corvo', 'Gazza', 'Picchio', 'Upupa', 'Allodola', 'Cicogna', 'Fenicottero', 'Pellicano', 'Delfino', 'Balena',
  'Foca', 'Lontra', 'Castoro', 'Scoiattolo', 'Ghiro', 'Marmotta', 'Camoscio', 'Stambecco', 'Capriolo', 'Cinghiale',
  'Istrice', 'Donnola', 'Ermellino', 'Faina', 'Puma', 'Giaguaro', 'Leone', 'Tigre', 'Pantera', 'Ghepardo',
  'Zebra', 'Giraffa', 'Elefante', 'Bisonte', 'Alce', 'Renna', 'Koala', 'Panda', 'Canguro', 'Pinguino',
  'Tucano', 'Pappagallo', 'Cavallo', 'Asino', 'Capra', 'Ariete', 'Bufalo', 'Cammello', 'Lama', 'Alpaca',
  'Furetto', 'Criceto', 'Coniglio', 'Tartaruga', 'Ramarro', 'Geco', 'Salamandra', 'Tritone', 'Rana', 'Rospo',
  'Storione', 'Trota', 'Luccio', 'Salmone', 'Tonno', 'Orata', 'Spigola', 'Cernia', 'Polpo', 'Seppia',
  'Granchio', 'Astice', 'Medusa', 'Farfalla', 'Libellula', 'Grillo', 'Cicala', 'Vespa', 'Formica', 'Lucciola',
];

/** Draws before the number grows a digit: 100 words × 900 numbers fill up slowly. */
const SHORT_ATTEMPTS = 32;
/** Past this many draws (never in practice), the alias carries the key itself: still unique. */
const MAX_ATTEMPTS = 1_000;

/** The workspace's alias drawing: a keyed hash of (author key, attempt). */
export class AliasMaker {
  private readonly hmac: HmacSha256;

  constructor(workspaceSecret: string) {
    // A key of its own, derived from the workspace secret: aliases reveal nothing of the
    // pseudonyms' key, and a workspace needs no second secret to keep.
    const key = new HmacSha256(workspaceSecret).hex('vedetta/author-alias/v1');
    this.hmac = new HmacSha256(key);
  }

  /** The alias drawn at this attempt (0 first); the same inputs always draw the same. */
  draw(authorKey: string, attempt: number): string {
    if (attempt >= MAX_ATTEMPTS) return `${ALIAS_WORDS[0]}-${authorKey}`;
    const h = this.hmac.hex(`${authorKey}\u0000${attempt}`);
    const word = ALIAS_WORDS[Number.parseInt(h.slice(0, 8), 16) % ALIAS_WORDS.length]!;
    const n = Number.parseInt(h.slice(8, 16), 16);
    const num = attempt < SHORT_ATTEMPTS ? 100 + (n % 900) : 1_000 + (n % 99_000);
    return `${word}-${num}`;
  }
}

/**
 * The aliases of a workspace: read, or drawn and stored on first sight. Called inside the
 * ingest batch's transaction, so an author and their alias are stored together.
 */
export class AuthorAliases {
  private readonly repo: AuthorAliasesRepo;
  private maker: AliasMaker | null = null;
  private makerSecret = '';
  /** The hot authors post again and again: their alias without a read. */
  private readonly memo = new Map<string, string>();

  constructor(
    db: Db,
    private readonly secret: () => string,
    private readonly memoMax = 50_000,
  ) {
    this.repo = new AuthorAliasesRepo(db);
  }

  /** The author's alias, drawn and stored when they have none yet. */
  aliasOf(authorKey: string): string {
    const known = this.memo.get(authorKey) ?? this.repo.get(authorKey);
    if (known) return this.remember(authorKey, known);
    const maker = this.makerFor(this.secret());
    for (let attempt = 0; ; attempt++) {
      const alias = maker.draw(authorKey, attempt);
      if (this.repo.insert(authorKey, alias)) return this.remember(authorKey, alias);
      // Either the alias is another author's (draw again) or this key got one meanwhile.
      const now = this.repo.get(authorKey);
      if (now) return this.remember(authorKey, now);
    }
  }

  /** The author key an alias stands for, or null when no author has it. */
  keyOf(alias: string): string | null {
    return looksLikeAlias(alias) ? this.repo.keyOf(alias) : null;
  }

  /**
   * Gives an alias to up to `limit` stored authors that have none (stored before aliases
   * existed), after `afterKey`. Returns the last key done, or null when none was left.
   */
  assignMissing(afterKey: string, limit: number): string | null {
    const keys = this.repo.missing(afterKey, limit);
    for (const k of keys) this.aliasOf(k);
    return keys.length > 0 ? keys[keys.length - 1]! : null;
  }

  /** Forgets what it remembers: a batch that rolled back took its new aliases with it. */
  forget(): void {
    this.memo.clear();
  }

  private remember(authorKey: string, alias: string): string {
    if (this.memo.size >= this.memoMax) this.memo.clear();
    this.memo.set(authorKey, alias);
    return alias;
  }

  private makerFor(secret: string): AliasMaker {
    if (!this.maker || this.makerSecret !== secret) {
      this.maker = new AliasMaker(secret);
      this.makerSecret = secret;
    }
    return this.maker;
  }
}
