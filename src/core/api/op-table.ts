// Every op's declaration, gathered from the features: who may call it (access) and what its
// audit row says (audit). The mapped type makes a missing op a compile error; a unit test
// checks that every op that changes something is audited.
import type { OpName } from '../../shared/contract';
import { appOps } from '../app-ops';
import { sentimentOps } from '../analysis';
import { audiencesOps } from '../audiences';
import { auditOps } from '../audit';
import { authOps } from '../auth';
import type { Access } from '../auth/permissions';
import { metricsOps } from '../metrics';
import { momentsOps } from '../moments';
import { perimetersOps } from '../perimeters';
import { publishingOps } from '../publishing';
import { responsesOps } from '../responses';
import { sourcesOps } from '../sources';
import { webhooksOps } from '../webhooks';
import { notesOps } from '../notes';
import { presenceOps } from '../presence';
import { notificationsOps } from '../notifications';
import { assignmentsOps } from '../assignments';
import { tagsOps } from '../tags';
import { searchesOps } from '../search';
import type { OpDeclaration, OpDeclarations } from './call-scope';

export const OP_DECLARATIONS: OpDeclarations<OpName> = {
  ...appOps,
  ...sentimentOps,
  ...perimetersOps,
  ...sourcesOps,
  ...metricsOps,
  ...momentsOps,
  ...authOps,
  ...auditOps,
  ...publishingOps,
  ...responsesOps,
  ...audiencesOps,
  ...webhooksOps,
  ...notesOps,
  ...presenceOps,
  ...notificationsOps,
  ...assignmentsOps,
  ...tagsOps,
  ...searchesOps,
};

export function declarationOf(op: OpName): OpDeclaration<OpName> {
  return OP_DECLARATIONS[op] as OpDeclaration<OpName>;
}

/** Who may call what, read from the declarations (the UI's and the tests' view of access). */
export const OP_ACCESS = Object.fromEntries(Object.entries(OP_DECLARATIONS).map(([op, d]) => [op, d.access])) as Record<OpName, Access>;
