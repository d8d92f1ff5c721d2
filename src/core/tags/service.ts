// Tags on mentions and the inbox's bulk actions (issue #17). Every bulk action sets one value
// per mention inside the op's one transaction and answers with the values it replaced on the
// mentions it changed: the client's undo is the same op with those, so it restores each
// mention as it was (a mention already tagged stays tagged after undoing "tag all").
//
// A selection naming a mention that no longer exists is refused whole (nothing half-done);
// the op's declaration writes one audit row with the count, and none when nothing changed.
import type { Actor } from '../../shared/auth';
import { ApiError } from '../../shared/contract';
import type { Mention } from '../../shared/schemas';
import type { SentimentLabel } from '../../shared/sentiment';
import type { Tag } from '../../shared/ops/tags';
import { noteAudit } from '../api/call-scope';
import type { EventBus } from '../api/events';
import type { SentimentCorrections } from '../analysis';
import type { AssignmentsService } from '../assignments';
import type { NotesService } from '../notes';
import type { MentionsRepo, MentionStatus } from '../store/mentions-repo';
import type { TagsRepo } from '../store/tags-repo';

export interface TagsDeps {
  repo: TagsRepo;
  mentions: Pick<MentionsRepo, 'get'>;
  events: EventBus;
  assignments: Pick<AssignmentsService, 'setMentions'>;
  reads: Pick<NotesService, 'readState' | 'mark'>;
  corrections: Pick<SentimentCorrections, 'correctMany'>;
  /** Adds what the inbox shows beside a stored mention (theme chips). */
  decorate: (items: Mention[]) => Mention[];
  now: () => number;
}

type Item<V> = { id: number } & V;

function userOf(actor: Actor): number | null {
  return actor.userId > 0 ? actor.userId : null;
}

export class TagsService {
  constructor(private readonly d: TagsDeps) {}

  list(): Tag[] {
    return this.d.repo.list();
  }

  create(by: Actor, name: string): Tag {
    const taken = this.d.repo.byName(name);
    if (taken) throw new ApiError('tags.nameTaken', { name: taken.name });
    const id = this.d.repo.create(name, userOf(by), this.d.now());
    noteAudit({ subject: `tag:${id}`, detail: { name } });
    this.d.events.emit('tags.changed', { tagIds: [id], mentionIds: [] });
    return this.#tag(id);
  }

  rename(id: number, name: string): Tag {
    const before = this.#tag(id);
    const taken = this.d.repo.byName(name);
    if (taken && taken.id !== id) throw new ApiError('tags.nameTaken', { name: taken.name });
    this.d.repo.rename(id, name);
    noteAudit({ detail: { from: before.name, to: name } });
    this.d.events.emit('tags.changed', { tagIds: [id], mentionIds: [] });
    return this.#tag(id);
  }

  remove(id: number): { removedFrom: number } {
    const before = this.#tag(id);
    this.d.repo.remove(id);
    noteAudit({ detail: { name: before.name, removedFrom: before.count } });
    this.d.events.emit('tags.changed', { tagIds: [id], mentionIds: [] });
    return { removedFrom: before.count };
  }

  of(ids: readonly number[]): { id: number; tagIds: number[] }[] {
    const byMention = this.d.repo.of(ids);
    return ids.map((id) => ({ id, tagIds: byMention.get(id) ?? [] }));
  }

  bulkTag(by: Actor, tagId: number, items: readonly Item<{ tagged: boolean }>[]): Item<{ tagged: boolean }>[] {
    const tag = this.#tag(tagId);
    const ids = this.#existing(items).keys();
    const had = this.d.repo.taggedAmong(tagId, [...ids]);
    const at = this.d.now();
    const previous = items.filter((i) => had.has(i.id) !== i.tagged).map((i) => ({ id: i.id, tagged: had.has(i.id) }));
    for (const p of previous) {
      if (p.tagged) this.d.repo.take(tagId, p.id);
      else this.d.repo.put(tagId, p.id, userOf(by), at);
    }
    noteAudit({ detail: { tag: tag.name } });
    if (previous.length > 0) this.d.events.emit('tags.changed', { tagIds: [tagId], mentionIds: previous.map((p) => p.id) });
    return previous;
  }

  bulkAssign(by: Actor, items: readonly Item<{ userId: number | null }>[]): Item<{ userId: number | null }>[] {
    this.#existing(items);
    return this.d.assignments.setMentions(by, items);
  }

  bulkRead(by: Actor, items: readonly Item<{ read: boolean }>[]): Item<{ read: boolean }>[] {
    this.#existing(items);
    const read = new Set(this.d.reads.readState(items.map((i) => i.id), by).read);
    const previous = items.filter((i) => read.has(i.id) !== i.read).map((i) => ({ id: i.id, read: read.has(i.id) }));
    const toRead = previous.filter((p) => !p.read).map((p) => p.id);
    const toUnread = previous.filter((p) => p.read).map((p) => p.id);
    if (toRead.length > 0) this.d.reads.mark(toRead, true, by);
    if (toUnread.length > 0) this.d.reads.mark(toUnread, false, by);
    return previous;
  }

  bulkStatus(items: readonly Item<{ status: MentionStatus }>[]): Item<{ status: MentionStatus }>[] {
    const status = this.#existing(items);
    const previous = items.filter((i) => status.get(i.id) !== i.status).map((i) => ({ id: i.id, status: status.get(i.id)! }));
    const to = new Map(items.map((i) => [i.id, i.status]));
    for (const p of previous) this.d.repo.setStatus(p.id, to.get(p.id)!);
    if (previous.length > 0) {
      const stored = previous.map((p) => this.d.mentions.get(p.id)).filter((m): m is Mention => m !== null);
      this.d.events.emit('mentions.updated', { items: this.d.decorate(stored) });
    }
    return previous;
  }

  bulkSentiment(by: Actor, items: readonly Item<{ label: SentimentLabel }>[]): Item<{ label: SentimentLabel }>[] {
    this.#existing(items);
    return this.d.corrections.correctMany(by, items);
  }

  #tag(id: number): Tag {
    const tag = this.d.repo.get(id);
    if (!tag) throw new ApiError('tags.notFound', { id });
    return tag;
  }

  /** The selection's stored mentions and their status; one gone refuses the whole action. */
  #existing(items: readonly { id: number }[]): Map<number, MentionStatus> {
    const found = this.d.repo.mentionStatuses(items.map((i) => i.id));
    const missing = items.find((i) => !found.has(i.id));
    if (missing) throw new ApiError('mentions.notFound', { id: missing.id });
    return found;
  }
}
