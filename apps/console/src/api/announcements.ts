import type { TAnnouncement, TCreateAnnouncement, TUpdateAnnouncement } from '@kefu/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client.ts';

const KEY = ['announcements'] as const;

export function useAnnouncements() {
  return useQuery({
    queryKey: KEY,
    queryFn: () => api.get<{ announcements: TAnnouncement[] }>('/announcements'),
    select: (data) => data.announcements,
  });
}

export function usePublishAnnouncement() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: TCreateAnnouncement) => api.post<TAnnouncement>('/announcements', input),
    onSettled: () => queryClient.invalidateQueries({ queryKey: KEY }),
  });
}

export function useUpdateAnnouncement() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...input }: TUpdateAnnouncement & { id: string }) =>
      api.patch<TAnnouncement>(`/announcements/${id}`, input),
    onSettled: () => queryClient.invalidateQueries({ queryKey: KEY }),
  });
}

export function useResolveAnnouncement() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post<TAnnouncement>(`/announcements/${id}/resolve`, {}),
    onSettled: () => queryClient.invalidateQueries({ queryKey: KEY }),
  });
}
