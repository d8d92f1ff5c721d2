// Pushes metric points to a running `vedetta serve` through its real metrics webhook.
import type { VedettaInstance } from './vedetta-process';

export function metricsWebhookUrl(v: VedettaInstance): string {
  return v.webhookUrl.replace(/\/mentions$/, '/metrics');
}

export async function postMetrics(v: VedettaInstance, body: unknown): Promise<{ status: number; json: unknown }> {
  const res = await fetch(metricsWebhookUrl(v), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${v.webhookToken}` },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
}
