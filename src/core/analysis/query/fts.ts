// A parsed query → an FTS5 expression that finds every mention the query can match (a superset),
// so a search over a million mentions tests only the index's candidates with the matcher.
// `exact` says the expression finds exactly the query's matches (words, prefixes and phrases
// joined by AND/OR): then the index alone can count and page.
import type { QueryNode } from './ast';

export interface FtsPlan {
  expr: string;
  exact: boolean;
}

// Values are folded words (letters, digits, marks, "_"): a quote can never be inside one.
const quoted = (s: string): string => `"${s.replace(/"/g, '')}"`;

/** null: the index cannot narrow this query (a lone NOT, a field filter); every mention is a candidate. */
export function ftsPlan(node: QueryNode): FtsPlan | null {
  switch (node.type) {
    case 'term':
      return { expr: node.prefix ? `${quoted(node.value)}*` : quoted(node.value), exact: true };
    case 'phrase':
      return { expr: quoted(node.words.join(' ')), exact: true };
    // The index drops the # and @: it finds the word, the matcher checks the sign.
    case 'hashtag':
    case 'handle':
      return { expr: quoted(node.value), exact: false };
    case 'field':
      return null;
    case 'near': {
      const l = ftsPlan(node.left);
      const r = ftsPlan(node.right);
      return l && r ? { expr: `(${l.expr}) AND (${r.expr})`, exact: false } : null;
    }
    case 'not':
      return null;
    case 'or': {
      const parts = node.children.map(ftsPlan);
      if (parts.some((p) => p === null)) return null;
      const ok = parts as FtsPlan[];
      return { expr: ok.map((p) => `(${p.expr})`).join(' OR '), exact: ok.every((p) => p.exact) };
    }
    case 'and': {
      const pos: FtsPlan[] = [];
      const neg: FtsPlan[] = [];
      let exact = true;
      for (const c of node.children) {
        const p = c.type === 'not' ? ftsPlan(c.child) : ftsPlan(c);
        if (!p) {
          exact = false;
          continue;
        }
        (c.type === 'not' ? neg : pos).push(p);
        exact &&= p.exact;
      }
      // FTS5's NOT is binary: without a positive part the index cannot narrow.
      if (pos.length === 0) return null;
      // An inexact negative part would drop real matches: only exact ones may exclude.
      const excl = neg.filter((p) => p.exact);
      if (excl.length < neg.length) exact = false;
      const expr = pos.map((p) => `(${p.expr})`).join(' AND ') + excl.map((p) => ` NOT (${p.expr})`).join('');
      return { expr, exact };
    }
  }
}
