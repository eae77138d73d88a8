import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client.ts';
import { queryKeys } from './query-keys.ts';
import type { TSecuritySettings } from './types.ts';

export function useSecuritySettings(enabled = true) {
  return useQuery({
    queryKey: queryKeys.securitySettings,
    queryFn: () => api.get<TSecuritySettings>('/settings/security'),
    enabled,
  });
}

export function useUpdateSecuritySettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: TSecuritySettings) =>
      api.put<TSecuritySettings>('/settings/security', input),
    onSuccess: (settings) => {
      queryClient.setQueryData(queryKeys.securitySettings, settings);
      // Turning 2FA on can put the admin into enrolment themselves.
      void queryClient.invalidateQueries({ queryKey: queryKeys.me });
    },
  });
}
