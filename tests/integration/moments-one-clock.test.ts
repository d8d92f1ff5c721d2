// One clock (issue #14): the same recorded stream, with a pile-on, sent through every path
// into fresh workspaces — the webhook of a real `vedetta serve` (each mention as its own post,
// and in uneven batches as a live sender flushes them), the real `vedetta import`, the real
// `vedetta replay` at several speeds, and a moments rebuild — opens the same moments (kind,
// key, title) at the same published times, and closes them alike. `--shift-to-now` opens
// them too, shifted by the constant it reports.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postMentions, startVedetta, type VedettaInstance } from '../support/vedetta-process';
import { vedetta } from './support/cli';
import {
  perimeterTemplate,
  PILE_ON_AT,
  recordedStream,
  seeded,
  storedMoments,
  storedPublishedAt,
  toJsonl,
  TREND_AT,
  workspaceFrom,
  type Item,
  type StoredMoment,
} from './support/recorded-stream';

let root: string;
let template: string;
let file: string;
const stream = recordedStream();
const running: VedettaInstance[] = [];

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'vedetta-clock-'));
  template = await perimeterTemplate(join(root, 'template'));
  file = join(root, 'stream.jsonl');
  writeFileSync(file, toJsonl(stream));
});

afterAll(async () => {
  for (const v of running) await v.stop();
  rmSync(root, { recursive: true, force: true });
});

async function serveOn(name: string): Promise<VedettaInstance> {
  const v = await startVedetta({ dataDir: workspaceFrom(template, join(root, name)) });
  running.push(v);
  return v;
}

async function post(v: VedettaInstance, batch: Item[]): Promise<void> {
  const res = await postMentions(v, batch);
  expect(res.status, JSON.stringify(res.json)).toBe(202);
  expect(res.json).toMatchObject({ accepted: batch.length, rejected: [], warnings: [] });
}

/** Uneven batches, as a sender flushing every few seconds or every few dozen items would post them. */
function liveBatches(items: readonly Item[]): Item[][] {
  const r = seeded(11);
  const out: Item[][] = [];
  for (let i = 0; i < items.length; ) {
    const n = 1 + Math.floor(r() * 40);
    out.push(items.slice(i, i + n));
    i += n;
  }
  return out;
}

const brief = (ms: StoredMoment[]): string[] => ms.map((m) => `${m.kind} «${m.title}» ${m.openedAt}`);

describe('one clock: webhook, import, replay and rebuild open the same moments at the same published times', () => {
  let reference: StoredMoment[];

  it('import (the real CLI) finds the crisis at the pile-on and the opportunity in the trend', async () => {
    const dir = workspaceFrom(template, join(root, 'import'));
    const run = await vedetta(['import', file, '--data', dir]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`accettate:\\s+${stream.length}`));
    reference = storedMoments(dir);
    const crisis = reference.find((m) => m.kind === 'crisis');
    const opportunity = reference.find((m) => m.kind === 'opportunity');
    expect(brief(reference)).toEqual(expect.arrayContaining([expect.stringMatching(/^crisis /), expect.stringMatching(/^opportunity /)]));
    // Within a minute of stream time of the first insult, and of the first trend mention.
    expect(Date.parse(crisis!.openedAt) - PILE_ON_AT).toBeLessThan(60_000);
    expect(Date.parse(crisis!.openedAt)).toBeGreaterThanOrEqual(PILE_ON_AT);
    expect(Date.parse(opportunity!.openedAt)).toBeGreaterThanOrEqual(TREND_AT);
  });

  it('the webhook, each mention posted on its own (a live sender), then a rebuild of its store', async () => {
    const v = await serveOn('webhook-each');
    for (const it of stream) await post(v, [it]);
    expect(storedMoments(v.dataDir)).toEqual(reference);
    // The same store recomputed from its mentions (as after a perimeter or settings change).
    await v.api('moments.rebuild', {});
    await expect.poll(() => storedMoments(v.dataDir), { timeout: 20_000, interval: 200 }).toEqual(reference);
  }, 120_000);

  it('the webhook in uneven batches (1 to 40 mentions, cutting through seconds that hold several)', async () => {
    const v = await serveOn('webhook-batches');
    const batches = liveBatches(stream);
    // The cuts do split seconds: that is what the test is about.
    const splits = batches.slice(1).filter((b, i) => b[0]!.published_at === batches[i]!.at(-1)!.published_at).length;
    expect(splits).toBeGreaterThan(0);
    for (const b of batches) await post(v, b);
    expect(storedMoments(v.dataDir)).toEqual(reference);
  }, 120_000);

  for (const speed of [2_000, 10_000]) {
    it(`vedetta replay --speed ${speed} keeps the recorded times`, async () => {
      const dir = workspaceFrom(template, join(root, `replay-${speed}`));
      const run = await vedetta(['replay', file, '--speed', String(speed), '--data', dir], {}, 90_000);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(new RegExp(`salvate:\\s+${stream.length}`));
      expect(storedPublishedAt(dir, 'c0')).toBe(Date.parse(stream.find((i) => i.external_id === 'c0')!.published_at));
      expect(storedMoments(dir)).toEqual(reference);
    }, 120_000);
  }

  it('vedetta replay --shift-to-now ends the recording now, by whole windows, and opens the same moments shifted', async () => {
    const dir = workspaceFrom(template, join(root, 'replay-shifted'));
    const before = Date.now();
    const run = await vedetta(['replay', file, '--speed', '10000', '--shift-to-now', '--data', dir], {}, 90_000);
    const after = Date.now();
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/date spostate di \+\d+ g /);
    const last = stream.at(-1)!;
    const shift = storedPublishedAt(dir, last.external_id) - Date.parse(last.published_at);
    // Whole 5-minute windows (the default), and the last mention dated by the end of the run,
    // less than a window before it: never in the future.
    expect(shift % (5 * 60_000)).toBe(0);
    const lastAt = Date.parse(last.published_at) + shift;
    expect(lastAt).toBeLessThanOrEqual(after);
    expect(lastAt).toBeGreaterThan(before - 5 * 60_000);
    expect(storedMoments(dir, shift)).toEqual(reference);
  }, 120_000);
});
