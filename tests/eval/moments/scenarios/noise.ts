// What must open nothing: a bot flood, a calm week, a competitor's crisis.
import type { Scenario } from '../harness';
import { DAY, HOUR, MIN, ownedSourceDef, SOURCES, dailyRhythm, type Stream } from '../stream';
import { chatterIt, EMOJI_NEG, EMOJI_POS, type Voice } from '../texts';
import { ownedSource } from '../workspace';
import { everyday, it, oneOf, owned, surge, T } from './common';

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
export const botFlood: Scenario = {
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
export const calmWeek: Scenario = {
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
export const competitorCrisis: Scenario = {
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
  quiet: [],
  tolerated: [
    { episode: 'rival', kind: 'opportunity', why: 'people switching to us may be an opportunity; not required' },
    // Reviewed: about 5 % of the rival's pile-on asks whether our water is safe too; those
    // posts are negative and name us, on our own sensitive theme. Being dragged into a
    // contamination story is what that theme is there to catch; the brand as a whole must
    // still stay quiet (any other moment is a false alarm).
    { episode: 'rival', kind: 'crisis', why: 'the spillover on our sensitive theme ("e Sorgiva è sicura?") is worth a look' },
  ],
};
