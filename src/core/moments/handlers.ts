// Contract handlers of the moments ops.
import { ApiError } from '../../shared/contract';
import type { momentsOperations } from '../../shared/ops/moments';
import type { Mention } from '../../shared/schemas';
import type { Handlers } from '../api/dispatch';
import type { MomentAcks } from './acks';
import type { MomentsService } from './service';

type MomentHandlers = Pick<Handlers, keyof typeof momentsOperations>;

export function momentsHandlers(svc: MomentsService, decorate: (m: Mention[]) => Mention[], acks: MomentAcks): MomentHandlers {
  return {
    'moments.list': (f) => svc.list(f),
    'moments.get': ({ id }) => {
      const d = svc.detail(id, decorate);
      if (!d) throw new ApiError('moments.notFound', { id });
      return d;
    },
    'moments.settings': () => svc.settings,
    'moments.settingsUpdate': (patch) => svc.updateSettings(patch),
    'moments.acknowledge': ({ id }, ctx) => acks.acknowledge(id, ctx.actor),
    'moments.rebuild': () => {
      svc.rebuildInBackground();
      return { ok: true as const };
    },
  };
}
