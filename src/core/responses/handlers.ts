// Contract handlers of the policy and responses ops. The actor comes from the caller's
// session (CallContext); an in-process call without one acts as the system.
import type { Actor } from '../../shared/auth';
import { SYSTEM_ACTOR } from '../auth/actor';
import type { policyOperations } from '../../shared/ops/policy';
import type { responsesOperations } from '../../shared/ops/responses';
import type { Handlers } from '../api/dispatch';
import type { ResponsesService } from './service';

type ResponsesHandlers = Pick<Handlers, keyof typeof responsesOperations | keyof typeof policyOperations>;

export function responsesHandlers(svc: ResponsesService): ResponsesHandlers {
  const who = (ctx?: { actor: Actor }): Actor => ctx?.actor ?? SYSTEM_ACTOR;
  return {
    'policy.get': () => svc.getPolicy(),
    'policy.update': (p, ctx?: { actor: Actor }) => svc.updatePolicy(who(ctx), p),
    'policy.preview': ({ facts }) => svc.preview(facts),
    'responses.list': ({ queue, limit }, ctx?: { actor: Actor }) => svc.list(who(ctx), queue, limit),
    'responses.get': ({ id }, ctx?: { actor: Actor }) => svc.detail(who(ctx), id),
    'responses.channels': () => svc.channels(),
    'responses.create': (input, ctx?: { actor: Actor }) => svc.create(who(ctx), input),
    'responses.edit': ({ id, baseVersionId, text }, ctx?: { actor: Actor }) => svc.edit(who(ctx), id, baseVersionId, text),
    'responses.submit': ({ id }, ctx?: { actor: Actor }) => svc.submit(who(ctx), id),
    'responses.decide': (input, ctx?: { actor: Actor }) => svc.decide(who(ctx), input),
    'responses.comment': ({ id, text }, ctx?: { actor: Actor }) => svc.comment(who(ctx), id, text),
    'responses.checklist': ({ id, versionId, checklist }, ctx?: { actor: Actor }) => svc.confirmChecklist(who(ctx), id, versionId, checklist),
    'responses.publish': ({ id, versionId, contentHash }, ctx?: { actor: Actor }) => svc.publish(who(ctx), id, versionId, contentHash),
    'responses.recordManual': ({ id, outboxId, url }, ctx?: { actor: Actor }) => svc.recordManual(who(ctx), id, outboxId, url),
    'responses.override': ({ id, warning, reason }, ctx?: { actor: Actor }) => svc.override(who(ctx), id, warning, reason),
    'responses.context': ({ targetKind, targetId }) => svc.context(targetKind, targetId),
    'responses.templates': () => svc.templates.list(),
    'responses.templateSave': (input, ctx?: { actor: Actor }) => svc.templates.save(who(ctx), input),
    'responses.templateDelete': ({ id }, ctx?: { actor: Actor }) => svc.templates.remove(who(ctx), id),
  };
}
