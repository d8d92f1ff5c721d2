import type { Database } from 'better-sqlite3';
import type { Migration } from './types';

// Tier 2: owned content, its metric points, alert rules, alerts with SLA clocks,
// interventions and the notification delivery log. Times are INTEGER ms UTC; `tz` keeps
// the zone the source wrote the time in. Region and variant are '' when absent so the
// uniqueness of a point (content, metric, region, variant, time) holds without NULLs.
export const metrics: Migration = {
  version: 6,
  name: 'metrics',
  up(db: Database) {
    db.exec(`
      CREATE TABLE owned_content (
        id               INTEGER PRIMARY KEY,
        key              TEXT NOT NULL UNIQUE,
        channel          TEXT NOT NULL CHECK (channel IN ('instagram_reel', 'newsletter', 'web_article', 'social_post', 'localized')),
        title            TEXT NOT NULL,
        url              TEXT,
        published_at     INTEGER,
        region           TEXT,
        variants         TEXT NOT NULL DEFAULT '[]',
        control_variant  TEXT,
        created_at       INTEGER NOT NULL,
        updated_at       INTEGER NOT NULL
      );
      CREATE INDEX owned_content_channel ON owned_content (channel);

      CREATE TABLE metric_points (
        content_id   INTEGER NOT NULL REFERENCES owned_content(id) ON DELETE CASCADE,
        metric       TEXT NOT NULL,
        region       TEXT NOT NULL DEFAULT '',
        variant      TEXT NOT NULL DEFAULT '',
        at           INTEGER NOT NULL,
        value        REAL NOT NULL,
        tz           TEXT NOT NULL,
        received_at  INTEGER NOT NULL,
        PRIMARY KEY (content_id, metric, region, variant, at)
      ) WITHOUT ROWID;
      -- Covering (value included; content, region and variant come with the key): a channel's
      -- series is read from the index alone, already in time order.
      CREATE INDEX metric_points_metric_at ON metric_points (metric, at, value);

      CREATE TABLE alert_rules (
        id               INTEGER PRIMARY KEY,
        name             TEXT NOT NULL,
        kind             TEXT NOT NULL CHECK (kind IN ('relative_drop', 'threshold', 'regional_gap', 'trend')),
        metric           TEXT NOT NULL,
        channel          TEXT,
        direction        TEXT NOT NULL DEFAULT 'below' CHECK (direction IN ('above', 'below')),
        threshold        REAL NOT NULL,
        window           INTEGER NOT NULL DEFAULT 12,
        horizon_minutes  INTEGER NOT NULL DEFAULT 60,
        severity         TEXT NOT NULL CHECK (severity IN ('critical', 'moderate')),
        sla_minutes      INTEGER NOT NULL,
        enabled          INTEGER NOT NULL DEFAULT 1,
        updated_at       INTEGER NOT NULL DEFAULT 0
      );

      CREATE TABLE alerts (
        id              INTEGER PRIMARY KEY,
        rule_id         INTEGER NOT NULL REFERENCES alert_rules(id) ON DELETE CASCADE,
        content_id      INTEGER NOT NULL REFERENCES owned_content(id) ON DELETE CASCADE,
        metric          TEXT NOT NULL,
        region          TEXT NOT NULL DEFAULT '',
        severity        TEXT NOT NULL,
        state           TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'acknowledged', 'intervened', 'resolved')),
        escalated       INTEGER NOT NULL DEFAULT 0,
        value           REAL NOT NULL,
        reference       REAL,
        message         TEXT NOT NULL,
        fired_at        INTEGER NOT NULL,
        due_at          INTEGER NOT NULL,
        ack_at          INTEGER,
        ack_by          TEXT,
        resolved_at     INTEGER,
        resolved_by     TEXT
      );
      -- One live alert per rule and series: a rule that keeps matching updates it.
      CREATE UNIQUE INDEX alerts_live ON alerts (rule_id, content_id, region) WHERE state <> 'resolved';
      CREATE INDEX alerts_fired ON alerts (fired_at DESC);

      CREATE TABLE alert_interventions (
        id        INTEGER PRIMARY KEY,
        alert_id  INTEGER NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
        what      TEXT NOT NULL,
        who       TEXT NOT NULL,
        at        INTEGER NOT NULL
      );
      CREATE INDEX alert_interventions_alert ON alert_interventions (alert_id);

      CREATE TABLE notify_deliveries (
        id        INTEGER PRIMARY KEY,
        alert_id  INTEGER REFERENCES alerts(id) ON DELETE SET NULL,
        channel   TEXT NOT NULL,
        attempt   INTEGER NOT NULL,
        status    TEXT NOT NULL CHECK (status IN ('sent', 'failed', 'retrying')),
        detail    TEXT NOT NULL,
        at        INTEGER NOT NULL
      );
      CREATE INDEX notify_deliveries_at ON notify_deliveries (at DESC);
    `);
    const rule = db.prepare(
      `INSERT INTO alert_rules (name, kind, metric, direction, threshold, window, horizon_minutes, severity, sla_minutes)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    // The defaults the strategists start from (PRODUCT: 15% drop, 30% bounce, 2% CTR…).
    rule.run('Calo del CTR rispetto alla media', 'relative_drop', 'ctr', 'below', 0.15, 12, 60, 'moderate', 60);
    rule.run('Calo del tempo di visione', 'relative_drop', 'avg_time_on_watch', 'below', 0.15, 12, 60, 'moderate', 60);
    rule.run("Calo dell'engagement composto", 'relative_drop', 'compound_engagement', 'below', 0.15, 12, 60, 'moderate', 60);
    rule.run('Bounce rate oltre il 30%', 'threshold', 'bounce_rate', 'above', 0.3, 12, 60, 'critical', 15);
    rule.run('CTR sotto il 2%', 'threshold', 'ctr', 'below', 0.02, 12, 60, 'moderate', 60);
    rule.run('Abbandono a 30 s oltre il 30%', 'threshold', 'drop_off_rate_30s', 'above', 0.3, 12, 60, 'critical', 15);
    rule.run('Divario regionale oltre il 10%', 'regional_gap', 'regional_conversion_rate', 'below', 0.1, 12, 60, 'moderate', 60);
    rule.run('Bounce rate in rotta verso il 30%', 'trend', 'bounce_rate', 'above', 0.3, 6, 60, 'critical', 15);
  },
};
