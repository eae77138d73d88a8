import type { TAgent } from '@kefu/shared';
import {
  Anchor,
  Badge,
  Button,
  Group,
  Loader,
  Paper,
  Select,
  Stack,
  Table,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useAgents } from '../../api/agents.ts';
import { useQualityReviews, useReviewQueue } from '../../api/reports.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { Page } from '../../components/page.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { CRITERIA, ReviewModal } from './review-modal.tsx';

export function QualityPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const agentId = params.get('agentId') ?? undefined;
  const queue = useReviewQueue();
  const reviews = useQualityReviews(agentId ? { agentId } : {});
  const agents = useAgents();
  const [reviewing, setReviewing] = useState<{ id: string; number: number } | null>(null);
  const agentsById = useMemo(
    () => new Map<string, TAgent>((agents.data ?? []).map((a) => [a.id, a])),
    [agents.data],
  );
  const average =
    reviews.data && reviews.data.length > 0
      ? reviews.data.reduce((s, r) => s + r.score, 0) / reviews.data.length
      : null;

  return (
    <Page title={t('quality.title')} description={t('quality.intro')}>
      <Paper withBorder radius="md" p="md">
        <Title order={3} fz="md" mb="sm">
          {t('quality.queue')}
        </Title>
        {queue.isPending ? (
          <Loader size="sm" aria-label={t('common.loading')} />
        ) : !queue.data ? (
          <ErrorAlert error={queue.error} />
        ) : queue.data.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('quality.queueEmpty')}
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={720}>
            <Table className="kefu-table" aria-label={t('quality.queue')} highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('quality.columns.ticket')}</Table.Th>
                  <Table.Th>{t('quality.columns.csat')}</Table.Th>
                  <Table.Th>{t('quality.columns.intent')}</Table.Th>
                  <Table.Th>{t('quality.columns.agent')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {queue.data.map((c) => (
                  <Table.Tr key={c.id} data-number={c.number}>
                    <Table.Td>
                      <Anchor component={Link} to={`/conversations/${c.id}`} size="sm" fw={600}>
                        #{c.number}
                      </Anchor>
                      <Text size="xs" c="dimmed" className="kefu-truncate" maw={360}>
                        {c.subject ?? t('ticket.noSubject')}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      {c.csatScore !== null ? (
                        <Tooltip label={c.csatComment ?? ''} disabled={!c.csatComment}>
                          <Badge color={c.csatScore <= 2 ? 'red' : 'yellow'} variant="light">
                            {c.csatScore} ★
                          </Badge>
                        </Tooltip>
                      ) : (
                        t('common.none')
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Text size="xs" className="kefu-mono">
                        {c.intent ?? t('common.none')}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">
                        {c.assigneeId
                          ? (agentsById.get(c.assigneeId)?.name ?? t('common.unknown'))
                          : t('quality.noAgent')}
                      </Text>
                    </Table.Td>
                    <Table.Td ta="right">
                      <Button
                        size="compact-sm"
                        onClick={() => setReviewing({ id: c.id, number: c.number })}
                      >
                        {t('quality.review')}
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Paper>

      <Paper withBorder radius="md" p="md">
        <Group justify="space-between" mb="sm">
          <Group gap="sm">
            <Title order={3} fz="md">
              {t('quality.history')}
            </Title>
            {average !== null && (
              <Badge variant="light">{t('quality.average', { score: average.toFixed(2) })}</Badge>
            )}
          </Group>
          <Select
            size="xs"
            aria-label={t('quality.agentFilter')}
            placeholder={t('quality.allAgents')}
            data={(agents.data ?? []).map((a) => ({ value: a.id, label: a.name }))}
            value={agentId ?? null}
            onChange={(value) => setParams(value ? { agentId: value } : {}, { replace: true })}
            clearable
            searchable
            w={220}
          />
        </Group>
        {reviews.isPending ? (
          <Loader size="sm" aria-label={t('common.loading')} />
        ) : !reviews.data ? (
          <ErrorAlert error={reviews.error} />
        ) : reviews.data.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('quality.historyEmpty')}
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={960}>
            <Table className="kefu-table" aria-label={t('quality.history')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('quality.columns.ticket')}</Table.Th>
                  <Table.Th>{t('quality.columns.agent')}</Table.Th>
                  <Table.Th>{t('quality.columns.score')}</Table.Th>
                  {CRITERIA.map((c) => (
                    <Table.Th key={c}>{t(`quality.criteria.${c}`)}</Table.Th>
                  ))}
                  <Table.Th>{t('quality.columns.comment')}</Table.Th>
                  <Table.Th>{t('quality.columns.reviewer')}</Table.Th>
                  <Table.Th>{t('quality.columns.at')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {reviews.data.map((r) => (
                  <Table.Tr key={r.id}>
                    <Table.Td>
                      <Anchor component={Link} to={`/conversations/${r.conversationId}`} size="sm">
                        #{r.conversationNumber}
                      </Anchor>
                    </Table.Td>
                    <Table.Td className="kefu-nowrap">
                      {r.agentName ?? t('quality.noAgent')}
                    </Table.Td>
                    <Table.Td fw={700}>{r.score.toFixed(1)}</Table.Td>
                    {CRITERIA.map((c) => (
                      <Table.Td key={c}>{r.scores[c]}</Table.Td>
                    ))}
                    <Table.Td>
                      <Text size="xs" className="kefu-truncate" maw={220} title={r.comment}>
                        {r.comment || t('common.none')}
                      </Text>
                    </Table.Td>
                    <Table.Td className="kefu-nowrap">
                      {r.reviewerName ?? t('common.unknown')}
                    </Table.Td>
                    <Table.Td className="kefu-nowrap">
                      <Text size="xs">{formatDateTime(r.createdAt)}</Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Paper>
      <Stack>
        <ReviewModal conversation={reviewing} onClose={() => setReviewing(null)} />
      </Stack>
    </Page>
  );
}
