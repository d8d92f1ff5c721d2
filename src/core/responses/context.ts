// What the composer shows about the target (the mention, the post it replies to and the
// thread's first post, where stored) and the values of the template placeholders.
import type { Mention } from '../../shared/schemas';
import type { ResponseContext, ThreadPost } from '../../shared/responses';

export interface ContextSources {
  mention(id: number): Mention | null;
  /** The stored conversation around a mention (oldest first). */
  thread(m: Mention): Mention[];
  /** Brands whose themes the mention matched, most relevant first; or, for a moment, its theme's. */
  brandsOf(kind: 'mention' | 'moment', id: number): string[];
  /** Every brand of the workspace (the only one names itself when nothing else does). */
  brands(): string[];
  /** The brand whose own account or thread the mention is on. */
  ownedBy(m: Mention): string | null;
}

function post(m: Mention): ThreadPost {
  return { id: m.id, title: m.title, text: m.text, publishedAt: m.publishedAt, url: m.url };
}

/** An id as the thread stores it, with or without a platform prefix (t3_abc / abc). */
function sameId(a: string | null, b: string | null): boolean {
  if (!a || !b) return false;
  const bare = (s: string): string => s.replace(/^t\d_/, '');
  return a === b || bare(a) === bare(b);
}

export function createContextResolver(src: ContextSources): (kind: 'mention' | 'moment', id: number) => ResponseContext | null {
  const brandFor = (kind: 'mention' | 'moment', id: number, m: Mention | null): string | null => {
    const owned = m ? src.ownedBy(m) : null;
    if (owned) return owned;
    const matched = src.brandsOf(kind, id);
    if (matched.length > 0) return matched[0]!;
    const all = src.brands();
    return all.length === 1 ? all[0]! : null;
  };
  return (kind, id) => {
    if (kind === 'moment') return { mention: null, parent: null, root: null, url: null, author: null, brand: brandFor(kind, id, null) };
    const m = src.mention(id);
    if (!m) return null;
    const thread = m.parentId || m.threadId ? src.thread(m).filter((x) => x.id !== m.id) : [];
    const parent = thread.find((x) => sameId(x.externalId, m.parentId)) ?? null;
    const root = thread.find((x) => sameId(x.externalId, m.threadId)) ?? null;
    return {
      mention: { ...post(m), sourceName: m.sourceName },
      parent: parent ? post(parent) : null,
      // The root only when it is not the parent itself (a comment on the post).
      root: root && root.id !== parent?.id ? post(root) : null,
      url: m.url,
      // Authors are stored only as keys: a readable name comes with the pseudonyms (issue #17).
      author: null,
      brand: brandFor(kind, id, m),
    };
  };
}
