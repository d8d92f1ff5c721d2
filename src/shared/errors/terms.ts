// Words an error names by value (a response's state, a review step, a role, a checklist item):
// an error's param holds the term's key, and `{name:term}` in a text renders it in the
// language of the text (`{name:terms}`: a comma-separated list of keys).
export const TERMS = {
  it: {
    'responseState.draft': 'una bozza',
    'responseState.in_review': 'in approvazione',
    'responseState.changes_requested': 'da modificare',
    'responseState.rejected': 'rifiutata',
    'responseState.approved': 'approvata',
    'responseState.publishing': 'in pubblicazione',
    'responseState.published': 'già pubblicata',
    'responseState.failed': 'non pubblicata per un errore',
    'step.legal': 'revisione legale',
    'step.second': 'seconda approvazione',
    'step.owner': "approvazione dell'owner",
    'role.admin': 'amministratore',
    'role.strategist': 'strategist',
    'role.manager': 'social media manager',
    'role.legal': 'legale',
    'role.owner': 'owner',
    'role.analyst': 'analista',
    'check.timing': 'tempismo',
    'check.pertinence': 'pertinenza ai temi del brand',
    'check.brandImage': "coerenza con l'immagine del brand",
    'check.product': 'presenza del prodotto',
  },
  en: {
    'responseState.draft': 'a draft',
    'responseState.in_review': 'in review',
    'responseState.changes_requested': 'awaiting changes',
    'responseState.rejected': 'rejected',
    'responseState.approved': 'approved',
    'responseState.publishing': 'being published',
    'responseState.published': 'already published',
    'responseState.failed': 'not published because of an error',
    'step.legal': 'legal review',
    'step.second': 'second approval',
    'step.owner': 'owner approval',
    'role.admin': 'administrator',
    'role.strategist': 'strategist',
    'role.manager': 'social media manager',
    'role.legal': 'legal',
    'role.owner': 'owner',
    'role.analyst': 'analyst',
    'check.timing': 'timing',
    'check.pertinence': 'pertinence to the brand’s themes',
    'check.brandImage': 'coherence with the brand image',
    'check.product': 'product presence',
  },
} as const satisfies Record<'it' | 'en', Record<string, string>>;

export type TermKey = keyof (typeof TERMS)['it'];

/** A term as an error param (typed: only keys that have a text). */
export const term = (key: TermKey): string => key;
/** Several terms as one param, rendered as a list by `{name:terms}`. */
export const terms = (keys: readonly TermKey[]): string => keys.join(',');
