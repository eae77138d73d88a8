import {
  Badge,
  Button,
  Checkbox,
  Group,
  NumberInput,
  Paper,
  PasswordInput,
  SimpleGrid,
  Spoiler,
  Stack,
  Switch,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCurrentMe } from '../../api/auth.ts';
import {
  type TAssistantSettings,
  type TIntent,
  type TLlmSettings,
  useAssistantSettings,
  useDeleteIntent,
  useIntents,
  useLlmSettings,
  useSaveAssistantSettings,
  useSaveIntent,
  useSaveLlmSettings,
} from '../../api/config.ts';
import { DeleteConfirmModal } from '../../components/confirm-modal.tsx';
import { EditorModal } from '../../components/editor-modal.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { FormActions } from '../../components/form-actions.tsx';
import { notifySuccess } from '../../components/notify.ts';
import { Page } from '../../components/page.tsx';
import { QueryState, ReadOnlyNote } from '../../components/query-state.tsx';
import { EditDeleteCell } from '../../components/row-actions.tsx';
import { SegmentedField } from '../../components/segmented-field.tsx';
import { useDialog } from '../../lib/use-dialog.ts';

const INTENT_NAME = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/;

export function AssistantPage() {
  const { t } = useTranslation();
  const me = useCurrentMe();
  const settings = useAssistantSettings();
  const canEdit = me.agent.role === 'admin';
  return (
    <Page
      title={t('config.assistant.title')}
      description={t('config.assistant.description')}
      maw={1100}
    >
      {!canEdit && <ReadOnlyNote>{t('config.assistant.readOnly')}</ReadOnlyNote>}
      <QueryState query={settings} empty="" isEmpty={() => false}>
        {(data) => <SettingsForm key={JSON.stringify(data)} settings={data} canEdit={canEdit} />}
      </QueryState>
      {canEdit && <LlmSettings />}
      <Intents canEdit={canEdit} />
    </Page>
  );
}

function SettingsForm({ settings, canEdit }: { settings: TAssistantSettings; canEdit: boolean }) {
  const { t } = useTranslation();
  const save = useSaveAssistantSettings();
  const [enabled, setEnabled] = useState(settings.enabled);
  const [vip, setVip] = useState<number | string>(settings.humanForVipFrom ?? '');
  const submit = () =>
    save.mutate(
      { ...settings, enabled, humanForVipFrom: vip === '' ? null : Number(vip) },
      { onSuccess: () => notifySuccess(t('config.assistant.saved')) },
    );
  return (
    <Paper withBorder p="md" radius="md">
      <Stack gap="md">
        <Title order={3} fz="md">
          {t('config.assistant.settings')}
        </Title>
        {save.error && <ErrorAlert error={save.error} />}
        <Switch
          label={t('config.assistant.enabled')}
          description={t('config.assistant.enabledHint')}
          checked={enabled}
          disabled={!canEdit}
          onChange={(event) => setEnabled(event.currentTarget.checked)}
        />
        <NumberInput
          w={320}
          label={t('config.assistant.vip')}
          description={t('config.assistant.vipHint')}
          placeholder={t('config.assistant.vipFrom')}
          min={0}
          max={20}
          allowDecimal={false}
          allowNegative={false}
          disabled={!canEdit}
          value={vip}
          onChange={setVip}
        />
        {canEdit && (
          <Group justify="flex-end">
            <Button onClick={submit} loading={save.isPending}>
              {t('common.save')}
            </Button>
          </Group>
        )}
      </Stack>
    </Paper>
  );
}

function LlmSettings() {
  const { t } = useTranslation();
  const llm = useLlmSettings(true);
  return (
    <Paper withBorder p="md" radius="md">
      <Stack gap="sm">
        <Title order={3} fz="md">
          {t('config.assistant.llm')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('config.assistant.llmHint')}
        </Text>
        <QueryState query={llm} empty="" isEmpty={() => false}>
          {(data) => <LlmForm key={JSON.stringify(data)} settings={data} />}
        </QueryState>
      </Stack>
    </Paper>
  );
}

type LlmValues = { enabled: boolean; baseUrl: string; model: string; apiKey: string };

function LlmForm({ settings }: { settings: TLlmSettings }) {
  const { t } = useTranslation();
  const save = useSaveLlmSettings();
  const [removeKey, setRemoveKey] = useState(false);
  const form = useForm<LlmValues>({
    mode: 'controlled',
    initialValues: {
      enabled: settings.enabled,
      baseUrl: settings.baseUrl,
      model: settings.model,
      apiKey: '',
    },
  });
  const submit = (values: LlmValues) => {
    const apiKey = values.apiKey.trim() ? values.apiKey.trim() : removeKey ? null : undefined;
    save.mutate(
      {
        enabled: values.enabled,
        baseUrl: values.baseUrl.trim(),
        model: values.model.trim(),
        ...(apiKey !== undefined ? { apiKey } : {}),
      },
      { onSuccess: () => notifySuccess(t('config.assistant.llmSaved')) },
    );
  };
  return (
    <form onSubmit={form.onSubmit(submit)} noValidate>
      <Stack gap="sm">
        {settings.source === 'environment' && settings.enabled && (
          <Text size="xs" c="dimmed">
            {t('config.assistant.llmFromEnvironment')}
          </Text>
        )}
        {save.error && <ErrorAlert error={save.error} />}
        <Switch
          label={t('config.assistant.llmEnabled')}
          {...form.getInputProps('enabled', { type: 'checkbox' })}
        />
        <SimpleGrid cols={2} spacing="sm">
          <TextInput
            label={t('config.assistant.llmUrl')}
            placeholder={t('config.assistant.llmUrlPlaceholder')}
            maxLength={500}
            {...form.getInputProps('baseUrl')}
          />
          <TextInput
            label={t('config.assistant.llmModel')}
            maxLength={100}
            {...form.getInputProps('model')}
          />
        </SimpleGrid>
        <PasswordInput
          label={t('config.assistant.llmKey')}
          description={
            settings.apiKeySet ? t('config.assistant.llmKeySet') : t('config.assistant.llmKeyNone')
          }
          placeholder={t('config.assistant.llmKeyPlaceholder')}
          autoComplete="new-password"
          maxLength={500}
          {...form.getInputProps('apiKey')}
        />
        {settings.apiKeySet && (
          <Checkbox
            label={t('config.assistant.llmRemoveKey')}
            checked={removeKey}
            onChange={(event) => setRemoveKey(event.currentTarget.checked)}
          />
        )}
        <Group justify="flex-end">
          <Button type="submit" loading={save.isPending}>
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function Intents({ canEdit }: { canEdit: boolean }) {
  const { t, i18n } = useTranslation();
  const intents = useIntents();
  const editor = useDialog<{ intent: TIntent | null }>();
  const remover = useDialog<TIntent>();
  const remove = useDeleteIntent();
  const locale = i18n.language === 'zh-CN' ? 'zh-CN' : 'en';
  return (
    <Paper withBorder p="md" radius="md">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={3} fz="md">
            {t('config.assistant.intents')}
          </Title>
          {canEdit && (
            <Button
              size="xs"
              leftSection={<IconPlus size={14} />}
              onClick={() => editor.open({ intent: null })}
            >
              {t('config.assistant.createIntent')}
            </Button>
          )}
        </Group>
        <Text size="sm" c="dimmed">
          {t('config.assistant.intentsHint')}
        </Text>
        <QueryState query={intents} empty="" isEmpty={() => false}>
          {(data) => (
            <Stack gap="sm">
              <Text size="sm" fw={600}>
                {t('config.assistant.custom')}
              </Text>
              {data.custom.length === 0 ? (
                <Text size="sm" c="dimmed">
                  {t('config.assistant.customEmpty')}
                </Text>
              ) : (
                <Table className="kefu-table" aria-label={t('config.assistant.custom')}>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('config.assistant.columns.name')}</Table.Th>
                      <Table.Th>{t('config.assistant.columns.examples')}</Table.Th>
                      <Table.Th>{t('config.assistant.columns.handoff')}</Table.Th>
                      <Table.Th>{t('config.assistant.columns.reply')}</Table.Th>
                      {canEdit && <Table.Th ta="right">{t('common.actions')}</Table.Th>}
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {data.custom.map((intent) => (
                      <Table.Tr key={intent.id}>
                        <Table.Td>
                          <Text size="sm" ff="monospace" fw={600}>
                            {intent.name}
                          </Text>
                          {intent.description && (
                            <Text size="xs" c="dimmed" lineClamp={1}>
                              {intent.description}
                            </Text>
                          )}
                        </Table.Td>
                        <Table.Td className="kefu-nowrap">
                          {t('config.assistant.examplesCount', { count: intent.examples.length })}
                        </Table.Td>
                        <Table.Td>
                          <Badge
                            size="sm"
                            variant="light"
                            color={intent.handoff === 'always' ? 'orange' : 'blue'}
                          >
                            {t(`config.assistant.handoff.${intent.handoff}`)}
                          </Badge>
                        </Table.Td>
                        <Table.Td className="kefu-wrap" miw={200}>
                          <Text size="sm" c="dimmed" lineClamp={2}>
                            {intent.replies[locale] ??
                              intent.replies.en ??
                              intent.replies['zh-CN'] ??
                              t('common.none')}
                          </Text>
                        </Table.Td>
                        {canEdit && (
                          <EditDeleteCell
                            editLabel={t('config.assistant.editIntentFor', {
                              name: intent.name,
                            })}
                            deleteLabel={t('config.assistant.deleteIntentFor', {
                              name: intent.name,
                            })}
                            onEdit={() => editor.open({ intent })}
                            onDelete={() => {
                              remove.reset();
                              remover.open(intent);
                            }}
                          />
                        )}
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              )}
              <Text size="sm" fw={600}>
                {t('config.assistant.builtIn', { count: data.builtIn.length })}
              </Text>
              <Spoiler maxHeight={64} showLabel="…" hideLabel="↑">
                <Group gap={4}>
                  {data.builtIn.map((name) => (
                    <Badge key={name} size="sm" variant="default" tt="none" ff="monospace">
                      {name}
                    </Badge>
                  ))}
                </Group>
              </Spoiler>
            </Stack>
          )}
        </QueryState>
      </Stack>
      <EditorModal
        dialog={editor}
        size="lg"
        title={
          editor.value?.intent
            ? t('config.assistant.editIntentTitle', { name: editor.value.intent.name })
            : t('config.assistant.createIntentTitle')
        }
      >
        <IntentForm intent={editor.value?.intent ?? null} onClose={editor.close} />
      </EditorModal>
      <DeleteConfirmModal
        dialog={remover}
        mutation={remove}
        title={t('config.assistant.deleteIntentTitle')}
        confirmLabel={t('config.assistant.deleteIntentFor', { name: remover.value?.name ?? '' })}
        deleted={(intent) => t('config.assistant.intentDeleted', { name: intent.name })}
      >
        {t('config.assistant.deleteIntentBody', { name: remover.value?.name ?? '' })}
      </DeleteConfirmModal>
    </Paper>
  );
}

type IntentValues = {
  name: string;
  description: string;
  examples: string;
  en: string;
  zh: string;
  handoff: 'never' | 'always';
};

const lines = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);

function IntentForm({ intent, onClose }: { intent: TIntent | null; onClose: () => void }) {
  const { t } = useTranslation();
  const save = useSaveIntent();
  const form = useForm<IntentValues>({
    mode: 'controlled',
    initialValues: {
      name: intent?.name ?? '',
      description: intent?.description ?? '',
      examples: intent?.examples.join('\n') ?? '',
      en: intent?.replies.en ?? '',
      zh: intent?.replies['zh-CN'] ?? '',
      handoff: intent?.handoff ?? 'never',
    },
    validate: {
      name: (v) => (INTENT_NAME.test(v.trim()) ? null : t('config.assistant.validation.name')),
      examples: (v) => (lines(v).length >= 5 ? null : t('config.assistant.validation.examples')),
    },
  });
  const submit = (values: IntentValues) => {
    const replies: TIntent['replies'] = {};
    if (values.en.trim()) replies.en = values.en.trim();
    if (values.zh.trim()) replies['zh-CN'] = values.zh.trim();
    save.mutate(
      {
        id: intent?.id ?? null,
        name: values.name.trim(),
        description: values.description.trim(),
        examples: lines(values.examples),
        replies,
        handoff: values.handoff,
      },
      {
        onSuccess: (saved) => {
          notifySuccess(t('config.assistant.intentSaved', { name: saved.name }));
          onClose();
        },
      },
    );
  };
  return (
    <form onSubmit={form.onSubmit(submit)} noValidate>
      <Stack gap="sm">
        {save.error && <ErrorAlert error={save.error} />}
        <TextInput
          label={t('config.assistant.field.name')}
          description={t('config.assistant.field.nameHint')}
          required
          data-autofocus
          maxLength={60}
          {...form.getInputProps('name')}
        />
        <TextInput
          label={t('config.assistant.field.description')}
          maxLength={500}
          {...form.getInputProps('description')}
        />
        <Textarea
          label={t('config.assistant.field.examples')}
          description={t('config.assistant.field.examplesHint')}
          required
          autosize
          minRows={5}
          maxRows={10}
          {...form.getInputProps('examples')}
        />
        <SimpleGrid cols={2} spacing="sm">
          <Textarea
            label={t('config.assistant.field.replyEn')}
            description={t('config.assistant.field.replyHint')}
            autosize
            minRows={3}
            maxRows={6}
            maxLength={2000}
            {...form.getInputProps('en')}
          />
          <Textarea
            label={t('config.assistant.field.replyZh')}
            description={t('config.assistant.field.replyHint')}
            autosize
            minRows={3}
            maxRows={6}
            maxLength={2000}
            {...form.getInputProps('zh')}
          />
        </SimpleGrid>
        <SegmentedField
          label={t('config.assistant.field.handoff')}
          data={[
            { value: 'never', label: t('config.assistant.handoff.never') },
            { value: 'always', label: t('config.assistant.handoff.always') },
          ]}
          value={form.values.handoff}
          onChange={(value) => form.setFieldValue('handoff', value)}
        />
        <FormActions onCancel={onClose} loading={save.isPending} editing={!!intent} />
      </Stack>
    </form>
  );
}
