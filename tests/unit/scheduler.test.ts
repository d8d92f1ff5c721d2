// The scheduler's timing rules with a fake clock and in-memory connectors (the feed
// connector over real HTTP is covered in tests/integration/sources-scheduler.test.ts).
import { describe, expect, it } from 'vitest';
import type { Connector, ConnectorError, PollContext, PollOutcome } from '../../src/core/sources/ports';
import { Scheduler, type SchedulerClock, type ScheduledSource, type SchedulerStore } from '../../src/core/sources/scheduler';
import type { InboundMention } from '../../src/shared/schemas';
import { FAILURES_BEFORE_PAUSE } from '../../src/shared/sources';

class FakeClock implements SchedulerClock {
  t = Date.UTC(2026, 0, 1);
  private timers: { at: number; fn: () => void; id: number }[] = [];
  private seq = 0;
  now = (): number => this.t;
  setTimer = (fn: () => void, ms: number): unknown => {
    const id = ++this.seq;
    this.timers.push({ at: this.t + ms, fn, id });
    return id;
  };
  clearTimer = (h: unknown): void => {
    this.timers = this.timers.filter((x) => x.id !== h);
  };
  /** Moves time forward, firing timers in order, letting promises settle in between. */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      await settle();
      const next = this.timers.filter((x) => x.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!next) break;
      this.t = Math.max(this.t, next.at);
      this.timers = this.timers.filter((x) => x !== next);
      next.fn();
    }
    this.t = end;
    await settle();
  }
}

async function settle(): Promise<void> {
  for (let i = 0; i < 40; i++) await new Promise((r) => setImmediate(r));
}

type Script = (ctx: PollContext, n: number) => Promise<PollOutcome> | PollOutcome;

function fakeConnector(script: Script): Connector<'rss'> & { calls: number; signals: AbortSignal[] } {
  const c = {
    kind: 'rss' as const,
    calls: 0,
    signals: [] as AbortSignal[],
    host: (cfg: { url: string }) => new URL(cfg.url).host,
    poll: async (_cfg: { url: string }, _state: Record<string, unknown>, ctx: PollContext) => {
      c.calls++;
      c.signals.push(ctx.signal);
      return script(ctx, c.calls);
    },
  };
  return c;
}

function memoryStore() {
  const successes: { id: number; at: number; nextPollAt: number }[] = [];
  const failures: { id: number; at: number; error: ConnectorError; failures: number; nextPollAt: number | null; pausedReason?: string }[] = [];
  const store: SchedulerStore = {
    recordSuccess: (id, r) => successes.push({ id, at: r.at, nextPollAt: r.nextPollAt }),
    recordFailure: (id, r) => failures.push({ id, ...r }),
  };
  return { store, successes, failures };
}

const src = (id: number, over: Partial<ScheduledSource> = {}): ScheduledSource => ({
  id,
  kind: 'rss',
  name: `Fonte ${id}`,
  config: { url: `http://host${over.config ? '' : ''}.test/feed/${id}` },
  intervalSec: 60,
  state: {},
  enabled: true,
  nextPollAt: null,
  consecutiveFailures: 0,
  ...over,
});

const item = (n: number): InboundMention => ({ source: 'x', external_id: `i${n}`, text: `testo ${n}` });
const ok = (items: InboundMention[] = [], extra: Partial<Extract<PollOutcome, { ok: true }>> = {}): PollOutcome => ({ ok: true, items, problems: [], state: {}, ...extra });
const fail = (error: Partial<ConnectorError> = {}): PollOutcome => ({ ok: false, error: { kind: 'http_status', message: 'il feed ha risposto 500', httpStatus: 500, ...error } });

function setup(script: Script, opts: { random?: () => number; maxPerHost?: number } = {}) {
  const clock = new FakeClock();
  const connector = fakeConnector(script);
  const mem = memoryStore();
  const sunk: { id: number; items: InboundMention[] }[] = [];
  const paused: { id: number; reason: string }[] = [];
  const scheduler = new Scheduler({
    connectors: { rss: connector },
    store: mem.store,
    sink: (s, items) => {
      sunk.push({ id: s.id, items });
      return { accepted: items.length, duplicates: 0 };
    },
    clock,
    random: opts.random ?? (() => 0),
    ...(opts.maxPerHost !== undefined ? { maxPerHost: opts.maxPerHost } : {}),
    onPaused: (s, reason) => paused.push({ id: s.id, reason }),
  });
  return { clock, connector, scheduler, sunk, paused, ...mem };
}

describe('scheduler', () => {
  it('polls a source at once and then at its interval, handing items to the sink', async () => {
    const { clock, connector, scheduler, sunk, successes } = setup((_c, n) => ok([item(n)]));
    scheduler.upsert(src(1));
    scheduler.start();
    await clock.advance(0);
    expect(connector.calls).toBe(1);
    expect(sunk).toHaveLength(1);
    expect(successes[0]?.nextPollAt).toBe(clock.t + 60_000);
    await clock.advance(59_000);
    expect(connector.calls).toBe(1);
    await clock.advance(1_000);
    expect(connector.calls).toBe(2);
    scheduler.stop();
  });

  it('never polls more than maxPerHost sources of one host at once; other hosts are not held back', async () => {
    const releases: (() => void)[] = [];
    let peak = 0;
    let inFlight = 0;
    const { clock, connector, scheduler } = setup(
      () =>
        new Promise<PollOutcome>((resolve) => {
          inFlight++;
          peak = Math.max(peak, inFlight);
          releases.push(() => {
            inFlight--;
            resolve(ok());
          });
        }),
      { maxPerHost: 2 },
    );
    for (let i = 1; i <= 5; i++) scheduler.upsert(src(i, { config: { url: `http://same.test/feed/${i}` } }));
    scheduler.upsert(src(9, { config: { url: 'http://other.test/feed' } }));
    scheduler.start();
    await clock.advance(0);
    expect(connector.calls).toBe(3); // two of same.test, one of other.test
    while (releases.length) {
      releases.shift()?.();
      await clock.advance(0);
    }
    expect(connector.calls).toBe(6);
    expect(peak).toBeLessThanOrEqual(3);
    scheduler.stop();
  });

  it('backs off exponentially with jitter and pauses after N failures in a row, saying why', async () => {
    const { clock, scheduler, failures, paused } = setup(() => fail(), { random: () => 0 });
    scheduler.upsert(src(1));
    scheduler.start();
    await clock.advance(0);
    for (let i = 0; i < 10; i++) await clock.advance(10 * 60_000);
    expect(failures).toHaveLength(FAILURES_BEFORE_PAUSE);
    const delays = failures.slice(0, -1).map((f) => (f.nextPollAt ?? 0) - f.at);
    // random() = 0 → the lower edge of the jitter: half of interval × 2^(n−1).
    expect(delays).toEqual([30_000, 60_000, 120_000, 240_000].slice(0, FAILURES_BEFORE_PAUSE - 1));
    const last = failures.at(-1)!;
    expect(last.nextPollAt).toBeNull();
    expect(last.pausedReason).toMatch(/Sospesa dopo 5 errori di fila; l’ultimo: il feed ha risposto 500/);
    expect(paused).toEqual([{ id: 1, reason: last.pausedReason }]);
    expect(scheduler.has(1)).toBe(false);
  });

  it('jitter stays within [½, 1] of the exponential delay', () => {
    const { scheduler } = setup(() => ok(), { random: () => 0.999 });
    const d = scheduler.retryDelay({ intervalSec: 100 }, 3, { kind: 'x', message: 'm' });
    expect(d).toBeGreaterThan(200_000);
    expect(d).toBeLessThanOrEqual(400_000);
  });

  it('honours Retry-After on failure and minDelayMs on success', async () => {
    const { clock, scheduler, failures, successes } = setup((_c, n) =>
      n === 1 ? fail({ kind: 'http_status', message: 'troppe richieste (429)', httpStatus: 429, retryAfterMs: 3_600_000 }) : ok([], { minDelayMs: 900_000 }),
    );
    scheduler.upsert(src(1));
    scheduler.start();
    await clock.advance(0);
    expect((failures[0]?.nextPollAt ?? 0) - (failures[0]?.at ?? 0)).toBe(3_600_000);
    await clock.advance(3_599_000);
    expect(successes).toHaveLength(0);
    await clock.advance(1_000);
    expect(successes).toHaveLength(1);
    expect(successes[0]!.nextPollAt - successes[0]!.at).toBe(900_000);
  });

  it('pauses at once on a permanent error (410)', async () => {
    const { clock, scheduler, failures, paused } = setup(() => fail({ kind: 'http_status', message: 'il feed è sparito (410)', httpStatus: 410, permanent: true }));
    scheduler.upsert(src(1));
    scheduler.start();
    await clock.advance(0);
    expect(failures).toHaveLength(1);
    expect(paused[0]?.reason).toBe('Sospesa: il feed è sparito (410).');
  });

  it('remove aborts the poll in flight and drops its result', async () => {
    let resolvePoll: (o: PollOutcome) => void = () => {};
    const { clock, connector, scheduler, successes, sunk } = setup(() => new Promise<PollOutcome>((r) => (resolvePoll = r)));
    scheduler.upsert(src(1));
    scheduler.start();
    await clock.advance(0);
    expect(scheduler.isPolling(1)).toBe(true);
    scheduler.remove(1);
    expect(connector.signals[0]?.aborted).toBe(true);
    resolvePoll(ok([item(1)]));
    await clock.advance(120_000);
    expect(successes).toHaveLength(0);
    expect(sunk).toHaveLength(0);
    expect(connector.calls).toBe(1);
  });

  it('a sink that throws is a failed poll, and the schedule goes on', async () => {
    const clock = new FakeClock();
    const connector = fakeConnector(() => ok([item(1)]));
    const mem = memoryStore();
    const scheduler = new Scheduler({
      connectors: { rss: connector },
      store: mem.store,
      sink: () => {
        throw new Error('disco pieno');
      },
      clock,
      random: () => 0,
    });
    scheduler.upsert(src(1));
    scheduler.start();
    await clock.advance(0);
    expect(mem.failures[0]?.error).toMatchObject({ kind: 'store', message: 'salvataggio non riuscito: disco pieno' });
    await clock.advance(30_000);
    expect(connector.calls).toBe(2);
    scheduler.stop();
  });

  it('a connector that throws despite the interface is a failure, not a crash; bad settings pause', async () => {
    const { clock, scheduler, failures, paused } = setup(() => {
      throw new Error('boom');
    });
    scheduler.upsert(src(1));
    scheduler.upsert(src(2, { config: { url: 'non è un indirizzo' } }));
    scheduler.start();
    await clock.advance(0);
    expect(failures.find((f) => f.id === 1)?.error.message).toMatch(/errore inatteso del connettore: boom/);
    expect(paused.find((p) => p.id === 2)?.reason).toMatch(/impostazioni non valide/);
    scheduler.stop();
  });

  it('a connector stuck past the deadline is aborted and counted as a timeout; its host slot is freed', async () => {
    const { clock, connector, scheduler, failures } = setup((_c, n) => (n === 1 ? new Promise<PollOutcome>(() => {}) : ok([item(n)])), { maxPerHost: 1 });
    scheduler.upsert(src(1, { config: { url: 'http://same.test/a' } }));
    scheduler.upsert(src(2, { config: { url: 'http://same.test/b' } }));
    scheduler.start();
    await clock.advance(0);
    expect(connector.calls).toBe(1);
    await clock.advance(120_000);
    expect(connector.signals[0]?.aborted).toBe(true);
    expect(failures[0]?.error).toEqual({ kind: 'timeout', message: 'la fonte non ha risposto entro 120 secondi' });
    expect(connector.calls).toBe(2);
    scheduler.stop();
  });

  it('waits for a rate-limit reset the service reported, even when the interval is shorter', async () => {
    const { clock, scheduler, successes } = setup(() => ok([], { rateLimit: { remaining: 0, resetMs: 600_000 } }));
    scheduler.upsert(src(1));
    scheduler.start();
    await clock.advance(0);
    expect(successes[0]!.nextPollAt - successes[0]!.at).toBe(600_000);
    scheduler.stop();
  });

  it('pollNow polls ahead of schedule and resolves with the report', async () => {
    const { clock, connector, scheduler } = setup((_c, n) => ok([item(n)]));
    scheduler.upsert(src(1));
    scheduler.start();
    await clock.advance(0);
    const p = scheduler.pollNow(1);
    await clock.advance(0);
    const report = await p;
    expect(report).toMatchObject({ ok: true, accepted: 1 });
    expect(connector.calls).toBe(2);
    scheduler.stop();
  });
});
