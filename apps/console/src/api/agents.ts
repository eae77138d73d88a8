import type { TAgent, TCreateAgent, TUpdateAgent } from '@kefu/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client.ts';
import { queryKeys } from './query-keys.ts';
import type { TAgentList, TOk, TResetPasswordResult, TSessionList } from './types.ts';

export function useAgents() {
  return useQuery({
    queryKey: queryKeys.agents,
    queryFn: () => api.get<TAgentList>('/agents'),
    select: (data) => data.agents,
  });
}

function useAgentMutation<TInput, TResult>(mutationFn: (input: TInput) => Promise<TResult>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    onSettled: async () => {
      await queryClient.invalidateQueries({ queryKey: queryKeys.agents });
      // Team membership is stored on the agent; the teams list shows it too.
      await queryClient.invalidateQueries({ queryKey: queryKeys.teams });
    },
  });
}

/** Fields with server-side defaults may be left out (role, languages, skills, capacity, teams). */
export type CreateAgentInput = Pick<TCreateAgent, 'email' | 'name' | 'password'> &
  Partial<TCreateAgent>;

export function useCreateAgent() {
  return useAgentMutation((input: CreateAgentInput) => api.post<TAgent>('/agents', input));
}

export function useUpdateAgent() {
  return useAgentMutation(({ id, ...input }: TUpdateAgent & { id: string }) =>
    api.patch<TAgent>(`/agents/${id}`, input),
  );
}

export function useResetAgentPassword() {
  return useAgentMutation(({ id, password }: { id: string; password?: string }) =>
    api.post<TResetPasswordResult>(`/agents/${id}/reset-password`, password ? { password } : {}),
  );
}

export function useUnlockAgent() {
  return useAgentMutation((id: string) => api.post<TAgent>(`/agents/${id}/unlock`));
}

export function useResetAgentTwoFactor() {
  return useAgentMutation((id: string) => api.post<TOk>(`/agents/${id}/2fa/reset`));
}

export function useAgentSessions(agentId: string | null, enabled = true) {
  return useQuery({
    queryKey: queryKeys.agentSessions(agentId ?? ''),
    queryFn: () => api.get<TSessionList>(`/agents/${agentId}/sessions`),
    select: (data) => data.sessions,
    enabled: enabled && agentId !== null,
  });
}

export function useRevokeAgentSessions() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete<{ ended: number }>(`/agents/${id}/sessions`),
    onSettled: (_data, _error, id) =>
      queryClient.invalidateQueries({ queryKey: queryKeys.agentSessions(id) }),
  });
}

export function useRevokeAgentSession() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ agentId, sessionId }: { agentId: string; sessionId: string }) =>
      api.delete<TOk>(`/agents/${agentId}/sessions/${sessionId}`),
    onSettled: (_data, _error, { agentId }) =>
      queryClient.invalidateQueries({ queryKey: queryKeys.agentSessions(agentId) }),
  });
}
