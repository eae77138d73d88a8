import { createBrowserRouter, Navigate } from 'react-router';
import { RequireRole, RequireSession } from './auth/guards.tsx';
import { CrashPage, FullPageLoader } from './components/full-page.tsx';
import { InboxPage } from './pages/inbox/inbox-page.tsx';
import { NotFoundPage } from './pages/not-found-page.tsx';
import { SignInPage } from './pages/sign-in-page.tsx';
import { AppLayout } from './shell/app-layout.tsx';

// Pages an agent opens now and then load on demand: the first paint carries only the shell,
// sign-in and the inbox; the conversation workspace follows when one is opened.
export const router = createBrowserRouter([
  {
    errorElement: <CrashPage />,
    hydrateFallbackElement: <FullPageLoader />,
    children: [
      { path: '/sign-in', element: <SignInPage /> },
      {
        path: '/enrol-2fa',
        lazy: async () => ({
          Component: (await import('./pages/enrol-two-factor-page.tsx')).EnrolTwoFactorPage,
        }),
      },
      {
        element: <RequireSession />,
        children: [
          {
            element: <AppLayout />,
            children: [
              { index: true, element: <Navigate to="/inbox" replace /> },
              { path: 'inbox', element: <InboxPage /> },
              {
                path: 'conversations/:id',
                lazy: async () => ({
                  Component: (await import('./pages/conversation/conversation-page.tsx'))
                    .ConversationPage,
                }),
              },
              {
                path: 'reports',
                element: <RequireRole roles={['admin', 'supervisor']} />,
                children: [
                  {
                    index: true,
                    lazy: async () => ({
                      Component: (await import('./pages/reports/reports-page.tsx')).ReportsPage,
                    }),
                  },
                ],
              },
              {
                path: 'quality',
                element: <RequireRole roles={['admin', 'supervisor']} />,
                children: [
                  {
                    index: true,
                    lazy: async () => ({
                      Component: (await import('./pages/quality/quality-page.tsx')).QualityPage,
                    }),
                  },
                ],
              },
              {
                path: 'account',
                lazy: async () => ({
                  Component: (await import('./pages/account/account-page.tsx')).AccountPage,
                }),
              },
              {
                path: 'admin',
                element: <RequireRole roles={['admin', 'supervisor']} />,
                children: [
                  { index: true, element: <Navigate to="/admin/agents" replace /> },
                  {
                    path: 'agents',
                    lazy: async () => ({
                      Component: (await import('./pages/admin/agents-page.tsx')).AgentsPage,
                    }),
                  },
                  {
                    path: 'teams',
                    lazy: async () => ({
                      Component: (await import('./pages/admin/teams-page.tsx')).TeamsPage,
                    }),
                  },
                  {
                    path: 'security',
                    element: <RequireRole roles={['admin']} />,
                    children: [
                      {
                        index: true,
                        lazy: async () => ({
                          Component: (await import('./pages/admin/security-page.tsx')).SecurityPage,
                        }),
                      },
                    ],
                  },
                  {
                    path: 'audit',
                    lazy: async () => ({
                      Component: (await import('./pages/admin/audit-page.tsx')).AuditPage,
                    }),
                  },
                ],
              },
              { path: '*', element: <NotFoundPage /> },
            ],
          },
        ],
      },
    ],
  },
]);
