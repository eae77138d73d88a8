import type { TAgent, TAvailability, TLoginRequest, TMe } from '@kefu/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, isApiError } from './client.ts';
import { queryKeys } from './query-keys.ts';
import type { TOk, TRecoveryCodes, TSessionList, TTotpSetup } from './types.ts';

/**
 * Whether the last session ended because the agent signed out here. The sign-in page then
 * starts fresh instead of returning to the page the agent was on (the next person at this
 * desk may be someone else).
 */
export const signOutState = { deliberate: false };

/** The signed-in agent, or null when nobody is signed in. */
async function fetchMe(): Promise<TMe | null> {
  try {
    return await api.get<TMe>('/auth/me');
  } catch (error) {
    if (isApiError(error, 'auth.unauthenticated')) return null;
    throw error;
  }
}

export function useMe() {
  return useQuery({
    queryKey: queryKeys.me,
    queryFn: fetchMe,
    staleTime: 60_000,
  });
}

/** Only inside routes guarded by RequireSession: the agent is known there. */
export function useCurrentMe(): TMe {
  const { data } = useMe();
  if (!data) throw new Error('useCurrentMe used outside a signed-in route');
  return data;
}

export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: TLoginRequest) => api.post<TMe>('/auth/login', input),
    onSuccess: (me) => {
      signOutState.deliberate = false;
      // A different agent may have signed in on this tab: forget everything cached before.
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== 'me' });
      queryClient.setQueryData(queryKeys.me, me);
    },
  });
}

export function useLogout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      try {
        await api.post<TOk>('/auth/logout');
      } catch (error) {
        // Already signed out (expired, revoked elsewhere): the outcome is the same.
        if (!isApiError(error, 'auth.unauthenticated')) throw error;
      }
    },
    onSuccess: () => {
      signOutState.deliberate = true;
      queryClient.setQueryData(queryKeys.me, null);
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== 'me' });
    },
  });
}

export function useSetAvailability() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (availability: TAvailability) =>
      api.put<TAgent>('/auth/availability', { availability }),
    onSuccess: (agent) => {
      queryClient.setQueryData<TMe | null>(queryKeys.me, (me) => (me ? { ...me, agent } : me));
      void queryClient.invalidateQueries({ queryKey: queryKeys.agents });
    },
  });
}

export function useMySessions() {
  return useQuery({
    queryKey: queryKeys.mySessions,
    queryFn: () => api.get<TSessionList>('/auth/sessions'),
    select: (data) => data.sessions,
  });
}

export function useRevokeMySession() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (sessionId: string) => api.delete<TOk>(`/auth/sessions/${sessionId}`),
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.mySessions }),
  });
}

export function useChangePassword() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { currentPassword: string; newPassword: string }) =>
      api.post<TOk>('/auth/password', input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.mySessions }),
  });
}

export function useStartTotpSetup() {
  return useMutation({ mutationFn: () => api.post<TTotpSetup>('/auth/2fa/setup') });
}

export function useConfirmTotp() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (code: string) => api.post<TRecoveryCodes>('/auth/2fa/confirm', { code }),
    onSuccess: () => {
      // `me` is refreshed by the caller when the agent has seen the codes: refreshing it now
      // would end the forced-enrolment page before the codes are saved.
      void queryClient.invalidateQueries({ queryKey: queryKeys.agents });
    },
  });
}

export function useDisableTotp() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { password: string; code: string }) =>
      api.post<TOk>('/auth/2fa/disable', input),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.me });
      void queryClient.invalidateQueries({ queryKey: queryKeys.agents });
    },
  });
}

export function useRegenerateRecoveryCodes() {
  return useMutation({
    mutationFn: (code: string) => api.post<TRecoveryCodes>('/auth/2fa/recovery-codes', { code }),
  });
}
