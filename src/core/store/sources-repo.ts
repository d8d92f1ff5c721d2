import type { Source, SourceKind } from '../../shared/schemas';
import { isPolledKind, type PolledKind, type SourceHealth, type SourceState } from '../../shared/sources';
import type { Db } from './db';
import { FUTURE_DATED_MS } from '../../shared/clock';

interface SourceRow {
  id: number;
  kind: SourceKind;
  name: string;
  config: string;
  enabled: number;
  created_at: number;
  mention_count: number;
  last_item_at: number | null;
  interval_sec: number | null;
  connector_state: string;
  last_poll_at: number | null;
  last_success_at: number | null;
  last_error_at: number | null;
  last_error_kind: string | null;
  last_error_message: string | null;
  last_error_status: number | null;
  consecutive_failures: number;
  next_poll_at: number | null;
  paused_reason: string | null;
}

/** A source with everything the scheduler and the Sources view need. */
export interface SourceRecord extends Source {
  polled: boolean;
  intervalSec: number | null;
  config: Record<string, unknown>;
  connectorState: Record<string, unknown>;
  health: SourceHealth;
  /** Milliseconds, for the scheduler. */
  nextPollAtMs: number | null;
}

/** A scheduled (polled, enabled or not) source as the scheduler loads it. */
export interface PolledSourceRecord {
  id: number;
  kind: PolledKind;
  name: string;
  config: Record<string, unknown>;
  intervalSec: number;
  state: Record<string, unknown>;
  enabled: boolean;
  nextPollAt: number | null;
  consecutiveFailures: number;
}

export class SourceNameTakenError extends Error {
  constructor(readonly kind: string, readonly sourceName: string) {
    // Said to people by the sources service, as the code sources.nameTaken.
    super(`source name taken: ${kind}/${sourceName}`);
    this.name = 'SourceNameTakenError';
  }
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

function parseJson(s: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(s);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function stateOf(r: SourceRow, polled: boolean): SourceState {
  if (!polled) return r.enabled ? (r.last_success_at === null ? 'pending' : 'ok') : 'disabled';
  if (!r.enabled) return 'paused';
  if (r.consecutive_failures > 0) return 'failing';
  return r.last_success_at === null ? 'pending' : 'ok';
}

const COLUMNS = `id, kind, name, config, enabled, created_at, item_count AS mention_count, last_item_at,
  interval_sec, connector_state, last_poll_at, last_success_at, last_error_at, last_error_kind,
  last_error_message, last_error_status, consecutive_failures, next_poll_at, paused_reason`;

export class SourcesRepo {
  private readonly insertStmt;
  private readonly findNameStmt;
  private readonly nameOwnerStmt;
  private readonly findStmt;
  private readonly listStmt;
  private readonly getStmt;
  private readonly countStmt;
  private readonly bumpStmt;
  private readonly lastHourStmt;
  private readonly lastHourAllStmt;
  private readonly futureStmt;
  private readonly futureAllStmt;
  private readonly createStmt;
  private readonly successStmt;
  private readonly failureStmt;
  private readonly mentionCountStmt;

  constructor(private readonly db: Db) {
    this.insertStmt = db.prepare<[string, string, number], { id: number }>(
      'INSERT INTO sources (kind, name, created_at) VALUES (?, ?, ?) ON CONFLICT (kind, name) DO NOTHING RETURNING id',
    );
    this.findStmt = db.prepare<[string, string], { id: number }>('SELECT id FROM sources WHERE kind = ? AND name = ?');
    this.findNameStmt = db.prepare<[string], { id: number }>('SELECT id FROM sources WHERE name = ? ORDER BY id LIMIT 1');
    this.nameOwnerStmt = db.prepare<[string, number], { id: number; kind: string }>(
      'SELECT id, kind FROM sources WHERE name = ? COLLATE NOCASE AND id <> ? ORDER BY id LIMIT 1',
    );
    this.listStmt = db.prepare<[], SourceRow>(`SELECT ${COLUMNS} FROM sources ORDER BY name COLLATE NOCASE, kind`);
    this.getStmt = db.prepare<[number], SourceRow>(`SELECT ${COLUMNS} FROM sources WHERE id = ?`);
    this.countStmt = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM sources');
    this.bumpStmt = db.prepare<[number, number, number, number]>(
      `UPDATE sources SET item_count = item_count + ?, last_item_at = MAX(COALESCE(last_item_at, 0), ?),
         last_success_at = MAX(COALESCE(last_success_at, 0), ?) WHERE id = ?`,
    );
    // INDEXED BY: without ANALYZE statistics SQLite prefers the (source_id, dedup_key) index and
    // scans every mention of the source; the last hour is a short range of mentions_fetched.
    this.lastHourStmt = db.prepare<[number, number], { n: number }>(
      'SELECT COUNT(*) AS n FROM mentions INDEXED BY mentions_fetched WHERE fetched_at >= ? AND source_id = ?',
    );
    this.lastHourAllStmt = db.prepare<[number], { source_id: number; n: number }>(
      'SELECT source_id, COUNT(*) AS n FROM mentions INDEXED BY mentions_fetched WHERE fetched_at >= ? GROUP BY source_id',
    );
    // The same range over a day of arrivals, for mentions dated far past them (shared/clock.ts).
    this.futureStmt = db.prepare<[number, number, number], { n: number; latest: number | null }>(
      'SELECT COUNT(*) AS n, MAX(published_at) AS latest FROM mentions INDEXED BY mentions_fetched WHERE fetched_at >= ? AND source_id = ? AND published_at > fetched_at + ?',
    );
    this.futureAllStmt = db.prepare<[number, number], { source_id: number; n: number; latest: number }>(
      `SELECT source_id, COUNT(*) AS n, MAX(published_at) AS latest FROM mentions INDEXED BY mentions_fetched
       WHERE fetched_at >= ? AND published_at > fetched_at + ? GROUP BY source_id`,
    );
    this.createStmt = db.prepare<[string, string, string, number, number, number], { id: number }>(
      `INSERT INTO sources (kind, name, config, interval_sec, created_at, next_poll_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (kind, name) DO NOTHING RETURNING id`,
    );
    this.successStmt = db.prepare(
      `UPDATE sources SET last_poll_at = @at, last_success_at = @at, consecutive_failures = 0,
         connector_state = @state, next_poll_at = @next WHERE id = @id`,
    );
    this.failureStmt = db.prepare(
      `UPDATE sources SET last_poll_at = @at, last_error_at = @at, last_error_kind = @kind,
         last_error_message = @message, last_error_status = @status, consecutive_failures = @failures,
         connector_state = COALESCE(@state, connector_state), next_poll_at = @next,
         enabled = CASE WHEN @paused IS NULL THEN enabled ELSE 0 END,
         paused_reason = COALESCE(@paused, paused_reason)
       WHERE id = @id`,
    );
    this.mentionCountStmt = db.prepare<[number], { n: number }>('SELECT COUNT(*) AS n FROM mentions WHERE source_id = ?');
  }

  /** Records newly stored items of a source; call in the transaction that stored them. */
  recordItems(sourceId: number, added: number, latestPublishedAt: number, now: number): void {
    if (added > 0) this.bumpStmt.run(added, latestPublishedAt, now, sourceId);
  }

  /**
   * A typed name must be free among all sources, whatever their kind or case: two rows both
   * called "X" (a feed and a webhook) read as one source listed twice.
   */
  private assertNameFree(name: string, exceptId: number): void {
    const owner = this.nameOwnerStmt.get(name, exceptId);
    if (owner) throw new SourceNameTakenError(owner.kind, name);
  }

  /** The source's id, creating the row when it is new (pushed sources: webhook, import, replay). */
  ensure(kind: SourceKind, name: string, now: number): { id: number; created: boolean } {
    // One name, one source: a CSV import or a webhook naming a source that already exists
    // (of another kind) adds to it rather than listing a second "X" beside the first.
    const found = this.findStmt.get(kind, name) ?? this.findNameStmt.get(name);
    if (found) return { id: found.id, created: false };
    const inserted = this.insertStmt.get(kind, name, now);
    if (inserted) return { id: inserted.id, created: true };
    // Lost a race with another writer between the two statements.
    const again = this.findStmt.get(kind, name);
    if (!again) throw new Error(`source ${kind}/${name} vanished`);
    return { id: again.id, created: false };
  }

  /** A new polled source, due at once. Throws SourceNameTakenError on a duplicate name. */
  create(input: { kind: PolledKind; name: string; config: object; intervalSec: number }, now: number): number {
    this.assertNameFree(input.name, 0);
    const row = this.createStmt.get(input.kind, input.name, JSON.stringify(input.config), input.intervalSec, now, now);
    if (!row) throw new SourceNameTakenError(input.kind, input.name);
    return row.id;
  }

  update(id: number, patch: { name?: string; config?: object; intervalSec?: number; resetState?: boolean }): void {
    const sets: string[] = [];
    const params: Record<string, unknown> = { id };
    if (patch.name !== undefined) this.assertNameFree(patch.name, id);
    if (patch.name !== undefined) {
      sets.push('name = @name');
      params.name = patch.name;
    }
    if (patch.config !== undefined) {
      sets.push('config = @config');
      params.config = JSON.stringify(patch.config);
    }
    if (patch.intervalSec !== undefined) {
      sets.push('interval_sec = @interval');
      params.interval = patch.intervalSec;
    }
    // New settings make the old validators and cursors meaningless, and the old errors too.
    if (patch.resetState) sets.push("connector_state = '{}'", 'consecutive_failures = 0');
    if (sets.length === 0) return;
    try {
      this.db.prepare(`UPDATE sources SET ${sets.join(', ')} WHERE id = @id`).run(params);
    } catch (e) {
      if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE' && patch.name !== undefined) {
        const kind = this.getStmt.get(id)?.kind ?? '';
        throw new SourceNameTakenError(kind, patch.name);
      }
      throw e;
    }
  }

  setPaused(id: number, reason: string | null, nextPollAt: number | null): void {
    this.db
      .prepare('UPDATE sources SET enabled = @enabled, paused_reason = @reason, next_poll_at = @next, consecutive_failures = CASE WHEN @enabled = 1 THEN 0 ELSE consecutive_failures END WHERE id = @id')
      .run({ id, enabled: reason === null ? 1 : 0, reason, next: nextPollAt });
  }

  recordSuccess(id: number, r: { at: number; state: object; nextPollAt: number }): void {
    this.successStmt.run({ id, at: r.at, state: JSON.stringify(r.state), next: r.nextPollAt });
  }

  recordFailure(
    id: number,
    r: { at: number; kind: string; message: string; httpStatus?: number; failures: number; nextPollAt: number | null; state?: object; pausedReason?: string },
  ): void {
    this.failureStmt.run({
      id,
      at: r.at,
      kind: r.kind,
      message: r.message,
      status: r.httpStatus ?? null,
      failures: r.failures,
      state: r.state === undefined ? null : JSON.stringify(r.state),
      next: r.nextPollAt,
      paused: r.pausedReason ?? null,
    });
  }

  /** Deletes a source and its mentions; returns how many mentions went with it. */
  delete(id: number): { name: string; deletedMentions: number } | null {
    return this.db.transaction(() => {
      const row = this.getStmt.get(id);
      if (!row) return null;
      const n = this.mentionCountStmt.get(id)?.n ?? 0;
      this.db.prepare('DELETE FROM sources WHERE id = ?').run(id);
      return { name: row.name, deletedMentions: n };
    })();
  }

  get(id: number, now: number): SourceRecord | null {
    const r = this.getStmt.get(id);
    return r ? this.toRecord(r, now) : null;
  }

  /** Every polled source, for the scheduler to (re)load. */
  polled(): PolledSourceRecord[] {
    return this.listStmt
      .all()
      .filter((r) => isPolledKind(r.kind))
      .map((r) => this.toPolled(r));
  }

  polledOne(id: number): PolledSourceRecord | null {
    const r = this.getStmt.get(id);
    return r && isPolledKind(r.kind) ? this.toPolled(r) : null;
  }

  records(now: number): SourceRecord[] {
    const counts = new Map(this.lastHourAllStmt.all(now - HOUR_MS).map((c) => [c.source_id, c.n]));
    const future = new Map(this.futureAllStmt.all(now - DAY_MS, FUTURE_DATED_MS).map((c) => [c.source_id, { n: c.n, latest: c.latest }]));
    return this.listStmt.all().map((r) => this.toRecord(r, now, counts.get(r.id) ?? 0, future.get(r.id) ?? { n: 0, latest: null }));
  }

  list(): Source[] {
    return this.listStmt.all().map((r) => this.toSource(r));
  }

  count(): number {
    return this.countStmt.get()?.n ?? 0;
  }

  private toSource(r: SourceRow): Source {
    return {
      id: r.id,
      kind: r.kind,
      name: r.name,
      enabled: r.enabled === 1,
      createdAt: new Date(r.created_at).toISOString(),
      mentionCount: r.mention_count,
      lastItemAt: iso(r.last_item_at),
    };
  }

  private toPolled(r: SourceRow): PolledSourceRecord {
    return {
      id: r.id,
      kind: r.kind as PolledKind,
      name: r.name,
      config: parseJson(r.config),
      intervalSec: r.interval_sec ?? 300,
      state: parseJson(r.connector_state),
      enabled: r.enabled === 1,
      nextPollAt: r.next_poll_at,
      consecutiveFailures: r.consecutive_failures,
    };
  }

  private toRecord(r: SourceRow, now: number, lastHour?: number, futureDated?: { n: number; latest: number | null }): SourceRecord {
    const future = futureDated ?? this.futureStmt.get(now - DAY_MS, r.id, FUTURE_DATED_MS) ?? { n: 0, latest: null };
    const polled = isPolledKind(r.kind);
    return {
      ...this.toSource(r),
      polled,
      intervalSec: polled ? (r.interval_sec ?? 300) : null,
      config: parseJson(r.config),
      connectorState: parseJson(r.connector_state),
      nextPollAtMs: polled && r.enabled ? r.next_poll_at : null,
      health: {
        state: stateOf(r, polled),
        lastSuccessAt: iso(r.last_success_at),
        lastError:
          r.last_error_at !== null && r.last_error_kind !== null
            ? {
                kind: r.last_error_kind,
                message: r.last_error_message ?? '',
                at: new Date(r.last_error_at).toISOString(),
                ...(r.last_error_status !== null ? { httpStatus: r.last_error_status } : {}),
              }
            : null,
        consecutiveFailures: r.consecutive_failures,
        nextPollAt: polled && r.enabled ? iso(r.next_poll_at) : null,
        pausedReason: r.enabled ? null : r.paused_reason,
        itemsLastHour: lastHour ?? this.lastHourStmt.get(now - HOUR_MS, r.id)?.n ?? 0,
        futureDated: future.n > 0 && future.latest !== null ? { count: future.n, latestAt: new Date(future.latest).toISOString() } : null,
      },
    };
  }
}
