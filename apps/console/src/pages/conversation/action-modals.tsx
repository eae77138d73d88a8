import type { TConversation, TTeam } from '@kefu/shared';
import {
  Button,
  Group,
  Modal,
  Radio,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useEscalateConversation, useMergeConversation } from '../../api/conversations.ts';
import { StatusBadge } from '../../components/conversation-badges.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { readableRedactions } from '../../lib/customer.ts';

const REASON_MIN = 3;
const REASON_MAX = 2000;

export function EscalateModal({
  opened,
  conversation,
  teams,
  onClose,
  onDone,
}: {
  opened: boolean;
  conversation: TConversation;
  teams: TTeam[];
  onClose: () => void;
  onDone: (conversation: TConversation) => void;
}) {
  const { t } = useTranslation();
  const escalate = useEscalateConversation(conversation.id);
  const l2Teams = teams.filter((team) => team.tier === 'L2');
  const [reason, setReason] = useState('');
  const [teamId, setTeamId] = useState<string | null>(l2Teams[0]?.id ?? null);
  const [touched, setTouched] = useState(false);
  const tooShort = reason.trim().length < REASON_MIN;

  const submit = () => {
    setTouched(true);
    if (tooShort) return;
    escalate.mutate(
      { reason: reason.trim(), ...(teamId ? { teamId } : {}) },
      {
        onSuccess: (result) => {
          setReason('');
          setTouched(false);
          onDone(result);
        },
      },
    );
  };

  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={t('workspace.escalate.title', { number: conversation.number })}
    >
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          {t('workspace.escalate.intro')}
        </Text>
        <Textarea
          label={t('workspace.escalate.reason')}
          placeholder={t('workspace.escalate.reasonPlaceholder')}
          autosize
          minRows={3}
          maxLength={REASON_MAX}
          value={reason}
          onChange={(event) => setReason(event.currentTarget.value)}
          error={touched && tooShort ? t('workspace.escalate.reasonTooShort') : undefined}
          data-autofocus
          required
        />
        {l2Teams.length > 1 && (
          <Select
            label={t('workspace.escalate.team')}
            data={l2Teams.map((team) => ({ value: team.id, label: team.name }))}
            value={teamId}
            onChange={setTeamId}
            allowDeselect={false}
          />
        )}
        {l2Teams.length === 1 && (
          <Text size="sm">{t('workspace.escalate.toTeam', { team: l2Teams[0]?.name ?? '' })}</Text>
        )}
        {escalate.error ? <ErrorAlert error={escalate.error} /> : null}
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button color="orange" loading={escalate.isPending} onClick={submit}>
            {t('workspace.escalate.submit')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function MergeModal({
  opened,
  conversation,
  candidates,
  onClose,
  onDone,
}: {
  opened: boolean;
  conversation: TConversation;
  /** The customer's other tickets: only those can be merged with this one. */
  candidates: TConversation[];
  onClose: () => void;
  onDone: (target: TConversation) => void;
}) {
  const { t } = useTranslation();
  const merge = useMergeConversation(conversation.id);
  const [target, setTarget] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const others = candidates.filter((c) => c.id !== conversation.id && !c.mergedIntoId);

  const resolve = (value: string): string | null => {
    const input = value.trim();
    if (UUID.test(input)) return input.toLowerCase();
    const number = Number(input.replace(/^#/, ''));
    if (Number.isInteger(number) && number > 0) {
      return others.find((c) => c.number === number)?.id ?? null;
    }
    return null;
  };

  const submit = () => {
    const intoId = resolve(target);
    if (!intoId) {
      setProblem(t('workspace.merge.notFound'));
      return;
    }
    setProblem(null);
    merge.mutate(intoId, { onSuccess: (result) => onDone(result) });
  };

  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={t('workspace.merge.title', { number: conversation.number })}
    >
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          {t('workspace.merge.intro')}
        </Text>
        <TextInput
          label={t('workspace.merge.target')}
          placeholder={t('workspace.merge.targetPlaceholder')}
          value={target}
          onChange={(event) => setTarget(event.currentTarget.value)}
          error={problem}
          data-autofocus
          onKeyDown={(event) => {
            if (event.key === 'Enter') submit();
          }}
        />
        {others.length > 0 && (
          <Radio.Group
            label={t('workspace.merge.pick')}
            value={others.find((c) => String(c.number) === target.replace(/^#/, ''))?.id ?? ''}
            onChange={(id) => {
              const picked = others.find((c) => c.id === id);
              if (picked) setTarget(String(picked.number));
            }}
          >
            <Stack gap={6} mt={4}>
              {others.slice(0, 8).map((c) => (
                <Radio
                  key={c.id}
                  value={c.id}
                  label={
                    <Group gap={6} wrap="nowrap">
                      <Text size="sm" fw={600}>
                        #{c.number}
                      </Text>
                      <Text size="sm" className="kefu-truncate" maw={240}>
                        {c.subject ? readableRedactions(c.subject) : t('ticket.noSubject')}
                      </Text>
                      <StatusBadge status={c.status} />
                    </Group>
                  }
                />
              ))}
            </Stack>
          </Radio.Group>
        )}
        {merge.error ? <ErrorAlert error={merge.error} /> : null}
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button
            color="grape"
            loading={merge.isPending}
            onClick={submit}
            disabled={!target.trim()}
          >
            {t('workspace.merge.submit')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
