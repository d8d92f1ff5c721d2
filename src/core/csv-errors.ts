// csv-parse's own messages are English and about its internals ("Quote Not Closed: the
// parsing is finished with an opening quote at line 5"): a file that cannot be read is said
// with a code, in Italian, naming the line; the library's words only as the reason, at most.
import type { ErrorParams } from '../shared/errors';

export function csvParseErrorRef(e: unknown): { key: 'csv.quoteNotClosed' | 'csv.unreadable'; params: ErrorParams } {
  const err = (e ?? {}) as { code?: unknown; lines?: unknown; message?: unknown };
  const line = typeof err.lines === 'number' ? err.lines : 0;
  if (err.code === 'CSV_QUOTE_NOT_CLOSED') return { key: 'csv.quoteNotClosed', params: { line } };
  return { key: 'csv.unreadable', params: { line, reason: String(err.message ?? e).slice(0, 200) } };
}
