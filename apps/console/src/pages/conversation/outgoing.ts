import type { TMessage, TSendAck } from '@kefu/shared';
import type { QueryClient } from '@tanstack/react-query';
import { useSyncExternalStore } from 'react';
import { api, isApiError } from '../../api/client.ts';
import { mergeMessages } from '../../api/conversations.ts';
import { errorMessage } from '../../components/error-alert.tsx';
import i18n from '../../i18n.ts';
import { newClientMessageId } from '../../lib/conversation.ts';
import type { AgentSocket } from '../../realtime/realtime.tsx';

/**
 * Replies and notes on their way: shown at once in the timeline (optimistic), replaced by the
 * stored message when the server acknowledges it, kept with a retry button when it fails. The
 * clientMessageId makes a retry safe: the server stores one message whatever happens.
 */
export type Outgoing = {
  clientMessageId: string;
  conversationId: string;
  text: string;
  private: boolean;
  state: 'sending' | 'failed';
  error: string | null;
  createdAt: string;
};

const SEND_TIMEOUT_MS = 15_000;
const EMPTY: Outgoing[] = [];
let byConversation = new Map<string, Outgoing[]>();
const listeners = new Set<() => void>();

function set(conversationId: string, update: (list: Outgoing[]) => Outgoing[]) {
  const next = new Map(byConversation);
  const list = update(next.get(conversationId) ?? EMPTY);
  if (list.length === 0) next.delete(conversationId);
  else next.set(conversationId, list);
  byConversation = next;
  for (const listener of listeners) listener();
}

export function useOutgoing(conversationId: string): Outgoing[] {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => byConversation.get(conversationId) ?? EMPTY,
  );
}

function emitSend(socket: AgentSocket, item: Outgoing): Promise<TMessage> {
  return new Promise((resolve, reject) => {
    socket.timeout(SEND_TIMEOUT_MS).emit(
      'message:send',
      {
        conversationId: item.conversationId,
        clientMessageId: item.clientMessageId,
        text: item.text,
        private: item.private,
      },
      (error: Error | null, ack: TSendAck) => {
        if (error) reject(new Error(i18n.t('workspace.delivery.timeout')));
        else if (ack.ok) resolve(ack.message);
        else reject(new Error(ack.error.message));
      },
    );
  });
}

async function deliver(socket: AgentSocket | null, queryClient: QueryClient, item: Outgoing) {
  try {
    // Without a live socket the HTTP API takes the same message (same idempotency key).
    const message =
      socket?.connected === true
        ? await emitSend(socket, item)
        : await api.post<TMessage>(`/conversations/${item.conversationId}/messages`, {
            text: item.text,
            private: item.private,
            clientMessageId: item.clientMessageId,
          });
    mergeMessages(queryClient, item.conversationId, [message]);
    set(item.conversationId, (list) =>
      list.filter((o) => o.clientMessageId !== item.clientMessageId),
    );
  } catch (error) {
    const text = isApiError(error)
      ? errorMessage(error, i18n.t('common.errorTitle'))
      : error instanceof Error
        ? error.message
        : i18n.t('common.errorTitle');
    set(item.conversationId, (list) =>
      list.map((o) =>
        o.clientMessageId === item.clientMessageId ? { ...o, state: 'failed', error: text } : o,
      ),
    );
  }
}

export function sendMessage(
  socket: AgentSocket | null,
  queryClient: QueryClient,
  input: { conversationId: string; text: string; private: boolean },
): void {
  const item: Outgoing = {
    ...input,
    clientMessageId: newClientMessageId(),
    state: 'sending',
    error: null,
    createdAt: new Date().toISOString(),
  };
  set(input.conversationId, (list) => [...list, item]);
  void deliver(socket, queryClient, item);
}

export function retryMessage(
  socket: AgentSocket | null,
  queryClient: QueryClient,
  item: Outgoing,
): void {
  const again: Outgoing = { ...item, state: 'sending', error: null };
  set(item.conversationId, (list) =>
    list.map((o) => (o.clientMessageId === item.clientMessageId ? again : o)),
  );
  void deliver(socket, queryClient, again);
}

export function discardMessage(item: Outgoing): void {
  set(item.conversationId, (list) =>
    list.filter((o) => o.clientMessageId !== item.clientMessageId),
  );
}
