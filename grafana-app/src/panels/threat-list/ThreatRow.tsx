import { css, cx } from '@emotion/css';
import { dateTimeFormat, type GrafanaTheme2 } from '@grafana/data';
import { Badge, type BadgeColor, Button, ButtonGroup, IconButton, useStyles2 } from '@grafana/ui';
import React, { memo } from 'react';

import type { JobState, Rating, Threat } from '../../api/types';
import { EndpointMarks, ReputationShield } from '../../components/EndpointMarks';
import { testIds } from '../../components/testIds';
import { type ColumnDef, formatScore } from './columns';
import { ThreatEvidence } from './ThreatEvidence';
import { autoencoderRatio, fusedRankOf, fusedScoreOf } from './threatFigures';
import type { FeedbackEntry } from './useFeedback';

/** The error ratio the mark's bar is full at; the threshold tick sits at 1 of it. */
const AE_BAR_FULL_RATIO = 4;

const RATINGS: Array<{ rating: Rating; label: string; tooltip: string }> = [
  { rating: 1, label: '1', tooltip: 'High risk' },
  { rating: 2, label: '2', tooltip: 'Medium risk' },
  { rating: 3, label: '3', tooltip: 'Benign' },
];

const JOB_COLORS: Record<JobState, BadgeColor> = {
  waiting: 'blue',
  delayed: 'blue',
  prioritized: 'blue',
  'waiting-children': 'blue',
  active: 'orange',
  completed: 'green',
  failed: 'red',
  unknown: 'darkgrey',
};

interface Props {
  threat: Threat;
  columns: ColumnDef[];
  gridTemplate: string;
  top: number;
  rowHeight: number;
  expanded: boolean;
  selected: boolean;
  feedback?: FeedbackEntry;
  onToggle: (eventId: string) => void;
  onSelect?: (threat: Threat) => void;
  onRate: (threat: Threat, rating: Rating) => void;
  onAllowlist: (threat: Threat) => void;
  onInvestigate?: (threat: Threat) => void;
}

function ThreatRowView({ threat, columns, gridTemplate, top, rowHeight, expanded, selected, feedback, onToggle, onSelect, onRate, onAllowlist, onInvestigate }: Props) {
  const styles = useStyles2(getStyles);
  const rating = feedback?.rating ?? threat.rating;
  const jobState = feedback?.jobState;
  return (
    <div className={styles.row} style={{ top }} data-testid={testIds.threatList.row(threat.id)} aria-selected={selected}>
      <div
        className={cx(styles.cells, selected && styles.selected)}
        style={{ gridTemplateColumns: gridTemplate, height: rowHeight }}
        onClick={() => onSelect?.(threat)}
      >
        <IconButton
          name={expanded ? 'angle-down' : 'angle-right'}
          aria-label={expanded ? 'Hide explanation' : 'Show explanation'}
          data-testid={testIds.threatList.expand(threat.id)}
          onClick={(e) => {
            e.stopPropagation();
            onToggle(threat.id);
          }}
        />
        {columns.map((column) => (
          <div key={column.id} className={styles.cell}>
            {renderCell(column, threat, styles)}
          </div>
        ))}
        <div className={styles.actions} onClick={(e) => e.stopPropagation()}>
          <ButtonGroup>
            {RATINGS.map((option) => (
              <Button
                key={option.rating}
                size="sm"
                variant={rating === option.rating ? 'primary' : 'secondary'}
                fill={rating === option.rating ? 'solid' : 'outline'}
                tooltip={option.tooltip}
                aria-label={`Rate ${option.tooltip}`}
                data-testid={testIds.threatList.rate(threat.id, option.rating)}
                onClick={() => onRate(threat, option.rating)}
              >
                {option.label}
              </Button>
            ))}
          </ButtonGroup>
          <IconButton
            name="ban"
            tooltip="Allowlist"
            data-testid={testIds.threatList.allowlist(threat.id)}
            onClick={() => onAllowlist(threat)}
          />
          <span data-testid={testIds.threatList.jobState(threat.id)} data-state={jobState ?? (feedback?.error ? 'error' : '')}>
            {feedback?.error ? (
              <Badge color="red" text="error" tooltip={feedback.error} />
            ) : (
              jobState && <Badge color={JOB_COLORS[jobState]} text={`retrain ${jobState}`} icon={jobState === 'completed' ? 'check' : 'sync'} />
            )}
          </span>
        </div>
      </div>
      {expanded && <ThreatEvidence threat={threat} anchor={anchorOf(threat)} onInvestigate={onInvestigate} />}
    </div>
  );
}

export const ThreatRow = memo(ThreatRowView);

function renderCell(column: ColumnDef, threat: Threat, styles: ReturnType<typeof getStyles>) {
  switch (column.kind) {
    case 'endpoint':
      return column.side === 'dst' ? (
        <EndpointMarks ip={threat.dstIp} internal={threat.dstInternal} context={threat.dstContext} geo={threat.dstGeo} />
      ) : (
        <EndpointMarks ip={threat.srcIp} internal={threat.srcInternal} context={threat.srcContext} geo={threat.srcGeo} />
      );
    case 'time':
      return <span className={styles.muted}>{dateTimeFormat(threat.timestamp, { format: 'YYYY-MM-DD HH:mm:ss' })}</span>;
    case 'reputation':
      return <ReputationShield reputation={threat.reputation} />;
    case 'ldaScore':
      return <span className={styles.mono}>{formatScore(threat.score)}</span>;
    case 'fusedScore': {
      const fused = fusedScoreOf(threat);
      return <span className={styles.mono}>{fused === undefined ? '-' : fused.toFixed(1)}</span>;
    }
    case 'autoencoder':
      return <AutoencoderMark threat={threat} styles={styles} />;
    case 'rank':
      return <span className={styles.rank}>{fusedRankOf(threat)}</span>;
    case 'tags':
      return (
        <span className={styles.tags}>
          {threat.heuristics.map((tag) => (
            <span key={tag} className={styles.tag}>
              {tag}
            </span>
          ))}
        </span>
      );
    default: {
      const value = column.value(threat);
      return <span title={value === undefined ? undefined : String(value)}>{value ?? '-'}</span>;
    }
  }
}

/** Error against threshold as a short bar with a tick at the threshold, and the multiple beside it. */
function AutoencoderMark({ threat, styles }: { threat: Threat; styles: ReturnType<typeof getStyles> }) {
  const ratio = autoencoderRatio(threat);
  if (ratio === undefined) {
    return <span className={styles.muted}>-</span>;
  }
  const above = ratio >= 1;
  const fill = Math.min(ratio, AE_BAR_FULL_RATIO) / AE_BAR_FULL_RATIO;
  return (
    <span
      className={styles.aeMark}
      title={`reconstruction error ${threat.autoencoder!.error.toPrecision(3)}, threshold ${threat.autoencoder!.threshold.toPrecision(3)}`}
      data-testid={testIds.threatList.autoencoderMark(threat.id)}
      data-above-threshold={above}
    >
      <span className={styles.aeTrack}>
        <span className={above ? styles.aeFillAbove : styles.aeFill} style={{ width: `${fill * 100}%` }} />
        <span className={styles.aeTick} style={{ left: `${100 / AE_BAR_FULL_RATIO}%` }} />
      </span>
      <span className={styles.mono}>{ratio < 10 ? ratio.toFixed(1) : Math.round(ratio)}x</span>
    </span>
  );
}

/** The anchor an investigation of this threat starts from: the query name for DNS, the URL for proxy, else the source. */
export function anchorOf(threat: Threat): string {
  return threat.dataType === 'dns' ? threat.dnsQuery ?? threat.srcIp : threat.dataType === 'proxy' ? threat.url ?? threat.srcIp : threat.srcIp;
}

const getStyles = (theme: GrafanaTheme2) => ({
  row: css({ position: 'absolute', left: 0, right: 0, borderBottom: `1px solid ${theme.colors.border.weak}` }),
  cells: css({
    display: 'grid',
    alignItems: 'center',
    columnGap: theme.spacing(1),
    padding: theme.spacing(0, 1),
    cursor: 'pointer',
    '&:hover': { background: theme.colors.action.hover },
  }),
  selected: css({ background: theme.colors.action.selected, boxShadow: `inset 3px 0 0 ${theme.colors.primary.main}` }),
  cell: css({ overflow: 'hidden', whiteSpace: 'nowrap', textOverflow: 'ellipsis', minWidth: 0 }),
  actions: css({ display: 'flex', alignItems: 'center', gap: theme.spacing(0.5), justifyContent: 'flex-end' }),
  muted: css({ color: theme.colors.text.secondary }),
  mono: css({ fontFamily: theme.typography.fontFamilyMonospace }),
  rank: css({ fontWeight: theme.typography.fontWeightMedium, color: theme.colors.text.primary }),
  tags: css({ display: 'flex', gap: theme.spacing(0.5), overflow: 'hidden' }),
  tag: css({
    padding: theme.spacing(0, 0.75),
    borderRadius: theme.shape.radius.pill,
    background: theme.colors.warning.transparent,
    color: theme.colors.warning.text,
    fontSize: theme.typography.bodySmall.fontSize,
    whiteSpace: 'nowrap',
  }),
  aeMark: css({ display: 'flex', alignItems: 'center', gap: theme.spacing(0.5) }),
  aeTrack: css({
    position: 'relative',
    width: 36,
    height: 6,
    flexShrink: 0,
    borderRadius: theme.shape.radius.default,
    background: theme.colors.background.canvas,
    border: `1px solid ${theme.colors.border.weak}`,
    overflow: 'hidden',
  }),
  // Secondary text, not disabled: a fill below the threshold must still read on the light theme.
  aeFill: css({ position: 'absolute', left: 0, top: 0, bottom: 0, background: theme.colors.text.secondary }),
  aeFillAbove: css({ position: 'absolute', left: 0, top: 0, bottom: 0, background: theme.colors.error.main }),
  aeTick: css({ position: 'absolute', top: 0, bottom: 0, width: 1, background: theme.colors.text.primary }),
});
