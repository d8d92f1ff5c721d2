// Over 500 lines (~700), kept whole: every rule of the approval workflow is checked here in one
// place on purpose (who may draft, decide, publish; version binding), so none is missed.
// The response lifecycle. Every rule is checked here, whatever a client sends: who may
// draft, decide and publish, that a decision binds to the exact text read (version + sha256),
// that any edit voids the approvals, that a forbidden theme never goes out. Each refusal is a
// coded ApiError and an audit entry ("rifiutato: …"): the service notes it for the call's row,
// which the dispatcher writes once the call has failed, so a refusal is recorded even though
// nothing else is. Successful steps note their facts (version, content hash) the same way.
import { createHash } from 'node:crypto';
import { ApiError } from '../../shared/contract';
import { renderError, term, terms, type ErrorCode, type ErrorLang, type ErrorParams, type TermKey } from '../../shared/errors';
import { AUTHORS, PUBLISHERS, STRATEGISTS } from '../../shared/access';
import type { Actor, Role } from '../../shared/auth';
import type { Policy, PolicyDecision, PolicyFacts, Severity, StepKind } from '../../shared/policy';
import { countChars, type OutboxEntry, type PublishChannel } from '../../shared/publishing';
import type {
  Checklist,
  Decision,
  ResponseContext,
  ResponseCreate,
  ResponseDetail,
  ResponseWarning,
  ResponseWarningKind,
  ResponseQueue,
  ResponseState,
  ResponseSummary,
} from '../../shared/responses';
import { CHECKLIST_ITEMS } from '../../shared/responses';
import { noteAudit, skipAudit } from '../api/call-scope';
import type { EventBus } from '../api/events';
import { SYSTEM_ACTOR } from '../auth/actor';
import { evaluatePolicy, noRiskArea, noStrongAudiences, type RiskAreaOf, type StrongAudiencesOf } from '../policy';
import type { Publisher } from '../publishing';
import type { PolicyRepo } from '../store/policy-repo';
import type { ResponseRow, ResponsesRepo, StepRow, VersionRow } from '../store/responses-repo';
import { ResponseComposerRepo } from '../store/response-composer-repo';
import { noWarnings, OVERRIDE_ROLES, withOverrides, type WarningsOf } from './checks';
import { ResponseTemplates } from './templates';
import type { AuditSink, TargetResolver } from './types';

/** Who may write drafts and edit them (the groups the op table declares, shared with the UI). */
export const AUTHOR_ROLES: readonly Role[] = AUTHORS;
/** Who confirms the pre-publish checklist and publishes. */
export const PUBLISHER_ROLES: readonly Role[] = PUBLISHERS;

const EDITABLE: readonly ResponseState[] = ['draft', 'in_review', 'changes_requested', 'rejected', 'approved', 'failed'];
const SUBMITTABLE: readonly ResponseState[] = ['draft', 'changes_requested', 'rejected'];

/** Stands for the platform itself when a connector settles an outbox entry. */
const SYSTEM: Actor = SYSTEM_ACTOR;

export function contentHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export interface ResponsesDeps {
  repo: ResponsesRepo;
  policy: PolicyRepo;
  audit: AuditSink;
  events: EventBus;
  now: () => number;
  targets: TargetResolver;
  /** The publishing service (issue #5c); null where none is wired: publishing is refused. */
  publisher: () => Publisher | null;
  riskArea?: RiskAreaOf;
  /** The strong audiences a target mention belongs to (legal reviews a reply to them). */
  strongAudiences?: StrongAudiencesOf;
  /** The workspace's language: review-step reasons are stored in it (default Italian). */
  lang?: () => ErrorLang;
  /** Templates and overrides (default: on the responses' own database). */
  composer?: ResponseComposerRepo;
  /** The "prima di intervenire" checks' warnings of a target: each blocks publishing until overridden. */
  warnings?: WarningsOf;
  /** The conversation around a target and the placeholder values; none where not wired. */
  context?: (kind: 'mention' | 'moment', id: number) => ResponseContext | null;
}

const NO_CONTEXT: ResponseContext = { mention: null, parent: null, root: null, url: null, author: null, brand: null };

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

function excerpt(s: string, max = 160): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

export class ResponsesService {
  private readonly riskArea: RiskAreaOf;
  private readonly strongAudiences: StrongAudiencesOf;
  private readonly composer: ResponseComposerRepo;
  private readonly warningsOf: WarningsOf;
  private unsubscribe: (() => void) | null = null;
  readonly templates: ResponseTemplates;

  constructor(private readonly d: ResponsesDeps) {
    this.riskArea = d.riskArea ?? noRiskArea;
    this.strongAudiences = d.strongAudiences ?? noStrongAudiences;
    this.composer = d.composer ?? new ResponseComposerRepo(d.repo.db);
    this.warningsOf = d.warnings ?? noWarnings;
    this.templates = new ResponseTemplates(this.composer, d.events, d.now, AUTHOR_ROLES);
  }

  /** Follows the outbox: a published or failed entry moves its response along. */
  attachPublisher(): void {
    const p = this.d.publisher();
    if (!p || this.unsubscribe) return;
    this.unsubscribe = p.onSettled((e) => this.settled(e));
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  // ---- policy -------------------------------------------------------------------------

  getPolicy(): Policy {
    return this.d.policy.get();
  }

  updatePolicy(actor: Actor, next: Policy): Policy {
    this.requireRole(actor, STRATEGISTS, 'policy.update', null, 'responses.policyAdminOnly');
    const before = this.d.policy.get();
    this.d.policy.put(next);
    noteAudit({ detail: { before, after: next } });
    return this.d.policy.get();
  }

  preview(facts: PolicyFacts): PolicyDecision {
    return evaluatePolicy(this.d.policy.get(), facts, this.d.now(), this.d.lang?.() ?? 'it');
  }

  channels(): PublishChannel[] {
    return (this.d.publisher()?.channels() ?? []).filter((c) => c.enabled);
  }

  // ---- reads --------------------------------------------------------------------------

  list(actor: Actor, queue: ResponseQueue, limit: number): { items: ResponseSummary[]; counts: Record<ResponseQueue, number> } {
    const window = 5_000;
    const rows = this.d.repo.list(window);
    // Two queries for every row's steps and authors: the queues are re-read on every change.
    const stepsOf = this.d.repo.currentStepsOfLatest(window);
    const authorsOf = this.d.repo.authorsOfLatest(window);
    const policy = this.d.policy.get();
    const counts: Record<ResponseQueue, number> = { toApprove: 0, mine: 0, publishing: 0, published: 0, all: rows.length };
    const picked: { r: ResponseRow; steps: StepRow[] }[] = [];
    for (const r of rows) {
      const steps = stepsOf.get(r.id) ?? [];
      const authors = authorsOf.get(r.id) ?? new Set<number>();
      const inQueue: Record<ResponseQueue, boolean> = {
        toApprove: this.awaits(actor, r, steps, policy, authors),
        mine: r.author_id === actor.userId && !['published', 'publishing'].includes(r.state),
        publishing: ['approved', 'publishing', 'failed'].includes(r.state),
        published: r.state === 'published',
        all: true,
      };
      for (const q of ['toApprove', 'mine', 'publishing', 'published'] as const) if (inQueue[q]) counts[q]++;
      if (inQueue[queue]) picked.push({ r, steps });
    }
    // The reviewer's queue is ordered by the clock: what is due first comes first.
    if (queue === 'toApprove') {
      const due = (x: { steps: StepRow[] }): number => x.steps.find((s) => s.state === 'active')?.due_at ?? Number.MAX_SAFE_INTEGER;
      picked.sort((a, b) => due(a) - due(b));
    }
    return { items: picked.slice(0, limit).map((x) => this.summary(x.r, x.steps)), counts };
  }

  detail(actor: Actor, id: number): ResponseDetail {
    const r = this.mustGet(id);
    return this.toDetail(actor, r);
  }

  // ---- lifecycle ----------------------------------------------------------------------

  create(actor: Actor, input: ResponseCreate): ResponseDetail {
    this.requireRole(actor, AUTHOR_ROLES, 'responses.create', null, 'responses.createAuthorOnly');
    const target = this.d.targets(input.targetKind, input.targetId);
    if (!target) {
      throw this.refuse(actor, 'responses.create', null, input.targetKind === 'mention' ? 'responses.targetMentionNotFound' : 'responses.targetMomentNotFound', { id: input.targetId });
    }
    if (input.channelId !== null) this.requireChannel(actor, 'responses.create', null, input.channelId);
    const at = this.d.now();
    const hash = contentHash(input.text);
    const id = this.d.repo.transaction(() => {
      const rid = this.d.repo.create({
        targetKind: input.targetKind,
        targetId: input.targetId,
        targetTitle: target.title,
        channelId: input.channelId,
        severity: input.severity ?? target.severity,
        authorId: actor.userId,
        authorName: actor.displayName || actor.username,
      }, at);
      this.d.repo.addVersion(rid, input.text, hash, actor.userId, actor.displayName || actor.username, at);
      this.d.repo.setTargetThemes(rid, target.themes.map((t) => t.id));
      return rid;
    });
    noteAudit({ detail: { target: `${input.targetKind}:${input.targetId}`, channelId: input.channelId, version: 1 }, contentHash: hash });
    this.changed(id, null);
    return this.detail(actor, id);
  }

  edit(actor: Actor, id: number, baseVersionId: number, text: string): ResponseDetail {
    const op = 'responses.edit';
    const r = this.mustGet(id);
    this.requireRole(actor, AUTHOR_ROLES, op, id, 'responses.editAuthorOnly');
    if (!EDITABLE.includes(r.state)) {
      throw this.refuse(actor, op, id, 'responses.notEditable', { state: stateTerm(r.state) });
    }
    const current = this.currentVersion(r);
    if (baseVersionId !== current.id) {
      throw this.refuse(actor, op, id, 'responses.editStale', { n: current.n });
    }
    if (text === current.text) {
      skipAudit();
      return this.toDetail(actor, r);
    }
    const at = this.d.now();
    const hash = contentHash(text);
    const approvalsVoided = this.roundSteps(r).filter((s) => s.state === 'approved').length;
    const resubmit = r.state !== 'draft';
    let next: ResponseChangedNext = null;
    this.d.repo.transaction(() => {
      this.d.repo.addVersion(id, text, hash, actor.userId, actor.displayName || actor.username, at);
      this.d.repo.voidOpenSteps(id);
      this.d.repo.setChecklist(id, null, null, null, at);
      if (resubmit) {
        // An edit after review started goes back to review from the first step: approvals
        // were given to another text.
        next = this.startRound(this.mustGet(id), at);
      }
    });
    noteAudit({ detail: { version: current.n + 1, approvalsVoided, resubmitted: resubmit && next !== null }, contentHash: hash });
    this.changed(id, next);
    return this.detail(actor, id);
  }

  submit(actor: Actor, id: number): ResponseDetail {
    const op = 'responses.submit';
    const r = this.mustGet(id);
    this.requireRole(actor, AUTHOR_ROLES, op, id, 'responses.submitAuthorOnly');
    if (!SUBMITTABLE.includes(r.state)) {
      throw this.refuse(actor, op, id, 'responses.notSubmittable', { state: stateTerm(r.state) });
    }
    if (r.channel_id === null) {
      throw this.refuse(actor, op, id, 'responses.submitNoChannel');
    }
    this.requireChannel(actor, op, id, r.channel_id);
    const decision = this.decision(r, this.d.now());
    if (!decision.publishable) throw this.refuseForbidden(actor, op, r);
    this.requireWithinLimit(actor, op, r);
    const at = this.d.now();
    const next = this.d.repo.transaction(() => this.startRound(r, at));
    noteAudit({ detail: { steps: decision.steps.map((s) => s.kind), reasons: decision.steps.flatMap((s) => s.reasons) }, contentHash: this.currentVersion(r).content_hash });
    this.changed(id, next);
    return this.detail(actor, id);
  }

  decide(actor: Actor, input: { id: number; stepId: number; decision: Decision; versionId: number; contentHash: string; comment: string }): ResponseDetail {
    const op = `responses.${input.decision}`;
    const r = this.mustGet(input.id);
    const step = this.d.repo.step(input.stepId);
    if (!step || step.response_id !== r.id || step.round !== r.round) {
      throw this.refuse(actor, op, r.id, 'responses.stepGone');
    }
    if (r.state !== 'in_review' || step.state !== 'active') {
      throw this.refuse(actor, op, r.id, 'responses.notStepTurn', { step: term(`step.${step.kind}`), state: stateTerm(r.state) });
    }
    if (!actor.roles.includes(step.role)) {
      throw this.refuse(actor, op, r.id, 'responses.stepRole', { step: term(`step.${step.kind}`), role: term(`role.${step.role}`) });
    }
    const current = this.currentVersion(r);
    if (input.versionId !== current.id || input.contentHash !== current.content_hash) {
      const seen = this.d.repo.versions(r.id).find((v) => v.id === input.versionId);
      throw seen
        ? this.refuse(actor, op, r.id, 'responses.decideStale', { seen: seen.n, n: current.n })
        : this.refuse(actor, op, r.id, 'responses.decideOtherText', { n: current.n });
    }
    const policy = this.d.policy.get();
    if (input.decision === 'approve') {
      if (!policy.authorMayApprove && this.isAuthor(actor, r)) {
        throw this.refuse(actor, op, r.id, 'responses.selfApproval');
      }
      const already = this.roundSteps(r).find((s) => s.state === 'approved' && s.decided_by_id === actor.userId && actor.userId !== 0);
      if (already) {
        throw this.refuse(actor, op, r.id, 'responses.alreadyDecided', { step: term(`step.${already.kind}`) });
      }
      // Nobody approves a text the platform would refuse.
      this.requireWithinLimit(actor, op, r);
    } else if (input.comment.trim() === '') {
      throw this.refuse(actor, op, r.id, input.decision === 'reject' ? 'responses.rejectNeedsComment' : 'responses.changesNeedComment');
    }
    const at = this.d.now();
    const stepState = input.decision === 'approve' ? 'approved' : input.decision === 'reject' ? 'rejected' : 'changes_requested';
    const by = { id: actor.userId, name: actor.displayName || actor.username };
    let next: ResponseChangedNext = null;
    this.d.repo.transaction(() => {
      this.d.repo.decide(step.id, stepState, by, at, current.id, current.content_hash, input.comment);
      this.d.repo.addComment(r.id, stepState, by, current.n, input.comment, at);
      if (stepState === 'approved') {
        const following = this.roundSteps(r).find((s) => s.position > step.position && s.state === 'waiting');
        if (following) next = this.activate(r, following, at);
        else this.d.repo.setState(r.id, 'approved', at);
      } else {
        this.d.repo.setState(r.id, stepState, at);
      }
    });
    noteAudit({ detail: { step: step.kind, role: step.role, version: current.n, comment: input.comment }, contentHash: current.content_hash });
    this.changed(r.id, next);
    return this.detail(actor, r.id);
  }

  comment(actor: Actor, id: number, text: string): ResponseDetail {
    const r = this.mustGet(id);
    if (actor.roles.length === 1 && actor.roles[0] === 'analyst') {
      throw this.refuse(actor, 'responses.comment', id, 'responses.analystComment');
    }
    const v = this.currentVersion(r);
    this.d.repo.addComment(id, 'comment', { id: actor.userId, name: actor.displayName || actor.username }, v.n, text, this.d.now());
    noteAudit({ detail: { version: v.n }, contentHash: v.content_hash });
    this.changed(id, null);
    return this.detail(actor, id);
  }

  confirmChecklist(actor: Actor, id: number, versionId: number, checklist: Checklist): ResponseDetail {
    const op = 'responses.checklist';
    const r = this.mustGet(id);
    this.requireRole(actor, PUBLISHER_ROLES, op, id, 'responses.checklistManagerOnly');
    const current = this.currentVersion(r);
    if (versionId !== current.id) {
      throw this.refuse(actor, op, id, 'responses.checklistStale', { n: current.n });
    }
    if (!['in_review', 'approved', 'failed'].includes(r.state)) {
      throw this.refuse(actor, op, id, 'responses.checklistState', { state: stateTerm(r.state) });
    }
    const missing = CHECKLIST_ITEMS.filter((k) => !checklist[k]);
    if (missing.length > 0) {
      throw this.refuse(actor, op, id, 'responses.checklistIncomplete', { missing: terms(missing.map((k) => `check.${k}` as const)) });
    }
    this.d.repo.setChecklist(id, JSON.stringify(checklist), current.id, actor.displayName || actor.username, this.d.now());
    noteAudit({ detail: { version: current.n, checklist }, contentHash: current.content_hash });
    this.changed(id, null);
    return this.detail(actor, id);
  }

  publish(actor: Actor, id: number, versionId: number, hash: string): ResponseDetail {
    const op = 'responses.publish';
    const r = this.mustGet(id);
    this.requireRole(actor, PUBLISHER_ROLES, op, id, 'responses.publishManagerOnly');
    // The policy is read again now: a theme made forbidden after the approvals still stops it.
    const decision = this.decision(r, this.d.now());
    if (!decision.publishable) throw this.refuseForbidden(actor, op, r);
    if (r.state === 'published' || r.state === 'publishing') {
      throw this.refuse(actor, op, id, r.state === 'published' ? 'responses.alreadyPublished' : 'responses.alreadyPublishing');
    }
    const steps = this.roundSteps(r);
    // 'failed': the approvals still hold; publishing again reuses the outbox's idempotency key.
    if (r.state !== 'approved' && r.state !== 'failed') {
      const missing = steps.filter((s) => s.state !== 'approved').map((s) => `step.${s.kind}` as const);
      throw missing.length
        ? this.refuse(actor, op, id, 'responses.notApproved', { missing: terms(missing) })
        : this.refuse(actor, op, id, 'responses.notSubmitted');
    }
    const current = this.currentVersion(r);
    if (versionId !== current.id || hash !== current.content_hash) {
      throw this.refuse(actor, op, id, 'responses.publishStale', { n: current.n });
    }
    const unbound = steps.filter((s) => s.state !== 'approved' || s.version_id !== current.id || s.content_hash !== current.content_hash);
    const approvedKinds = new Set(steps.filter((s) => s.state === 'approved').map((s) => s.kind));
    const nowRequired = decision.steps.filter((s) => !approvedKinds.has(s.kind));
    if (steps.length === 0 || unbound.length > 0 || nowRequired.length > 0) {
      const names = [...new Set([...unbound, ...nowRequired].map((s) => `step.${s.kind}` as const))];
      throw names.length
        ? this.refuse(actor, op, id, 'responses.approvalsMissing', { missing: terms(names) })
        : this.refuse(actor, op, id, 'responses.noApprovalSteps');
    }
    if (r.checklist_version_id !== current.id) {
      throw this.refuse(actor, op, id, 'responses.checklistNeeded');
    }
    this.requireWithinLimit(actor, op, r);
    const open = this.warnings(r).filter((w) => w.override === null);
    if (open.length > 0) {
      const roles = [...new Set(open.flatMap((w) => w.overrideRoles))];
      throw this.refuse(actor, op, id, 'responses.warningsBlock', {
        warnings: terms(open.map((w) => `warning.${w.kind}` as const)),
        roles: terms(roles.map((x) => `role.${x}` as const)),
      });
    }
    const publisher = this.d.publisher();
    if (!publisher) throw this.refuse(actor, op, id, 'responses.publishingUnavailable');
    if (r.channel_id === null) throw this.refuse(actor, op, id, 'responses.noChannel');
    this.requireChannel(actor, op, id, r.channel_id);
    const target = this.d.targets(r.target_kind, r.target_id);
    let entry: OutboxEntry;
    try {
      entry = publisher.enqueue({
        responseId: r.id,
        versionId: current.id,
        contentHash: current.content_hash,
        channelId: r.channel_id,
        targetMentionId: target?.mentionId ?? null,
        text: current.text,
        actor,
      });
    } catch (e) {
      // The publishing service's own refusal, as it said it; anything else stays in the log.
      throw e instanceof ApiError ? this.refuse(actor, op, id, e.key, e.params) : this.refuse(actor, op, id, 'responses.publishFailed');
    }
    const at = this.d.now();
    this.d.repo.setState(id, 'publishing', at);
    noteAudit({ detail: { version: current.n, channelId: r.channel_id, outboxId: entry.id, idempotencyKey: entry.idempotencyKey }, contentHash: current.content_hash });
    // A connector may settle at once (manual awaits a URL; others usually later).
    if (entry.state === 'published' || entry.state === 'failed') this.settled(entry);
    else this.changed(id, null);
    return this.detail(actor, id);
  }

  recordManual(actor: Actor, id: number, outboxId: number, url: string): ResponseDetail {
    const op = 'responses.recordManual';
    const r = this.mustGet(id);
    this.requireRole(actor, PUBLISHER_ROLES, op, id, 'responses.recordManagerOnly');
    const publisher = this.d.publisher();
    const entry = publisher?.forResponse(id).find((e) => e.id === outboxId);
    if (!publisher || !entry) throw this.refuse(actor, op, id, 'responses.outboxNotForResponse');
    const done = publisher.recordManual(outboxId, url);
    noteAudit({ detail: { outboxId, url }, contentHash: entry.contentHash });
    this.settled(done);
    return this.detail(actor, r.id);
  }

  /** Lifts a warning of the checks on this response, with the reviewer's reason. */
  override(actor: Actor, id: number, kind: ResponseWarningKind, reason: string): ResponseDetail {
    const op = 'responses.override';
    const r = this.mustGet(id);
    const roles = OVERRIDE_ROLES[kind];
    if (!actor.roles.some((x) => roles.includes(x))) {
      throw this.refuse(actor, op, id, 'responses.overrideRole', { warning: `warning.${kind}`, roles: terms(roles.map((x) => `role.${x}` as const)) });
    }
    const w = this.warnings(r).find((x) => x.kind === kind);
    if (!w) throw this.refuse(actor, op, id, 'responses.warningGone', { warning: `warning.${kind}` });
    const at = this.d.now();
    this.composer.putOverride({ response_id: id, warning: kind, themes: JSON.stringify(w.themes), reason, by_id: actor.userId, by_name: actor.displayName || actor.username, at });
    noteAudit({ detail: { warning: kind, themes: w.themes, reason }, contentHash: this.currentVersion(r).content_hash });
    this.changed(id, null);
    return this.detail(actor, id);
  }

  /** The thread around a target and the composer's placeholder values. */
  context(kind: 'mention' | 'moment', id: number): ResponseContext {
    return this.d.context?.(kind, id) ?? NO_CONTEXT;
  }

  /** An outbox entry reached published or failed: a system event, written through the audit writer here. */
  settled(entry: OutboxEntry): void {
    const r = this.d.repo.get(entry.responseId);
    if (!r || r.state === 'published') return;
    const at = this.d.now();
    if (entry.state === 'published') {
      this.d.repo.transaction(() => {
        this.d.repo.setPublished(r.id, entry.url, entry.externalId, at);
        this.d.repo.setState(r.id, 'published', at);
      });
      this.d.audit.record(SYSTEM, 'responses.published', `response:${r.id}`, { outboxId: entry.id, url: entry.url, externalId: entry.externalId }, entry.contentHash);
    } else if (entry.state === 'failed') {
      this.d.repo.setState(r.id, 'failed', at);
      this.d.audit.record(SYSTEM, 'responses.publishFailed', `response:${r.id}`, { outboxId: entry.id, error: entry.lastError }, entry.contentHash);
    } else {
      return;
    }
    this.changed(r.id, null);
  }

  // ---- internals ----------------------------------------------------------------------

  private warnings(r: ResponseRow): ResponseWarning[] {
    return withOverrides(this.warningsOf({ kind: r.target_kind, id: r.target_id }), this.composer.overrides(r.id));
  }

  /** The channel's character limit and the text's count; null without a channel. */
  private limit(r: ResponseRow, text: string): { limit: number; count: number; channel: string } | null {
    const ch = r.channel_id === null ? null : (this.d.publisher()?.channel(r.channel_id) ?? null);
    return ch ? { limit: ch.charLimit, count: countChars(text), channel: ch.name } : null;
  }

  private requireWithinLimit(actor: Actor, op: string, r: ResponseRow): void {
    const l = this.limit(r, this.currentVersion(r).text);
    if (l && l.count > l.limit) throw this.refuse(actor, op, r.id, 'responses.overLimit', { channel: l.channel, count: l.count, limit: l.limit, over: l.count - l.limit });
  }

  private facts(r: ResponseRow): PolicyFacts {
    const target = this.d.targets(r.target_kind, r.target_id);
    const ids = JSON.stringify((target?.themes ?? []).map((t) => t.id));
    if (target && ids !== r.target_theme_ids) this.d.repo.setTargetThemes(r.id, JSON.parse(ids) as number[]);
    const ch = r.channel_id === null ? null : (this.d.publisher()?.channel(r.channel_id) ?? null);
    return {
      themes: target?.themes ?? [],
      severity: r.severity as Severity,
      channel: ch ? { id: ch.id, name: ch.name, kind: ch.kind, requiresLegal: ch.requiresLegal } : null,
      riskArea: this.riskArea({ kind: r.target_kind, id: r.target_id }),
      strongAudiences: r.target_kind === 'mention' ? this.strongAudiences({ kind: 'mention', id: r.target_id }) : [],
    };
  }

  private decision(r: ResponseRow, at: number): PolicyDecision {
    return evaluatePolicy(this.d.policy.get(), this.facts(r), at, this.d.lang?.() ?? 'it');
  }

  /** Inside a transaction: a new round of steps from the policy, the first one active. */
  private startRound(r: ResponseRow, at: number): ResponseChangedNext {
    const decision = this.decision(r, at);
    if (!decision.publishable) {
      this.d.repo.voidOpenSteps(r.id);
      this.d.repo.setState(r.id, 'draft', at);
      return null;
    }
    const round = r.round + 1;
    this.d.repo.newRound(r.id, round, decision.steps.map((s) => ({ kind: s.kind, role: s.role, reasons: s.reasons, slaMinutes: s.slaMinutes })), at);
    this.d.repo.setState(r.id, 'in_review', at);
    const fresh = this.mustGet(r.id);
    const first = this.roundSteps(fresh)[0];
    return first ? this.activate(fresh, first, at) : null;
  }

  private activate(r: ResponseRow, step: StepRow, at: number): ResponseChangedNext {
    const due = at + step.sla_minutes * 60_000;
    this.d.repo.activate(step.id, at, due);
    return { role: step.role, kind: step.kind, title: r.target_title, dueAt: iso(due) };
  }

  private changed(id: number, next: ResponseChangedNext): void {
    this.d.events.emit('responses.changed', { id, next });
  }

  private mustGet(id: number): ResponseRow {
    const r = this.d.repo.get(id);
    if (!r) throw new ApiError('responses.notFound', { id });
    return r;
  }

  private currentVersion(r: ResponseRow): VersionRow {
    const v = this.d.repo.version(r.current_version_id);
    if (!v) throw new ApiError('responses.noVersion', { id: r.id });
    return v;
  }

  private roundSteps(r: ResponseRow): StepRow[] {
    return this.d.repo.steps(r.id).filter((s) => s.round === r.round && r.round > 0);
  }

  private isAuthor(actor: Actor, r: ResponseRow, authors?: Set<number>): boolean {
    if (actor.userId === 0) return false;
    if (r.author_id === actor.userId) return true;
    return authors ? authors.has(actor.userId) : this.d.repo.versions(r.id).some((v) => v.author_id === actor.userId);
  }

  private awaits(actor: Actor, r: ResponseRow, steps: StepRow[], policy: Policy, authors?: Set<number>): boolean {
    if (r.state !== 'in_review') return false;
    const active = steps.find((s) => s.state === 'active');
    if (!active || !actor.roles.includes(active.role)) return false;
    return policy.authorMayApprove || !this.isAuthor(actor, r, authors);
  }

  private requireRole(actor: Actor, roles: readonly Role[], op: string, id: number | null, refusal: ErrorCode): void {
    if (!actor.roles.some((role) => roles.includes(role))) throw this.refuse(actor, op, id, refusal);
  }

  private requireChannel(actor: Actor, op: string, id: number | null, channelId: number): PublishChannel {
    const ch = this.d.publisher()?.channel(channelId) ?? null;
    if (!ch) throw this.refuse(actor, op, id, 'responses.channelNotFound', { id: channelId });
    if (!ch.enabled) throw this.refuse(actor, op, id, 'responses.channelDisabled', { name: ch.name });
    return ch;
  }

  /** Notes the refusal for the call's audit row (the dispatcher writes it) and returns the error to throw. */
  private refuse(actor: Actor, op: string, id: number | null, key: ErrorCode, params: ErrorParams = {}): ApiError {
    const r = id === null ? null : this.d.repo.get(id);
    const v = r ? this.d.repo.version(r.current_version_id) : null;
    // The audit keeps the Italian text, whatever language this process speaks.
    const message = renderError(key, params, 'it');
    noteAudit({ action: op, subject: id === null ? null : `response:${id}`, detail: { esito: `rifiutato: ${message}` }, contentHash: v?.content_hash ?? null });
    return new ApiError(key, params);
  }

  /** A forbidden theme among the response's: internal notes only. */
  private refuseForbidden(actor: Actor, op: string, r: ResponseRow): ApiError {
    const names = this.facts(r).themes.filter((t) => t.stance === 'forbidden').map((t) => t.name);
    return names.length === 1
      ? this.refuse(actor, op, r.id, 'responses.forbiddenTheme', { theme: names[0]! })
      : this.refuse(actor, op, r.id, 'responses.forbiddenThemes', { themes: names.join(', ') });
  }

  private summary(r: ResponseRow, steps: StepRow[] = this.roundSteps(r)): ResponseSummary {
    const v = this.currentVersion(r);
    const active = steps.find((s) => s.state === 'active');
    const publisher = this.d.publisher();
    const ch = r.channel_id === null ? null : (publisher?.channel(r.channel_id) ?? null);
    const themeIds = JSON.parse(r.target_theme_ids) as number[];
    return {
      id: r.id,
      state: r.state,
      targetKind: r.target_kind,
      targetId: r.target_id,
      targetTitle: r.target_title,
      channelId: r.channel_id,
      channelName: ch?.name ?? null,
      channelKind: ch?.kind ?? null,
      severity: r.severity,
      author: r.author_name,
      authorId: r.author_id,
      excerpt: excerpt(v.text),
      versionN: v.n,
      activeStep: active ? { kind: active.kind, role: active.role, dueAt: iso(active.due_at) } : null,
      publishable: !themeIds.some((t) => this.d.repo.themeFacts(t)?.stance === 'forbidden'),
      createdAt: iso(r.created_at)!,
      updatedAt: iso(r.updated_at)!,
      publishedUrl: r.published_url,
    };
  }

  private toDetail(actor: Actor, r: ResponseRow): ResponseDetail {
    const versions = this.d.repo.versions(r.id);
    const current = versions.find((v) => v.id === r.current_version_id) ?? this.currentVersion(r);
    const steps = this.roundSteps(r);
    const policy = this.d.policy.get();
    const decision = this.decision(r, this.d.now());
    const byN = (v: VersionRow) => ({ id: v.id, n: v.n, text: v.text, contentHash: v.content_hash, author: v.author_name, createdAt: iso(v.created_at)! });
    const hasRole = (roles: readonly Role[]): boolean => actor.roles.some((x) => roles.includes(x));
    const checklistCurrent = r.checklist_version_id === current.id;
    const outbox = (this.d.publisher()?.forResponse(r.id) ?? []).map((e) => ({ id: e.id, state: e.state, url: e.url, externalId: e.externalId, lastError: e.lastError }));
    const limit = this.limit(r, current.text);
    const withinLimit = !limit || limit.count <= limit.limit;
    const warnings = this.warnings(r);
    return {
      // The detail reads the target again: exact, where the queues use the stored theme ids.
      response: { ...this.summary(r, steps), publishable: decision.publishable },
      versions: versions.map(byN),
      currentVersion: byN(current),
      steps: steps.map((s) => ({
        id: s.id,
        round: s.round,
        position: s.position,
        kind: s.kind,
        role: s.role,
        state: s.state,
        reasons: JSON.parse(s.reasons) as string[],
        slaMinutes: s.sla_minutes,
        activatedAt: iso(s.activated_at),
        dueAt: iso(s.due_at),
        decidedBy: s.decided_by,
        decidedAt: iso(s.decided_at),
        versionId: s.version_id,
        contentHash: s.content_hash,
        comment: s.comment,
      })),
      comments: this.d.repo.comments(r.id).map((c) => ({ id: c.id, kind: c.kind, author: c.author_name, versionN: c.version_n, text: c.text, createdAt: iso(c.created_at)! })),
      blockers: decision.blockers,
      checklist: r.checklist ? (JSON.parse(r.checklist) as Checklist) : null,
      checklistBy: r.checklist_by,
      checklistCurrent,
      outbox,
      publishedUrl: r.published_url,
      publishedId: r.published_id,
      charLimit: limit?.limit ?? null,
      charCount: countChars(current.text),
      warnings,
      context: this.context(r.target_kind, r.target_id),
      can: {
        edit: hasRole(AUTHOR_ROLES) && EDITABLE.includes(r.state),
        submit: hasRole(AUTHOR_ROLES) && SUBMITTABLE.includes(r.state) && decision.publishable && r.channel_id !== null,
        decide: this.awaits(actor, r, steps, policy),
        checklist: hasRole(PUBLISHER_ROLES) && ['in_review', 'approved', 'failed'].includes(r.state),
        publish: hasRole(PUBLISHER_ROLES) && (r.state === 'approved' || r.state === 'failed') && checklistCurrent && decision.publishable && withinLimit && warnings.every((w) => w.override !== null),
        recordManual: hasRole(PUBLISHER_ROLES) && outbox.some((e) => e.state === 'awaiting_manual'),
        override: warnings.filter((w) => hasRole(OVERRIDE_ROLES[w.kind])).map((w) => w.kind),
      },
    };
  }
}

type ResponseChangedNext = { role: Role; kind: StepKind; title: string; dueAt: string | null } | null;

/** A response's state as an error names it (the words are in shared/errors/terms). */
function stateTerm(s: ResponseState): string {
  return term(`responseState.${s}` satisfies TermKey);
}
