// Language of a mention, as an ISO 639-1 code, 'und' when unsure. Italian and English come
// first: a stop-word vote settles most of them at almost no cost (the ingest path must
// keep thousands of mentions a second); anything else goes to tinyld's n-gram model.
import { detectAll } from 'tinyld';

const IT = new Set(
  ('il lo la i gli le un una uno di del della dello dei degli delle da dal dalla in nel nella ' +
    'con su sul sulla per tra fra che chi non è e ed ma o anche come più perché perche questo questa ' +
    'quello quella sono sei siamo siete ho hai ha abbiamo avete hanno mi ti si ci vi ne se già ' +
    'molto poco tutto tutti sempre mai ancora dopo prima quando dove cosa qui qua lì là oggi ieri ' +
    'domani grazie ciao buongiorno buonasera bene male proprio solo però pero allora quindi al alla ' +
    'ai agli alle nei negli nelle coi col dall dell nell sull cioè era erano stato stata essere fare')
    .split(' '),
);
const EN = new Set(
  ('the an of to in on at for with from by and or but not no is are was were be been being ' +
    'have has had do does did will would can could should this that these those it its i you he ' +
    'she we they my your our their me him her us them what who when where why how all any some ' +
    'just very more most also than then there here about after before again still only really ' +
    'thanks thank hello hi good bad yes if so as up out get got im dont cant its never ever always ' +
    'much many well like love great worst best now today because please which would could')
    .split(' '),
);

// Frequent words of other European languages that are not Italian or English words: when
// they weigh as much as the winner, the vote is not trusted and the n-gram model decides.
const OTHER = new Set(
  ('est et les des une du au aux mais pour dans très pas avec qui je vous nous cette été était ' +
    'ont leur sont el los las y es muy pero está para por que yo usted der die das und ist nicht ' +
    'ein eine mit sehr war auf für ich sie zu den dem auch os um uma não muito mas com em')
    .split(' '),
);

const WORD = /[\p{L}\p{M}']+/gu;

export interface LanguageGuess {
  /** ISO 639-1 code, 'und' when unsure. */
  lang: string;
  /** Italian and English stop-word hits among the first words. */
  itHits: number;
  enHits: number;
  /** Both Italian and English are clearly present (code-switching, quoted English). */
  mixed: boolean;
}

interface Vote {
  it: number;
  en: number;
  other: number;
  words: number;
}

// Social slang and customer-care words of each language that are not stop words but settle
// short posts ("grazie mille", "top", "lol"). Kept small: the n-gram model does the rest.
const IT_EXTRA = new Set(['grazie', 'ciao', 'raga', 'ragazzi', 'comunque', 'cmq', 'perché', 'xké', 'xche', 'nn', 'ke', 'tutto', 'niente', 'ancora', 'davvero', 'troppo', 'schifo', 'vergogna', 'bellissimo', 'bellissima', 'ordine', 'consegna', 'rimborso', 'assistenza', 'servizio', 'prodotto', 'ottimo', 'ottima', 'pessimo', 'pessima', 'buono', 'buona', 'bello', 'bella', 'brutto', 'brutta', 'perfetto', 'consigliato', 'delusione']);
const EN_EXTRA = new Set(['lol', 'omg', 'thx', 'pls', 'plz', 'u', 'ur', 'im', 'ive', 'dont', 'doesnt', "don't", "can't", "i'm", "it's", 'awesome', 'amazing', 'terrible', 'order', 'delivery', 'refund', 'customer', 'service']);

// Word endings typical of each language: weaker evidence than a stop word, but enough to
// settle short posts ("Provata stamattina: consigliatissima").
const IT_SUFFIX = /(?:issim[oaie]|zion[ei]|mente|ando|endo|[aiu]t[oaie]|ett[oaie]|ucci[oa]|ccio|cci|gli[oaie]|zz[oaie])$/;
const EN_SUFFIX = /(?:ing|ings|ed|tion|tions|ness|ful|less|ly|ise|ize|ght|th|ck|sh|ow|ay|ey)$/;

// One-entry memo: the ingest path asks for the same text twice (language, then sentiment).
let memoText = '';
let memoVote: Vote | null = null;

function countVotes(text: string): Vote {
  if (memoVote && text === memoText) return memoVote;
  const v: Vote = { it: 0, en: 0, other: 0, words: 0 };
  const lower = text.toLowerCase();
  // exec on the one regex rather than matchAll, which clones it for every text. (A memo of
  // each word's vote was tried: in the ingest path its large map cost more in cache misses
  // than the small sets' look-ups it saved.)
  WORD.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = WORD.exec(lower)) !== null) {
    const raw = m[0];
    const apos = raw.includes("'");
    const w = apos ? raw.replace(/'+$/, '').replace(/^'+/, '') : raw;
    // Elisions: "dell'app" → "dell", "l'ordine" → "l".
    const head = apos && w.includes("'") ? w.slice(0, w.indexOf("'")) : w;
    v.words++;
    const isIt = IT.has(head) || head === 'l' || head === 'un' || IT_EXTRA.has(w);
    const isEn = EN.has(apos ? w.replace(/'/g, '') : w) || EN_EXTRA.has(w);
    // Words of both lists ("in", "i", "no") say nothing about which of the two it is.
    if (isIt !== isEn) {
      if (isIt) v.it++;
      else v.en++;
    }
    let hit = isIt || isEn;
    if (OTHER.has(w)) {
      v.other++;
      hit = true;
    }
    if (!hit && w.length >= 5) {
      if (IT_SUFFIX.test(w)) v.it += 0.5;
      else if (EN_SUFFIX.test(w)) v.en += 0.5;
    }
    if (v.words >= 80) break;
  }
  memoText = text;
  memoVote = v;
  return v;
}

function decide(v: Vote): 'it' | 'en' | null {
  const { it, en, other } = v;
  if (other >= Math.max(it, en)) return null;
  if (it >= 2 && it >= en * 2) return 'it';
  if (en >= 2 && en >= it * 2) return 'en';
  // Short or one-sided posts: evidence for one of the two and none against it. For an
  // Italian product, the n-gram model is more often misled here (by Italian brand names in
  // English posts) than helped.
  if (other === 0 && it >= 1 && en === 0) return 'it';
  if (other === 0 && en >= 1 && it === 0) return 'en';
  return null;
}

// Mixed: each language has at least two hits and the minor one a third of the major one.
const isMixed = (v: Vote): boolean => v.it >= 2 && v.en >= 2 && Math.min(v.it, v.en) * 3 >= Math.max(v.it, v.en);

/** Whether Italian and English are both clearly present: the cheap stop-word part only. */
export function isMixedItEn(text: string): boolean {
  return isMixed(countVotes(text.length > 1000 ? text.slice(0, 1000) : text));
}

/** Language of a text plus whether Italian and English are mixed in it. */
export function detectLanguageDetail(text: string): LanguageGuess {
  const sample = text.length > 1000 ? text.slice(0, 1000) : text;
  const v = countVotes(sample);
  const mixed = isMixed(v);
  let decided: string | null = decide(v);
  if (!decided && mixed) decided = v.it >= v.en ? 'it' : 'en';
  const lang = decided ?? ngramGuess(sample, v);
  return { lang, itHits: v.it, enHits: v.en, mixed };
}

function ngramGuess(sample: string, v: Vote): string {
  const letters = sample.replace(/[^\p{L}]/gu, '').length;
  if (letters < 12) return v.it > v.en ? 'it' : v.en > v.it ? 'en' : 'und';
  // A social post's hashtags, handles and links confuse the n-gram model.
  const clean = sample.replace(/https?:\/\/\S+|www\.\S+|[@#][\p{L}\p{N}_]+|<URL>|<MENTION_\d+>/gu, ' ');
  const best = detectAll(clean.trim() ? clean : sample)[0];
  if (!best || best.accuracy < 0.5 || !/^[a-z]{2,3}$/.test(best.lang)) return v.it > v.en ? 'it' : v.en > v.it ? 'en' : 'und';
  return best.lang;
}

/** Best guess of the text's language; 'und' when the text is too short or ambiguous. */
export function detectLanguage(text: string): string {
  return detectLanguageDetail(text).lang;
}
