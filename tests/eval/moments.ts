// `npm run eval:moments`: the scenario library of tests/eval/moments/ through the real ingest
// path (webhook batches of 10 s of delivery time, as a live sender posts them) into a fresh
// real SQLite workspace each, at the default settings, with the shipped sentiment model.
// Prints per scenario what was expected and what opened: kind and key, detection delay in
// stream time, false alarms per day, merges; then one line per target of issue #14, ok/NO.
//   node bin/tsx.mjs tests/eval/moments.ts [--only id,id] [--json]
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { build, judge, runLive, type FoundMoment, type Verdict } from './moments/harness';
import { SCENARIOS } from './moments/scenarios';

const hhmmss = (ms: number): string => new Date(ms).toISOString().slice(11, 19);
const sec = (ms: number): string => `${ms >= 0 ? '+' : ''}${(ms / 1000).toFixed(0)} s`;

function describe(m: FoundMoment): string {
  const total = [...m.episodes.values()].reduce((a, b) => a + b, 0);
  const parts = [...m.episodes.entries()].sort((a, b) => b[1] - a[1]).map(([ep, n]) => `${ep || 'chatter'} ${n}`);
  return `${m.kind} «${m.title}» (${m.keyKind}) opened ${hhmmss(m.openedAt)}Z${m.closedAt !== null ? `, closed ${hhmmss(m.closedAt)}Z` : ''}, ${m.volume} mentions / ${m.negative} negative; gathered ${total}: ${parts.join(', ')}`;
}

function print(v: Verdict, secs: number): void {
  const sc = v.scenario;
  const hours = (sc.end - sc.start) / 3_600_000;
  console.log(`\n== ${sc.id} — ${sc.title}`);
  console.log(`   ${hours >= 48 ? `${(hours / 24).toFixed(0)} days` : `${hours.toFixed(1)} h`} of stream, ${v.mentions} mentions, ${secs.toFixed(1)} s`);
  for (const e of v.expected) {
    const x = e.expected;
    const want = `${x.kind} «${x.title}»${x.titleAlso?.length ? ` (or «${x.titleAlso.join('», «')}»)` : ''} from ${hhmmss(x.from)}Z within ${x.maxDelayMs / 1000} s`;
    let got: string;
    if (e.moment && e.delayMs !== null) {
      got = `${e.moment.kind} «${e.moment.title}» opened ${hhmmss(e.moment.openedAt)}Z, delay ${sec(e.delayMs)}${e.titleOk ? '' : ' (wrong name)'}${e.count > 1 ? `, split into ${e.count} moments` : ''}`;
    } else got = 'NOT FOUND';
    if (e.wrongKind.length > 0) got += `; read as ${e.wrongKind.map((m) => `${m.kind} «${m.title}» ${hhmmss(m.openedAt)}Z`).join(', ')}`;
    console.log(`   expected ${want}\n      found ${got}  ${e.ok ? 'ok' : 'NO'}`);
  }
  if (v.expected.length === 0) console.log('   expected: no moment');
  for (const q of sc.quiet) {
    const broken = v.quietBroken.find((b) => b.quiet === q);
    console.log(`   quiet on «${q.episode}» (no ${q.kinds.join('/')}: ${q.why}): ${broken ? `NO — ${broken.moments.map((m) => `${m.kind} «${m.title}» ${hhmmss(m.openedAt)}Z`).join(', ')}` : 'ok'}`);
  }
  const perDay = v.falseAlarms.length / v.days;
  console.log(`   false alarms: ${v.falseAlarms.length} (${perDay.toFixed(2)} per day of stream) · cross-kind merges: ${v.crossKind.length} · same-kind wrong merges: ${v.sameKind.length}${v.tolerated.length ? ` · tolerated: ${v.tolerated.length}` : ''}`);
  for (const m of v.falseAlarms) console.log(`      false alarm: ${describe(m)}`);
  if (v.flagged.size > 0) console.log(`   flagged as bot/spam: ${[...v.flagged.entries()].map(([ep, n]) => `${ep || 'chatter'} ${n}`).join(', ')}`);
  console.log(`   all moments (${v.found.length}):`);
  for (const m of v.found) console.log(`      ${describe(m)}`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { only: { type: 'string' }, json: { type: 'boolean' } } });
  const only = values.only ? new Set(values.only.split(',')) : null;
  const unknown = only ? [...only].filter((id) => !SCENARIOS.some((s) => s.id === id)) : [];
  if (unknown.length > 0) {
    console.error(`Scenari sconosciuti: ${unknown.join(', ')}. Disponibili: ${SCENARIOS.map((s) => s.id).join(', ')}`);
    process.exit(2);
  }
  const verdicts: Verdict[] = [];
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (const sc of SCENARIOS) {
    if (only && !only.has(sc.id)) continue;
    const s0 = performance.now();
    const built = build(sc);
    const v = judge(built, await runLive(built));
    verdicts.push(v);
    if (!values.json) print(v, (performance.now() - s0) / 1000);
  }
  const cpu = process.cpuUsage(cpu0);
  if (values.json) {
    console.log(JSON.stringify(verdicts.map((v) => ({
      id: v.scenario.id,
      mentions: v.mentions,
      expected: v.expected.map((e) => ({ kind: e.expected.kind, title: e.expected.title, found: e.moment?.title ?? null, delayS: e.delayMs === null ? null : e.delayMs / 1000, ok: e.ok })),
      falseAlarms: v.falseAlarms.length,
      falseAlarmsPerDay: v.falseAlarms.length / v.days,
      crossKind: v.crossKind.length,
      sameKind: v.sameKind.length,
      quietBroken: v.quietBroken.length,
    })), null, 2));
    return;
  }

  console.log('\n== targets (issue #14, default settings, every workspace fresh)');
  const crises = verdicts.flatMap((v) => v.expected.filter((e) => e.expected.kind === 'crisis').map((e) => ({ v, e })));
  // The issue's target is 60 s for every crisis, whatever a scenario's own expectation allows.
  const late = crises.filter(({ e }) => !(e.moment && e.delayMs !== null && e.delayMs <= 60_000 && e.titleOk));
  console.log(`   every crisis within 60 s of stream time of its pile-on, cold start included: ${crises.length - late.length}/${crises.length}  ${late.length === 0 ? 'ok' : 'NO'}`);
  for (const { v, e } of late) console.log(`      ${v.scenario.id}: ${e.moment && e.delayMs !== null ? `«${e.moment.title}» ${sec(e.delayMs)}${e.titleOk ? '' : ' (wrong name)'}` : 'not found'}`);
  const calm = verdicts.find((v) => v.scenario.id === 'calm-week');
  if (calm) console.log(`   0 false alarms over the calm week: ${calm.falseAlarms.length}  ${calm.falseAlarms.length === 0 ? 'ok' : 'NO'}`);
  const cross = verdicts.reduce((a, v) => a + v.crossKind.length, 0);
  console.log(`   0 cross-kind merges: ${cross}  ${cross === 0 ? 'ok' : 'NO'}`);
  const all = verdicts.flatMap((v) => v.expected);
  const fa = verdicts.reduce((a, v) => a + v.falseAlarms.length, 0);
  const quiet = verdicts.reduce((a, v) => a + v.quietBroken.length, 0);
  const same = verdicts.reduce((a, v) => a + v.sameKind.length, 0);
  console.log(`   (also) expected moments met: ${all.filter((e) => e.ok).length}/${all.length} · false alarms, all scenarios: ${fa} · quiet expectations broken: ${quiet} · same-kind wrong merges: ${same}`);
  console.log(`   ${verdicts.length} scenarios in ${((performance.now() - t0) / 1000).toFixed(0)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(0)} CPU-s`);
}

await main();
