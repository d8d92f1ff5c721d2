// Every error a person may see, by code. Core throws a code with its params; the text comes
// from the catalogues (it.ts, en.ts), so the same error reads the same in the UI and the CLI,
// in either language. The kind decides the HTTP status and how clients react.
export const ERROR_KINDS_LIST = ['invalid', 'not_found', 'conflict', 'unauthorized', 'forbidden', 'too_large', 'rate_limited', 'internal'] as const;
export type ErrorKind = (typeof ERROR_KINDS_LIST)[number];

export const ERROR_CODES = {
  // Calls and sessions (dispatcher, adapters).
  'request.unknownOp': 'invalid',
  'request.invalid': 'invalid',
  'session.required': 'unauthorized',
  /** A session token was sent but no longer opens anything: expired, idle, or its person disabled. */
  'session.expired': 'unauthorized',
  'access.forbidden': 'forbidden',
  'app.closing': 'internal',
  'internal': 'internal',
  /** A server or bridge answer the client cannot read. */
  'transport.badResponse': 'internal',
  'transport.httpStatus': 'internal',
  /** An error from a newer backend whose code this client does not know: its text as sent. */
  'remote': 'internal',
  // People and sign-in.
  'auth.adminExists': 'conflict',
  'auth.accountDisabled': 'unauthorized',
  'auth.badCredentials': 'unauthorized',
  'auth.wrongPassword': 'unauthorized',
  'auth.throttled': 'rate_limited',
  'users.usernameTaken': 'conflict',
  'users.lastAdmin': 'conflict',
  'users.lastAdminDelete': 'conflict',
  'users.deleteSelf': 'conflict',
  'users.inAudit': 'conflict',
  'users.notFound': 'not_found',
  // Mentions.
  'mentions.notFound': 'not_found',
  'mentions.badCursor': 'invalid',
  // Webhook, replay and demo.
  'webhook.badBody': 'invalid',
  'webhook.tooMany': 'too_large',
  'replay.running': 'conflict',
  'demo.replayRunning': 'conflict',
  'demo.missing': 'not_found',
  'demo.empty': 'not_found',
  // Moments, audiences, responses.
  'moments.notFound': 'not_found',
  'audiences.notFound': 'not_found',
  'audiences.nameTaken': 'conflict',
  'responses.notFound': 'not_found',
  'responses.noVersion': 'internal',
  // Perimeters.
  'perimeters.brandNameTaken': 'conflict',
  'perimeters.productNameTaken': 'conflict',
  'perimeters.brandNotFound': 'not_found',
  'perimeters.productNotFound': 'not_found',
  'perimeters.themeNotFound': 'not_found',
  'perimeters.ownedNotFound': 'not_found',
  'perimeters.brandUnknown': 'invalid',
  'perimeters.productUnknown': 'invalid',
  'perimeters.productOfOtherBrand': 'invalid',
  'perimeters.badQuery': 'invalid',
  'perimeters.ownedElsewhere': 'conflict',
  'perimeters.ownedAlready': 'conflict',
  // Tier 2 metrics: the metrics webhook, content, CSV of metric points, alerts and rules.
  'metrics.badBody': 'invalid',
  'metrics.unknownFields': 'invalid',
  'metrics.contentNotArray': 'invalid',
  'metrics.pointsNotArray': 'invalid',
  'metrics.emptyBody': 'invalid',
  'metrics.tooMany': 'too_large',
  'metrics.contentInvalid': 'invalid',
  'metrics.csvBinary': 'invalid',
  'metrics.csvEmpty': 'invalid',
  'csv.quoteNotClosed': 'invalid',
  'csv.unreadable': 'invalid',
  'metrics.csvNoRows': 'invalid',
  'metrics.csvTooManyRows': 'too_large',
  'metrics.csvColumnMissing': 'invalid',
  'metrics.csvNoContentColumn': 'invalid',
  'metrics.csvNoTimeColumn': 'invalid',
  'metrics.csvNoMetricColumns': 'invalid',
  'metrics.alertNotFound': 'not_found',
  'metrics.alertAlreadyAcknowledged': 'conflict',
  'metrics.alertAlreadyIntervened': 'conflict',
  'metrics.alertAlreadyResolved': 'conflict',
  'metrics.alertResolvedNoIntervention': 'conflict',
  'metrics.alertNeedsIntervention': 'conflict',
  'metrics.ruleNotFound': 'not_found',
  'metrics.ruleGapMetric': 'invalid',
  'metrics.ruleThresholdFraction': 'invalid',
  // Publishing: channels, the outbox, manual posts and reply targets.
  'publishing.channelNotFound': 'not_found',
  'publishing.channelDisabled': 'conflict',
  'publishing.emptyText': 'invalid',
  'publishing.outboxNotFound': 'not_found',
  'publishing.retryNotFailed': 'conflict',
  'publishing.retryChannelDisabled': 'conflict',
  'publishing.channelNameTaken': 'conflict',
  'publishing.testNoKind': 'invalid',
  'publishing.kindFixed': 'invalid',
  'publishing.notManual': 'conflict',
  'publishing.badPostUrl': 'invalid',
  'publishing.alreadyRecorded': 'conflict',
  'publishing.mentionGone': 'not_found',
  'publishing.redditReplyOnly': 'invalid',
  'publishing.mastodonNotStatus': 'invalid',
  'publishing.channelIncomplete': 'invalid',
  // Sources: adding, editing, testing and polling them.
  'sources.notFound': 'not_found',
  'sources.nameTaken': 'conflict',
  'sources.noVaultAdd': 'invalid',
  'sources.noVaultUpdate': 'invalid',
  'sources.vaultFailed': 'internal',
  'sources.noSettings': 'invalid',
  'sources.badSettings': 'invalid',
  'sources.noInterval': 'invalid',
  'sources.paused': 'conflict',
  'sources.pollingOff': 'conflict',
  'sources.kindMismatch': 'invalid',
  'sources.pushOnly': 'invalid',
  'sources.noCredentials': 'invalid',
  'sources.onlyCredentials': 'invalid',
} as const satisfies Record<string, ErrorKind>;

export type ErrorCode = keyof typeof ERROR_CODES;
export type ErrorParams = Readonly<Record<string, string | number>>;

export function isErrorCode(x: unknown): x is ErrorCode {
  return typeof x === 'string' && Object.prototype.hasOwnProperty.call(ERROR_CODES, x);
}
