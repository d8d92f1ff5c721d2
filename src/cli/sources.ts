// `vedetta sources add|list|test`: scripted setup of polled sources. `list` reads beside a
// running instance; `test` needs no data folder at all; `add` writes, so it needs the folder
// free (while `vedetta serve` or the app holds it, the user is told to add it there).
import { existsSync, mkdirSync } from 'node:fs';
import type { SourceView } from '../shared/ops/sources';
import { PolledSourceConfigSchema, SourceAddInputSchema, type SourceSecrets, type SourceTestResult } from '../shared/sources';
import { ApiError, zodDetails, type DetailRef } from '../shared/contract';
import { DataDirLockedError, openApp, openReadOnly } from '../app/app';
import { previewSource } from '../core/sources';
import { createConnectorRegistry } from '../connectors/inbound/registry';
import { resolveDataDir } from '../server/user-data';
import { errorLanguage, renderErrorRef, renderText } from '../shared/errors';
import { parseWorded, zodIssueCode } from '../core/ingest/zod-it';
import { errorText, nodePlatform, parse, said, stderrLogger, UsageError, type CliIo } from './io';

/** The usage lines of `vedetta sources`, in the language the command line runs in. */
export const sourcesHelp = (): string => renderText('help.sourcesUsage');
const sourcesDetail = (): string => renderText('help.sourcesDetail');

const CONFIG_OPTIONS = {
  kind: { type: 'string' },
  url: { type: 'string' },
  mode: { type: 'string' },
  subreddit: { type: 'string' },
  query: { type: 'string' },
  'thread-url': { type: 'string' },
  'client-id': { type: 'string' },
  username: { type: 'string' },
  'base-url': { type: 'string' },
  'topic-id': { type: 'string' },
  'api-username': { type: 'string' },
  instance: { type: 'string' },
  hashtag: { type: 'string' },
  account: { type: 'string' },
} as const;

type ConfigValues = { [K in keyof typeof CONFIG_OPTIONS]?: string | undefined };

function configFromOptions(v: ConfigValues): unknown {
  const kind = v.kind ?? (v.url ? 'rss' : undefined);
  if (!kind) throw new UsageError('cli.sourcesNoKind');
  const pick = (o: Record<string, string | number | undefined>) => Object.fromEntries(Object.entries(o).filter(([, x]) => x !== undefined));
  switch (kind) {
    case 'rss':
      return { kind, config: pick({ url: v.url }) };
    case 'reddit':
      return { kind, config: pick({ mode: v.mode, subreddit: v.subreddit, query: v.query, threadUrl: v['thread-url'], clientId: v['client-id'], username: v.username }) };
    case 'discourse':
      return {
        kind,
        config: pick({ baseUrl: v['base-url'], mode: v.mode, query: v.query, topicId: v['topic-id'] === undefined ? undefined : Number(v['topic-id']), apiUsername: v['api-username'] }),
      };
    case 'mastodon':
      return { kind, config: pick({ instanceUrl: v.instance, mode: v.mode, hashtag: v.hashtag, account: v.account }) };
    default:
      throw new UsageError('cli.sourcesBadKind', { kind });
  }
}

function secretsFromEnv(env: NodeJS.ProcessEnv): SourceSecrets | undefined {
  const map: [keyof SourceSecrets, string][] = [
    ['clientSecret', 'VEDETTA_SECRET_CLIENT_SECRET'],
    ['password', 'VEDETTA_SECRET_PASSWORD'],
    ['refreshToken', 'VEDETTA_SECRET_REFRESH_TOKEN'],
    ['apiKey', 'VEDETTA_SECRET_API_KEY'],
    ['accessToken', 'VEDETTA_SECRET_ACCESS_TOKEN'],
  ];
  const out: SourceSecrets = {};
  for (const [k, name] of map) if (env[name]) out[k] = env[name];
  return Object.keys(out).length ? out : undefined;
}

function parseInterval(s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  if (!/^\d+$/.test(s)) throw new UsageError('cli.badInterval', { value: s });
  return Number(s);
}

function invalid(lines: DetailRef[]): UsageError {
  return new UsageError('cli.sourcesInvalid', {}, { details: lines, help: sourcesDetail() });
}

export async function sourcesCommand(rest: string[], env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  const [sub, ...args] = rest;
  if (sub === '--help' || sub === '-h' || sub === 'help' || args.includes('--help') || args.includes('-h')) {
    io.out(`${sourcesHelp()}\n\n${sourcesDetail()}\n`);
    return 0;
  }
  switch (sub) {
    case 'add': {
      const { values } = parse(args, { ...CONFIG_OPTIONS, name: { type: 'string' }, interval: { type: 'string' }, data: { type: 'string' } }, 0);
      const base = configFromOptions(values) as { kind: string; config: unknown };
      const secrets = secretsFromEnv(env);
      const intervalSec = parseInterval(values.interval);
      const parsed = parseWorded(
        SourceAddInputSchema,
        {
          ...base,
          ...(values.name !== undefined ? { name: values.name } : {}),
          ...(intervalSec !== undefined ? { intervalSec } : {}),
          ...(secrets ? { secrets } : {}),
        },
        errorLanguage(),
      );
      if (!parsed.success) throw invalid(zodDetails(parsed.error, zodIssueCode));
      const dataDir = resolveDataDir(values.data, { env });
      mkdirSync(dataDir, { recursive: true });
      let app;
      try {
        app = openApp({ platform: nodePlatform(dataDir, stderrLogger(io)), mode: 'cli' });
      } catch (e) {
        if (e instanceof DataDirLockedError) {
          io.err(`${e.message}\n${said('cli.sourceNotAddedLocked')}`);
          return 1;
        }
        throw e;
      }
      try {
        const s = (await app.dispatch('sources.add', parsed.data)) as SourceView;
        io.out(said('output.sourceAdded', { id: s.id, name: s.name, kind: s.kind, interval: s.intervalSec ?? '?' }));
        io.out(said('output.sourceWhen', { dir: dataDir }));
        return 0;
      } catch (e) {
        if (e instanceof ApiError) {
          io.err(errorText(e, errorLanguage()));
          return 1;
        }
        throw e;
      } finally {
        app.close();
      }
    }
    case 'list': {
      const { values } = parse(args, { format: { type: 'string', default: 'text' }, data: { type: 'string' } }, 0);
      if (values.format !== 'text' && values.format !== 'json') throw new UsageError('cli.formatTextJson');
      const dataDir = resolveDataDir(values.data, { env });
      if (!existsSync(dataDir)) {
        io.err(said('cli.noDataDir', { dir: dataDir }));
        return 1;
      }
      const store = openReadOnly(dataDir);
      try {
        const list = store.sources();
        if (values.format === 'json') io.out(`${JSON.stringify(list, null, 2)}\n`);
        else io.out(formatSources(list));
        return 0;
      } finally {
        store.close();
      }
    }
    case 'test': {
      const { values } = parse(args, { ...CONFIG_OPTIONS, format: { type: 'string', default: 'text' } }, 0);
      if (values.format !== 'text' && values.format !== 'json') throw new UsageError('cli.formatTextJson');
      const parsed = parseWorded(PolledSourceConfigSchema, configFromOptions(values), errorLanguage());
      if (!parsed.success) throw invalid(zodDetails(parsed.error, zodIssueCode));
      const secrets = secretsFromEnv(env);
      const result = await previewSource(createConnectorRegistry(), parsed.data, secrets ? { secrets } : {});
      if (values.format === 'json') io.out(`${JSON.stringify(result, null, 2)}\n`);
      else io.out(formatPreview(result));
      return result.ok ? 0 : 1;
    }
    case undefined:
      throw new UsageError('cli.sourcesWhich', {}, { help: `${sourcesHelp()}\n${sourcesDetail()}` });
    default:
      throw new UsageError('cli.sourcesUnknown', { sub });
  }
}

/** The sources and their health, in the language the command runs in (stored health texts as they were worded). */
export function formatSources(list: SourceView[]): string {
  if (list.length === 0) return said('output.noSources');
  const lines = list.map((s) => {
    const h = s.health;
    const parts = [
      renderText('output.sourceHead', { id: s.id, name: s.name, kind: s.kind, state: `sourceState.${h.state}` }),
      renderText('output.sourceLine', { last: h.lastSuccessAt ?? 'output.never', hour: h.itemsLastHour, mentions: s.mentionCount }) +
        (h.nextPollAt ? renderText('output.sourceNext', { at: h.nextPollAt }) : ''),
    ];
    if (h.futureDated) parts.push(renderText('output.sourceFuture', { n: h.futureDated.count, at: h.futureDated.latestAt }));
    if (h.state === 'paused' && h.pausedReason) parts.push(`    ${h.pausedReason}`);
    else if (h.lastError) parts.push(renderText('output.sourceError', { at: h.lastError.at, message: h.lastError.message }));
    return parts.join('\n');
  });
  return `${lines.join('\n')}\n`;
}

/** A dry run's result; the connector's texts are worded from their codes in the command's language. */
export function formatPreview(r: SourceTestResult): string {
  if (!r.ok) return said('output.testFailed', { message: r.error ? renderErrorRef(r.error.ref, r.error.message) : renderText('import.unknownError') });
  const lines = [renderText('output.testOk', { n: r.total })];
  for (const it of r.items) {
    lines.push(renderText('output.testItem', { date: it.publishedAt ?? 'output.noDate', title: it.title ?? it.text.slice(0, 100) }));
    if (it.url) lines.push(`    ${it.url}`);
  }
  if (r.total > r.items.length) lines.push(renderText('output.testMore', { n: r.total - r.items.length }));
  for (const p of r.problems.slice(0, 20)) lines.push(renderText('output.testProblem', { n: p.index + 1, reason: renderErrorRef(p.ref, p.reason) }));
  return `${lines.join('\n')}\n`;
}
