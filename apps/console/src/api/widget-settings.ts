import type { TUpdateWidgetInbox, TWidgetInbox } from '@kefu/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client.ts';

const KEY = ['widget-inboxes'] as const;

export function useWidgetInboxes() {
  return useQuery({
    queryKey: KEY,
    queryFn: () => api.get<{ inboxes: TWidgetInbox[] }>('/widget-inboxes'),
    select: (data) => data.inboxes,
  });
}

export function useUpdateWidgetInbox() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...input }: TUpdateWidgetInbox & { id: string }) =>
      api.patch<TWidgetInbox>(`/widget-inboxes/${id}`, input),
    onSettled: () => queryClient.invalidateQueries({ queryKey: KEY }),
  });
}

export function useRegenerateIdentitySecret() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      api.post<{ identitySecret: string }>(`/widget-inboxes/${id}/identity-secret`, {}),
    onSettled: () => queryClient.invalidateQueries({ queryKey: KEY }),
  });
}
