// Over 400 lines on purpose: the link's one state machine (probes, waiting calls, the event socket) shares its fields, and split apart each half would reach into the other's.
// The desktop app's link to a team workspace (`vedetta serve` on another computer), in the
// main process: the renderer's calls, as they come over IPC, go out as HTTPS calls carrying the
// person's session (`Authorization: Bearer`), and the server's events come back over one
// WebSocket, both on sockets whose certificate matched the pinned fingerprint (pinned-socket).
//
// What a person should never see lost:
// - The link drops (Wi-Fi, the server restarting): calls that could not leave wait for it, up
//   to `waitForLinkMs`, and are then sent once. The server's stale-version checks refuse an
//   edit someone else overtook meanwhile, cleanly. The renderer's form keeps its draft while
//   the call is pending. A call that left but got no answer is not repeated (it may have been
//   applied): the person is told to check.
// - The link comes back by itself: probes with a capped, doubling backoff; the state
//   (online / reconnecting / pin-refused) goes to the renderer, which shows it.
// - A session the server no longer knows is the server's 401, passed on as it is: the
//   renderer's sign-in flow takes it. A socket closed with WS_SESSION_ENDED says the same.
// Nothing here compares a server's time with this computer's clock: timers are relative and
// deadlines are on the monotonic clock, so a clock ten minutes off changes nothing.
import { performance } from 'node:perf_hooks';
import { WebSocket } from 'ws';
import { EventBus } from '../../core/api/events';
import { ApiError, ApiErrorSchema, events as eventSchemas, isEventName, isOpName, operations, type EventName, type OpOutput } from '../../shared/contract';
import type { Actor } from '../../shared/auth';
import { EVENTS_PATH, RPC_PREFIX, WS_SESSION_ENDED } from '../../shared/transport/http-paths';
import { TEAM_INFO_PATH, TeamInfoSchema, type LinkState, type TeamStatus } from '../../shared/workspace';
import { MAX_ANSWER_BYTES, NoAnswerError, pinnedRequest, type PinnedAnswer } from './http';
import { connectPinned, NotConnectedError, PinMismatchError } from './pinned-socket';

export interface TeamClientOptions {
  /** The team workspace's origin, https://host:port (see parseTeamUrl). */
  url: string;
  /** The fingerprint the person confirmed (null: loopback HTTP, nothing to pin). */
  pin: string | null;
  /** How long a call waits for the link to come back before it gives up (and keeps nothing). */
  waitForLinkMs?: number;
  /** The reconnection backoff: the first wait, doubled at each failure up to the cap. */
  backoff?: { firstMs: number; maxMs: number };
  /** How long an answer may take once the request left (an import of a large file takes a while). */
  requestTimeoutMs?: number;
  /** A socket silent this long (the server pings every 30 s) is taken as a dropped link. */
  silenceMs?: number;
  connectTimeoutMs?: number;
  onStatus?: (status: TeamStatus) => void;
  /** The server closed the event socket because the session ended (or refused it). */
  onSessionEnded?: () => void;
  log?: { warn(msg: string, extra?: Record<string, unknown>): void };
}

export class TeamClient {
  /** The server's events, as core's bus delivers them locally: notify.ts and forwardEvents take it as it is. */
  readonly events = new EventBus();
  readonly url: string;
  readonly pin: string | null;

  readonly #o: Required<Omit<TeamClientOptions, 'onStatus' | 'onSessionEnded' | 'log' | 'url' | 'pin'>>;
  readonly #opts: TeamClientOptions;
  #closed = false;
  /** The last contact over HTTP succeeded. */
  #reachable = false;
  #everOnline = false;
  #refused: PinMismatchError | null = null;
  #attempt = 0;
  #retryInMs: number | null = null;
  #probeTimer: ReturnType<typeof setTimeout> | null = null;
  #probing = false;
  #waiters = new Set<() => void>();
  #lastStatus = '';

  /** The session the renderer's calls carry; the event socket is opened for it. */
  #session: string | null = null;
  /** Who the window's session is, as the server last said (sign-in, auth.status): whose turn a notification is. */
  #actor: Actor | null = null;
  /** A session the server ended (socket closed with 4401, or upgrade refused): not retried. */
  #endedSession: string | null = null;
  #ws: WebSocket | null = null;
  #wsAcked = false;
  /** The socket is being opened for the current session (its ack not heard yet). */
  #wsOpening = false;
  /** The link dropped since events last flowed: back "online" only once they flow again. */
  #dropped = false;
  #wsGen = 0;
  #silence: ReturnType<typeof setTimeout> | null = null;

  constructor(opts: TeamClientOptions) {
    this.#opts = opts;
    this.url = opts.url;
    this.pin = opts.pin;
    this.#o = {
      waitForLinkMs: opts.waitForLinkMs ?? 120_000,
      backoff: opts.backoff ?? { firstMs: 500, maxMs: 15_000 },
      requestTimeoutMs: opts.requestTimeoutMs ?? 300_000,
      silenceMs: opts.silenceMs ?? 75_000,
      connectTimeoutMs: opts.connectTimeoutMs ?? 8_000,
    };
  }

  /** First contact; the state follows in onStatus. */
  start(): void {
    this.#emitStatus();
    void this.#probe();
  }

  status(): TeamStatus {
    return {
      state: this.#state(),
      url: this.url,
      pinned: this.pin,
      presented: this.#refused?.presented ?? null,
      attempt: this.#attempt,
      retryInMs: this.#retryInMs,
    };
  }

  /** The person signed in on the window, when known; null when signed out. */
  actor(): Actor | null {
    return this.#actor;
  }

  /** The window's session, as its calls carry it (null: signed out). */
  session(): string | null {
    return this.#session;
  }

  /** Told when the person signed in on the window changes (signed in, out, or another). */
  onActor(listener: (actor: Actor | null) => void): () => void {
    this.#actorListeners.add(listener);
    return () => this.#actorListeners.delete(listener);
  }

  #actorListeners = new Set<(actor: Actor | null) => void>();
  #setActor(actor: Actor | null): void {
    const changed = (actor?.userId ?? null) !== (this.#actor?.userId ?? null);
    this.#actor = actor;
    if (changed) for (const l of this.#actorListeners) l(actor);
  }

  /** Events flow: the server acknowledged the session on the event socket. */
  listening(): boolean {
    return this.#wsAcked;
  }

  /**
   * Try the link now (the person pressed "Riprova"): the backoff starts again. Resolves once
   * this try is over, so the person hears its outcome (still refused, say).
   */
  async retry(): Promise<void> {
    if (this.#closed) return;
    this.#refused = null;
    this.#attempt = 0;
    if (this.#probeTimer) clearTimeout(this.#probeTimer);
    this.#probeTimer = null;
    this.#emitStatus();
    await this.#probe();
  }

  /**
   * One call of the contract, with the signed-in person's session. Resolves with the server's
   * answer, or throws an ApiError: the server's refusal as it sent it, or ours (pin refused,
   * unreachable for too long, answer lost).
   */
  async dispatch(op: unknown, input: unknown, caller?: { session: string | null }): Promise<unknown> {
    if (typeof op !== 'string') throw new ApiError('request.unknownOp', { op: String(op) });
    const session = caller?.session ?? null;
    this.#noteSession(session);
    const deadline = performance.now() + this.#o.waitForLinkMs;
    for (;;) {
      if (this.#closed) throw new ApiError('app.closing');
      if (this.#refused) throw this.#pinError(this.#refused);
      if (!this.#reachable) await this.#waitForLink(deadline);
      let answer: PinnedAnswer;
      try {
        answer = await this.#send('POST', `${RPC_PREFIX}${op}`, JSON.stringify(input ?? {}), session);
      } catch (err) {
        if (err instanceof PinMismatchError) {
          this.#pinRefused(err);
          throw this.#pinError(err);
        }
        if (err instanceof NotConnectedError) {
          // Nothing left: wait for the link and send it then, once.
          this.#linkDown();
          continue;
        }
        if (err instanceof NoAnswerError) {
          this.#linkDown();
          throw new ApiError('team.outcomeUnknown', { url: this.url });
        }
        throw err;
      }
      this.#linkUp();
      return this.#result(op, answer, session);
    }
  }

  close(): void {
    this.#closed = true;
    if (this.#probeTimer) clearTimeout(this.#probeTimer);
    this.#probeTimer = null;
    this.#closeSocket();
    for (const w of this.#waiters) w();
    this.#waiters.clear();
  }

  // ── Answers ────────────────────────────────────────────────────────────────────────────

  #result(op: string, answer: { status: number; body: unknown }, session: string | null): unknown {
    if (answer.status === 200) {
      let value = answer.body;
      if (isOpName(op)) {
        const parsed = operations[op].output.safeParse(answer.body);
        if (!parsed.success) throw new ApiError('transport.badResponse');
        value = parsed.data;
      }
      // The session a sign-in grants (or a sign-out ends) opens (or closes) the event socket at once.
      if (op === 'auth.signIn' || op === 'auth.setup' || op === 'auth.demoSignIn') {
        const grant = value as OpOutput<'auth.signIn'>;
        this.#setActor(grant.actor);
        this.#noteSession(grant.token);
      }
      if (op === 'auth.status') this.#setActor((value as OpOutput<'auth.status'>).actor);
      if (op === 'auth.signOut' && session !== null) {
        this.#setActor(null);
        this.#noteSession(null);
      }
      return value;
    }
    const err = ApiErrorSchema.safeParse((answer.body as { error?: unknown } | null)?.error);
    if (err.success) throw ApiError.fromBody(err.data);
    throw new ApiError('transport.httpStatus', { status: answer.status });
  }

  #pinError(e: PinMismatchError): ApiError {
    return new ApiError('team.pinMismatch', { url: this.url, pinned: e.pinned, presented: e.presented });
  }

  // ── HTTP over a pinned socket ──────────────────────────────────────────────────────────

  #send(method: 'GET' | 'POST', path: string, body: string | null, session: string | null): Promise<PinnedAnswer> {
    return pinnedRequest({ origin: this.url, pin: this.pin, method, path, body, session, connectTimeoutMs: this.#o.connectTimeoutMs, timeoutMs: this.#o.requestTimeoutMs });
  }

  // ── The link's state ───────────────────────────────────────────────────────────────────

  #state(): LinkState {
    if (this.#refused) return 'pin-refused';
    // A socket being opened for a new session counts as flowing: a "riconnessione…" flashing at
    // every sign-in would cry wolf (one that fails to open drops the link anyway). After a drop,
    // though, "online" waits for the events: the renderer re-reads its views at that moment.
    const opening = this.#wsOpening && !this.#dropped;
    const eventsFlow = this.#session === null || this.#wsAcked || opening || this.#endedSession === this.#session;
    if (this.#reachable && eventsFlow) return 'online';
    return this.#everOnline ? 'reconnecting' : 'connecting';
  }

  #emitStatus(): void {
    const s = this.status();
    if (s.state === 'online') this.#everOnline = true;
    const key = JSON.stringify(s);
    if (key === this.#lastStatus) return;
    this.#lastStatus = key;
    this.#opts.onStatus?.(s);
  }

  #linkUp(): void {
    const was = this.#reachable;
    this.#reachable = true;
    // Signed out, nothing was missed: the next sign-in's socket may count as flowing while it opens.
    if (this.#session === null) this.#dropped = false;
    this.#attempt = 0;
    this.#retryInMs = null;
    if (this.#probeTimer) clearTimeout(this.#probeTimer);
    this.#probeTimer = null;
    if (!was) {
      for (const w of this.#waiters) w();
      this.#waiters.clear();
    }
    if (this.#session && this.#session !== this.#endedSession && !this.#ws) void this.#openSocket();
    this.#emitStatus();
  }

  #linkDown(): void {
    if (this.#closed) return;
    this.#reachable = false;
    this.#dropped = true;
    this.#closeSocket();
    this.#scheduleProbe();
    this.#emitStatus();
  }

  #pinRefused(e: PinMismatchError): void {
    this.#opts.log?.warn('team workspace: certificate does not match the pinned fingerprint', { url: this.url, pinned: e.pinned, presented: e.presented });
    this.#refused = e;
    this.#reachable = false;
    this.#closeSocket();
    if (this.#probeTimer) clearTimeout(this.#probeTimer);
    this.#probeTimer = null;
    this.#retryInMs = null;
    // Waiting calls learn it at once: they are refused, not kept waiting for a link that will not come.
    for (const w of this.#waiters) w();
    this.#waiters.clear();
    this.#emitStatus();
  }

  #scheduleProbe(): void {
    if (this.#closed || this.#refused || this.#probeTimer || this.#probing) return;
    const { firstMs, maxMs } = this.#o.backoff;
    const delay = Math.min(firstMs * 2 ** Math.min(this.#attempt, 20), maxMs);
    this.#attempt += 1;
    this.#retryInMs = delay;
    this.#probeTimer = setTimeout(() => {
      this.#probeTimer = null;
      void this.#probe();
    }, delay);
  }

  /** Is the server there, with the pinned certificate? GET /api/v1/team, which needs no session. */
  async #probe(): Promise<void> {
    if (this.#closed || this.#probing || this.#refused) return;
    this.#probing = true;
    let ok = false;
    try {
      const answer = await this.#send('GET', TEAM_INFO_PATH, null, null);
      // A proxy answering for a server that is restarting (502…) is not the workspace yet.
      ok = answer.status === 200 && TeamInfoSchema.safeParse(answer.body).success;
    } catch (err) {
      if (err instanceof PinMismatchError) {
        this.#probing = false;
        this.#pinRefused(err);
        return;
      }
    }
    this.#probing = false;
    if (this.#closed) return;
    if (ok) this.#linkUp();
    else this.#linkDown();
  }

  #waitForLink(deadline: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const left = deadline - performance.now();
      const timer = setTimeout(() => {
        this.#waiters.delete(wake);
        reject(new ApiError('team.unreachable', { url: this.url, seconds: Math.round(this.#o.waitForLinkMs / 1000) }));
      }, Math.max(0, left));
      const wake = (): void => {
        clearTimeout(timer);
        resolve();
      };
      this.#waiters.add(wake);
      // Nobody may be probing yet (the first call after a quiet spell): start.
      if (!this.#probeTimer && !this.#probing && !this.#refused) void this.#probe();
    });
  }

  // ── The event socket ───────────────────────────────────────────────────────────────────

  #noteSession(session: string | null): void {
    if (session === this.#session) return;
    this.#session = session;
    if (session === null) this.#setActor(null);
    this.#closeSocket();
    if (session && this.#reachable && session !== this.#endedSession) void this.#openSocket();
    this.#emitStatus();
  }

  #closeSocket(): void {
    this.#wsGen += 1;
    this.#wsAcked = false;
    this.#wsOpening = false;
    if (this.#silence) clearTimeout(this.#silence);
    this.#silence = null;
    const ws = this.#ws;
    this.#ws = null;
    if (ws) ws.terminate();
  }

  #heard(ws: WebSocket): void {
    if (this.#silence) clearTimeout(this.#silence);
    this.#silence = setTimeout(() => {
      // A link that died without a close (a cable pulled, a laptop asleep): nothing will tell us.
      if (this.#ws === ws) this.#linkDown();
    }, this.#o.silenceMs);
  }

  async #openSocket(): Promise<void> {
    const session = this.#session;
    if (!session || this.#closed) return;
    const gen = ++this.#wsGen;
    this.#wsOpening = true;
    let conn: Awaited<ReturnType<typeof connectPinned>>;
    try {
      conn = await connectPinned(this.url, this.pin, this.#o.connectTimeoutMs);
    } catch (err) {
      if (gen !== this.#wsGen) return;
      if (err instanceof PinMismatchError) this.#pinRefused(err);
      else this.#linkDown();
      return;
    }
    if (gen !== this.#wsGen || this.#session !== session || this.#closed) {
      conn.socket.destroy();
      return;
    }
    const wsUrl = `${this.url.replace(/^http/, 'ws')}${EVENTS_PATH}`;
    const ws = new WebSocket(wsUrl, {
      createConnection: () => conn.socket,
      headers: { authorization: `Bearer ${session}` },
      perMessageDeflate: false,
      maxPayload: MAX_ANSWER_BYTES,
      handshakeTimeout: this.#o.connectTimeoutMs,
    });
    this.#ws = ws;
    let refusedAtUpgrade = false;
    ws.on('open', () => {
      // Said again as a message too: a server that reads the session only from the first message still gets it.
      ws.send(JSON.stringify({ session }));
      this.#heard(ws);
    });
    ws.on('ping', () => this.#heard(ws));
    ws.on('message', (data, isBinary) => {
      if (this.#ws !== ws) return;
      this.#heard(ws);
      if (isBinary) return;
      let msg: unknown;
      try {
        msg = JSON.parse(String(data));
      } catch {
        return;
      }
      if (typeof msg !== 'object' || msg === null) return;
      if ((msg as { session?: unknown }).session === 'ok') {
        this.#wsAcked = true;
        this.#wsOpening = false;
        this.#dropped = false;
        this.#emitStatus();
        return;
      }
      const { event, payload } = msg as { event?: unknown; payload?: unknown };
      if (!isEventName(event)) return;
      this.#deliver(event, payload);
    });
    ws.on('error', (err) => {
      // ws words an HTTP refusal of the upgrade this way; 401/403 is the session, not the link.
      const m = /Unexpected server response: (\d+)/.exec(err.message);
      if (m && (m[1] === '401' || m[1] === '403')) refusedAtUpgrade = true;
    });
    ws.on('close', (code) => {
      if (this.#ws !== ws) return;
      this.#ws = null;
      this.#wsAcked = false;
      this.#wsOpening = false;
      if (this.#silence) clearTimeout(this.#silence);
      this.#silence = null;
      if (code === WS_SESSION_ENDED || refusedAtUpgrade) {
        this.#endedSession = session;
        this.#setActor(null);
        this.#emitStatus();
        this.#opts.onSessionEnded?.();
        return;
      }
      this.#linkDown();
    });
  }

  #deliver(event: EventName, payload: unknown): void {
    const parsed = eventSchemas[event].safeParse(payload);
    if (!parsed.success) {
      this.#opts.log?.warn('team workspace: an event did not match the contract', { event });
      return;
    }
    this.events.emit(event, parsed.data as never);
  }
}
