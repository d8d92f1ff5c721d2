// `vedetta alerts list` beside a running server, as on-call scripts use it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVedetta, type VedettaInstance } from '../support/vedetta-process';
import { postMetrics } from '../support/metrics';
import { vedetta } from './support/cli';


describe('vedetta alerts list', () => {
  let v: VedettaInstance;
  beforeAll(async () => {
    v = await startVedetta();
  });
  afterAll(async () => {
    await v?.stop();
  });

  it('prints the open alerts as JSON with state, severity, rule, content, fired and due times', async () => {
    const empty = await vedetta(['alerts', 'list', '--format', 'json', '--data', v.dataDir]);
    expect(empty.code, empty.stderr).toBe(0);
    expect(JSON.parse(empty.stdout)).toEqual([]);
    const r = await postMetrics(v, {
      content: [{ key: 'nl-saldi', channel: 'newsletter', title: 'Newsletter saldi' }],
      points: [{ content: 'nl-saldi', metric: 'bounce_rate', value: 0.41, time: new Date().toISOString() }],
    });
    expect(r.status).toBe(202);
    const out = await vedetta(['alerts', 'list', '--format', 'json', '--data', v.dataDir]);
    expect(out.code, out.stderr).toBe(0);
    const alerts = JSON.parse(out.stdout) as Record<string, unknown>[];
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ state: 'open', severity: 'critical', rule: 'Bounce rate oltre il 30%', content: 'nl-saldi', escalated: false });
    const fired = Date.parse(String(alerts[0]?.firedAt));
    expect(Date.parse(String(alerts[0]?.dueAt)) - fired).toBe(15 * 60_000);
    const text = await vedetta(['alerts', 'list', '--data', v.dataDir]);
    expect(text.stdout).toMatch(/CRITICA.*aperta.*Bounce rate oltre il 30%/);
    const bad = await vedetta(['alerts', 'show', '--data', v.dataDir]);
    expect(bad.code).toBe(2);
    // Four CLI processes in a row: generous for a loaded shared machine.
  }, 120_000);
});
