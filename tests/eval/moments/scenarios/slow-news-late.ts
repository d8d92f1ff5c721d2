// Crises that do not arrive as one sharp pile-on: a three-hour slow burn, a recall in the news,
// a late-arriving batch.
import type { Scenario } from '../harness';
import { HOUR, MIN, ownedSourceDef, SOURCES, type Stream } from '../stream';
import { chatterIt, EMOJI_NEG, type Voice } from '../texts';
import { ownedSource } from '../workspace';
import { CRISIS_DELAY, everyday, it, oneOf, owned, ramp, surge, T } from './common';

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
export const slowBurn: Scenario = {
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
export const newsSpike: Scenario = {
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
export const lateBatch: Scenario = {
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
