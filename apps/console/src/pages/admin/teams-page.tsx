import type { TTeam } from '@kefu/shared';
import { Badge, Button, Table, Text } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useAgents } from '../../api/agents.ts';
import { useCurrentMe } from '../../api/auth.ts';
import { useTeams } from '../../api/teams.ts';
import { LocaleBadges } from '../../components/badges.tsx';
import { EditorModal } from '../../components/editor-modal.tsx';
import { ListTable } from '../../components/list-table.tsx';
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
          <ListTable
            label={t('teams.title')}
            minWidth={900}
            columns={[
              t('teams.columns.name'),
              t('teams.columns.tier'),
              t('teams.columns.languages'),
              t('teams.columns.timezone'),
              t('teams.columns.members'),
              t('teams.columns.description'),
            ]}
            actions={isAdmin}
          >
            {list.map((team) => {
              const members = team.memberIds.map((id) => agentNames.get(id) ?? id.slice(0, 8));
              return (
                <Table.Tr key={team.id}>
                  <Table.Td>
                    <Text size="sm" fw={600} className="kefu-nowrap">
                      {team.name}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Badge size="sm" variant="light" color={team.tier === 'L2' ? 'orange' : 'blue'}>
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
          </ListTable>
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
