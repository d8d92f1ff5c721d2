// The responses feature's one face (issue #15): everything outside core/responses imports it
// from here. The response lifecycle (drafts, versions, review steps, decisions) and the
// response policy it applies (the policy.* ops; the engine itself is core/policy).
import { featureModule, type FeatureEvents, type FeatureModule } from '../api/modules';
import { responsesHandlers } from './handlers';
import { responsesOps } from './ops';
import type { ResponsesService } from './service';

export { ResponsesService, type ResponsesDeps } from './service';
export { createTargetResolver, type TargetSources } from './targets';
export { createContextResolver, type ContextSources } from './context';
export { mergeWarnings, warningsOfMoment, type WarningFacts } from './checks';
export { responsesHandlers, responsesOps };

export const responsesEvents = { emits: ['responses.changed', 'responses.templatesChanged'], consumes: [] } as const satisfies FeatureEvents;

export function responsesModule(deps: { responses: ResponsesService }): FeatureModule {
  return featureModule({ name: 'responses', ops: responsesOps, handlers: responsesHandlers(deps.responses), events: responsesEvents });
}
