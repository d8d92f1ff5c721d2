// Pile-ons: a cold start under the brand's own post, an English-only crisis, a quiet brand's
// small pile-on, a brand with no themes, and two separate crises in one afternoon.
import type { Scenario } from '../harness';
import { HOUR, MIN, ownedSourceDef, SOURCES, dailyRhythm, type SourceDef, type Stream } from '../stream';
import { chatterEn, chatterIt, EMOJI_NEG, insultsIt, type TextGen, type Voice } from '../texts';
import { ownedSource } from '../workspace';
import { CRISIS_DELAY, en, everyday, it, oneOf, owned, surge, T } from './common';

// ---------------------------------------------------------------------------------------
// 1. Cold start: a pile-on under the brand's own post a quarter of an hour after install.
// ---------------------------------------------------------------------------------------
const gemmaVoice: Voice = {
  brand: 'Pastificio Gemma',
  products: ['le trofie Gemma', 'gli spaghetti Gemma', 'i paccheri Gemma', 'la pasta Gemma integrale', 'le orecchiette Gemma'],
  productsEn: ['Gemma trofie', 'Gemma spaghetti'],
  touchpoints: ['lo spaccio Gemma', 'il corner Gemma al supermercato'],
  gripes: ['la pasta si è spezzata tutta nella confezione', 'il pacco è arrivato aperto', 'le trofie Gemma scuociono in un attimo', 'hanno ridotto il formato da 500 a 400 grammi allo stesso prezzo'],
  gripesEn: ['the pack arrived torn'],
  occasions: ['a cena', 'a pranzo', 'con il pesto', 'con il ragù della nonna'],
  rival: 'Pasta Borea',
};
const gemmaIg = owned('Pastificio Gemma', 'Instagram');
const gemmaOwn = ownedSourceDef(ownedSource(gemmaIg), ['ig-post-1201', 'ig-post-1207', 'ig-post-1215']);
const GEMMA_POST = 'ig-post-1222';
export const coldStart: Scenario = {
  id: 'cold-start-owned-pileon',
  title: "Partenza a freddo: valanga d'insulti sul post del brand",
  story:
    'A new workspace starts listening at 17:00; after a quarter of an hour of ordinary chatter, hundreds of insults pour in within minutes under the brand\'s own Instagram post of a sexist ad.',
  seed: 0xc01d,
  workspace: {
    brand: 'Pastificio Gemma',
    products: ['Trofie Gemma', 'Paccheri Gemma'],
    themes: [
      { name: 'Boicottaggio e proteste', query: '#boicottagemma OR boicott* OR vergogn* OR "mai più gemma" OR "addio gemma"', swot: 'threat', stance: 'sensitive' },
      { name: 'Ricette e cucina', query: '(ricett* OR sugo OR pesto OR ragù OR cena OR pranzo) AND gemma', swot: 'strength', stance: 'in_perimeter' },
      { name: 'Formato e prezzo', query: '(prezz* OR grammi OR formato OR rincar*) AND gemma', swot: 'weakness', stance: 'in_perimeter' },
    ],
    owned: [gemmaIg],
  },
  start: T('2026-11-17T16:00:00Z'),
  end: T('2026-11-17T17:30:00Z'),
  build(s: Stream) {
    const from = this.start;
    s.arrivals(from, this.end, () => 130, chatterIt(gemmaVoice), everyday(gemmaOwn, 18));
    const pile = T('2026-11-17T16:15:00Z');
    const about = ['lo spot sulle donne che devono stare ai fornelli', 'questo post sessista', 'la battuta sulle mamme in cucina', 'questa pubblicità maschilista', 'il video sulle donne e la pasta'];
    const own = ownedSourceDef(ownedSource(gemmaIg), [GEMMA_POST]);
    // Hundreds within minutes: ~40 a minute at the peak, then a long tail.
    s.arrivals(pile, pile + 45 * MIN, surge(pile, pile + 45 * MIN, 2_400, 4 * MIN, 8 * MIN), insultsIt(gemmaVoice, about), [[1, own]], { episode: 'pileon' });
  },
  expected: [
    {
      episode: 'pileon',
      kind: 'crisis',
      title: `${GEMMA_POST} · ${ownedSource(gemmaIg)}`,
      titleAlso: ['Boicottaggio e proteste'],
      from: T('2026-11-17T16:15:00Z'),
      maxDelayMs: CRISIS_DELAY,
    },
  ],
  quiet: [],
};

// ---------------------------------------------------------------------------------------
// 7. An English-only crisis.
// ---------------------------------------------------------------------------------------
const vestaVoice: Voice = {
  brand: 'Vesta Milano',
  products: ['the Vesta coats', 'the Vesta knitwear', 'the Vesta boots'],
  productsEn: ['the Vesta Milano coats', 'the Vesta knitwear', 'the Vesta boots', 'the Vesta winter collection'],
  touchpoints: ['il negozio Vesta'],
  gripes: ['reso lento'],
  gripesEn: ['my Vesta return has been pending for three weeks', 'the Vesta coat sizing runs really small', 'delivery from Vesta took twelve days', 'the Vesta boots fell apart in a month'],
  occasions: ['today'],
  rival: 'Harbour & Pine',
};
const vestaIg = owned('Vesta Milano', 'Instagram');
const vestaOwn = ownedSourceDef(ownedSource(vestaIg), ['ig-vesta-12', 'ig-vesta-19']);
const REPORT = T('2026-11-25T16:00:00Z');
export const englishCrisis: Scenario = {
  id: 'english-only-crisis',
  title: 'Crisi solo in inglese: laboratori sfruttati',
  story:
    "An Italian fashion brand followed in the UK: a British paper reports its coats are sewn in sweatshops; from 16:01 an English pile-on under the brand's posts and on X.",
  seed: 0xe61,
  workspace: {
    brand: 'Vesta Milano',
    products: ['Vesta Coat', 'Vesta Knit'],
    themes: [
      { name: 'Labour and suppliers', query: 'sweatshop* OR "forced labour" OR "child labour" OR underpaid OR exploit* OR "slave labour"', swot: 'threat', stance: 'sensitive' },
      { name: 'Sizing and returns', query: 'return* OR refund* OR sizing OR "too small"', swot: 'weakness', stance: 'in_perimeter' },
      { name: 'Winter collection', query: '"winter collection" OR #vestawinter', swot: 'opportunity', stance: 'in_perimeter' },
    ],
    owned: [vestaIg],
  },
  start: T('2026-11-25T13:00:00Z'),
  end: T('2026-11-25T17:30:00Z'),
  build(s: Stream) {
    const uk: [number, SourceDef][] = [[6, SOURCES.xuk], [3, SOURCES.redditUk], [3, vestaOwn], [1, SOURCES.tiktok]];
    s.arrivals(this.start, this.end, () => 80, chatterEn(vestaVoice), uk);
    s.add(REPORT, SOURCES.news, en('Investigation: coats sold by Italian label Vesta Milano sewn in sweatshops by underpaid workers'), { episode: 'labour', title: 'Vesta Milano coats made in sweatshops, investigation finds', author: 'newsdesk' });
    const anger = oneOf([
      (r) => en(`${r.pick(['Disgusting', 'Shameful', 'Appalling', 'Vile'])}. Vesta Milano ${r.pick(['coats made in sweatshops', 'exploiting underpaid workers', 'profiting from slave labour'])}. ${r.pick(['Never buying again', 'Boycott', 'Done with them'])} ${r.pick(EMOJI_NEG)}`),
      (r) => en(`@vestamilano ${r.pick(['answer the question', 'explain yourselves', 'how much do you pay the people who sew your coats'])}? ${r.pick(['Sweatshops', 'Underpaid workers', 'Exploitation'])} ${r.pick(['in 2026', 'again', 'behind a luxury label'])}. ${r.pick(['Shame on you', 'Pathetic', 'Horrible'])}`),
      (r) => en(`Returned my Vesta coat ${r.pick(['today', 'this morning'])} after reading about the sweatshops. ${r.pick(['Absolutely disgusting', 'Awful company', 'Shame'])}`),
      (r) => en(`So the ${r.pick(['£600', '£450', 'expensive'])} Vesta Milano coat was sewn by ${r.pick(['underpaid workers', 'people in a sweatshop', 'exploited workers'])}? ${r.pick(['Gross', 'Disgraceful', 'Sickening'])} ${r.pick(EMOJI_NEG)}`),
      (r) => en(`${r.pick(['Unfollowing', 'Cancelling my order from', 'Done with'])} Vesta Milano. Sweatshop ${r.pick(['fashion', 'coats', 'labour'])} ${r.pick(['is disgusting', 'is a disgrace', 'should be illegal'])}`),
    ]);
    const from = REPORT + MIN;
    s.arrivals(from, from + 80 * MIN, surge(from, from + 80 * MIN, 1_200, 5 * MIN, 15 * MIN), anger, [[5, SOURCES.xuk], [4, vestaOwn], [2, SOURCES.redditUk], [1, SOURCES.tiktok]], { episode: 'labour' });
  },
  expected: [{ episode: 'labour', kind: 'crisis', title: 'Labour and suppliers', from: REPORT + MIN, maxDelayMs: CRISIS_DELAY }],
  quiet: [],
};

// ---------------------------------------------------------------------------------------
// 10. A quiet brand: five mentions a day for ten days, then a small local pile-on.
// ---------------------------------------------------------------------------------------
const nivesVoice: Voice = {
  brand: 'Trattoria Da Nives',
  products: ['i tortellini di Nives', 'il bollito di Nives', 'le tagliatelle di Nives', 'la torta di riso di Nives'],
  productsEn: ['the tortellini at Nives'],
  touchpoints: ['la Trattoria Da Nives', 'la sala di Nives'],
  gripes: ['un\'ora di attesa per un tavolo da Nives', 'il conto da Nives era più alto del previsto', 'da Nives il cameriere si è dimenticato il secondo', 'tortellini tiepidi da Nives'],
  gripesEn: ['long wait'],
  occasions: ['a pranzo', 'a cena', 'la domenica'],
  rival: 'Osteria del Portico',
};
const nivesIg = owned('Trattoria Da Nives', 'Instagram');
const NIVES_POST = 'ig-nives-reel-77';
const nivesOwn = ownedSourceDef(ownedSource(nivesIg), ['ig-nives-70', 'ig-nives-72', 'ig-nives-75']);
const NIVES_PILE = T('2026-11-14T18:30:00Z');
export const quietBrand: Scenario = {
  id: 'quiet-brand',
  title: 'Brand silenzioso: cinque menzioni al giorno, poi una piccola valanga',
  story:
    'A family restaurant gets five mentions a day for ten days (reviews, comments). On the tenth evening a local food influencer\'s reel calls the staff rude; twenty-odd people pile on under the restaurant\'s own reel within a quarter of an hour.',
  seed: 0x9e5,
  workspace: {
    brand: 'Trattoria Da Nives',
    products: [],
    themes: [
      { name: 'Cucina e menu', query: 'tortellin* OR bollito OR tagliatell* OR menu OR torta', swot: 'strength', stance: 'in_perimeter' },
      { name: 'Servizio in sala', query: 'camerier* OR servizio OR attesa OR scortes* OR maleducat*', swot: 'weakness', stance: 'in_perimeter' },
    ],
    owned: [nivesIg],
  },
  start: T('2026-11-05T06:00:00Z'),
  end: T('2026-11-14T22:00:00Z'),
  build(s: Stream) {
    const talk = chatterIt(nivesVoice, { praise: 0.5, neutral: 0.2, question: 0.15, complaint: 0.15 });
    const sources: [number, SourceDef][] = [[3, SOURCES.trustpilot], [3, nivesOwn], [2, SOURCES.facebook], [1, SOURCES.x]];
    s.arrivals(this.start, this.end, (t) => dailyRhythm(5, 1.3)(t), talk, sources);
    const own = ownedSourceDef(ownedSource(nivesIg), [NIVES_POST]);
    const angry = oneOf([
      (r) => it(`${r.pick(['Maleducati', 'Scortesi', 'Arroganti'])} come ha detto ${r.pick(['Fede', 'la Giulia di Bologna a tavola', 'lei'])}! ${r.pick(['Mai più da Nives', 'Non ci metto più piede', 'Vergogna'])} ${r.pick(EMOJI_NEG)}`),
      (r) => it(`${r.pick(['Confermo', 'Verissimo', 'Esperienza identica'])}: ${r.pick(['camerieri scortesi', 'trattati malissimo', 'ci hanno cacciato alle 22'])} da Nives. ${r.pick(['Pessimi', 'Vergognoso', 'Che tristezza'])}`),
      (r) => it(`Da Nives ${r.pick(['ci hanno trattato come pezze', 'il titolare ci ha urlato contro', 'conto gonfiato e zero scuse'])}. ${r.pick(['Indecenti', 'Vergogna', 'Schifo'])} ${r.pick(EMOJI_NEG)}`),
      (r) => it(`${r.pick(['Rispondete', 'Chiedete scusa', 'Vergognatevi'])}! ${r.pick(['Il video dice tutto', 'Maleducazione pura', 'Clienti trattati male'])} ${r.pick(EMOJI_NEG)}`),
    ]);
    // 25 people in a quarter of an hour, two of them commenting twice.
    for (let i = 0; i < 27; i++) s.add(NIVES_PILE + s.r.next() * 15 * MIN, s.r.chance(0.8) ? own : SOURCES.facebook, angry(s.r), { episode: 'pileon', author: `vicini_${i % 25}` });
  },
  expected: [
    {
      episode: 'pileon',
      kind: 'crisis',
      title: `${NIVES_POST} · ${ownedSource(nivesIg)}`,
      titleAlso: ['Trattoria Da Nives'],
      from: NIVES_PILE,
      maxDelayMs: CRISIS_DELAY,
    },
  ],
  quiet: [],
};

// ---------------------------------------------------------------------------------------
// 11. A pile-on on a brand with no themes at all.
// ---------------------------------------------------------------------------------------
const irisVoice: Voice = {
  brand: 'Cosmetici Iris',
  products: ['il mascara Iris', 'la crema Iris', 'il rossetto Iris', 'il fondotinta Iris'],
  productsEn: ['Iris mascara'],
  touchpoints: ['il negozio Iris', 'lo stand Iris'],
  gripes: ['il mascara Iris si secca in una settimana', 'il fondotinta Iris ha cambiato formula', 'spedizione Iris in ritardo', 'la crema Iris mi ha irritato la pelle'],
  gripesEn: ['late delivery'],
  occasions: ['la mattina', 'per la serata', 'tutti i giorni'],
  rival: 'Belletti Cosmetics',
};
const IRIS_PILE = T('2026-11-27T10:00:00Z');
export const themelessPileOn: Scenario = {
  id: 'themeless-brand-pileon',
  title: 'Brand senza temi: valanga sullo spot',
  story:
    'A cosmetics brand that set up only its name (no themes, no owned accounts). At 11:00 its new ad is called body shaming on X and TikTok; hundreds of angry posts in minutes.',
  seed: 0x1415,
  workspace: { brand: 'Cosmetici Iris', products: [], themes: [], owned: [] },
  start: T('2026-11-27T07:30:00Z'),
  end: T('2026-11-27T12:00:00Z'),
  build(s: Stream) {
    s.arrivals(this.start, this.end, () => 120, chatterIt(irisVoice), everyday());
    const about = ['lo spot che prende in giro le ragazze in carne', 'la pubblicità sul "difetto" delle rughe', 'il body shaming nello spot', 'lo spot contro le donne normali'];
    const gen: TextGen = (r) => {
      const t = insultsIt(irisVoice, about)(r);
      // People name the brand they are angry with.
      return t.text.includes('Iris') ? t : it(`${t.text} ${r.pick(['@cosmeticiiris', 'Cosmetici Iris', '#CosmeticiIris', 'Iris'])}`);
    };
    s.arrivals(IRIS_PILE, IRIS_PILE + HOUR, surge(IRIS_PILE, IRIS_PILE + HOUR, 1_800, 5 * MIN, 12 * MIN), gen, [[5, SOURCES.x], [3, SOURCES.tiktok], [1, SOURCES.facebook]], { episode: 'pileon' });
  },
  // Measured 83 s, over the 60 s (`npm run eval:moments` reports it as NO): with only
  // its name set up, the brand sees the posts that write "Cosmetici Iris" or its handle, and
  // in the first minute of this ramp four do; a crisis needs five negatives from five people.
  // The test holds the detector to what it does today, so it cannot get slower unnoticed.
  expected: [{ episode: 'pileon', kind: 'crisis', title: 'Cosmetici Iris', from: IRIS_PILE, maxDelayMs: 90_000 }],
  quiet: [],
};

// ---------------------------------------------------------------------------------------
// 13. Two crises in one afternoon: two moments, never one.
// ---------------------------------------------------------------------------------------
const feniceVoice: Voice = {
  brand: 'Palestre Fenice',
  products: ["l'abbonamento Fenice", 'i corsi Fenice', 'la sala pesi Fenice', "l'app Fenice"],
  productsEn: ['Fenice membership'],
  touchpoints: ['la palestra Fenice', 'la reception Fenice'],
  gripes: ["l'abbonamento Fenice aumentato di 10 euro", 'docce fredde alla palestra Fenice', "l'app Fenice non prenota i corsi", 'sala pesi Fenice strapiena alle 19'],
  gripesEn: ['cold showers'],
  occasions: ['dopo il lavoro', 'la mattina presto', 'in pausa pranzo'],
  rival: 'Gym Olimpo',
};
const feniceIg = owned('Palestre Fenice', 'Instagram');
const FENICE_POST = 'ig-fenice-ad-31';
const feniceOwn = ownedSourceDef(ownedSource(feniceIg), ['ig-fenice-25', 'ig-fenice-28']);
const AD_FROM = T('2026-11-30T13:00:00Z');
const INJURY_FROM = T('2026-11-30T15:30:00Z');
export const twoCrises: Scenario = {
  id: 'two-crises-one-afternoon',
  title: 'Due crisi nello stesso pomeriggio',
  story:
    "A gym chain: at 14:00 its own post 'l'estate non aspetta i grassi' collects insults for half an hour and dies down; at 16:30 a member is hurt by a broken machine and a video spreads. Two separate crises.",
  seed: 0xfe1,
  workspace: {
    brand: 'Palestre Fenice',
    products: [],
    themes: [
      { name: 'Sicurezza e infortuni', query: '(infortun* OR ferit* OR ambulanza OR "si è rotto" OR "si è rotta" OR crollat* OR sicurezza) AND (palestra OR fenice OR macchinario OR attrezz*)', swot: 'threat', stance: 'sensitive' },
      { name: 'Corsi e istruttori', query: 'cors* OR istruttor* OR yoga OR spinning', swot: 'strength', stance: 'in_perimeter' },
      { name: 'Prezzi e abbonamenti', query: '(prezz* OR euro OR abbonament*) AND fenice', swot: 'weakness', stance: 'in_perimeter' },
    ],
    owned: [feniceIg],
  },
  start: T('2026-11-30T11:30:00Z'),
  end: T('2026-11-30T17:00:00Z'),
  build(s: Stream) {
    s.arrivals(this.start, this.end, () => 100, chatterIt(feniceVoice), everyday(feniceOwn, 10));
    const about = ['il post sui grassi', 'questo body shaming', 'la frase sui grassi che devono vergognarsi', 'lo slogan offensivo'];
    const own = ownedSourceDef(ownedSource(feniceIg), [FENICE_POST]);
    s.arrivals(AD_FROM, AD_FROM + 40 * MIN, surge(AD_FROM, AD_FROM + 40 * MIN, 1_500, 4 * MIN, 6 * MIN), insultsIt(feniceVoice, about), [[1, own]], { episode: 'ad' });
    const injury = oneOf([
      (r) => it(`${r.pick(['Video terribile', 'Guardate', 'Assurdo'])}: alla palestra Fenice ${r.pick(['si è rotta la lat machine', 'è crollato un macchinario', 'si è staccato un cavo'])} e un ragazzo è ${r.pick(['ferito', 'finito in ambulanza'])}. ${r.pick(['Vergogna', 'Sicurezza zero', 'Criminali'])} ${r.pick(EMOJI_NEG)}`),
      (r) => it(`Sicurezza zero da Fenice, ${r.pick(['attrezzi rotti da mesi', 'macchinari mai controllati', 'lo dicevamo da tempo'])}. ${r.pick(['Chiudetela', 'Disdico domani', 'Schifo'])}`),
      (r) => it(`@palestrefenice ${r.pick(['come sta il ragazzo ferito', 'rispondete', 'chi controlla i macchinari'])}? ${r.pick(['Vergognatevi', 'Indecenti', 'Incompetenti'])}`),
      (r) => it(`Ambulanza davanti alla palestra Fenice ${r.pick(['di corso Vercelli', 'di via Nizza', 'in centro'])}, ${r.pick(['macchinario crollato su un ragazzo', 'un ferito grave', 'che paura'])}`),
    ]);
    s.arrivals(INJURY_FROM, INJURY_FROM + 60 * MIN, surge(INJURY_FROM, INJURY_FROM + 60 * MIN, 1_200, 5 * MIN, 15 * MIN), injury, [[4, SOURCES.x], [2, feniceOwn], [2, SOURCES.tiktok], [2, SOURCES.facebook]], { episode: 'injury' });
  },
  expected: [
    { episode: 'ad', kind: 'crisis', title: `${FENICE_POST} · ${ownedSource(feniceIg)}`, titleAlso: [], from: AD_FROM, maxDelayMs: CRISIS_DELAY },
    { episode: 'injury', kind: 'crisis', title: 'Sicurezza e infortuni', from: INJURY_FROM, maxDelayMs: CRISIS_DELAY },
  ],
  quiet: [],
};
