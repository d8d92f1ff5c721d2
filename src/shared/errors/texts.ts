// Texts people read that are not errors: notes of the delivery log, the words of an alert
// notification, review-step reasons, source health, CLI help and progress. Same rules as
// the error catalogue: a code, its params, an Italian and an English text with the same
// placeholders ({name}, {name:term}, {name:terms}, {name:code}), rendered by renderText.
export const TEXTS = {
  it: {
    // Alert notifications and their delivery log.
    'notify.shownInWindow': 'mostrata nella finestra',
    'notify.acceptedBy': 'accettata da {host}: {response}',
    'notify.httpOk': '{channel:term}: HTTP {status}',
    'notify.alertFired': 'Allerta {severity:term}: {rule}',
    'notify.alertEscalated': 'SLA scaduto — allerta {severity:term}: {rule}',
    'notify.lineContent': 'Contenuto: {title} ({key})',
    'notify.lineFired': 'Scattata: {at}',
    'notify.lineDue': 'Intervento entro: {at}',
    'notify.testTitle': 'Prova di notifica da Vedetta',
    'notify.testLine': 'Se leggi questo messaggio il canale è configurato correttamente.',
    'notify.emailFooter': 'Apri Vedetta, vista Tier 2 → Allerte, per prendere in carico l’allerta e registrare l’intervento.',
  },
  en: {
    'notify.shownInWindow': 'shown in the window',
    'notify.acceptedBy': 'accepted by {host}: {response}',
    'notify.httpOk': '{channel:term}: HTTP {status}',
    'notify.alertFired': 'Alert ({severity:term}): {rule}',
    'notify.alertEscalated': 'SLA expired — alert ({severity:term}): {rule}',
    'notify.lineContent': 'Content: {title} ({key})',
    'notify.lineFired': 'Fired: {at}',
    'notify.lineDue': 'Act by: {at}',
    'notify.testTitle': 'Test notification from Vedetta',
    'notify.testLine': 'If you read this message the channel is set up correctly.',
    'notify.emailFooter': 'Open Vedetta, Tier 2 → Alerts view, to take charge of the alert and record the intervention.',
  },
} as const satisfies Record<'it' | 'en', Record<string, string>>;

export type TextCode = keyof (typeof TEXTS)['it'];

export function isTextCode(x: unknown): x is TextCode {
  return typeof x === 'string' && Object.prototype.hasOwnProperty.call(TEXTS.it, x);
}
