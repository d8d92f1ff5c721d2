// Generic webhook: the approved text POSTed as JSON, signed with HMAC-SHA256.
//
// Headers: `Idempotency-Key` (the same for every attempt of one entry),
// `X-Vedetta-Timestamp` (unix seconds) and `X-Vedetta-Signature: sha256=<hex of
// HMAC-SHA256(secret, "<timestamp>.<body>")>`. The receiver must check the signature (and
// refuse stale timestamps) and DEDUPE ON Idempotency-Key: after a crash or a dropped
// connection Vedetta cannot ask whether the post arrived, so it sends it again with the same
// key. A 2xx answer means "stored"; JSON `{ "id": "...", "url": "https://..." }` in it is
// recorded as the published id and URL.
import { createHmac } from 'node:crypto';
import type { PublishChannelConfig, PublishChannelSecrets } from '../../shared/publishing';
import { failureError, httpCall, httpUrl, parseJson, statusError } from './http';
import type { TextCode } from '../../shared/errors';
import { failedTest, publishError, testSaid, type PublishConnector, type PublishContext, type PublishJob, type PublishOutcome } from '../../core/publishing/ports';

export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export interface WebhookOptions {
  timeoutMs?: number;
  userAgent?: string;
}

export function createWebhookPublisher(options: WebhookOptions = {}): PublishConnector {
  const timeoutMs = options.timeoutMs ?? 20_000;
  const userAgent = options.userAgent ?? 'Vedetta/0.1 (publishing webhook)';

  function configProblem(config: PublishChannelConfig, secrets: PublishChannelSecrets): TextCode | null {
    if (!httpUrl(config.url)) return 'publish.webhookNoUrl';
    if (!secrets.hmacSecret) return 'publish.webhookNoSecret';
    if (secrets.hmacSecret.length < 16) return 'publish.webhookShortSecret';
    return null;
  }

  async function send(payload: Record<string, unknown>, key: string, ctx: PublishContext): Promise<PublishOutcome> {
    const body = JSON.stringify(payload);
    const ts = String(Math.floor(ctx.now() / 1000));
    try {
      const a = await httpCall(
        {
          method: 'POST',
          url: ctx.config.url ?? '',
          body,
          timeoutMs,
          headers: {
            'content-type': 'application/json',
            'user-agent': userAgent,
            'idempotency-key': key,
            'x-vedetta-timestamp': ts,
            'x-vedetta-signature': webhookSignature(ctx.secrets.hmacSecret ?? '', ts, body),
          },
        },
        'webhook',
      );
      if (a.status < 200 || a.status > 299) {
        const err = statusError(a, 'webhook', ctx.now());
        // 3xx: a POST is never followed elsewhere; the address is wrong.
        if (a.status >= 300 && a.status < 400) return { ok: false, error: { ...err, ...publishError('publish.webhookRedirect', { status: a.status }, { permanent: true, uncertain: err.uncertain }) } };
        return { ok: false, error: err };
      }
      const j = parseJson(a.text) as { id?: unknown; url?: unknown } | undefined;
      const id = typeof j?.id === 'string' || typeof j?.id === 'number' ? String(j.id) : null;
      const url = typeof j?.url === 'string' && httpUrl(j.url) ? j.url : null;
      return { ok: true, externalId: id, url };
    } catch (e) {
      return { ok: false, error: failureError(e, 'webhook') };
    }
  }

  return {
    kind: 'webhook',
    configProblem,
    async publish(job: PublishJob, ctx: PublishContext): Promise<PublishOutcome> {
      const problem = configProblem(ctx.config, ctx.secrets);
      if (problem) return { ok: false, error: publishError(problem, {}, { permanent: true, uncertain: false }) };
      return send(
        {
          type: 'vedetta.publish',
          idempotencyKey: job.idempotencyKey,
          responseId: job.responseId,
          versionId: job.versionId,
          contentHash: job.contentHash,
          channel: job.channelName,
          target: job.target,
          text: job.text,
        },
        job.idempotencyKey,
        ctx,
      );
    },
    async test(ctx) {
      const problem = configProblem(ctx.config, ctx.secrets);
      if (problem) return testSaid(false, problem);
      const out = await send({ type: 'vedetta.ping' }, `ping-${ctx.now()}`, ctx);
      if (out.ok) return testSaid(true, 'publish.webhookTestOk');
      return failedTest(out.error);
    },
  };
}
