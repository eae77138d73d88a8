import type { TCannedResponse, TLocale } from '@kefu/shared';
import {
  Badge,
  Button,
  Code,
  Group,
  Paper,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Tooltip,
  UnstyledButton,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDebouncedValue } from '@mantine/hooks';
import { IconPlus, IconSearch } from '@tabler/icons-react';
import { useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCurrentMe } from '../../api/auth.ts';
import {
  useCannedList,
  useCannedPreview,
  useDeleteCanned,
  useSaveCanned,
} from '../../api/config.ts';
import { canAdminister } from '../../auth/guards.tsx';
import { LocaleBadges } from '../../components/badges.tsx';
import { DeleteConfirmModal } from '../../components/confirm-modal.tsx';
import { EditorModal } from '../../components/editor-modal.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { FormActions } from '../../components/form-actions.tsx';
import { notifySuccess } from '../../components/notify.ts';
import { Page } from '../../components/page.tsx';
import { QueryState, ReadOnlyNote } from '../../components/query-state.tsx';
import { EditDeleteCell } from '../../components/row-actions.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { useDialog } from '../../lib/use-dialog.ts';

const VARIABLES = [
  'customer.name',
  'customer.email',
  'agent.name',
  'ticket.number',
  'exchange.name',
] as const;
const SHORTCUT = /^[\p{L}\p{N}_-]{2,40}$/u;

export function CannedPage() {
  const { t, i18n } = useTranslation();
  const uiLocale: TLocale = i18n.language === 'zh-CN' ? 'zh-CN' : 'en';
  const me = useCurrentMe();
  const list = useCannedList();
  const editor = useDialog<{ canned: TCannedResponse | null }>();
  const remover = useDialog<TCannedResponse>();
  const remove = useDeleteCanned();
  const [search, setSearch] = useState('');
  const canEdit = canAdminister(me.agent.role);
  const shown = useMemo(() => {
    const q = search.trim().toLowerCase();
    if (!q) return list.data ?? [];
    return (list.data ?? []).filter((c) =>
      [c.shortcut, c.title, c.texts.en ?? '', c.texts['zh-CN'] ?? ''].some((text) =>
        text.toLowerCase().includes(q),
      ),
    );
  }, [list.data, search]);

  return (
    <Page
      title={t('config.canned.title')}
      description={t('config.canned.description')}
      actions={
        canEdit && (
          <Button
            leftSection={<IconPlus size={16} />}
            onClick={() => editor.open({ canned: null })}
          >
            {t('config.canned.create')}
          </Button>
        )
      }
    >
      {!canEdit && <ReadOnlyNote>{t('config.canned.readOnly')}</ReadOnlyNote>}
      <QueryState query={list} empty={t('config.canned.empty')} isEmpty={(l) => l.length === 0}>
        {(all) => (
          <Stack gap="sm">
            <Group justify="space-between">
              <TextInput
                w={360}
                leftSection={<IconSearch size={16} />}
                placeholder={t('config.canned.search')}
                aria-label={t('config.canned.search')}
                value={search}
                onChange={(event) => setSearch(event.currentTarget.value)}
              />
              <Text size="sm" c="dimmed">
                {t('config.canned.count', { count: all.length })}
              </Text>
            </Group>
            {shown.length === 0 ? (
              <Text size="sm" c="dimmed">
                {t('config.canned.noMatch')}
              </Text>
            ) : (
              <Paper withBorder radius="md">
                <Table.ScrollContainer minWidth={800}>
                  <Table
                    className="kefu-table"
                    highlightOnHover
                    aria-label={t('config.canned.title')}
                  >
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>{t('config.canned.columns.shortcut')}</Table.Th>
                        <Table.Th>{t('config.canned.columns.title')}</Table.Th>
                        <Table.Th>{t('config.canned.columns.languages')}</Table.Th>
                        <Table.Th>{t('config.canned.columns.updated')}</Table.Th>
                        {canEdit && <Table.Th ta="right">{t('common.actions')}</Table.Th>}
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {shown.map((canned) => (
                        <Table.Tr key={canned.id}>
                          <Table.Td>
                            <Code>/{canned.shortcut}</Code>
                          </Table.Td>
                          <Table.Td className="kefu-wrap" miw={260}>
                            <Text size="sm" fw={600}>
                              {canned.title}
                            </Text>
                            <Text size="xs" c="dimmed" lineClamp={1}>
                              {canned.texts[uiLocale] ?? canned.texts.en ?? canned.texts['zh-CN']}
                            </Text>
                          </Table.Td>
                          <Table.Td>
                            <LocaleBadges
                              locales={(['zh-CN', 'en'] as const).filter((l) => canned.texts[l])}
                            />
                          </Table.Td>
                          <Table.Td className="kefu-nowrap">
                            <Text size="sm">{formatDateTime(canned.updatedAt)}</Text>
                          </Table.Td>
                          {canEdit && (
                            <EditDeleteCell
                              editLabel={t('config.canned.editFor', {
                                shortcut: canned.shortcut,
                              })}
                              deleteLabel={t('config.canned.deleteFor', {
                                shortcut: canned.shortcut,
                              })}
                              onEdit={() => editor.open({ canned })}
                              onDelete={() => {
                                remove.reset();
                                remover.open(canned);
                              }}
                            />
                          )}
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </Table.ScrollContainer>
              </Paper>
            )}
          </Stack>
        )}
      </QueryState>
      <EditorModal
        dialog={editor}
        size="xl"
        title={
          editor.value?.canned
            ? t('config.canned.editTitle', { shortcut: editor.value.canned.shortcut })
            : t('config.canned.createTitle')
        }
      >
        <CannedForm canned={editor.value?.canned ?? null} onClose={editor.close} />
      </EditorModal>
      <DeleteConfirmModal
        dialog={remover}
        mutation={remove}
        title={t('config.canned.deleteTitle')}
        confirmLabel={t('config.canned.deleteFor', { shortcut: remover.value?.shortcut ?? '' })}
        deleted={(canned) => t('config.canned.deleted', { shortcut: canned.shortcut })}
      >
        {t('config.canned.deleteBody', { shortcut: remover.value?.shortcut ?? '' })}
      </DeleteConfirmModal>
    </Page>
  );
}

type Values = { shortcut: string; title: string; en: string; zh: string };

function CannedForm({ canned, onClose }: { canned: TCannedResponse | null; onClose: () => void }) {
  const { t } = useTranslation();
  const save = useSaveCanned();
  const [locale, setLocale] = useState<TLocale>(
    canned && !canned.texts.en && canned.texts['zh-CN'] ? 'zh-CN' : 'en',
  );
  const fields = { en: useRef<HTMLTextAreaElement>(null), zh: useRef<HTMLTextAreaElement>(null) };
  const [focused, setFocused] = useState<'en' | 'zh'>('en');
  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: {
      shortcut: canned?.shortcut ?? '',
      title: canned?.title ?? '',
      en: canned?.texts.en ?? '',
      zh: canned?.texts['zh-CN'] ?? '',
    },
    validate: {
      shortcut: (value) =>
        SHORTCUT.test(value.trim()) ? null : t('config.canned.validation.shortcut'),
      title: (value) => (value.trim() ? null : t('config.canned.validation.title')),
      en: (value, values) =>
        value.trim() || values.zh.trim() ? null : t('config.canned.validation.text'),
    },
  });
  const text = locale === 'en' ? form.values.en : form.values.zh;
  const [debounced] = useDebouncedValue(text, 250);
  const preview = useCannedPreview(debounced, locale);

  const insert = (variable: string) => {
    const field = focused;
    const element = fields[field].current;
    const token = `{{${variable}}}`;
    const current = form.values[field];
    const start = element?.selectionStart ?? current.length;
    const end = element?.selectionEnd ?? current.length;
    form.setFieldValue(field, current.slice(0, start) + token + current.slice(end));
    requestAnimationFrame(() => {
      element?.focus();
      element?.setSelectionRange(start + token.length, start + token.length);
    });
  };

  const submit = (values: Values) => {
    const texts: TCannedResponse['texts'] = {};
    if (values.en.trim()) texts.en = values.en;
    if (values.zh.trim()) texts['zh-CN'] = values.zh;
    save.mutate(
      {
        id: canned?.id ?? null,
        shortcut: values.shortcut.trim(),
        title: values.title.trim(),
        texts,
      },
      {
        onSuccess: (saved) => {
          notifySuccess(
            t(canned ? 'config.canned.updated' : 'config.canned.created', {
              shortcut: saved.shortcut,
            }),
          );
          onClose();
        },
      },
    );
  };

  return (
    <form onSubmit={form.onSubmit(submit)} noValidate>
      <Stack gap="sm">
        {save.error && <ErrorAlert error={save.error} />}
        <SimpleGrid cols={2} spacing="sm">
          <TextInput
            label={t('config.canned.field.shortcut')}
            description={t('config.canned.field.shortcutHint')}
            inputWrapperOrder={['label', 'input', 'description', 'error']}
            leftSection={<Text size="sm">/</Text>}
            required
            data-autofocus
            maxLength={40}
            {...form.getInputProps('shortcut')}
          />
          <TextInput
            label={t('config.canned.field.title')}
            required
            maxLength={120}
            {...form.getInputProps('title')}
          />
        </SimpleGrid>
        <SimpleGrid cols={2} spacing="sm">
          <Textarea
            ref={fields.en}
            label={t('config.canned.field.textEn')}
            autosize
            minRows={5}
            maxRows={12}
            maxLength={5000}
            {...form.getInputProps('en')}
            onFocus={() => {
              setFocused('en');
              setLocale('en');
            }}
          />
          <Textarea
            ref={fields.zh}
            label={t('config.canned.field.textZh')}
            autosize
            minRows={5}
            maxRows={12}
            maxLength={5000}
            {...form.getInputProps('zh')}
            onFocus={() => {
              setFocused('zh');
              setLocale('zh-CN');
            }}
          />
        </SimpleGrid>
        <Text size="xs" c="dimmed">
          {t('config.canned.field.textHint')}
        </Text>
        <Stack gap={4}>
          <Text size="sm" fw={500}>
            {t('config.canned.variables')}
          </Text>
          <Text size="xs" c="dimmed">
            {t('config.canned.variablesHint')}
          </Text>
          <Group gap={6}>
            {VARIABLES.map((variable) => (
              <Tooltip key={variable} label={t(`config.canned.variable.${variable}`)}>
                <UnstyledButton
                  onMouseDown={(event) => event.preventDefault()}
                  onClick={() => insert(variable)}
                  aria-label={`{{${variable}}} · ${t(`config.canned.variable.${variable}`)}`}
                >
                  <Badge variant="light" color="gray" tt="none" style={{ cursor: 'pointer' }}>
                    {`{{${variable}}}`}
                  </Badge>
                </UnstyledButton>
              </Tooltip>
            ))}
          </Group>
        </Stack>
        <Paper withBorder p="sm" radius="md" bg="var(--mantine-color-default-hover)">
          <Group justify="space-between" mb={6}>
            <Text size="sm" fw={600}>
              {t('config.canned.preview')}{' '}
              <Text span size="xs" c="dimmed" fw={400}>
                {t('config.canned.previewHint')}
              </Text>
            </Text>
            <SegmentedControl
              size="xs"
              aria-label={t('config.canned.preview')}
              data={[
                { value: 'en', label: 'EN' },
                { value: 'zh-CN', label: '中文' },
              ]}
              value={locale}
              onChange={(value) => setLocale(value === 'zh-CN' ? 'zh-CN' : 'en')}
            />
          </Group>
          {!text.trim() ? (
            <Text size="sm" c="dimmed">
              {t('config.canned.previewEmpty')}
            </Text>
          ) : preview.isError ? (
            <ErrorAlert error={preview.error} />
          ) : (
            <>
              <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} data-testid="canned-preview">
                {preview.data?.text ?? ''}
              </Text>
              {preview.data && preview.data.unknown.length > 0 && (
                <Text size="xs" c="orange" mt={6}>
                  {t('config.canned.unknownVariables', {
                    names: preview.data.unknown.map((n) => `{{${n}}}`).join(', '),
                  })}
                </Text>
              )}
            </>
          )}
        </Paper>
        <FormActions onCancel={onClose} loading={save.isPending} editing={!!canned} />
      </Stack>
    </form>
  );
}
