// Access and audit of sentiment: the engine's status, and a person's correction.
import { SENTIMENT_CORRECTORS } from '../../shared/auth';
import type { OpName } from '../../shared/contract';
import type { OpDeclarations } from '../api/call-scope';
import { READ } from '../auth/permissions';

const CORRECT_AUDIT_ACTION = 'sentiment.correct';

export const sentimentOps: OpDeclarations<Extract<OpName, 'sentiment.status' | 'mentions.correctSentiment'>> = {
  'sentiment.status': { access: READ, mutates: false, audit: false },
  // A label feeds every aggregate and trains the workspace layer: the people who read the stream.
  // The service notes from → to (nothing when the label was already that one); atomic: the
  // label, its history, the moments' counters and the row are one transaction.
  'mentions.correctSentiment': {
    access: SENTIMENT_CORRECTORS,
    mutates: true,
    atomic: true,
    target: (i) => `mention:${i.id}`,
    audit: ({ id }) => ({ action: CORRECT_AUDIT_ACTION, subject: `mention:${id}` }),
  },
};
