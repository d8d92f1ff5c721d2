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
  ('the a an of to in on at for with from by and or but not no is are was were be been being ' +
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

function stopWordVote(text: string): 'it' | 'en' | null {
  let it = 0;
  let en = 0;
  let other = 0;
  let words = 0;
  for (const m of text.toLowerCase().matchAll(WORD)) {
    const w = m[0].replace(/'+$/, '').replace(/^'+/, '');
    // Elisions: "dell'app" → "dell", "l'ordine" → "l".
    const head = w.includes("'") ? w.slice(0, w.indexOf("'")) : w;
    words++;
    if (IT.has(head) || head === 'l' || head === 'un') it++;
    if (EN.has(w.replace(/'/g, ''))) en++;
    if (OTHER.has(w)) other++;
    if (words >= 80) break;
  }
  if (other >= Math.max(it, en)) return null;
  if (it >= 2 && it >= en * 2) return 'it';
  if (en >= 2 && en >= it * 2) return 'en';
  return null;
}

/** Best guess of the text's language; 'und' when the text is too short or ambiguous. */
export function detectLanguage(text: string): string {
  const sample = text.length > 1000 ? text.slice(0, 1000) : text;
  const vote = stopWordVote(sample);
  if (vote) return vote;
  const letters = sample.replace(/[^\p{L}]/gu, '').length;
  if (letters < 12) return 'und';
  const best = detectAll(sample)[0];
  if (!best || best.accuracy < 0.5 || !/^[a-z]{2,3}$/.test(best.lang)) return 'und';
  return best.lang;
}
