import { css, cx } from '@emotion/css';
import { dateTimeFormat, type GrafanaTheme2 } from '@grafana/data';
import { Badge, type BadgeColor, Button, ButtonGroup, IconButton, useStyles2 } from '@grafana/ui';
import React, { memo } from 'react';

import type { JobState, Rating, Threat } from '../../api/types';
import { EndpointMarks, ReputationShield } from '../../components/EndpointMarks';
import { testIds } from '../../components/testIds';
import { type ColumnDef, formatScore } from './columns';
import type { FeedbackEntry } from './useFeedback';

export const EXPLANATION_HEIGHT = 150;

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
      {expanded && <Explanation threat={threat} onInvestigate={onInvestigate} />}
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
    case 'score':
      return <span className={styles.mono}>{formatScore(threat.score)}</span>;
    case 'rank':
      return <span className={styles.rank}>{threat.rank}</span>;
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

/** The anchor an investigation of this threat starts from: the query name for DNS, the URL for proxy, else the source. */
export function anchorOf(threat: Threat): string {
  return threat.dataType === 'dns' ? threat.dnsQuery ?? threat.srcIp : threat.dataType === 'proxy' ? threat.url ?? threat.srcIp : threat.srcIp;
}

function Explanation({ threat, onInvestigate }: { threat: Threat; onInvestigate?: (threat: Threat) => void }) {
  const styles = useStyles2(getStyles);
  return (
    <div className={styles.explanation} data-testid={testIds.threatList.explanation(threat.id)}>
      <div>
        <div className={styles.muted}>
          Why it ranks here ({threat.model || 'model'} v{threat.modelVersion})
        </div>
        <p className={styles.text}>{threat.explanation || 'No explanation recorded.'}</p>
        <div className={styles.words}>
          {threat.words.slice(0, 8).map((word) => (
            <code key={word} className={styles.word}>
              {word}
            </code>
          ))}
        </div>
      </div>
      <div className={styles.facts}>
        <div>
          <span className={styles.muted}>Source</span> {describeEndpoint(threat.srcIp, threat.srcPort, threat.srcInternal, threat.srcContext, threat.srcGeo)}
        </div>
        {threat.dstIp && (
          <div>
            <span className={styles.muted}>Destination</span>{' '}
            {describeEndpoint(threat.dstIp, threat.dstPort, threat.dstInternal, threat.dstContext, threat.dstGeo)}
          </div>
        )}
        {threat.reputation && threat.reputation.hits.length > 0 && (
          <div>
            <span className={styles.muted}>Reputation</span>{' '}
            {threat.reputation.hits.map((hit) => `${hit.provider} ${hit.label}`).join(', ')}
          </div>
        )}
        {threat.userAgent && (
          <div>
            <span className={styles.muted}>User agent</span> {threat.userAgent}
          </div>
        )}
        {onInvestigate && (
          <Button size="sm" icon="search" variant="secondary" onClick={() => onInvestigate(threat)}>
            Investigate {anchorOf(threat)}
          </Button>
        )}
      </div>
    </div>
  );
}

function describeEndpoint(ip: string, port: number | undefined, internal: boolean | undefined, context: string | undefined, geo: Threat['srcGeo']): string {
  const where = internal ? context || 'internal' : [geo?.city, geo?.country, geo?.asOrg].filter(Boolean).join(', ') || 'external';
  return `${ip}${port !== undefined ? `:${port}` : ''} (${where})`;
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
  explanation: css({
    display: 'grid',
    gridTemplateColumns: '1fr 1fr',
    gap: theme.spacing(2),
    padding: theme.spacing(1, 2, 1, 5),
    height: EXPLANATION_HEIGHT,
    overflow: 'auto',
    background: theme.colors.background.secondary,
  }),
  text: css({ margin: theme.spacing(0.5, 0) }),
  words: css({ display: 'flex', flexWrap: 'wrap', gap: theme.spacing(0.5) }),
  word: css({ fontSize: theme.typography.bodySmall.fontSize }),
  facts: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(0.5), alignItems: 'flex-start' }),
});
