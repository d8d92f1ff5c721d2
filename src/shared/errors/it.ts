// Italian text of every error code: {name} is replaced by the param of that name.
import type { ErrorCode } from './codes';

export const it: Record<ErrorCode, string> = {
  'request.unknownOp': 'Operazione sconosciuta: {op}',
  'request.invalid': 'Richiesta non valida: controlla i campi indicati.',
  'session.required': 'Accesso richiesto: entra con il tuo nome utente e la password.',
  'session.expired': 'La sessione è scaduta: entra con il tuo nome utente e la password.',
  'access.forbidden': 'Il tuo ruolo non consente questa azione: chiedi a un amministratore.',
  'app.closing': 'Vedetta si sta chiudendo: riprova fra poco.',
  'internal': 'Errore interno: riprova; se continua, controlla il log.',
  'transport.badResponse': 'Risposta non valida dal processo principale.',
  'transport.httpStatus': 'Il server ha risposto {status}',
  'remote': '{message}',
  'auth.adminExists': "L'amministratore esiste già: entra con nome utente e password.",
  'auth.accountDisabled': 'Questo account è disattivato: chiedi a un amministratore.',
  'auth.badCredentials': 'Nome utente o password non corretti.',
  'auth.wrongPassword': 'Password non corretta.',
  'auth.throttled': 'Troppi tentativi non riusciti: riprova fra {seconds} secondi.',
  'users.usernameTaken': 'Il nome utente «{username}» è già in uso.',
  'users.lastAdmin': '{name} è l’unico amministratore attivo: nomina prima un altro amministratore.',
  'users.lastAdminDelete': '{name} è l’unico amministratore attivo.',
  'users.deleteSelf': 'Non puoi eliminare te stesso.',
  'users.inAudit': '{name} compare nel registro delle attività: si può disattivare, non eliminare.',
  'users.notFound': 'Persona {id} non trovata.',
  'mentions.notFound': 'Menzione {id} non trovata: forse è stata eliminata.',
  'mentions.badCursor': 'La pagina richiesta non è più valida: ricarica l’elenco.',
};
