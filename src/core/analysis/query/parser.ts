// Query language: lexer and recursive-descent parser to a QueryNode tree.
//
//   query   := or
//   or      := and ("OR" and)*
//   and     := unary (["AND"] unary)*          adjacent items are ANDed
//   unary   := ("NOT" | "-") unary | near
//   near    := primary ["NEAR/n" primary]      only between words, phrases, #tags, @handles
//   primary := "(" or ")" | word | word* | "phrase" | #tag | @handle | field:value | field:"value"
//
// Operators are uppercase (lowercase "and" is a word). Every error is a QueryError that says,
// as a code of the error catalogue, what is wrong and at which column.
import { FIELDS, type FieldName, type NearOperand, type QueryNode } from './ast';
import { ApiError } from '../../../shared/contract';
import type { ErrorCode, ErrorParams } from '../../../shared/errors';
import { fold } from '../../../shared/text';
import { words } from './text';

export const QUERY_MAX_LENGTH = 4_000;
export const NEAR_MAX = 100;
const MAX_DEPTH = 64;
const MIN_PREFIX = 2;

/** Why a query does not parse, as a code (the column among its params) and where. */
export class QueryError extends ApiError {
  /** 1-based column, as users count. */
  readonly column: number;
  constructor(
    key: ErrorCode,
    params: ErrorParams,
    /** 0-based offset in the query. */
    readonly position: number,
    readonly length = 1,
  ) {
    super(key, params);
    this.name = 'QueryError';
    this.column = position + 1;
  }
}

type Tok =
  | { t: 'lparen' | 'rparen' | 'and' | 'or' | 'not' | 'minus'; pos: number; len: number }
  | { t: 'near'; pos: number; len: number; n: number }
  | { t: 'word'; pos: number; len: number; raw: string }
  | { t: 'phrase'; pos: number; len: number; raw: string }
  | { t: 'hashtag' | 'handle'; pos: number; len: number; raw: string }
  | { t: 'field'; pos: number; len: number; field: string; raw: string; quoted: boolean };

const col = (pos: number): number => pos + 1;
const isSpace = (c: string): boolean => /\s/u.test(c);
// Characters that end a bare word.
const isStop = (c: string): boolean => isSpace(c) || c === '(' || c === ')' || c === '"';

function readQuoted(src: string, at: number): { value: string; end: number } {
  const close = src.indexOf('"', at + 1);
  if (close < 0) throw new QueryError('query.unclosedQuote', { col: col(at) }, at, src.length - at);
  return { value: src.slice(at + 1, close), end: close + 1 };
}

function lex(src: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (isSpace(c)) {
      i++;
      continue;
    }
    if (c === '(') {
      toks.push({ t: 'lparen', pos: i, len: 1 });
      i++;
      continue;
    }
    if (c === ')') {
      toks.push({ t: 'rparen', pos: i, len: 1 });
      i++;
      continue;
    }
    if (c === '"') {
      const q = readQuoted(src, i);
      toks.push({ t: 'phrase', pos: i, len: q.end - i, raw: q.value });
      i = q.end;
      continue;
    }
    // "-" opens an exclusion only at the start of an item ("-decaf"); inside a word it is
    // part of it ("e-commerce").
    if (c === '-' && i + 1 < src.length && !isSpace(src[i + 1]!) && src[i + 1] !== ')') {
      toks.push({ t: 'minus', pos: i, len: 1 });
      i++;
      continue;
    }
    let j = i;
    while (j < src.length && !isStop(src[j]!)) {
      // field:"quoted value" keeps its quotes together with the field name.
      if (src[j] === ':' && src[j + 1] === '"') break;
      j++;
    }
    let raw = src.slice(i, j);
    if (src[j] === ':' && src[j + 1] === '"') {
      const q = readQuoted(src, j + 1);
      toks.push({ t: 'field', pos: i, len: q.end - i, field: raw, raw: q.value, quoted: true });
      i = q.end;
      continue;
    }
    if (raw === 'AND') toks.push({ t: 'and', pos: i, len: 3 });
    else if (raw === 'OR') toks.push({ t: 'or', pos: i, len: 2 });
    else if (raw === 'NOT') toks.push({ t: 'not', pos: i, len: 3 });
    else if (raw.startsWith('NEAR/') || raw === 'NEAR') {
      const num = raw.slice(5);
      if (!/^\d{1,4}$/.test(num)) {
        throw new QueryError('query.nearNumber', { col: col(i) }, i, raw.length);
      }
      const n = Number(num);
      if (n < 1 || n > NEAR_MAX) {
        throw new QueryError('query.nearRange', { max: NEAR_MAX, col: col(i) }, i, raw.length);
      }
      toks.push({ t: 'near', pos: i, len: raw.length, n });
    } else if (raw.startsWith('#') || raw.startsWith('@')) {
      toks.push({ t: raw[0] === '#' ? 'hashtag' : 'handle', pos: i, len: raw.length, raw: raw.slice(1) });
    } else {
      const colon = raw.indexOf(':');
      if (colon > 0 && /^[a-z]+$/i.test(raw.slice(0, colon))) {
        toks.push({ t: 'field', pos: i, len: raw.length, field: raw.slice(0, colon), raw: raw.slice(colon + 1), quoted: false });
      } else {
        raw = raw.trim();
        toks.push({ t: 'word', pos: i, len: raw.length, raw });
      }
    }
    i = j;
  }
  return toks;
}

const OP_NAMES: Partial<Record<Tok['t'], string>> = { and: 'AND', or: 'OR', not: 'NOT', minus: '-', near: 'NEAR/' };

class Parser {
  private i = 0;
  private depth = 0;
  constructor(
    private readonly toks: Tok[],
    private readonly src: string,
  ) {}

  parse(): QueryNode {
    if (this.toks.length === 0) throw new QueryError('query.empty', {}, 0, 0);
    const node = this.or();
    const t = this.peek();
    if (t) {
      if (t.t === 'rparen') throw new QueryError('query.closeWithoutOpen', { col: col(t.pos) }, t.pos);
      throw new QueryError('query.unexpected', { text: this.text(t), col: col(t.pos) }, t.pos, t.len);
    }
    return node;
  }

  private peek(): Tok | undefined {
    return this.toks[this.i];
  }

  private text(t: Tok): string {
    return this.src.slice(t.pos, t.pos + t.len);
  }

  private or(): QueryNode {
    const children = [this.and()];
    while (this.peek()?.t === 'or') {
      const op = this.toks[this.i++]!;
      this.needRight(op);
      children.push(this.and());
    }
    return flatten('or', children);
  }

  private and(): QueryNode {
    const children = [this.unary()];
    for (;;) {
      const t = this.peek();
      if (!t || t.t === 'or' || t.t === 'rparen') break;
      if (t.t === 'and') {
        this.i++;
        this.needRight(t);
      } else if (t.t === 'near') {
        throw new QueryError('query.nearLeftGroup', { col: col(t.pos) }, t.pos, t.len);
      }
      children.push(this.unary());
    }
    return flatten('and', children);
  }

  private unary(): QueryNode {
    const t = this.peek();
    if (t && (t.t === 'not' || t.t === 'minus')) {
      this.i++;
      this.needRight(t);
      return { type: 'not', child: this.nested(() => this.unary()) };
    }
    return this.near();
  }

  private near(): QueryNode {
    const left = this.primary();
    const t = this.peek();
    if (t?.t !== 'near') return left;
    this.i++;
    this.needRight(t);
    const rightTok = this.peek()!;
    const right = this.primary();
    if (!isNearOperand(left)) {
      throw new QueryError('query.nearLeftOther', { col: col(t.pos) }, t.pos, t.len);
    }
    if (!isNearOperand(right)) {
      throw new QueryError('query.nearRightOther', { col: col(rightTok.pos) }, rightTok.pos, rightTok.len);
    }
    const next = this.peek();
    if (next?.t === 'near') {
      throw new QueryError('query.nearChain', { col: col(next.pos) }, next.pos, next.len);
    }
    return { type: 'near', distance: t.n, left, right };
  }

  private primary(): QueryNode {
    const t = this.peek();
    if (!t) {
      const last = this.toks[this.i - 1];
      const at = last ? last.pos + last.len : this.src.length;
      throw new QueryError('query.missingTerm', { col: col(at) }, at, 0);
    }
    switch (t.t) {
      case 'lparen': {
        this.i++;
        if (this.peek()?.t === 'rparen') throw new QueryError('query.emptyParens', { col: col(t.pos) }, t.pos, 2);
        const inner = this.nested(() => this.or());
        const close = this.peek();
        if (close?.t !== 'rparen') throw new QueryError('query.unclosedParen', { col: col(t.pos) }, t.pos);
        this.i++;
        return inner;
      }
      case 'rparen':
        throw new QueryError('query.closeWithoutOpen', { col: col(t.pos) }, t.pos);
      case 'word':
        this.i++;
        return wordNode(t.raw, t.pos, t.len);
      case 'phrase': {
        this.i++;
        const ws = words(t.raw);
        if (ws.length === 0) throw new QueryError('query.emptyPhrase', { col: col(t.pos) }, t.pos, t.len);
        return ws.length === 1 ? { type: 'term', value: ws[0]!, prefix: false } : { type: 'phrase', words: ws };
      }
      case 'hashtag':
      case 'handle': {
        this.i++;
        const ws = words(t.raw);
        const sign = t.t === 'hashtag' ? '#' : '@';
        if (ws.length !== 1 || !/^[\p{L}\p{N}\p{M}_]+$/u.test(t.raw)) {
          throw new QueryError('query.signWord', { sign, col: col(t.pos) }, t.pos, t.len);
        }
        return { type: t.t, value: ws[0]! };
      }
      case 'field':
        this.i++;
        return fieldNode(t.field, t.raw, t.quoted, t.pos, t.len);
      case 'and':
      case 'or':
      case 'not':
      case 'minus':
      case 'near': {
        const name = OP_NAMES[t.t] ?? t.t;
        throw new QueryError('query.noLeft', { op: name, col: col(t.pos) }, t.pos, t.len);
      }
    }
  }

  private needRight(op: Tok): void {
    const next = this.peek();
    const name = OP_NAMES[op.t] ?? op.t;
    if (!next || next.t === 'rparen' || next.t === 'or' || next.t === 'and') {
      throw new QueryError('query.noRight', { op: name, col: col(op.pos) }, op.pos, op.len);
    }
  }

  private nested<T>(f: () => T): T {
    if (++this.depth > MAX_DEPTH) {
      const t = this.peek();
      throw new QueryError('query.tooDeep', { max: MAX_DEPTH }, t?.pos ?? 0);
    }
    try {
      return f();
    } finally {
      this.depth--;
    }
  }
}

function isNearOperand(n: QueryNode): n is NearOperand {
  return n.type === 'term' || n.type === 'phrase' || n.type === 'hashtag' || n.type === 'handle';
}

function flatten(type: 'and' | 'or', children: QueryNode[]): QueryNode {
  if (children.length === 1) return children[0]!;
  const out: QueryNode[] = [];
  for (const c of children) {
    if (c.type === type) out.push(...c.children);
    else out.push(c);
  }
  return { type, children: out };
}

function wordNode(raw: string, pos: number, len: number): QueryNode {
  let body = raw;
  let prefix = false;
  if (body.endsWith('*')) {
    prefix = true;
    body = body.slice(0, -1);
  }
  const star = body.indexOf('*');
  if (star >= 0) {
    throw new QueryError('query.starEnd', { col: col(pos + star) }, pos + star);
  }
  const ws = words(body);
  if (ws.length === 0) {
    throw new QueryError('query.noLetters', { text: raw, col: col(pos) }, pos, len);
  }
  if (prefix) {
    if (ws.length > 1) throw new QueryError('query.starOneWord', { text: body, col: col(pos) }, pos, len);
    if (ws[0]!.length < MIN_PREFIX) {
      throw new QueryError('query.starPrefix', { min: MIN_PREFIX, col: col(pos) }, pos, len);
    }
  }
  // A word that text splits in several ("l'aurora", "e-commerce") is the phrase of its parts.
  if (ws.length > 1) return { type: 'phrase', words: ws };
  return { type: 'term', value: ws[0]!, prefix };
}

function fieldNode(field: string, raw: string, quoted: boolean, pos: number, len: number): QueryNode {
  const name = field.toLowerCase();
  if (!(FIELDS as readonly string[]).includes(name)) {
    throw new QueryError('query.unknownField', { field, col: col(pos), fields: FIELDS.map((f) => `${f}:`).join(', ') }, pos, field.length + 1);
  }
  const value = fold(raw.trim()).replace(/\s+/g, ' ');
  if (!value || value.includes('"') || (!quoted && value.includes(':'))) {
    throw new QueryError('query.fieldValue', { field: name, example: example(name as FieldName), col: col(pos) }, pos, len);
  }
  if (name === 'lang' && !/^[a-z]{2,3}$/.test(value)) {
    throw new QueryError('query.langCode', { col: col(pos) }, pos, len);
  }
  return { type: 'field', field: name as FieldName, value };
}

function example(f: FieldName): string {
  switch (f) {
    case 'lang':
      return 'lang:it';
    case 'source':
      return 'source:reddit';
    case 'site':
      return 'site:example.com';
    case 'author':
      return 'author:3f9a2c1b0d4e5f67';
  }
}

/** Parses a query. Throws QueryError (and only QueryError) on any bad input. */
export function parseQuery(src: string): QueryNode {
  if (typeof src !== 'string') throw new QueryError('query.notText', {}, 0, 0);
  if (src.length > QUERY_MAX_LENGTH) {
    throw new QueryError('query.tooLong', { max: QUERY_MAX_LENGTH }, QUERY_MAX_LENGTH, src.length - QUERY_MAX_LENGTH);
  }
  return new Parser(lex(src), src).parse();
}
