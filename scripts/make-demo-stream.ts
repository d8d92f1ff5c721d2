// Writes resources/demo/stream.jsonl: the demo workspace's recorded stream about a fictional
// Italian coffee brand, Caffè Aurora. Deterministic (seeded PRNG): the same file every run.
// Run: node bin/tsx.mjs scripts/make-demo-stream.ts
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

const OUT = resolve(import.meta.dirname, '../resources/demo/stream.jsonl');
const START = Date.parse('2026-11-20T08:00:00Z');
const MIN = 60_000;
const HOURS = 6;

/** The two episodes later analysis must find (minutes from START). */
export const EPISODES = {
  crisis: { from: 150, to: 210, thread: 'ig-post-8841' },
  opportunity: { from: 270, to: 315 },
} as const;

// mulberry32: small, fast, good enough for test data.
let seed = 0x5eed_a0a0;
function rnd(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
const chance = (p: number): boolean => rnd() < p;
const int = (lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));
/** Poisson-distributed count (Knuth), for per-minute arrivals. */
function poisson(lambda: number): number {
  const l = Math.exp(-lambda);
  let k = 0;
  let p = 1;
  do {
    k++;
    p *= rnd();
  } while (p > l);
  return k - 1;
}

// ---------- people ----------
const first = ['marco', 'giulia', 'luca', 'sara', 'ale', 'fede', 'chiara', 'davide', 'elena', 'matteo', 'francy', 'simo', 'vale', 'paolo', 'marta', 'gio', 'anna', 'teo', 'irene', 'nico', 'laura', 'pietro', 'bea', 'dario', 'emma', 'sofia', 'tom', 'kate', 'jamie', 'alex'];
const tail = ['_mi', '.rm', '88', '_to', '_bo', '_na', '92', '_caffe', '_espresso', 'x', '_pa', '77', '_ge', '_official', '_fi', '03', '_ve', '_ba'];
const authors = Array.from({ length: 420 }, (_, i) => `${pick(first)}${pick(tail)}${i % 7 === 0 ? i : ''}`);
// A few people post far more than the rest, as on every forum.
const powerUsers = ['baristadelpo', 'tazzinacritica', 'il_torrefattore', 'moka_addicted', 'coffee_nerd_uk'];
const author = (): string => (chance(0.12) ? pick(powerUsers) : pick(authors));

// ---------- vocabulary ----------
// Feminine singular drinks, so "è buonissima" and "costa troppo" read as natural Italian.
const drinks = ['la Aurora Crema', 'la Aurora Fredda', 'la miscela Aurora Classica', 'la nuova Aurora Crema Intensa', 'la miscela Aurora Decaffeinata'];
const productsEn = ['Aurora Crema pods', 'Aurora Fredda cold brew', 'the Aurora Club app', 'Aurora Classica beans', 'the Aurora Uno machine'];
const cities = ['Milano', 'Roma', 'Torino', 'Bologna', 'Napoli', 'Firenze', 'Bari', 'Verona', 'Genova', 'Palermo', 'Padova', 'Trieste'];
const emojiPos = ['😍', '☕', '👌', '🔥', '❤️', '😋', '👏', ''];
const emojiNeg = ['😡', '🤢', '👎', '😤', '🙄', ''];
const competitor = ['Caffè Borealis', 'Torrefazione Meridiana'];

const itPraise = [
  () => `${cap(pick(drinks))} è ${pick(['buonissima', 'ottima', 'davvero buona', 'top', 'una scoperta'])} ${pick(emojiPos)}`,
  () => `Provata ${pick(drinks)} stamattina a ${pick(cities)}: ${pick(['promossa', 'consigliatissima', 'non male per niente', 'buonissimooo'])} ${pick(emojiPos)}`,
  () => `Il barista dell'Aurora di ${pick(cities)} è ${pick(['gentilissimo', 'simpaticissimo', 'un mito', 'bravissimo'])}, il cappuccino ${pick(['perfetto', 'cremoso come piace a me', 'il migliore della zona'])}`,
  () => `Finalmente ${pick(drinks)} anche al supermercato sotto casa! ${pick(emojiPos)}`,
  () => `Non è male ${pick(drinks)}, anzi. Meglio di ${pick(competitor)} secondo me`,
  () => `Consegna arrivata in ${int(1, 2)} giorni, confezione perfetta. Bravi ${pick(emojiPos)}`,
];
const itComplaint = [
  () => `${cap(pick(drinks))} ${pick(['costa troppo', 'non vale il prezzo', 'è peggiorata', 'ha cambiato gusto e non mi piace più'])} ${pick(emojiNeg)}`,
  () => `Ordine fermo da ${int(5, 15)} giorni e il servizio clienti non risponde. ${pick(['Mai più', 'Delusa', 'Pessimo', 'Che pazienza'])}`,
  () => `L'app Aurora Club ${pick(['si blocca al login', 'non carica i punti', 'mi ha cancellato il saldo', 'è lentissima'])} da ${pick(['ieri', 'una settimana', 'giorni'])}`,
  () => `Al bar Aurora di ${pick(cities)} ${pick(['fila infinita', 'cornetti finiti alle 9', 'cappuccino tiepido', 'personale scortese'])}, peccato`,
  () => `Capsule arrivate ${pick(['schiacciate', 'aperte', 'scadute', 'rotte'])}, rimborso? ${pick(emojiNeg)}`,
  () => `Non compro più ${pick(drinks)}, troppo ${pick(['cara', 'amara', 'acquosa'])}`,
];
const itQuestion = [
  () => `Qualcuno sa se ${pick(drinks)} in capsule è compatibile con le macchine ${pick(['Nespresso', 'a cialde', 'Lavazza A Modo Mio'])}?`,
  () => `Dove si trova ${pick(drinks)} a ${pick(cities)}?`,
  () => `Ma ${pick(drinks)} è senza lattosio? Chiedo per mia madre`,
  () => `Meglio ${pick(drinks)} o quella di ${pick(competitor)}? Consigli?`,
  () => `Come si accumulano i punti su Aurora Club? Non ci capisco niente`,
];
const itNeutral = [
  () => `Oggi moka con ${pick(['la Classica', 'una miscela nuova', 'il decaffeinato'])}, vediamo`,
  () => `Caffè Aurora apre un nuovo locale a ${pick(cities)} il mese prossimo`,
  () => `Prezzo del caffè verde in salita: anche ${pick(['Aurora', 'Borealis', 'le torrefazioni'])} ${pick(['aumenteranno i listini', 'potrebbero ritoccare i prezzi'])}?`,
  () => `Classifica dei bar di ${pick(cities)}: c'è anche Aurora`,
  () => `Pausa caffè ☕ ${pick(['alle 10', 'dopo pranzo', 'prima della riunione'])}`,
];
const enPraise = [
  () => `${cap(pick(productsEn))} ${pick(['is honestly great', 'is my new favourite', 'tastes amazing', 'is worth every penny'])} ${pick(emojiPos)}`,
  () => `Tried ${pick(productsEn)} in ${pick(['Milan', 'Rome', 'London'])}: ${pick(['loved it', 'really good', 'not bad at all'])}`,
];
const enComplaint = [
  () => `${cap(pick(productsEn))} ${pick(['are overpriced', 'arrived broken', 'taste burnt', 'keep crashing'])} ${pick(emojiNeg)}`,
  () => `Customer service at Aurora never answers emails. ${pick(['Disappointed', 'Never again', 'Terrible'])}.`,
];
const enNeutral = [
  () => `Anyone compared ${pick(productsEn)} with ${pick(competitor)}?`,
  () => `Italian coffee chains expanding abroad: Caffè Aurora is ${pick(['next', 'opening in Munich', 'testing delivery'])}`,
];
// The crisis: mould found in Aurora Crema capsules, a pile-on under the brand's own post.
const crisisIt = [
  () => `Vergogna!`,
  () => `VERGOGNA ${pick(emojiNeg)}`,
  () => `Muffa nelle capsule Aurora Crema, ${pick(['che schifo', 'fate schifo', 'inaccettabile', 'vergognatevi'])} #boicottaAurora`,
  () => `Ho trovato la muffa anche io nella confezione da ${pick(['10', '30', '50'])}. Nessuno risponde?? #boicottaAurora`,
  () => `Ma vi rendete conto? Muffa nel caffè e voi zitti. ${pick(['Truffa', 'Schifo', 'Vergogna'])}!!!`,
  () => `Mai più Aurora. Mai. ${pick(emojiNeg)}`,
  () => `Richiamate le capsule invece di postare foto di tazzine! #boicottaAurora`,
  () => `Mia figlia ha bevuto quel caffè, ora chi ci risponde? Siete dei ${pick(['buffoni', 'dilettanti', 'incompetenti'])}`,
  () => `Il post sulla "qualità" mentre la gente trova muffa nelle capsule. Ridicoli.`,
  () => `Ditemi voi se è normale ${pick(emojiNeg)} foto della capsula aperta: muffa ovunque`,
  () => `Social media manager di Aurora dove sei? Rispondete! #boicottaAurora`,
  () => `Passato a ${pick(competitor)}, addio Aurora`,
];
const crisisEn = [
  () => `Mould in Aurora Crema pods and the brand is silent. Shameful. #boicottaAurora`,
  () => `Wow, Aurora deleting comments about the mould? Not a good look`,
];
// The opportunity: #SettimanaDelCaffè trending, a (fictional) chef praising the cold brew.
const oppIt = [
  () => `#SettimanaDelCaffè ${pick(['la mia tazzina del mattino', 'colazione al bar', 'moka della nonna'])} ${pick(emojiPos)}`,
  () => `Per la #SettimanaDelCaffè provo ${pick(drinks)}! ${pick(emojiPos)}`,
  () => `La chef Giulia Marchetti in TV ha detto che la Aurora Fredda è il cold brew più buono d'Italia 😍 #SettimanaDelCaffè`,
  () => `Dopo il consiglio di Giulia Marchetti ho preso la Aurora Fredda: ${pick(['buonissima', 'fresca e morbida', 'promossa', 'da rifare'])} #ColdBrew`,
  () => `#SettimanaDelCaffè chi mi consiglia un bar a ${pick(cities)}?`,
  () => `Cold brew Aurora Fredda + tonica = estate anche a novembre ${pick(emojiPos)} #SettimanaDelCaffè`,
  () => `Sold out la Aurora Fredda al supermercato dopo la puntata di ieri, incredibile`,
];
const oppEn = [
  () => `Italy's #SettimanaDelCaffè is trending, and everyone is talking about Aurora Fredda cold brew ☕`,
  () => `Chef Giulia Marchetti's pick, Aurora Fredda, is actually excellent #ColdBrew`,
];

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

// ---------- sources ----------
interface SourceDef {
  name: string;
  weight: number;
  host: string;
  url: (id: string) => string;
  engagement: () => Record<string, number>;
}
const redditEng = (): Record<string, number> => ({ score: int(-3, 240), comments: int(0, 60) });
const sources: SourceDef[] = [
  { name: 'Reddit r/italy', weight: 14, host: 'reddit.com', url: (id) => `https://www.reddit.com/r/italy/comments/${id}/`, engagement: redditEng },
  { name: 'Reddit r/Italia', weight: 8, host: 'reddit.com', url: (id) => `https://www.reddit.com/r/Italia/comments/${id}/`, engagement: redditEng },
  { name: 'Reddit r/coffee', weight: 5, host: 'reddit.com', url: (id) => `https://www.reddit.com/r/Coffee/comments/${id}/`, engagement: redditEng },
  { name: 'Forum CaffèItalia', weight: 14, host: 'forum.caffeitalia.example', url: (id) => `https://forum.caffeitalia.example/t/${id}?utm_source=newsletter&utm_medium=email`, engagement: () => ({ likes: int(0, 25) }) },
  { name: 'Instagram @caffeaurora', weight: 16, host: 'instagram.com', url: (id) => `https://www.instagram.com/p/${id}/?igshid=${id}x`, engagement: () => ({ likes: int(0, 400) }) },
  { name: 'X/Twitter', weight: 20, host: 'x.com', url: (id) => `https://x.com/i/status/${id}?s=20`, engagement: () => ({ likes: int(0, 300), shares: int(0, 80), comments: int(0, 20) }) },
  { name: 'Trustpilot', weight: 6, host: 'it.trustpilot.com', url: (id) => `https://it.trustpilot.com/reviews/${id}?fbclid=IwAR${id}`, engagement: () => ({ likes: int(0, 12) }) },
  { name: 'Blog Espresso&Co', weight: 3, host: 'espressoeco.example', url: (id) => `https://espressoeco.example/${id}?utm_campaign=feed`, engagement: () => ({ comments: int(0, 30) }) },
  { name: 'News · Il Gazzettino del Gusto', weight: 2, host: 'gazzettinodelgusto.example', url: (id) => `https://gazzettinodelgusto.example/notizie/${id}`, engagement: () => ({ shares: int(0, 150) }) },
];
const byName = (n: string): SourceDef => sources.find((s) => s.name === n)!;
function pickSource(): SourceDef {
  const total = sources.reduce((a, s) => a + s.weight, 0);
  let r = rnd() * total;
  for (const s of sources) if ((r -= s.weight) < 0) return s;
  return sources[0]!;
}

// ---------- generation ----------
interface Item {
  source: string;
  external_id: string;
  url: string;
  author: string;
  title?: string;
  text: string;
  published_at: string;
  lang: 'it' | 'en';
  thread_id?: string;
  parent_id?: string;
  likes?: number;
  comments?: number;
  shares?: number;
  score?: number;
}
const items: Item[] = [];
let seq = 0;
const nextId = (prefix: string): string => `${prefix}${(++seq).toString(36)}${int(100, 999)}`;
const forumThreads: string[] = [];
const igPosts = ['ig-post-8790', 'ig-post-8812', 'ig-post-8827'];

function push(src: SourceDef, text: string, lang: 'it' | 'en', at: number, extra: Partial<Item> = {}): void {
  const id = nextId(src.host.slice(0, 2));
  items.push({
    source: src.name,
    external_id: id,
    url: src.url(id),
    author: author(),
    text,
    published_at: new Date(at).toISOString(),
    lang,
    ...src.engagement(),
    ...extra,
  });
}

function background(at: number): void {
  const src = pickSource();
  const en = src.name === 'Reddit r/coffee' ? chance(0.85) : chance(0.18);
  const r = rnd();
  const pool = en
    ? r < 0.4 ? enPraise : r < 0.7 ? enComplaint : enNeutral
    : r < 0.35 ? itPraise : r < 0.6 ? itComplaint : r < 0.8 ? itQuestion : itNeutral;
  const text = pick(pool)();
  const extra: Partial<Item> = {};
  if (src.name === 'Forum CaffèItalia') {
    // Forum posts open threads or reply in them: thread structure is kept.
    if (forumThreads.length && chance(0.7)) {
      const t = pick(forumThreads);
      extra.thread_id = t;
      extra.parent_id = chance(0.6) ? t : undefined;
    } else {
      const t = nextId('thr');
      forumThreads.push(t);
      extra.thread_id = t;
      extra.title = cap(text.split(/[.?!:]/)[0]!.slice(0, 80));
    }
  } else if (src.name === 'Instagram @caffeaurora') {
    extra.thread_id = pick(igPosts);
    extra.parent_id = extra.thread_id;
  } else if (src.name.startsWith('News') || src.name.startsWith('Blog')) {
    extra.title = cap(text.slice(0, 90));
  }
  push(src, text, en ? 'en' : 'it', at, extra);
}

for (let m = 0; m < HOURS * 60; m++) {
  const minuteStart = START + m * MIN;
  // Background: a smooth daily shape, about 6–11 items a minute.
  const base = 8 + 2.5 * Math.sin((m / 360) * Math.PI * 2 - 1);
  const emit = (n: number, fn: (at: number) => void): void => {
    for (let i = 0; i < n; i++) fn(minuteStart + Math.floor(rnd() * MIN));
  };
  emit(poisson(base), background);

  const { crisis, opportunity } = EPISODES;
  if (m >= crisis.from && m < crisis.to) {
    // Rises fast, peaks at ~40/min, decays slowly: nobody from the brand answers.
    const x = (m - crisis.from) / (crisis.to - crisis.from);
    const rate = 45 * Math.min(1, x * 5) * (1 - 0.55 * x);
    emit(poisson(rate), (at) => {
      const r = rnd();
      const onPost = r < 0.55;
      const src = onPost ? byName('Instagram @caffeaurora') : r < 0.8 ? byName('X/Twitter') : r < 0.95 ? pick([byName('Reddit r/italy'), byName('Reddit r/Italia')]) : byName('Trustpilot');
      const en = chance(0.08);
      push(src, pick(en ? crisisEn : crisisIt)(), en ? 'en' : 'it', at, onPost ? { thread_id: crisis.thread, parent_id: crisis.thread, likes: int(0, 900) } : {});
    });
    if (m === crisis.from + 40) {
      push(byName('News · Il Gazzettino del Gusto'), 'Segnalazioni di muffa nelle capsule Aurora Crema: cresce la protesta sui social, l’azienda non ha ancora commentato.', 'it', minuteStart + 5_000, {
        title: 'Capsule Aurora Crema, segnalazioni di muffa: protesta sui social',
      });
    }
  }
  if (m >= opportunity.from && m < opportunity.to) {
    const x = (m - opportunity.from) / (opportunity.to - opportunity.from);
    const rate = 22 * Math.sin(Math.PI * x) + 4;
    emit(poisson(rate), (at) => {
      const src = chance(0.45) ? byName('X/Twitter') : chance(0.5) ? byName('Instagram @caffeaurora') : pickSource();
      const en = chance(0.12);
      push(src, pick(en ? oppEn : oppIt)(), en ? 'en' : 'it', at, src.name === 'Instagram @caffeaurora' ? { thread_id: 'ig-post-8850', parent_id: 'ig-post-8850' } : {});
    });
  }
}

// The brand's own post the crisis lands on: the thread root.
push(byName('Instagram @caffeaurora'), 'La qualità Aurora, tazzina dopo tazzina ☕ Buon inizio settimana!', 'it', START + (EPISODES.crisis.from - 20) * MIN, {
  external_id: EPISODES.crisis.thread,
  thread_id: EPISODES.crisis.thread,
  author: 'caffeaurora',
  likes: 1200,
});
// Hostile-but-real inputs the product must show as inert text, or score without error.
const odd = START + 95 * MIN;
push(byName('Forum CaffèItalia'), `Guardate qui <script>alert('x')</script> e <b>grassetto</b> <img src=x onerror="alert(1)"> — che roba`, 'it', odd);
push(byName('Blog Espresso&Co'), Array.from({ length: 60 }, (_, i) => `Paragrafo ${i + 1}: la storia della torrefazione Aurora, dalla bottega del 1952 alle capsule di oggi, tra miscele, viaggi e tazzine.`).join(' '), 'it', odd + 30_000, { title: 'Settant’anni di Caffè Aurora: la storia lunga' });
push(byName('X/Twitter'), '☕☕☕😍😍', 'it', odd + 60_000);
push(byName('X/Twitter'), 'https://www.caffeaurora.example/promo?utm_source=x&utm_medium=social', 'it', odd + 90_000);

items.sort((a, b) => a.published_at.localeCompare(b.published_at));
writeFileSync(OUT, items.map((i) => JSON.stringify(i)).join('\n') + '\n');

// Summary
const count = (f: (i: Item) => string): Record<string, number> =>
  items.reduce<Record<string, number>>((acc, i) => ((acc[f(i)] = (acc[f(i)] ?? 0) + 1), acc), {});
const minuteOf = (i: Item): number => Math.floor((Date.parse(i.published_at) - START) / MIN);
console.log(`wrote ${items.length} items to ${OUT}`);
console.table(count((i) => i.source));
console.table(count((i) => i.lang));
console.table(count((i) => `h${Math.floor(minuteOf(i) / 60)}`));
console.log('crisis window items:', items.filter((i) => minuteOf(i) >= EPISODES.crisis.from && minuteOf(i) < EPISODES.crisis.to).length);
console.log('opportunity window items:', items.filter((i) => minuteOf(i) >= EPISODES.opportunity.from && minuteOf(i) < EPISODES.opportunity.to).length);
