import { z } from 'zod';
import {
  ApiError,
  describeZodError,
  isOpName,
  operations,
  type OpName,
  type OpOutput,
  type OpParsedInput,
} from '../../shared/contract';

export type Handlers = {
  [K in OpName]: (input: OpParsedInput<K>) => Promise<OpOutput<K>> | OpOutput<K>;
};

export type Dispatch = (op: unknown, input: unknown) => Promise<unknown>;

/**
 * The one place where untrusted calls become typed calls: the op name is checked against
 * the contract and the input parsed by its schema before any handler runs.
 */
export function createDispatcher(handlers: Handlers): Dispatch {
  return async (op, input) => {
    if (!isOpName(op)) throw new ApiError('invalid', `Operazione sconosciuta: ${String(op).slice(0, 80)}`);
    const schema = operations[op].input as z.ZodType;
    const parsed = schema.safeParse(input ?? {});
    if (!parsed.success) {
      throw new ApiError('invalid', `Richiesta non valida per ${op}`, describeZodError(parsed.error));
    }
    const handler = handlers[op] as (i: unknown) => unknown;
    return await handler(parsed.data);
  };
}

/** Any thrown value → the error body every adapter sends. Internal details stay in the log. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  return new ApiError('internal', 'Errore interno: riprova; se continua, controlla il log.');
}
