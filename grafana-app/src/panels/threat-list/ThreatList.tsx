import { css, cx } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Icon, InlineSwitch, Input, useStyles2 } from '@grafana/ui';
import React, { useCallback, useMemo, useState } from 'react';

import type { DataType, Rating, Threat } from '../../api/types';
import { testIds } from '../../components/testIds';
import { type AllowlistDraft, AllowlistForm } from './AllowlistForm';
import { COLUMNS } from './columns';
import { filterThreats } from './filterThreats';
import { sortThreats, type ThreatSortKey } from './threatFigures';
import { EXPLANATION_HEIGHT } from './ThreatEvidence';
import { ThreatRow } from './ThreatRow';
import type { FeedbackMap } from './useFeedback';
import { rowOffsets, visibleRange } from './virtualWindow';

export const ROW_HEIGHT = 36;
const TOOLBAR_HEIGHT = 40;
const HEADER_HEIGHT = 30;
/** Expand chevron on the left, rating buttons, allowlist and job state on the right. */
const EXPAND_TRACK = '28px';
const ACTIONS_TRACK = '250px';

export interface ThreatListProps {
  threats: Threat[];
  width: number;
  height: number;
  feedback: FeedbackMap;
  onRate: (threat: Threat, rating: Rating) => void;
  onAllowlist: (threat: Threat, draft: AllowlistDraft) => void;
  /** Columns to show; defaults to the type most threats have. */
  dataType?: DataType;
  selectedId?: string;
  onSelect?: (threat: Threat) => void;
  onInvestigate?: (threat: Threat) => void;
  filterText?: string;
  onFilterTextChange?: (text: string) => void;
  hideRated?: boolean;
  showToolbar?: boolean;
  /** The order the list opens in; the fused rank unless a dashboard asks otherwise. */
  initialSort?: ThreatSortKey;
}

/** The ranked threats: only the rows in view are in the DOM, so ten thousand rows scroll like fifty. */
export function ThreatList(props: ThreatListProps) {
  const { threats, width, height, feedback, onRate, onAllowlist, selectedId, onSelect, onInvestigate, showToolbar = true } = props;
  const styles = useStyles2(getStyles);
  const [localFilter, setLocalFilter] = useState('');
  const [hideRated, setHideRated] = useState(props.hideRated ?? false);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const [scrollTop, setScrollTop] = useState(0);
  const [allowlisting, setAllowlisting] = useState<Threat | undefined>();
  const [sortKey, setSortKey] = useState<ThreatSortKey>(props.initialSort ?? 'rank');

  const filterText = props.filterText ?? localFilter;
  const setFilterText = props.onFilterTextChange ?? setLocalFilter;
  const dataType = props.dataType ?? majorityType(threats);
  const columns = COLUMNS[dataType];
  const gridTemplate = [EXPAND_TRACK, ...columns.map((c) => c.width), ACTIONS_TRACK].join(' ');

  const visible = useMemo(
    () => sortThreats(filterThreats(threats, { text: filterText, hideRated }, feedback), sortKey),
    [threats, filterText, hideRated, feedback, sortKey]
  );
  const expandedRows = useMemo(() => {
    const rows = new Set<number>();
    visible.forEach((threat, index) => expanded.has(threat.id) && rows.add(index));
    return rows;
  }, [visible, expanded]);
  const offsets = useMemo(() => rowOffsets(visible.length, ROW_HEIGHT, expandedRows, EXPLANATION_HEIGHT), [visible.length, expandedRows]);

  const viewportHeight = Math.max(ROW_HEIGHT, height - HEADER_HEIGHT - (showToolbar ? TOOLBAR_HEIGHT : 0));
  const { start, end } = visibleRange(offsets, scrollTop, viewportHeight);

  const toggle = useCallback(
    (threatId: string) =>
      setExpanded((previous) => {
        const next = new Set(previous);
        next.has(threatId) ? next.delete(threatId) : next.add(threatId);
        return next;
      }),
    []
  );

  return (
    <div className={styles.container} style={{ width, height }} data-testid={testIds.threatList.container}>
      {showToolbar && (
        <div className={styles.toolbar}>
          <Input
            className={styles.filter}
            prefix={<span className={styles.muted}>Filter</span>}
            placeholder="IP, query name, host, URL or tag"
            value={filterText}
            data-testid={testIds.threatList.filter}
            onChange={(e) => setFilterText(e.currentTarget.value)}
          />
          <InlineSwitch
            label="Hide rated"
            showLabel
            value={hideRated}
            data-testid={testIds.threatList.hideRated}
            onChange={() => setHideRated((hide) => !hide)}
          />
          <span className={styles.muted} data-testid={testIds.threatList.rowCount}>
            {visible.length} of {threats.length} events
          </span>
        </div>
      )}
      <div className={styles.header} style={{ gridTemplateColumns: gridTemplate }}>
        <span />
        {columns.map((column) =>
          column.sortKey ? (
            <button
              key={column.id}
              type="button"
              className={cx(styles.sortable, column.sortKey === sortKey && styles.sorted)}
              title={column.description ? `${column.description}. Click to sort.` : 'Click to sort'}
              aria-pressed={column.sortKey === sortKey}
              data-testid={testIds.threatList.sortBy(column.id)}
              onClick={() => setSortKey(column.sortKey!)}
            >
              {column.header}
              {column.sortKey === sortKey && <Icon name="arrow-down" size="xs" />}
            </button>
          ) : (
            <span key={column.id} title={column.description}>
              {column.header}
            </span>
          )
        )}
        <span className={styles.right}>Feedback</span>
      </div>
      <div
        className={styles.viewport}
        style={{ height: viewportHeight }}
        data-testid={testIds.threatList.viewport}
        onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
      >
        {visible.length === 0 ? (
          <div className={styles.empty} data-testid={testIds.threatList.empty}>
            No suspicious events match.
          </div>
        ) : (
          <div style={{ height: offsets[visible.length], position: 'relative' }}>
            {visible.slice(start, end).map((threat, i) => (
              <ThreatRow
                key={threat.id}
                threat={threat}
                columns={columns}
                gridTemplate={gridTemplate}
                top={offsets[start + i]}
                rowHeight={ROW_HEIGHT}
                expanded={expanded.has(threat.id)}
                selected={threat.id === selectedId}
                feedback={feedback.get(threat.id)}
                onToggle={toggle}
                onSelect={onSelect}
                onRate={onRate}
                onAllowlist={setAllowlisting}
                onInvestigate={onInvestigate}
              />
            ))}
          </div>
        )}
      </div>
      {allowlisting && (
        <AllowlistForm
          threat={allowlisting}
          onDismiss={() => setAllowlisting(undefined)}
          onSubmit={(draft) => {
            onAllowlist(allowlisting, draft);
            setAllowlisting(undefined);
          }}
        />
      )}
    </div>
  );
}

function majorityType(threats: Threat[]): DataType {
  const counts: Record<DataType, number> = { flow: 0, dns: 0, proxy: 0 };
  threats.forEach((threat) => (counts[threat.dataType] += 1));
  return (Object.keys(counts) as DataType[]).reduce((best, type) => (counts[type] > counts[best] ? type : best), 'flow');
}

const getStyles = (theme: GrafanaTheme2) => ({
  container: css({ display: 'flex', flexDirection: 'column', overflow: 'hidden', fontSize: theme.typography.bodySmall.fontSize }),
  toolbar: css({ display: 'flex', alignItems: 'center', gap: theme.spacing(2), height: TOOLBAR_HEIGHT, flexShrink: 0 }),
  filter: css({ maxWidth: 360 }),
  muted: css({ color: theme.colors.text.secondary }),
  header: css({
    display: 'grid',
    alignItems: 'center',
    columnGap: theme.spacing(1),
    padding: theme.spacing(0, 1),
    height: HEADER_HEIGHT,
    flexShrink: 0,
    color: theme.colors.text.secondary,
    fontWeight: theme.typography.fontWeightMedium,
    borderBottom: `1px solid ${theme.colors.border.medium}`,
    background: theme.colors.background.secondary,
  }),
  right: css({ textAlign: 'right' }),
  sortable: css({
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(0.25),
    minWidth: 0,
    padding: 0,
    border: 'none',
    background: 'none',
    color: 'inherit',
    font: 'inherit',
    whiteSpace: 'nowrap',
    overflow: 'hidden',
    cursor: 'pointer',
    '&:hover': { color: theme.colors.text.primary },
  }),
  sorted: css({ color: theme.colors.text.primary }),
  viewport: css({ overflowY: 'auto', overflowX: 'hidden', position: 'relative' }),
  empty: css({ padding: theme.spacing(4), textAlign: 'center', color: theme.colors.text.secondary }),
});
