// The administration screens for service levels, replies, the knowledge base, the assistant and
// integrations: their queries and mutations.
import type {
  TCannedPreview,
  TCannedResponse,
  TCreateCannedResponse,
  TCreateOfficialChannel,
  TCreateWebhook,
  TLocale,
  TOfficialChannel,
  TSlaPolicy,
  TSlaPolicyInput,
  TTeam,
  TUpdateCannedResponse,
  TUpdateOfficialChannel,
  TUpdateWebhook,
  TWebhook,
  TWebhookCreated,
  TWebhookDelivery,
} from '@kefu/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client.ts';
import type { TCannedList } from './types.ts';

export const configKeys = {
  slaPolicies: ['sla-policies'] as const,
  businessHours: (teamId: string) => ['teams', teamId, 'business-hours'] as const,
  canned: ['canned-responses'] as const,
  articles: ['articles'] as const,
  articleList: (filter: Record<string, string>) => ['articles', 'list', filter] as const,
  article: (id: string) => ['articles', 'detail', id] as const,
  revisions: (id: string) => ['articles', 'revisions', id] as const,
  assistantSettings: ['assistant', 'settings'] as const,
  intents: ['assistant', 'intents'] as const,
  officialChannels: ['official-channels'] as const,
  webhooks: ['webhooks'] as const,
  deliveries: (id: string) => ['webhooks', id, 'deliveries'] as const,
};

function useInvalidate(key: readonly unknown[]) {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: key });
}

// ── SLA policies ─────────────────────────────────────────────────────────────────────────────
export function useSlaPolicies() {
  return useQuery({
    queryKey: configKeys.slaPolicies,
    queryFn: () => api.get<{ policies: TSlaPolicy[] }>('/sla-policies'),
    select: (data) => data.policies,
  });
}

export function useSaveSlaPolicy() {
  const onSettled = useInvalidate(configKeys.slaPolicies);
  return useMutation({
    mutationFn: ({ id, ...input }: TSlaPolicyInput & { id: string | null }) =>
      id
        ? api.patch<TSlaPolicy>(`/sla-policies/${id}`, input)
        : api.post<TSlaPolicy>('/sla-policies', input),
    onSettled,
  });
}

export function useDeleteSlaPolicy() {
  const onSettled = useInvalidate(configKeys.slaPolicies);
  return useMutation({
    mutationFn: (id: string) => api.delete(`/sla-policies/${id}`),
    onSettled,
  });
}

// ── Business hours ───────────────────────────────────────────────────────────────────────────
export type TWeeklyHours = { day: number; open: string; close: string };
export type THoliday = { date: string; name?: string };
export type TBusinessHours = { weekly: TWeeklyHours[]; holidays: THoliday[] } | null;
export type TTeamHours = TTeam & { businessHours: TBusinessHours };

export function useBusinessHours(teamId: string | null) {
  return useQuery({
    queryKey: configKeys.businessHours(teamId ?? ''),
    queryFn: () => api.get<TTeamHours>(`/teams/${teamId}/business-hours`),
    enabled: Boolean(teamId),
  });
}

export function useSaveBusinessHours() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ teamId, businessHours }: { teamId: string; businessHours: TBusinessHours }) =>
      api.put<TTeamHours>(`/teams/${teamId}/business-hours`, { businessHours }),
    onSuccess: (team) => queryClient.setQueryData(configKeys.businessHours(team.id), team),
  });
}

// ── Canned responses ─────────────────────────────────────────────────────────────────────────
export function useCannedList() {
  return useQuery({
    queryKey: configKeys.canned,
    queryFn: () => api.get<TCannedList>('/canned-responses'),
    select: (data) => data.cannedResponses,
  });
}

export function useSaveCanned() {
  const onSettled = useInvalidate(configKeys.canned);
  return useMutation({
    mutationFn: ({ id, ...input }: TCreateCannedResponse & { id: string | null }) =>
      id
        ? api.patch<TCannedResponse>(
            `/canned-responses/${id}`,
            input satisfies TUpdateCannedResponse,
          )
        : api.post<TCannedResponse>('/canned-responses', input),
    onSettled,
  });
}

export function useDeleteCanned() {
  const onSettled = useInvalidate(configKeys.canned);
  return useMutation({
    mutationFn: (id: string) => api.delete(`/canned-responses/${id}`),
    onSettled,
  });
}

export function useCannedPreview(text: string, locale: TLocale) {
  return useQuery({
    queryKey: ['canned-responses', 'preview', locale, text],
    queryFn: () => api.post<TCannedPreview>('/canned-responses/preview', { text, locale }),
    enabled: text.trim().length > 0,
    placeholderData: (previous) => previous,
    retry: false,
  });
}

// ── Knowledge base ───────────────────────────────────────────────────────────────────────────
export type TArticleStatus = 'draft' | 'published';
export type TArticle = {
  id: string;
  slug: string;
  locale: TLocale;
  title: string;
  summary: string;
  body: string;
  category: string;
  tags: string[];
  intents: string[];
  status: TArticleStatus;
  helpfulCount: number;
  notHelpfulCount: number;
  createdAt: string;
  updatedAt: string;
  publishedAt: string | null;
};
export type TArticleInput = Pick<
  TArticle,
  'slug' | 'locale' | 'title' | 'summary' | 'body' | 'category' | 'tags' | 'status'
>;
export type TRevision = {
  id: string;
  title: string;
  summary: string;
  body: string;
  status: string;
  editedBy: string | null;
  createdAt: string;
};

export function useArticles(filter: Record<string, string>) {
  return useQuery({
    queryKey: configKeys.articleList(filter),
    queryFn: ({ signal }) => api.get<{ articles: TArticle[] }>('/articles', filter, signal),
    select: (data) => data.articles,
    placeholderData: (previous) => previous,
  });
}

export function useArticle(id: string | null) {
  return useQuery({
    queryKey: configKeys.article(id ?? ''),
    queryFn: () => api.get<TArticle>(`/articles/${id}`),
    enabled: Boolean(id),
  });
}

export function useRevisions(id: string | null) {
  return useQuery({
    queryKey: configKeys.revisions(id ?? ''),
    queryFn: () => api.get<{ revisions: TRevision[] }>(`/articles/${id}/revisions`),
    select: (data) => data.revisions,
    enabled: Boolean(id),
  });
}

export function useSaveArticle() {
  const onSettled = useInvalidate(configKeys.articles);
  return useMutation({
    mutationFn: ({ id, ...input }: TArticleInput & { id: string | null }) =>
      id ? api.patch<TArticle>(`/articles/${id}`, input) : api.post<TArticle>('/articles', input),
    onSettled,
  });
}

export function useDeleteArticle() {
  const onSettled = useInvalidate(configKeys.articles);
  return useMutation({
    mutationFn: (id: string) => api.delete(`/articles/${id}`),
    onSettled,
  });
}

export type TMarkdownFile = { path: string; content: string };

export function useImportArticles() {
  const onSettled = useInvalidate(configKeys.articles);
  return useMutation({
    mutationFn: (
      body: { format: 'markdown'; files: TMarkdownFile[] } | { format: 'csv'; content: string },
    ) => api.post<{ created: number; updated: number }>('/articles/import', body),
    onSettled,
  });
}

// ── Assistant ────────────────────────────────────────────────────────────────────────────────
export type TAssistantSettings = {
  enabled: boolean;
  humanForVipFrom: number | null;
};
export type TAssistantSettingsInput = TAssistantSettings;
export type TIntent = {
  id: string;
  name: string;
  description: string;
  examples: string[];
  replies: Partial<Record<TLocale, string>>;
  handoff: 'never' | 'always';
  createdAt: string;
  updatedAt: string;
};
export type TIntentInput = Omit<TIntent, 'id' | 'createdAt' | 'updatedAt'>;

export function useAssistantSettings() {
  return useQuery({
    queryKey: configKeys.assistantSettings,
    queryFn: () => api.get<TAssistantSettings>('/assistant/settings'),
  });
}

export function useSaveAssistantSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: TAssistantSettingsInput) =>
      api.put<TAssistantSettings>('/assistant/settings', input),
    onSuccess: (saved) => queryClient.setQueryData(configKeys.assistantSettings, saved),
  });
}

export type TLlmSettings = {
  enabled: boolean;
  baseUrl: string;
  model: string;
  apiKeySet: boolean;
  source: 'settings' | 'environment';
};
export type TLlmSettingsInput = {
  enabled: boolean;
  baseUrl: string;
  model: string;
  apiKey?: string | null;
};

export function useLlmSettings(enabled: boolean) {
  return useQuery({
    queryKey: ['assistant', 'llm'],
    queryFn: () => api.get<TLlmSettings>('/assistant/llm'),
    enabled,
  });
}

export function useSaveLlmSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: TLlmSettingsInput) => api.put<TLlmSettings>('/assistant/llm', input),
    onSuccess: (saved) => queryClient.setQueryData(['assistant', 'llm'], saved),
  });
}

export function useIntents() {
  return useQuery({
    queryKey: configKeys.intents,
    queryFn: () => api.get<{ builtIn: string[]; custom: TIntent[] }>('/assistant/intents'),
  });
}

export function useSaveIntent() {
  const onSettled = useInvalidate(configKeys.intents);
  return useMutation({
    mutationFn: ({ id, ...input }: TIntentInput & { id: string | null }) =>
      id
        ? api.patch<TIntent>(`/assistant/intents/${id}`, input)
        : api.post<TIntent>('/assistant/intents', input),
    onSettled,
  });
}

export function useDeleteIntent() {
  const onSettled = useInvalidate(configKeys.intents);
  return useMutation({
    mutationFn: (id: string) => api.delete(`/assistant/intents/${id}`),
    onSettled,
  });
}

// ── Official channels ────────────────────────────────────────────────────────────────────────
export function useOfficialChannels() {
  return useQuery({
    queryKey: configKeys.officialChannels,
    queryFn: () => api.get<{ officialChannels: TOfficialChannel[] }>('/official-channels'),
    select: (data) => data.officialChannels,
  });
}

export function useCreateOfficialChannel() {
  const onSettled = useInvalidate(configKeys.officialChannels);
  return useMutation({
    mutationFn: (input: TCreateOfficialChannel) =>
      api.post<TOfficialChannel>('/official-channels', input),
    onSettled,
  });
}

export function useUpdateOfficialChannel() {
  const onSettled = useInvalidate(configKeys.officialChannels);
  return useMutation({
    mutationFn: ({ id, ...input }: TUpdateOfficialChannel & { id: string }) =>
      api.patch<TOfficialChannel>(`/official-channels/${id}`, input),
    onSettled,
  });
}

export function useDeleteOfficialChannel() {
  const onSettled = useInvalidate(configKeys.officialChannels);
  return useMutation({
    mutationFn: (id: string) => api.delete(`/official-channels/${id}`),
    onSettled,
  });
}

// ── Webhooks ─────────────────────────────────────────────────────────────────────────────────
export function useWebhooks() {
  return useQuery({
    queryKey: configKeys.webhooks,
    queryFn: () => api.get<{ webhooks: TWebhook[] }>('/webhooks'),
    select: (data) => data.webhooks,
  });
}

export function useCreateWebhook() {
  const onSettled = useInvalidate(configKeys.webhooks);
  return useMutation({
    mutationFn: (input: TCreateWebhook) => api.post<TWebhookCreated>('/webhooks', input),
    onSettled,
  });
}

export function useUpdateWebhook() {
  const onSettled = useInvalidate(configKeys.webhooks);
  return useMutation({
    mutationFn: ({ id, ...input }: TUpdateWebhook & { id: string }) =>
      api.patch<TWebhook>(`/webhooks/${id}`, input),
    onSettled,
  });
}

export function useDeleteWebhook() {
  const onSettled = useInvalidate(configKeys.webhooks);
  return useMutation({
    mutationFn: (id: string) => api.delete(`/webhooks/${id}`),
    onSettled,
  });
}

export function useWebhookDeliveries(id: string | null) {
  return useQuery({
    queryKey: configKeys.deliveries(id ?? ''),
    queryFn: () => api.get<{ deliveries: TWebhookDelivery[] }>(`/webhooks/${id}/deliveries`),
    select: (data) => data.deliveries,
    enabled: Boolean(id),
    // Retries happen in the background: keep the log current while it is open.
    refetchInterval: 5000,
  });
}

export function useTestWebhook() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post<TWebhookDelivery>(`/webhooks/${id}/test`),
    onSettled: (_data, _error, id) =>
      queryClient.invalidateQueries({ queryKey: configKeys.deliveries(id) }),
  });
}

export function useArticlePreview(title: string, body: string) {
  return useQuery({
    queryKey: ['articles', 'preview', title, body],
    queryFn: () => api.post<{ html: string }>('/articles/preview', { title, body }),
    select: (data) => data.html,
    enabled: body.trim().length > 0,
    placeholderData: (previous) => previous,
    retry: false,
  });
}
