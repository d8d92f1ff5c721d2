// URL layout of the HTTP adapter, shared by the server and the HTTP client.
export const RPC_PREFIX = '/api/v1/rpc/';
export const EVENTS_PATH = '/api/v1/events';
export const TOKEN_QUERY = 'token';
/**
 * The close code of an event socket whose session ended (signed out elsewhere, "esci
 * ovunque", disabled, expired): the client signs the person out instead of waiting for a call.
 */
export const WS_SESSION_ENDED = 4401;
/** Header carrying the signed-in person's session token (the Bearer token is the per-run one). */
export const SESSION_HEADER = 'x-vedetta-session';
/**
 * On a team server a browser's session lives in an HttpOnly cookie its scripts cannot read;
 * the sign-in answer carries this word where the token would be, and the page sends it back
 * to mean "my cookie" (the server never takes it for a token).
 */
export const COOKIE_SESSION = 'cookie';
/** A team server's identity, public: `{ workspace: 'team', publicUrl, fingerprint }`. */
export const TEAM_PATH = '/api/v1/team';
export const WEBHOOK_MENTIONS_PATH = '/api/v1/webhook/mentions';
export const WEBHOOK_METRICS_PATH = '/api/v1/webhook/metrics';
/** The UI reads its per-run token from the URL fragment, which never reaches the server log. */
export const TOKEN_FRAGMENT = 'token';
/**
 * What `serve` prints and the launcher hands to Chromium: `/#code=…`, a one-time code the
 * page trades at OPEN_PATH for the per-run token (see src/server/open-codes.ts).
 */
export const CODE_FRAGMENT = 'code';
export const OPEN_PATH = '/api/v1/open';

/** Error code → HTTP status, used by the server; the client maps back through the body. */
export const STATUS_BY_CODE = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  rate_limited: 429,
  internal: 500,
} as const;
