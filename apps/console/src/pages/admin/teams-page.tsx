import type { TTeam } from '@kefu/shared';
import { Badge, Button, Paper, Table, Text } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useAgents } from '../../api/agents.ts';
import { useCurrentMe } from '../../api/auth.ts';
import { useTeams } from '../../api/teams.ts';
import { LocaleBadges } from '../../components/badges.tsx';
import { EditorModal } from '../../components/editor-modal.tsx';
import { Page } from '../../components/page.tsx';
import { QueryState, ReadOnlyNote } from '../../components/query-state.tsx';
import { EditAction, RowActionsCell } from '../../components/row-actions.tsx';
import { formatTime } from '../../lib/format.ts';
import { useDialog } from '../../lib/use-dialog.ts';
import { TeamForm } from './team-form.tsx';

export function TeamsPage() {
  const { t } = useTranslation();
  const me = useCurrentMe();
  const teams = useTeams();
  const agents = useAgents();
  const dialog = useDialog<{ team: TTeam | null }>();
  const isAdmin = me.agent.role === 'admin';
  const agentNames = useMemo(
    () => new Map((agents.data ?? []).map((agent) => [agent.id, agent.name])),
    [agents.data],
  );
  const now = new Date();

  return (
    <Page
      title={t('teams.title')}
      description={
        teams.data
          ? `${t('teams.count', { count: teams.data.length })} · ${t('teams.membersHint')}`
          : undefined
      }
      actions={
        isAdmin && (
          <Button leftSection={<IconPlus size={16} />} onClick={() => dialog.open({ team: null })}>
            {t('teams.create')}
          </Button>
        )
      }
    >
      {!isAdmin && <ReadOnlyNote>{t('teams.readOnly')}</ReadOnlyNote>}
      <QueryState query={teams} empty={t('teams.empty')} isEmpty={(l) => l.length === 0}>
        {(list) => (
          <Paper withBorder radius="md">
            <Table.ScrollContainer minWidth={900}>
              <Table className="kefu-table" highlightOnHover aria-label={t('teams.title')}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('teams.columns.name')}</Table.Th>
                    <Table.Th>{t('teams.columns.tier')}</Table.Th>
                    <Table.Th>{t('teams.columns.languages')}</Table.Th>
                    <Table.Th>{t('teams.columns.timezone')}</Table.Th>
                    <Table.Th>{t('teams.columns.members')}</Table.Th>
                    <Table.Th>{t('teams.columns.description')}</Table.Th>
                    {isAdmin && <Table.Th ta="right">{t('common.actions')}</Table.Th>}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {list.map((team) => {
                    const members = team.memberIds.map(
                      (id) => agentNames.get(id) ?? id.slice(0, 8),
                    );
                    return (
                      <Table.Tr key={team.id}>
                        <Table.Td>
                          <Text size="sm" fw={600} className="kefu-nowrap">
                            {team.name}
                          </Text>
                        </Table.Td>
                        <Table.Td>
                          <Badge
                            size="sm"
                            variant="light"
                            color={team.tier === 'L2' ? 'orange' : 'blue'}
                          >
                            {team.tier}
                          </Badge>
                        </Table.Td>
                        <Table.Td>
                          <LocaleBadges locales={team.languages} />
                        </Table.Td>
                        <Table.Td className="kefu-nowrap">
                          <Text size="sm">{team.timezone}</Text>
                          <Text size="xs" c="dimmed">
                            {t('teams.localTime', { time: formatTime(now, team.timezone) })}
                          </Text>
                        </Table.Td>
                        <Table.Td className="kefu-wrap" miw={180}>
                          {members.length === 0 ? (
                            <Text size="sm" c="dimmed">
                              {t('teams.noMembers')}
                            </Text>
                          ) : (
                            <Text size="sm" lineClamp={2} title={members.join(', ')}>
                              <Text span fw={600} size="sm">
                                {members.length}
                              </Text>
                              {' · '}
                              {members.join(', ')}
                            </Text>
                          )}
                        </Table.Td>
                        <Table.Td className="kefu-wrap" miw={220}>
                          <Text size="sm" c="dimmed" lineClamp={2}>
                            {team.description || t('common.none')}
                          </Text>
                        </Table.Td>
                        {isAdmin && (
                          <RowActionsCell>
                            <EditAction
                              label={t('teams.editFor', { name: team.name })}
                              onClick={() => dialog.open({ team })}
                            />
                          </RowActionsCell>
                        )}
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Paper>
        )}
      </QueryState>
      <EditorModal
        dialog={dialog}
        title={
          dialog.value?.team
            ? t('teams.editTitle', { name: dialog.value.team.name })
            : t('teams.createTitle')
        }
      >
        <TeamForm team={dialog.value?.team ?? null} onClose={dialog.close} />
      </EditorModal>
    </Page>
  );
}
