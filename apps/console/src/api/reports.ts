import type {
  TConversation,
  TQualityReview,
  TQualityReviewInput,
  TReport,
  TReportName,
} from '@kefu/shared';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client.ts';
import { queryKeys } from './query-keys.ts';

export type ReportFilter = {
  from: string;
  to: string;
  tz: string;
  teamId?: string;
  channel?: string;
};

function toQuery(filter: ReportFilter): Record<string, string> {
  const query: Record<string, string> = { from: filter.from, to: filter.to, tz: filter.tz };
  if (filter.teamId) query.teamId = filter.teamId;
  if (filter.channel) query.channel = filter.channel;
  return query;
}

export function useReport(filter: ReportFilter) {
  const query = toQuery(filter);
  return useQuery({
    queryKey: queryKeys.report(query),
    queryFn: ({ signal }) => api.get<TReport>('/reports', query, signal),
    placeholderData: keepPreviousData,
  });
}

/** Where the browser downloads one report as CSV (same-origin, with the session cookie). */
export function reportCsvUrl(name: TReportName, filter: ReportFilter): string {
  return `/api/v1/reports/${name}/csv?${new URLSearchParams(toQuery(filter)).toString()}`;
}

export function useReviewQueue() {
  return useQuery({
    queryKey: queryKeys.reviewQueue,
    queryFn: ({ signal }) =>
      api.get<{ conversations: TConversation[] }>('/reviews/queue', { limit: 100 }, signal),
    select: (data) => data.conversations,
  });
}

export function useQualityReviews(filter: { agentId?: string; conversationId?: string }) {
  const query: Record<string, string> = {};
  if (filter.agentId) query.agentId = filter.agentId;
  if (filter.conversationId) query.conversationId = filter.conversationId;
  return useQuery({
    queryKey: queryKeys.qualityReviews(query),
    queryFn: ({ signal }) =>
      api.get<{ reviews: TQualityReview[] }>('/reviews', { ...query, limit: 100 }, signal),
    select: (data) => data.reviews,
  });
}

export function useCreateQualityReview() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: TQualityReviewInput) => api.post<TQualityReview>('/reviews', input),
    onSettled: async () => {
      await queryClient.invalidateQueries({ queryKey: queryKeys.reviewQueue });
      await queryClient.invalidateQueries({ queryKey: ['reviews'] });
      await queryClient.invalidateQueries({ queryKey: ['reports'] });
    },
  });
}
