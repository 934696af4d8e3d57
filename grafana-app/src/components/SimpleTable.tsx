import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import React, { type ReactNode } from 'react';

export interface SimpleColumn<T> {
  header: string;
  cell: (row: T) => ReactNode;
  align?: 'left' | 'right';
}

interface Props<T> {
  rows: readonly T[];
  columns: Array<SimpleColumn<T>>;
  rowKey: (row: T, index: number) => string;
  rowTestId?: (row: T) => string;
  empty?: string;
  testId?: string;
}

/** A plain themed table for the short lists on the pages (peers, models, jobs), where virtualisation is not needed. */
export function SimpleTable<T>({ rows, columns, rowKey, rowTestId, empty = 'Nothing to show.', testId }: Props<T>) {
  const styles = useStyles2(getStyles);
  if (rows.length === 0) {
    return (
      <div className={styles.empty} data-testid={testId}>
        {empty}
      </div>
    );
  }
  return (
    <table className={styles.table} data-testid={testId}>
      <thead>
        <tr>
          {columns.map((column) => (
            <th key={column.header} className={column.align === 'right' ? styles.right : undefined}>
              {column.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row, index) => (
          <tr key={rowKey(row, index)} data-testid={rowTestId?.(row)}>
            {columns.map((column) => (
              <td key={column.header} className={column.align === 'right' ? styles.right : undefined}>
                {column.cell(row)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  table: css({
    width: '100%',
    borderCollapse: 'collapse',
    fontSize: theme.typography.bodySmall.fontSize,
    th: {
      textAlign: 'left',
      color: theme.colors.text.secondary,
      fontWeight: theme.typography.fontWeightMedium,
      padding: theme.spacing(0.5, 1),
      borderBottom: `1px solid ${theme.colors.border.medium}`,
    },
    td: { padding: theme.spacing(0.5, 1), borderBottom: `1px solid ${theme.colors.border.weak}` },
  }),
  right: css({ textAlign: 'right' }),
  empty: css({ color: theme.colors.text.secondary, padding: theme.spacing(2) }),
});
