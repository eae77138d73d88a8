import { randomUUID } from 'node:crypto';
import type { TWebhookDelivery } from '@kefu/shared';
import { eq, sql } from 'drizzle-orm';
import { recordAudit } from '../audit/record-audit.ts';
import type { Actor, Deps } from '../deps.ts';
import { VERSION } from '../version.ts';
import type { WebhookEnvelope } from './dispatch-event.ts';
import { webhookDeliveries, webhooks } from './schema.ts';
import { signWebhook } from './signature.ts';
import {
  getWebhookRow,
  openWebhookSecret,
  toWebhookDelivery,
  type WebhookDeliveryRow,
  type WebhookRow,
} from './webhooks.ts';

export const WEBHOOK_TIMEOUT_MS = 10_000;
/** How much of a failing receiver's answer the delivery log keeps. */
const RESPONSE_SNIPPET_BYTES = 300;

export type WebhookAttempt = { ok: boolean; responseStatus: number | null; error: string | null };

async function readSnippet(response: Response): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < RESPONSE_SNIPPET_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).toString('utf8').slice(0, RESPONSE_SNIPPET_BYTES).trim();
}

function describeFailure(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === 'TimeoutError' || error.name === 'AbortError')
      return `no answer within ${WEBHOOK_TIMEOUT_MS / 1000} s`;
    const cause = error.cause as { code?: unknown; message?: unknown } | undefined;
    const detail =
      typeof cause?.code === 'string'
        ? cause.code
        : typeof cause?.message === 'string'
          ? cause.message
          : '';
    return detail ? `${error.message} (${detail})` : error.message;
  }
  return String(error);
}

/** One signed POST of a delivery's body. Never throws: the outcome says what happened. */
export async function postWebhook(
  deps: Pick<Deps, 'config' | 'clock'>,
  webhook: Pick<WebhookRow, 'url' | 'secret'>,
  delivery: Pick<WebhookDeliveryRow, 'id' | 'event' | 'payload'>,
): Promise<WebhookAttempt> {
  const body = JSON.stringify(delivery.payload);
  const timestamp = String(Math.floor(deps.clock.now().getTime() / 1000));
  try {
    const secret = openWebhookSecret(deps.config.secretKey, webhook.secret);
    const response = await fetch(webhook.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': `Kefu-Webhooks/${VERSION}`,
        'x-kefu-event': delivery.event,
        'x-kefu-delivery': delivery.id,
        'x-kefu-timestamp': timestamp,
        'x-kefu-signature': signWebhook(secret, timestamp, body),
      },
      body,
      // A redirect is an answer to fix, not to follow with a signed body.
      redirect: 'manual',
      signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
    });
    if (response.status >= 200 && response.status < 300) {
      await response.body?.cancel().catch(() => undefined);
      return { ok: true, responseStatus: response.status, error: null };
    }
    const snippet = await readSnippet(response).catch(() => '');
    return {
      ok: false,
      responseStatus: response.status,
      error: `HTTP ${response.status}${snippet ? `: ${snippet}` : ''}`,
    };
  } catch (error) {
    return { ok: false, responseStatus: null, error: describeFailure(error).slice(0, 1000) };
  }
}

/**
 * The `webhooks.deliver` job: POSTs the delivery; a 2xx marks it delivered, anything else is
 * recorded and thrown so the worker retries with backoff, until the last attempt marks it failed.
 */
export async function deliverWebhook(
  deps: Pick<Deps, 'db' | 'config' | 'clock'>,
  job: { payload: Record<string, unknown>; attempts: number; maxAttempts: number },
): Promise<void> {
  const deliveryId = job.payload.deliveryId;
  if (typeof deliveryId !== 'string') return;
  const [row] = await deps.db
    .select({ delivery: webhookDeliveries, webhook: webhooks })
    .from(webhookDeliveries)
    .innerJoin(webhooks, eq(webhooks.id, webhookDeliveries.webhookId))
    .where(eq(webhookDeliveries.id, deliveryId));
  // Deleted with its webhook, or already settled by an earlier run of this job.
  if (row?.delivery.status !== 'pending') return;
  if (!row.webhook.active) {
    await deps.db
      .update(webhookDeliveries)
      .set({ status: 'failed', error: 'the webhook was deactivated' })
      .where(eq(webhookDeliveries.id, deliveryId));
    return;
  }
  const attempt = await postWebhook(deps, row.webhook, row.delivery);
  const lastAttempt = job.attempts >= job.maxAttempts;
  await deps.db
    .update(webhookDeliveries)
    .set({
      attempts: sql`${webhookDeliveries.attempts} + 1`,
      responseStatus: attempt.responseStatus,
      error: attempt.error,
      status: attempt.ok ? 'delivered' : lastAttempt ? 'failed' : 'pending',
      ...(attempt.ok ? { deliveredAt: deps.clock.now() } : {}),
    })
    .where(eq(webhookDeliveries.id, deliveryId));
  if (!attempt.ok) throw new Error(`webhook delivery failed: ${attempt.error ?? 'unknown'}`);
}

/** The test button: one `ping` right now, logged like any delivery, not retried. */
export async function sendWebhookPing(
  deps: Pick<Deps, 'db' | 'config' | 'clock'>,
  actor: Actor,
  webhookId: string,
): Promise<TWebhookDelivery> {
  const webhook = await getWebhookRow(deps.db, webhookId);
  const now = deps.clock.now();
  const id = randomUUID();
  const envelope: WebhookEnvelope = {
    id,
    event: 'ping',
    createdAt: now.toISOString(),
    data: { webhookId: webhook.id },
  };
  const [created] = await deps.db
    .insert(webhookDeliveries)
    .values({ id, webhookId: webhook.id, event: 'ping', payload: envelope, createdAt: now })
    .returning();
  if (!created) throw new Error('insert returned nothing');
  const attempt = await postWebhook(deps, webhook, created);
  const [updated] = await deps.db
    .update(webhookDeliveries)
    .set({
      attempts: 1,
      responseStatus: attempt.responseStatus,
      error: attempt.error,
      status: attempt.ok ? 'delivered' : 'failed',
      deliveredAt: attempt.ok ? deps.clock.now() : null,
    })
    .where(eq(webhookDeliveries.id, id))
    .returning();
  await recordAudit(deps.db, actor, {
    action: 'webhook.tested',
    targetType: 'webhook',
    targetId: webhook.id,
    data: { deliveryId: id, ok: attempt.ok, responseStatus: attempt.responseStatus },
  });
  return toWebhookDelivery(updated ?? created);
}
