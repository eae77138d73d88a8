import type { TApiChannel, TChannelStatus, TEmailChannel, TTelegramChannel } from '@kefu/shared';
import {
  Anchor,
  Badge,
  Button,
  Group,
  Menu,
  Paper,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import {
  IconApi,
  IconBrandTelegram,
  IconChevronDown,
  IconMail,
  IconPlus,
} from '@tabler/icons-react';
import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useApiChannels, useEmailChannels, useTelegramChannels } from '../../api/channels.ts';
import { EditorModal } from '../../components/editor-modal.tsx';
import { ListTable } from '../../components/list-table.tsx';
import { Page } from '../../components/page.tsx';
import { QueryState } from '../../components/query-state.tsx';
import { EditAction, RowActionsCell } from '../../components/row-actions.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { useDialog } from '../../lib/use-dialog.ts';
import { ApiChannelModal, EmailChannelForm, TelegramChannelForm } from './channel-forms.tsx';

/** A connection's state as a badge, the last error underneath. */
function StatusLine({
  label,
  status,
}: {
  label: string;
  status: TChannelStatus | null | undefined;
}) {
  const { t } = useTranslation();
  const state = status ? t(`channels.status.${status.state}`) : t('channels.status.unknown');
  const color = !status ? 'gray' : status.state === 'ok' ? 'teal' : 'red';
  return (
    <Stack gap={2}>
      <Group gap={6} wrap="nowrap">
        <Text size="xs" c="dimmed" className="kefu-nowrap">
          {label}
        </Text>
        <Badge
          size="sm"
          variant="light"
          color={color}
          title={status ? formatDateTime(status.at) : undefined}
        >
          {state}
        </Badge>
      </Group>
      {status?.error && (
        <Text size="xs" c="red" lineClamp={2} title={status.error} maw={240}>
          {status.error}
        </Text>
      )}
    </Stack>
  );
}

/**
 * One kind of channel: its heading and count, then a table with a row per channel (its cells
 * from `children`) and an Edit action where the kind can be edited, or why there is none.
 */
function Section<T extends { name: string }>({
  icon,
  title,
  query,
  empty,
  columns,
  rowKey,
  onEdit,
  children,
}: {
  icon: ReactNode;
  title: string;
  query: UseQueryResult<T[]>;
  empty: string;
  columns: string[];
  rowKey: (channel: T) => string;
  onEdit?: (channel: T) => void;
  children: (channel: T) => ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-label={title}>
      <Group gap="xs" mb="sm">
        {icon}
        <Title order={3} fz="h5">
          {title}
        </Title>
        {query.data && (
          <Badge size="sm" variant="default">
            {query.data.length}
          </Badge>
        )}
      </Group>
      <QueryState query={query} empty={empty} isEmpty={(l) => l.length === 0} framed={false}>
        {(channels) => (
          <ListTable
            label={title}
            columns={columns}
            actions={!!onEdit}
            minWidth={760}
            framed={false}
          >
            {channels.map((channel) => (
              <Table.Tr key={rowKey(channel)}>
                {children(channel)}
                {onEdit && (
                  <RowActionsCell>
                    <EditAction
                      label={t('channels.editFor', { name: channel.name })}
                      onClick={() => onEdit(channel)}
                    />
                  </RowActionsCell>
                )}
              </Table.Tr>
            ))}
          </ListTable>
        )}
      </QueryState>
    </Paper>
  );
}

function EmailCells({ channel }: { channel: TEmailChannel }) {
  const { t } = useTranslation();
  return (
    <>
      <Table.Td className="kefu-wrap">
        <Text size="sm" fw={600}>
          {channel.name}
        </Text>
        <Text size="xs" c="dimmed">
          {channel.address}
        </Text>
      </Table.Td>
      <Table.Td>
        <Stack gap={4} align="flex-start">
          {channel.smtpInbound && (
            <Badge size="sm" variant="light">
              {t('channels.inboundSmtp')}
            </Badge>
          )}
          {channel.imap && (
            <Badge size="sm" variant="light" color="grape" tt="none">
              {t('channels.inboundImap', { host: channel.imap.host })}
            </Badge>
          )}
          {!channel.smtpInbound && !channel.imap && (
            <Text size="sm" c="dimmed">
              {t('channels.inboundNone')}
            </Text>
          )}
        </Stack>
      </Table.Td>
      <Table.Td className="kefu-wrap">
        <Text size="sm" style={{ wordBreak: 'break-all' }} maw={220}>
          {channel.smtpOutbound
            ? `${channel.smtpOutbound.host}:${channel.smtpOutbound.port}`
            : t('channels.outboundDefault')}
        </Text>
      </Table.Td>
      <Table.Td>
        {channel.dkim ? (
          <Text size="sm" ff="monospace" title={channel.dkim.dnsName}>
            {channel.dkim.selector}
          </Text>
        ) : (
          <Text size="sm" c="dimmed">
            {t('channels.dkimOff')}
          </Text>
        )}
      </Table.Td>
      <Table.Td className="kefu-wrap">
        <Stack gap={4}>
          {channel.imap && (
            <StatusLine label={t('channels.status.imap')} status={channel.imap.status} />
          )}
          <StatusLine label={t('channels.status.outbound')} status={channel.outboundStatus} />
        </Stack>
      </Table.Td>
    </>
  );
}

function TelegramCells({ channel }: { channel: TTelegramChannel }) {
  const { t } = useTranslation();
  return (
    <>
      <Table.Td className="kefu-wrap" miw={180}>
        <Text size="sm" fw={600}>
          {channel.name}
        </Text>
        {channel.botUsername ? (
          <Anchor
            size="xs"
            href={`https://t.me/${channel.botUsername}`}
            target="_blank"
            rel="noreferrer"
          >
            @{channel.botUsername}
          </Anchor>
        ) : (
          <Text size="xs" c="dimmed">
            {t('common.none')}
          </Text>
        )}
      </Table.Td>
      <Table.Td className="kefu-wrap" miw={200}>
        <Text size="sm">{t(`channels.mode.${channel.mode}`)}</Text>
        {channel.webhookUrl && (
          <Text size="xs" c="dimmed" ff="monospace" style={{ wordBreak: 'break-all' }}>
            {channel.webhookUrl}
          </Text>
        )}
      </Table.Td>
      <Table.Td className="kefu-wrap">
        <StatusLine label={t('channels.status.bot')} status={channel.status} />
      </Table.Td>
    </>
  );
}

function ApiCells({ channel }: { channel: TApiChannel }) {
  const { t } = useTranslation();
  return (
    <>
      <Table.Td>
        <Text size="sm" fw={600}>
          {channel.name}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm" ff="monospace" lineClamp={1} title={channel.webhookUrl} maw={420}>
          {channel.webhookUrl}
        </Text>
      </Table.Td>
      <Table.Td className="kefu-wrap">
        <StatusLine label={t('channels.status.webhook')} status={channel.status} />
      </Table.Td>
    </>
  );
}

export function ChannelsPage() {
  const { t } = useTranslation();
  const email = useEmailChannels();
  const telegram = useTelegramChannels();
  const apiChannels = useApiChannels();
  const emailDialog = useDialog<{ channel: TEmailChannel | null }>();
  const telegramDialog = useDialog<{ channel: TTelegramChannel | null }>();
  const apiDialog = useDialog<true>();

  return (
    <Page
      title={t('channels.title')}
      description={t('channels.description')}
      actions={
        <Menu position="bottom-end" withinPortal>
          <Menu.Target>
            <Button
              leftSection={<IconPlus size={16} />}
              rightSection={<IconChevronDown size={14} />}
            >
              {t('channels.add')}
            </Button>
          </Menu.Target>
          <Menu.Dropdown>
            <Menu.Item
              leftSection={<IconMail size={16} />}
              onClick={() => emailDialog.open({ channel: null })}
            >
              {t('channels.addEmail')}
            </Menu.Item>
            <Menu.Item
              leftSection={<IconBrandTelegram size={16} />}
              onClick={() => telegramDialog.open({ channel: null })}
            >
              {t('channels.addTelegram')}
            </Menu.Item>
            <Menu.Item leftSection={<IconApi size={16} />} onClick={() => apiDialog.open(true)}>
              {t('channels.addApi')}
            </Menu.Item>
          </Menu.Dropdown>
        </Menu>
      }
    >
      <Section
        icon={<IconMail size={18} />}
        title={t('channels.sections.email')}
        query={email}
        empty={t('channels.empty.email')}
        columns={[
          t('channels.columns.name'),
          t('channels.columns.inbound'),
          t('channels.columns.outbound'),
          t('channels.columns.dkim'),
          t('channels.columns.status'),
        ]}
        rowKey={(channel) => channel.id}
        onEdit={(channel) => emailDialog.open({ channel })}
      >
        {(channel) => <EmailCells channel={channel} />}
      </Section>
      <Section
        icon={<IconBrandTelegram size={18} />}
        title={t('channels.sections.telegram')}
        query={telegram}
        empty={t('channels.empty.telegram')}
        columns={[
          t('channels.columns.bot'),
          t('channels.columns.mode'),
          t('channels.columns.status'),
        ]}
        rowKey={(channel) => channel.inboxId}
        onEdit={(channel) => telegramDialog.open({ channel })}
      >
        {(channel) => <TelegramCells channel={channel} />}
      </Section>
      <Section
        icon={<IconApi size={18} />}
        title={t('channels.sections.api')}
        query={apiChannels}
        empty={t('channels.empty.api')}
        columns={[
          t('channels.columns.name'),
          t('channels.columns.webhookUrl'),
          t('channels.columns.status'),
        ]}
        rowKey={(channel) => channel.inboxId}
      >
        {(channel) => <ApiCells channel={channel} />}
      </Section>
      <EditorModal
        dialog={emailDialog}
        size="lg"
        title={
          emailDialog.value?.channel
            ? t('channels.email.editTitle', { name: emailDialog.value.channel.name })
            : t('channels.email.createTitle')
        }
      >
        <EmailChannelForm
          channel={emailDialog.value?.channel ?? null}
          onClose={emailDialog.close}
        />
      </EditorModal>
      <EditorModal
        dialog={telegramDialog}
        title={
          telegramDialog.value?.channel
            ? t('channels.editFor', { name: telegramDialog.value.channel.name })
            : t('channels.telegram.createTitle')
        }
      >
        <TelegramChannelForm
          channel={telegramDialog.value?.channel ?? null}
          onClose={telegramDialog.close}
        />
      </EditorModal>
      <ApiChannelModal
        opened={apiDialog.opened}
        formKey={apiDialog.key}
        onClose={apiDialog.close}
      />
    </Page>
  );
}
