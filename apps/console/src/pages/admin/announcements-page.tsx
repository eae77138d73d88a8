import type { TAnnouncement, TAnnouncementSeverity } from '@kefu/shared';
import {
  Badge,
  Button,
  Group,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Table,
  TagsInput,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  useAnnouncements,
  usePublishAnnouncement,
  useResolveAnnouncement,
  useUpdateAnnouncement,
} from '../../api/announcements.ts';
import { useCurrentMe } from '../../api/auth.ts';
import { ConfirmModal } from '../../components/confirm-modal.tsx';
import { EditorModal } from '../../components/editor-modal.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { FormActions } from '../../components/form-actions.tsx';
import { ListTable } from '../../components/list-table.tsx';
import { notifySuccess } from '../../components/notify.ts';
import { Page } from '../../components/page.tsx';
import { QueryState, ReadOnlyNote } from '../../components/query-state.tsx';
import { EditAction, RowActionsCell } from '../../components/row-actions.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { useDialog } from '../../lib/use-dialog.ts';

const STATE_COLOR = { scheduled: 'blue', active: 'green', ended: 'gray', resolved: 'gray' };

export function AnnouncementsPage() {
  const { t, i18n } = useTranslation();
  const me = useCurrentMe();
  const list = useAnnouncements();
  const resolve = useResolveAnnouncement();
  const editor = useDialog<{ announcement: TAnnouncement | null }>();
  const [resolving, setResolving] = useState<TAnnouncement | null>(null);
  const isAdmin = me.agent.role === 'admin';
  const locale = i18n.language === 'zh-CN' ? 'zh-CN' : 'en';

  return (
    <Page
      title={t('announcements.title')}
      description={t('announcements.description')}
      actions={
        isAdmin && (
          <Button
            leftSection={<IconPlus size={16} />}
            onClick={() => editor.open({ announcement: null })}
          >
            {t('announcements.publish')}
          </Button>
        )
      }
    >
      {!isAdmin && <ReadOnlyNote>{t('announcements.readOnly')}</ReadOnlyNote>}
      <QueryState query={list} empty={t('announcements.empty')} isEmpty={(l) => l.length === 0}>
        {(announcements) => (
          <ListTable
            label={t('announcements.title')}
            minWidth={900}
            columns={[
              t('announcements.columns.text'),
              t('announcements.columns.severity'),
              t('announcements.columns.state'),
              t('announcements.columns.window'),
              t('announcements.columns.matches'),
            ]}
            actions={isAdmin}
          >
            {announcements.map((a) => {
              const matches = [...a.intents, ...a.keywords, ...a.assets];
              return (
                <Table.Tr key={a.id} data-testid="announcement-row">
                  <Table.Td className="kefu-wrap" miw={260}>
                    <Text size="sm" fw={600}>
                      {a.text[locale]}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {a.text[locale === 'en' ? 'zh-CN' : 'en']}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Badge
                      size="sm"
                      variant="light"
                      color={a.severity === 'incident' ? 'orange' : 'blue'}
                    >
                      {t(`announcements.severity.${a.severity}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Badge size="sm" variant="dot" color={STATE_COLOR[a.state]}>
                      {t(`announcements.state.${a.state}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td className="kefu-nowrap">
                    <Text size="xs">
                      {t('announcements.from', { time: formatDateTime(a.startsAt) })}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {a.resolvedAt
                        ? t('announcements.until', { time: formatDateTime(a.resolvedAt) })
                        : a.endsAt
                          ? t('announcements.until', { time: formatDateTime(a.endsAt) })
                          : t('announcements.untilResolved')}
                    </Text>
                  </Table.Td>
                  <Table.Td className="kefu-wrap" miw={180}>
                    {matches.length === 0 ? (
                      <Text size="xs" c="dimmed">
                        {t('announcements.noMatch')}
                      </Text>
                    ) : (
                      <Group gap={4}>
                        {matches.map((m) => (
                          <Badge key={m} size="xs" variant="outline" color="gray" tt="none">
                            {m}
                          </Badge>
                        ))}
                      </Group>
                    )}
                  </Table.Td>
                  {isAdmin && (
                    <RowActionsCell>
                      {a.state !== 'resolved' && (
                        <EditAction
                          label={t('announcements.editFor', { text: a.text[locale] })}
                          onClick={() => editor.open({ announcement: a })}
                        />
                      )}
                      {a.state !== 'resolved' && (
                        <Button
                          ml="xs"
                          size="xs"
                          variant="light"
                          color="gray"
                          aria-label={t('announcements.resolveFor', { text: a.text[locale] })}
                          onClick={() => {
                            resolve.reset();
                            setResolving(a);
                          }}
                        >
                          {t('announcements.resolve')}
                        </Button>
                      )}
                    </RowActionsCell>
                  )}
                </Table.Tr>
              );
            })}
          </ListTable>
        )}
      </QueryState>
      <EditorModal
        dialog={editor}
        size="lg"
        title={
          editor.value?.announcement
            ? t('announcements.editTitle', { text: editor.value.announcement.text[locale] })
            : t('announcements.publishTitle')
        }
      >
        <AnnouncementForm
          announcement={editor.value?.announcement ?? null}
          onClose={editor.close}
        />
      </EditorModal>
      <ConfirmModal
        opened={resolving !== null}
        title={resolving ? t('announcements.resolveFor', { text: resolving.text[locale] }) : ''}
        confirmLabel={t('announcements.resolve')}
        color="blue"
        loading={resolve.isPending}
        error={resolve.error}
        onClose={() => setResolving(null)}
        onConfirm={() => {
          if (!resolving) return;
          resolve.mutate(resolving.id, {
            onSuccess: () => {
              notifySuccess(t('announcements.resolved'));
              setResolving(null);
            },
          });
        }}
      >
        {resolving ? t('announcements.resolveConfirm', { text: resolving.text[locale] }) : ''}
      </ConfirmModal>
    </Page>
  );
}

type Values = {
  severity: TAnnouncementSeverity;
  textEn: string;
  textZh: string;
  detailsEn: string;
  detailsZh: string;
  startsAt: string;
  endsAt: string;
  intents: string[];
  keywords: string[];
  assets: string[];
};

/** A datetime-local value (the browser's time zone) as an ISO instant. */
const toIso = (local: string) => (local ? new Date(local).toISOString() : null);

/** An ISO instant as a datetime-local value in the browser's time zone, to the minute. */
function toLocal(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Publishes an announcement, or changes one that is not resolved (prefilled with its values). */
function AnnouncementForm({
  announcement,
  onClose,
}: {
  announcement: TAnnouncement | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const publish = usePublishAnnouncement();
  const update = useUpdateAnnouncement();
  const mutation = announcement ? update : publish;
  const initial: Values = {
    severity: announcement?.severity ?? 'incident',
    textEn: announcement?.text.en ?? '',
    textZh: announcement?.text['zh-CN'] ?? '',
    detailsEn: announcement?.details.en ?? '',
    detailsZh: announcement?.details['zh-CN'] ?? '',
    startsAt: toLocal(announcement?.startsAt ?? null),
    endsAt: toLocal(announcement?.endsAt ?? null),
    intents: announcement?.intents ?? [],
    keywords: announcement?.keywords ?? [],
    assets: announcement?.assets ?? [],
  };
  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: initial,
    validate: {
      textEn: (v) => (v.trim() ? null : t('announcements.validation.textRequired')),
      textZh: (v) => (v.trim() ? null : t('announcements.validation.textRequired')),
      endsAt: (v, values) =>
        v && values.startsAt && new Date(v) <= new Date(values.startsAt)
          ? t('announcements.validation.endAfterStart')
          : null,
    },
  });

  const submit = (values: Values) => {
    const content = {
      severity: values.severity,
      text: { en: values.textEn.trim(), 'zh-CN': values.textZh.trim() },
      details: { en: values.detailsEn.trim(), 'zh-CN': values.detailsZh.trim() },
      intents: values.intents,
      keywords: values.keywords,
      assets: values.assets,
    };
    if (announcement) {
      // Times shown to the minute are sent only when changed, so an edit keeps the exact ones.
      update.mutate(
        {
          id: announcement.id,
          ...content,
          ...(values.startsAt !== initial.startsAt ? { startsAt: toIso(values.startsAt) } : {}),
          ...(values.endsAt !== initial.endsAt ? { endsAt: toIso(values.endsAt) } : {}),
        },
        {
          onSuccess: () => {
            notifySuccess(t('announcements.saved'));
            onClose();
          },
        },
      );
      return;
    }
    publish.mutate(
      { ...content, startsAt: toIso(values.startsAt), endsAt: toIso(values.endsAt) },
      {
        onSuccess: () => {
          notifySuccess(t('announcements.published'));
          onClose();
        },
      },
    );
  };

  return (
    <form onSubmit={form.onSubmit(submit)} noValidate>
      <Stack gap="sm">
        {mutation.error && <ErrorAlert error={mutation.error} />}
        <SegmentedControl
          aria-label={t('announcements.field.severity')}
          data={[
            { value: 'incident', label: t('announcements.severity.incident') },
            { value: 'info', label: t('announcements.severity.info') },
          ]}
          w={240}
          value={form.values.severity}
          onChange={(v) => form.setFieldValue('severity', v === 'info' ? 'info' : 'incident')}
        />
        <SimpleGrid cols={2} spacing="sm">
          <TextInput
            label={t('announcements.field.textEn')}
            placeholder={t('announcements.field.textPlaceholderEn')}
            required
            maxLength={200}
            data-autofocus
            {...form.getInputProps('textEn')}
          />
          <TextInput
            label={t('announcements.field.textZh')}
            placeholder={t('announcements.field.textPlaceholderZh')}
            required
            maxLength={200}
            {...form.getInputProps('textZh')}
          />
          <Textarea
            label={t('announcements.field.detailsEn')}
            autosize
            minRows={2}
            maxRows={4}
            maxLength={2000}
            {...form.getInputProps('detailsEn')}
          />
          <Textarea
            label={t('announcements.field.detailsZh')}
            autosize
            minRows={2}
            maxRows={4}
            maxLength={2000}
            {...form.getInputProps('detailsZh')}
          />
          <TextInput
            type="datetime-local"
            label={t('announcements.field.startsAt')}
            description={t('announcements.field.startsAtHint')}
            {...form.getInputProps('startsAt')}
          />
          <TextInput
            type="datetime-local"
            label={t('announcements.field.endsAt')}
            description={t('announcements.field.endsAtHint')}
            {...form.getInputProps('endsAt')}
          />
        </SimpleGrid>
        <TagsInput
          label={t('announcements.field.intents')}
          description={t('announcements.field.intentsHint')}
          {...form.getInputProps('intents')}
        />
        <TagsInput
          label={t('announcements.field.keywords')}
          description={t('announcements.field.keywordsHint')}
          {...form.getInputProps('keywords')}
        />
        <TagsInput
          label={t('announcements.field.assets')}
          description={t('announcements.field.assetsHint')}
          {...form.getInputProps('assets')}
        />
        <FormActions
          onCancel={onClose}
          loading={mutation.isPending}
          editing={!!announcement}
          createLabel={t('announcements.publish')}
        />
      </Stack>
    </form>
  );
}
