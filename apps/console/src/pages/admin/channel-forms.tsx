import type { TApiChannelCreated, TEmailChannel, TTelegramChannel } from '@kefu/shared';
import {
  Alert,
  Button,
  Checkbox,
  Code,
  Divider,
  Group,
  Modal,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { type FormEvent, type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  useCreateApiChannel,
  useCreateEmailChannel,
  useCreateTelegramChannel,
  useUpdateEmailChannel,
  useUpdateTelegramChannel,
} from '../../api/channels.ts';
import { CopyAction } from '../../components/copy-action.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { FormActions } from '../../components/form-actions.tsx';
import { notifySuccess } from '../../components/notify.ts';
import { PasswordField } from '../../components/password-field.tsx';
import { SegmentedField } from '../../components/segmented-field.tsx';

type Security = 'tls' | 'starttls' | 'none';

function CopyValue({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500}>
        {label}
      </Text>
      <Group gap="xs" wrap="nowrap" align="flex-start">
        <Code
          block
          data-testid={testId}
          style={{ flex: 1, wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}
        >
          {value}
        </Code>
        <CopyAction value={value} />
      </Group>
    </Stack>
  );
}

/** The channel's name, as agents see it in the console; the first field of each form. */
function ChannelNameField({
  label,
  placeholder,
  value,
  onChange,
}: {
  label: string;
  placeholder: string;
  value: string;
  onChange: (value: string) => void;
}) {
  return (
    <TextInput
      label={label}
      placeholder={placeholder}
      required
      data-autofocus
      maxLength={120}
      value={value}
      onChange={(e) => onChange(e.currentTarget.value)}
    />
  );
}

type ServerLogin = { host: string; port: number; user: string; password: string };

/**
 * Where a mailbox's IMAP or SMTP server is and how to sign in to it: host, port, the protocol's
 * own setting (`option`), user and password, then anything else (`children`). The password is
 * write-only: a stored one is kept unless a new one is typed.
 */
function MailServerFields<T extends ServerLogin>({
  value,
  onChange,
  hostLabel,
  hostPlaceholder,
  defaultPort,
  loginRequired,
  passwordKept,
  option,
  children,
}: {
  value: T;
  onChange: (value: T) => void;
  hostLabel: string;
  hostPlaceholder: string;
  defaultPort: number;
  /** IMAP always signs in; an SMTP relay may take mail without a login. */
  loginRequired: boolean;
  passwordKept: boolean;
  option: ReactNode;
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <SimpleGrid cols={3} spacing="sm">
      <TextInput
        label={hostLabel}
        placeholder={hostPlaceholder}
        required
        value={value.host}
        onChange={(e) => onChange({ ...value, host: e.currentTarget.value })}
      />
      <NumberInput
        label={t('channels.email.port')}
        min={1}
        max={65535}
        value={value.port}
        onChange={(v) => onChange({ ...value, port: Number(v) || defaultPort })}
      />
      {option}
      <TextInput
        label={t('channels.email.user')}
        required={loginRequired}
        autoComplete="off"
        value={value.user}
        onChange={(e) => onChange({ ...value, user: e.currentTarget.value })}
      />
      <PasswordField
        label={t('channels.email.password')}
        autoComplete="new-password"
        description={passwordKept ? t('channels.secretKept') : undefined}
        inputWrapperOrder={['label', 'input', 'description']}
        required={loginRequired && !passwordKept}
        value={value.password}
        onChange={(e) => onChange({ ...value, password: e.currentTarget.value })}
      />
      {children}
    </SimpleGrid>
  );
}

/** Adds a mailbox, or changes one (its secrets stay write-only). */
export function EmailChannelForm({
  channel,
  onClose,
}: {
  channel: TEmailChannel | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const create = useCreateEmailChannel();
  const update = useUpdateEmailChannel();
  const mutation = channel ? update : create;
  const [name, setName] = useState(channel?.name ?? '');
  const [address, setAddress] = useState(channel?.address ?? '');
  const [smtpInbound, setSmtpInbound] = useState(channel?.smtpInbound ?? true);
  const [imapOn, setImapOn] = useState(!!channel?.imap);
  const [imap, setImap] = useState({
    host: channel?.imap?.host ?? '',
    port: channel?.imap?.port ?? 993,
    secure: channel?.imap?.secure ?? true,
    user: channel?.imap?.user ?? '',
    password: '',
    mailbox: channel?.imap?.mailbox ?? 'INBOX',
  });
  const [smtpOn, setSmtpOn] = useState(!!channel?.smtpOutbound);
  const [smtp, setSmtp] = useState({
    host: channel?.smtpOutbound?.host ?? '',
    port: channel?.smtpOutbound?.port ?? 587,
    security: (channel?.smtpOutbound?.security ?? 'starttls') as Security,
    user: channel?.smtpOutbound?.user ?? '',
    password: '',
  });
  const [dkimOn, setDkimOn] = useState(!!channel?.dkim);
  const [dkim, setDkim] = useState({
    selector: channel?.dkim?.selector ?? 'kefu',
    domain: channel?.dkim?.domain ?? '',
    privateKey: '',
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const imapInput = imapOn
      ? {
          host: imap.host.trim(),
          port: imap.port,
          secure: imap.secure,
          user: imap.user.trim(),
          mailbox: imap.mailbox.trim() || 'INBOX',
          ...(imap.password ? { password: imap.password } : {}),
        }
      : null;
    const smtpInput = smtpOn
      ? {
          host: smtp.host.trim(),
          port: smtp.port,
          security: smtp.security,
          ...(smtp.user.trim() ? { user: smtp.user.trim() } : {}),
          ...(smtp.password ? { password: smtp.password } : {}),
        }
      : null;
    const dkimInput = dkimOn
      ? {
          selector: dkim.selector.trim(),
          ...(dkim.domain.trim() ? { domain: dkim.domain.trim() } : {}),
          ...(dkim.privateKey.trim() ? { privateKey: dkim.privateKey } : {}),
        }
      : null;
    if (channel) {
      update.mutate(
        {
          id: channel.id,
          name: name.trim(),
          smtpInbound,
          imap: imapInput,
          smtpOutbound: smtpInput,
          dkim: dkimInput,
        },
        {
          onSuccess: () => {
            notifySuccess(t('channels.email.saved'));
            onClose();
          },
        },
      );
      return;
    }
    create.mutate(
      {
        name: name.trim(),
        address: address.trim(),
        smtpInbound,
        ...(imapInput ? { imap: { ...imapInput, password: imap.password } } : {}),
        ...(smtpInput ? { smtpOutbound: smtpInput } : {}),
        ...(dkimInput ? { dkim: dkimInput } : {}),
      },
      {
        onSuccess: (saved) => {
          notifySuccess(t('channels.email.created', { address: saved.address }));
          onClose();
        },
      },
    );
  };

  const kept = t('channels.secretKept');
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        {mutation.error && <ErrorAlert error={mutation.error} />}
        <SimpleGrid cols={2} spacing="sm">
          <ChannelNameField
            label={t('channels.email.name')}
            placeholder={t('channels.email.namePlaceholder')}
            value={name}
            onChange={setName}
          />
          <TextInput
            label={t('channels.email.address')}
            placeholder="support@example.com"
            type="email"
            required
            disabled={!!channel}
            title={channel ? t('channels.email.addressFixed') : undefined}
            value={address}
            onChange={(e) => setAddress(e.currentTarget.value)}
          />
        </SimpleGrid>

        <Divider label={t('channels.email.inbound')} labelPosition="left" />
        <Checkbox
          label={t('channels.email.smtpInbound')}
          description={t('channels.email.smtpInboundHint')}
          checked={smtpInbound}
          onChange={(e) => setSmtpInbound(e.currentTarget.checked)}
        />
        <Switch
          label={t('channels.email.imap')}
          checked={imapOn}
          onChange={(e) => setImapOn(e.currentTarget.checked)}
        />
        {imapOn && (
          <MailServerFields
            value={imap}
            onChange={setImap}
            hostLabel={t('channels.email.imapHost')}
            hostPlaceholder="imap.example.com"
            defaultPort={993}
            loginRequired
            passwordKept={!!channel?.imap?.hasPassword}
            option={
              <TextInput
                label={t('channels.email.folder')}
                value={imap.mailbox}
                onChange={(e) => setImap({ ...imap, mailbox: e.currentTarget.value })}
              />
            }
          >
            <Checkbox
              mt={30}
              label={t('channels.email.imapSecure')}
              description={t('channels.email.imapSecureHint')}
              checked={imap.secure}
              onChange={(e) => setImap({ ...imap, secure: e.currentTarget.checked })}
            />
          </MailServerFields>
        )}

        <Divider label={t('channels.email.outbound')} labelPosition="left" />
        <Switch
          label={t('channels.email.smtpOutbound')}
          description={t('channels.email.smtpOutboundHint')}
          checked={smtpOn}
          onChange={(e) => setSmtpOn(e.currentTarget.checked)}
        />
        {smtpOn && (
          <MailServerFields
            value={smtp}
            onChange={setSmtp}
            hostLabel={t('channels.email.smtpHost')}
            hostPlaceholder="smtp.example.com"
            defaultPort={587}
            loginRequired={false}
            passwordKept={!!channel?.smtpOutbound?.hasPassword}
            option={
              <Select
                label={t('channels.email.security')}
                allowDeselect={false}
                data={[
                  { value: 'starttls', label: t('channels.email.securityStarttls') },
                  { value: 'tls', label: t('channels.email.securityTls') },
                  { value: 'none', label: t('channels.email.securityNone') },
                ]}
                value={smtp.security}
                onChange={(v) => setSmtp({ ...smtp, security: (v ?? 'starttls') as Security })}
              />
            }
          />
        )}
        <Switch
          label={t('channels.email.dkim')}
          checked={dkimOn}
          onChange={(e) => setDkimOn(e.currentTarget.checked)}
        />
        {dkimOn && (
          <Stack gap="sm">
            <SimpleGrid cols={2} spacing="sm">
              <TextInput
                label={t('channels.email.selector')}
                required
                value={dkim.selector}
                onChange={(e) => setDkim({ ...dkim, selector: e.currentTarget.value })}
              />
              <TextInput
                label={t('channels.email.domain')}
                description={t('channels.email.domainHint')}
                inputWrapperOrder={['label', 'input', 'description']}
                value={dkim.domain}
                onChange={(e) => setDkim({ ...dkim, domain: e.currentTarget.value })}
              />
            </SimpleGrid>
            <Textarea
              label={t('channels.email.privateKey')}
              description={t('channels.email.privateKeyHint')}
              inputWrapperOrder={['label', 'input', 'description']}
              placeholder={channel?.dkim ? kept : '-----BEGIN PRIVATE KEY-----'}
              required={!channel?.dkim}
              autosize
              minRows={2}
              maxRows={6}
              styles={{
                input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 12 },
              }}
              value={dkim.privateKey}
              onChange={(e) => setDkim({ ...dkim, privateKey: e.currentTarget.value })}
            />
            {channel?.dkim && (
              <CopyValue
                label={t('channels.email.dnsRecord', { name: channel.dkim.dnsName })}
                value={channel.dkim.dnsRecord}
                testId="dkim-dns-record"
              />
            )}
          </Stack>
        )}
        <FormActions onCancel={onClose} loading={mutation.isPending} editing={!!channel} />
      </Stack>
    </form>
  );
}

/** Connects a Telegram bot, or changes one (its token stays write-only). */
export function TelegramChannelForm({
  channel,
  onClose,
}: {
  channel: TTelegramChannel | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const create = useCreateTelegramChannel();
  const update = useUpdateTelegramChannel();
  const mutation = channel ? update : create;
  const [name, setName] = useState(channel?.name ?? '');
  const [botToken, setBotToken] = useState('');
  const [mode, setMode] = useState<'webhook' | 'polling'>(channel?.mode ?? 'polling');
  const [apiRoot, setApiRoot] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (channel) {
      update.mutate(
        {
          inboxId: channel.inboxId,
          name: name.trim(),
          ...(mode !== channel.mode ? { mode } : {}),
          ...(botToken.trim() ? { botToken: botToken.trim() } : {}),
        },
        {
          onSuccess: () => {
            notifySuccess(t('channels.telegram.saved'));
            onClose();
          },
        },
      );
      return;
    }
    create.mutate(
      {
        name: name.trim(),
        botToken: botToken.trim(),
        mode,
        ...(apiRoot.trim() ? { apiRoot: apiRoot.trim() } : {}),
      },
      {
        onSuccess: (saved) => {
          notifySuccess(t('channels.telegram.created', { username: saved.botUsername ?? '' }));
          onClose();
        },
      },
    );
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        {mutation.error && <ErrorAlert error={mutation.error} />}
        <ChannelNameField
          label={t('channels.telegram.name')}
          placeholder={t('channels.telegram.namePlaceholder')}
          value={name}
          onChange={setName}
        />
        <PasswordField
          label={t('channels.telegram.token')}
          description={channel ? t('channels.secretKept') : t('channels.telegram.tokenHint')}
          inputWrapperOrder={['label', 'input', 'description']}
          autoComplete="off"
          required={!channel}
          placeholder="123456789:AA…"
          value={botToken}
          onChange={(e) => setBotToken(e.currentTarget.value)}
        />
        <SegmentedField
          label={t('channels.telegram.mode')}
          hint={t('channels.telegram.modeHint')}
          data={[
            { value: 'polling', label: t('channels.mode.polling') },
            { value: 'webhook', label: t('channels.mode.webhook') },
          ]}
          value={mode}
          onChange={setMode}
        />
        {!channel && (
          <TextInput
            label={t('channels.telegram.apiRoot')}
            description={t('channels.telegram.apiRootHint')}
            inputWrapperOrder={['label', 'input', 'description']}
            placeholder="https://api.telegram.org"
            value={apiRoot}
            onChange={(e) => setApiRoot(e.currentTarget.value)}
          />
        )}
        <FormActions
          onCancel={onClose}
          loading={mutation.isPending}
          editing={!!channel}
          createLabel={t('channels.telegram.connect')}
        />
      </Stack>
    </form>
  );
}

export function ApiChannelModal({
  opened,
  formKey,
  onClose,
}: {
  opened: boolean;
  formKey: number;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [created, setCreated] = useState<TApiChannelCreated | null>(null);
  const close = () => {
    setCreated(null);
    onClose();
  };
  return (
    <Modal
      opened={opened}
      onClose={close}
      size="lg"
      // The secrets are shown once: an outside click must not throw them away.
      closeOnClickOutside={!created}
      title={created ? t('channels.api.createdTitle') : t('channels.api.createTitle')}
    >
      {created ? (
        <Stack gap="sm">
          <Alert color="yellow" variant="light">
            <Text size="sm">{t('channels.api.createdHint')}</Text>
          </Alert>
          <CopyValue
            label={t('channels.api.token')}
            value={created.inboxToken}
            testId="api-token"
          />
          <CopyValue
            label={t('channels.api.secret')}
            value={created.webhookSecret}
            testId="api-secret"
          />
          <Group justify="flex-end">
            <Button onClick={close}>{t('channels.api.saved')}</Button>
          </Group>
        </Stack>
      ) : (
        <ApiChannelForm key={formKey} onClose={close} onCreated={setCreated} />
      )}
    </Modal>
  );
}

function ApiChannelForm({
  onClose,
  onCreated,
}: {
  onClose: () => void;
  onCreated: (created: TApiChannelCreated) => void;
}) {
  const { t } = useTranslation();
  const create = useCreateApiChannel();
  const [name, setName] = useState('');
  const [webhookUrl, setWebhookUrl] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ name: name.trim(), webhookUrl: webhookUrl.trim() }, { onSuccess: onCreated });
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        {create.error && <ErrorAlert error={create.error} />}
        <ChannelNameField
          label={t('channels.api.name')}
          placeholder={t('channels.api.namePlaceholder')}
          value={name}
          onChange={setName}
        />
        <TextInput
          label={t('channels.api.webhookUrl')}
          description={t('channels.api.webhookHint')}
          inputWrapperOrder={['label', 'input', 'description']}
          placeholder="https://app.example.com/kefu/webhook"
          required
          value={webhookUrl}
          onChange={(e) => setWebhookUrl(e.currentTarget.value)}
        />
        <FormActions onCancel={onClose} loading={create.isPending} />
      </Stack>
    </form>
  );
}
