// Opportunities: a viral trend, and a crisis breaking out during one.
import type { Scenario } from '../harness';
import { MIN, ownedSourceDef, SOURCES, type Stream } from '../stream';
import { chatterIt, CITIES, EMOJI_NEG, EMOJI_POS, type Voice } from '../texts';
import { ownedSource } from '../workspace';
import { CRISIS_DELAY, everyday, it, oneOf, OPPORTUNITY_DELAY, owned, surge, T } from './common';

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
export const viralTrend: Scenario = {
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
export const crisisInOpportunity: Scenario = {
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
