import type { TAgent, TLocale, TRole } from '@kefu/shared';
import {
  Button,
  Checkbox,
  Group,
  Modal,
  MultiSelect,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  TagsInput,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconWand } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCreateAgent, useUpdateAgent } from '../../api/agents.ts';
import { useTeams } from '../../api/teams.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { FormActions } from '../../components/form-actions.tsx';
import { notifySuccess } from '../../components/notify.ts';
import { PasswordField } from '../../components/password-field.tsx';
import { CAPACITY_MAX, PASSWORD_MIN } from '../../lib/limits.ts';
import { CONSOLE_LOCALES } from '../../lib/preferences.ts';
import { randomPassword } from '../../lib/random-password.ts';

const ROLE_CHOICES: TRole[] = ['agent', 'supervisor', 'admin'];
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
// Hints under the inputs keep the two columns' inputs level.
const BELOW: ('label' | 'input' | 'description' | 'error')[] = [
  'label',
  'input',
  'description',
  'error',
];

type Values = {
  name: string;
  email: string;
  role: TRole;
  password: string;
  languages: TLocale[];
  skills: string[];
  capacity: number | string;
  teamIds: string[];
  active: boolean;
};

/** Create (agent = null) or edit an agent. Edit leaves email and password alone. */
export function AgentFormModal({
  opened,
  agent,
  formKey,
  selfId,
  onClose,
}: {
  opened: boolean;
  agent: TAgent | null;
  /** Changes on every opening: the form starts from the agent's current values. */
  formKey: number;
  selfId: string;
  onClose: () => void;
}) {
  return (
    <Modal opened={opened} onClose={onClose} size="lg" title={<AgentFormTitle agent={agent} />}>
      <AgentForm key={formKey} agent={agent} selfId={selfId} onClose={onClose} />
    </Modal>
  );
}

function AgentFormTitle({ agent }: { agent: TAgent | null }) {
  const { t } = useTranslation();
  return <>{agent ? t('agents.editTitle', { name: agent.name }) : t('agents.createTitle')}</>;
}

function AgentForm({
  agent,
  selfId,
  onClose,
}: {
  agent: TAgent | null;
  selfId: string;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const teams = useTeams();
  const create = useCreateAgent();
  const update = useUpdateAgent();
  const mutation = agent ? update : create;
  const isSelf = agent?.id === selfId;
  const [passwordVisible, setPasswordVisible] = useState(false);

  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: {
      name: agent?.name ?? '',
      email: agent?.email ?? '',
      role: agent?.role ?? 'agent',
      password: '',
      languages: agent?.languages ?? ['zh-CN'],
      skills: agent?.skills ?? [],
      capacity: agent?.capacity ?? 5,
      teamIds: agent?.teamIds ?? [],
      active: agent?.active ?? true,
    },
    validate: {
      name: (value) => (value.trim() ? null : t('agents.validation.nameRequired')),
      email: (value) =>
        agent || EMAIL_PATTERN.test(value.trim()) ? null : t('agents.validation.emailInvalid'),
      password: (value) =>
        agent || value.length >= PASSWORD_MIN
          ? null
          : t('agents.validation.passwordTooShort', { min: PASSWORD_MIN }),
      languages: (value) => (value.length > 0 ? null : t('agents.validation.languagesRequired')),
    },
  });

  const submit = (values: Values) => {
    const common = {
      name: values.name.trim(),
      languages: values.languages,
      skills: values.skills.map((s) => s.trim()).filter(Boolean),
      capacity: Number(values.capacity) || 0,
      teamIds: values.teamIds,
    };
    if (agent) {
      update.mutate(
        {
          id: agent.id,
          ...common,
          // The API refuses a change to one's own role or active flag, even to the same value.
          ...(isSelf ? {} : { role: values.role, active: values.active }),
        },
        {
          onSuccess: (saved) => {
            notifySuccess(t('agents.updated', { name: saved.name }));
            onClose();
          },
        },
      );
    } else {
      create.mutate(
        { ...common, email: values.email.trim(), role: values.role, password: values.password },
        {
          onSuccess: (saved) => {
            notifySuccess(t('agents.created', { name: saved.name }));
            onClose();
          },
        },
      );
    }
  };

  return (
    <form onSubmit={form.onSubmit(submit)} noValidate>
      <Stack gap="sm">
        {mutation.error && <ErrorAlert error={mutation.error} />}
        <SimpleGrid cols={2} spacing="sm">
          <TextInput
            label={t('agents.field.name')}
            required
            data-autofocus
            {...form.getInputProps('name')}
          />
          <TextInput
            label={t('agents.field.email')}
            type="email"
            required={!agent}
            disabled={Boolean(agent)}
            autoComplete="off"
            {...form.getInputProps('email')}
          />
          <Select
            label={t('agents.field.role')}
            data={ROLE_CHOICES.map((role) => ({ value: role, label: t(`roles.${role}`) }))}
            allowDeselect={false}
            disabled={isSelf}
            description={isSelf ? t('agents.field.selfHint') : undefined}
            inputWrapperOrder={BELOW}
            {...form.getInputProps('role')}
          />
          <NumberInput
            label={t('agents.field.capacity')}
            description={t('agents.field.capacityHint')}
            inputWrapperOrder={BELOW}
            min={0}
            max={CAPACITY_MAX}
            clampBehavior="strict"
            allowDecimal={false}
            {...form.getInputProps('capacity')}
          />
          {!agent && (
            <Stack gap={4}>
              <PasswordField
                label={t('agents.field.password')}
                description={t('agents.field.passwordHint', { min: PASSWORD_MIN })}
                inputWrapperOrder={BELOW}
                required
                autoComplete="new-password"
                visible={passwordVisible}
                onVisibilityChange={setPasswordVisible}
                {...form.getInputProps('password')}
              />
              <Button
                size="compact-xs"
                variant="subtle"
                w="fit-content"
                leftSection={<IconWand size={14} />}
                onClick={() => {
                  form.setFieldValue('password', randomPassword());
                  // Shown so the admin can pass it on.
                  setPasswordVisible(true);
                }}
              >
                {t('agents.field.generateLabel')}
              </Button>
            </Stack>
          )}
        </SimpleGrid>
        <Checkbox.Group
          label={t('agents.field.languages')}
          description={t('agents.field.languagesHint')}
          {...form.getInputProps('languages')}
        >
          <Group gap="lg" mt={6}>
            {CONSOLE_LOCALES.map((locale) => (
              <Checkbox key={locale} value={locale} label={t(`locales.${locale}`)} />
            ))}
          </Group>
        </Checkbox.Group>
        <TagsInput
          label={t('agents.field.skills')}
          description={t('agents.field.skillsHint')}
          maxTags={30}
          clearable
          {...form.getInputProps('skills')}
        />
        <MultiSelect
          label={t('agents.field.teams')}
          placeholder={form.values.teamIds.length ? undefined : t('agents.field.teamsPlaceholder')}
          data={(teams.data ?? []).map((team) => ({
            value: team.id,
            label: `${team.name} (${team.tier})`,
          }))}
          searchable
          clearable
          {...form.getInputProps('teamIds')}
        />
        {agent && (
          <Switch
            label={t('agents.field.active')}
            description={isSelf ? t('agents.field.selfHint') : t('agents.field.activeHint')}
            disabled={isSelf}
            {...form.getInputProps('active', { type: 'checkbox' })}
          />
        )}
        <FormActions onCancel={onClose} loading={mutation.isPending} editing={!!agent} />
      </Stack>
    </form>
  );
}
