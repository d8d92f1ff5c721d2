// What a mention is counted under. Moments are found per key: a matched theme (`th:<id>`),
// a brand the mention is about (`b:<id>`), a thread on the brand's own accounts
// (`o:<source>\u0000<thread>`) and, when terms are tracked, each emergent term (`t:<term>`).
// The perimeter (themes, brand and product names, declared accounts, the themes' vocabulary)
// is read once and kept until it changes; its signature tells whether an edit changed what
// keys exist or how they classify.
import type { ThemeDef } from '../store/perimeters-repo';
import { fold } from '../../shared/text';
import type { PerimetersService } from '../perimeters';
import type { KeyInfo, TrackItem } from './detector';
import { emergentTerms, readsFolded, ThemeVocabulary, type FoldedMention } from './terms';

interface BrandInfo {
  id: number;
  name: string;
  /** Folded names that mark a mention as about the brand (brand and product names). */
  needles: string[];
}

export interface Context {
  themes: Map<number, ThemeDef>;
  brands: BrandInfo[];
  vocab: ThemeVocabulary;
  signature: string;
}

export class MomentKeys {
  private ctx: Context | null;

  constructor(private readonly perimeters: PerimetersService) {
    // Read at once: a perimeter change compares against what was read (see reread).
    this.ctx = this.build();
  }

  /** The perimeter as last read (read again when it was forgotten). */
  context(): Context {
    if (!this.ctx) this.ctx = this.build();
    return this.ctx;
  }

  /** Forgets the perimeter read: a rebuild reads it afresh. */
  forget(): void {
    this.ctx = null;
  }

  /** Reads the perimeter afresh; whether what keys exist or how they classify changed. */
  reread(): boolean {
    const before = this.ctx?.signature;
    this.ctx = null;
    const after = this.context().signature;
    return before !== after;
  }

  private build(): Context {
    const repo = this.perimeters.repo;
    const themes = new Map(repo.themeDefs().map((t) => [t.id, t]));
    const products = repo.products();
    const brands: BrandInfo[] = repo.brands().map((b) => {
      const name = fold(b.name);
      const handle = name.replace(/[^\p{L}\p{N}]/gu, '');
      // People write a brand as its handle and hashtag too (@cosmeticiiris, #CosmeticiIris):
      // the name without spaces counts when it differs from the name and is long enough not
      // to occur inside ordinary words.
      const compact = handle !== name && handle.length >= 6 ? [handle] : [];
      const needles = [name, ...compact, ...products.filter((p) => p.brandId === b.id).map((p) => fold(p.name))].filter((s) => s.length >= 3);
      return { id: b.id, name: b.name, needles };
    });
    const vocab = new ThemeVocabulary(
      [...themes.values()].map((t) => t.query),
      [...repo.brands().map((b) => b.name), ...products.map((p) => p.name)],
    );
    const signature = JSON.stringify({
      t: [...themes.values()].map((t) => [t.id, t.brandId, t.name, t.query, t.stance, t.swot]),
      b: brands.map((b) => [b.id, b.needles]),
      // The brands' declared own accounts decide the owned-thread keys.
      o: this.perimeters.owned.signature(),
    });
    return { themes, brands, vocab, signature };
  }

  /** The brand whose own thread this is, from the accounts declared in Perimetri. */
  threadOwner(sourceName: string, threadId: string, url: string | null = null): number | null {
    return this.perimeters.owned.threadOwner(sourceName, threadId, url);
  }

  info(key: string): KeyInfo | null {
    const ctx = this.context();
    const colon = key.indexOf(':');
    const kind = key.slice(0, colon);
    const rest = key.slice(colon + 1);
    if (kind === 'th') {
      const t = ctx.themes.get(Number(rest));
      if (!t) return null;
      const exposed = t.stance !== 'in_perimeter';
      return { kind: 'theme', label: t.name, themeId: t.id, crisisOk: exposed, opportunityOk: !exposed, priority: 4 };
    }
    if (kind === 'b') {
      const b = ctx.brands.find((x) => x.id === Number(rest));
      if (!b) return null;
      return { kind: 'brand', label: b.name, themeId: null, crisisOk: true, opportunityOk: true, priority: 2 };
    }
    if (kind === 'o') {
      // o:<sourceName>\u0000<threadId>
      const [source, thread] = rest.split('\u0000');
      return { kind: 'thread', label: `${thread ?? ''} · ${source ?? ''}`, themeId: null, crisisOk: true, opportunityOk: true, priority: 3 };
    }
    if (kind === 't') return { kind: 'term', label: rest, themeId: null, crisisOk: false, opportunityOk: true, priority: 1 };
    return null;
  }

  /** Keys of one mention, and whether it is about a brand. */
  of(it: TrackItem, trackTerms: boolean): { keys: string[]; brand: boolean } {
    const ctx = this.context();
    const keys: string[] = [];
    const brandIds = new Set<number>();
    for (const id of it.themeIds) {
      const t = ctx.themes.get(id);
      if (!t) continue;
      keys.push(`th:${id}`);
      brandIds.add(t.brandId);
    }
    // A mention on (or by) the brand's own account is about the brand; its thread is tracked
    // when the thread itself is the brand's.
    const owner = this.perimeters.owned.ownerOf(it);
    if (owner !== null) brandIds.add(owner);
    if (it.threadId && this.threadOwner(it.sourceName, it.threadId, it.url) !== null) keys.push(`o:${it.sourceName}\u0000${it.threadId}`);
    // Folded once for the brand names and the terms.
    let folded: FoldedMention | undefined;
    const brandsLeft = ctx.brands.length > 0 && brandIds.size < ctx.brands.length;
    if (brandsLeft || (trackTerms && readsFolded(it.title, it.text))) folded = { title: it.title ? fold(it.title) : null, text: fold(it.text) };
    if (brandsLeft && folded) {
      const f = folded;
      const text = f.title !== null ? `${f.title} ${f.text}` : f.text;
      // A loop, not some() with a closure: this runs for every mention.
      for (const b of ctx.brands) {
        if (brandIds.has(b.id)) continue;
        for (const n of b.needles) {
          if (text.includes(n)) {
            brandIds.add(b.id);
            break;
          }
        }
      }
    }
    for (const b of brandIds) keys.push(`b:${b}`);
    if (trackTerms) emergentTerms(it.title, it.text, ctx.vocab, folded, 't:', keys);
    return { keys, brand: brandIds.size > 0 };
  }

  /** The brands a set of keys is about (themes, owned threads, brands). */
  brandsOf(keys: Iterable<string>): Set<number> {
    const out = new Set<number>();
    const ctx = this.context();
    for (const key of keys) {
      if (key.startsWith('b:')) out.add(Number(key.slice(2)));
      else if (key.startsWith('th:')) {
        const t = ctx.themes.get(Number(key.slice(3)));
        if (t) out.add(t.brandId);
      } else if (key.startsWith('o:')) {
        const [source, thread] = key.slice(2).split('\u0000');
        const owner = this.threadOwner(source ?? '', thread ?? '');
        if (owner !== null) out.add(owner);
      }
    }
    return out;
  }
}
