// Contract handlers of the audiences and risk ops.
import { ApiError } from '../../shared/contract';
import type { audiencesOperations } from '../../shared/ops/audiences';
import { noteAudit } from '../api/call-scope';
import type { Handlers } from '../api/dispatch';
import type { AudiencesService } from './service';

type AudienceHandlers = Pick<Handlers, keyof typeof audiencesOperations>;

function isUniqueViolation(e: unknown): boolean {
  return e instanceof Error && 'code' in e && String((e as { code: unknown }).code).startsWith('SQLITE_CONSTRAINT_UNIQUE');
}

function unique<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (isUniqueViolation(e)) throw new ApiError('audiences.nameTaken');
    throw e;
  }
}

export function audiencesHandlers(svc: AudiencesService): AudienceHandlers {
  return {
    'audiences.list': () => svc.list(),
    'audiences.create': (input) => {
      const id = unique(() => svc.create(input));
      return svc.get(id)!;
    },
    'audiences.update': ({ id, audience }) => {
      if (!unique(() => svc.update(id, audience))) throw new ApiError('audiences.notFound', { id });
      return svc.get(id)!;
    },
    'audiences.delete': ({ id }) => {
      // Read before the removal, so the log says which audience went.
      const name = svc.get(id)?.name;
      if (!svc.delete(id)) throw new ApiError('audiences.notFound', { id });
      noteAudit({ detail: { name } });
      return { ok: true as const };
    },
    'audiences.suggestions': () => svc.suggestions(),
    'risk.moment': ({ momentId }) => {
      if (svc.riskArea(momentId) === null) throw new ApiError('moments.notFound', { id: momentId });
      return { risk: svc.riskOf(momentId), checklist: svc.getChecklist(momentId), hints: svc.hints(momentId) };
    },
    'risk.map': (f) => ({ items: svc.map(f) }),
    'risk.checklistSet': ({ momentId, item, done, note }) => {
      const c = svc.setChecklist(momentId, item, done, note);
      if (!c) throw new ApiError('moments.notFound', { id: momentId });
      return c;
    },
  };
}
