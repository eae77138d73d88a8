import { Button, Group } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/**
 * The foot of a create-or-edit form: Cancel, and the submit button, which says Save when the
 * form edits something and Create (or `createLabel`) when it makes something new.
 */
export function FormActions({
  onCancel,
  loading,
  editing = false,
  createLabel,
}: {
  onCancel: () => void;
  loading: boolean;
  editing?: boolean;
  createLabel?: string;
}) {
  const { t } = useTranslation();
  return (
    <Group justify="flex-end" gap="xs" mt="xs">
      <Button variant="default" onClick={onCancel}>
        {t('common.cancel')}
      </Button>
      <Button type="submit" loading={loading}>
        {editing ? t('common.save') : (createLabel ?? t('common.create'))}
      </Button>
    </Group>
  );
}
