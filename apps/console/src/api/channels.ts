import type {
  TApiChannel,
  TApiChannelCreated,
  TCreateApiChannel,
  TCreateEmailChannel,
  TCreateTelegramChannel,
  TEmailChannel,
  TTelegramChannel,
  TUpdateEmailChannel,
  TUpdateTelegramChannel,
} from '@kefu/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client.ts';
import { queryKeys } from './query-keys.ts';

// Connection states change while the screen is open (IMAP reconnects, a send fails).
const REFRESH_MS = 15_000;

export function useEmailChannels() {
  return useQuery({
    queryKey: queryKeys.channels('email'),
    queryFn: () => api.get<{ channels: TEmailChannel[] }>('/channels/email'),
    select: (data) => data.channels,
    refetchInterval: REFRESH_MS,
  });
}

export function useTelegramChannels() {
  return useQuery({
    queryKey: queryKeys.channels('telegram'),
    queryFn: () => api.get<{ channels: TTelegramChannel[] }>('/channels/telegram'),
    select: (data) => data.channels,
    refetchInterval: REFRESH_MS,
  });
}

export function useApiChannels() {
  return useQuery({
    queryKey: queryKeys.channels('api'),
    queryFn: () => api.get<{ channels: TApiChannel[] }>('/channels/api'),
    select: (data) => data.channels,
    refetchInterval: REFRESH_MS,
  });
}

function useInvalidateChannels() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: queryKeys.channelLists });
}

export function useCreateEmailChannel() {
  const invalidate = useInvalidateChannels();
  return useMutation({
    mutationFn: (
      input: Partial<TCreateEmailChannel> & Pick<TCreateEmailChannel, 'name' | 'address'>,
    ) => api.post<TEmailChannel>('/channels/email', input),
    onSettled: invalidate,
  });
}

export function useUpdateEmailChannel() {
  const invalidate = useInvalidateChannels();
  return useMutation({
    mutationFn: ({ id, ...input }: TUpdateEmailChannel & { id: string }) =>
      api.patch<TEmailChannel>(`/channels/email/${id}`, input),
    onSettled: invalidate,
  });
}

export function useCreateTelegramChannel() {
  const invalidate = useInvalidateChannels();
  return useMutation({
    mutationFn: (
      input: Partial<TCreateTelegramChannel> & Pick<TCreateTelegramChannel, 'name' | 'botToken'>,
    ) => api.post<TTelegramChannel>('/channels/telegram', input),
    onSettled: invalidate,
  });
}

export function useCreateApiChannel() {
  const invalidate = useInvalidateChannels();
  return useMutation({
    mutationFn: (input: TCreateApiChannel) => api.post<TApiChannelCreated>('/channels/api', input),
    onSettled: invalidate,
  });
}

export function useUpdateTelegramChannel() {
  const invalidate = useInvalidateChannels();
  return useMutation({
    mutationFn: ({ inboxId, ...input }: TUpdateTelegramChannel & { inboxId: string }) =>
      api.patch<TTelegramChannel>(`/channels/telegram/${inboxId}`, input),
    onSettled: invalidate,
  });
}
