import type { TCreateTeam, TTeam, TUpdateTeam } from '@kefu/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client.ts';
import { queryKeys } from './query-keys.ts';
import type { TTeamList } from './types.ts';

export function useTeams(options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: queryKeys.teams,
    queryFn: () => api.get<TTeamList>('/teams'),
    select: (data) => data.teams,
    enabled: options.enabled ?? true,
  });
}

export function useCreateTeam() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: Partial<TCreateTeam> & Pick<TCreateTeam, 'name'>) =>
      api.post<TTeam>('/teams', input),
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.teams }),
  });
}

export function useUpdateTeam() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...input }: TUpdateTeam & { id: string }) =>
      api.patch<TTeam>(`/teams/${id}`, input),
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.teams }),
  });
}
