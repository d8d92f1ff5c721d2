// The perimeter query language: parse → AST → compiled matcher. Pure (no SQLite, no I/O).
export { FIELDS, printQuery, type FieldName, type QueryNode } from './ast';
export { parseQuery, QueryError, QUERY_MAX_LENGTH, NEAR_MAX } from './parser';
export {
  compileAst,
  compileQuery,
  prepareDoc,
  type CompiledQuery,
  type MatchDocInput,
  type MatchField,
  type MatchSpan,
  type PreparedDoc,
  type QueryMatch,
} from './matcher';
export { tokenize } from './text';
