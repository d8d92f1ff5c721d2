import { z } from 'zod';
import type { Actor } from '../../shared/auth';
import { ApiError, zodDetails, isOpName, operations, type OpName, type OpOutput, type OpParsedInput } from '../../shared/contract';
import { ANONYMOUS_ACTOR, SYSTEM_ACTOR } from '../auth/actor';
import { allows } from '../auth/permissions';
import { parseWorded, zodIssueCode } from '../ingest/zod-it';
import { callAudited, type AuditWriter, type CallContext, type Transaction } from './call-scope';
import { declarationOf } from './op-table';
import type { RefusalLog } from './refusals';

export { currentActor, type AuditWriter, type CallContext } from './call-scope';

export type Handlers = {
  [K in OpName]: (input: OpParsedInput<K>, ctx: CallContext) => Promise<OpOutput<K>> | OpOutput<K>;
};

/**
 * No `caller`: a trusted in-process call (CLI one-shot commands, bench, tests), run as the
 * system actor. Adapters (IPC, HTTP) always pass one, with the session token or null.
 */
export type Dispatch = (op: unknown, input: unknown, caller?: { session: string | null; address?: string | null }) => Promise<unknown>;

/** Session token → the person it belongs to, or null when unknown, expired or disabled. */
export type SessionResolver = (token: string) => Actor | null;

export interface DispatcherOptions {
  /** Who holds a session token (none: every adapter call is anonymous). */
  resolveSession?: SessionResolver;
  /**
   * The audit writer (AuditService.record, hash-chained): every row of every op goes through
   * it, refusals and failures included.
   */
  audit?: AuditWriter;
  /** The store's transaction, for ops declared atomic (their row commits with their change). */
  transaction?: Transaction;
  /**
   * Where refusals go: a RefusalLog writes the first of a kind and counts its repeats within
   * the minute. Without one, each refusal is its own row.
   */
  refusals?: Pick<RefusalLog, 'refuse'>;
}

/**
 * The one place where untrusted calls become typed calls: the op name is checked against
 * the contract, the caller's session against the op's declared access rule (each feature's
 * ops.ts, gathered in ./op-table), and the input parsed by its schema before any handler
 * runs. The audit row is written here too, from the op's declaration: a refused call (no
 * session, wrong role: who tried what, why it was refused), a successful change, or a change
 * whose handler threw (esito 'fallito', with the error's code).
 */
export function createDispatcher(handlers: Handlers, options: DispatcherOptions = {}): Dispatch {
  const resolveSession = options.resolveSession ?? (() => null);
  const audit: AuditWriter = options.audit ?? (() => {});
  const refusals = options.refusals ?? { refuse: (actor: Actor, op: string, detail: Record<string, unknown>) => audit(actor, op, null, detail) };
  const refuse = (actor: Actor, op: OpName, err: ApiError, detail: Record<string, unknown> = {}): ApiError => {
    refusals.refuse(actor, op, { esito: 'rifiutato', motivo: err.key, ...detail });
    return err;
  };
  return async (op, input, caller) => {
    if (!isOpName(op)) throw new ApiError('request.unknownOp', { op: String(op).slice(0, 80) });
    const declaration = declarationOf(op);
    let ctx: CallContext;
    if (caller === undefined) {
      ctx = { actor: SYSTEM_ACTOR, session: null };
    } else {
      const session = typeof caller.session === 'string' && caller.session.length > 0 ? caller.session : null;
      const actor = session ? resolveSession(session) : null;
      const access = declaration.access;
      if (access !== 'public') {
        // A token that opens nothing is a session that ended: the client signs the person out.
        if (!actor) throw refuse(ANONYMOUS_ACTOR, op, new ApiError(session ? 'session.expired' : 'session.required'));
        if (!allows(access, actor)) throw refuse(actor, op, new ApiError('access.forbidden'), { ruoliRichiesti: access });
      }
      ctx = { actor: actor ?? ANONYMOUS_ACTOR, session: actor ? session : null, address: caller.address ?? null };
    }
    const schema = operations[op].input as z.ZodType;
    const parsed = parseWorded(schema, input ?? {}, 'it');
    if (!parsed.success) throw new ApiError('request.invalid', {}, zodDetails(parsed.error, zodIssueCode));
    const handler = handlers[op] as (i: unknown, c: CallContext) => unknown;
    return await callAudited(op, declaration, parsed.data, ctx, () => handler(parsed.data, ctx), {
      audit,
      ...(options.transaction ? { transaction: options.transaction } : {}),
    });
  };
}

/** Any thrown value → the error body every adapter sends. Internal details stay in the log. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  return new ApiError('internal');
}
