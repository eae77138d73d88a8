import type { TLocale, TTeam } from '@kefu/shared';
import {
  Checkbox,
  Group,
  Input,
  SegmentedControl,
  Select,
  Stack,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useCreateTeam, useUpdateTeam } from '../../api/teams.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { FormActions } from '../../components/form-actions.tsx';
import { notifySuccess } from '../../components/notify.ts';
import { CONSOLE_LOCALES } from '../../lib/preferences.ts';

type Tier = TTeam['tier'];

type Values = {
  name: string;
  description: string;
  languages: TLocale[];
  tier: Tier;
  timezone: string;
};

function timeZones(): string[] {
  const zones = Intl.supportedValuesOf?.('timeZone') ?? [];
  // Intl's list leaves out UTC in some engines; it is a common choice for a team.
  return zones.includes('UTC') ? zones : ['UTC', ...zones];
}

function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

/** Creates a team, or changes one (prefilled with its current values). */
export function TeamForm({ team, onClose }: { team: TTeam | null; onClose: () => void }) {
  const { t } = useTranslation();
  const create = useCreateTeam();
  const update = useUpdateTeam();
  const mutation = team ? update : create;
  const zones = useMemo(() => {
    const list = timeZones();
    // Keep a zone the server accepted even if this browser does not list it.
    return team && !list.includes(team.timezone) ? [team.timezone, ...list] : list;
  }, [team]);

  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: {
      name: team?.name ?? '',
      description: team?.description ?? '',
      languages: team?.languages ?? ['zh-CN'],
      tier: team?.tier ?? 'L1',
      timezone: team?.timezone ?? browserTimeZone(),
    },
    validate: {
      name: (value) => (value.trim() ? null : t('teams.validation.nameRequired')),
      languages: (value) => (value.length > 0 ? null : t('teams.validation.languagesRequired')),
      timezone: (value) => (value ? null : t('teams.validation.timezoneRequired')),
    },
  });

  const submit = (values: Values) => {
    const input = {
      name: values.name.trim(),
      description: values.description.trim(),
      languages: values.languages,
      tier: values.tier,
      timezone: values.timezone,
    };
    if (team) {
      update.mutate(
        { id: team.id, ...input },
        {
          onSuccess: (saved) => {
            notifySuccess(t('teams.updated', { name: saved.name }));
            onClose();
          },
        },
      );
    } else {
      create.mutate(input, {
        onSuccess: (saved) => {
          notifySuccess(t('teams.created', { name: saved.name }));
          onClose();
        },
      });
    }
  };

  return (
    <form onSubmit={form.onSubmit(submit)} noValidate>
      <Stack gap="sm">
        {mutation.error && <ErrorAlert error={mutation.error} />}
        <TextInput
          label={t('teams.field.name')}
          placeholder={t('teams.field.namePlaceholder')}
          required
          data-autofocus
          maxLength={120}
          {...form.getInputProps('name')}
        />
        <Textarea
          label={t('teams.field.description')}
          autosize
          minRows={2}
          maxRows={5}
          maxLength={500}
          {...form.getInputProps('description')}
        />
        <Checkbox.Group label={t('teams.field.languages')} {...form.getInputProps('languages')}>
          <Group gap="lg" mt={6}>
            {CONSOLE_LOCALES.map((locale) => (
              <Checkbox key={locale} value={locale} label={t(`locales.${locale}`)} />
            ))}
          </Group>
        </Checkbox.Group>
        <Input.Wrapper
          label={t('teams.field.tier')}
          description={t('teams.field.tierHint')}
          labelElement="div"
          labelProps={{ id: 'team-tier-label' }}
          inputWrapperOrder={['label', 'input', 'description']}
        >
          <div>
            <SegmentedControl
              aria-labelledby="team-tier-label"
              data={[
                { value: 'L1', label: 'L1' },
                { value: 'L2', label: 'L2' },
              ]}
              w={160}
              my={4}
              value={form.values.tier}
              onChange={(value) => form.setFieldValue('tier', value === 'L2' ? 'L2' : 'L1')}
            />
          </div>
        </Input.Wrapper>
        <Select
          label={t('teams.field.timezone')}
          description={t('teams.field.timezoneHint')}
          data={zones}
          searchable
          allowDeselect={false}
          limit={50}
          maxDropdownHeight={260}
          {...form.getInputProps('timezone')}
        />
        <FormActions onCancel={onClose} loading={mutation.isPending} editing={!!team} />
      </Stack>
    </form>
  );
}
