// Emergent terms: hashtags and content words (and pairs of them) a mention uses, minus
// Italian and English stopwords and minus the words the perimeter's queries already name, so
// what is moving outside the perimeter shows up as its own key. Words are folded by
// shared/text ("Perché" and "perche" are one term).
import { fold } from '../../shared/text';

// Function words and social filler, Italian and English. Kept short and explicit on purpose:
// a term has to repeat unusually often to matter, so a missed stopword costs little.
const STOP = new Set(
  (
    // Italian
    'il lo la i gli le un uno una di da in con su per tra fra a e ed o od ma però anche se che chi cui non né ' +
    'mi ti si ci vi ne me te se lui lei noi voi loro io tu egli essa esso esse essi mio mia miei mie tuo tua tuoi tue suo sua suoi sue nostro nostra vostro vostra ' +
    'del dello della dei degli delle al allo alla ai agli alle dal dallo dalla dai dagli dalle nel nello nella nei negli nelle sul sullo sulla sui sugli sulle col coi ' +
    'questo questa questi queste quello quella quelli quelle quel quei ciò cosa come dove quando perché perche quanto quanta quanti quante quale quali ' +
    'sono sei è e\' siamo siete era erano ero sarà sara sarebbe stato stata stati state essere ho hai ha abbiamo avete hanno avevo aveva avere fatto fare fa ' +
    'faccio fanno può puo posso possono devo deve dovete voglio vuole detto dire dice ' +
    'più piu meno molto molta molti molte poco tanto tanta tutto tutta tutti tutte ogni altro altra altri altre stesso stessa già gia ancora sempre mai ' +
    'qui qua lì li là la\' ora oggi ieri domani poi dopo prima adesso allora quindi invece anzi oppure ovvero cioè cioe ecco ' +
    'sì si no ok boh beh ah eh oh mah tipo proprio solo solo\' vero davvero appena mentre senza sopra sotto dentro fuori verso ' +
    'ciao grazie prego raga ragazzi qualcuno qualcosa niente nulla nessuno nessuna chiedo sa so sai ' +
    // English
    'the a an and or but if then than so of to in on at by for with from into onto about as is are was were be been being am ' +
    'do does did doing have has had having i me my mine you your yours he him his she her hers it its we us our they them their ' +
    'this that these those there here what which who whom whose when where why how all any both each few more most other some such ' +
    'no nor not only own same too very can will just should now would could shall may might must one also get got ' +
    'up down out over under again further once not dont don\'t isn\'t im i\'m it\'s really actually lol omg'
  ).split(/\s+/),
);

// Elisions as Italian writes them: "l'app" is the word "app".
const ELIDED = /^(?:l|un|dell|all|dall|nell|sull|quest|quell|c|d|m|t|s|v|n|po|anch|com|dov|cos|nessun|buon|qual)['’]/;
const URLISH = /(?:https?:\/\/|www\.)\S+/gu;
const HANDLE = /@[\p{L}\p{N}_.]+/gu;
const HAS_LETTER = /\p{L}/u;

/** A mention's title and text, each through fold(), so several readers fold them once. */
export interface FoldedMention {
  title: string | null;
  text: string;
}


const MAX_WORDS = 60;
const MAX_TERMS = 40;
/** Terms are read from the opening of a text: a 7,000-character post says what it is about early. */
const MAX_CHARS = 1_000;

/** Whether emergentTerms reads a mention's folded title and text (else it folds its opening itself). */
export const readsFolded = (title: string | null, text: string): boolean => (title ? title.length + 1 : 0) + text.length <= MAX_CHARS;

/** The words of a text, folded, stopwords and handles dropped (hashtags keep their #). */
export function contentWords(text: string): string[] {
  return foldedContentWords(fold(text.length > MAX_CHARS ? text.slice(0, MAX_CHARS) : text));
}

/** contentWords of a text already folded (and cut to MAX_CHARS before folding). */
function foldedContentWords(folded: string): string[] {
  const out: string[] = [];
  // Each pass only where it can change something: most posts hold no link, handle or apostrophe.
  let clean = folded;
  if (clean.includes('http') || clean.includes('www.')) clean = clean.replace(URLISH, ' ');
  if (clean.includes('@')) clean = clean.replace(HANDLE, ' ');
  const quotes = clean.includes("'") || clean.includes('’');
  // The words /#?[\p{L}\p{N}_]+(?:['’][\p{L}]+)*/gu would match, found by a scan of character
  // classes (see nextWord): that regex's match objects were a third of the terms' cost.
  const n = clean.length;
  let i = 0;
  while (i < n) {
    const start = nextWord(clean, i);
    if (start < 0) break;
    const end = scanEnd;
    i = end;
    const hashtag = clean.charCodeAt(start) === 35;
    // Shorter than four characters: never a term, whatever the passes below would do to it.
    if (end - start < 4) {
      if (!hashtag) out.push('');
      if (out.length >= MAX_WORDS) break;
      continue;
    }
    let w = quotes ? clean.slice(start, end).replace(/’/g, "'") : clean.slice(start, end);
    if (hashtag) {
      if (quotes ? HAS_LETTER.test(w) : scanLetter) out.push(w);
    } else {
      if (quotes) w = w.replace(ELIDED, '');
      if (w.length >= 4 && !STOP.has(w) && !(quotes && w.includes("'")) && (quotes ? HAS_LETTER.test(w) : scanLetter)) out.push(w);
      // A stopword breaks a pair: "muffa nelle capsule" pairs nothing across "nelle".
      else out.push('');
    }
    if (out.length >= MAX_WORDS) break;
  }
  return out;
}

// --- the scan behind foldedContentWords: #?[\p{L}\p{N}_]+(?:['’][\p{L}]+)*, by hand ---

/** Class of a code point: a letter (\p{L}), another word character (\p{N}, "_"), or neither. */
const C_OTHER = 0;
const C_LETTER = 1;
const C_WORD = 2;
const IS_LETTER = /^\p{L}$/u;
const IS_WORD = /^[\p{N}_]$/u;
/** Classes of the BMP's code units, each computed by the regexes on first sight (255: not yet). */
const BMP_CLASS = new Uint8Array(0x10000).fill(255);
const ASTRAL_CLASS = new Map<number, number>();

function classOfCodePoint(cp: number): number {
  const ch = String.fromCodePoint(cp);
  return IS_LETTER.test(ch) ? C_LETTER : IS_WORD.test(ch) ? C_WORD : C_OTHER;
}

/** Width (1 or 2 code units) of the code point at `i`, set by classAt. */
let cpWidth = 1;

/** Class of the code point at `i` of `s` (as the regexes' u flag reads it: a pair is one code point). */
function classAt(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
    const d = s.charCodeAt(i + 1);
    if (d >= 0xdc00 && d <= 0xdfff) {
      cpWidth = 2;
      const cp = (c - 0xd800) * 0x400 + (d - 0xdc00) + 0x10000;
      let k = ASTRAL_CLASS.get(cp);
      if (k === undefined) ASTRAL_CLASS.set(cp, (k = classOfCodePoint(cp)));
      return k;
    }
  }
  cpWidth = 1;
  let k = BMP_CLASS[c]!;
  if (k === 255) BMP_CLASS[c] = k = classOfCodePoint(c);
  return k;
}

/** End of the word found by nextWord, and whether it holds a letter. */
let scanEnd = 0;
let scanLetter = false;

/**
 * Start of the first word (the pattern above) at or after `from` (-1: none), its end in scanEnd.
 * Greedy as the regex: a "#" joins the word when a word character follows it, the run of word
 * characters is taken whole, then each apostrophe followed by letters with those letters.
 * Results go through module state rather than an object per word (this runs for every word).
 */
function nextWord(s: string, from: number): number {
  const n = s.length;
  let i = from;
  while (i < n) {
    const start = i;
    let j = i;
    if (s.charCodeAt(i) === 35) {
      if (i + 1 >= n || classAt(s, i + 1) === C_OTHER) {
        i++;
        continue;
      }
      j = i + 1;
    } else if (classAt(s, i) === C_OTHER) {
      i += cpWidth;
      continue;
    }
    let letter = false;
    for (;;) {
      if (j >= n) break;
      const k = classAt(s, j);
      if (k === C_OTHER) break;
      if (k === C_LETTER) letter = true;
      j += cpWidth;
    }
    for (;;) {
      if (j + 1 >= n) break;
      const q = s.charCodeAt(j);
      if ((q !== 39 && q !== 0x2019) || classAt(s, j + 1) !== C_LETTER) break;
      letter = true;
      j += 1 + cpWidth;
      while (j < n && classAt(s, j) === C_LETTER) j += cpWidth;
    }
    scanEnd = j;
    scanLetter = letter;
    return start;
  }
  return -1;
}

/**
 * The perimeter's own vocabulary: words and #tags its queries name (exact), and the stems of
 * prefix* terms. A term covered by it is the perimeter's business, not an emergent term.
 */
export class ThemeVocabulary {
  private readonly exact = new Set<string>();
  private readonly prefixes: string[] = [];
  /** The words of the brands' and products' names (folded, letters and digits only). */
  private readonly nameWords = new Set<string>();
  private longestName = 0;

  /**
   * `names`: the brands' and products' names. They are the perimeter's own subject (the brand
   * key counts them), never an emergent term: not their words ("aurora"), so not their pairs,
   * and not a hashtag made only of them ("#caffeaurora", "#auroracrema").
   */
  constructor(queries: readonly string[], names: readonly string[] = []) {
    for (const n of names) {
      for (const m of fold(n).matchAll(/[\p{L}\p{N}]+/gu)) {
        // A one-letter word ("Linea A") would let almost any hashtag read as made of names.
        if (m[0].length < 2) continue;
        this.nameWords.add(m[0]);
        this.longestName = Math.max(this.longestName, m[0].length);
      }
    }
    for (const q of queries) {
      // Field filters (lang:it, source:"…", site:x) say where, not what: they name no term.
      const words = fold(q).replace(/[\p{L}_]+:(?:"[^"]*"|\S+)/gu, ' ');
      for (const m of words.matchAll(/#?[\p{L}\p{N}_]+\*?/gu)) {
        const t = m[0];
        if (/^(and|or|not|near)$/.test(t)) continue;
        if (t.endsWith('*')) this.prefixes.push(t.replace(/^#/, '').slice(0, -1));
        else {
          this.exact.add(t.replace(/^#/, ''));
        }
      }
    }
  }

  covers(word: string): boolean {
    const tag = word.startsWith('#');
    const w = tag ? word.slice(1) : word;
    if (this.exact.has(w)) return true;
    for (const p of this.prefixes) if (p.length > 0 && w.startsWith(p)) return true;
    if (this.nameWords.has(w)) return true;
    return tag && this.nameWords.size > 0 && this.madeOfNames(w.replace(/[^\p{L}\p{N}]/gu, ''));
  }

  /** Whether a hashtag's body is a run of name words only ("caffeaurora" = caffe + aurora). */
  private madeOfNames(body: string): boolean {
    if (body.length === 0) return false;
    // ok[i]: body.slice(0, i) splits into name words.
    const ok = new Array<boolean>(body.length + 1).fill(false);
    ok[0] = true;
    for (let i = 1; i <= body.length; i++) {
      for (let j = Math.max(0, i - this.longestName); j < i && !ok[i]; j++) if (ok[j] && this.nameWords.has(body.slice(j, i))) ok[i] = true;
    }
    return ok[body.length]!;
  }
}

/**
 * The emergent terms of a mention: hashtags, content words and adjacent pairs, each once.
 * `prefix` is put before each (the tracker's key, made once rather than a second string a term);
 * they are appended to `into` (the tracker's list of a mention's keys, rather than a copy).
 */
export function emergentTerms(title: string | null, text: string, vocab: ThemeVocabulary, folded?: FoldedMention, prefix = '', into: string[] = []): string[] {
  // Folding works character by character and the newline stops every context rule (NFD
  // reordering, final sigma), so the parts folded apart join into the whole folded.
  const words =
    folded && readsFolded(title, text)
      ? foldedContentWords(folded.title !== null ? `${folded.title}\n${folded.text}` : folded.text)
      : contentWords(title ? `${title}\n${text}` : text);
  const seen = new Set<string>();
  // The previous word's term, when a pair may start from it ('' after a break).
  let prevTerm = '';
  for (const w of words) {
    if (seen.size >= MAX_TERMS) break;
    if (w === '' || vocab.covers(w)) {
      prevTerm = '';
      continue;
    }
    const term = prefix + w;
    addOnce(seen, into, term);
    // Pairs of plain words only, and only when neither is the perimeter's.
    const tag = w.startsWith('#');
    if (prevTerm !== '' && !tag) addOnce(seen, into, `${prevTerm} ${w}`);
    prevTerm = tag ? '' : term;
  }
  return into;
}

/** Appends `t` to `into` unless `seen` has it already. */
function addOnce(seen: Set<string>, into: string[], t: string): void {
  if (seen.has(t)) return;
  seen.add(t);
  into.push(t);
}
