// Tier 2 through the real core: SQLite file, migrations, contract dispatch, events.
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { openDatabase } from '../../src/core/store/db';
import { migrations } from '../../src/core/store/migrations';
import type { Alert } from '../../src/shared/alerts';
import type { MetricIngestResult, Panel } from '../../src/shared/metrics';
import type { EventName } from '../../src/shared/contract';
import { tempDir, testApp } from './support/core';

const T0 = Date.UTC(2026, 10, 23, 8, 0);
const MIN = 60_000;

function setup() {
  let now = T0 + 24 * 60 * MIN;
  const { app, dataDir } = testApp({ now: () => now });
  const events: { event: EventName; payload: unknown }[] = [];
  app.events.subscribe((event, payload) => events.push({ event, payload }));
  const call = <T>(op: string, input: unknown): Promise<T> => app.dispatch(op, input) as Promise<T>;
  const push = (body: unknown): MetricIngestResult => app.ingestMetricsWebhook(body);
  const content = [
    { key: 'nl-autunno', channel: 'newsletter', title: 'Newsletter autunno', variants: ['A', 'B'], control_variant: 'A' },
    { key: 'reel-crema', channel: 'instagram_reel', title: 'Reel crema', url: 'https://example.com/reel-crema' },
  ];
  push({ content, points: [] });
  return { app, dataDir, events, call, push, setNow: (t: number) => (now = t), getNow: () => now };
}

const at = (m: number): string => new Date(T0 + m * MIN).toISOString();

describe('metrics migration', () => {
  it('applies on a database built by the real earlier migrations, keeping its data', () => {
    const file = join(tempDir(), 'v.db');
    const raw = new Database(file);
    // Every migration before this one, as a database of the previous version has them.
    for (const m of migrations.slice(0, migrations.findIndex((x) => x.name === 'metrics'))) {
      m.up(raw);
      raw.pragma(`user_version = ${m.version}`);
    }
    raw.prepare("INSERT INTO sources (kind, name, created_at) VALUES ('import', 'x', 1)").run();
    raw.close();
    const db = openDatabase(file);
    const names = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]).map((r) => r.name);
    for (const t of ['owned_content', 'metric_points', 'alert_rules', 'alerts', 'alert_interventions', 'notify_deliveries']) expect(names).toContain(t);
    expect((db.prepare('SELECT COUNT(*) AS n FROM sources').get() as { n: number }).n).toBe(1);
    const rules = db.prepare('SELECT kind, metric, threshold, severity, sla_minutes FROM alert_rules').all() as { kind: string; metric: string; threshold: number; severity: string; sla_minutes: number }[];
    expect(rules).toContainEqual({ kind: 'threshold', metric: 'bounce_rate', threshold: 0.3, severity: 'critical', sla_minutes: 15 });
    expect(rules).toContainEqual({ kind: 'threshold', metric: 'ctr', threshold: 0.02, severity: 'moderate', sla_minutes: 60 });
    expect(rules).toContainEqual({ kind: 'relative_drop', metric: 'ctr', threshold: 0.15, severity: 'moderate', sla_minutes: 60 });
    db.close();
  });
});

describe('metric points', () => {
  it('stores a point once, takes a correction, keeps the source zone, accepts late points', async () => {
    const { push, call, events } = setup();
    const p = { content: 'nl-autunno', metric: 'ctr', value: 0.05, time: '2026-11-23T10:00:00+01:00' };
    expect(push([p])).toMatchObject({ accepted: 1, duplicates: 0 });
    expect(push([p])).toMatchObject({ accepted: 0, duplicates: 1 });
    expect(push([{ ...p, value: 0.051 }])).toMatchObject({ accepted: 0, updated: 1 });
    // Out of order: an older point arrives after a newer one.
    expect(push([{ ...p, time: '2026-11-23T09:00:00+01:00', value: 0.049 }])).toMatchObject({ accepted: 1, late: 1 });
    // Same instant written in another zone is the same point.
    expect(push([{ ...p, time: '2026-11-23T09:00:00Z', value: 0.051 }])).toMatchObject({ duplicates: 1 });
    const panel = await call<Panel>('metrics.panel', { channel: 'newsletter' });
    const ctr = panel.kpis.find((k) => k.metric === 'ctr');
    expect(ctr?.series.map((s) => s.v)).toEqual([0.049, 0.051]);
    expect(ctr?.series[0]?.t).toBe('2026-11-23T08:00:00.000Z');
    expect(events.some((e) => e.event === 'metrics.points')).toBe(true);
  });

  it('rejects bad points one by one with Italian reasons and stores the good ones', () => {
    const { push } = setup();
    const r = push([
      { content: 'nl-autunno', metric: 'ctr', value: 0.03, time: at(0) },
      { content: 'sconosciuto', metric: 'ctr', value: 0.03, time: at(0) },
      { content: 'nl-autunno', metric: 'ctr', value: 3.4, time: at(1) },
      { content: 'nl-autunno', metric: 'compound_engagement', value: 0.1, time: at(1) },
      { content: 'nl-autunno', metric: 'ctr', value: 0.03, time: '2026-11-23 10:00' },
      { content: 'nl-autunno', metric: 'regional_conversion_rate', value: 0.03, time: at(0), region: 'Atlantide' },
    ]);
    expect(r.accepted).toBe(1);
    expect(r.rejected.map((x) => x.index)).toEqual([1, 2, 3, 4, 5]);
    expect(r.rejected[0]?.reason).toMatch(/non registrato/);
    expect(r.rejected[1]?.reason).toMatch(/da 0 a 1/);
    expect(r.rejected[2]?.reason).toMatch(/metrica sconosciuta/);
    expect(r.rejected[3]?.reason).toMatch(/fuso orario/);
    expect(r.rejected[4]?.reason).toMatch(/regione sconosciuta/);
  });

  it('computes compound engagement per post, null with zero views', async () => {
    const { push, call } = setup();
    push([
      { content: 'reel-crema', metric: 'views', value: 0, time: at(0) },
      { content: 'reel-crema', metric: 'likes', value: 0, time: at(0) },
      { content: 'reel-crema', metric: 'views', value: 1000, time: at(10) },
      { content: 'reel-crema', metric: 'likes', value: 80, time: at(10) },
      { content: 'reel-crema', metric: 'comments', value: 15, time: at(10) },
      { content: 'reel-crema', metric: 'shares', value: 5, time: at(10) },
    ]);
    const panel = await call<Panel>('metrics.panel', { channel: 'instagram_reel' });
    expect(panel.engagement[0]?.value).toBeCloseTo(0.1);
    const ce = panel.kpis.find((k) => k.metric === 'compound_engagement');
    expect(ce?.series).toHaveLength(1);
  });

  it('shows the A/B test against the control and the regions with their gaps', async () => {
    const { push, call } = setup();
    push([
      { content: 'nl-autunno', metric: 'impressions', value: 1000, time: at(0), variant: 'A' },
      { content: 'nl-autunno', metric: 'clicks', value: 150, time: at(0), variant: 'A' },
      { content: 'nl-autunno', metric: 'impressions', value: 1000, time: at(0), variant: 'B' },
      { content: 'nl-autunno', metric: 'clicks', value: 200, time: at(0), variant: 'B' },
      { content: 'nl-autunno', metric: 'regional_conversion_rate', value: 0.05, time: at(0), region: '03' },
      { content: 'nl-autunno', metric: 'regional_conversion_rate', value: 0.05, time: at(0), region: 'Lazio' },
      { content: 'nl-autunno', metric: 'regional_conversion_rate', value: 0.035, time: at(0), region: 'Campania' },
    ]);
    const panel = await call<Panel>('metrics.panel', { channel: 'newsletter' });
    const b = panel.ab?.variants.find((v) => v.variant === 'B');
    expect(panel.ab?.variants.find((v) => v.variant === 'A')?.control).toBe(true);
    expect(b?.rate).toBeCloseTo(0.2);
    expect(b?.pValue).toBeCloseTo(0.0033, 3);
    expect(b?.significant).toBe(true);
    expect(panel.regions.values.find((v) => v.code === '15')?.flagged).toBe(true);
    const south = await call<Panel>('metrics.panel', { channel: 'newsletter', area: 'south' });
    expect(south.regions.values.map((v) => v.code)).toEqual(['15']);
  });
});

describe('alerts', () => {
  it('no baseline, no relative-drop alert; a threshold still fires', async () => {
    const { push, call } = setup();
    push([{ content: 'nl-autunno', metric: 'ctr', value: 0.01, time: at(0) }]);
    const alerts = await call<Alert[]>('alerts.list', {});
    expect(alerts.map((a) => a.ruleName)).toEqual(['CTR sotto il 2%']);
    expect(alerts[0]?.severity).toBe('moderate');
  });

  it('a late point older than the newest is stored but does not fire on the current state', async () => {
    const { push, call } = setup();
    push([{ content: 'nl-autunno', metric: 'bounce_rate', value: 0.15, time: at(60) }]);
    expect(push([{ content: 'nl-autunno', metric: 'bounce_rate', value: 0.45, time: at(10) }])).toMatchObject({ accepted: 1, late: 1 });
    expect(await call<Alert[]>('alerts.list', {})).toHaveLength(0);
  });

  it('fires on a 15% drop against the historical baseline, once per live alert', async () => {
    const { push, call, events, getNow } = setup();
    push([0.05, 0.05, 0.05, 0.05].map((value, i) => ({ content: 'nl-autunno', metric: 'ctr', value, time: at(i * 10) })));
    expect(await call<Alert[]>('alerts.list', {})).toHaveLength(0);
    push([{ content: 'nl-autunno', metric: 'ctr', value: 0.04, time: at(50) }]);
    const [a] = await call<Alert[]>('alerts.list', {});
    expect(a).toMatchObject({ ruleName: 'Calo del CTR rispetto alla media', state: 'open', value: 0.04, reference: 0.05 });
    expect(Date.parse(a?.dueAt ?? '') - getNow()).toBe(60 * MIN);
    push([{ content: 'nl-autunno', metric: 'ctr', value: 0.039, time: at(60) }]);
    expect(await call<Alert[]>('alerts.list', {})).toHaveLength(1);
    expect(events.filter((e) => e.event === 'alerts.changed').map((e) => (e.payload as { reason: string }).reason)).toEqual(['fired', 'updated']);
  });

  it('runs the lifecycle open → acknowledged → intervention → resolved and measures the effect', async () => {
    const { push, call, setNow } = setup();
    push([{ content: 'nl-autunno', metric: 'bounce_rate', value: 0.25, time: at(0) }, { content: 'nl-autunno', metric: 'bounce_rate', value: 0.36, time: at(10) }]);
    const [a] = await call<Alert[]>('alerts.list', {});
    expect(a).toMatchObject({ severity: 'critical', ruleName: 'Bounce rate oltre il 30%' });
    await expect(call('alerts.resolve', { id: a?.id })).rejects.toMatchObject({ code: 'conflict' });
    expect(await call<Alert>('alerts.acknowledge', { id: a?.id })).toMatchObject({ state: 'acknowledged', acknowledgedBy: 'Sistema' });
    setNow(T0 + 20 * MIN);
    const int = await call<Alert>('alerts.intervene', { id: a?.id, what: 'Cambiato oggetto e anteprima' });
    expect(int.state).toBe('intervened');
    push([{ content: 'nl-autunno', metric: 'bounce_rate', value: 0.22, time: at(30) }]);
    setNow(T0 + 40 * MIN);
    const done = await call<Alert>('alerts.resolve', { id: a?.id });
    expect(done.state).toBe('resolved');
    const eff = done.interventions[0]?.effect;
    expect(done.interventions[0]).toMatchObject({ what: 'Cambiato oggetto e anteprima', who: 'Sistema' });
    expect(eff).toMatchObject({ windowMinutes: 20, beforeCount: 2, afterCount: 1, improved: true });
    expect(eff?.before).toBeCloseTo(0.305);
    expect(eff?.after).toBeCloseTo(0.22);
    expect(await call<Alert[]>('alerts.list', {})).toHaveLength(0);
    expect(await call<Alert[]>('alerts.list', { includeResolved: true })).toHaveLength(1);
  });

  it('each act is the signed-in person\'s: their name is recorded, and a typed name is refused', async () => {
    const { app, push, dataDir } = setup();
    const admin = (await app.dispatch('auth.setup', { username: 'admin', displayName: 'Anna Admin', password: 'una-password-lunga' }, { session: null })) as { token: string };
    await app.dispatch('users.create', { username: 'giulia', displayName: 'Giulia Romano', password: 'una-password-lunga', roles: ['manager'] }, { session: admin.token });
    const giulia = { session: ((await app.dispatch('auth.signIn', { username: 'giulia', password: 'una-password-lunga' }, { session: null })) as { token: string }).token };
    push([{ content: 'nl-autunno', metric: 'bounce_rate', value: 0.25, time: at(0) }, { content: 'nl-autunno', metric: 'bounce_rate', value: 0.36, time: at(10) }]);
    const [a] = (await app.dispatch('alerts.list', {}, giulia)) as Alert[];
    // Nobody acts as someone else: a name in the input is not part of the contract.
    await expect(app.dispatch('alerts.acknowledge', { id: a?.id, by: 'Marco' }, giulia)).rejects.toMatchObject({ code: 'invalid' });
    expect(await app.dispatch('alerts.acknowledge', { id: a?.id }, giulia)).toMatchObject({ acknowledgedBy: 'Giulia Romano' });
    const int = (await app.dispatch('alerts.intervene', { id: a?.id, what: 'Oggetto riscritto' }, giulia)) as Alert;
    expect(int.interventions[0]).toMatchObject({ who: 'Giulia Romano', what: 'Oggetto riscritto' });
    const db = new Database(join(dataDir, 'vedetta.db'), { readonly: true });
    const rows = db.prepare("SELECT actor, action FROM audit_log WHERE action LIKE 'alerts.%' AND detail NOT LIKE '%rifiutato%' AND detail NOT LIKE '%fallito%' ORDER BY id").all();
    db.close();
    expect(rows).toEqual([{ actor: 'giulia', action: 'alerts.acknowledge' }, { actor: 'giulia', action: 'alerts.intervene' }]);
  });

  it('escalates on SLA breach from the timer, with an event', async () => {
    const { push, app, events, setNow } = setup();
    push([{ content: 'reel-crema', metric: 'drop_off_rate_30s', value: 0.42, time: at(0) }]);
    const svc = (app as unknown as { metricsSvc: { tick(): void } }).metricsSvc;
    setNow(T0 + 24 * 60 * MIN + 14 * MIN);
    svc.tick();
    expect(events.some((e) => e.event === 'alerts.changed' && (e.payload as { reason: string }).reason === 'escalated')).toBe(false);
    setNow(T0 + 24 * 60 * MIN + 16 * MIN);
    svc.tick();
    const esc = events.filter((e) => e.event === 'alerts.changed' && (e.payload as { reason: string }).reason === 'escalated');
    expect(esc).toHaveLength(1);
    expect((esc[0]?.payload as { alert: Alert }).alert.escalated).toBe(true);
  });

  it('projects a breach from the trend and flags a regional gap', async () => {
    const { push, call } = setup();
    push([0.2, 0.22, 0.24, 0.26, 0.27, 0.28].map((value, i) => ({ content: 'nl-autunno', metric: 'bounce_rate', value, time: at(i * 10) })));
    push([
      { content: 'nl-autunno', metric: 'regional_conversion_rate', value: 0.05, time: at(0), region: '03' },
      { content: 'nl-autunno', metric: 'regional_conversion_rate', value: 0.035, time: at(0), region: '15' },
    ]);
    const alerts = await call<Alert[]>('alerts.list', {});
    expect(alerts.map((a) => a.ruleName).sort()).toEqual(['Bounce rate in rotta verso il 30%', 'Divario regionale oltre il 10%']);
    expect(alerts.find((a) => a.kind === 'regional_gap')?.region).toBe('15');
  });

  it('rules are editable: a stricter threshold fires where the default did not', async () => {
    const { push, call } = setup();
    const rules = await call<{ id: number; metric: string; kind: string }[]>('alerts.rules', {});
    const ctr = rules.find((r) => r.kind === 'threshold' && r.metric === 'ctr');
    await call('alerts.saveRule', { id: ctr?.id, rule: { name: 'CTR sotto il 3%', kind: 'threshold', metric: 'ctr', direction: 'below', threshold: 0.03, severity: 'critical', slaMinutes: 15 } });
    push([{ content: 'nl-autunno', metric: 'ctr', value: 0.025, time: at(0) }]);
    const [a] = await call<Alert[]>('alerts.list', {});
    expect(a).toMatchObject({ ruleName: 'CTR sotto il 3%', severity: 'critical' });
    await expect(call('alerts.saveRule', { rule: { name: 'x', kind: 'relative_drop', metric: 'ctr', threshold: 15, severity: 'moderate', slaMinutes: 60 } })).rejects.toMatchObject({ code: 'invalid' });
  });
});

describe('alerts on the timer', () => {
  it('a rule added after the points arrived fires on the next sweep', async () => {
    const { push, call, app, setNow, getNow } = setup();
    push([{ content: 'nl-autunno', metric: 'time_to_click', value: 240, time: at(0) }]);
    expect(await call<Alert[]>('alerts.list', {})).toHaveLength(0);
    await call('alerts.saveRule', { rule: { name: 'Clic troppo lenti', kind: 'threshold', metric: 'time_to_click', direction: 'above', threshold: 180, severity: 'moderate', slaMinutes: 60 } });
    const svc = (app as unknown as { metricsSvc: { tick(): void } }).metricsSvc;
    setNow(getNow() + 61_000);
    svc.tick();
    const [a] = await call<Alert[]>('alerts.list', {});
    expect(a).toMatchObject({ ruleName: 'Clic troppo lenti', message: expect.stringMatching(/Tempo al clic 240 s/) });
  });
});

describe('CSV import with mapping', () => {
  const csv = [
    'ID post;Data;Visualizzazioni;Mi piace;Commenti;Condivisioni;Regione',
    'reel-crema;20/11/2026 10:00;1.200;96;10;14;Lombardia',
    'reel-crema;21/11/2026 10:00;2.400;190;22;30;Lombardia',
    'reel-crema;ieri;100;1;1;1;Lombardia',
    'reel-crema;22/11/2026 10:00;abc;1;1;1;Lombardia',
  ].join('\n');

  it('suggests a mapping from the header, imports with per-row errors and is idempotent', async () => {
    const { call } = setup();
    const prev = await call<{ columns: string[]; suggested: { columns: Record<string, string>; metricColumns: Record<string, string> }; rows: number }>('metrics.csvPreview', { fileName: 'meta.csv', content: csv });
    expect(prev.rows).toBe(4);
    expect(prev.suggested.columns).toMatchObject({ content: 'ID post', time: 'Data', region: 'Regione' });
    expect(prev.suggested.metricColumns).toEqual({ Visualizzazioni: 'views', 'Mi piace': 'likes', Commenti: 'comments', Condivisioni: 'shares' });
    // Regional counters are not what compound engagement reads: map without the region.
    const mapping = { columns: { content: 'ID post', time: 'Data' }, metricColumns: prev.suggested.metricColumns, constants: { tz: 'Europe/Rome' } };
    const r = await call<MetricIngestResult & { error: string | null }>('metrics.csvImport', { fileName: 'meta.csv', content: csv, mapping });
    expect(r.error).toBeNull();
    expect(r.accepted).toBe(8 + 3);
    expect(r.rejected.map((x) => x.line)).toEqual([4, 4, 4, 4, 5]);
    expect(r.rejected.find((x) => x.line === 5)?.reason).toMatch(/Visualizzazioni.*non è un numero/);
    const again = await call<MetricIngestResult>('metrics.csvImport', { fileName: 'meta.csv', content: csv, mapping });
    expect(again.accepted).toBe(0);
    expect(again.duplicates).toBe(11);
    const panel = await call<Panel>('metrics.panel', { channel: 'instagram_reel' });
    expect(panel.engagement[0]?.value).toBeCloseTo((190 + 22 + 30) / 2400);
  });

  it('says which column is missing and reads nothing from a binary file', async () => {
    const { call } = setup();
    const bad = await call<{ error: string | null; errorRef?: unknown }>('metrics.csvImport', { fileName: 'x.csv', content: csv, mapping: { columns: { content: 'Post', time: 'Data' }, metricColumns: { Visualizzazioni: 'views' } } });
    expect(bad.error).toBe('La colonna «Post» scelta per content non è nel file.');
    expect(bad.errorRef).toEqual({ key: 'metrics.csvColumnMissing', params: { column: 'Post', field: 'content' } });
    await expect(call('metrics.csvPreview', { fileName: 'x.xlsx', content: 'PK\u0003\u0004\u0000\u0000' })).rejects.toMatchObject({ code: 'invalid', key: 'metrics.csvBinary' });
    // csv-parse's English message does not reach the person: the reason is said in Italian.
    await expect(call('metrics.csvPreview', { fileName: 'q.csv', content: 'Post,Data,Views\n"a,2024-01-01,3\nb,2024-01-02,4\n' })).rejects.toMatchObject({
      key: 'csv.quoteNotClosed',
      message: expect.stringMatching(/^Il file CSV non è leggibile: delle virgolette aperte/),
    });
  });
});

describe('demo workspace', () => {
  it('seeds owned content with a metric history once, with alerts to show', async () => {
    const { app } = testApp();
    const call = <T>(op: string, input: unknown): Promise<T> => app.dispatch(op, input) as Promise<T>;
    await call('demo.start', { speed: 1000 });
    await call('demo.stop', {});
    const contents = await call<{ id: number; key: string; pointCount: number }[]>('metrics.contents', {});
    expect(contents).toHaveLength(7);
    expect(contents.every((c) => c.pointCount > 0)).toBe(true);
    const reels = await call<Panel>('metrics.panel', { channel: 'instagram_reel' });
    expect(reels.kpis.filter((k) => k.metric !== 'sentiment_score' && k.metric !== 'language_fit_score').every((k) => k.series.length > 0)).toBe(true);
    expect(reels.dropOff?.points).toHaveLength(4);
    const nl = await call<Panel>('metrics.panel', { channel: 'newsletter', contentId: contents.find((c) => c.key === 'nl-novembre')?.id });
    expect(nl.regions.values).toHaveLength(20);
    expect(nl.ab?.variants.find((v) => v.variant === 'B')?.significant).toBe(true);
    const alerts = await call<Alert[]>('alerts.list', {});
    expect(alerts.map((a) => a.ruleName)).toEqual(expect.arrayContaining(['Abbandono a 30 s oltre il 30%', 'Divario regionale oltre il 10%', 'Bounce rate in rotta verso il 30%']));
    const before = contents.reduce((s, c) => s + c.pointCount, 0);
    await call('demo.start', { speed: 1000 });
    await call('demo.stop', {});
    const after = (await call<{ pointCount: number }[]>('metrics.contents', {})).reduce((s, c) => s + c.pointCount, 0);
    expect(after).toBe(before);
  });
});
