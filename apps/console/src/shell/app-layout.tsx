import {
  AppShell,
  Avatar,
  Burger,
  Button,
  Divider,
  Group,
  NavLink,
  ScrollArea,
  Stack,
  Text,
  UnstyledButton,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconLogout } from '@tabler/icons-react';
import { Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { useCurrentMe, useLogout } from '../api/auth.ts';
import { RoleBadge } from '../components/badges.tsx';
import { FullPageLoader } from '../components/full-page.tsx';
import { notifyError, notifySuccess } from '../components/notify.ts';
import { RealtimeProvider } from '../realtime/realtime.tsx';
import { AlertBell } from './alert-bell.tsx';
import { AvailabilitySwitch } from './availability-switch.tsx';
import { ColorSchemeToggle } from './color-scheme-toggle.tsx';
import { LanguageSwitch } from './language-switch.tsx';
import { Logo } from './logo.tsx';
import { visibleNavigation } from './navigation.ts';

function initials(name: string): string {
  const words = name.split(/\s+/).filter(Boolean);
  const first = words[0] ?? '?';
  // A Chinese name reads well as its first character.
  if (/^[\u3400-\u9fff]/.test(first)) return first.slice(0, 1);
  return words
    .slice(0, 2)
    .map((w) => w[0]?.toUpperCase() ?? '')
    .join('');
}

function Navbar({ onNavigate }: { onNavigate: () => void }) {
  const { t } = useTranslation();
  const { pathname } = useLocation();
  const me = useCurrentMe();
  return (
    <AppShell.Navbar p="xs" aria-label={t('nav.main')}>
      <AppShell.Section grow component={ScrollArea}>
        <Stack gap="sm">
          {visibleNavigation(me.agent.role).map((section) => (
            <div key={section.label}>
              <Text size="xs" fw={600} c="dimmed" px="sm" pb={4} tt="uppercase">
                {t(`nav.${section.label}`)}
              </Text>
              {section.items.map((item) => {
                const active = [item.to, ...(item.also ?? [])].some(
                  (to) => pathname === to || pathname.startsWith(`${to}/`),
                );
                return (
                  <NavLink
                    key={item.to}
                    component={Link}
                    to={item.to}
                    label={t(`nav.${item.label}`)}
                    leftSection={<item.icon size={18} stroke={1.6} />}
                    active={active}
                    aria-current={active ? 'page' : undefined}
                    onClick={onNavigate}
                    py={6}
                  />
                );
              })}
            </div>
          ))}
        </Stack>
      </AppShell.Section>
    </AppShell.Navbar>
  );
}

function SignOutButton() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const logout = useLogout();
  return (
    <Button
      variant="subtle"
      color="gray"
      size="xs"
      leftSection={<IconLogout size={16} />}
      loading={logout.isPending}
      onClick={() =>
        logout.mutate(undefined, {
          onSuccess: () => {
            notifySuccess(t('header.signedOut'));
            void navigate('/sign-in', { replace: true });
          },
          onError: (error) => notifyError(error),
        })
      }
    >
      {t('header.signOut')}
    </Button>
  );
}

export function AppLayout() {
  const { t } = useTranslation();
  const me = useCurrentMe();
  const [opened, { toggle, close }] = useDisclosure(false);
  return (
    <RealtimeProvider>
      <AppShell
        header={{ height: 52 }}
        navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }}
        padding="md"
      >
        <AppShell.Header>
          <Group h="100%" px="md" justify="space-between" wrap="nowrap" gap="sm">
            <Group gap="sm" wrap="nowrap">
              <Burger
                opened={opened}
                onClick={toggle}
                hiddenFrom="sm"
                size="sm"
                aria-label={t('nav.toggle')}
              />
              <Logo />
            </Group>
            <Group gap="sm" wrap="nowrap">
              <AlertBell />
              <AvailabilitySwitch />
              <Divider orientation="vertical" visibleFrom="md" />
              <LanguageSwitch />
              <ColorSchemeToggle />
              <Divider orientation="vertical" />
              <UnstyledButton component={Link} to="/account" title={t('nav.account')}>
                <Group gap={8} wrap="nowrap">
                  <Avatar size={30} radius="xl" color="blue" variant="light">
                    {initials(me.agent.name)}
                  </Avatar>
                  <Stack gap={0} visibleFrom="md">
                    <Text size="sm" fw={600} lh={1.2} data-testid="current-agent-name">
                      {me.agent.name}
                    </Text>
                    <Group gap={4}>
                      <RoleBadge role={me.agent.role} />
                    </Group>
                  </Stack>
                </Group>
              </UnstyledButton>
              <SignOutButton />
            </Group>
          </Group>
        </AppShell.Header>
        <Navbar onNavigate={close} />
        <AppShell.Main>
          <Suspense fallback={<FullPageLoader />}>
            <Outlet />
          </Suspense>
        </AppShell.Main>
      </AppShell>
    </RealtimeProvider>
  );
}
