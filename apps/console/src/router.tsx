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
                path: 'knowledge',
                lazy: async () => ({
                  Component: (await import('./pages/config/knowledge-page.tsx')).KnowledgePage,
                }),
              },
              {
                path: 'knowledge/:id',
                lazy: async () => ({
                  Component: (await import('./pages/config/article-page.tsx')).ArticlePage,
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
                    path: 'widget',
                    element: <RequireRole roles={['admin']} />,
                    children: [
                      {
                        index: true,
                        lazy: async () => ({
                          Component: (await import('./pages/admin/widget-settings-page.tsx'))
                            .WidgetSettingsPage,
                        }),
                      },
                    ],
                  },
                  {
                    path: 'announcements',
                    lazy: async () => ({
                      Component: (await import('./pages/admin/announcements-page.tsx'))
                        .AnnouncementsPage,
                    }),
                  },
                  {
                    path: 'channels',
                    element: <RequireRole roles={['admin']} />,
                    children: [
                      {
                        index: true,
                        lazy: async () => ({
                          Component: (await import('./pages/admin/channels-page.tsx')).ChannelsPage,
                        }),
                      },
                    ],
                  },
                  {
                    path: 'sla',
                    lazy: async () => ({
                      Component: (await import('./pages/config/sla-page.tsx')).SlaPage,
                    }),
                  },
                  {
                    path: 'business-hours',
                    lazy: async () => ({
                      Component: (await import('./pages/config/business-hours-page.tsx'))
                        .BusinessHoursPage,
                    }),
                  },
                  {
                    path: 'canned-responses',
                    lazy: async () => ({
                      Component: (await import('./pages/config/canned-page.tsx')).CannedPage,
                    }),
                  },
                  {
                    path: 'assistant',
                    lazy: async () => ({
                      Component: (await import('./pages/config/assistant-page.tsx')).AssistantPage,
                    }),
                  },
                  {
                    path: 'official-channels',
                    lazy: async () => ({
                      Component: (await import('./pages/config/official-channels-page.tsx'))
                        .OfficialChannelsPage,
                    }),
                  },
                  {
                    path: 'webhooks',
                    element: <RequireRole roles={['admin']} />,
                    children: [
                      {
                        index: true,
                        lazy: async () => ({
                          Component: (await import('./pages/config/webhooks-page.tsx'))
                            .WebhooksPage,
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
