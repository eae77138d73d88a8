import { ActionIcon, Table, Tooltip } from '@mantine/core';
import { IconPencil, IconTrash } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/** The last cell of a table row: the row's actions, right-aligned on one line. */
export function RowActionsCell({ children }: { children: ReactNode }) {
  return (
    <Table.Td ta="right" className="kefu-nowrap">
      {children}
    </Table.Td>
  );
}

/** The pencil of a row, named for the row it edits. */
export function EditAction({ label, onClick }: { label: string; onClick: () => void }) {
  const { t } = useTranslation();
  return (
    <Tooltip label={t('common.edit')}>
      <ActionIcon variant="subtle" color="gray" aria-label={label} onClick={onClick}>
        <IconPencil size={16} />
      </ActionIcon>
    </Tooltip>
  );
}

/** The bin of a row, named for the row it deletes. */
export function DeleteAction({ label, onClick }: { label: string; onClick: () => void }) {
  return (
    <Tooltip label={label}>
      <ActionIcon variant="subtle" color="red" aria-label={label} onClick={onClick}>
        <IconTrash size={16} />
      </ActionIcon>
    </Tooltip>
  );
}

/** The last cell of an editable table row: edit and delete, each named for the row it acts on. */
export function EditDeleteCell({
  editLabel,
  deleteLabel,
  onEdit,
  onDelete,
}: {
  editLabel: string;
  deleteLabel: string;
  onEdit: () => void;
  onDelete: () => void;
}) {
  return (
    <RowActionsCell>
      <EditAction label={editLabel} onClick={onEdit} />
      <DeleteAction label={deleteLabel} onClick={onDelete} />
    </RowActionsCell>
  );
}
