import type { Deps } from '../../deps.ts';
import { getInboxRow, inboxStatusOf, recordInboxStatus } from '../../inboxes/inboxes.ts';
import type { Deliverer } from '../../pipeline/send-outbound.ts';
import { postWebhook } from '../../webhooks/deliver-webhook.ts';
import { apiSettingsOf } from './create-api-inbox.ts';

export const API_MESSAGE_EVENT = 'message.created';

/**
 * Agent replies, assistant answers and notices on API conversations are POSTed to the inbox's
 * webhook URL, signed like Kefu's webhooks (X-Kefu-Signature over `<timestamp>.<body>`). A non-2xx
 * answer throws, so the outbox job retries with backoff and records the error; the delivery id
 * (X-Kefu-Delivery) is the outbox id, the same on every retry, so the app can deduplicate.
 */
export function createApiDeliverer(deps: Deps): Deliverer {
  return async ({ outboxId, message, conversation }) => {
    const inbox = await getInboxRow(deps.db, conversation.inboxId);
    const settings = apiSettingsOf(inbox);
    if (!settings.webhookUrl) throw new Error('the API inbox has no webhook URL');
    const payload = {
      id: outboxId,
      event: API_MESSAGE_EVENT,
      createdAt: deps.clock.now().toISOString(),
      data: {
        inboxId: inbox.id,
        conversation: {
          id: conversation.id,
          number: conversation.number,
          status: conversation.status,
        },
        message: {
          id: message.id,
          seq: message.seq,
          senderType: message.senderType,
          senderName: message.senderName,
          kind: message.kind,
          text: message.text,
          attachments: message.attachments,
          createdAt: message.createdAt,
        },
      },
    };
    const attempt = await postWebhook(
      deps,
      { url: settings.webhookUrl, secret: settings.webhookSecret },
      { id: outboxId, event: API_MESSAGE_EVENT, payload },
    );
    const current = inboxStatusOf(inbox, 'status');
    if (!attempt.ok || current?.state !== 'ok')
      await recordInboxStatus(deps.db, inbox.id, 'status', {
        state: attempt.ok ? 'ok' : 'error',
        at: deps.clock.now().toISOString(),
        error: attempt.ok ? null : (attempt.error ?? 'unknown').slice(0, 500),
      });
    if (!attempt.ok) throw new Error(`API channel webhook failed: ${attempt.error ?? 'unknown'}`);
    return 'delivered';
  };
}
