import type { TMe } from '@kefu/shared';
import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useEffect } from 'react';
import { RouterProvider } from 'react-router';
import { isApiError, onApiError } from './api/client.ts';
import { queryKeys } from './api/query-keys.ts';
import { router } from './router.tsx';
import { colorSchemeManager, theme } from './theme.ts';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      // A 4xx will not change by retrying; the network or a 5xx might.
      retry: (failureCount, error) =>
        failureCount < 2 && !(isApiError(error) && error.status >= 400 && error.status < 500),
    },
    mutations: { retry: false },
  },
});

/** Reacts to answers that change what the agent may see, whichever request got them. */
function useSessionWatch() {
  useEffect(
    () =>
      onApiError((error) => {
        const me = queryClient.getQueryData<TMe | null>(queryKeys.me);
        if (error.code === 'auth.unauthenticated' && me) {
          // The session ended (expired, signed out elsewhere, disabled): back to sign-in.
          sessionStorage.setItem('kefu.session-ended', '1');
          queryClient.setQueryData(queryKeys.me, null);
        } else if (error.code === 'auth.two_factor_enrollment_required' && me) {
          void queryClient.invalidateQueries({ queryKey: queryKeys.me });
        }
      }),
    [],
  );
}

export function App() {
  useSessionWatch();
  return (
    <MantineProvider
      theme={theme}
      colorSchemeManager={colorSchemeManager}
      defaultColorScheme="light"
    >
      {/* Bottom right: the header's controls stay visible while a notice is shown; narrow enough
          to sit over the workspace's side panel, not the reply box's Send button. */}
      <Notifications position="bottom-right" limit={4} containerWidth={320} />
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </MantineProvider>
  );
}
