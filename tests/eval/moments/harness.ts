// The scenario harness: what a scenario declares, how its stream reaches a fresh real
// workspace (the webhook path in 10-second slices of delivery time, as a live sender posts
// them), how the moments it opened are read back with the mentions each gathered, and the
// judge that compares them with what the scenario expects. Shared by `npm run eval:moments`
// and tests/integration/moments-scenarios.test.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openApp, type CoreApp } from '../../../src/app/app';
import { silentLogger } from '../../../src/core/platform';
import type { MomentKind, MomentSummary } from '../../../src/shared/moments';
import type { Mention } from '../../../src/shared/schemas';
import { Rng } from './rng';
import { DAY, Stream, type StreamItem } from './stream';
import { setupWorkspace, type Call, type WorkspaceSpec } from './workspace';

export const resourcesDir = resolve(import.meta.dirname, '../../../resources');

/** A moment the scenario's author expects, and how fast. */
export interface ExpectedMoment {
  /** The stream items that make it (their `episode`). */
  episode: string;
  kind: MomentKind;
  /** The key that should name it (a theme's name, the brand, "<post> · <source>" for an owned post). */
  title: string;
  /** Other names accepted (the judge says which one was found). */
  titleAlso?: readonly string[];
  /** Stream time the delay is measured from: the pile-on's first mention unless the scenario says why not. */
  from: number;
  /** Longest acceptable delay in stream time. Crises: 60 s (issue #14's target). */
  maxDelayMs: number;
}

/** An episode that must open no moment of these kinds, and why. */
export interface QuietEpisode {
  episode: string;
  kinds: readonly MomentKind[];
  why: string;
}

export interface Scenario {
  id: string;
  title: string;
  /** What happens, in a sentence or two. */
  story: string;
  seed: number;
  workspace: WorkspaceSpec;
  start: number;
  end: number;
  /** Writes the stream (everything seeded from `seed`). */
  build(s: Stream): void;
  expected: readonly ExpectedMoment[];
  quiet: readonly QuietEpisode[];
  /** Moments on these episodes are neither expected nor false alarms (with why). */
  tolerated?: readonly { episode: string; kind: MomentKind; why: string }[];
  /** The integration test replays the whole stream through the webhook unless this says otherwise. */
  testSample?: { days: number; why: string };
}

export interface BuiltScenario {
  scenario: Scenario;
  items: StreamItem[];
  byId: Map<string, StreamItem>;
  /** First and last publication of each episode. */
  episodes: Map<string, { first: number; last: number; count: number }>;
}

export function build(sc: Scenario): BuiltScenario {
  const s = new Stream(new Rng(sc.seed), `${sc.id}-`);
  sc.build(s);
  const items = s.delivered();
  const byId = new Map(items.map((i) => [i.body.external_id, i]));
  const episodes = new Map<string, { first: number; last: number; count: number }>();
  for (const it of items) {
    if (!it.episode) continue;
    const e = episodes.get(it.episode);
    if (e) {
      e.first = Math.min(e.first, it.at);
      e.last = Math.max(e.last, it.at);
      e.count++;
    } else episodes.set(it.episode, { first: it.at, last: it.at, count: 1 });
  }
  return { scenario: sc, items, byId, episodes };
}

/** The part of a scenario delivered before `until` (the integration test's sample of a long stream). */
export function sample(built: BuiltScenario, until: number): BuiltScenario {
  const items = built.items.filter((i) => i.deliverAt < until);
  const keep = new Set(items.map((i) => i.body.external_id));
  const sc = built.scenario;
  return {
    scenario: { ...sc, end: Math.min(sc.end, until), expected: sc.expected.filter((e) => e.from < until) },
    items,
    byId: new Map([...built.byId].filter(([id]) => keep.has(id))),
    episodes: built.episodes,
  };
}

/** Items grouped as a live sender posts them: one batch per 10 s of delivery time. */
export function liveBatches(items: readonly StreamItem[], sliceMs = 10_000): StreamItem[][] {
  const out: StreamItem[][] = [];
  let cur: StreamItem[] = [];
  let end = Number.NEGATIVE_INFINITY;
  for (const it of items) {
    if (it.deliverAt >= end) {
      if (cur.length > 0) out.push(cur);
      cur = [];
      end = Math.floor(it.deliverAt / sliceMs) * sliceMs + sliceMs;
    }
    cur.push(it);
  }
  if (cur.length > 0) out.push(cur);
  return out;
}

/** The stream as an import file: JSONL in delivery order, as a recorded feed log is written. */
export function jsonl(items: readonly StreamItem[]): string {
  return items.map((i) => JSON.stringify(i.body)).join('\n') + '\n';
}

/** A moment as found, with the stream items it gathered. */
export interface FoundMoment {
  id: number;
  kind: MomentKind;
  title: string;
  keyKind: MomentSummary['keyKind'];
  openedAt: number;
  closedAt: number | null;
  volume: number;
  negative: number;
  /** Linked mentions per episode ("" for everyday talk). */
  episodes: Map<string, number>;
}

export interface Observed {
  moments: FoundMoment[];
  mentions: number;
  /** Flagged mentions (bot/spam) per episode ("" for everyday talk). */
  flagged: Map<string, number>;
}

async function allMentions(call: Call, query: Record<string, unknown>): Promise<Mention[]> {
  const out: Mention[] = [];
  let after: unknown;
  for (;;) {
    const page = (await call('mentions.list', { query, limit: 1_000, ...(after ? { after } : {}) })) as { items: Mention[]; next: unknown };
    out.push(...page.items);
    if (!page.next || page.items.length === 0) return out;
    after = page.next;
  }
}

/** Reads every moment of a workspace and what each gathered. */
export async function observe(call: Call, built: BuiltScenario): Promise<Observed> {
  const list = (await call('moments.list', { limit: 500 })) as { items: MomentSummary[] };
  const moments: FoundMoment[] = [];
  for (const m of list.items) {
    const episodes = new Map<string, number>();
    for (const x of await allMentions(call, { momentId: m.id })) {
      const ep = (x.externalId && built.byId.get(x.externalId)?.episode) || '';
      episodes.set(ep, (episodes.get(ep) ?? 0) + 1);
    }
    moments.push({ id: m.id, kind: m.kind, title: m.title, keyKind: m.keyKind, openedAt: Date.parse(m.openedAt), closedAt: m.closedAt === null ? null : Date.parse(m.closedAt), volume: m.volume, negative: m.negative, episodes });
  }
  moments.sort((a, b) => a.openedAt - b.openedAt || a.kind.localeCompare(b.kind) || a.title.localeCompare(b.title));
  const all = await allMentions(call, {});
  const flagged = new Map<string, number>();
  for (const x of all) {
    if (!x.flag) continue;
    const ep = (x.externalId && built.byId.get(x.externalId)?.episode) || '';
    flagged.set(ep, (flagged.get(ep) ?? 0) + 1);
  }
  return { moments, mentions: all.length, flagged };
}

/** Resolves on the next moments rebuild's end (a perimeter edit schedules one). */
export function nextRebuild(app: CoreApp, timeoutMs = 20_000): Promise<void> {
  return new Promise((res, rej) => {
    const timer = setTimeout(() => {
      off();
      rej(new Error('the moments rebuild after the perimeter setup did not finish'));
    }, timeoutMs);
    const off = app.events.subscribe((e, p) => {
      if (e === 'moments.changed' && (p as { rebuilt?: boolean }).rebuilt) {
        clearTimeout(timer);
        off();
        res();
      }
    });
  });
}

/** A fresh real workspace (SQLite file in a temp folder) with the scenario's perimeter, settled. */
export async function freshWorkspace(sc: Scenario, dataDir = mkdtempSync(join(tmpdir(), 'vedetta-scen-'))): Promise<{ app: CoreApp; dataDir: string; dispose(): void }> {
  const app = openApp({ platform: { dataDir, resourcesDir, now: () => Date.now(), logger: silentLogger }, mode: 'cli' });
  const settled = nextRebuild(app);
  await setupWorkspace((op, input) => app.dispatch(op, input), sc.workspace);
  await settled;
  let closed = false;
  return {
    app,
    dataDir,
    dispose() {
      if (!closed) app.close();
      closed = true;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The webhook path in process: each 10-s slice of delivery time as one webhook body. */
export async function runLive(built: BuiltScenario): Promise<Observed> {
  const ws = await freshWorkspace(built.scenario);
  try {
    for (const batch of liveBatches(built.items)) {
      const r = ws.app.ingestWebhook(batch.map((i) => i.body));
      if (r.rejected.length > 0) throw new Error(`${built.scenario.id}: the webhook refused ${r.rejected.length} items: ${r.rejected[0]?.reason}`);
    }
    return await observe((op, input) => ws.app.dispatch(op, input), built);
  } finally {
    ws.dispose();
  }
}

// ---------- the judge ----------

/** A moment stands for an episode when at least this share of what it gathered is that episode's… */
const COVER_SHARE = 0.2;
/** …and at least this many of its mentions. */
const COVER_MIN = 5;

export interface ExpectedOutcome {
  expected: ExpectedMoment;
  /**
   * The moment of the expected kind that stands for the episode at its reference time: the
   * first still open at `from` or opened after it (one that opened early and closed before
   * `from` — a slow burn's first flicker — does not count: nothing was open when it mattered).
   */
  moment: FoundMoment | null;
  delayMs: number | null;
  titleOk: boolean;
  /** Moments of the expected kind standing for the episode (more than one: a split). */
  count: number;
  /** A moment of the other kind standing for it (e.g. a pile-on read as a trend). */
  wrongKind: FoundMoment[];
  ok: boolean;
}

export interface Verdict {
  scenario: Scenario;
  days: number;
  mentions: number;
  found: FoundMoment[];
  expected: ExpectedOutcome[];
  falseAlarms: FoundMoment[];
  tolerated: FoundMoment[];
  /** Moments standing for a crisis episode and an opportunity episode at once. */
  crossKind: FoundMoment[];
  /** Moments standing for two episodes expected as separate moments of the same kind. */
  sameKind: FoundMoment[];
  /** Quiet episodes that opened a moment of a forbidden kind. */
  quietBroken: { quiet: QuietEpisode; moments: FoundMoment[] }[];
  flagged: Map<string, number>;
}

export function covers(m: FoundMoment, episode: string): boolean {
  const n = m.episodes.get(episode) ?? 0;
  const total = [...m.episodes.values()].reduce((a, b) => a + b, 0);
  return n >= COVER_MIN && total > 0 && n / total >= COVER_SHARE;
}

export function judge(built: BuiltScenario, obs: Observed): Verdict {
  const sc = built.scenario;
  const found = obs.moments;
  const expected: ExpectedOutcome[] = sc.expected.map((e) => {
    const mine = found.filter((m) => m.kind === e.kind && covers(m, e.episode));
    const moment = mine.find((m) => m.closedAt === null || m.closedAt > e.from) ?? null;
    const delayMs = moment ? moment.openedAt - e.from : null;
    const titleOk = moment !== null && [e.title, ...(e.titleAlso ?? [])].includes(moment.title);
    const wrongKind = found.filter((m) => m.kind !== e.kind && covers(m, e.episode));
    return { expected: e, moment, delayMs, titleOk, count: mine.length, wrongKind, ok: moment !== null && delayMs !== null && delayMs <= e.maxDelayMs && titleOk };
  });
  const expectedEpisodes = new Set(sc.expected.map((e) => e.episode));
  const toleratedOf = (m: FoundMoment): boolean => (sc.tolerated ?? []).some((t) => t.kind === m.kind && covers(m, t.episode));
  const falseAlarms = found.filter((m) => ![...expectedEpisodes].some((ep) => covers(m, ep)) && !toleratedOf(m));
  const tolerated = found.filter((m) => ![...expectedEpisodes].some((ep) => covers(m, ep)) && toleratedOf(m));
  const crossKind = found.filter((m) => {
    const kinds = new Set(sc.expected.filter((e) => covers(m, e.episode)).map((e) => e.kind));
    return kinds.size > 1;
  });
  const sameKind = found.filter((m) => {
    const eps = sc.expected.filter((e) => e.kind === m.kind && covers(m, e.episode)).map((e) => e.episode);
    return new Set(eps).size > 1;
  });
  const quietBroken = sc.quiet
    .map((q) => ({ quiet: q, moments: found.filter((m) => q.kinds.includes(m.kind) && covers(m, q.episode)) }))
    .filter((q) => q.moments.length > 0);
  return {
    scenario: sc,
    days: (sc.end - sc.start) / DAY,
    mentions: obs.mentions,
    found,
    expected,
    falseAlarms,
    tolerated,
    crossKind,
    sameKind,
    quietBroken,
    flagged: obs.flagged,
  };
}

/** What the integration test compares between the webhook and the import: kind, title, opened_at. */
export function openedList(obs: Observed): string[] {
  return obs.moments.map((m) => `${m.kind} · ${m.title} · ${new Date(m.openedAt).toISOString()}`);
}
