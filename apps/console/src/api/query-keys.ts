/** Every TanStack Query key of the console, in one place so invalidations stay consistent. */
export const queryKeys = {
  me: ['me'] as const,
  mySessions: ['me', 'sessions'] as const,
  agents: ['agents'] as const,
  agentSessions: (agentId: string) => ['agents', agentId, 'sessions'] as const,
  teams: ['teams'] as const,
  channelLists: ['channels'] as const,
  channels: (channel: 'email' | 'telegram' | 'api') => ['channels', channel] as const,
  securitySettings: ['settings', 'security'] as const,
  audit: (filter: Record<string, string>) => ['audit', filter] as const,
  /** Inbox lists and their counts; invalidated together on every realtime change. */
  conversationLists: ['conversations', 'list'] as const,
  conversationList: (filter: Record<string, string>) => ['conversations', 'list', filter] as const,
  conversationCounts: ['conversations', 'count'] as const,
  conversationCount: (filter: Record<string, string>) =>
    ['conversations', 'count', filter] as const,
  conversation: (id: string) => ['conversations', 'detail', id] as const,
  messages: (id: string) => ['conversations', 'messages', id] as const,
  copilot: (id: string) => ['conversations', 'copilot', id] as const,
  contact: (id: string) => ['contacts', id] as const,
  canned: (q: string) => ['canned-responses', q] as const,
  report: (filter: Record<string, string>) => ['reports', filter] as const,
  reviewQueue: ['reviews', 'queue'] as const,
  qualityReviews: (filter: Record<string, string>) => ['reviews', 'list', filter] as const,
  kbSearch: (q: string, locale: string) => ['kb', 'search', locale, q] as const,
};
