import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from './error-alert.tsx';
import { notifySuccess } from './notify.ts';

export function ConfirmModal({
  opened,
  title,
  children,
  confirmLabel,
  color = 'red',
  loading,
  error,
  onConfirm,
  onClose,
}: {
  opened: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  color?: string;
  loading?: boolean;
  error?: unknown;
  onConfirm: () => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} title={title}>
      <Stack gap="md">
        <Text size="sm">{children}</Text>
        {error ? <ErrorAlert error={error} /> : null}
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button color={color} loading={loading} onClick={onConfirm} data-autofocus>
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/**
 * "Delete this …?" for a row opened with useDialog: runs the delete mutation on the row's id,
 * says what was deleted, and closes; an error stays in the dialog.
 */
export function DeleteConfirmModal<T extends { id: string }>({
  dialog,
  mutation,
  title,
  confirmLabel,
  deleted,
  children,
}: {
  dialog: { opened: boolean; value: T | null; close: () => void };
  mutation: {
    isPending: boolean;
    error: unknown;
    mutate: (id: string, options: { onSuccess: () => void }) => void;
  };
  title: string;
  confirmLabel: string;
  /** The notification once deleted. */
  deleted: (item: T) => string;
  children: ReactNode;
}) {
  return (
    <ConfirmModal
      opened={dialog.opened}
      title={title}
      confirmLabel={confirmLabel}
      loading={mutation.isPending}
      error={mutation.error}
      onClose={dialog.close}
      onConfirm={() => {
        const item = dialog.value;
        if (!item) return;
        mutation.mutate(item.id, {
          onSuccess: () => {
            notifySuccess(deleted(item));
            dialog.close();
          },
        });
      }}
    >
      {children}
    </ConfirmModal>
  );
}
