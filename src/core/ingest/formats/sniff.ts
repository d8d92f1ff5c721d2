import type { ImportFormat } from '../../../shared/schemas';

/** The format its name says, or null when the extension tells nothing. */
export function formatFromFileName(fileName: string): ImportFormat | null {
  const m = /\.([a-z0-9]+)$/i.exec(fileName.trim());
  const ext = m?.[1]?.toLowerCase();
  if (ext === 'jsonl' || ext === 'ndjson' || ext === 'json' || ext === 'jsonlines') return 'jsonl';
  if (ext === 'csv' || ext === 'tsv' || ext === 'txt') return 'csv';
  return null;
}

/** For a name without a known extension: JSON lines start with an object. */
export function sniffFormat(content: string): ImportFormat {
  const first = /\S/.exec(content.replace(/^\uFEFF/, ''));
  return first && (first[0] === '{' || first[0] === '[') ? 'jsonl' : 'csv';
}

/**
 * Binary files decoded as text show NUL bytes, control characters or many replacement
 * characters. Only the head is checked: enough to tell a spreadsheet from a text export.
 */
export function looksBinary(content: string): boolean {
  const head = content.slice(0, 65_536);
  if (head.length === 0) return false;
  let suspicious = 0;
  for (let i = 0; i < head.length; i++) {
    const c = head.charCodeAt(i);
    if (c === 0) return true;
    if (c === 0xfffd || (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c)) suspicious++;
  }
  return suspicious / head.length > 0.02;
}

export function stripBom(s: string): string {
  return s.charCodeAt(0) === 0xfeff ? s.slice(1) : s;
}
