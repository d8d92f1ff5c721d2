// The query AST and its printer. Values are stored folded (lowercase, no accents), so two
// queries that mean the same thing have the same tree.

export const FIELDS = ['lang', 'source', 'site', 'author'] as const;
export type FieldName = (typeof FIELDS)[number];

export type QueryNode =
  /** One word; `prefix` for "caff*". */
  | { type: 'term'; value: string; prefix: boolean }
  /** Consecutive words, in this order. */
  | { type: 'phrase'; words: string[] }
  | { type: 'hashtag'; value: string }
  | { type: 'handle'; value: string }
  | { type: 'field'; field: FieldName; value: string }
  | { type: 'and'; children: QueryNode[] }
  | { type: 'or'; children: QueryNode[] }
  | { type: 'not'; child: QueryNode }
  /** Both sides within `distance` words of each other, in either order. */
  | { type: 'near'; distance: number; left: NearOperand; right: NearOperand };

export type NearOperand = Extract<QueryNode, { type: 'term' | 'phrase' | 'hashtag' | 'handle' }>;

const OPERATOR_WORDS = new Set(['AND', 'OR', 'NOT']);

function quote(s: string): string {
  return `"${s.replace(/"/g, '')}"`;
}

function printValue(v: string): string {
  // A field value with anything but word characters (spaces, dots, colons) is quoted.
  return /^[\p{L}\p{N}_]+$/u.test(v) ? v : quote(v);
}

/** Prints a tree as a query that parses back to the same tree. */
export function printQuery(node: QueryNode): string {
  switch (node.type) {
    case 'term':
      return `${node.value}${node.prefix ? '*' : ''}`;
    case 'phrase':
      return quote(node.words.join(' '));
    case 'hashtag':
      return `#${node.value}`;
    case 'handle':
      return `@${node.value}`;
    case 'field':
      return `${node.field}:${printValue(node.value)}`;
    case 'not':
      return `NOT ${wrap(node.child)}`;
    case 'near':
      return `${printQuery(node.left)} NEAR/${node.distance} ${printQuery(node.right)}`;
    case 'and':
      return node.children.map(wrap).join(' AND ');
    case 'or':
      return node.children.map(wrap).join(' OR ');
  }
}

function wrap(n: QueryNode): string {
  return n.type === 'and' || n.type === 'or' || n.type === 'near' ? `(${printQuery(n)})` : printQuery(n);
}

/** Whether a bare word would be read as an operator (so it must be written in lowercase). */
export function isOperatorWord(w: string): boolean {
  return OPERATOR_WORDS.has(w) || /^NEAR\/\d*$/.test(w);
}
