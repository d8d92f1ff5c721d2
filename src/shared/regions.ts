// The 20 Italian regions with their ISTAT codes and the macro-area each belongs to
// (ISTAT's NUTS-1 groups folded into four: Nord = Nord-ovest + Nord-est). `svgId` is the
// region's id in @svg-maps/italy (CC-BY-4.0), so the choropleth can join on it.
import { foldKey } from './text';

export type MacroArea = 'north' | 'centre' | 'south' | 'islands';

export interface Region {
  /** Two-digit ISTAT region code ("01" Piemonte … "20" Sardegna). */
  code: string;
  name: string;
  area: MacroArea;
  svgId: string;
}

export const REGIONS: readonly Region[] = [
  { code: '01', name: 'Piemonte', area: 'north', svgId: 'piedmont' },
  { code: '02', name: "Valle d'Aosta", area: 'north', svgId: 'aosta-valley' },
  { code: '03', name: 'Lombardia', area: 'north', svgId: 'lombardy' },
  { code: '04', name: 'Trentino-Alto Adige', area: 'north', svgId: 'trentino-south-tyrol' },
  { code: '05', name: 'Veneto', area: 'north', svgId: 'veneto' },
  { code: '06', name: 'Friuli-Venezia Giulia', area: 'north', svgId: 'friuli-venezia-giulia' },
  { code: '07', name: 'Liguria', area: 'north', svgId: 'liguria' },
  { code: '08', name: 'Emilia-Romagna', area: 'north', svgId: 'emilia-romagna' },
  { code: '09', name: 'Toscana', area: 'centre', svgId: 'tuscany' },
  { code: '10', name: 'Umbria', area: 'centre', svgId: 'umbria' },
  { code: '11', name: 'Marche', area: 'centre', svgId: 'marche' },
  { code: '12', name: 'Lazio', area: 'centre', svgId: 'lazio' },
  { code: '13', name: 'Abruzzo', area: 'south', svgId: 'abruzzo' },
  { code: '14', name: 'Molise', area: 'south', svgId: 'molise' },
  { code: '15', name: 'Campania', area: 'south', svgId: 'campania' },
  { code: '16', name: 'Puglia', area: 'south', svgId: 'apulia' },
  { code: '17', name: 'Basilicata', area: 'south', svgId: 'basilicata' },
  { code: '18', name: 'Calabria', area: 'south', svgId: 'calabria' },
  { code: '19', name: 'Sicilia', area: 'islands', svgId: 'sicily' },
  { code: '20', name: 'Sardegna', area: 'islands', svgId: 'sardinia' },
];

export const MACRO_AREAS: readonly MacroArea[] = ['north', 'centre', 'south', 'islands'];

const byCode = new Map(REGIONS.map((r) => [r.code, r]));
const byName = new Map<string, Region>();
for (const r of REGIONS) {
  byName.set(foldKey(r.name), r);
  byName.set(foldKey(r.svgId), r);
}
// Names the usual exports (GA4, Meta) write in English or without accents and hyphens.
const ALIASES: Record<string, string> = {
  aostavalley: '02', valledaosta: '02', lombardy: '03', trentinosouthtyrol: '04', trentino: '04', altoadige: '04',
  friuliveneziagiulia: '06', friuli: '06', emiliaromagna: '08', tuscany: '09', apulia: '16', sicily: '19', sardinia: '20',
  piedmont: '01',
};


export function regionByCode(code: string): Region | undefined {
  return byCode.get(code);
}

/** An ISTAT code ("3", "03") or a region name in Italian or English → the region, if any. */
export function resolveRegion(input: string): Region | undefined {
  const s = input.trim();
  if (/^\d{1,2}$/.test(s)) return byCode.get(s.padStart(2, '0'));
  const f = foldKey(s);
  const alias = ALIASES[f];
  return alias ? byCode.get(alias) : byName.get(f);
}
