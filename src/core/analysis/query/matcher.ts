// A parsed query compiled to a matcher over a prepared document. A document (one mention) is
// tokenized once and then tested against every theme, so the cost per extra theme is a few
// map lookups.
import type { FieldName, NearOperand, QueryNode } from './ast';
import { parseQuery } from './parser';
import { fold } from '../../../shared/text';
import { tokenize, TokenKind, type TextToken } from './text';

export type MatchField = 'title' | 'text';

/** A matched stretch of the title or text, by character offsets of the original string. */
export interface MatchSpan {
  field: MatchField;
  start: number;
  end: number;
}

export interface MatchDocInput {
  title?: string | null;
  text: string;
  lang?: string | null;
  /** The source's name ("Reddit r/italy"); source: also matches its kind ("reddit"). */
  source?: string | null;
  sourceKind?: string | null;
  url?: string | null;
  authorKey?: string | null;
  /**
   * author: compares with the pseudonymous key. When given, a raw name in the query
   * ("author:mario") is turned into this document's key for that name and compared too.
   */
  authorKeyFor?: ((name: string) => string | null) | null;
}

interface FieldIndex {
  tokens: TextToken[];
  /** Folded word → token indexes, any kind (a plain word also finds "#word"). */
  byValue: Map<string, number[]>;
}

export interface PreparedDoc {
  title: FieldIndex | null;
  text: FieldIndex;
  /** title (when present) then text, in the order spans are reported. */
  fields: Array<[MatchField, FieldIndex]>;
  lang: string;
  source: string;
  sourceKind: string;
  site: string;
  authorKey: string;
  authorKeyFor: ((name: string) => string | null) | null;
}

function index(s: string): FieldIndex {
  const tokens = tokenize(s);
  const byValue = new Map<string, number[]>();
  for (let i = 0; i < tokens.length; i++) {
    const v = tokens[i]!.v;
    const list = byValue.get(v);
    if (list) list.push(i);
    else byValue.set(v, [i]);
  }
  return { tokens, byValue };
}

function hostOf(url: string | null | undefined): string {
  if (!url) return '';
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^/?#:]+)/i.exec(url);
  return m ? m[1]!.toLowerCase().replace(/^www\./, '') : '';
}

/** Tokenizes a mention once, for any number of compiled queries. */
export function prepareDoc(d: MatchDocInput): PreparedDoc {
  const title = d.title ? index(d.title) : null;
  const text = index(d.text);
  return {
    title,
    text,
    fields: title ? [['title', title], ['text', text]] : [['text', text]],
    lang: (d.lang ?? '').toLowerCase(),
    source: fold(d.source ?? ''),
    sourceKind: (d.sourceKind ?? '').toLowerCase(),
    site: hostOf(d.url),
    authorKey: (d.authorKey ?? '').toLowerCase(),
    authorKeyFor: d.authorKeyFor ?? null,
  };
}

export interface QueryMatch {
  spans: MatchSpan[];
  /** Which field filters were part of the match (they narrow, so they count toward relevance). */
  filters: number;
}

/** Token ranges [first, last] of an operand's occurrences in one field. */
type Ranges = Array<[number, number]>;

type Evaluator = (doc: PreparedDoc, spans: MatchSpan[] | null, acc: { filters: number }) => boolean;

function operandRanges(op: NearOperand, f: FieldIndex): Ranges {
  const out: Ranges = [];
  switch (op.type) {
    case 'term': {
      if (op.prefix) {
        f.tokens.forEach((t, i) => {
          if (t.v.startsWith(op.value)) out.push([i, i]);
        });
      } else {
        for (const i of f.byValue.get(op.value) ?? []) out.push([i, i]);
      }
      return out;
    }
    case 'hashtag':
    case 'handle': {
      const kind = op.type === 'hashtag' ? TokenKind.Hashtag : TokenKind.Handle;
      for (const i of f.byValue.get(op.value) ?? []) if (f.tokens[i]!.k === kind) out.push([i, i]);
      return out;
    }
    case 'phrase': {
      const first = op.words[0]!;
      for (const i of f.byValue.get(first) ?? []) {
        let ok = i + op.words.length <= f.tokens.length;
        for (let k = 1; ok && k < op.words.length; k++) ok = f.tokens[i + k]!.v === op.words[k];
        if (ok) out.push([i, i + op.words.length - 1]);
      }
      return out;
    }
  }
}

/** Whether an operand occurs in a field, without building its ranges (the common "no" path). */
function occurs(op: NearOperand, f: FieldIndex): boolean {
  switch (op.type) {
    case 'term':
      if (!op.prefix) return f.byValue.has(op.value);
      for (const k of f.byValue.keys()) if (k.startsWith(op.value)) return true;
      return false;
    case 'hashtag':
    case 'handle': {
      const list = f.byValue.get(op.value);
      if (!list) return false;
      const kind = op.type === 'hashtag' ? TokenKind.Hashtag : TokenKind.Handle;
      for (const i of list) if (f.tokens[i]!.k === kind) return true;
      return false;
    }
    case 'phrase':
      // Every word must be there before the order is worth checking.
      for (const w of op.words) if (!f.byValue.has(w)) return false;
      return operandRanges(op, f).length > 0;
  }
}

function pushRange(spans: MatchSpan[], field: MatchField, f: FieldIndex, r: [number, number]): void {
  spans.push({ field, start: f.tokens[r[0]]!.s, end: f.tokens[r[1]]!.e });
}

function leaf(op: NearOperand): Evaluator {
  return (doc, spans) => {
    if (!spans) {
      for (const [, f] of doc.fields) if (occurs(op, f)) return true;
      return false;
    }
    let hit = false;
    for (const [name, f] of doc.fields) {
      const rs = operandRanges(op, f);
      if (rs.length === 0) continue;
      hit = true;
      if (!spans) return true;
      for (const r of rs) pushRange(spans, name, f, r);
    }
    return hit;
  };
}

function near(left: NearOperand, right: NearOperand, distance: number): Evaluator {
  return (doc, spans) => {
    let hit = false;
    for (const [name, f] of doc.fields) {
      if (!occurs(left, f) || !occurs(right, f)) continue;
      const ls = operandRanges(left, f);
      if (ls.length === 0) continue;
      const rs = operandRanges(right, f);
      for (const l of ls) {
        for (const r of rs) {
          // Words strictly between the two, whichever comes first; overlapping never counts.
          const gap = r[0] > l[1] ? r[0] - l[1] - 1 : l[0] > r[1] ? l[0] - r[1] - 1 : -1;
          if (gap < 0 || gap > distance) continue;
          hit = true;
          if (!spans) return true;
          pushRange(spans, name, f, l);
          pushRange(spans, name, f, r);
        }
      }
    }
    return hit;
  };
}

function field(name: FieldName, value: string): Evaluator {
  let test: (doc: PreparedDoc) => boolean;
  switch (name) {
    case 'lang':
      test = (d) => d.lang === value;
      break;
    case 'source':
      test = (d) => d.source.includes(value) || d.sourceKind === value;
      break;
    case 'site':
      test = (d) => d.site === value || d.site.endsWith(`.${value}`);
      break;
    case 'author':
      test = (d) => {
        if (!d.authorKey) return false;
        if (d.authorKey === value) return true;
        return d.authorKeyFor !== null && d.authorKeyFor(value) === d.authorKey;
      };
      break;
  }
  return (doc, _spans, acc) => {
    if (!test(doc)) return false;
    acc.filters++;
    return true;
  };
}

function build(node: QueryNode): Evaluator {
  switch (node.type) {
    case 'term':
    case 'phrase':
    case 'hashtag':
    case 'handle':
      return leaf(node);
    case 'near':
      return near(node.left, node.right, node.distance);
    case 'field':
      return field(node.field, node.value);
    case 'not': {
      const child = build(node.child);
      // What is excluded contributes no spans and no filter credit.
      return (doc) => !child(doc, null, { filters: 0 });
    }
    case 'and': {
      const kids = node.children.map(build);
      return (doc, spans, acc) => {
        const mark = spans?.length ?? 0;
        const filters = acc.filters;
        for (const k of kids) {
          if (!k(doc, spans, acc)) {
            if (spans) spans.length = mark;
            acc.filters = filters;
            return false;
          }
        }
        return true;
      };
    }
    case 'or': {
      const kids = node.children.map(build);
      return (doc, spans, acc) => {
        let hit = false;
        for (const k of kids) {
          // With spans wanted, every matching branch adds its spans; otherwise stop at one.
          if (k(doc, spans, acc)) {
            hit = true;
            if (!spans) return true;
          }
        }
        return hit;
      };
    }
  }
}

export interface CompiledQuery {
  readonly source: string;
  readonly ast: QueryNode;
  /** The match with its spans (sorted, merged), or null. */
  match(doc: PreparedDoc): QueryMatch | null;
  /** Cheaper yes/no. */
  test(doc: PreparedDoc): boolean;
}

function mergeSpans(spans: MatchSpan[]): MatchSpan[] {
  if (spans.length < 2) return spans;
  const sorted = [...spans].sort((a, b) => (a.field === b.field ? a.start - b.start || a.end - b.end : a.field === 'title' ? -1 : 1));
  const out: MatchSpan[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && last.field === s.field && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else out.push({ ...s });
  }
  return out;
}

export function compileAst(ast: QueryNode, source = ''): CompiledQuery {
  const ev = build(ast);
  return {
    source,
    ast,
    match(doc) {
      // Most documents match most themes not at all: answer that without collecting spans.
      if (!ev(doc, null, { filters: 0 })) return null;
      const spans: MatchSpan[] = [];
      const acc = { filters: 0 };
      if (!ev(doc, spans, acc)) return null;
      return { spans: mergeSpans(spans), filters: acc.filters };
    },
    test(doc) {
      return ev(doc, null, { filters: 0 });
    },
  };
}

/** Parses and compiles; throws QueryError on a bad query. */
export function compileQuery(src: string): CompiledQuery {
  return compileAst(parseQuery(src), src);
}
