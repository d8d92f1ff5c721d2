// Import files → records to validate and store. Pure: no database, no clock.
import type { ImportFormat } from '../../../shared/schemas';
import type { ErrorLang } from '../../../shared/errors';
import { parseCsv, type CsvReadOptions } from './csv';
import { parseJsonl } from './jsonl';
import { formatFromFileName, sniffFormat } from './sniff';
import type { ParsedImport } from './types';

export type { ImportRecord, ParsedImport } from './types';
export { parseCsv, detectDelimiter, normalizeDate, type CsvReadOptions } from './csv';
export { decodeImportBytes, detectEncoding, importEncodingOf, ImportTextDecoder } from './decode';
export { parseJsonl } from './jsonl';
export { formatFromFileName, looksBinary, sniffFormat } from './sniff';

/**
 * Parses an import file's text; the format comes from `format`, else the name, else the
 * content. `lang`: the language of the reasons.
 */
export function parseImportFile(fileName: string, content: string, format?: ImportFormat, lang: ErrorLang = 'it', opts: CsvReadOptions = {}): ParsedImport {
  const f = format ?? formatFromFileName(fileName) ?? sniffFormat(content);
  return f === 'csv' ? parseCsv(content, fileName, lang, opts) : parseJsonl(content, lang);
}
