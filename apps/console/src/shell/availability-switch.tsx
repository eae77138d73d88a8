import type { TAvailability } from '@kefu/shared';
import { Group, SegmentedControl } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useCurrentMe, useSetAvailability } from '../api/auth.ts';
import { AvailabilityDot } from '../components/badges.tsx';
import { notifyError } from '../components/notify.ts';

const CHOICES: TAvailability[] = ['online', 'away', 'offline'];

/** Online/away/offline; routing (later) only offers conversations to online agents. */
export function AvailabilitySwitch() {
  const { t } = useTranslation();
  const me = useCurrentMe();
  const setAvailability = useSetAvailability();
  const value = setAvailability.isPending
    ? (setAvailability.variables ?? me.agent.availability)
    : me.agent.availability;
  return (
    <SegmentedControl
      size="xs"
      aria-label={t('availability.label')}
      value={value}
      disabled={setAvailability.isPending}
      onChange={(next) => {
        const choice = CHOICES.find((c) => c === next);
        if (!choice || choice === me.agent.availability) return;
        setAvailability.mutate(choice, {
          onError: (error) => notifyError(error, t('availability.changeFailed')),
        });
      }}
      data={CHOICES.map((choice) => ({
        value: choice,
        label: (
          <Group gap={6} wrap="nowrap">
            <AvailabilityDot availability={choice} />
            <span>{t(`availability.${choice}`)}</span>
          </Group>
        ),
      }))}
    />
  );
}
