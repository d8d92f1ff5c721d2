// The ingest path shared by webhook, import and replay: validate → normalize → one write
// transaction per batch → events. A batch is stored whole or not at all.
import { describeZodError } from '../../shared/contract';
import { InboundMentionSchema, type InboundMention, type IngestReject, type IngestResult, type Mention, type SourceKind } from '../../shared/schemas';
import type { EventBus } from '../api/events';
import type { Db } from '../store/db';
import { insertedToMention, type MentionInsert, type MentionsRepo } from '../store/mentions-repo';
import type { SourcesRepo } from '../store/sources-repo';
import { MentionQualityRepo } from '../store/mention-quality-repo';
import type { MentionFlag } from '../../shared/mention-flags';
import { AuthorKeyCache, normalizeMention, type NormalizedMention } from './normalize';
import { crossSourceDuplicate, flagSuspicious, type FlagChange } from './quality';
import { italianErrors } from './zod-it';

/** Where a batch came from; it is also the kind of the sources it creates. */
export type IngestOrigin = Extract<SourceKind, 'webhook' | 'import' | 'replay'>;

export interface PipelineDeps {
  db: Db;
  sources: SourcesRepo;
  mentions: MentionsRepo;
  events: EventBus;
  now: () => number;
  /** The workspace secret for author pseudonyms. */
  secret: () => string;
  keepAuthorNames?: () => boolean;
}

export interface IngestOptions {
  /** 1-based file line of each item, reported with its rejection (imports). */
  lines?: readonly number[];
}

/** A result plus the stored mentions, for callers that need them (tests, replay). */
export interface IngestOutcome extends IngestResult {
  added: Mention[];
  sourcesCreated: number;
}

/** Validation of one untrusted item: the item, or why it was refused (in Italian). */
export function validateInbound(raw: unknown): { ok: true; item: InboundMention } | { ok: false; reason: string } {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { ok: false, reason: 'non è un oggetto JSON con i campi di una menzione' };
  }
  // "text or title" is the rule: a title-only item (or a CSV with an empty text cell) lacks
  // text altogether, and the rule's own message says what is missing better than "required".
  const obj = raw as Record<string, unknown>;
  const input = obj.text === undefined ? { ...obj, text: '' } : obj;
  const parsed = InboundMentionSchema.safeParse(input, { error: italianErrors });
  if (!parsed.success) return { ok: false, reason: describeZodError(parsed.error).join('; ') };
  return { ok: true, item: parsed.data };
}

export class IngestPipeline {
  private readonly store: (
    rows: NormalizedMention[],
    origin: IngestOrigin,
    now: number,
  ) => { ids: (number | null)[]; inserts: MentionInsert[]; created: number; flags: FlagChange[] };

  private authorKeys: AuthorKeyCache | null = null;
  private authorKeysSecret = '';

  constructor(private readonly deps: PipelineDeps) {
    const quality = new MentionQualityRepo(deps.db);
    this.store = deps.db.transaction((rows: NormalizedMention[], origin: IngestOrigin, now: number) => {
      const sourceIds = new Map<string, number>();
      let created = 0;
      const inserts: MentionInsert[] = [];
      const ids: (number | null)[] = [];
      const stored: (NormalizedMention & { id: number })[] = [];
      const stats = new Map<number, { added: number; latest: number }>();
      for (const row of rows) {
        let sourceId = sourceIds.get(row.sourceName);
        if (sourceId === undefined) {
          const s = deps.sources.ensure(origin, row.sourceName, now);
          if (s.created) created++;
          sourceId = s.id;
          sourceIds.set(row.sourceName, sourceId);
        }
        const insert: MentionInsert = { ...row, sourceId };
        inserts.push(insert);
        // The same item already stored from another source is skipped (see quality.ts).
        const id = crossSourceDuplicate(quality, row, sourceId) === null ? deps.mentions.insertOne(insert) : null;
        ids.push(id);
        if (id !== null) stored.push({ ...row, id });
        if (id !== null) {
          const st = stats.get(sourceId);
          if (st) {
            st.added++;
            st.latest = Math.max(st.latest, row.publishedAt);
          } else stats.set(sourceId, { added: 1, latest: row.publishedAt });
        }
      }
      for (const [sourceId, st] of stats) deps.sources.recordItems(sourceId, st.added, st.latest);
      const flags = stored.length > 0 ? flagSuspicious(quality, stored) : [];
      return { ids, inserts, created, flags };
    });
  }

  /**
   * Validates every item, stores the valid ones in ONE transaction, then announces the new
   * ones. Throws (storing nothing) when the transaction fails; invalid items never throw.
   */
  ingest(rawItems: readonly unknown[], origin: IngestOrigin, opts: IngestOptions = {}): IngestOutcome {
    const now = this.deps.now();
    const secret = this.deps.secret();
    if (!this.authorKeys || this.authorKeysSecret !== secret) {
      this.authorKeys = new AuthorKeyCache(secret);
      this.authorKeysSecret = secret;
    }
    const authorKeys = this.authorKeys;
    const keepAuthorNames = this.deps.keepAuthorNames?.() ?? false;
    const rejected: IngestReject[] = [];
    const rows: NormalizedMention[] = [];
    rawItems.forEach((raw, index) => {
      const line = opts.lines?.[index];
      const v = validateInbound(raw);
      if (!v.ok) {
        rejected.push({ index, ...(line !== undefined ? { line } : {}), reason: v.reason });
        return;
      }
      rows.push(normalizeMention(v.item, { secret, authorKeys, now, keepAuthorNames }));
    });

    const added: Mention[] = [];
    let created = 0;
    let flaggedEarlier: FlagChange[] = [];
    if (rows.length > 0) {
      const res = this.store(rows, origin, now);
      created = res.created;
      const flagOf = new Map<number, MentionFlag>(res.flags.map((f) => [f.id, f.flag]));
      res.ids.forEach((id, i) => {
        const ins = res.inserts[i];
        if (id === null || !ins) return;
        const m = insertedToMention(id, ins, origin);
        const flag = flagOf.get(id);
        if (flag) {
          m.flag = flag;
          flagOf.delete(id);
        }
        added.push(m);
      });
      flaggedEarlier = [...flagOf].map(([id, flag]) => ({ id, flag }));
    }
    // Events only after the commit: a listener never sees a row that could still roll back.
    if (created > 0) this.deps.events.emit('sources.changed', {});
    if (added.length > 0) this.deps.events.emit('mentions.added', { items: added });
    if (flaggedEarlier.length > 0) this.deps.events.emit('mentions.flagged', { items: flaggedEarlier });
    return {
      accepted: added.length,
      duplicates: rows.length - added.length,
      rejected,
      ids: added.map((m) => m.id),
      added,
      sourcesCreated: created,
    };
  }
}
