// Italian wording for validation failures of inbound data, where the schema itself does
// not already say it better (its own messages win).
import type { z } from 'zod';

const TYPE_NAMES: Record<string, string> = {
  string: 'un testo',
  number: 'un numero',
  int: 'un numero intero',
  boolean: 'vero/falso',
  object: 'un oggetto',
  array: 'una lista',
  null: 'null',
  undefined: 'niente',
  nan: 'NaN',
  bigint: 'un numero',
};

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number' && Number.isNaN(v)) return 'nan';
  return typeof v;
}

export const italianErrors: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type': {
      if (issue.input === undefined) return 'obbligatorio';
      const expected = TYPE_NAMES[issue.expected] ?? issue.expected;
      const got = TYPE_NAMES[typeOf(issue.input)] ?? typeOf(issue.input);
      return `atteso ${expected}, ricevuto ${got}`;
    }
    case 'too_big':
      if (issue.origin === 'string') return `al massimo ${String(issue.maximum)} caratteri`;
      if (issue.origin === 'array') return `al massimo ${String(issue.maximum)} elementi`;
      return `al massimo ${String(issue.maximum)}`;
    case 'too_small':
      if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? 'non può essere vuoto' : `almeno ${String(issue.minimum)} caratteri`;
      if (issue.origin === 'number' && Number(issue.minimum) === 0) return 'non può essere negativo';
      return `almeno ${String(issue.minimum)}`;
    case 'invalid_format':
      return 'formato non valido';
    case 'invalid_value':
      return `valore non ammesso (ammessi: ${issue.values.map(String).join(', ')})`;
    // Never raised by our schemas' validation of user input (or raised with their own
    // message): zod's default wording is kept. A code a zod upgrade adds fails the lint here.
    case 'custom':
    case 'invalid_element':
    case 'invalid_key':
    case 'invalid_union':
    case 'not_multiple_of':
    case 'unrecognized_keys':
      return undefined;
  }
};
