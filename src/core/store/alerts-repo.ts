// SQL of alert rules, alerts, interventions and the notification delivery log (Tier 2).
import type { AlertState, Delivery, NotifyChannel, ParsedRuleInput, Rule, Severity } from '../../shared/alerts';
import type { MetricId } from '../../shared/metrics';

type RuleKindLike = Rule['kind'];
import type { Db } from './db';

interface RuleRow {
  id: number;
  name: string;
  kind: Rule['kind'];
  metric: MetricId;
  channel: Rule['channel'];
  direction: 'above' | 'below';
  threshold: number;
  window: number;
  horizon_minutes: number;
  severity: Severity;
  sla_minutes: number;
  enabled: number;
}

export interface AlertRow {
  id: number;
  rule_id: number;
  rule_name: string;
  kind: RuleKindLike;
  content_id: number;
  content_key: string;
  content_title: string;
  metric: MetricId;
  region: string;
  severity: Severity;
  state: AlertState;
  escalated: number;
  value: number;
  reference: number | null;
  message: string;
  fired_at: number;
  due_at: number;
  ack_at: number | null;
  ack_by: string | null;
  resolved_at: number | null;
  resolved_by: string | null;
}

export interface InterventionRow {
  id: number;
  alert_id: number;
  what: string;
  who: string;
  at: number;
}

const ALERT_SELECT = `
  SELECT a.*, r.name AS rule_name, r.kind AS kind, c.key AS content_key, c.title AS content_title
  FROM alerts a JOIN alert_rules r ON r.id = a.rule_id JOIN owned_content c ON c.id = a.content_id`;

function toRule(r: RuleRow): Rule {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    metric: r.metric,
    channel: r.channel,
    direction: r.direction,
    threshold: r.threshold,
    window: r.window,
    horizonMinutes: r.horizon_minutes,
    severity: r.severity,
    slaMinutes: r.sla_minutes,
    enabled: r.enabled === 1,
  };
}

export class AlertsRepo {
  constructor(private readonly db: Db) {}

  rules(): Rule[] {
    return this.db.prepare<[], RuleRow>('SELECT * FROM alert_rules ORDER BY id').all().map(toRule);
  }

  rule(id: number): Rule | null {
    const r = this.db.prepare<[number], RuleRow>('SELECT * FROM alert_rules WHERE id = ?').get(id);
    return r ? toRule(r) : null;
  }

  saveRule(id: number | null, r: ParsedRuleInput, now: number): Rule {
    const params = {
      name: r.name,
      kind: r.kind,
      metric: r.metric,
      channel: r.channel,
      direction: r.direction,
      threshold: r.threshold,
      window: r.window,
      horizon: r.horizonMinutes,
      severity: r.severity,
      sla: r.slaMinutes,
      enabled: r.enabled ? 1 : 0,
      now,
    };
    let ruleId = id;
    if (ruleId === null) {
      ruleId = Number(
        this.db
          .prepare(
            `INSERT INTO alert_rules (name, kind, metric, channel, direction, threshold, window, horizon_minutes, severity, sla_minutes, enabled, updated_at)
             VALUES (@name, @kind, @metric, @channel, @direction, @threshold, @window, @horizon, @severity, @sla, @enabled, @now)`,
          )
          .run(params).lastInsertRowid,
      );
    } else {
      this.db
        .prepare(
          `UPDATE alert_rules SET name = @name, kind = @kind, metric = @metric, channel = @channel, direction = @direction,
             threshold = @threshold, window = @window, horizon_minutes = @horizon, severity = @severity, sla_minutes = @sla,
             enabled = @enabled, updated_at = @now WHERE id = @id`,
        )
        .run({ ...params, id: ruleId });
    }
    return this.rule(ruleId) as Rule;
  }

  deleteRule(id: number): boolean {
    return this.db.prepare('DELETE FROM alert_rules WHERE id = ?').run(id).changes > 0;
  }

  liveAlert(ruleId: number, contentId: number, region: string): AlertRow | null {
    return (
      this.db.prepare<[number, number, string], AlertRow>(`${ALERT_SELECT} WHERE a.rule_id = ? AND a.content_id = ? AND a.region = ? AND a.state <> 'resolved'`).get(ruleId, contentId, region) ??
      null
    );
  }

  insertAlert(a: {
    ruleId: number;
    contentId: number;
    metric: MetricId;
    region: string;
    severity: Severity;
    value: number;
    reference: number | null;
    message: string;
    firedAt: number;
    dueAt: number;
  }): number {
    return Number(
      this.db
        .prepare(
          `INSERT INTO alerts (rule_id, content_id, metric, region, severity, value, reference, message, fired_at, due_at)
           VALUES (@ruleId, @contentId, @metric, @region, @severity, @value, @reference, @message, @firedAt, @dueAt)`,
        )
        .run(a).lastInsertRowid,
    );
  }

  refreshAlert(id: number, value: number, reference: number | null, message: string): void {
    this.db.prepare('UPDATE alerts SET value = ?, reference = ?, message = ? WHERE id = ?').run(value, reference, message, id);
  }

  alert(id: number): AlertRow | null {
    return this.db.prepare<[number], AlertRow>(`${ALERT_SELECT} WHERE a.id = ?`).get(id) ?? null;
  }

  alerts(opts: { includeResolved: boolean; limit: number }): AlertRow[] {
    const where = opts.includeResolved ? '' : `WHERE a.state <> 'resolved'`;
    return this.db.prepare<[number], AlertRow>(`${ALERT_SELECT} ${where} ORDER BY a.fired_at DESC, a.id DESC LIMIT ?`).all(opts.limit);
  }

  setState(id: number, state: AlertState, fields: { ackAt?: number; ackBy?: string; resolvedAt?: number; resolvedBy?: string }): void {
    this.db
      .prepare(
        `UPDATE alerts SET state = @state,
           ack_at = COALESCE(@ackAt, ack_at), ack_by = COALESCE(@ackBy, ack_by),
           resolved_at = COALESCE(@resolvedAt, resolved_at), resolved_by = COALESCE(@resolvedBy, resolved_by)
         WHERE id = @id`,
      )
      .run({ id, state, ackAt: fields.ackAt ?? null, ackBy: fields.ackBy ?? null, resolvedAt: fields.resolvedAt ?? null, resolvedBy: fields.resolvedBy ?? null });
  }

  /** Alerts past their SLA with no intervention yet and not yet escalated. */
  overdue(now: number): AlertRow[] {
    return this.db.prepare<[number], AlertRow>(`${ALERT_SELECT} WHERE a.state IN ('open', 'acknowledged') AND a.escalated = 0 AND a.due_at <= ?`).all(now);
  }

  markEscalated(id: number): void {
    this.db.prepare('UPDATE alerts SET escalated = 1 WHERE id = ?').run(id);
  }

  addIntervention(alertId: number, what: string, who: string, at: number): number {
    return Number(this.db.prepare('INSERT INTO alert_interventions (alert_id, what, who, at) VALUES (?, ?, ?, ?)').run(alertId, what, who, at).lastInsertRowid);
  }

  interventions(alertIds: readonly number[]): InterventionRow[] {
    if (alertIds.length === 0) return [];
    const marks = alertIds.map(() => '?').join(',');
    return this.db.prepare<unknown[], InterventionRow>(`SELECT * FROM alert_interventions WHERE alert_id IN (${marks}) ORDER BY at`).all(...alertIds);
  }

  logDelivery(d: { alertId: number | null; channel: NotifyChannel; attempt: number; status: Delivery['status']; detail: string; at: number }): void {
    this.db
      .prepare('INSERT INTO notify_deliveries (alert_id, channel, attempt, status, detail, at) VALUES (@alertId, @channel, @attempt, @status, @detail, @at)')
      .run(d);
  }

  deliveries(limit: number): Delivery[] {
    return this.db
      .prepare<[number], { id: number; alert_id: number | null; channel: NotifyChannel; attempt: number; status: Delivery['status']; detail: string; at: number }>(
        'SELECT * FROM notify_deliveries ORDER BY at DESC, id DESC LIMIT ?',
      )
      .all(limit)
      .map((r) => ({ id: r.id, alertId: r.alert_id, channel: r.channel, attempt: r.attempt, status: r.status, detail: r.detail, at: new Date(r.at).toISOString() }));
  }

  /** Internal key/value in the settings table (never exposed by settings.get). */
  getInternal(key: string): string | null {
    return this.db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?').get(`internal.${key}`)?.value ?? null;
  }

  setInternal(key: string, value: string | null): void {
    if (value === null) this.db.prepare('DELETE FROM settings WHERE key = ?').run(`internal.${key}`);
    else this.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(`internal.${key}`, value);
  }
}
