import type { TConversation, TPresence } from '@kefu/shared';
import { Avatar, Button, Center, Group, Loader, Stack, Text, Title, Tooltip } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { useAgents } from '../../api/agents.ts';
import { useCurrentMe } from '../../api/auth.ts';
import { isApiError } from '../../api/client.ts';
import { useConversation, useCopilot, useMessages } from '../../api/conversations.ts';
import { useTeams } from '../../api/teams.ts';
import { useContact } from '../../api/workspace.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { FullPageLoader } from '../../components/full-page.tsx';
import { notifySuccess } from '../../components/notify.ts';
import { ShortcutsModal } from '../../components/shortcuts-modal.tsx';
import { customerName, readableRedactions } from '../../lib/customer.ts';
import { neighbourInInbox } from '../../lib/inbox-order.ts';
import { isShortcutEvent } from '../../lib/keyboard.ts';
import { alertStore, useAlerts } from '../../realtime/alerts.ts';
import { useRealtime, useSocketEvent } from '../../realtime/realtime.tsx';
import { EscalateModal, MergeModal } from './action-modals.tsx';
import { Composer, type ComposerHandle } from './composer.tsx';
import { ConversationHeader, type HeaderActions } from './conversation-header.tsx';
import { CustomerPanel } from './customer-panel.tsx';
import {
  discardMessage,
  type Outgoing,
  retryMessage,
  sendMessage,
  useOutgoing,
} from './outgoing.ts';
import { Timeline } from './timeline.tsx';

/** /conversations/:id: the agent's workspace for one ticket. */
export function ConversationPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const conversation = useConversation(id);
  if (conversation.isPending) return <FullPageLoader />;
  if (conversation.isError) {
    const gone =
      isApiError(conversation.error, 'conversation.not_found') ||
      isApiError(conversation.error, 'request.invalid');
    return (
      <Center h="60vh">
        <Stack maw={480} gap="sm" align="flex-start">
          <Title order={2} fz="h3">
            {t('workspace.notVisibleTitle')}
          </Title>
          {gone ? (
            <Text c="dimmed">{t('workspace.notVisibleBody')}</Text>
          ) : (
            <ErrorAlert error={conversation.error} />
          )}
          <Button component={Link} to="/inbox" variant="light">
            {t('workspace.back')}
          </Button>
        </Stack>
      </Center>
    );
  }
  return <Workspace key={id} conversation={conversation.data} />;
}

function initials(name: string): string {
  const first = name.trim()[0] ?? '?';
  return /[\u3400-\u9fff]/.test(first) ? first : first.toUpperCase();
}

function PresenceBar({
  viewers,
  contactTyping,
}: {
  viewers: TPresence['viewers'];
  contactTyping: boolean;
}) {
  const { t } = useTranslation();
  const typing = viewers.filter((v) => v.typing);
  return (
    <Group gap="xs" className="kefu-presence" data-testid="presence" wrap="nowrap">
      {viewers.length > 0 && (
        <Tooltip
          label={t('workspace.presence.viewing', { names: viewers.map((v) => v.name).join(', ') })}
        >
          <Avatar.Group spacing={6}>
            {viewers.slice(0, 4).map((viewer) => (
              <Avatar key={viewer.agentId} size={20} radius="xl" color="grape" variant="filled">
                <Text fz={10} fw={700} c="white">
                  {initials(viewer.name)}
                </Text>
              </Avatar>
            ))}
          </Avatar.Group>
        </Tooltip>
      )}
      <Text size="xs" c="dimmed" className="kefu-truncate">
        {contactTyping
          ? t('workspace.presence.customerTyping')
          : typing.length > 0
            ? t('workspace.presence.typing', { names: typing.map((v) => v.name).join(', ') })
            : viewers.length > 0
              ? t('workspace.presence.viewing', { names: viewers.map((v) => v.name).join(', ') })
              : ''}
      </Text>
    </Group>
  );
}

function useTypingSignal(conversationId: string) {
  const { socket } = useRealtime();
  const state = useRef<{ sent: boolean; at: number; timer?: ReturnType<typeof setTimeout> }>({
    sent: false,
    at: 0,
  });
  const emit = useCallback(
    (typing: boolean) => {
      if (socket?.connected) socket.emit('typing', { conversationId, typing });
    },
    [socket, conversationId],
  );
  useEffect(
    () => () => {
      clearTimeout(state.current.timer);
      if (state.current.sent) emit(false);
    },
    [emit],
  );
  return useCallback(
    (typing: boolean) => {
      const s = state.current;
      clearTimeout(s.timer);
      if (typing) {
        // Said again every few seconds so the customer's indicator does not time out.
        if (!s.sent || Date.now() - s.at > 4000) {
          emit(true);
          s.sent = true;
          s.at = Date.now();
        }
        s.timer = setTimeout(() => {
          emit(false);
          s.sent = false;
        }, 5000);
      } else if (s.sent) {
        emit(false);
        s.sent = false;
      }
    },
    [emit],
  );
}

function Workspace({ conversation }: { conversation: TConversation }) {
  const { t } = useTranslation();
  const me = useCurrentMe();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { socket } = useRealtime();
  const id = conversation.id;
  const messages = useMessages(id);
  const agents = useAgents();
  const teams = useTeams();
  const contact = useContact(conversation.contactId);
  const copilot = useCopilot(id);
  const outgoing = useOutgoing(id);
  const composer = useRef<ComposerHandle>(null);
  const actions = useRef<HeaderActions | null>(null);
  const [viewers, setViewers] = useState<TPresence['viewers']>([]);
  const [contactTyping, setContactTyping] = useState(false);
  const [dialog, setDialog] = useState<'escalate' | 'merge' | 'shortcuts' | null>(null);
  const onTyping = useTypingSignal(id);

  const customer = customerName(contact.data?.contact, conversation.contactId);
  useDocumentTitle(
    `#${conversation.number} ${readableRedactions(conversation.subject ?? '')} · ${t('common.appName')}`,
  );

  const unreadAlerts = useAlerts().some((a) => a.conversationId === id && !a.read);
  useEffect(() => {
    if (unreadAlerts) alertStore.markConversationRead(id);
  }, [unreadAlerts, id]);

  // Presence: join the conversation's room (again after a reconnect), leave on the way out.
  useEffect(() => {
    if (!socket) return;
    const join = () => socket.emit('conversation:join', { conversationId: id });
    if (socket.connected) join();
    socket.on('connect', join);
    return () => {
      socket.off('connect', join);
      if (socket.connected) socket.emit('conversation:leave', { conversationId: id });
    };
  }, [socket, id]);

  useSocketEvent('presence', (event) => {
    if (event.conversationId === id) {
      setViewers(event.viewers.filter((v) => v.agentId !== me.agent.id));
    }
  });

  const typingTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useSocketEvent('typing', (event) => {
    if (event.conversationId !== id || event.senderType !== 'contact') return;
    clearTimeout(typingTimer.current);
    setContactTyping(event.typing);
    // A lost "stopped typing" must not leave the indicator on.
    if (event.typing) typingTimer.current = setTimeout(() => setContactTyping(false), 8000);
  });
  useEffect(() => () => clearTimeout(typingTimer.current), []);

  // A new customer message ends their typing; tell the customer what the agent has read.
  const lastSeq = messages.data?.at(-1)?.seq ?? 0;
  const lastContactSeq = useMemo(
    () => [...(messages.data ?? [])].reverse().find((m) => m.senderType === 'contact')?.seq ?? 0,
    [messages.data],
  );
  const readSeq = useRef(0);
  useEffect(() => {
    setContactTyping(false);
    if (!socket?.connected || lastContactSeq <= readSeq.current) return;
    if (document.visibilityState !== 'visible') return;
    readSeq.current = lastContactSeq;
    socket.emit('read', { conversationId: id, seq: lastSeq });
  }, [socket, id, lastContactSeq, lastSeq]);

  const names = useMemo(() => {
    const agentNames = new Map((agents.data ?? []).map((a) => [a.id, a.name]));
    const teamNames = new Map((teams.data ?? []).map((x) => [x.id, x.name]));
    return {
      customer,
      agent: (agentId: string | null) => (agentId ? (agentNames.get(agentId) ?? null) : null),
      team: (teamId: string | null) => (teamId ? (teamNames.get(teamId) ?? null) : null),
    };
  }, [agents.data, teams.data, customer]);

  const onSend = useCallback(
    (text: string, isPrivate: boolean) =>
      sendMessage(socket, queryClient, { conversationId: id, text, private: isPrivate }),
    [socket, queryClient, id],
  );
  const onRetry = useCallback(
    (item: Outgoing) => retryMessage(socket, queryClient, item),
    [socket, queryClient],
  );

  // Keyboard: r reply, n note, / canned, e resolve, a assign to me, j/k next/previous, ? help.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!isShortcutEvent(event)) return;
      const go = (step: 1 | -1) => {
        const next = neighbourInInbox(id, step);
        if (next) void navigate(`/conversations/${next}`);
      };
      switch (event.key) {
        case 'r':
          composer.current?.setMode('reply');
          break;
        case 'n':
          composer.current?.setMode('note');
          break;
        case '/':
          composer.current?.openCanned();
          break;
        case 'e':
          actions.current?.resolve();
          break;
        case 'a':
          actions.current?.assignToMe();
          break;
        case 'j':
          go(1);
          break;
        case 'k':
          go(-1);
          break;
        case '?':
          setDialog('shortcuts');
          break;
        default:
          return;
      }
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [id, navigate]);

  const teamList = teams.data ?? [];
  return (
    <div className="kefu-workspace" data-testid="workspace">
      <section className="kefu-workspace-main" aria-label={t('workspace.label')}>
        <ConversationHeader
          conversation={conversation}
          me={me}
          agents={agents.data ?? []}
          teams={teamList}
          customer={customer}
          onEscalate={() => setDialog('escalate')}
          onMerge={() => setDialog('merge')}
          onShortcuts={() => setDialog('shortcuts')}
          actionsRef={actions}
        />
        {messages.isPending ? (
          <Center className="kefu-timeline">
            <Loader size="sm" aria-label={t('common.loading')} />
          </Center>
        ) : messages.isError ? (
          <div className="kefu-timeline">
            <ErrorAlert error={messages.error} />
          </div>
        ) : (
          <Timeline
            conversation={conversation}
            messages={messages.data}
            outgoing={outgoing}
            names={names}
            onRetry={onRetry}
            onDiscard={discardMessage}
          />
        )}
        <PresenceBar viewers={viewers} contactTyping={contactTyping} />
        <Composer
          ref={composer}
          conversation={conversation}
          agents={agents.data ?? []}
          copilot={copilot.data}
          onSend={onSend}
          onTyping={onTyping}
        />
      </section>
      <CustomerPanel
        conversation={conversation}
        contact={contact}
        teams={teamList}
        onUseSuggestion={(text) => composer.current?.setText(text, 'reply')}
      />
      <EscalateModal
        opened={dialog === 'escalate'}
        conversation={conversation}
        teams={teamList}
        onClose={() => setDialog(null)}
        onDone={(result) => {
          setDialog(null);
          const team = teamList.find((x) => x.id === result.teamId)?.name ?? 'L2';
          const stillVisible =
            me.agent.role !== 'agent' ||
            (result.teamId !== null && me.agent.teamIds.includes(result.teamId));
          if (stillVisible) {
            notifySuccess(t('workspace.notice.escalated', { number: result.number, team }));
          } else {
            // An L1 agent does not see L2's queue: back to the inbox.
            notifySuccess(t('workspace.notice.escalatedAway', { number: result.number, team }));
            void navigate('/inbox');
          }
        }}
      />
      <MergeModal
        opened={dialog === 'merge'}
        conversation={conversation}
        candidates={contact.data?.conversations ?? []}
        onClose={() => setDialog(null)}
        onDone={(target) => {
          setDialog(null);
          notifySuccess(t('workspace.notice.merged', { number: target.number }));
          void navigate(`/conversations/${target.id}`);
        }}
      />
      <ShortcutsModal
        opened={dialog === 'shortcuts'}
        onClose={() => setDialog(null)}
        context="workspace"
      />
    </div>
  );
}
