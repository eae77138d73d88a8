import type { TContact, TConversation, TPriority, TTeam } from '@kefu/shared';
import { consoleEn } from '@kefu/shared/i18n/console';
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Divider,
  Group,
  Loader,
  Paper,
  Select,
  Stack,
  TagsInput,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import { IconBulb, IconSparkles } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useCopilot, useUpdateConversation } from '../../api/conversations.ts';
import type { TContactDetail, TCopilot } from '../../api/types.ts';
import { SlaCountdown, StatusBadge } from '../../components/conversation-badges.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { notifyError } from '../../components/notify.ts';
import i18n from '../../i18n.ts';
import { PRIORITIES, slaDeadlines } from '../../lib/conversation.ts';
import { customerName, readableRedactions } from '../../lib/customer.ts';
import { formatDateTime, formatRelative } from '../../lib/format.ts';

function Section({
  title,
  children,
  icon,
}: {
  title: string;
  children: ReactNode;
  icon?: ReactNode;
}) {
  return (
    <Paper withBorder radius="md" p="sm">
      <Group gap={6} mb={6}>
        {icon}
        <Title order={3} fz="sm">
          {title}
        </Title>
      </Group>
      {children}
    </Paper>
  );
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Group gap="xs" wrap="nowrap" align="flex-start" className="kefu-field">
      <Text size="xs" c="dimmed" w={96} style={{ flexShrink: 0 }} pt={2}>
        {label}
      </Text>
      <div style={{ minWidth: 0, flex: 1 }}>{children}</div>
    </Group>
  );
}

function Value({ value, mono = false }: { value: unknown; mono?: boolean }) {
  const { t } = useTranslation();
  if (value === null || value === undefined || value === '') {
    return (
      <Text size="sm" c="dimmed">
        {t('common.none')}
      </Text>
    );
  }
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return (
    <Text size="sm" className={mono ? 'kefu-mono' : undefined} style={{ overflowWrap: 'anywhere' }}>
      {text}
    </Text>
  );
}

const KNOWN_FIELDS = Object.keys(consoleEn.workspace.fields);

/** Known collected fields have a name in both languages; others show their key readably. */
function fieldLabel(key: string): string {
  if (KNOWN_FIELDS.includes(key)) {
    return i18n.t(`workspace.fields.${key as keyof typeof consoleEn.workspace.fields}`);
  }
  return key.replace(/[_.]/g, ' ').replace(/^\w/, (c) => c.toUpperCase());
}

function CustomerCard({
  contactId,
  detail,
}: {
  contactId: string;
  detail: { data?: TContactDetail; isPending: boolean; error: unknown };
}) {
  const { t } = useTranslation();
  const contact: TContact | undefined = detail.data?.contact;
  return (
    <Section title={t('workspace.panel.customer')}>
      {detail.isPending ? (
        <Loader size="xs" />
      ) : detail.error ? (
        <ErrorAlert error={detail.error} />
      ) : (
        <Stack gap={4} data-testid="customer-card">
          <Group gap={6} mb={2}>
            <Text fw={700} size="sm">
              {customerName(contact, contactId)}
            </Text>
            {contact && contact.vipLevel > 0 && (
              <Badge size="sm" color="yellow" variant="filled">
                VIP {contact.vipLevel}
              </Badge>
            )}
          </Group>
          <Field label={t('workspace.panel.email')}>
            <Value value={contact?.email} />
          </Field>
          <Field label={t('workspace.panel.uid')}>
            <Value value={contact?.exchangeUid} mono />
          </Field>
          <Field label={t('workspace.panel.vip')}>
            <Value value={contact?.vipLevel} />
          </Field>
          <Field label={t('workspace.panel.kyc')}>
            <Value
              value={contact ? t('workspace.panel.kycLevel', { level: contact.kycLevel }) : null}
            />
          </Field>
          {contact?.phone && (
            <Field label={t('workspace.panel.phone')}>
              <Value value={contact.phone} />
            </Field>
          )}
          {contact?.telegramId && (
            <Field label={t('workspace.panel.telegram')}>
              <Value value={contact.telegramId} mono />
            </Field>
          )}
          <Field label={t('workspace.panel.locale')}>
            <Value
              value={
                contact?.locale === 'zh-CN' || contact?.locale === 'en'
                  ? t(`locales.${contact.locale}`)
                  : contact?.locale
              }
            />
          </Field>
          {contact && Object.keys(contact.attributes).length > 0 && (
            <>
              <Divider my={4} label={t('workspace.panel.attributes')} labelPosition="left" />
              {Object.entries(contact.attributes).map(([key, value]) => (
                <Field key={key} label={fieldLabel(key)}>
                  <Value value={value} />
                </Field>
              ))}
            </>
          )}
        </Stack>
      )}
    </Section>
  );
}

function CopilotCard({
  copilot,
  onUse,
}: {
  copilot: { data?: TCopilot; isPending: boolean; isFetching: boolean; error: unknown };
  onUse: (text: string) => void;
}) {
  const { t } = useTranslation();
  const data = copilot.data;
  const fields = Object.entries(data?.fields ?? {}).filter(([, v]) => v !== null && v !== '');
  return (
    <Section
      title={t('workspace.panel.copilot')}
      icon={<IconSparkles size={16} color="var(--mantine-color-violet-6)" aria-hidden />}
    >
      {copilot.isPending ? (
        <Loader size="xs" />
      ) : copilot.error ? (
        <ErrorAlert error={copilot.error} />
      ) : (
        <Stack gap="xs" data-testid="copilot">
          <div>
            <Text size="xs" fw={600} c="dimmed" mb={2}>
              {t('workspace.panel.suggested')}
            </Text>
            {data?.suggestedReply ? (
              <Stack gap={4}>
                <div className="kefu-suggestion">
                  <Text size="sm" lineClamp={6} data-testid="suggested-reply">
                    {data.suggestedReply}
                  </Text>
                </div>
                <Button
                  size="compact-xs"
                  variant="light"
                  color="violet"
                  w="fit-content"
                  leftSection={<IconBulb size={14} />}
                  onClick={() => onUse(data.suggestedReply ?? '')}
                >
                  {t('workspace.panel.use')}
                </Button>
              </Stack>
            ) : (
              <Text size="sm" c="dimmed">
                {t('workspace.panel.noSuggestion')}
              </Text>
            )}
          </div>
          {data?.intent && (
            <Field label={t('workspace.panel.intent')}>
              <Group gap={4}>
                <Badge size="sm" variant="light" color="violet" tt="none" className="kefu-mono">
                  {data.intent}
                </Badge>
                {data.confidence !== null && (
                  <Text size="xs" c="dimmed">
                    {Math.round(data.confidence * 100)}%
                  </Text>
                )}
              </Group>
            </Field>
          )}
          <div>
            <Text size="xs" fw={600} c="dimmed" mb={2}>
              {t('workspace.panel.collected')}
            </Text>
            {fields.length === 0 ? (
              <Text size="sm" c="dimmed">
                {t('workspace.panel.noFields')}
              </Text>
            ) : (
              <Stack gap={2} data-testid="collected-fields">
                {fields.map(([key, value]) => (
                  <Field key={key} label={fieldLabel(key)}>
                    <Value value={value} mono={typeof value === 'string' && value.length > 20} />
                  </Field>
                ))}
              </Stack>
            )}
          </div>
          {data && data.articles.length > 0 && (
            <div>
              <Text size="xs" fw={600} c="dimmed" mb={2}>
                {t('workspace.panel.articles')}
              </Text>
              <Stack gap={2}>
                {data.articles.map((article) => (
                  <Anchor
                    key={article.id}
                    href={article.url}
                    target="_blank"
                    rel="noopener noreferrer"
                    size="sm"
                  >
                    {article.title}
                  </Anchor>
                ))}
              </Stack>
            </div>
          )}
          {data && data.summary.length > 0 && (
            <div>
              <Text size="xs" fw={600} c="dimmed" mb={2}>
                {t('workspace.panel.summary')}
              </Text>
              <Stack gap={2}>
                {data.summary.map((line, i) => (
                  <Text key={String(i)} size="xs" c="dimmed" lineClamp={3}>
                    “{readableRedactions(line)}”
                  </Text>
                ))}
              </Stack>
            </div>
          )}
        </Stack>
      )}
    </Section>
  );
}

function DetailsCard({ conversation, teams }: { conversation: TConversation; teams: TTeam[] }) {
  const { t } = useTranslation();
  const update = useUpdateConversation(conversation.id);
  const team = teams.find((x) => x.id === conversation.teamId);
  const deadlines = slaDeadlines(conversation);
  return (
    <Section title={t('workspace.panel.details')}>
      <Stack gap={6}>
        <Select
          size="xs"
          label={t('workspace.panel.priority')}
          data={PRIORITIES.map((p) => ({ value: p, label: t(`ticket.priority.${p}`) }))}
          value={
            update.isPending
              ? (update.variables?.priority ?? conversation.priority)
              : conversation.priority
          }
          allowDeselect={false}
          onChange={(value) => {
            const priority = PRIORITIES.find((p) => p === value) as TPriority | undefined;
            if (priority && priority !== conversation.priority) {
              update.mutate({ priority }, { onError: (error) => notifyError(error) });
            }
          }}
        />
        <TagsInput
          size="xs"
          label={t('workspace.panel.labels')}
          placeholder={t('workspace.panel.labelsPlaceholder')}
          value={(update.isPending ? update.variables?.labels : undefined) ?? conversation.labels}
          maxTags={30}
          clearable
          onChange={(labels) =>
            update.mutate(
              { labels: labels.map((l) => l.trim().slice(0, 40)).filter(Boolean) },
              { onError: (error) => notifyError(error) },
            )
          }
        />
        <Field label={t('workspace.panel.team')}>
          <Value value={team ? `${team.name} (${team.tier})` : t('workspace.panel.noTeam')} />
        </Field>
        <Field label={t('workspace.panel.sla')}>
          {deadlines.length === 0 ? (
            <Value value={null} />
          ) : (
            <Stack gap={4}>
              {deadlines.map((sla) => (
                <SlaCountdown key={sla.target} sla={sla} withTarget size="sm" />
              ))}
            </Stack>
          )}
        </Field>
        {conversation.escalationReason && (
          <Field label={t('workspace.panel.escalationReason')}>
            <Value value={conversation.escalationReason} />
          </Field>
        )}
        {conversation.csatScore !== null && (
          <Field label={t('workspace.panel.csat')}>
            <Value
              value={`${'★'.repeat(conversation.csatScore)}${conversation.csatComment ? ` “${conversation.csatComment}”` : ''}`}
            />
          </Field>
        )}
        <Field label={t('workspace.panel.created')}>
          <Value value={formatDateTime(conversation.createdAt)} />
        </Field>
      </Stack>
    </Section>
  );
}

function PreviousTickets({
  conversation,
  detail,
}: {
  conversation: TConversation;
  detail: { data?: TContactDetail };
}) {
  const { t } = useTranslation();
  const others = (detail.data?.conversations ?? []).filter((c) => c.id !== conversation.id);
  return (
    <Section title={t('workspace.panel.previous')}>
      {others.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('workspace.panel.noPrevious')}
        </Text>
      ) : (
        <Stack gap={6} data-testid="previous-tickets">
          {others.slice(0, 10).map((c) => (
            <Group key={c.id} gap={6} wrap="nowrap" justify="space-between">
              <div style={{ minWidth: 0 }}>
                <Anchor component={Link} to={`/conversations/${c.id}`} size="sm" fw={600}>
                  #{c.number}
                </Anchor>
                <Text size="xs" c="dimmed" className="kefu-truncate">
                  {c.subject ? readableRedactions(c.subject) : t('ticket.noSubject')}
                </Text>
              </div>
              <Stack gap={2} align="flex-end" style={{ flexShrink: 0 }}>
                <StatusBadge status={c.status} />
                <Tooltip label={formatDateTime(c.createdAt)}>
                  <Text size="xs" c="dimmed">
                    {formatRelative(c.createdAt)}
                  </Text>
                </Tooltip>
              </Stack>
            </Group>
          ))}
        </Stack>
      )}
    </Section>
  );
}

/** The right column: who the customer is, what the copilot suggests, the ticket's details. */
export function CustomerPanel({
  conversation,
  contact,
  teams,
  onUseSuggestion,
}: {
  conversation: TConversation;
  contact: { data?: TContactDetail; isPending: boolean; error: unknown };
  teams: TTeam[];
  onUseSuggestion: (text: string) => void;
}) {
  const { t } = useTranslation();
  const copilot = useCopilot(conversation.id);
  return (
    <aside className="kefu-side" aria-label={t('workspace.panel.label')}>
      <Stack gap="sm">
        {conversation.mergedIntoId && (
          <Alert color="grape" variant="light" py="xs">
            <Text size="sm">
              {t('workspace.mergedInto')}{' '}
              <Anchor component={Link} to={`/conversations/${conversation.mergedIntoId}`} size="sm">
                {t('workspace.openMerged')}
              </Anchor>
            </Text>
          </Alert>
        )}
        <CustomerCard contactId={conversation.contactId} detail={contact} />
        <CopilotCard copilot={copilot} onUse={onUseSuggestion} />
        <DetailsCard conversation={conversation} teams={teams} />
        <PreviousTickets conversation={conversation} detail={contact} />
      </Stack>
    </aside>
  );
}
