import type {
  TConversation,
  TConversationCounts,
  TMessage,
  TPriority,
  TStatus,
} from '@kefu/shared';
import {
  type QueryClient,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import type { InboxView } from '../lib/conversation.ts';
import { api } from './client.ts';
import { queryKeys } from './query-keys.ts';
import type { TConversationList, TCopilot, TMessageList } from './types.ts';

export const INBOX_PAGE_SIZE = 50;
/** The API's largest page: counts above it show as "200+". */
export const COUNT_LIMIT = 200;

/** Filters shared by every view: the list and the per-view counts answer the same ones. */
export const FILTER_KEYS = [
  'q',
  'channel',
  'priority',
  'language',
  'vip',
  'intent',
  'label',
] as const;
export type InboxFilterKey = (typeof FILTER_KEYS)[number];
export type InboxFilter = {
  view: InboxView;
  status?: TStatus | undefined;
} & Partial<Record<InboxFilterKey, string | undefined>>;

function filtersOf(filter: Omit<InboxFilter, 'view'>): Record<string, string> {
  const key: Record<string, string> = {};
  if (filter.status) key.status = filter.status;
  for (const name of FILTER_KEYS) {
    const value = filter[name];
    if (value) key[name] = value;
  }
  return key;
}

function filterKey(filter: InboxFilter): Record<string, string> {
  return { view: filter.view, ...filtersOf(filter) };
}

function plusOneMillisecond(iso: string): string {
  return new Date(new Date(iso).getTime() + 1).toISOString();
}

/**
 * One inbox view, most recent activity first; "load more" asks for conversations updated before
 * the last one shown. The cursor has millisecond precision while rows can share a millisecond,
 * so the console asks from one millisecond later and drops rows it already has (as the audit log
 * does); if a whole page lies in one millisecond it falls back to the strict cursor.
 */
export function useConversationList(filter: InboxFilter) {
  const key = filterKey(filter);
  return useInfiniteQuery({
    queryKey: queryKeys.conversationList(key),
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam, signal }) =>
      api.get<TConversationList>(
        '/conversations',
        { ...key, limit: INBOX_PAGE_SIZE, before: pageParam },
        signal,
      ),
    getNextPageParam: (lastPage, _pages, lastPageParam) => {
      const last = lastPage.conversations.at(-1);
      if (!last || lastPage.conversations.length < INBOX_PAGE_SIZE) return undefined;
      const cursor = plusOneMillisecond(last.updatedAt);
      return cursor === lastPageParam ? last.updatedAt : cursor;
    },
    select: (data) => {
      const seen = new Set<string>();
      const conversations: TConversation[] = [];
      for (const page of data.pages) {
        for (const conversation of page.conversations) {
          if (seen.has(conversation.id)) continue;
          seen.add(conversation.id);
          conversations.push(conversation);
        }
      }
      return conversations;
    },
    staleTime: 15_000,
  });
}

/** How many conversations each view holds with the current filters (one request for all). */
export function useConversationCounts(filter: Omit<InboxFilter, 'view'>) {
  const key = filtersOf(filter);
  return useQuery({
    queryKey: queryKeys.conversationCount({ ...key, counts: 'views' }),
    queryFn: ({ signal }) => api.get<TConversationCounts>('/conversations/counts', key, signal),
    staleTime: 15_000,
  });
}

/** How many conversations a view holds (one page of up to 200). */
export function useConversationCount(filter: InboxFilter, enabled = true) {
  const key = filterKey(filter);
  return useQuery({
    queryKey: queryKeys.conversationCount(key),
    queryFn: ({ signal }) =>
      api.get<TConversationList>('/conversations', { ...key, limit: COUNT_LIMIT }, signal),
    select: (data) => data.conversations.length,
    enabled,
    staleTime: 15_000,
  });
}

export function useConversation(id: string) {
  return useQuery({
    queryKey: queryKeys.conversation(id),
    queryFn: ({ signal }) => api.get<TConversation>(`/conversations/${id}`, undefined, signal),
    staleTime: 10_000,
  });
}

const MESSAGE_PAGE = 500;

/** Every message, note and event of a conversation, oldest first (pages of 500 by seq). */
export function useMessages(id: string, enabled = true) {
  return useQuery({
    queryKey: queryKeys.messages(id),
    queryFn: async ({ signal }) => {
      const all: TMessage[] = [];
      let afterSeq = 0;
      for (;;) {
        const { messages } = await api.get<TMessageList>(
          `/conversations/${id}/messages`,
          { afterSeq, limit: MESSAGE_PAGE },
          signal,
        );
        all.push(...messages);
        const last = messages.at(-1);
        if (!last || messages.length < MESSAGE_PAGE) return all;
        afterSeq = last.seq;
      }
    },
    enabled,
    // Kept current by the socket while open (and refetched on reconnect and on gaps); opened
    // again later it is fetched anew, as events for it may have gone to rooms left meanwhile.
    staleTime: Number.POSITIVE_INFINITY,
    refetchOnMount: 'always',
  });
}

/** Adds (or replaces) messages in a conversation's cached timeline; true when a seq is missing. */
export function mergeMessages(
  queryClient: QueryClient,
  conversationId: string,
  incoming: TMessage[],
): { gap: boolean } {
  let gap = false;
  queryClient.setQueryData<TMessage[]>(queryKeys.messages(conversationId), (current) => {
    if (!current) return current;
    const byId = new Map(current.map((m) => [m.id, m]));
    const lastSeq = current.at(-1)?.seq ?? 0;
    for (const message of incoming) {
      const known = byId.get(message.id);
      // The socket's copy of a message lacks nothing, but keep a delivery state already newer.
      byId.set(message.id, known ? { ...message, deliveryStatus: newer(known, message) } : message);
      if (!known && message.seq > lastSeq + 1 && incoming.length === 1) gap = true;
    }
    return [...byId.values()].sort((a, b) => a.seq - b.seq);
  });
  return { gap };
}

const DELIVERY_ORDER = [null, 'pending', 'sent', 'delivered', 'failed'] as const;
function newer(a: TMessage, b: TMessage): TMessage['deliveryStatus'] {
  return DELIVERY_ORDER.indexOf(a.deliveryStatus) > DELIVERY_ORDER.indexOf(b.deliveryStatus)
    ? a.deliveryStatus
    : b.deliveryStatus;
}

export function setDeliveryStatus(
  queryClient: QueryClient,
  conversationId: string,
  messageId: string,
  status: 'sent' | 'delivered' | 'failed',
) {
  queryClient.setQueryData<TMessage[]>(queryKeys.messages(conversationId), (current) =>
    current?.map((m) => (m.id === messageId ? { ...m, deliveryStatus: status } : m)),
  );
}

export function useCopilot(id: string, enabled = true) {
  return useQuery({
    queryKey: queryKeys.copilot(id),
    queryFn: ({ signal }) => api.get<TCopilot>(`/conversations/${id}/copilot`, undefined, signal),
    enabled,
    staleTime: 60_000,
    retry: false,
  });
}

/** Lifecycle actions answer with the conversation; the lists catch up with the socket's events. */
function useConversationMutation<TInput>(
  id: string,
  mutationFn: (input: TInput) => Promise<TConversation>,
  answersWithThisConversation = true,
) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    onSuccess: (conversation) => {
      if (answersWithThisConversation) {
        queryClient.setQueryData(queryKeys.conversation(id), conversation);
      } else {
        void queryClient.invalidateQueries({ queryKey: queryKeys.conversation(id) });
      }
    },
    onSettled: async () => {
      await queryClient.invalidateQueries({ queryKey: queryKeys.conversationLists });
      await queryClient.invalidateQueries({ queryKey: queryKeys.conversationCounts });
    },
  });
}

export function useAssignConversation(id: string) {
  return useConversationMutation(id, (agentId: string | null) =>
    api.post<TConversation>(`/conversations/${id}/assign`, { agentId }),
  );
}

export function useSetConversationStatus(id: string) {
  return useConversationMutation(id, (input: { status: TStatus; snoozedUntil?: string }) =>
    api.post<TConversation>(`/conversations/${id}/status`, input),
  );
}

export function useTransferConversation(id: string) {
  return useConversationMutation(id, (input: { teamId?: string; agentId?: string }) =>
    api.post<TConversation>(`/conversations/${id}/transfer`, input),
  );
}

export function useEscalateConversation(id: string) {
  return useConversationMutation(id, (input: { reason: string; teamId?: string }) =>
    api.post<TConversation>(`/conversations/${id}/escalate`, input),
  );
}

export function useUpdateConversation(id: string) {
  return useConversationMutation(id, (input: { priority?: TPriority; labels?: string[] }) =>
    api.patch<TConversation>(`/conversations/${id}`, input),
  );
}

/** Answers with the conversation merged into (the target), not this one. */
export function useMergeConversation(id: string) {
  return useConversationMutation(
    id,
    (intoId: string) => api.post<TConversation>(`/conversations/${id}/merge`, { intoId }),
    false,
  );
}
