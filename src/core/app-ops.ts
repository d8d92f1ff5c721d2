// Access and audit of the ops the core app handles itself (app-impl.ts): app info, settings,
// the inbox's mentions, file import and the demo.
import type { OpName } from '../shared/contract';
import type { OpDeclarations } from './api/call-scope';
import { ADMINS, EDITORS, READ } from './auth/permissions';

type AppOp = Extract<OpName, `app.${string}` | `settings.${string}` | 'mentions.list' | 'mentions.get' | 'mentions.setStatus' | `import.${string}` | `demo.${string}`>;

export const appOps: OpDeclarations<AppOp> = {
  'app.info': { access: 'public', mutates: false, audit: false },
  'settings.get': { access: READ, mutates: false, audit: false },
  'settings.update': { access: EDITORS, mutates: true, audit: (patch) => ({ subject: 'settings', detail: { ...patch } }) },
  // The workspace's zone and the handles' switch are an administrator's: they change what
  // everyone sees. The basis given for showing handles is the row's detail (who and when are the row's own).
  'settings.setTimeZone': { access: ADMINS, mutates: true, audit: ({ timeZone }) => ({ subject: 'settings:timeZone', detail: { timeZone } }) },
  'settings.setAuthorHandles': {
    access: ADMINS,
    mutates: true,
    audit: ({ enabled, legalBasis }) => ({ subject: 'settings:authorHandles', detail: { enabled, legalBasis: enabled ? (legalBasis ?? null) : null } }),
  },
  'mentions.list': { access: READ, mutates: false, audit: false },
  'mentions.get': { access: READ, mutates: false, audit: false },
  // Opening a mention marks it read: that is reading, not a decision, and writes no row.
  // Archiving one (or bringing it back) takes it out of everyone's inbox: the handler notes
  // where it came from and skips every other change.
  'mentions.setStatus': {
    access: EDITORS,
    mutates: true,
    target: (i) => `mention:${i.id}`,
    audit: ({ id, status }) => ({ subject: `mention:${id}`, detail: { to: status } }),
  },
  'import.file': {
    access: EDITORS,
    mutates: true,
    audit: ({ fileName }, r) => ({
      subject: `file:${fileName}`,
      detail: { reportId: r.id, accepted: r.accepted, duplicates: r.duplicates, rejected: r.rejected.length, warnings: r.warnings.length, error: r.error },
    }),
  },
  'import.reports': { access: READ, mutates: false, audit: false },
  // A file sent in pieces: a row when the upload opens (what, how big, how it is to be read),
  // when the import starts and when someone cancels one. The pieces are transport: the
  // handler skips their rows (hundreds for a large file, saying nothing more).
  'import.begin': {
    access: EDITORS,
    mutates: true,
    audit: (i, r) => ({ subject: `file:${i.fileName}`, detail: { uploadId: r.uploadId, size: i.size, encoding: i.encoding ?? null, keepGoodRows: i.keepGoodRows === true } }),
  },
  'import.chunk': { access: EDITORS, mutates: true, audit: ({ uploadId, offset }) => ({ subject: `upload:${uploadId}`, detail: { offset } }) },
  'import.end': {
    access: EDITORS,
    mutates: true,
    audit: ({ uploadId }, r) => ({ subject: `file:${r.fileName}`, detail: { uploadId, jobId: r.jobId } }),
  },
  'import.cancel': { access: EDITORS, mutates: true, audit: ({ jobId }, r) => ({ subject: `import:${jobId}`, detail: { cancelled: r.cancelled } }) },
  // The demo stores its stream's mentions (and seeds a perimeter when none exists).
  'demo.start': { access: EDITORS, mutates: true, audit: ({ speed }) => ({ subject: 'demo', detail: { speed } }) },
  // Stopping when no demo runs changes nothing and writes nothing.
  'demo.stop': { access: EDITORS, mutates: true, audit: (_i, s) => ({ subject: 'demo', detail: { emitted: s.emitted, total: s.total } }) },
  'demo.state': { access: READ, mutates: false, audit: false },
};
