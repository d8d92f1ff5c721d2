// The alert lifecycle: an alert fires (or, still live, takes the newer value), is sent out,
// escalates past its SLA, is acknowledged, intervened on (each intervention with its measured
// effect on the series) and resolved, in that order. Every change is announced to clients.
import { ApiError } from '../../shared/contract';
import { DEFAULT_SLA_MINUTES, type Alert, type Intervention, type Rule } from '../../shared/alerts';
import { METRIC_INFO } from '../../shared/metrics';
import type { ErrorLang } from '../../shared/errors';
import type { EventBus } from '../api/events';
import type { AlertRow, AlertsRepo } from '../store/alerts-repo';
import type { Db } from '../store/db';
import type { MetricsRepo } from '../store/metrics-repo';
import { interventionEffect } from './formulas';
import { messageForAlert, type Notifier } from './notify';
import { iso, seriesOf } from './series';

export interface AlertLifecycleDeps {
  db: Db;
  events: EventBus;
  now: () => number;
  metrics: MetricsRepo;
  alertsRepo: AlertsRepo;
  notifier: Notifier;
  /** The workspace's language, for the notifications. */
  lang: () => ErrorLang;
  /** Length of one SLA minute; tests shorten it. */
  slaMinuteMs?: number;
}

export class AlertLifecycle {
  private readonly alertsRepo: AlertsRepo;

  constructor(private readonly d: AlertLifecycleDeps) {
    this.alertsRepo = d.alertsRepo;
  }

  /** A rule's hit on a series: a new alert, sent out unless `quiet`, or the live one updated. */
  fire(rule: Rule, contentId: number, region: string, value: number, reference: number | null, message: string, quiet = false): void {
    const live = this.alertsRepo.liveAlert(rule.id, contentId, region);
    if (live) {
      if (live.value !== value) {
        this.alertsRepo.refreshAlert(live.id, value, reference, message);
        this.d.events.emit('alerts.changed', { alert: this.alert(live.id), reason: 'updated' });
      }
      return;
    }
    const now = this.d.now();
    const sla = rule.slaMinutes || DEFAULT_SLA_MINUTES[rule.severity];
    const id = this.alertsRepo.insertAlert({ ruleId: rule.id, contentId, metric: rule.metric, region, severity: rule.severity, value, reference, message, firedAt: now, dueAt: now + sla * (this.d.slaMinuteMs ?? 60_000) });
    const alert = this.alert(id);
    this.d.events.emit('alerts.changed', { alert, reason: 'fired' });
    if (!quiet) void this.d.notifier.send(messageForAlert(alert, 'fired', this.d.lang()));
  }

  /** Escalates the alerts past their SLA at `now`, and sends them out again. */
  escalateOverdue(now: number): void {
    for (const row of this.alertsRepo.overdue(now)) {
      this.alertsRepo.markEscalated(row.id);
      const alert = this.alert(row.id);
      this.d.events.emit('alerts.changed', { alert, reason: 'escalated' });
      void this.d.notifier.send(messageForAlert(alert, 'escalated', this.d.lang()));
    }
  }

  alert(id: number): Alert {
    const row = this.alertsRepo.alert(id);
    if (!row) throw new ApiError('metrics.alertNotFound', { id });
    return this.toAlerts([row])[0] as Alert;
  }

  listAlerts(includeResolved: boolean): Alert[] {
    return this.toAlerts(this.alertsRepo.alerts({ includeResolved, limit: 500 }));
  }

  private toAlerts(rows: AlertRow[]): Alert[] {
    const ints = this.alertsRepo.interventions(rows.map((r) => r.id));
    const now = this.d.now();
    return rows.map((r) => {
      const series = ints.some((i) => i.alert_id === r.id) ? seriesOf(this.d.metrics, this.d.now, r.content_id, r.metric, r.region) : [];
      const interventions: Intervention[] = ints
        .filter((i) => i.alert_id === r.id)
        .map((i) => {
          const e = interventionEffect(series, i.at, r.resolved_at ?? now, METRIC_INFO[r.metric].higherIsBetter);
          return {
            id: i.id,
            alertId: r.id,
            what: i.what,
            who: i.who,
            at: iso(i.at),
            effect: { windowMinutes: Math.round(e.windowMs / 60_000), before: e.before, after: e.after, beforeCount: e.beforeCount, afterCount: e.afterCount, change: e.change, improved: e.improved },
          };
        });
      return {
        id: r.id,
        ruleId: r.rule_id,
        ruleName: r.rule_name,
        kind: r.kind,
        metric: r.metric,
        contentId: r.content_id,
        contentKey: r.content_key,
        contentTitle: r.content_title,
        region: r.region || null,
        severity: r.severity,
        state: r.state,
        escalated: r.escalated === 1,
        value: r.value,
        reference: r.reference,
        message: r.message,
        firedAt: iso(r.fired_at),
        dueAt: iso(r.due_at),
        acknowledgedAt: r.ack_at === null ? null : iso(r.ack_at),
        acknowledgedBy: r.ack_by,
        resolvedAt: r.resolved_at === null ? null : iso(r.resolved_at),
        resolvedBy: r.resolved_by,
        interventions,
      };
    });
  }

  acknowledge(id: number, by: string): Alert {
    const a = this.alert(id);
    if (a.state === 'acknowledged') throw new ApiError('metrics.alertAlreadyAcknowledged');
    if (a.state === 'intervened') throw new ApiError('metrics.alertAlreadyIntervened');
    if (a.state === 'resolved') throw new ApiError('metrics.alertAlreadyResolved');
    this.alertsRepo.setState(id, 'acknowledged', { ackAt: this.d.now(), ackBy: by });
    return this.changed(id, 'acknowledged');
  }

  intervene(id: number, what: string, who: string): Alert {
    const a = this.alert(id);
    if (a.state === 'resolved') throw new ApiError('metrics.alertResolvedNoIntervention');
    const now = this.d.now();
    this.d.db.transaction(() => {
      this.alertsRepo.addIntervention(id, what, who, now);
      // Recording what was done also takes the alert in charge, if nobody had yet.
      this.alertsRepo.setState(id, 'intervened', a.state === 'open' ? { ackAt: now, ackBy: who } : {});
    })();
    return this.changed(id, 'intervened');
  }

  resolve(id: number, by: string): Alert {
    const a = this.alert(id);
    if (a.state === 'resolved') throw new ApiError('metrics.alertAlreadyResolved');
    if (a.state !== 'intervened') throw new ApiError('metrics.alertNeedsIntervention');
    this.alertsRepo.setState(id, 'resolved', { resolvedAt: this.d.now(), resolvedBy: by });
    return this.changed(id, 'resolved');
  }

  private changed(id: number, reason: 'acknowledged' | 'intervened' | 'resolved'): Alert {
    const alert = this.alert(id);
    this.d.events.emit('alerts.changed', { alert, reason });
    return alert;
  }
}
