// The scenario library of issue #14 (item 7): each scenario is a fictional Italian brand's
// workspace, a seeded stream of realistic posts about it, and the moments a social media
// manager would want opened (or not) with how fast. Every workspace is fresh: each scenario is
// also a cold start. Times are UTC; Italy is UTC+1 in November.
import type { Scenario } from './harness';
import { DAY, HOUR, MIN, ownedSourceDef, SOURCES, dailyRhythm, type SourceDef, type Stream } from './stream';
import { chatterEn, chatterIt, CITIES, EMOJI_NEG, EMOJI_POS, insultsIt, type Text, type TextGen, type Voice } from './texts';
import { brandHandle, ownedSource, type OwnedAccount } from './workspace';

const T = (iso: string): number => Date.parse(iso);
const CRISIS_DELAY = 60_000;
/** Opportunities are not urgent (their minimum volume is 15 mentions a window): ten minutes. */
const OPPORTUNITY_DELAY = 10 * MIN;
const it = (text: string): Text => ({ text: text.replace(/\s+/g, ' ').trim(), lang: 'it' });
const en = (text: string): Text => ({ text: text.replace(/\s+/g, ' ').trim(), lang: 'en' });
const oneOf = (gens: readonly TextGen[]): TextGen => (r) => r.pick(gens)(r);

function owned(brand: string, network: string): OwnedAccount {
  return { network, handle: brandHandle(brand) };
}

/** The usual mix of third-party sources plus, when given, comments under the brand's own posts. */
function everyday(own?: SourceDef, ownWeight = 12): [number, SourceDef][] {
  const out: [number, SourceDef][] = [
    [22, SOURCES.x],
    [14, SOURCES.facebook],
    [10, SOURCES.reddit],
    [10, SOURCES.forum],
    [6, SOURCES.trustpilot],
    [8, SOURCES.tiktok],
  ];
  if (own) out.push([ownWeight, own]);
  return out;
}

/** A rate that rises linearly from `a` to `b` per hour over [from, to), zero outside. */
const ramp = (from: number, to: number, a: number, b: number) => (t: number): number => (t < from || t >= to ? 0 : a + ((b - a) * (t - from)) / (to - from));
/** A burst: `peak` per hour reached after `rise`, then decaying with half-life `half`. */
const surge = (from: number, to: number, peak: number, rise: number, half: number) => (t: number): number => {
  if (t < from || t >= to) return 0;
  const dt = t - from;
  return dt < rise ? peak * Math.max(0.25, dt / rise) : peak * Math.pow(0.5, (dt - rise) / half);
};

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
const coldStart: Scenario = {
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
// 2. A slow burn over three hours on a sensitive theme.
// ---------------------------------------------------------------------------------------
const bankVoice: Voice = {
  brand: 'Banca Fiordaliso',
  products: ["l'app Fiordaliso", 'il conto Fiordaliso', 'la carta Fiordaliso', 'il mutuo Fiordaliso'],
  productsEn: ['the Fiordaliso app'],
  touchpoints: ['la filiale Fiordaliso', "l'agenzia Fiordaliso"],
  gripes: ["l'app Fiordaliso si blocca al login", 'commissioni aumentate senza avviso sul conto Fiordaliso', 'in filiale Fiordaliso un\'ora di attesa per un bonifico', 'la carta Fiordaliso rifiutata al supermercato'],
  gripesEn: ['the app keeps logging me out'],
  occasions: ['oggi', 'stamattina', 'in pausa pranzo'],
  rival: 'Banca Ginestra',
};
const fioX = owned('Banca Fiordaliso', 'X');
const fioOwn = ownedSourceDef(ownedSource(fioX), ['x-fio-5501', 'x-fio-5502']);
const BURN_FROM = T('2026-11-18T09:00:00Z');
const BURN_TO = T('2026-11-18T12:00:00Z');
/** 1 an hour at 09:00 rising to 180 an hour at 12:00: five in five minutes (the default minimum volume) at 10:00. */
const burnRate = ramp(BURN_FROM, BURN_TO, 1, 180);
const slowBurn: Scenario = {
  id: 'slow-burn-3h',
  title: 'Crisi lenta: conti svuotati, tre ore di segnalazioni in crescita',
  story:
    "Customers of a bank report money vanishing from their accounts: one an hour at 09:00, three a minute by noon. No single spike; the detector must not let its baseline follow the rise.",
  seed: 0xb0a7,
  workspace: {
    brand: 'Banca Fiordaliso',
    products: ['App Fiordaliso', 'Conto Fiordaliso'],
    themes: [
      {
        name: 'Sicurezza dei conti',
        query: '(phishing OR truffa OR truffat* OR "soldi spariti" OR svuotat* OR "addebiti non autorizzati" OR "bonifico non autorizzato" OR prelievi) AND (fiordaliso OR conto OR carta OR banca)',
        swot: 'threat',
        stance: 'sensitive',
      },
      { name: 'App e home banking', query: '"app fiordaliso" OR ("app" NEAR/3 fiordaliso) OR "home banking"', swot: 'weakness', stance: 'in_perimeter' },
      { name: 'Mutui e prestiti', query: 'mutu* OR prestit*', swot: 'opportunity', stance: 'in_perimeter' },
    ],
    owned: [fioX],
  },
  start: T('2026-11-18T07:30:00Z'),
  end: T('2026-11-18T13:00:00Z'),
  build(s: Stream) {
    s.arrivals(this.start, this.end, () => 150, chatterIt(bankVoice), everyday(fioOwn, 8));
    const reports = oneOf([
      (r) => it(`${r.pick(['Mi hanno svuotato il conto Fiordaliso', 'Spariti 1.200 euro dal conto Fiordaliso', 'Addebiti non autorizzati sulla carta Fiordaliso', 'Tre prelievi che non ho fatto sul conto Fiordaliso'])} ${r.pick(['stanotte', 'stamattina', 'da ieri'])}. ${r.pick(['Qualcun altro?', 'Sono disperata', 'Nessuno risponde al numero verde', 'Che incubo'])} ${r.pick(EMOJI_NEG)}`),
      (r) => it(`Anche a me! ${r.pick(['Soldi spariti', 'Conto svuotato', 'Bonifico non autorizzato'])} su Fiordaliso, ${r.pick(['denuncia fatta', 'carta bloccata', 'in filiale non sanno niente'])}. ${r.pick(['Vergognoso', 'Inaccettabile', 'Pazzesco'])}`),
      (r) => it(`@bancafiordaliso ${r.pick(['rispondete', 'ridatemi i miei soldi', 'cosa sta succedendo'])}? ${r.pick(['Addebiti non autorizzati', 'Prelievi mai fatti', 'Conto svuotato'])} e ${r.pick(['il numero verde non risponde', 'la chat è muta', 'in filiale mi dicono di aspettare'])}`),
      (r) => it(`Fiordaliso ${r.pick(['truffa', 'phishing', 'furto'])}? ${r.pick(['Ho perso 800 euro', 'Mi mancano 450 euro', 'Carta clonata e conto svuotato'])}, ${r.pick(['sono furioso', 'che schifo', 'mai più'])}`),
    ]);
    s.arrivals(BURN_FROM, this.end, (t) => (t < BURN_TO ? burnRate(t) : 180), reports, [[3, SOURCES.x], [2, fioOwn], [2, SOURCES.facebook], [1, SOURCES.reddit], [1, SOURCES.forum]], { episode: 'burn' });
  },
  expected: [
    {
      episode: 'burn',
      kind: 'crisis',
      title: 'Sicurezza dei conti',
      // No pile-on instant in a slow burn: the reference is when the reports reach, on
      // average, five in five minutes (the default minimum volume of a window) — a rate a
      // manager on shift would already call a crisis on a theme like this. Earlier is better.
      from: BURN_FROM + HOUR,
      maxDelayMs: CRISIS_DELAY,
    },
  ],
  quiet: [],
};

// ---------------------------------------------------------------------------------------
// 3. A bot flood: one account, 300 mentions in half an hour.
// ---------------------------------------------------------------------------------------
const linceVoice: Voice = {
  brand: 'Lince Mobile',
  products: ['la fibra Lince', "l'offerta Lince Giga 100", 'la sim Lince', 'il modem Lince'],
  productsEn: ['Lince fibre'],
  touchpoints: ['il negozio Lince', 'il centro Lince'],
  gripes: ['la fibra Lince va a singhiozzo da stamattina', 'il modem Lince si riavvia da solo', 'niente segnale Lince in metro', 'la bolletta Lince è più alta del previsto'],
  gripesEn: ['no Lince signal on the train'],
  occasions: ['oggi', 'stasera', 'in smart working'],
  rival: 'Telco Airone',
};
const linceX = owned('Lince Mobile', 'X');
const linceOwn = ownedSourceDef(ownedSource(linceX), ['x-lince-7781', 'x-lince-7790']);
const BOT = 'rimborsi_subito_2026';
const botFlood: Scenario = {
  id: 'bot-flood',
  title: 'Un solo account, 300 menzioni in mezz\'ora',
  story:
    'One account posts 300 angry demands for a refund in thirty minutes, tagging the brand. Expected: no moment. One person (or one script) is not a crisis: the inbox flags it (fast_author) for moderation, and a banner that cries wolf at every spammer teaches a team to ignore it.',
  seed: 0xb07,
  workspace: {
    brand: 'Lince Mobile',
    products: ['Lince Fibra', 'Lince Giga 100'],
    themes: [
      { name: 'Truffe e rimborsi', query: 'truff* OR rimbors* OR "addebiti non richiesti" OR "servizi a pagamento"', swot: 'threat', stance: 'sensitive' },
      { name: 'Disservizi di rete', query: '(rete OR linea OR fibra OR segnale OR modem) AND ("non funziona" OR down OR assente OR guasto OR singhiozzo OR niente)', swot: 'weakness', stance: 'in_perimeter' },
      { name: 'Offerte', query: 'offert* OR promo* OR giga', swot: 'opportunity', stance: 'in_perimeter' },
    ],
    owned: [linceX],
  },
  start: T('2026-11-19T09:00:00Z'),
  end: T('2026-11-19T12:30:00Z'),
  build(s: Stream) {
    s.arrivals(this.start, this.end, () => 150, chatterIt(linceVoice), everyday(linceOwn, 8));
    const from = T('2026-11-19T11:00:00Z');
    const spam = oneOf([
      (r) => it(`@lincemobile ${r.pick(['TRUFFATORI', 'truffatori', 'ladri'])}! ${r.pick(['Ridatemi i soldi', 'Voglio il rimborso', 'Rimborso subito'])} dei servizi a pagamento ${r.pick(['#lincetruffa', '#rimborsosubito', ''])} ${r.pick(EMOJI_NEG)}`),
      (r) => it(`Lince Mobile mi ha attivato servizi a pagamento ${r.pick(['mai richiesti', 'senza consenso', 'di nascosto'])}. ${r.pick(['Vergogna', 'Truffa', 'Ladri'])}! ${r.pick(['#lincetruffa', '#rimborsosubito'])} (${r.int(1, 999)})`),
      (r) => it(`${r.pick(['Giorno', 'Ora', 'Messaggio'])} ${r.int(2, 300)}: Lince ${r.pick(['non risponde', 'ignora i clienti', 'si tiene i miei soldi'])}. ${r.pick(['Rimborso', 'Vergogna', 'Truffa'])}!!! @lincemobile`),
    ]);
    for (let i = 0; i < 300; i++) s.add(from + (i * 30 * MIN) / 300 + s.r.next() * 5_000, SOURCES.x, spam(s.r), { episode: 'bot', author: BOT });
  },
  expected: [],
  quiet: [{ episode: 'bot', kinds: ['crisis', 'opportunity'], why: 'one author: spam for moderation (flagged fast_author), not a crisis' }],
};

// ---------------------------------------------------------------------------------------
// 4. A news spike on a sensitive theme: a product recall.
// ---------------------------------------------------------------------------------------
const valverdeVoice: Voice = {
  brand: 'Latteria Valverde',
  products: ['la mozzarella Valverde', 'lo yogurt Valverde', 'il latte Valverde', 'la ricotta Valverde'],
  productsEn: ['Valverde mozzarella'],
  touchpoints: ['lo spaccio Valverde', 'il banco Valverde'],
  gripes: ['lo yogurt Valverde è scaduto dopo due giorni', 'il latte Valverde costa 30 centesimi in più', 'la mozzarella Valverde era acida', 'introvabile la ricotta Valverde'],
  gripesEn: ['the yoghurt went off in two days'],
  occasions: ['a colazione', 'a merenda', 'in insalata', 'sulla pizza'],
  rival: 'Caseificio Alpestre',
};
const valIg = owned('Latteria Valverde', 'Facebook');
const valOwn = ownedSourceDef(ownedSource(valIg), ['fb-val-301', 'fb-val-309']);
const RECALL = T('2026-11-20T08:00:00Z');
const newsSpike: Scenario = {
  id: 'news-spike-recall',
  title: 'Notizia su un tema sensibile: richiamo per listeria',
  story:
    'At 09:00 a consumer site reports a recall of the brand\'s mozzarella for listeria; other outlets copy it, and from 09:02 parents react, worried and angry, beside neutral shares of the lot numbers.',
  seed: 0x7e55,
  workspace: {
    brand: 'Latteria Valverde',
    products: ['Mozzarella Valverde', 'Yogurt Valverde'],
    themes: [
      { name: 'Sicurezza alimentare e richiami', query: 'richiam* OR listeria OR contaminat* OR "lotto ritirato" OR ritirat* OR intossicaz*', swot: 'threat', stance: 'sensitive' },
      { name: 'Colazioni e ricette', query: 'colazion* OR ricett* OR merenda', swot: 'strength', stance: 'in_perimeter' },
      { name: 'Prezzi', query: '(prezz* OR centesimi OR rincar*) AND (valverde OR latte OR mozzarella)', swot: 'weakness', stance: 'in_perimeter' },
    ],
    owned: [valIg],
  },
  start: T('2026-11-20T06:30:00Z'),
  end: T('2026-11-20T10:00:00Z'),
  build(s: Stream) {
    s.arrivals(this.start, this.end, () => 110, chatterIt(valverdeVoice), everyday(valOwn, 10));
    const lot = (r: Stream['r']): string => `L${r.int(2300, 2320)}`;
    s.add(RECALL, SOURCES.news, it(`Il ministero della Salute ha disposto il richiamo di alcuni lotti di mozzarella Valverde per possibile presenza di listeria. I lotti interessati e cosa fare.`), { episode: 'recall', title: 'Richiamo mozzarella Valverde per rischio listeria', author: 'redazione' });
    for (let i = 0; i < 6; i++) {
      s.add(RECALL + (20 + i * 25) * 1_000, SOURCES.news, it(`Richiamo mozzarella Valverde: ritirati i lotti ${lot(s.r)} e ${lot(s.r)} per listeria`), { episode: 'recall', title: `Listeria, richiamata la mozzarella Valverde (${i + 1})`, author: `testata${i}` });
    }
    const reactions = oneOf([
      (r) => it(`${r.pick(['Comprata ieri', 'Data ai bambini a cena', 'Mangiata stamattina'])} la mozzarella Valverde ${r.pick(['e ora leggo del richiamo', 'e adesso la listeria', 'e ora questo'])}!!! ${r.pick(['Vergogna', 'Sono terrorizzata', 'Che schifo', 'Inaccettabile'])} ${r.pick(EMOJI_NEG)}`),
      (r) => it(`Listeria nella mozzarella Valverde, ${r.pick(['mai più', 'che schifo', 'vergognatevi', 'e voi zitti'])}. ${r.pick(['Controlli dove?', 'Chi paga se un bambino sta male?', 'Non compro più niente da voi'])}`),
      (r) => it(`@latteriavalverde ${r.pick(['rispondete', 'dite qualcosa', 'chiedete scusa'])}! Richiamo per listeria e ${r.pick(['nessun comunicato', 'sul vostro profilo foto di colazioni', 'il numero verde muto'])}. ${r.pick(['Vergogna', 'Ridicoli', 'Pessimi'])}`),
      (r) => it(`Richiamo Valverde: controllate il lotto ${lot(r)} ${r.pick(['in frigo', 'prima di mangiarla', 'e riportatela al supermercato'])}`),
      (r) => it(`Avete visto? ${r.pick(['Ritirata', 'Richiamata'])} la mozzarella Valverde per listeria, lotto ${lot(r)}`),
    ]);
    const from = RECALL + 2 * MIN;
    s.arrivals(from, this.end, surge(from, this.end, 1_500, 5 * MIN, 20 * MIN), reactions, [[4, SOURCES.x], [3, SOURCES.facebook], [3, valOwn], [1, SOURCES.reddit], [1, SOURCES.tiktok]], { episode: 'recall' });
  },
  expected: [
    {
      episode: 'recall',
      kind: 'crisis',
      title: 'Sicurezza alimentare e richiami',
      // From the first reaction: the article alone is news, the crisis is people turning on the brand.
      from: RECALL + 2 * MIN,
      maxDelayMs: CRISIS_DELAY,
    },
  ],
  quiet: [{ episode: 'recall', kinds: ['opportunity'], why: 'a recall is never a trend to join' }],
};

// ---------------------------------------------------------------------------------------
// 5. A positive viral trend: an opportunity.
// ---------------------------------------------------------------------------------------
const cometaVoice: Voice = {
  brand: 'Scarpe Cometa',
  products: ['le Cometa Stella', 'le Cometa Run', 'le sneakers Cometa', 'gli stivaletti Cometa'],
  productsEn: ['Cometa Stella sneakers'],
  touchpoints: ['il negozio Cometa', 'lo store Cometa'],
  gripes: ['il reso delle Cometa Run è un incubo', 'le Cometa Stella dopo un mese sono già scollate', 'taglia sbagliata e il cambio Cometa costa 10 euro', 'spedizione Cometa in ritardo di una settimana'],
  gripesEn: ['returns take forever'],
  occasions: ['per correre', 'in ufficio', 'per il weekend'],
  rival: 'Passo Leggero',
};
const cometaIg = owned('Scarpe Cometa', 'Instagram');
const cometaOwn = ownedSourceDef(ownedSource(cometaIg), ['ig-cometa-88', 'ig-cometa-91']);
const STAGE = T('2026-11-21T21:10:00Z');
const viralTrend: Scenario = {
  id: 'viral-trend',
  title: 'Trend positivo virale: la cantante con le Cometa sul palco',
  story:
    'Saturday night, a singer performs on live TV wearing the brand\'s sneakers; within minutes thousands of delighted posts ask where to buy them. An opportunity, nothing to fear.',
  seed: 0xc0e7,
  workspace: {
    brand: 'Scarpe Cometa',
    products: ['Cometa Stella', 'Cometa Run'],
    themes: [
      { name: 'Alba Rei e il Festival', query: '"alba rei" OR #albarei OR festival OR #festival', swot: 'opportunity', stance: 'in_perimeter' },
      { name: 'Resi e taglie', query: 'reso OR resi OR taglia OR taglie OR cambio', swot: 'weakness', stance: 'in_perimeter' },
      { name: 'Lavoro e fornitori', query: 'sfruttament* OR "lavoro minorile" OR sottopagat*', swot: 'threat', stance: 'sensitive' },
    ],
    owned: [cometaIg],
  },
  start: T('2026-11-21T19:30:00Z'),
  end: T('2026-11-21T23:00:00Z'),
  build(s: Stream) {
    s.arrivals(this.start, this.end, () => 90, chatterIt(cometaVoice), everyday(cometaOwn, 10));
    const fans = oneOf([
      (r) => it(`Le scarpe di Alba Rei ${r.pick(['sono stupende', 'sono bellissime', 'le voglio subito', 'sono un sogno'])} ${r.pick(EMOJI_POS)} ${r.pick(['#AlbaRei', '#Festival', ''])}`),
      (r) => it(`${r.pick(['Ma quelle sono', 'Riconosciute subito:', 'Alba Rei indossa'])} le Cometa Stella! ${r.pick(['Bellissime', 'Che stile', 'Adoro'])} ${r.pick(EMOJI_POS)} #AlbaRei`),
      (r) => it(`Dove si comprano le Cometa Stella di Alba Rei? ${r.pick(['Le voglio per Natale', 'Già esaurite?', 'Link please'])} ${r.pick(EMOJI_POS)}`),
      (r) => it(`Alba Rei ${r.pick(['meravigliosa', 'regina del Festival', 'bravissima'])} e con le Cometa ai piedi ${r.pick(['ancora meglio', 'perfetta', 'spacca'])} ${r.pick(EMOJI_POS)}`),
      (r) => it(`Ordinate le Cometa Stella ${r.pick(['come quelle di Alba Rei', 'dopo il Festival', 'in tre minuti'])}, ${r.pick(['felicissima', 'non vedo l\'ora', 'che emozione'])} ${r.pick(EMOJI_POS)}`),
      (r) => it(`#AlbaRei con le Cometa Stella ${r.pick(['è già un meme', 'ovunque sui social', 'ha vinto tutto'])} ${r.pick(EMOJI_POS)}`),
    ]);
    const from = STAGE + 2 * MIN;
    s.arrivals(from, from + 100 * MIN, surge(from, from + 100 * MIN, 1_300, 15 * MIN, 30 * MIN), fans, [[4, SOURCES.x], [3, cometaOwn], [3, SOURCES.tiktok], [1, SOURCES.facebook]], { episode: 'trend' });
  },
  expected: [{ episode: 'trend', kind: 'opportunity', title: 'Alba Rei e il Festival', from: STAGE + 2 * MIN, maxDelayMs: OPPORTUNITY_DELAY }],
  quiet: [{ episode: 'trend', kinds: ['crisis'], why: 'delighted fans are no crisis' }],
};

// ---------------------------------------------------------------------------------------
// 6. A crisis during an opportunity: two moments, never one.
// ---------------------------------------------------------------------------------------
const polareVoice: Voice = {
  brand: 'Gelateria Polare',
  products: ['il pistacchio Polare', 'il gelato Polare', 'le coppette Polare', 'il fiordilatte Polare'],
  productsEn: ['Polare gelato'],
  touchpoints: ['la gelateria Polare', 'il chiosco Polare'],
  gripes: ['due palline Polare a 4 euro e 50', 'coda di mezz\'ora alla gelateria Polare', 'il pistacchio Polare oggi era sciolto', 'chiuso il chiosco Polare senza avviso'],
  gripesEn: ['the queue was endless'],
  occasions: ['dopo cena', 'a merenda', 'in centro'],
  rival: 'Cremeria Artica',
};
const polareIg = owned('Gelateria Polare', 'Instagram');
const POLARE_DAY_POST = 'ig-polare-giornata';
const polareOwn = ownedSourceDef(ownedSource(polareIg), ['ig-polare-40', 'ig-polare-44', POLARE_DAY_POST]);
const TREND_FROM = T('2026-11-24T12:00:00Z');
const HYGIENE_FROM = T('2026-11-24T13:15:00Z');
const crisisInOpportunity: Scenario = {
  id: 'crisis-during-opportunity',
  title: "Crisi durante un'opportunità: scarafaggi nella Giornata del gelato",
  story:
    'From 13:00 the #GiornataDelGelato trends and the brand rides it; at 14:15, at its peak, a video of cockroaches in one of its shops sets off a pile-on that uses the same hashtag and comments under the same post.',
  seed: 0x9e1a,
  workspace: {
    brand: 'Gelateria Polare',
    products: ['Polare Pistacchio', 'Polare Vegan'],
    themes: [
      { name: 'Giornata del gelato', query: '#giornatadelgelato OR "giornata del gelato"', swot: 'opportunity', stance: 'in_perimeter' },
      { name: 'Igiene e sicurezza', query: '(igiene OR sporc* OR scarafagg* OR blatt* OR topi OR intossicat* OR "mal di pancia") AND (polare OR gelateria OR gelato OR negozio)', swot: 'threat', stance: 'sensitive' },
      { name: 'Prezzi e code', query: '(prezz* OR euro OR coda OR fila) AND polare', swot: 'weakness', stance: 'in_perimeter' },
    ],
    owned: [polareIg],
  },
  start: T('2026-11-24T10:30:00Z'),
  end: T('2026-11-24T15:30:00Z'),
  build(s: Stream) {
    s.arrivals(this.start, this.end, () => 90, chatterIt(polareVoice), everyday(polareOwn, 10));
    const dayPost = ownedSourceDef(ownedSource(polareIg), [POLARE_DAY_POST]);
    const trend = oneOf([
      (r) => it(`#GiornataDelGelato ${r.pick(['pistacchio e fiordilatte', 'doppia coppetta', 'cono gigante'])} da Polare ${r.pick(EMOJI_POS)}`),
      (r) => it(`Per la Giornata del gelato ${r.pick(['offerta Polare due gusti al prezzo di uno', 'Polare regala la terza pallina', 'da Polare gusto nuovo al panettone'])}, ${r.pick(['bellissima idea', 'corro', 'ci vediamo lì'])} ${r.pick(EMOJI_POS)} #GiornataDelGelato`),
      (r) => it(`${r.pick(['Il mio gusto preferito', 'Voto per', 'Oggi solo'])} ${r.pick(['pistacchio', 'nocciola', 'stracciatella', 'fiordilatte'])} ${r.pick(['di Polare', 'alla gelateria Polare'])} #GiornataDelGelato ${r.pick(EMOJI_POS)}`),
      (r) => it(`#GiornataDelGelato ${r.pick(['fila felice', 'pausa golosa', 'merenda in ufficio'])} a ${r.pick(CITIES)} ${r.pick(EMOJI_POS)}`),
    ]);
    s.arrivals(TREND_FROM, TREND_FROM + 150 * MIN, surge(TREND_FROM, TREND_FROM + 150 * MIN, 720, 40 * MIN, 60 * MIN), trend, [[3, SOURCES.x], [3, dayPost], [3, SOURCES.tiktok], [1, SOURCES.facebook]], { episode: 'trend' });
    const shop = (r: Stream['r']): string => `la gelateria Polare di ${r.pick(['Milano', 'via Torino', 'Porta Romana', 'Navigli'])}`;
    const hygiene = oneOf([
      (r) => it(`Scarafaggi ${r.pick(['sul bancone', 'tra le vaschette', 'in vetrina'])} da ${shop(r)}!!! ${r.pick(['Che schifo', 'Vomitevole', 'Vergogna'])} ${r.pick(EMOJI_NEG)}`),
      (r) => it(`Altro che #GiornataDelGelato, ${r.pick(['blatte', 'scarafaggi', 'sporcizia'])} da Polare. ${r.pick(['Chiudete', 'Schifosi', 'Mai più'])}!`),
      (r) => it(`${r.pick(['Avete visto il video', 'Girate questo video', 'Guardate'])}: igiene zero alla gelateria Polare. ${r.pick(['Disgustoso', 'Che schifo', 'Indecenti'])} ${r.pick(EMOJI_NEG)}`),
      (r) => it(`Mio figlio ${r.pick(['ha mal di pancia', 'è stato male'])} dopo il gelato Polare ${r.pick(['di ieri', 'di sabato'])} e ora vedo gli scarafaggi. ${r.pick(['Vergognatevi', 'Denuncia', 'Schifo'])}`),
      (r) => it(`@gelateriapolare ${r.pick(['rispondete', 'chiudete il negozio', 'chiedete scusa'])}, scarafaggi nel gelato ${r.pick(['e voi postate offerte', 'e voi zitti'])}. ${r.pick(['Schifo', 'Vergogna'])}`),
    ]);
    s.arrivals(HYGIENE_FROM, HYGIENE_FROM + 60 * MIN, surge(HYGIENE_FROM, HYGIENE_FROM + 60 * MIN, 1_500, 4 * MIN, 12 * MIN), hygiene, [[3, dayPost], [3, SOURCES.x], [2, SOURCES.tiktok], [1, SOURCES.facebook]], { episode: 'hygiene' });
  },
  expected: [
    { episode: 'trend', kind: 'opportunity', title: 'Giornata del gelato', from: TREND_FROM, maxDelayMs: OPPORTUNITY_DELAY },
    { episode: 'hygiene', kind: 'crisis', title: 'Igiene e sicurezza', from: HYGIENE_FROM, maxDelayMs: CRISIS_DELAY },
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
const englishCrisis: Scenario = {
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
// 8. Seven calm days with a daily rhythm and a weekend: nothing to open.
// ---------------------------------------------------------------------------------------
const brinaVoice: Voice = {
  brand: 'Forno Brina',
  products: ['i cornetti di Forno Brina', 'il pane di Forno Brina', 'la focaccia Brina', 'le brioche Brina', 'il panettone Brina'],
  productsEn: ['Brina croissants'],
  touchpoints: ['il Forno Brina', 'il punto vendita Brina'],
  gripes: ['cornetti finiti alle 8 al Forno Brina', 'la focaccia Brina oggi era bruciata', 'pane Brina a 6 euro al chilo', 'coda infinita al Forno Brina la domenica'],
  gripesEn: ['sold out by eight'],
  occasions: ['a colazione', 'a merenda', 'per l\'aperitivo', 'a pranzo'],
  rival: 'Panificio Aurelio',
};
const brinaIg = owned('Forno Brina', 'Instagram');
const calmWeek: Scenario = {
  id: 'calm-week',
  title: 'Sette giorni tranquilli: colazione, aperitivo e fine settimana',
  story:
    'A bakery chain, Monday to Sunday: about 700 mentions on a weekday, fewer at the weekend, peaks at breakfast and in the evening, everyday complaints and now and then a lone post on a sensitive theme. No moment should open.',
  seed: 0xca1,
  workspace: {
    brand: 'Forno Brina',
    products: ['Cornetti Brina', 'Panettone Brina'],
    themes: [
      { name: 'Colazione e cornetti', query: 'cornett* OR colazion* OR brioche', swot: 'strength', stance: 'in_perimeter' },
      { name: 'Pane e focaccia', query: 'pane OR focacc* OR "lievito madre"', swot: 'strength', stance: 'in_perimeter' },
      { name: 'Prezzi', query: '(prezz* OR euro OR rincar* OR caro) AND (brina OR pane OR cornett*)', swot: 'weakness', stance: 'in_perimeter' },
      { name: 'Igiene e sicurezza alimentare', query: '(igiene OR muffa OR capello OR intossicat* OR "corpo estraneo" OR insetto) AND (brina OR forno OR pane OR cornett* OR focacc*)', swot: 'threat', stance: 'sensitive' },
      { name: 'Boicottaggio', query: 'boicott* OR vergogn*', swot: 'threat', stance: 'sensitive' },
    ],
    owned: [brinaIg],
  },
  start: T('2026-11-01T23:00:00Z'),
  end: T('2026-11-08T23:00:00Z'),
  testSample: { days: 1, why: 'seven days posted live are ~4,200 requests (~40 s here): the eval runs the week whole, the test its first day (a cold start, breakfast and evening peaks)' },
  build(s: Stream) {
    const days = Math.round((this.end - this.start) / DAY);
    const threads = Array.from({ length: days }, (_, d) => `ig-brina-${d + 1}`);
    for (let d = 0; d < days; d++) {
      const dayFrom = this.start + d * DAY;
      // Comments land mostly under the day's post, some under yesterday's.
      const own = ownedSourceDef(ownedSource(brinaIg), d > 0 ? [threads[d]!, threads[d]!, threads[d]!, threads[d - 1]!] : [threads[d]!]);
      s.arrivals(dayFrom, dayFrom + DAY, dailyRhythm(700), chatterIt(brinaVoice), everyday(own, 14));
      // A couple of lone posts a day on the sensitive themes: a hair in a croissant, a "vergogna" about prices.
      const stray = oneOf([
        (r) => it(`Trovato un capello nel cornetto del Forno Brina ${r.pick(['di via Roma', 'in centro', 'sotto casa'])}, ${r.pick(['che schifo', 'disgustoso', 'mai più'])} ${r.pick(EMOJI_NEG)}`),
        (r) => it(`Muffa sul pane Brina comprato ${r.pick(['ieri', 'stamattina'])}. ${r.pick(['Complimenti', 'Bella roba', 'Pessimo'])}`),
        (r) => it(`6 euro al chilo il pane Brina, ${r.pick(['vergogna', 'una vergogna', 'vergognoso'])}`),
      ]);
      const n = s.r.int(1, 3);
      for (let k = 0; k < n; k++) s.add(dayFrom + (7 + s.r.next() * 14) * HOUR, s.r.pick([SOURCES.x, SOURCES.facebook, SOURCES.trustpilot, own]), stray(s.r));
    }
  },
  expected: [],
  quiet: [],
};

// ---------------------------------------------------------------------------------------
// 9. A late-arriving batch: a source down for an hour delivers its backlog at once.
// ---------------------------------------------------------------------------------------
const lampoVoice: Voice = {
  brand: 'Ferrovie Lampo',
  products: ['il Lampo Freccia', 'il Lampo Regionale', "l'abbonamento Lampo", "l'app Lampo"],
  productsEn: ['the Lampo train'],
  touchpoints: ['la biglietteria Lampo', 'il bar del Lampo Freccia'],
  gripes: ['venti minuti di ritardo sul Lampo Regionale anche oggi', "l'app Lampo non carica il biglietto", 'aria condizionata rotta sul Lampo Freccia', 'treno Lampo soppresso senza avviso'],
  gripesEn: ['another delay'],
  occasions: ['stamattina', 'per andare al lavoro', 'per tornare a casa'],
  rival: 'Italo Treno',
};
const lampoX = owned('Ferrovie Lampo', 'X');
const lampoOwn = ownedSourceDef(ownedSource(lampoX), ['x-lampo-901', 'x-lampo-902']);
const DOWN_FROM = T('2026-11-26T07:30:00Z');
const DOWN_TO = T('2026-11-26T08:30:00Z');
const STUCK = T('2026-11-26T07:50:00Z');
const lateBatch: Scenario = {
  id: 'late-batch',
  title: "Lotto in ritardo: il forum dei pendolari arriva con un'ora di ritardo",
  story:
    'The commuters\' Facebook group and the consumer forum are unreachable from 08:30 to 09:30; meanwhile, at 08:50, passengers stuck on a train without air start posting there. The whole backlog arrives at 09:30: the crisis must open at 08:50 in stream time, as it happened, and the backlog itself must open nothing.',
  seed: 0x1a7e,
  workspace: {
    brand: 'Ferrovie Lampo',
    products: ['Lampo Freccia', 'Lampo Regionale'],
    themes: [
      { name: 'Guasti e passeggeri bloccati', query: '(bloccat* OR guasto OR fermi OR "senza aria" OR "senz\'acqua" OR abbandonat* OR chiusi) AND (treno OR lampo OR convoglio OR vagone OR freccia)', swot: 'threat', stance: 'sensitive' },
      { name: 'Puntualità', query: 'ritard* OR puntual* OR soppress*', swot: 'weakness', stance: 'in_perimeter' },
      { name: 'Offerte e biglietti', query: 'offert* OR biglietti OR sconto OR abbonament*', swot: 'opportunity', stance: 'in_perimeter' },
    ],
    owned: [lampoX],
  },
  start: T('2026-11-26T06:00:00Z'),
  end: T('2026-11-26T10:00:00Z'),
  build(s: Stream) {
    const late = (at: number): number => (at >= DOWN_FROM && at < DOWN_TO ? DOWN_TO - at : 0);
    const sources = everyday(lampoOwn, 8);
    // Everyday talk, the late sources' share delivered when they come back.
    for (const [w, src] of sources) {
      const isLate = src === SOURCES.facebook || src === SOURCES.forum;
      const total = sources.reduce((a, [x]) => a + x, 0);
      const before = s.items.length;
      s.arrivals(this.start, this.end, () => (200 * w) / total, chatterIt(lampoVoice), [[1, src]]);
      if (isLate) for (const item of s.items.slice(before)) item.deliverAt = item.at + late(item.at);
    }
    const stuck = oneOf([
      (r) => it(`Bloccati sul Lampo Freccia ${r.pick(['da un\'ora', 'da 50 minuti', 'in galleria'])} ${r.pick(['senza aria', 'senz\'acqua', 'al buio'])}, ${r.pick(['nessuno ci dice niente', 'il capotreno sparito', 'bambini che piangono'])}. ${r.pick(['Vergogna', 'Inaccettabile', 'Schifo'])} ${r.pick(EMOJI_NEG)}`),
      (r) => it(`Treno Lampo fermo ${r.pick(['vicino a Orte', 'dopo Firenze', 'in aperta campagna'])}, ${r.pick(['chiusi dentro', 'porte bloccate', 'niente aria condizionata'])} e ${r.pick(['nessun annuncio', 'nessuna assistenza', 'nessuna informazione'])}. ${r.pick(['Vergognatevi', 'Indecenti', 'Pessimi'])}`),
      (r) => it(`Ferrovie Lampo ${r.pick(['ci avete abbandonati', 'siete indecenti', 'vergogna'])}: ${r.pick(['due ore bloccati', 'passeggeri che svengono', 'un anziano si è sentito male'])} sul treno ${r.pick(['senza aria', 'al caldo', 'senz\'acqua'])}`),
      (r) => it(`Anche noi bloccati sul Lampo ${r.pick(['9521', '9533', 'delle 8:10'])}! ${r.pick(['Nessuno risponde', 'Assistenza zero', 'Siamo chiusi dentro'])} ${r.pick(EMOJI_NEG)}`),
    ]);
    const end = STUCK + 50 * MIN;
    const before = s.items.length;
    s.arrivals(STUCK, end, surge(STUCK, end, 900, 3 * MIN, 20 * MIN), stuck, [[3, SOURCES.facebook], [2, SOURCES.forum]], { episode: 'stuck' });
    for (const item of s.items.slice(before)) item.deliverAt = item.at + late(item.at);
    // A few reach X live: too few for a moment on their own.
    s.arrivals(STUCK + 5 * MIN, end, () => 8, stuck, [[1, SOURCES.x]], { episode: 'stuck' });
  },
  expected: [{ episode: 'stuck', kind: 'crisis', title: 'Guasti e passeggeri bloccati', from: STUCK, maxDelayMs: CRISIS_DELAY }],
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
const quietBrand: Scenario = {
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
const themelessPileOn: Scenario = {
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
  expected: [{ episode: 'pileon', kind: 'crisis', title: 'Cosmetici Iris', from: IRIS_PILE, maxDelayMs: CRISIS_DELAY }],
  quiet: [],
};

// ---------------------------------------------------------------------------------------
// 12. A competitor's crisis that must not be ours.
// ---------------------------------------------------------------------------------------
const sorgivaVoice: Voice = {
  brand: 'Acqua Sorgiva',
  products: ["l'acqua Sorgiva", 'la Sorgiva frizzante', 'la Sorgiva naturale', 'le bottiglie Sorgiva'],
  productsEn: ['Sorgiva water'],
  touchpoints: ['lo stabilimento Sorgiva'],
  gripes: ['la cassa di Sorgiva è aumentata di un euro', 'le bottiglie Sorgiva in vetro introvabili', 'la Sorgiva frizzante ha perso le bollicine', 'consegna Sorgiva a domicilio saltata'],
  gripesEn: ['price went up'],
  occasions: ['a tavola', 'in palestra', 'in ufficio'],
  rival: 'Fonte Chiara',
};
const FC_FROM = T('2026-11-28T09:00:00Z');
const competitorCrisis: Scenario = {
  id: 'competitor-crisis',
  title: 'Crisi di un concorrente: Fonte Chiara contaminata',
  story:
    'A rival mineral water, Fonte Chiara (not in the workspace), is found contaminated; a national pile-on follows. A few posts compare it with our brand ("passo a Sorgiva", "e Sorgiva è sicura?"). Our brand is not in crisis; people switching to it may be an opportunity.',
  seed: 0xfc,
  workspace: {
    brand: 'Acqua Sorgiva',
    products: ['Sorgiva Frizzante', 'Sorgiva Naturale'],
    themes: [
      { name: 'Qualità e analisi', query: '(contaminat* OR batteri OR arsenico OR richiam* OR analisi) AND sorgiva', swot: 'threat', stance: 'sensitive' },
      { name: 'Sport e benessere', query: 'palestra OR sport OR corsa OR benessere', swot: 'opportunity', stance: 'in_perimeter' },
      { name: 'Prezzi e consegne', query: '(prezz* OR euro OR consegn* OR cassa) AND sorgiva', swot: 'weakness', stance: 'in_perimeter' },
    ],
    owned: [owned('Acqua Sorgiva', 'Instagram')],
  },
  start: T('2026-11-28T07:30:00Z'),
  end: T('2026-11-28T11:00:00Z'),
  build(s: Stream) {
    const own = ownedSourceDef(ownedSource(this.workspace.owned[0]!), ['ig-sorgiva-3', 'ig-sorgiva-5']);
    s.arrivals(this.start, this.end, () => 100, chatterIt(sorgivaVoice), everyday(own, 8));
    const rival = oneOf([
      (r) => it(`Fonte Chiara ${r.pick(['contaminata', 'con i batteri', 'ritirata dai supermercati'])}!!! ${r.pick(['Che schifo', 'Vergogna', 'E noi la davamo ai bambini'])} ${r.pick(EMOJI_NEG)}`),
      (r) => it(`${r.pick(['Batteri', 'Enterococchi', 'Contaminazione'])} nell'acqua Fonte Chiara, ${r.pick(['mai più', 'vergognatevi', 'chi controlla?'])} #FonteChiara`),
      (r) => it(`@fontechiara ${r.pick(['rispondete', 'chiedete scusa', 'ritirate tutto'])}! ${r.pick(['Acqua contaminata', 'Batteri nelle bottiglie', 'Mia figlia è stata male'])}. ${r.pick(['Indecenti', 'Schifosi', 'Vergogna'])}`),
      (r) => it(`Richiamo Fonte Chiara: ${r.pick(['controllate i lotti', 'buttate le bottiglie', 'riportatele al supermercato'])} ${r.pick(['in dispensa', 'a casa', ''])}`),
    ]);
    const switching = oneOf([
      (r) => it(`Dopo lo scandalo Fonte Chiara ${r.pick(['passo ad Acqua Sorgiva', 'da oggi solo Sorgiva', 'a casa beviamo Sorgiva'])}, ${r.pick(['almeno è seria', 'mai avuto problemi', 'buona e controllata'])} ${r.pick(EMOJI_POS)}`),
      (r) => it(`Fonte Chiara contaminata: ${r.pick(['e Sorgiva?', 'qualcuno sa se Sorgiva è sicura?', 'Sorgiva ha pubblicato le analisi?'])} ${r.pick(['Chiedo', 'Ho due casse in cantina', 'Ho paura'])}`),
    ]);
    const end = FC_FROM + 2 * HOUR;
    s.arrivals(FC_FROM, end, surge(FC_FROM, end, 2_000, 8 * MIN, 25 * MIN), (r) => (r.chance(0.12) ? switching(r) : rival(r)), [[4, SOURCES.x], [3, SOURCES.facebook], [2, SOURCES.tiktok], [1, SOURCES.reddit]], { episode: 'rival' });
  },
  expected: [],
  quiet: [{ episode: 'rival', kinds: ['crisis'], why: "Fonte Chiara's crisis is not ours, even where a post names us beside it" }],
  tolerated: [{ episode: 'rival', kind: 'opportunity', why: 'people switching to us may be an opportunity; not required' }],
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
const twoCrises: Scenario = {
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

export const SCENARIOS: readonly Scenario[] = [
  coldStart,
  slowBurn,
  botFlood,
  newsSpike,
  viralTrend,
  crisisInOpportunity,
  englishCrisis,
  calmWeek,
  lateBatch,
  quietBrand,
  themelessPileOn,
  competitorCrisis,
  twoCrises,
];
