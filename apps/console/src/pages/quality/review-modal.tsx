import type { TQualityCriterion, TQualityScores } from '@kefu/shared';
import { Button, Group, Modal, SegmentedControl, Stack, Text, Textarea } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCreateQualityReview } from '../../api/reports.ts';
import { notifyError, notifySuccess } from '../../components/notify.ts';

// The console imports no values from the shared schemas (that would bundle zod).
export const CRITERIA: readonly TQualityCriterion[] = [
  'responseSpeed',
  'attitude',
  'resolution',
  'followUp',
  'accuracy',
];
const SCORES = ['1', '2', '3', '4', '5'];

/** The rubric form: five criteria scored 1–5 and a comment. */
export function ReviewModal({
  conversation,
  onClose,
}: {
  conversation: { id: string; number: number } | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const create = useCreateQualityReview();
  const [scores, setScores] = useState<Partial<TQualityScores>>({});
  const [comment, setComment] = useState('');
  const complete = CRITERIA.every((c) => scores[c] !== undefined);

  const close = () => {
    setScores({});
    setComment('');
    onClose();
  };
  const submit = () => {
    if (!conversation || !complete) return;
    create.mutate(
      { conversationId: conversation.id, scores: scores as TQualityScores, comment },
      {
        onSuccess: () => {
          notifySuccess(t('quality.saved'));
          close();
        },
        onError: (error) => notifyError(error),
      },
    );
  };

  return (
    <Modal
      opened={conversation !== null}
      onClose={close}
      title={conversation ? t('quality.reviewTitle', { number: conversation.number }) : ''}
      size="lg"
    >
      <Stack gap="sm">
        {CRITERIA.map((criterion) => (
          <Group key={criterion} justify="space-between" wrap="nowrap" gap="md">
            <div style={{ minWidth: 0 }}>
              <Text size="sm" fw={600} id={`criterion-${criterion}`}>
                {t(`quality.criteria.${criterion}`)}
              </Text>
              <Text size="xs" c="dimmed">
                {t(`quality.hints.${criterion}`)}
              </Text>
            </div>
            <SegmentedControl
              aria-labelledby={`criterion-${criterion}`}
              data-criterion={criterion}
              size="xs"
              value={scores[criterion] ? String(scores[criterion]) : ''}
              onChange={(value) => setScores({ ...scores, [criterion]: Number(value) })}
              data={SCORES}
              style={{ flexShrink: 0 }}
            />
          </Group>
        ))}
        <Textarea
          label={t('quality.comment')}
          placeholder={t('quality.commentPlaceholder')}
          value={comment}
          onChange={(e) => setComment(e.currentTarget.value)}
          autosize
          minRows={3}
          maxLength={4000}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>
            {t('common.cancel')}
          </Button>
          <Button onClick={submit} disabled={!complete} loading={create.isPending}>
            {t('quality.submit')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
