// What core says about data it refused or watched: why a field of an item is not valid (the
// wording of zod's issues), why an item or a row was refused or saved with a warning, and the
// line an alert rule writes when it fires. Part of TEXTS (texts.ts), same rules; worded at
// write time in the workspace's language where it is stored (an import report, an alert).
export const CORE_TEXTS = {
  it: {
    // A field that does not validate (core/ingest/zod-errors.ts); the schema's own message wins.
    'zod.required': 'obbligatorio',
    'zod.type': 'atteso {expected:term}, ricevuto {got:term}',
    'zod.maxChars': 'al massimo {max} caratteri',
    'zod.maxItems': 'al massimo {max} elementi',
    'zod.max': 'al massimo {max}',
    'zod.empty': 'non può essere vuoto',
    'zod.minChars': 'almeno {min} caratteri',
    'zod.negative': 'non può essere negativo',
    'zod.min': 'almeno {min}',
    'zod.format': 'formato non valido',
    'zod.value': 'valore non ammesso (ammessi: {values})',
    // An item refused or saved with a warning (core/ingest).
    'ingest.notObject': 'non è un oggetto JSON con i campi di una menzione',
    'ingest.futureDated': "data di pubblicazione nel futuro ({when} UTC, oltre un giorno dopo l'arrivo): salvata, ma non conta nei momenti. Controlla l'orologio di chi la invia.",
    'import.tooManyRejected': 'Scartate {n} righe: qui sono elencate le prime {max}. Controlla che il file sia nel formato giusto.',
    // A metric point refused (core/metrics).
    'metrics.rateRange': '{metric}: un tasso va da 0 a 1 (3,4% = 0.034), ricevuto {value}',
    'metrics.negative': '{metric}: il valore non può essere negativo',
    'metrics.fitRange': 'language_fit_score va da 0 (inadatto) a 1 (perfetto)',
    'metrics.contentRow': 'content[{index}]: {reason}',
    'metrics.unknownContent': 'contenuto "{key}" non registrato: registralo prima (campo content del webhook o Tier 2 → Contenuti)',
    // What an alert rule says when it fires (core/metrics), stored with the alert.
    'alert.threshold': '{metric:term} {value} ({side:code} la soglia {threshold})',
    'alert.above': 'oltre',
    'alert.below': 'sotto',
    'alert.drop': '{metric:term} {value}, {pct}% peggio della media storica {mean}',
    'alert.trend': '{metric:term} {value}, in tendenza verso {projected} entro {minutes} min (soglia {threshold})',
    'alert.regional': '{region}: {metric} {value}, {pct}% sotto la media delle regioni {mean}',
  },
  en: {
    'zod.required': 'required',
    'zod.type': 'expected {expected:term}, got {got:term}',
    'zod.maxChars': 'at most {max} characters',
    'zod.maxItems': 'at most {max} items',
    'zod.max': 'at most {max}',
    'zod.empty': 'cannot be empty',
    'zod.minChars': 'at least {min} characters',
    'zod.negative': 'cannot be negative',
    'zod.min': 'at least {min}',
    'zod.format': 'invalid format',
    'zod.value': 'value not allowed (allowed: {values})',
    'ingest.notObject': 'not a JSON object with the fields of a mention',
    'ingest.futureDated': 'publication date in the future ({when} UTC, more than a day after arrival): saved, but it does not count in moments. Check the clock of whoever sends it.',
    'import.tooManyRejected': 'Rejected {n} rows: the first {max} are listed here. Check that the file is in the right format.',
    'metrics.rateRange': '{metric}: a rate goes from 0 to 1 (3.4% = 0.034), got {value}',
    'metrics.negative': '{metric}: the value cannot be negative',
    'metrics.fitRange': 'language_fit_score goes from 0 (unfit) to 1 (perfect)',
    'metrics.contentRow': 'content[{index}]: {reason}',
    'metrics.unknownContent': 'content "{key}" is not registered: register it first (the webhook’s content field or Tier 2 → Contents)',
    'alert.threshold': '{metric:term} {value} ({side:code} the threshold {threshold})',
    'alert.above': 'above',
    'alert.below': 'below',
    'alert.drop': '{metric:term} {value}, {pct}% worse than the historical mean {mean}',
    'alert.trend': '{metric:term} {value}, trending towards {projected} within {minutes} min (threshold {threshold})',
    'alert.regional': '{region}: {metric} {value}, {pct}% below the regions’ mean {mean}',
  },
} as const satisfies Record<'it' | 'en', Record<string, string>>;
