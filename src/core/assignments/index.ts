// The assignments feature's one face (issue #16): who is in charge of a mention, a moment or a
// response, and the people one may put in charge.
import { featureModule, type FeatureEvents, type FeatureModule } from '../api/modules';
import { assignmentsHandlers } from './handlers';
import { assignmentsOps } from './ops';
import type { AssignmentsService } from './service';

export { AssignmentsService } from './service';
export { assignmentsOps };

export const assignmentsEvents = { emits: ['assignments.changed'], consumes: [] } as const satisfies FeatureEvents;

export function assignmentsModule(deps: { assignments: AssignmentsService }): FeatureModule {
  return featureModule({ name: 'assignments', ops: assignmentsOps, handlers: assignmentsHandlers(deps.assignments), events: assignmentsEvents });
}
