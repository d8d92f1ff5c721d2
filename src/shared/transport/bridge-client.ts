// The typed client on the renderer side of the Electron bridge: turns the envelopes the
// preload passes through back into values or ApiErrors (with code and details intact).
import {
  ApiError,
  ApiErrorSchema,
  type EventName,
  type EventPayload,
  type OpInput,
  type OpName,
  type OpOutput,
  type VedettaApi,
} from '../contract';
import type { VedettaBridge } from './ipc';

export function unwrapResult(res: unknown): unknown {
  if (typeof res === 'object' && res !== null) {
    const r = res as { ok?: unknown; value?: unknown; error?: unknown };
    if (r.ok === true) return r.value;
    if (r.ok === false) {
      const parsed = ApiErrorSchema.safeParse(r.error);
      if (parsed.success) throw ApiError.fromBody(parsed.data);
    }
  }
  throw new ApiError('transport.badResponse');
}

/** `session` gives the current session token at each call (null before sign-in). */
export function createBridgeClient(bridge: VedettaBridge, session: () => string | null = () => null): VedettaApi {
  return {
    async call<K extends OpName>(op: K, input: OpInput<K>): Promise<OpOutput<K>> {
      return unwrapResult(await bridge.invoke(op, input ?? {}, session())) as OpOutput<K>;
    },
    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
      return bridge.on(event, listener as (p: unknown) => void);
    },
  };
}
