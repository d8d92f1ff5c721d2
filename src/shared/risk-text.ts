// The words of a moment's risk line and of its risk alert, in Italian and English. The
// renderer's catalogues take these in (one i18n layer: the UI says them with `t`), and core
// (the Italian line the API carries) and the desktop notifications say the same texts from
// here, so a risk reads the same wherever it is shown, in the person's language.
export const RISK_TEXT = {
  it: {
    'risk.toastStrong': 'Rischio forte: {title}',
    'risk.toastWeak': 'Rischio tornato debole: {title}',
    'risk.notifyStrong': 'Rischio forte',
    'risk.notifyWeak': 'Rischio tornato debole',
    'risk.explain.strong': 'forte',
    'risk.explain.weak': 'debole',
    'risk.explain.none': '{head}: nessun pubblico mappato tocca il momento ({volume} menzioni)',
    'risk.explain.lead': '{head}: {share} {what} dal pubblico {type} «{name}», {velocity}/min',
    'risk.explain.ofComments': 'dei commenti',
    'risk.explain.ofMentions': 'delle menzioni',
    'risk.explain.type.primary': 'primario',
    'risk.explain.type.secondary': 'secondario',
    'risk.explain.type.generic': 'generico',
    'risk.explain.several': '; parla a più pubblici ({types})',
    'risk.explain.tooSmall': ', quota troppo piccola per pesare',
    'risk.explain.tiny': ', solo {count} menzioni',
    'risk.explain.dominated': ', un solo autore scrive il {share}',
    'risk.explain.overrideWeak': ', indicato debole dallo stratega',
    'risk.explain.low': ', poca velocità e poche interazioni',
    'risk.explain.reach': ', {engagement} interazioni a menzione',
    'risk.explain.overrideStrong': ', indicato forte dallo stratega',
  },
  en: {
    'risk.toastStrong': 'Strong risk: {title}',
    'risk.toastWeak': 'Risk back to weak: {title}',
    'risk.notifyStrong': 'Strong risk',
    'risk.notifyWeak': 'Risk back to weak',
    'risk.explain.strong': 'strong',
    'risk.explain.weak': 'weak',
    'risk.explain.none': '{head}: no mapped audience is touched by the moment ({volume} mentions)',
    'risk.explain.lead': '{head}: {share} {what} from the {type} audience «{name}», {velocity}/min',
    'risk.explain.ofComments': 'of the comments',
    'risk.explain.ofMentions': 'of the mentions',
    'risk.explain.type.primary': 'primary',
    'risk.explain.type.secondary': 'secondary',
    'risk.explain.type.generic': 'generic',
    'risk.explain.several': '; it speaks to several audiences ({types})',
    'risk.explain.tooSmall': ', too small a share to weigh',
    'risk.explain.tiny': ', only {count} mentions',
    'risk.explain.dominated': ', one author writes {share}',
    'risk.explain.overrideWeak': ', marked weak by the strategist',
    'risk.explain.low': ', low velocity and few interactions',
    'risk.explain.reach': ', {engagement} interactions per mention',
    'risk.explain.overrideStrong': ', marked strong by the strategist',
  },
} as const satisfies Record<'it' | 'en', Record<string, string>>;

export type RiskTextKey = keyof (typeof RISK_TEXT)['it'];
/** Says one of these texts with its params: the renderer's `t`, or `sayRisk(locale)`. */
export type RiskSay = (key: RiskTextKey, params?: Record<string, string>) => string;

/** The texts above in a language, outside the renderer (core, the desktop notifications). */
export function sayRisk(locale: 'it' | 'en'): RiskSay {
  const texts: Readonly<Record<string, string>> = RISK_TEXT[locale];
  return (key, params = {}) => (texts[key] ?? key).replace(/\{(\w+)\}/g, (whole, name: string) => params[name] ?? whole);
}
