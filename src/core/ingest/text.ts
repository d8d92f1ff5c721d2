// HTML → plain text for mention bodies. The result is only ever shown as text, but it is
// also indexed and exported, so markup and script must not survive as markup: script and
// style blocks go with their content, every other tag is removed, entities are decoded.

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', shy: '',
  laquo: '«', raquo: '»', lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”', sbquo: '‚', bdquo: '„',
  hellip: '…', ndash: '–', mdash: '—', bull: '•', middot: '·', deg: '°', euro: '€', pound: '£',
  copy: '©', reg: '®', trade: '™', times: '×', divide: '÷', para: '¶', sect: '§',
  agrave: 'à', aacute: 'á', egrave: 'è', eacute: 'é', igrave: 'ì', iacute: 'í',
  ograve: 'ò', oacute: 'ó', ugrave: 'ù', uacute: 'ú', Agrave: 'À', Aacute: 'Á',
  Egrave: 'È', Eacute: 'É', Igrave: 'Ì', Iacute: 'Í', Ograve: 'Ò', Oacute: 'Ó',
  Ugrave: 'Ù', Uacute: 'Ú', ccedil: 'ç', Ccedil: 'Ç', ntilde: 'ñ', Ntilde: 'Ñ',
  auml: 'ä', ouml: 'ö', uuml: 'ü', Auml: 'Ä', Ouml: 'Ö', Uuml: 'Ü', szlig: 'ß',
  acirc: 'â', ecirc: 'ê', icirc: 'î', ocirc: 'ô', ucirc: 'û', euml: 'ë', iuml: 'ï',
  zwj: '', zwnj: '', lrm: '', rlm: '', ensp: ' ', emsp: ' ', thinsp: ' ',
};

const ENTITY = /&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z][a-zA-Z0-9]{1,31}));?/g;

function fromCodePoint(cp: number): string {
  // NUL, surrogates and out-of-range code points decode to the replacement character, as browsers do.
  if (cp === 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return '\uFFFD';
  return String.fromCodePoint(cp);
}

export function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(ENTITY, (whole, dec: string | undefined, hex: string | undefined, name: string | undefined) => {
    if (dec !== undefined) return fromCodePoint(Number.parseInt(dec, 10));
    if (hex !== undefined) return fromCodePoint(Number.parseInt(hex, 16));
    const v = name !== undefined ? NAMED_ENTITIES[name] : undefined;
    return v ?? whole;
  });
}

// Blocks whose content is never text a reader should see.
const DROP_BLOCKS = /<(script|style|noscript|template|iframe|object|svg|math)\b[^>]*>[\s\S]*?<\/\1\s*>/gi;
// An opening of such a block with no closing tag: drop to the end, the rest is not text.
const DROP_UNCLOSED = /<(script|style|noscript|template|iframe|object)\b[^>]*>[\s\S]*$/i;
const COMMENT = /<!--[\s\S]*?(?:-->|$)/g;
const CDATA = /<!\[CDATA\[([\s\S]*?)\]\]>/g;
const BREAK_TAGS = /<\/?(?:br|p|div|li|ul|ol|tr|table|h[1-6]|blockquote|pre|section|article|header|footer|hr)\b[^>]*>/gi;
// Only things that look like tags are removed, so "a < b" or "<3" stay as written.
const TAG = /<\/?[a-zA-Z][a-zA-Z0-9:-]*(?:\s[^<>]*)?\/?>|<![a-zA-Z][^<>]*>|<\?[^<>]*\?>/g;

const looksLikeHtml = /<[a-zA-Z!/?]|&[#a-zA-Z]/;

// Any character from U+0300 on. Below it every character is its own NFC (no decomposition,
// combining class 0, never composed with a neighbour: U+0300 is the first combining mark),
// so a text without one is already NFC; most Italian and English posts are such texts, and
// normalize() copies the whole string to check it.
const MAY_NEED_NFC = /[^\u0000-\u02ff]/;

/** Plain text from text or HTML: tags stripped, entities decoded, whitespace collapsed. */
export function toPlainText(input: string): string {
  let s = input;
  if (looksLikeHtml.test(s)) {
    s = s
      .replace(CDATA, '$1')
      .replace(COMMENT, ' ')
      .replace(DROP_BLOCKS, ' ')
      .replace(DROP_UNCLOSED, ' ')
      .replace(BREAK_TAGS, '\n')
      .replace(TAG, '');
    s = decodeEntities(s);
  }
  return collapseWhitespace(MAY_NEED_NFC.test(s) ? s.normalize('NFC') : s);
}

// Anything collapseWhitespace's replacements would change: a control character (tab and CR
// included), a bidi control, a space other than U+0020, two spaces in a row, a space beside a
// line break, three line breaks. Most mentions have none of these and only need trimming.
const NEEDS_COLLAPSE = /[\u0000-\u0009\u000B-\u001F\u007F\u00A0\u2000-\u200A\u202A-\u202F\u205F\u2066-\u2069\u3000]| [ \n]|\n |\n\n\n/;

/**
 * Spaces and tabs collapse to one space; up to one blank line survives between paragraphs.
 * Control characters go, and so do the explicit bidi embeddings, overrides and isolates
 * (U+202A–U+202E, U+2066–U+2069): "Allegato <RLO>fdp.exe" would read "exe.pdf" to a reviewer.
 * Right-to-left scripts need none of them: the UI shows outside text with `dir="auto"`.
 */
export function collapseWhitespace(s: string): string {
  if (!NEEDS_COLLAPSE.test(s)) return s.trim();
  return s
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u202A-\u202E\u2066-\u2069]/g, '')
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t\u00A0\u2000-\u200A\u202F\u205F\u3000]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

// A whitespace character other than a plain space, or two spaces: what /\s+/g → ' ' changes.
const NOT_SINGLE_SPACED = /[^\S ]| {2}/;

/**
 * Every run of whitespace as one space: s.replace(/\s+/g, ' '), without the replacement when
 * there is nothing to replace (a stored mention's text is already collapsed, save its line
 * breaks, and the content hash and the quality checks ask for this once a mention each).
 */
export function singleSpaced(s: string): string {
  return NOT_SINGLE_SPACED.test(s) ? s.replace(/\s+/g, ' ') : s;
}
