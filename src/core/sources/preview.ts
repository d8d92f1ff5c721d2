// The dry run of a source (the form's "Prova" and `vedetta sources test`): fetch once with a
// fresh state, validate like the pipeline, store nothing; and the name a source gets when the
// person gives none.
import { connectorError, connectorFor, type Connector, type ConnectorRegistry, type PollOutcome } from './ports';
import { renderText, type ErrorRef, type TextRef } from '../../shared/errors';
import { PREVIEW_MAX, type ConfigOf, type PolledKind, type PolledSourceConfig, type SourcePreviewItem, type SourceSecrets, type SourceTestResult } from '../../shared/sources';
import { validateInbound } from '../ingest/pipeline';
import { toPlainText } from '../ingest/text';

/** A readable default name from the settings: the feed's address, r/subreddit, #hashtag… */
export function defaultSourceName(s: PolledSourceConfig): string {
  const host = (u: string): string => {
    try {
      return new URL(u).host;
    } catch {
      return u;
    }
  };
  let name: string;
  switch (s.kind) {
    case 'rss': {
      try {
        const u = new URL(s.config.url);
        name = `${u.host}${u.pathname === '/' ? '' : u.pathname}`;
      } catch {
        name = s.config.url;
      }
      break;
    }
    case 'reddit':
      name =
        s.config.mode === 'search'
          ? `Reddit: "${s.config.query ?? ''}"${s.config.subreddit ? ` in r/${s.config.subreddit}` : ''}`
          : s.config.mode === 'thread'
            ? `Reddit: discussione ${s.config.threadUrl ?? ''}`
            : `r/${s.config.subreddit ?? ''}${s.config.mode === 'subreddit_comments' ? ' (commenti)' : ''}`;
      break;
    case 'discourse':
      name = `${host(s.config.baseUrl)}${s.config.mode === 'search' ? `: "${s.config.query ?? ''}"` : s.config.mode === 'topic' ? ` #${s.config.topicId ?? ''}` : ''}`;
      break;
    case 'mastodon':
      name = s.config.mode === 'hashtag' ? `#${(s.config.hashtag ?? '').replace(/^#/, '')} @ ${host(s.config.instanceUrl)}` : `@${s.config.account ?? ''} @ ${host(s.config.instanceUrl)}`;
      break;
  }
  return name.slice(0, 120);
}

/** A text of the catalogue carried in a result, for each client to word in its language. */
export function carried(ref: TextRef | undefined): { ref?: ErrorRef } {
  return ref ? { ref: { key: ref.key, params: { ...ref.params } } } : {};
}

/** The dry run: fetch once with a fresh state, validate like the pipeline, store nothing. */
export async function previewSource(
  connectors: ConnectorRegistry,
  cfg: PolledSourceConfig,
  o: { name?: string; secrets?: SourceSecrets; now?: () => number; signal?: AbortSignal } = {},
): Promise<SourceTestResult> {
  const name = o.name ?? defaultSourceName(cfg);
  const secrets = o.secrets ?? {};
  const signal = o.signal;
  const connector = connectorFor(connectors, cfg.kind) as Connector | undefined;
  if (!connector) {
    return { ok: false, error: { kind: 'unavailable', message: renderText('source.unavailable', {}, 'it'), ref: { key: 'source.unavailable', params: {} } }, total: 0, items: [], problems: [] };
  }
  let outcome: PollOutcome;
  try {
    outcome = await connector.poll(cfg.config as ConfigOf<PolledKind> as never, {}, {
      signal: signal ?? new AbortController().signal,
      now: o.now ?? Date.now,
      secrets,
      sourceName: name,
    });
  } catch (err) {
    // The interface says never throw; one that does anyway is a failed dry run, as the scheduler says it.
    outcome = { ok: false, error: connectorError('internal', 'source.connectorCrashed', { reason: err instanceof Error ? err.message : String(err) }) };
  }
  if (!outcome.ok) {
    const { kind, message, ref } = outcome.error;
    return { ok: false, error: { kind, message, ...carried(ref) }, total: 0, items: [], problems: [] };
  }
  const items: SourcePreviewItem[] = [];
  const problems: SourceTestResult['problems'] = outcome.problems.map(({ ref, ...p }) => ({ ...p, ...carried(ref) }));
  outcome.items.forEach((raw, index) => {
    const v = validateInbound({ ...raw, source: name });
    if (!v.ok) {
      problems.push({ index, reason: v.reason });
      return;
    }
    if (items.length >= PREVIEW_MAX) return;
    const i = v.item;
    // As the pipeline will store it: services (Mastodon, Discourse) send HTML.
    const text = toPlainText(i.text);
    const title = i.title !== undefined ? toPlainText(i.title) || null : null;
    items.push({
      title,
      text: text.length > 500 ? `${text.slice(0, 500)}…` : text,
      url: i.url ?? null,
      author: i.author ?? null,
      publishedAt: i.published_at ?? null,
      externalId: i.external_id ?? null,
    });
  });
  return { ok: true, error: null, total: outcome.items.length - (problems.length - outcome.problems.length), items, problems: problems.slice(0, 100) };
}
