import { Paper, Table } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * The table of a list: headed by `columns` and, when the viewer may act on rows, Actions (the
 * rows end with a RowActionsCell then). It scrolls sideways only when narrower than `minWidth`,
 * and stands in its own frame unless it sits in one already (`framed={false}`).
 */
export function ListTable({
  label,
  columns,
  actions = false,
  minWidth,
  framed = true,
  children,
}: {
  label: string;
  columns: string[];
  actions?: boolean;
  minWidth: number;
  framed?: boolean;
  /** The rows. */
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const table = (
    <Table.ScrollContainer minWidth={minWidth}>
      <Table className="kefu-table" highlightOnHover aria-label={label}>
        <Table.Thead>
          <Table.Tr>
            {columns.map((column) => (
              <Table.Th key={column}>{column}</Table.Th>
            ))}
            {actions && <Table.Th ta="right">{t('common.actions')}</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>{children}</Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
  return framed ? (
    <Paper withBorder radius="md">
      {table}
    </Paper>
  ) : (
    table
  );
}
