import type { AgentClientToServer, AgentServerToClient, TConversation } from '@kefu/shared';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import {
  createContext,
  type ReactNode,
  useContext,
  useEffect,
  useEffectEvent,
  useMemo,
  useState,
} from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { io, type Socket } from 'socket.io-client';
import { mergeMessages, setDeliveryStatus } from '../api/conversations.ts';
import { queryKeys } from '../api/query-keys.ts';
import i18n from '../i18n.ts';
import { PRIORITIES } from '../lib/conversation.ts';
import { type AgentAlertKind, alertStore, playChime, showDesktopNotification } from './alerts.ts';

export type AgentSocket = Socket<AgentServerToClient, AgentClientToServer>;
export type SocketStatus = 'connecting' | 'connected' | 'reconnecting';

type RealtimeState = { socket: AgentSocket | null; status: SocketStatus };

const RealtimeContext = createContext<RealtimeState>({ socket: null, status: 'connecting' });

export function useRealtime(): RealtimeState {
  return useContext(RealtimeContext);
}

/** Subscribes to one server event for as long as the component is mounted. */
export function useSocketEvent<E extends keyof AgentServerToClient>(
  event: E,
  handler: AgentServerToClient[E],
): void {
  const { socket } = useRealtime();
  const onEvent = useEffectEvent((...args: Parameters<AgentServerToClient[E]>) =>
    (handler as (...a: Parameters<AgentServerToClient[E]>) => void)(...args),
  );
  useEffect(() => {
    if (!socket) return;
    const listener = ((...args: Parameters<AgentServerToClient[E]>) => onEvent(...args)) as never;
    socket.on(event, listener);
    return () => {
      socket.off(event, listener);
    };
  }, [socket, event]);
}

/** Alerts that ring: a conversation given to the agent, or a colleague asking for them. */
const RINGING: AgentAlertKind[] = ['assignment', 'mention'];

/**
 * One socket to the `/agent` namespace per signed-in tab (the session cookie authenticates it).
 * Server events keep TanStack Query's cache current: timelines get messages as they arrive,
 * lists and counts are refetched (events carry ids and small deltas, not whole rows).
 */
export function RealtimeProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const { t } = useTranslation();
  const [state, setState] = useState<RealtimeState>({ socket: null, status: 'connecting' });

  const onAlert = useEffectEvent((event: Parameters<AgentServerToClient['notification']>[0]) => {
    alertStore.add(event);
    const title = t(`alerts.kind.${event.kind}`, { number: event.number });
    const open = () => void navigate(`/conversations/${event.conversationId}`);
    notifications.show({
      title,
      message: t('alerts.open'),
      color: event.kind === 'sla_breach' ? 'red' : 'blue',
      autoClose: 6000,
      onClick: open,
      style: { cursor: 'pointer' },
    });
    if (RINGING.includes(event.kind) || event.kind === 'sla_breach') {
      playChime();
      showDesktopNotification(title, t('common.appName'), open);
    }
  });

  useEffect(() => {
    const socket: AgentSocket = io('/agent', {
      withCredentials: true,
      // Ack errors come back in the console's language (read from the handshake request).
      extraHeaders: { 'accept-language': i18n.language || 'en' },
    });
    let listTimer: ReturnType<typeof setTimeout> | undefined;
    const refreshLists = () => {
      // Bursts of events (a message, its assignment, its SLA) refetch the lists once.
      if (listTimer) return;
      listTimer = setTimeout(() => {
        listTimer = undefined;
        void queryClient.invalidateQueries({ queryKey: queryKeys.conversationLists });
        void queryClient.invalidateQueries({ queryKey: queryKeys.conversationCounts });
      }, 300);
    };
    const refreshAll = () => {
      refreshLists();
      void queryClient.invalidateQueries({ queryKey: ['conversations', 'detail'] });
      void queryClient.invalidateQueries({ queryKey: ['conversations', 'messages'] });
    };

    socket.on('connect', () => setState({ socket, status: 'connected' }));
    socket.on('disconnect', (reason) => {
      setState({ socket, status: 'reconnecting' });
      if (reason === 'io server disconnect') {
        // The server ends a console's socket when its session ends (signed out elsewhere,
        // revoked, account disabled): refreshing `me` takes the agent to sign-in. Socket.IO
        // does not reconnect after this by itself; a session that still holds connects again.
        void queryClient.invalidateQueries({ queryKey: queryKeys.me });
        socket.connect();
      }
    });
    // A new role or other teams: what the console shows and offers follows at once.
    socket.on('access:changed', () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.me });
      refreshAll();
    });
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    socket.on('connect_error', (error) => {
      setState({ socket, status: 'reconnecting' });
      if (error.message.startsWith('auth.')) {
        // The session ended: refreshing `me` takes the agent to sign-in (or 2FA enrolment).
        void queryClient.invalidateQueries({ queryKey: queryKeys.me });
      } else if (!socket.active) {
        // Refused by the server for another reason (busy, restarting): Socket.IO does not
        // retry a refusal by itself.
        clearTimeout(retryTimer);
        retryTimer = setTimeout(() => socket.connect(), 5000);
      }
    });
    // Missed events while offline: refetch what is on screen.
    socket.io.on('reconnect', refreshAll);

    socket.on('conversation:created', refreshLists);
    socket.on('conversation:changed', (change) => {
      // Applied at once for a snappy header; the refetch below brings the rest.
      const { conversationId, assigneeName: _name, priority, ...delta } = change;
      const known = PRIORITIES.find((p) => p === priority);
      queryClient.setQueryData<TConversation>(queryKeys.conversation(conversationId), (c) =>
        c ? { ...c, ...delta, ...(known ? { priority: known } : {}) } : c,
      );
      void queryClient.invalidateQueries({ queryKey: queryKeys.conversation(conversationId) });
      refreshLists();
    });
    socket.on('message:new', (message) => {
      const { gap } = mergeMessages(queryClient, message.conversationId, [message]);
      if (gap) {
        void queryClient.invalidateQueries({
          queryKey: queryKeys.messages(message.conversationId),
        });
      }
      if (message.senderType === 'contact') {
        void queryClient.invalidateQueries({ queryKey: queryKeys.copilot(message.conversationId) });
      }
      refreshLists();
    });
    socket.on('delivery:changed', (event) =>
      setDeliveryStatus(queryClient, event.conversationId, event.messageId, event.status),
    );
    socket.on('notification', (event) => onAlert(event));

    setState({ socket, status: socket.connected ? 'connected' : 'connecting' });
    return () => {
      if (listTimer) clearTimeout(listTimer);
      clearTimeout(retryTimer);
      socket.io.off('reconnect', refreshAll);
      socket.removeAllListeners();
      socket.disconnect();
      alertStore.clear();
      setState({ socket: null, status: 'connecting' });
    };
  }, [queryClient]);

  const value = useMemo(() => state, [state]);
  return <RealtimeContext.Provider value={value}>{children}</RealtimeContext.Provider>;
}
