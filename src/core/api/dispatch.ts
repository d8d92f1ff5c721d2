import { z } from 'zod';
import type { Actor } from '../../shared/auth';
import {
  ApiError,
  describeZodError,
  isOpName,
  operations,
  type OpName,
  type OpOutput,
  type OpParsedInput,
} from '../../shared/contract';
import { ANONYMOUS_ACTOR, SYSTEM_ACTOR } from '../auth/actor';
import { OP_ACCESS, allows } from '../auth/permissions';

/** Who is calling, resolved by the dispatcher before any handler runs. */
export interface CallContext {
  actor: Actor;
  /** The caller's session token (adapters only): lets auth.signOut end exactly this session. */
  session?: string | null;
}

export type Handlers = {
  [K in OpName]: (input: OpParsedInput<K>, ctx: CallContext) => Promise<OpOutput<K>> | OpOutput<K>;
};

/**
 * No `caller`: a trusted in-process call (CLI one-shot commands, bench, tests), run as the
 * system actor. Adapters (IPC, HTTP) always pass one, with the session token or null.
 */
export type Dispatch = (op: unknown, input: unknown, caller?: { session: string | null }) => Promise<unknown>;

/** Session token → the person it belongs to, or null when unknown, expired or disabled. */
export type SessionResolver = (token: string) => Actor | null;

export const UNAUTHORIZED_MESSAGE = 'Accesso richiesto: entra con il tuo nome utente e la password.';

/**
 * The one place where untrusted calls become typed calls: the op name is checked against
 * the contract, the caller's session against the op's access rule (core/auth/permissions),
 * and the input parsed by its schema before any handler runs.
 */
export function createDispatcher(handlers: Handlers, resolveSession: SessionResolver = () => null): Dispatch {
  return async (op, input, caller) => {
    if (!isOpName(op)) throw new ApiError('invalid', `Operazione sconosciuta: ${String(op).slice(0, 80)}`);
    let ctx: CallContext;
    if (caller === undefined) {
      ctx = { actor: SYSTEM_ACTOR, session: null };
    } else {
      const session = typeof caller.session === 'string' && caller.session.length > 0 ? caller.session : null;
      const actor = session ? resolveSession(session) : null;
      const access = OP_ACCESS[op];
      if (access !== 'public') {
        if (!actor) throw new ApiError('unauthorized', UNAUTHORIZED_MESSAGE);
        if (!allows(access, actor)) {
          throw new ApiError('forbidden', `Il tuo ruolo non consente questa azione (${op}): chiedi a un amministratore.`);
        }
      }
      ctx = { actor: actor ?? ANONYMOUS_ACTOR, session: actor ? session : null };
    }
    const schema = operations[op].input as z.ZodType;
    const parsed = schema.safeParse(input ?? {});
    if (!parsed.success) {
      throw new ApiError('invalid', `Richiesta non valida per ${op}`, describeZodError(parsed.error));
    }
    const handler = handlers[op] as (i: unknown, c: CallContext) => unknown;
    return await handler(parsed.data, ctx);
  };
}

/** Any thrown value → the error body every adapter sends. Internal details stay in the log. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  return new ApiError('internal', 'Errore interno: riprova; se continua, controlla il log.');
}
