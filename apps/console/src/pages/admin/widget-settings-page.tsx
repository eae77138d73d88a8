import type { TPreChatField, TPreChatTopic, TWidgetInbox } from '@kefu/shared';
import {
  ActionIcon,
  Alert,
  Button,
  Code,
  ColorInput,
  Group,
  Loader,
  Modal,
  Paper,
  SegmentedControl,
  Select,
  Stack,
  TagsInput,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconKey, IconPlus, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  useRegenerateIdentitySecret,
  useUpdateWidgetInbox,
  useWidgetInboxes,
} from '../../api/widget-settings.ts';
import { ConfirmModal } from '../../components/confirm-modal.tsx';
import { CopyAction } from '../../components/copy-action.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { notifySuccess } from '../../components/notify.ts';
import { Page } from '../../components/page.tsx';

const FIELDS = ['name', 'email', 'topic'] as const;

export function WidgetSettingsPage() {
  const { t } = useTranslation();
  const inboxes = useWidgetInboxes();
  const [chosen, setChosen] = useState<string | null>(null);
  const list = inboxes.data ?? [];
  const inbox = list.find((i) => i.id === chosen) ?? list[0];

  return (
    <Page
      title={t('widgetSettings.title')}
      description={t('widgetSettings.description')}
      actions={
        list.length > 1 && (
          <Select
            aria-label={t('widgetSettings.choose')}
            data={list.map((i) => ({ value: i.id, label: i.name }))}
            value={inbox?.id ?? null}
            onChange={setChosen}
            allowDeselect={false}
            w={240}
          />
        )
      }
    >
      {inboxes.isPending ? (
        <Loader size="sm" aria-label={t('common.loading')} />
      ) : inboxes.isError ? (
        <ErrorAlert error={inboxes.error} />
      ) : !inbox ? (
        <Paper withBorder p="lg" radius="md">
          <Text c="dimmed" size="sm">
            {t('widgetSettings.empty')}
          </Text>
        </Paper>
      ) : (
        <WidgetSettings key={inbox.id} inbox={inbox} />
      )}
    </Page>
  );
}

type Values = {
  name: string;
  allowedOrigins: string[];
  color: string;
  greetingEn: string;
  greetingZh: string;
  name_mode: TPreChatField;
  email_mode: TPreChatField;
  topic_mode: TPreChatField;
  topics: TPreChatTopic[];
};

function WidgetSettings({ inbox }: { inbox: TWidgetInbox }) {
  const { t, i18n } = useTranslation();
  const update = useUpdateWidgetInbox();
  const [previewLocale, setPreviewLocale] = useState(i18n.language === 'zh-CN' ? 'zh-CN' : 'en');
  const [previewKey, setPreviewKey] = useState(0);
  const origin = window.location.origin;
  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: {
      name: inbox.name,
      allowedOrigins: inbox.allowedOrigins,
      color: inbox.config.color,
      greetingEn: inbox.config.greeting.en,
      greetingZh: inbox.config.greeting['zh-CN'],
      name_mode: inbox.config.preChat.name,
      email_mode: inbox.config.preChat.email,
      topic_mode: inbox.config.preChat.topic,
      topics: inbox.config.preChat.topics,
    },
  });

  const submit = (values: Values) => {
    update.mutate(
      {
        id: inbox.id,
        name: values.name.trim(),
        allowedOrigins: values.allowedOrigins,
        color: values.color,
        greeting: { en: values.greetingEn, 'zh-CN': values.greetingZh },
        preChat: {
          name: values.name_mode,
          email: values.email_mode,
          topic: values.topic_mode,
          topics: values.topics,
        },
      },
      {
        onSuccess: () => {
          notifySuccess(t('widgetSettings.saved'));
          setPreviewKey((k) => k + 1);
        },
      },
    );
  };

  const snippet = `<script src="${origin}/widget.js" data-site-token="${inbox.siteToken}" async></script>`;

  return (
    <div className="kefu-widget-settings">
      <div>
        <form onSubmit={form.onSubmit(submit)} noValidate>
          <Stack gap="md">
            {update.error && <ErrorAlert error={update.error} />}
            <Paper withBorder radius="md" p="md">
              <Stack gap="sm">
                <Title order={3} fz="md">
                  {t('widgetSettings.general')}
                </Title>
                <TextInput
                  label={t('widgetSettings.name')}
                  maxLength={120}
                  {...form.getInputProps('name')}
                />
                <TextInput
                  label={t('widgetSettings.siteToken')}
                  description={t('widgetSettings.siteTokenHint')}
                  value={inbox.siteToken}
                  readOnly
                  className="kefu-mono"
                />
                <TagsInput
                  label={t('widgetSettings.allowedOrigins')}
                  description={t('widgetSettings.allowedOriginsHint')}
                  {...form.getInputProps('allowedOrigins')}
                />
                <ColorInput
                  label={t('widgetSettings.color')}
                  format="hex"
                  w={220}
                  {...form.getInputProps('color')}
                />
                <Textarea
                  label={t('widgetSettings.greetingEn')}
                  description={t('widgetSettings.greetingHint')}
                  autosize
                  minRows={2}
                  maxLength={500}
                  {...form.getInputProps('greetingEn')}
                />
                <Textarea
                  label={t('widgetSettings.greetingZh')}
                  autosize
                  minRows={2}
                  maxLength={500}
                  {...form.getInputProps('greetingZh')}
                />
              </Stack>
            </Paper>
            <Paper withBorder radius="md" p="md">
              <Stack gap="sm">
                <div>
                  <Title order={3} fz="md">
                    {t('widgetSettings.preChat')}
                  </Title>
                  <Text size="xs" c="dimmed">
                    {t('widgetSettings.preChatHint')}
                  </Text>
                </div>
                {FIELDS.map((field) => (
                  <Group key={field} justify="space-between" wrap="nowrap">
                    <Text size="sm" fw={600} id={`prechat-${field}`}>
                      {t(`widgetSettings.field.${field}`)}
                    </Text>
                    <SegmentedControl
                      size="xs"
                      aria-labelledby={`prechat-${field}`}
                      data={(['off', 'optional', 'required'] as const).map((mode) => ({
                        value: mode,
                        label: t(`widgetSettings.mode.${mode}`),
                      }))}
                      value={form.values[`${field}_mode`]}
                      onChange={(value) =>
                        form.setFieldValue(`${field}_mode`, value as TPreChatField)
                      }
                    />
                  </Group>
                ))}
                {form.values.topic_mode !== 'off' && (
                  <Stack gap={6}>
                    <Text size="sm" fw={600}>
                      {t('widgetSettings.topics')}
                    </Text>
                    {form.values.topics.map((topic, index) => (
                      // A new row has no id until the admin types one: its place is its identity.
                      // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place
                      <Group key={index} gap="xs" wrap="nowrap" data-testid="topic-row">
                        <TextInput
                          size="xs"
                          aria-label={t('widgetSettings.topicId')}
                          placeholder={t('widgetSettings.topicId')}
                          w={120}
                          {...form.getInputProps(`topics.${index}.id`)}
                        />
                        <TextInput
                          size="xs"
                          aria-label={t('widgetSettings.topicEn')}
                          placeholder={t('widgetSettings.topicEn')}
                          style={{ flex: 1 }}
                          {...form.getInputProps(`topics.${index}.en`)}
                        />
                        <TextInput
                          size="xs"
                          aria-label={t('widgetSettings.topicZh')}
                          placeholder={t('widgetSettings.topicZh')}
                          style={{ flex: 1 }}
                          {...form.getInputProps(`topics.${index}.zh-CN`)}
                        />
                        <ActionIcon
                          variant="subtle"
                          color="gray"
                          aria-label={t('widgetSettings.removeTopic', {
                            name: topic.en || topic.id,
                          })}
                          onClick={() => form.removeListItem('topics', index)}
                        >
                          <IconTrash size={16} />
                        </ActionIcon>
                      </Group>
                    ))}
                    <Group>
                      <Button
                        size="xs"
                        variant="light"
                        leftSection={<IconPlus size={14} />}
                        onClick={() =>
                          form.insertListItem('topics', { id: '', en: '', 'zh-CN': '' })
                        }
                      >
                        {t('widgetSettings.addTopic')}
                      </Button>
                    </Group>
                  </Stack>
                )}
              </Stack>
            </Paper>
            <Group justify="flex-end">
              <Button type="submit" loading={update.isPending}>
                {t('widgetSettings.save')}
              </Button>
            </Group>
            <IdentitySecret inbox={inbox} />
          </Stack>
        </form>
      </div>
      <div>
        <Stack gap="md">
          <Paper withBorder radius="md" p="md">
            <Stack gap="xs">
              <Group justify="space-between">
                <Title order={3} fz="md">
                  {t('widgetSettings.embed')}
                </Title>
                <CopyAction value={snippet} />
              </Group>
              <Text size="xs" c="dimmed">
                {t('widgetSettings.embedHint')}
              </Text>
              <Code block data-testid="embed-snippet" style={{ whiteSpace: 'pre-wrap' }}>
                {snippet}
              </Code>
            </Stack>
          </Paper>
          <Paper withBorder radius="md" p="md">
            <Stack gap="xs">
              <Group justify="space-between">
                <div>
                  <Title order={3} fz="md">
                    {t('widgetSettings.preview')}
                  </Title>
                  <Text size="xs" c="dimmed">
                    {t('widgetSettings.previewHint')}
                  </Text>
                </div>
                <SegmentedControl
                  size="xs"
                  aria-label={t('widgetSettings.previewLanguage')}
                  data={[
                    { value: 'en', label: 'EN' },
                    { value: 'zh-CN', label: '中文' },
                  ]}
                  value={previewLocale}
                  onChange={setPreviewLocale}
                />
              </Group>
              <iframe
                key={`${previewKey}-${previewLocale}`}
                title={t('widgetSettings.previewTitle')}
                src={`/widget-preview?siteToken=${encodeURIComponent(inbox.siteToken)}&locale=${previewLocale}`}
                style={{
                  width: '100%',
                  height: 620,
                  border: '1px solid var(--mantine-color-default-border)',
                  borderRadius: 8,
                }}
              />
            </Stack>
          </Paper>
        </Stack>
      </div>
    </div>
  );
}

function IdentitySecret({ inbox }: { inbox: TWidgetInbox }) {
  const { t } = useTranslation();
  const regenerate = useRegenerateIdentitySecret();
  const [confirming, setConfirming] = useState(false);
  const secret = regenerate.data?.identitySecret;
  return (
    <Paper withBorder radius="md" p="md">
      <Stack gap="xs">
        <Title order={3} fz="md">
          {t('widgetSettings.identity')}
        </Title>
        <Text size="xs" c="dimmed">
          {t('widgetSettings.identityText')}
        </Text>
        <Group justify="space-between">
          <Text size="sm" className="kefu-mono">
            {t('widgetSettings.identityCurrent', { hint: inbox.identitySecretHint })}
          </Text>
          <Button
            size="xs"
            variant="default"
            leftSection={<IconKey size={14} />}
            onClick={() => {
              regenerate.reset();
              setConfirming(true);
            }}
          >
            {t('widgetSettings.regenerate')}
          </Button>
        </Group>
      </Stack>
      <ConfirmModal
        opened={confirming && !secret}
        title={t('widgetSettings.regenerate')}
        confirmLabel={t('widgetSettings.regenerate')}
        loading={regenerate.isPending}
        error={regenerate.error}
        onClose={() => setConfirming(false)}
        onConfirm={() => regenerate.mutate(inbox.id)}
      >
        {t('widgetSettings.regenerateConfirm')}
      </ConfirmModal>
      <Modal
        opened={confirming && Boolean(secret)}
        onClose={() => {
          setConfirming(false);
          regenerate.reset();
        }}
        title={t('widgetSettings.newSecret')}
      >
        <Stack gap="md">
          <Alert color="yellow" variant="light">
            {t('widgetSettings.newSecretText')}
          </Alert>
          <Group gap="xs" wrap="nowrap">
            <Code block className="kefu-mono" data-testid="identity-secret" style={{ flex: 1 }}>
              {secret}
            </Code>
            <CopyAction value={secret ?? ''} />
          </Group>
          <Group justify="flex-end">
            <Button
              onClick={() => {
                setConfirming(false);
                regenerate.reset();
              }}
            >
              {t('common.done')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Paper>
  );
}
