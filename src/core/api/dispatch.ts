import { AsyncLocalStorage } from 'node:async_hooks';
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
import { italianErrors } from '../ingest/zod-it';

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

const current = new AsyncLocalStorage<CallContext>();

/**
 * Who is acting in the current call: for audit writers deep in a service that do not get the
 * CallContext passed down (the system actor outside any call: schedulers, CLI).
 */
export function currentActor(): Actor {
  return current.getStore()?.actor ?? SYSTEM_ACTOR;
}

/** Writes one audit row: the dispatcher's refusals go through the same writer as every change. */
export type AuditWriter = (actor: Actor, action: string, subject: string | null, detail: Record<string, unknown>) => void;

/**
 * The one place where untrusted calls become typed calls: the op name is checked against
 * the contract, the caller's session against the op's access rule (core/auth/permissions),
 * and the input parsed by its schema before any handler runs. A refused call (no session,
 * wrong role) is written to the audit: who tried what, and why it was refused.
 */
export function createDispatcher(handlers: Handlers, resolveSession: SessionResolver = () => null, audit: AuditWriter = () => {}): Dispatch {
  const refuse = (actor: Actor, op: OpName, err: ApiError, detail: Record<string, unknown> = {}): ApiError => {
    audit(actor, op, null, { esito: 'rifiutato', motivo: err.key, ...detail });
    return err;
  };
  return async (op, input, caller) => {
    if (!isOpName(op)) throw new ApiError('request.unknownOp', { op: String(op).slice(0, 80) });
    let ctx: CallContext;
    if (caller === undefined) {
      ctx = { actor: SYSTEM_ACTOR, session: null };
    } else {
      const session = typeof caller.session === 'string' && caller.session.length > 0 ? caller.session : null;
      const actor = session ? resolveSession(session) : null;
      const access = OP_ACCESS[op];
      if (access !== 'public') {
        // A token that opens nothing is a session that ended: the client signs the person out.
        if (!actor) throw refuse(ANONYMOUS_ACTOR, op, new ApiError(session ? 'session.expired' : 'session.required'));
        if (!allows(access, actor)) throw refuse(actor, op, new ApiError('access.forbidden'), { ruoliRichiesti: access });
      }
      ctx = { actor: actor ?? ANONYMOUS_ACTOR, session: actor ? session : null };
    }
    const schema = operations[op].input as z.ZodType;
    const parsed = schema.safeParse(input ?? {}, { error: italianErrors });
    if (!parsed.success) throw new ApiError('request.invalid', {}, describeZodError(parsed.error));
    const handler = handlers[op] as (i: unknown, c: CallContext) => unknown;
    return await current.run(ctx, () => handler(parsed.data, ctx));
  };
}

/** Any thrown value → the error body every adapter sends. Internal details stay in the log. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  return new ApiError('internal');
}
