import { type MantineSize, Modal } from '@mantine/core';
import { Fragment, type ReactNode } from 'react';

/**
 * The modal of a create-or-edit form opened with useDialog: titled for what it does, and with a
 * fresh form at every opening (the dialog's key), so an edit starts from the current values.
 */
export function EditorModal({
  dialog,
  title,
  size = 'md',
  children,
}: {
  dialog: { opened: boolean; key: number; close: () => void };
  title: string;
  size?: MantineSize;
  children: ReactNode;
}) {
  return (
    <Modal opened={dialog.opened} onClose={dialog.close} size={size} title={title}>
      <Fragment key={dialog.key}>{children}</Fragment>
    </Modal>
  );
}
