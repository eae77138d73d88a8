import type {
  TCreateWebhook,
  TUpdateWebhook,
  TWebhook,
  TWebhookCreated,
  TWebhookDelivery,
} from '@kefu/shared';
import { and, desc, eq, lt, type SQL } from 'drizzle-orm';
import { recordAudit } from '../audit/record-audit.ts';
import type { DbOrTx } from '../db/client.ts';
import type { Actor, Deps } from '../deps.ts';
import { AppError } from '../lib/app-error.ts';
import { decryptSecret, encryptSecret, randomToken } from '../lib/crypto.ts';
import { webhookDeliveries, webhooks } from './schema.ts';

export type WebhookRow = typeof webhooks.$inferSelect;
export type WebhookDeliveryRow = typeof webhookDeliveries.$inferSelect;

const SECRET_PURPOSE = 'webhook-secret';

/** Stored encrypted with KEFU_SECRET_KEY: a database dump alone cannot forge deliveries. */
export function sealWebhookSecret(secretKey: string, secret: string): string {
  return encryptSecret(secretKey, SECRET_PURPOSE, secret);
}

export function openWebhookSecret(secretKey: string, sealed: string): string {
  return decryptSecret(secretKey, SECRET_PURPOSE, sealed);
}

export function toWebhook(row: WebhookRow): TWebhook {
  return {
    id: row.id,
    url: row.url,
    events: row.events,
    active: row.active,
    createdAt: row.createdAt.toISOString(),
  };
}

export function toWebhookDelivery(row: WebhookDeliveryRow): TWebhookDelivery {
  return {
    id: row.id,
    webhookId: row.webhookId,
    event: row.event,
    status: row.status,
    attempts: row.attempts,
    responseStatus: row.responseStatus,
    error: row.error,
    payload: row.payload,
    createdAt: row.createdAt.toISOString(),
    deliveredAt: row.deliveredAt ? row.deliveredAt.toISOString() : null,
  };
}

export async function getWebhookRow(db: DbOrTx, id: string): Promise<WebhookRow> {
  const [row] = await db.select().from(webhooks).where(eq(webhooks.id, id));
  if (!row) throw new AppError('webhook.not_found');
  return row;
}

export async function findWebhooks(deps: Pick<Deps, 'db'>): Promise<TWebhook[]> {
  const rows = await deps.db.select().from(webhooks).orderBy(desc(webhooks.createdAt));
  return rows.map(toWebhook);
}

/** Creates a webhook with a fresh signing secret, returned this once. */
export async function createWebhook(
  deps: Pick<Deps, 'db' | 'config' | 'clock'>,
  actor: Actor,
  input: TCreateWebhook,
): Promise<TWebhookCreated> {
  const secret = `whsec_${randomToken(32)}`;
  const row = await deps.db.transaction(async (tx) => {
    const [created] = await tx
      .insert(webhooks)
      .values({
        url: input.url,
        events: input.events,
        active: input.active,
        secret: sealWebhookSecret(deps.config.secretKey, secret),
        createdAt: deps.clock.now(),
      })
      .returning();
    if (!created) throw new Error('insert returned nothing');
    await recordAudit(tx, actor, {
      action: 'webhook.created',
      targetType: 'webhook',
      targetId: created.id,
      data: { url: input.url, events: input.events, active: input.active },
    });
    return created;
  });
  return { ...toWebhook(row), secret };
}

export async function updateWebhook(
  deps: Pick<Deps, 'db'>,
  actor: Actor,
  id: string,
  input: TUpdateWebhook,
): Promise<TWebhook> {
  return deps.db.transaction(async (tx) => {
    const row = await getWebhookRow(tx, id);
    const set = {
      ...(input.url !== undefined ? { url: input.url } : {}),
      ...(input.events !== undefined ? { events: input.events } : {}),
      ...(input.active !== undefined ? { active: input.active } : {}),
    };
    if (Object.keys(set).length === 0) return toWebhook(row);
    const [updated] = await tx.update(webhooks).set(set).where(eq(webhooks.id, id)).returning();
    if (!updated) throw new AppError('webhook.not_found');
    await recordAudit(tx, actor, {
      action: 'webhook.updated',
      targetType: 'webhook',
      targetId: id,
      data: { changes: set },
    });
    return toWebhook(updated);
  });
}

/** Deletes a webhook and its delivery log; pending deliveries are dropped. */
export async function deleteWebhook(deps: Pick<Deps, 'db'>, actor: Actor, id: string) {
  await deps.db.transaction(async (tx) => {
    const row = await getWebhookRow(tx, id);
    await tx.delete(webhooks).where(eq(webhooks.id, id));
    await recordAudit(tx, actor, {
      action: 'webhook.deleted',
      targetType: 'webhook',
      targetId: id,
      data: { url: row.url },
    });
  });
}

/** A webhook's delivery log, newest first. */
export async function findWebhookDeliveries(
  deps: Pick<Deps, 'db'>,
  webhookId: string,
  query: { limit: number; before?: string | undefined },
): Promise<TWebhookDelivery[]> {
  await getWebhookRow(deps.db, webhookId);
  const where: SQL[] = [eq(webhookDeliveries.webhookId, webhookId)];
  if (query.before) where.push(lt(webhookDeliveries.createdAt, new Date(query.before)));
  const rows = await deps.db
    .select()
    .from(webhookDeliveries)
    .where(and(...where))
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(query.limit);
  return rows.map(toWebhookDelivery);
}
