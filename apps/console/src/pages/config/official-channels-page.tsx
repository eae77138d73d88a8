import type { TOfficialChannel, TOfficialChannelKind } from '@kefu/shared';
import {
  Anchor,
  Badge,
  Button,
  Group,
  Select,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconExternalLink, IconPlus } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useCurrentMe } from '../../api/auth.ts';
import {
  useCreateOfficialChannel,
  useDeleteOfficialChannel,
  useOfficialChannels,
  useUpdateOfficialChannel,
} from '../../api/config.ts';
import { DeleteConfirmModal } from '../../components/confirm-modal.tsx';
import { EditorModal } from '../../components/editor-modal.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { FormActions } from '../../components/form-actions.tsx';
import { ListTable } from '../../components/list-table.tsx';
import { notifySuccess } from '../../components/notify.ts';
import { Page } from '../../components/page.tsx';
import { QueryState, ReadOnlyNote } from '../../components/query-state.tsx';
import { EditDeleteCell } from '../../components/row-actions.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { useDialog } from '../../lib/use-dialog.ts';

const KINDS: readonly TOfficialChannelKind[] = ['domain', 'email', 'telegram', 'x', 'phone'];
const KIND_COLORS: Record<TOfficialChannelKind, string> = {
  domain: 'blue',
  email: 'grape',
  telegram: 'cyan',
  x: 'dark',
  phone: 'orange',
};

export function OfficialChannelsPage() {
  const { t, i18n } = useTranslation();
  const me = useCurrentMe();
  const channels = useOfficialChannels();
  const editor = useDialog<{ channel: TOfficialChannel | null }>();
  const remover = useDialog<TOfficialChannel>();
  const remove = useDeleteOfficialChannel();
  const canEdit = me.agent.role === 'admin';
  const helpLocale = i18n.language === 'zh-CN' ? 'zh-CN' : 'en';

  return (
    <Page
      title={t('config.official.title')}
      description={
        <>
          {t('config.official.description')}{' '}
          <Anchor href={`/help/${helpLocale}/verify`} target="_blank" size="sm">
            <Group gap={4} component="span" wrap="nowrap" display="inline-flex">
              {t('config.official.verifyLink')}
              <IconExternalLink size={14} />
            </Group>
          </Anchor>
        </>
      }
      actions={
        canEdit && (
          <Button
            leftSection={<IconPlus size={16} />}
            onClick={() => editor.open({ channel: null })}
          >
            {t('config.official.create')}
          </Button>
        )
      }
    >
      {!canEdit && <ReadOnlyNote>{t('config.official.readOnly')}</ReadOnlyNote>}
      <QueryState
        query={channels}
        empty={t('config.official.empty')}
        isEmpty={(l) => l.length === 0}
      >
        {(list) => (
          <ListTable
            label={t('config.official.title')}
            minWidth={820}
            columns={[
              t('config.official.columns.kind'),
              t('config.official.columns.value'),
              t('config.official.columns.label'),
              t('config.official.columns.notes'),
              t('config.official.columns.added'),
            ]}
            actions={canEdit}
          >
            {list.map((channel) => (
              <Table.Tr key={channel.id}>
                <Table.Td>
                  <Badge size="sm" variant="light" color={KIND_COLORS[channel.kind]}>
                    {t(`config.official.kinds.${channel.kind}`)}
                  </Badge>
                </Table.Td>
                <Table.Td className="kefu-nowrap">
                  <Text size="sm" ff="monospace">
                    {channel.value}
                  </Text>
                </Table.Td>
                <Table.Td className="kefu-wrap" miw={140}>
                  <Text size="sm">{channel.label || t('common.none')}</Text>
                </Table.Td>
                <Table.Td className="kefu-wrap" miw={180}>
                  <Text size="sm" c="dimmed" lineClamp={2}>
                    {channel.notes || t('common.none')}
                  </Text>
                </Table.Td>
                <Table.Td className="kefu-nowrap">
                  <Text size="sm">{formatDateTime(channel.createdAt)}</Text>
                </Table.Td>
                {canEdit && (
                  <EditDeleteCell
                    editLabel={t('config.official.editFor', { value: channel.value })}
                    deleteLabel={t('config.official.deleteFor', { value: channel.value })}
                    onEdit={() => editor.open({ channel })}
                    onDelete={() => {
                      remove.reset();
                      remover.open(channel);
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
        title={
          editor.value?.channel
            ? t('config.official.editTitle', { value: editor.value.channel.value })
            : t('config.official.createTitle')
        }
      >
        <ChannelForm channel={editor.value?.channel ?? null} onClose={editor.close} />
      </EditorModal>
      <DeleteConfirmModal
        dialog={remover}
        mutation={remove}
        title={t('config.official.deleteTitle')}
        confirmLabel={t('config.official.deleteFor', { value: remover.value?.value ?? '' })}
        deleted={(channel) => t('config.official.deleted', { value: channel.value })}
      >
        {t('config.official.deleteBody', { value: remover.value?.value ?? '' })}
      </DeleteConfirmModal>
    </Page>
  );
}

type Values = { kind: TOfficialChannelKind; value: string; label: string; notes: string };

/** Adds an official channel, or changes one (prefilled with what is registered). */
function ChannelForm({
  channel,
  onClose,
}: {
  channel: TOfficialChannel | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const create = useCreateOfficialChannel();
  const update = useUpdateOfficialChannel();
  const mutation = channel ? update : create;
  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: {
      kind: channel?.kind ?? 'domain',
      value: channel?.value ?? '',
      label: channel?.label ?? '',
      notes: channel?.notes ?? '',
    },
    validate: { value: (v) => (v.trim() ? null : t('config.official.validation.valueRequired')) },
  });
  const submit = (values: Values) => {
    const input = {
      kind: values.kind,
      value: values.value.trim(),
      label: values.label.trim(),
      notes: values.notes.trim(),
    };
    const onSuccess = (saved: TOfficialChannel) => {
      notifySuccess(
        t(channel ? 'config.official.updated' : 'config.official.created', { value: saved.value }),
      );
      onClose();
    };
    if (channel) update.mutate({ id: channel.id, ...input }, { onSuccess });
    else create.mutate(input, { onSuccess });
  };
  return (
    <form onSubmit={form.onSubmit(submit)} noValidate>
      <Stack gap="sm">
        {mutation.error && <ErrorAlert error={mutation.error} />}
        <Select
          label={t('config.official.field.kind')}
          allowDeselect={false}
          data={KINDS.map((k) => ({ value: k, label: t(`config.official.kinds.${k}`) }))}
          {...form.getInputProps('kind')}
        />
        <TextInput
          label={t('config.official.field.value')}
          description={t(`config.official.field.valueHint.${form.values.kind}`)}
          required
          data-autofocus
          maxLength={500}
          {...form.getInputProps('value')}
        />
        <TextInput
          label={t('config.official.field.label')}
          placeholder={t('config.official.field.labelPlaceholder')}
          maxLength={120}
          {...form.getInputProps('label')}
        />
        <Textarea
          label={t('config.official.field.notes')}
          autosize
          minRows={2}
          maxRows={4}
          maxLength={1000}
          {...form.getInputProps('notes')}
        />
        <FormActions onCancel={onClose} loading={mutation.isPending} editing={!!channel} />
      </Stack>
    </form>
  );
}
