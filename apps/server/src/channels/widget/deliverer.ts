import type { Deliverer } from '../../pipeline/send-outbound.ts';
import type { Realtime } from '../../realtime/gateway.ts';

/** Widget delivery is the customer's socket: delivered when a tab confirms, sent when none is open (it resyncs later). */
export function createWidgetDeliverer(realtime: Pick<Realtime, 'deliverToCustomer'>): Deliverer {
  return async ({ message, conversation }) =>
    (await realtime.deliverToCustomer(conversation.contactId, message)) ? 'delivered' : 'sent';
}
