// One CSV cell (RFC 4180), safe to open in a spreadsheet: used by every CSV export.
const CSV_SPECIAL = /[",\r\n]|^\s|\s$/;
// A cell starting with one of these is a formula to Excel and LibreOffice: exported text may be
// written by strangers, so such cells get a leading apostrophe (shown as text).
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(v: string | number | null): string {
  if (v === null) return '';
  if (typeof v === 'number') return String(v);
  const s = FORMULA_START.test(v) ? `'${v}` : v;
  return CSV_SPECIAL.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
