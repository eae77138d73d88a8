/** Every TanStack Query key of the console, in one place so invalidations stay consistent. */
export const queryKeys = {
  me: ['me'] as const,
  mySessions: ['me', 'sessions'] as const,
  agents: ['agents'] as const,
  agentSessions: (agentId: string) => ['agents', agentId, 'sessions'] as const,
  teams: ['teams'] as const,
  securitySettings: ['settings', 'security'] as const,
  audit: (filter: Record<string, string>) => ['audit', filter] as const,
};
