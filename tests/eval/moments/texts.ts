// Words for the scenario streams: everyday talk about a consumer brand (praise, complaints,
// questions, plain news), in Italian and in English, built from varied templates so that no
// two posts of a stream need be alike. Labels are never set here: the shipped sentiment model
// reads these texts as it reads real ones, and detection is judged end to end.
import type { Rng } from './rng';

export type Lang = 'it' | 'en';
export interface Text {
  text: string;
  lang: Lang;
}
export type TextGen = (r: Rng) => Text;

/** What chatter about one brand talks about. */
export interface Voice {
  brand: string;
  /** Noun phrases with their article ("le trofie Gemma"), so no adjective has to agree. */
  products: readonly string[];
  /** English noun phrases ("Gemma's trofie"). */
  productsEn: readonly string[];
  /** Where people meet the brand: "al punto vendita", "sull'app". */
  touchpoints: readonly string[];
  /** Complaints of the trade, as whole clauses ("la consegna è arrivata rotta"). */
  gripes: readonly string[];
  gripesEn: readonly string[];
  /** Occasions it is used on ("a cena", "a colazione"). */
  occasions: readonly string[];
  /** A rival people compare with. */
  rival: string;
}

export const CITIES = ['Milano', 'Roma', 'Torino', 'Bologna', 'Napoli', 'Firenze', 'Bari', 'Verona', 'Genova', 'Palermo', 'Padova', 'Trieste', 'Cagliari', 'Lecce', 'Brescia', 'Parma'];
export const CITIES_EN = ['London', 'Manchester', 'Dublin', 'Leeds', 'Bristol', 'Edinburgh', 'New York', 'Boston'];
export const EMOJI_POS = ['😍', '👌', '🔥', '❤️', '😋', '👏', '🙌', '', '', ''];
export const EMOJI_NEG = ['😡', '🤢', '👎', '😤', '🙄', '🤬', '', ''];

export const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
const it = (text: string): Text => ({ text: text.replace(/\s+/g, ' ').trim(), lang: 'it' });
const en = (text: string): Text => ({ text: text.replace(/\s+/g, ' ').trim(), lang: 'en' });

// ---------- everyday Italian talk ----------

function praiseIt(v: Voice): TextGen[] {
  return [
    (r) => it(`${cap(r.pick(v.products))} ${r.pick(['sono una garanzia', 'non deludono mai', 'sono sempre una certezza', 'mi hanno conquistato'])} ${r.pick(EMOJI_POS)}`),
    (r) => it(`Provati ${r.pick(v.occasions)} ${r.pick(v.products)}: ${r.pick(['una bontà', 'il top', 'da rifare subito', 'consigliatissimi', 'spettacolo'])} ${r.pick(EMOJI_POS)}`),
    (r) => it(`${r.pick(['Devo dirlo', 'Ok lo ammetto', 'Sorpresa di oggi', 'Piccola gioia'])}: ${r.pick(v.products)} ${r.pick(['sono buonissimi', 'valgono ogni centesimo', 'sono migliorati tantissimo'])}`),
    (r) => it(`Grazie ${v.brand}, ${r.pick(['servizio impeccabile', 'gentilissimi come sempre', 'risolto tutto in cinque minuti', 'esperienza perfetta'])} ${r.pick(EMOJI_POS)}`),
    (r) => it(`${cap(r.pick(v.touchpoints))} di ${r.pick(CITIES)} ${r.pick(['personale bravissimo', 'tutto perfetto', 'sempre gentili', 'mi sono trovata benissimo'])}`),
    (r) => it(`Meglio ${r.pick(v.products)} che ${v.rival}, ${r.pick(['non c\'è paragone', 'per me vincono loro', 'ormai compro solo quelli'])}`),
  ];
}

function complaintIt(v: Voice): TextGen[] {
  return [
    (r) => it(`${cap(r.pick(v.gripes))}. ${r.pick(['Peccato', 'Che delusione', 'Non ci siamo', 'Mah', 'Pessimo'])} ${r.pick(EMOJI_NEG)}`),
    (r) => it(`${cap(r.pick(v.products))} ${r.pick(['costano sempre di più', 'non sono più quelli di una volta', 'mi hanno deluso', 'sono peggiorati'])} ${r.pick(EMOJI_NEG)}`),
    (r) => it(`Scritto al servizio clienti di ${v.brand} ${r.pick(['tre giorni fa', 'la settimana scorsa', 'due volte'])}, ancora nessuna risposta. ${r.pick(['Pessimi', 'Che pazienza', 'Delusa'])}`),
    (r) => it(`${cap(r.pick(v.touchpoints))} di ${r.pick(CITIES)}: ${r.pick(['fila infinita', 'personale scortese', 'scaffali vuoti', 'prezzi sbagliati alla cassa'])}, peccato`),
    (r) => it(`Non compro più ${r.pick(v.products)}, ${r.pick(['troppo cari', 'qualità calata', 'mi sono stancato'])}`),
  ];
}

function questionIt(v: Voice): TextGen[] {
  return [
    (r) => it(`Qualcuno sa dove trovare ${r.pick(v.products)} a ${r.pick(CITIES)}?`),
    (r) => it(`Ma ${r.pick(v.products)} sono senza glutine? Chiedo per mia sorella`),
    (r) => it(`Meglio ${r.pick(v.products)} o quelli di ${v.rival}? Consigli?`),
    (r) => it(`${v.brand} fa consegne anche a ${r.pick(CITIES)}? Sul sito non lo trovo`),
    (r) => it(`Che orari fa ${r.pick(v.touchpoints)} di ${r.pick(CITIES)} la domenica?`),
  ];
}

function neutralIt(v: Voice): TextGen[] {
  return [
    (r) => it(`Stasera ${r.pick(v.products)} ${r.pick(v.occasions)}, vediamo come vanno`),
    (r) => it(`${v.brand} apre ${r.pick(['un nuovo punto vendita', 'un negozio', 'uno spazio'])} a ${r.pick(CITIES)} ${r.pick(['il mese prossimo', 'a gennaio', 'in primavera'])}`),
    (r) => it(`Visto lo spot di ${v.brand} ${r.pick(['ieri sera', 'durante la partita', 'al cinema'])}`),
    (r) => it(`Spesa fatta: ${r.pick(v.products)}, pane, frutta e ${r.pick(['latte', 'caffè', 'acqua'])}`),
    (r) => it(`${r.pick(['Articolo', 'Servizio', 'Pezzo'])} ${r.pick(['sul Sole 24 Ore', 'su Repubblica', 'al Tg regionale'])} sui conti di ${v.brand} nel ${r.pick(['terzo trimestre', 'primo semestre'])}`),
    (r) => it(`In offerta ${r.pick(v.products)} ${r.pick(['questa settimana', 'fino a domenica', 'al supermercato sotto casa'])}`),
  ];
}

/** Everyday Italian talk: mostly neutral and positive, a steady share of complaints. */
export function chatterIt(v: Voice, mix = { praise: 0.32, neutral: 0.3, question: 0.16, complaint: 0.22 }): TextGen {
  const families: [number, TextGen[]][] = [
    [mix.praise, praiseIt(v)],
    [mix.neutral, neutralIt(v)],
    [mix.question, questionIt(v)],
    [mix.complaint, complaintIt(v)],
  ];
  return (r) => r.pick(r.weighted(families))(r);
}

// ---------- everyday English talk ----------

function praiseEn(v: Voice): TextGen[] {
  return [
    (r) => en(`${cap(r.pick(v.productsEn))} ${r.pick(['never disappoint', 'are honestly great', 'are my new favourite thing', 'are worth every penny'])} ${r.pick(EMOJI_POS)}`),
    (r) => en(`Tried ${r.pick(v.productsEn)} in ${r.pick(CITIES_EN)}: ${r.pick(['loved it', 'really good', 'lovely quality', 'would buy again'])}`),
    (r) => en(`Shout out to the ${v.brand} team in ${r.pick(CITIES_EN)}, ${r.pick(['super helpful', 'so friendly', 'sorted my order in minutes'])} ${r.pick(EMOJI_POS)}`),
  ];
}

function complaintEn(v: Voice): TextGen[] {
  return [
    (r) => en(`${cap(r.pick(v.gripesEn))}. ${r.pick(['Disappointed', 'Not great', 'Annoying', 'Meh'])} ${r.pick(EMOJI_NEG)}`),
    (r) => en(`Emailed ${v.brand} customer service ${r.pick(['three days ago', 'last week', 'twice'])} and still no reply`),
    (r) => en(`${cap(r.pick(v.productsEn))} ${r.pick(['got pricier again', 'are not what they used to be', 'let me down this time'])}`),
  ];
}

function neutralEn(v: Voice): TextGen[] {
  return [
    (r) => en(`Anyone compared ${r.pick(v.productsEn)} with ${v.rival}?`),
    (r) => en(`${v.brand} is opening a store in ${r.pick(CITIES_EN)} ${r.pick(['next month', 'in spring', 'this winter'])}`),
    (r) => en(`Does ${v.brand} ship to ${r.pick(['Ireland', 'Scotland', 'the US', 'Wales'])}? Asking for a friend`),
    (r) => en(`Saw the new ${v.brand} ad ${r.pick(['on the tube', 'on YouTube', 'at the cinema'])} today`),
  ];
}

/** Everyday English talk, same shares as the Italian. */
export function chatterEn(v: Voice, mix = { praise: 0.32, neutral: 0.3, complaint: 0.22 }): TextGen {
  const families: [number, TextGen[]][] = [
    [mix.praise, praiseEn(v)],
    [mix.neutral + 0.16, neutralEn(v)],
    [mix.complaint, complaintEn(v)],
  ];
  return (r) => r.pick(r.weighted(families))(r);
}

// ---------- pile-ons ----------

/** Short, angry comments under a post: what a pile-on is made of. */
export function insultsIt(v: Voice, about: readonly string[]): TextGen {
  const gens: TextGen[] = [
    (r) => it(`${r.pick(['Vergogna', 'VERGOGNA', 'Vergognatevi', 'Che vergogna'])}${r.pick(['!', '!!!', '.', ''])} ${r.pick(EMOJI_NEG)}`),
    (r) => it(`${r.pick(['Fate schifo', 'Siete ridicoli', 'Pessimi', 'Indecenti', 'Che schifo'])}, ${r.pick(about)}. ${r.pick(EMOJI_NEG)}`),
    (r) => it(`${r.pick(['Mai più', 'Addio', 'Basta'])} ${v.brand}. ${r.pick(['Mai.', 'Per sempre.', 'Chiuso.', ''])} ${r.pick(EMOJI_NEG)}`),
    (r) => it(`Ma chi vi cura la comunicazione? ${cap(r.pick(about))}, ${r.pick(['incredibile', 'assurdo', 'inaccettabile'])}`),
    (r) => it(`${cap(r.pick(about))} e voi zitti. ${r.pick(['Vergognosi', 'Incompetenti', 'Buffoni', 'Dilettanti'])}!`),
    (r) => it(`Da oggi ${r.pick(['compro altro', 'passo a ' + v.rival, 'non entro più nei vostri negozi'])}. ${r.pick(['Disgustoso', 'Schifo', 'Vergogna'])}`),
    (r) => it(`Togliete subito questo post. ${r.pick(['Offensivo', 'Vergognoso', 'Disgustoso'])} ${r.pick(EMOJI_NEG)}`),
    (r) => it(`${r.pick(['Rispondete', 'Chiedete scusa', 'Vergognatevi'])}! ${cap(r.pick(about))} ${r.pick(EMOJI_NEG)}`),
  ];
  return (r) => r.pick(gens)(r);
}
