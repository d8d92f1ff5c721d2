// What each op declares beside its handler (who may call it, whether and how it is audited),
// and the per-call scope through which the dispatcher writes the call's one audit row.
//
// Services never write the row of an op themselves: they hand the facts only they know
// (before/after, version numbers, a content hash, why they refused) to the call in progress
// with noteAudit(), or say with skipAudit() that nothing changed. The dispatcher merges them
// into the row the declaration describes, after the handler returns (or inside its
// transaction, for ops declared `atomic`), or writes a failure row when the handler throws.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Actor } from '../../shared/auth';
import { ApiError, type OpName, type OpOutput, type OpParsedInput } from '../../shared/contract';
import { SYSTEM_ACTOR } from '../auth/actor';
import type { Access } from '../auth/permissions';

/** Who is calling, resolved by the dispatcher before any handler runs. */
export interface CallContext {
  actor: Actor;
  /** The caller's session token (adapters only): lets auth.signOut end exactly this session. */
  session?: string | null;
  /** The caller's network address, when the adapter has one (the server): sign-in throttling. */
  address?: string | null;
}

/** One row of the audit log, as the one writer (AuditService.record) takes it. */
export type AuditWriter = (actor: Actor, action: string, subject: string | null, detail: Record<string, unknown>, contentHash?: string | null) => void;

/** What a declaration says a successful call was: by default the action is the op's name. */
export interface AuditFacts {
  subject: string | null;
  detail?: Record<string, unknown>;
  contentHash?: string | null;
  /** A finer name than the op's (responses.decide → responses.approve, users.update → users.roles). */
  action?: string;
  /** Who the row names when it is not the caller (auth.setup and auth.signIn: the person signed in). */
  actor?: Actor;
}

/**
 * Facts a service hands to the call in progress. On success `detail` is merged into the row
 * (the note wins) and `contentHash` fills in when the declaration gives none; on failure the
 * note says what the refused or failed attempt was (action, subject, actor, why).
 */
export interface AuditNote {
  action?: string;
  subject?: string | null;
  actor?: Actor;
  detail?: Record<string, unknown>;
  contentHash?: string | null;
}

export interface AuditCall {
  /** The caller (the system actor for trusted in-process calls). */
  actor: Actor;
  /** What the service noted during the call, if anything. */
  note: AuditNote | null;
}

/** null: nothing worth a row happened (a repeated click, a label set to what it was). */
export type AuditDescriber<K extends OpName> = (input: OpParsedInput<K>, output: OpOutput<K>, call: AuditCall) => AuditFacts | null;

interface DeclarationBase<K extends OpName> {
  access: Access;
  /**
   * What the call is about, from its input alone (updates, deletes): a failed attempt's row
   * names it, since there is no output to describe.
   */
  target?: (input: OpParsedInput<K>) => string;
}

/**
 * An op that changes stored state (or publishes, or signs someone in or out): always
 * audited. `atomic`: the row is written in the same transaction as the change (the handler
 * must be synchronous).
 */
export interface WriteDeclaration<K extends OpName> extends DeclarationBase<K> {
  mutates: true;
  audit: AuditDescriber<K>;
  atomic?: true;
}

/** A read, a preview or a probe: changes nothing stored, audited only where it says so (exports). */
export interface ReadDeclaration<K extends OpName> extends DeclarationBase<K> {
  mutates: false;
  audit: false | AuditDescriber<K>;
}

export type OpDeclaration<K extends OpName> = WriteDeclaration<K> | ReadDeclaration<K>;

/** A declaration for each op of K: leaving one out is a compile error. */
export type OpDeclarations<K extends OpName> = { [P in K]: OpDeclaration<P> };

/** Runs fn in one database transaction (better-sqlite3: synchronous only). */
export type Transaction = <T>(fn: () => T) => T;

interface CallScope {
  ctx: CallContext;
  note: AuditNote | null;
  skip: boolean;
}

const current = new AsyncLocalStorage<CallScope>();

/**
 * Who is acting in the current call: for code deep in a service that does not get the
 * CallContext passed down (the system actor outside any call: schedulers, CLI).
 */
export function currentActor(): Actor {
  return current.getStore()?.ctx.actor ?? SYSTEM_ACTOR;
}

/** Hands facts only this service knows to the audit row of the call in progress (no-op outside a call). */
export function noteAudit(note: AuditNote): void {
  const scope = current.getStore();
  if (!scope) return;
  const detail = note.detail || scope.note?.detail ? { ...scope.note?.detail, ...note.detail } : undefined;
  scope.note = { ...scope.note, ...note, ...(detail ? { detail } : {}) };
}

/** The call changed nothing (a second click, a status already set): it writes no row. */
export function skipAudit(): void {
  const scope = current.getStore();
  if (scope) scope.skip = true;
}

function isThenable(x: unknown): x is PromiseLike<unknown> {
  return x !== null && (typeof x === 'object' || typeof x === 'function') && typeof (x as { then?: unknown }).then === 'function';
}

type LooseDescriber = (input: unknown, output: unknown, call: AuditCall) => AuditFacts | null;
type LooseDeclaration = { access: Access; mutates: boolean; audit: false | LooseDescriber; atomic?: true; target?: (input: unknown) => string };

export interface AuditedCallDeps {
  audit: AuditWriter;
  transaction?: Transaction;
}

/**
 * Runs one handler call in its scope and writes its audit row from the declaration: the
 * success row (unless the describer or the service says nothing changed), or, when the
 * handler throws, a failure row with the error's code, so who tried what stays on record.
 * Returns what run returns: a synchronous handler's row is written before this returns.
 */
export function callAudited<T>(op: OpName, declaration: OpDeclaration<OpName>, input: unknown, ctx: CallContext, run: () => T, deps: AuditedCallDeps): T {
  const decl = declaration as unknown as LooseDeclaration;
  const scope: CallScope = { ctx, note: null, skip: false };
  const describe = decl.audit;
  if (describe === false) return current.run(scope, run);
  let written = false;
  const succeed = (output: unknown): void => {
    const facts = scope.skip ? null : describe(input, output, { actor: ctx.actor, note: scope.note });
    if (facts) {
      const note = scope.note;
      const detail = { ...facts.detail, ...note?.detail };
      deps.audit(facts.actor ?? ctx.actor, facts.action ?? op, facts.subject, detail, facts.contentHash ?? note?.contentHash ?? null);
    }
    written = true;
  };
  const fail = (err: unknown): never => {
    if (!written) {
      const note = scope.note;
      const e = err instanceof ApiError ? err : new ApiError('internal');
      const why: Record<string, unknown> = { esito: 'fallito', motivo: e.key ?? e.code };
      // An error still in the old literal form has no code that says why: keep its words,
      // unless the service's note already gives them.
      if (!e.key && note?.detail?.esito === undefined) why.messaggio = e.message;
      const subject = note?.subject !== undefined ? note.subject : (decl.target?.(input) ?? null);
      try {
        deps.audit(note?.actor ?? ctx.actor, note?.action ?? op, subject, { ...why, ...note?.detail }, note?.contentHash ?? null);
      } catch {
        // The caller hears of the call's own error, not of a log that could not take its row
        // (the store closing under it); a row that cannot be written is lost with the store.
      }
    }
    throw err;
  };
  try {
    const out = current.run(scope, () => {
      if (!decl.atomic || !deps.transaction) return run();
      return deps.transaction(() => {
        const o = run();
        if (isThenable(o)) throw new Error(`${op}: an atomic op must have a synchronous handler`);
        succeed(o);
        return o;
      });
    });
    if (isThenable(out)) {
      return Promise.resolve(out)
        .then((o) => {
          if (!written) current.run(scope, () => succeed(o));
          return o;
        })
        .catch(fail) as T;
    }
    if (!written) succeed(out);
    return out;
  } catch (err) {
    return fail(err);
  }
}
