import type { TPriority, TSlaPolicy, TSlaPolicyInput } from '@kefu/shared';
import {
  Badge,
  Button,
  Checkbox,
  Divider,
  Group,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconPlus } from '@tabler/icons-react';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useCurrentMe } from '../../api/auth.ts';
import { useDeleteSlaPolicy, useSaveSlaPolicy, useSlaPolicies } from '../../api/config.ts';
import { useTeams } from '../../api/teams.ts';
import { canAdminister } from '../../auth/guards.tsx';
import { DeleteConfirmModal } from '../../components/confirm-modal.tsx';
import { EditorModal } from '../../components/editor-modal.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { FormActions } from '../../components/form-actions.tsx';
import { ListTable } from '../../components/list-table.tsx';
import { notifySuccess } from '../../components/notify.ts';
import { Page } from '../../components/page.tsx';
import { QueryState, ReadOnlyNote } from '../../components/query-state.tsx';
import { EditDeleteCell } from '../../components/row-actions.tsx';
import { SegmentedField } from '../../components/segmented-field.tsx';
import { useDialog } from '../../lib/use-dialog.ts';
import { useDuration } from './shared.tsx';

// Kept here rather than imported: the console's bundle stays free of the schemas.
const PRIORITIES: readonly TPriority[] = ['low', 'normal', 'high', 'urgent'];
const CHANNELS = ['widget', 'email', 'telegram', 'api'] as const;
type Channel = (typeof CHANNELS)[number];

export function SlaPage() {
  const { t } = useTranslation();
  const me = useCurrentMe();
  const policies = useSlaPolicies();
  const teams = useTeams();
  const editor = useDialog<{ policy: TSlaPolicy | null }>();
  const remover = useDialog<TSlaPolicy>();
  const remove = useDeleteSlaPolicy();
  const canEdit = canAdminister(me.agent.role);
  const duration = useDuration();
  const teamNames = useMemo(
    () => new Map((teams.data ?? []).map((team) => [team.id, team.name])),
    [teams.data],
  );

  const match = (policy: TSlaPolicy) => {
    const parts = [
      policy.priority ? t(`config.sla.priorities.${policy.priority}`) : null,
      policy.vipMin !== null ? t('config.sla.vipFrom', { level: policy.vipMin }) : null,
      policy.channel ? t(`config.sla.channels.${policy.channel as Channel}`) : null,
    ].filter(Boolean);
    return parts.length > 0 ? parts.join(' · ') : t('config.sla.any');
  };
  const breach = (policy: TSlaPolicy) => {
    const actions = policy.breachActions;
    const parts = [
      actions.raisePriority ? t('config.sla.breach.raise') : null,
      actions.notifySupervisors ? t('config.sla.breach.notify') : null,
      actions.reassignToTeamId
        ? t('config.sla.breach.reassign', {
            team: teamNames.get(actions.reassignToTeamId) ?? actions.reassignToTeamId.slice(0, 8),
          })
        : null,
    ].filter(Boolean);
    return parts.length > 0 ? parts.join(', ') : t('common.none');
  };

  return (
    <Page
      title={t('config.sla.title')}
      description={t('config.sla.description')}
      actions={
        canEdit && (
          <Button
            leftSection={<IconPlus size={16} />}
            onClick={() => editor.open({ policy: null })}
          >
            {t('config.sla.create')}
          </Button>
        )
      }
    >
      {!canEdit && <ReadOnlyNote>{t('config.sla.readOnly')}</ReadOnlyNote>}
      <QueryState
        query={policies}
        empty={t('config.sla.empty')}
        isEmpty={(list) => list.length === 0}
      >
        {(list) => (
          <ListTable
            label={t('config.sla.title')}
            minWidth={900}
            columns={[
              t('config.sla.columns.name'),
              t('config.sla.columns.match'),
              t('config.sla.columns.firstResponse'),
              t('config.sla.columns.nextResponse'),
              t('config.sla.columns.resolution'),
              t('config.sla.columns.breach'),
            ]}
            actions={canEdit}
          >
            {list.map((policy) => (
              <Table.Tr key={policy.id}>
                <Table.Td>
                  <Group gap={6} wrap="nowrap">
                    <Text size="sm" fw={600} className="kefu-nowrap">
                      {policy.name}
                    </Text>
                    {!policy.active && (
                      <Badge size="sm" variant="light" color="gray">
                        {t('config.sla.inactive')}
                      </Badge>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td className="kefu-wrap" miw={150}>
                  <Text size="sm">{match(policy)}</Text>
                  <Badge
                    size="xs"
                    variant="light"
                    color={policy.businessHoursOnly ? 'blue' : 'grape'}
                  >
                    {policy.businessHoursOnly
                      ? t('config.sla.businessTime')
                      : t('config.sla.calendarTime')}
                  </Badge>
                </Table.Td>
                <Table.Td className="kefu-nowrap">{duration(policy.firstResponseMinutes)}</Table.Td>
                <Table.Td className="kefu-nowrap">{duration(policy.nextResponseMinutes)}</Table.Td>
                <Table.Td className="kefu-nowrap">{duration(policy.resolutionMinutes)}</Table.Td>
                <Table.Td className="kefu-wrap" miw={160}>
                  <Text size="sm" c="dimmed">
                    {breach(policy)}
                  </Text>
                </Table.Td>
                {canEdit && (
                  <EditDeleteCell
                    editLabel={t('config.sla.editFor', { name: policy.name })}
                    deleteLabel={t('config.sla.deleteFor', { name: policy.name })}
                    onEdit={() => editor.open({ policy })}
                    onDelete={() => {
                      remove.reset();
                      remover.open(policy);
                    }}
                  />
                )}
              </Table.Tr>
            ))}
          </ListTable>
        )}
      </QueryState>
      <EditorModal
        dialog={editor}
        size="lg"
        title={
          editor.value?.policy
            ? t('config.sla.editTitle', { name: editor.value.policy.name })
            : t('config.sla.createTitle')
        }
      >
        <SlaForm
          policy={editor.value?.policy ?? null}
          teams={(teams.data ?? []).map((team) => ({ value: team.id, label: team.name }))}
          onClose={editor.close}
        />
      </EditorModal>
      <DeleteConfirmModal
        dialog={remover}
        mutation={remove}
        title={t('config.sla.deleteTitle')}
        confirmLabel={t('config.sla.deleteFor', { name: remover.value?.name ?? '' })}
        deleted={(policy) => t('config.sla.deleted', { name: policy.name })}
      >
        {t('config.sla.deleteBody', { name: remover.value?.name ?? '' })}
      </DeleteConfirmModal>
    </Page>
  );
}

type Values = {
  name: string;
  priority: string;
  vipMin: number | string;
  channel: string;
  businessHoursOnly: boolean;
  firstResponseMinutes: number | string;
  nextResponseMinutes: number | string;
  resolutionMinutes: number | string;
  warnBeforeMinutes: number | string;
  raisePriority: boolean;
  notifySupervisors: boolean;
  reassignToTeamId: string;
  position: number | string;
  active: boolean;
};

const ANY = 'any';
const asNumber = (value: number | string): number | null =>
  value === '' || value === null ? null : Number(value);

function SlaForm({
  policy,
  teams,
  onClose,
}: {
  policy: TSlaPolicy | null;
  teams: { value: string; label: string }[];
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const save = useSaveSlaPolicy();
  const minutes = (value: number | string) => {
    const n = asNumber(value);
    return n === null || (Number.isInteger(n) && n >= 1)
      ? null
      : t('config.sla.validation.minutes');
  };
  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: {
      name: policy?.name ?? '',
      priority: policy?.priority ?? ANY,
      vipMin: policy?.vipMin ?? '',
      channel: policy?.channel ?? ANY,
      businessHoursOnly: policy?.businessHoursOnly ?? true,
      firstResponseMinutes: policy?.firstResponseMinutes ?? '',
      nextResponseMinutes: policy?.nextResponseMinutes ?? '',
      resolutionMinutes: policy?.resolutionMinutes ?? '',
      warnBeforeMinutes: policy?.warnBeforeMinutes ?? 10,
      raisePriority: policy?.breachActions.raisePriority ?? true,
      notifySupervisors: policy?.breachActions.notifySupervisors ?? true,
      reassignToTeamId: policy?.breachActions.reassignToTeamId ?? '',
      position: policy?.position ?? 0,
      active: policy?.active ?? true,
    },
    validate: {
      name: (value) => (value.trim() ? null : t('config.sla.validation.nameRequired')),
      firstResponseMinutes: minutes,
      nextResponseMinutes: minutes,
      resolutionMinutes: minutes,
    },
  });

  const submit = (values: Values) => {
    const input: TSlaPolicyInput = {
      name: values.name.trim(),
      priority: values.priority === ANY ? null : (values.priority as TPriority),
      vipMin: asNumber(values.vipMin),
      channel: values.channel === ANY ? null : (values.channel as Channel),
      businessHoursOnly: values.businessHoursOnly,
      firstResponseMinutes: asNumber(values.firstResponseMinutes),
      nextResponseMinutes: asNumber(values.nextResponseMinutes),
      resolutionMinutes: asNumber(values.resolutionMinutes),
      warnBeforeMinutes: asNumber(values.warnBeforeMinutes) ?? 0,
      breachActions: {
        raisePriority: values.raisePriority,
        notifySupervisors: values.notifySupervisors,
        reassignToTeamId: values.reassignToTeamId || null,
      },
      position: asNumber(values.position) ?? 0,
      active: values.active,
    };
    save.mutate(
      { id: policy?.id ?? null, ...input },
      {
        onSuccess: (saved) => {
          notifySuccess(
            t(policy ? 'config.sla.updated' : 'config.sla.created', { name: saved.name }),
          );
          onClose();
        },
      },
    );
  };

  const target = (field: keyof Values, label: string) => (
    <NumberInput
      label={label}
      placeholder={t('config.sla.field.targetHint')}
      min={1}
      max={86400}
      allowDecimal={false}
      allowNegative={false}
      {...form.getInputProps(field)}
    />
  );

  return (
    <form onSubmit={form.onSubmit(submit)} noValidate>
      <Stack gap="sm">
        {save.error && <ErrorAlert error={save.error} />}
        <Group align="flex-end" gap="sm" wrap="nowrap">
          <TextInput
            style={{ flex: 1 }}
            label={t('config.sla.field.name')}
            placeholder={t('config.sla.field.namePlaceholder')}
            required
            data-autofocus
            maxLength={120}
            {...form.getInputProps('name')}
          />
          <NumberInput
            w={110}
            label={t('config.sla.field.position')}
            title={t('config.sla.field.positionHint')}
            min={0}
            max={1000}
            allowDecimal={false}
            allowNegative={false}
            {...form.getInputProps('position')}
          />
          <Switch
            mb={8}
            label={t('config.sla.field.active')}
            {...form.getInputProps('active', { type: 'checkbox' })}
          />
        </Group>
        <Divider label={t('config.sla.field.matchSection')} labelPosition="left" />
        <SimpleGrid cols={3} spacing="sm">
          <Select
            label={t('config.sla.field.priority')}
            allowDeselect={false}
            data={[
              { value: ANY, label: t('config.sla.anyPriority') },
              ...PRIORITIES.map((p) => ({ value: p, label: t(`config.sla.priorities.${p}`) })),
            ]}
            {...form.getInputProps('priority')}
          />
          <NumberInput
            label={t('config.sla.field.vipMin')}
            placeholder={t('config.sla.field.vipMinHint')}
            min={0}
            max={20}
            allowDecimal={false}
            allowNegative={false}
            {...form.getInputProps('vipMin')}
          />
          <Select
            label={t('config.sla.field.channel')}
            allowDeselect={false}
            data={[
              { value: ANY, label: t('config.sla.anyChannel') },
              ...CHANNELS.map((c) => ({ value: c, label: t(`config.sla.channels.${c}`) })),
            ]}
            {...form.getInputProps('channel')}
          />
        </SimpleGrid>
        <Divider label={t('config.sla.field.targetsSection')} labelPosition="left" />
        <SimpleGrid cols={3} spacing="sm">
          {target('firstResponseMinutes', t('config.sla.field.firstResponse'))}
          {target('nextResponseMinutes', t('config.sla.field.nextResponse'))}
          {target('resolutionMinutes', t('config.sla.field.resolution'))}
        </SimpleGrid>
        <SegmentedField
          label={t('config.sla.field.clock')}
          data={[
            { value: 'business', label: t('config.sla.field.businessTime') },
            { value: 'calendar', label: t('config.sla.field.calendarTime') },
          ]}
          value={form.values.businessHoursOnly ? 'business' : 'calendar'}
          onChange={(value) => form.setFieldValue('businessHoursOnly', value === 'business')}
        />
        <Divider label={t('config.sla.field.breachSection')} labelPosition="left" />
        <Group gap="lg">
          <Checkbox
            label={t('config.sla.field.raisePriority')}
            {...form.getInputProps('raisePriority', { type: 'checkbox' })}
          />
          <Checkbox
            label={t('config.sla.field.notifySupervisors')}
            {...form.getInputProps('notifySupervisors', { type: 'checkbox' })}
          />
        </Group>
        <SimpleGrid cols={2} spacing="sm">
          <NumberInput
            label={t('config.sla.field.warnBefore')}
            min={0}
            max={1440}
            allowDecimal={false}
            allowNegative={false}
            {...form.getInputProps('warnBeforeMinutes')}
          />
          <Select
            label={t('config.sla.field.reassignTo')}
            allowDeselect={false}
            data={[{ value: '', label: t('config.sla.field.noReassign') }, ...teams]}
            {...form.getInputProps('reassignToTeamId')}
          />
        </SimpleGrid>
        <FormActions onCancel={onClose} loading={save.isPending} editing={!!policy} />
      </Stack>
    </form>
  );
}
