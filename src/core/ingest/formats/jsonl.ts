// JSON Lines: one mention object per line. A bad line is reported with its number and the
// rest of the file still counts. A .json file holding one array of objects is read too.
import type { IngestReject } from '../../../shared/schemas';
import { renderText, type ErrorLang } from '../../../shared/errors';
import type { ImportRecord, ParsedImport } from './types';
import { looksBinary, stripBom } from './sniff';

function describeJsonError(e: unknown, lang: ErrorLang): string {
  const msg = e instanceof Error ? e.message : String(e);
  // V8's messages quote the whole line; keep them short.
  return renderText('import.jsonInvalid', { reason: msg.length > 120 ? `${msg.slice(0, 120)}…` : msg }, lang);
}

function isPlainObject(v: unknown): boolean {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** `lang`: the language of the reasons (stored with the import report: the workspace's). */
export function parseJsonl(content: string, lang: ErrorLang = 'it'): ParsedImport {
  const text = stripBom(content);
  const base = { format: 'jsonl' as const };
  if (looksBinary(text)) {
    return { ...base, lines: 0, records: [], rejected: [], error: renderText('import.jsonBinary', {}, lang) };
  }
  const trimmed = text.trimStart();
  if (trimmed === '') return { ...base, lines: 0, records: [], rejected: [], error: renderText('import.empty', {}, lang) };
  if (trimmed.startsWith('[')) {
    const asArray = parseJsonArray(text, lang);
    if (asArray) return asArray;
  }
  const records: ImportRecord[] = [];
  const rejected: IngestReject[] = [];
  const lines = text.split(/\r\n|\n|\r/);
  let index = 0;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] ?? '';
    if (raw.trim() === '') continue;
    const line = i + 1;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (e) {
      rejected.push({ index, line, reason: describeJsonError(e, lang) });
      index++;
      continue;
    }
    if (!isPlainObject(value)) {
      rejected.push({
        index,
        line,
        reason: renderText(Array.isArray(value) ? 'import.jsonList' : 'import.jsonNotObject', {}, lang),
      });
    } else {
      records.push({ index, line, value });
    }
    index++;
  }
  return { ...base, lines: index, records, rejected, error: null };
}

/** A whole-file JSON array; null when it does not parse as one (then read it as lines). */
function parseJsonArray(text: string, lang: ErrorLang): ParsedImport | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!Array.isArray(value)) return null;
  const records: ImportRecord[] = [];
  const rejected: IngestReject[] = [];
  value.forEach((v: unknown, index) => {
    // No line numbers inside one JSON document: the element's position stands in for it.
    if (isPlainObject(v)) records.push({ index, line: index + 1, value: v });
    else rejected.push({ index, line: index + 1, reason: renderText('import.jsonItemNotObject', {}, lang) });
  });
  return { format: 'jsonl', lines: value.length, records, rejected, error: null };
}
