// English text of every error code, same params as it.ts.
import type { ErrorCode } from './codes';

export const en: Record<ErrorCode, string> = {
  'request.unknownOp': 'Unknown operation: {op}',
  'request.invalid': 'Invalid request: check the fields listed.',
  'session.required': 'Sign-in required: enter your username and password.',
  'session.expired': 'Your session has expired: sign in again with your username and password.',
  'access.forbidden': 'Your role does not allow this action: ask an administrator.',
  'app.closing': 'Vedetta is shutting down: try again shortly.',
  'internal': 'Internal error: try again; if it persists, check the log.',
  'transport.badResponse': 'Invalid answer from the main process.',
  'transport.httpStatus': 'The server answered {status}',
  'remote': '{message}',
  'auth.adminExists': 'The administrator already exists: sign in with username and password.',
  'auth.accountDisabled': 'This account is disabled: ask an administrator.',
  'auth.badCredentials': 'Wrong username or password.',
  'auth.wrongPassword': 'Wrong password.',
  'auth.throttled': 'Too many failed attempts: try again in {seconds} seconds.',
  'users.usernameTaken': 'The username “{username}” is already taken.',
  'users.lastAdmin': '{name} is the only active administrator: appoint another administrator first.',
  'users.lastAdminDelete': '{name} is the only active administrator.',
  'users.deleteSelf': 'You cannot delete yourself.',
  'users.inAudit': '{name} appears in the activity log: they can be disabled, not deleted.',
  'users.notFound': 'Person {id} not found.',
  'mentions.notFound': 'Mention {id} not found: it may have been deleted.',
  'mentions.badCursor': 'The requested page is no longer valid: reload the list.',
};
