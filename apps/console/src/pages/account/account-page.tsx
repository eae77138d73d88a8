import { Badge, Group, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useCurrentMe } from '../../api/auth.ts';
import { useTeams } from '../../api/teams.ts';
import { LocaleBadges, RoleBadge } from '../../components/badges.tsx';
import { Page } from '../../components/page.tsx';
import { ChangePasswordCard } from './change-password-card.tsx';
import { MySessionsCard } from './my-sessions-card.tsx';
import { TwoFactorCard } from './two-factor-card.tsx';

function ProfileCard() {
  const { t } = useTranslation();
  const { agent } = useCurrentMe();
  const teams = useTeams();
  const teamNames = (teams.data ?? []).filter((team) => agent.teamIds.includes(team.id));
  const rows: [string, React.ReactNode][] = [
    [t('account.name'), agent.name],
    [t('account.email'), agent.email],
    [t('account.role'), <RoleBadge key="role" role={agent.role} />],
    [t('account.languages'), <LocaleBadges key="languages" locales={agent.languages} />],
    [
      t('account.teams'),
      teamNames.length > 0 ? (
        <Group gap={4} key="teams">
          {teamNames.map((team) => (
            <Badge key={team.id} size="sm" variant="light" color="gray" tt="none">
              {team.name}
            </Badge>
          ))}
        </Group>
      ) : (
        <Text size="sm" c="dimmed" key="teams">
          {t('account.noTeams')}
        </Text>
      ),
    ],
    [t('account.capacity'), t('account.capacityValue', { count: agent.capacity })],
  ];
  return (
    <Paper withBorder p="md" radius="md">
      <Stack gap="xs">
        <Title order={3} fz="md">
          {t('account.profile')}
        </Title>
        <Table withRowBorders={false} verticalSpacing={4} horizontalSpacing={0}>
          <Table.Tbody>
            {rows.map(([label, value]) => (
              <Table.Tr key={label}>
                <Table.Th w={110} fw={500} c="dimmed" fz="sm">
                  {label}
                </Table.Th>
                <Table.Td>{value}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <Text size="xs" c="dimmed">
          {t('account.profileHint')}
        </Text>
      </Stack>
    </Paper>
  );
}

export function AccountPage() {
  const { t } = useTranslation();
  return (
    <Page title={t('account.title')} maw={1180}>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <Stack gap="md">
          <ProfileCard />
          <ChangePasswordCard />
        </Stack>
        <TwoFactorCard />
      </SimpleGrid>
      <MySessionsCard />
    </Page>
  );
}
