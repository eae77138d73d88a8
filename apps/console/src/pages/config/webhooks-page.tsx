import type { TWebhook, TWebhookCreated, TWebhookDelivery, TWebhookEvent } from '@kefu/shared';
import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Checkbox,
  Code,
  Drawer,
  Group,
  Loader,
  Modal,
  Paper,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconHistory, IconPlus, IconSend, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  useCreateWebhook,
  useDeleteWebhook,
  useTestWebhook,
  useUpdateWebhook,
  useWebhookDeliveries,
  useWebhooks,
} from '../../api/config.ts';
import { DeleteConfirmModal } from '../../components/confirm-modal.tsx';
import { CopyAction } from '../../components/copy-action.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { FormActions } from '../../components/form-actions.tsx';
import { notifyError, notifySuccess } from '../../components/notify.ts';
import { Page } from '../../components/page.tsx';
import { QueryState } from '../../components/query-state.tsx';
import { formatDateTime, formatTimestamp } from '../../lib/format.ts';
import { useDialog } from '../../lib/use-dialog.ts';

const EVENTS: readonly TWebhookEvent[] = [
  'conversation.created',
  'conversation.status_changed',
  'conversation.assigned',
  'message.created',
  'csat.submitted',
];
const STATUS_COLORS: Record<TWebhookDelivery['status'], string> = {
  pending: 'yellow',
  delivered: 'teal',
  failed: 'red',
};

function useEventLabel() {
  const { t } = useTranslation();
  return (event: string): string =>
    (EVENTS as readonly string[]).includes(event)
      ? String(t(`config.webhooks.events.${event as TWebhookEvent}`))
      : event;
}

export function WebhooksPage() {
  const { t } = useTranslation();
  const eventLabel = useEventLabel();
  const webhooks = useWebhooks();
  const creator = useDialog<true>();
  const [secret, setSecret] = useState<TWebhookCreated | null>(null);
  const log = useDialog<TWebhook>();
  const remover = useDialog<TWebhook>();
  const remove = useDeleteWebhook();
  const update = useUpdateWebhook();
  const test = useTestWebhook();

  const sendTest = (webhook: TWebhook) =>
    test.mutate(webhook.id, {
      onSuccess: (delivery) => {
        if (delivery.status === 'delivered')
          notifySuccess(t('config.webhooks.testDelivered', { status: delivery.responseStatus }));
        else
          notifyError(
            null,
            t('config.webhooks.testFailed', {
              error: delivery.error ?? `HTTP ${delivery.responseStatus ?? '—'}`,
            }),
          );
        log.open(webhook);
      },
      onError: (error) => notifyError(error),
    });

  return (
    <Page
      title={t('config.webhooks.title')}
      description={t('config.webhooks.description')}
      actions={
        <Button leftSection={<IconPlus size={16} />} onClick={() => creator.open(true)}>
          {t('config.webhooks.create')}
        </Button>
      }
    >
      <QueryState
        query={webhooks}
        empty={t('config.webhooks.empty')}
        isEmpty={(l) => l.length === 0}
      >
        {(list) => (
          <Paper withBorder radius="md">
            <Table.ScrollContainer minWidth={900}>
              <Table
                className="kefu-table"
                highlightOnHover
                aria-label={t('config.webhooks.title')}
              >
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('config.webhooks.columns.url')}</Table.Th>
                    <Table.Th>{t('config.webhooks.columns.events')}</Table.Th>
                    <Table.Th>{t('config.webhooks.columns.status')}</Table.Th>
                    <Table.Th>{t('config.webhooks.columns.created')}</Table.Th>
                    <Table.Th ta="right">{t('common.actions')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {list.map((webhook) => (
                    <Table.Tr key={webhook.id}>
                      <Table.Td className="kefu-wrap" miw={220}>
                        <Text size="sm" ff="monospace" style={{ wordBreak: 'break-all' }}>
                          {webhook.url}
                        </Text>
                      </Table.Td>
                      <Table.Td className="kefu-wrap" miw={220}>
                        <Group gap={4}>
                          {webhook.events.map((event) => (
                            <Badge key={event} size="sm" variant="light" color="gray" tt="none">
                              {eventLabel(event)}
                            </Badge>
                          ))}
                        </Group>
                      </Table.Td>
                      <Table.Td className="kefu-nowrap">
                        <Switch
                          size="sm"
                          aria-label={t('config.webhooks.enableFor', { url: webhook.url })}
                          label={
                            webhook.active
                              ? t('config.webhooks.active')
                              : t('config.webhooks.paused')
                          }
                          checked={webhook.active}
                          disabled={update.isPending && update.variables?.id === webhook.id}
                          onChange={(event) => {
                            const active = event.currentTarget.checked;
                            update.mutate(
                              { id: webhook.id, active },
                              {
                                onSuccess: () =>
                                  notifySuccess(
                                    active
                                      ? t('config.webhooks.enabled')
                                      : t('config.webhooks.disabled'),
                                  ),
                                onError: (error) => notifyError(error),
                              },
                            );
                          }}
                        />
                      </Table.Td>
                      <Table.Td className="kefu-nowrap">
                        <Text size="sm">{formatDateTime(webhook.createdAt)}</Text>
                      </Table.Td>
                      <Table.Td ta="right" className="kefu-nowrap">
                        <Group gap={4} justify="flex-end" wrap="nowrap">
                          <Button
                            size="compact-sm"
                            variant="light"
                            leftSection={<IconSend size={14} />}
                            aria-label={t('config.webhooks.testFor', { url: webhook.url })}
                            loading={test.isPending && test.variables === webhook.id}
                            onClick={() => sendTest(webhook)}
                          >
                            {t('config.webhooks.test')}
                          </Button>
                          <Tooltip label={t('config.webhooks.deliveries')}>
                            <ActionIcon
                              variant="subtle"
                              color="gray"
                              aria-label={t('config.webhooks.deliveriesFor', { url: webhook.url })}
                              onClick={() => log.open(webhook)}
                            >
                              <IconHistory size={16} />
                            </ActionIcon>
                          </Tooltip>
                          <Tooltip label={t('config.webhooks.deleteFor', { url: webhook.url })}>
                            <ActionIcon
                              variant="subtle"
                              color="red"
                              aria-label={t('config.webhooks.deleteFor', { url: webhook.url })}
                              onClick={() => {
                                remove.reset();
                                remover.open(webhook);
                              }}
                            >
                              <IconTrash size={16} />
                            </ActionIcon>
                          </Tooltip>
                        </Group>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Paper>
        )}
      </QueryState>
      <Modal
        opened={creator.opened}
        onClose={creator.close}
        title={t('config.webhooks.createTitle')}
      >
        <WebhookForm
          key={creator.key}
          onClose={creator.close}
          onCreated={(created) => {
            creator.close();
            setSecret(created);
          }}
        />
      </Modal>
      <Modal
        opened={secret !== null}
        onClose={() => setSecret(null)}
        title={t('config.webhooks.secretTitle')}
        closeOnClickOutside={false}
      >
        <Stack gap="sm">
          <Alert color="yellow" variant="light">
            <Text size="sm">{t('config.webhooks.secretBody')}</Text>
          </Alert>
          <Code block data-testid="webhook-secret" style={{ wordBreak: 'break-all' }}>
            {secret?.secret}
          </Code>
          <Group justify="flex-end" gap="xs">
            <CopyAction value={secret?.secret ?? ''} size="sm" />
            <Button onClick={() => setSecret(null)}>{t('common.done')}</Button>
          </Group>
        </Stack>
      </Modal>
      <Drawer
        opened={log.opened}
        onClose={log.close}
        position="right"
        size={720}
        title={log.value ? t('config.webhooks.deliveriesFor', { url: log.value.url }) : ''}
      >
        {log.value && (
          <DeliveryLog
            webhook={log.value}
            onTest={() => sendTest(log.value as TWebhook)}
            testing={test.isPending}
          />
        )}
      </Drawer>
      <DeleteConfirmModal
        dialog={remover}
        mutation={remove}
        title={t('config.webhooks.deleteTitle')}
        confirmLabel={t('config.webhooks.deleteTitle')}
        deleted={(_webhook) => t('config.webhooks.deleted')}
      >
        {t('config.webhooks.deleteBody', { url: remover.value?.url ?? '' })}
      </DeleteConfirmModal>
    </Page>
  );
}

function DeliveryLog({
  webhook,
  onTest,
  testing,
}: {
  webhook: TWebhook;
  onTest: () => void;
  testing: boolean;
}) {
  const { t } = useTranslation();
  const deliveries = useWebhookDeliveries(webhook.id);
  return (
    <Stack gap="sm">
      <Group justify="flex-end">
        <Button
          size="xs"
          variant="light"
          leftSection={<IconSend size={14} />}
          loading={testing}
          onClick={onTest}
        >
          {t('config.webhooks.test')}
        </Button>
      </Group>
      {deliveries.isPending ? (
        <Loader size="sm" aria-label={t('common.loading')} />
      ) : deliveries.isError ? (
        <ErrorAlert error={deliveries.error} />
      ) : deliveries.data.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('config.webhooks.deliveriesEmpty')}
        </Text>
      ) : (
        <Table className="kefu-table" aria-label={t('config.webhooks.deliveries')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('config.webhooks.delivery.time')}</Table.Th>
              <Table.Th>{t('config.webhooks.delivery.event')}</Table.Th>
              <Table.Th>{t('config.webhooks.delivery.status')}</Table.Th>
              <Table.Th>{t('config.webhooks.delivery.attempts')}</Table.Th>
              <Table.Th>{t('config.webhooks.delivery.response')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {deliveries.data.map((delivery) => (
              <Table.Tr key={delivery.id}>
                <Table.Td className="kefu-nowrap">
                  <Text size="sm">{formatTimestamp(delivery.createdAt)}</Text>
                </Table.Td>
                <Table.Td className="kefu-nowrap">
                  <Text size="sm" ff="monospace">
                    {delivery.event}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Badge size="sm" variant="light" color={STATUS_COLORS[delivery.status]}>
                    {t(`config.webhooks.delivery.${delivery.status}`)}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{delivery.attempts}</Text>
                </Table.Td>
                <Table.Td className="kefu-wrap" miw={160}>
                  <Text size="sm">
                    {delivery.responseStatus !== null
                      ? `HTTP ${delivery.responseStatus}`
                      : t('common.none')}
                  </Text>
                  {delivery.error && (
                    <Text size="xs" c="red" lineClamp={2} title={delivery.error}>
                      {delivery.error}
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}

type Values = { url: string; events: TWebhookEvent[]; active: boolean };

function WebhookForm({
  onClose,
  onCreated,
}: {
  onClose: () => void;
  onCreated: (created: TWebhookCreated) => void;
}) {
  const { t } = useTranslation();
  const create = useCreateWebhook();
  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: { url: '', events: ['conversation.created'], active: true },
    validate: {
      url: (v) => (/^https?:\/\/\S+$/i.test(v.trim()) ? null : t('config.webhooks.validation.url')),
      events: (v) => (v.length > 0 ? null : t('config.webhooks.validation.events')),
    },
  });
  const submit = (values: Values) =>
    create.mutate({ ...values, url: values.url.trim() }, { onSuccess: onCreated });
  return (
    <form onSubmit={form.onSubmit(submit)} noValidate>
      <Stack gap="sm">
        {create.error && <ErrorAlert error={create.error} />}
        <TextInput
          label={t('config.webhooks.field.url')}
          placeholder={t('config.webhooks.field.urlPlaceholder')}
          required
          data-autofocus
          maxLength={2000}
          {...form.getInputProps('url')}
        />
        <Checkbox.Group label={t('config.webhooks.field.events')} {...form.getInputProps('events')}>
          <Stack gap={6} mt={6}>
            {EVENTS.map((event) => (
              <Checkbox
                key={event}
                value={event}
                label={
                  <>
                    {t(`config.webhooks.events.${event}`)}{' '}
                    <Text span size="xs" c="dimmed" ff="monospace">
                      {event}
                    </Text>
                  </>
                }
              />
            ))}
          </Stack>
        </Checkbox.Group>
        <Switch
          label={t('config.webhooks.field.active')}
          {...form.getInputProps('active', { type: 'checkbox' })}
        />
        <FormActions onCancel={onClose} loading={create.isPending} />
      </Stack>
    </form>
  );
}
