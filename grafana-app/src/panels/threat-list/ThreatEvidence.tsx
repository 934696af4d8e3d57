import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Button, useStyles2 } from '@grafana/ui';
import React from 'react';

import type { Threat } from '../../api/types';
import { testIds } from '../../components/testIds';
import { formatScore } from './columns';
import { autoencoderRatio, evidenceLabel, featureLabel, formatFigure, fusedScoreOf } from './threatFigures';

/** The expanded part of a row has one fixed height, so the virtual list can place every row without measuring. */
export const EXPLANATION_HEIGHT = 180;

interface Props {
  threat: Threat;
  /** The anchor an investigation starts from, shown on its button. */
  anchor: string;
  onInvestigate?: (threat: Threat) => void;
}

/**
 * Why an event ranks where it does, one section per detector that had a say: the fusion and Spot's LDA, the
 * autoencoder's worst-reconstructed features (flows), the heuristic hits with the figures that triggered them,
 * and the endpoints.
 */
export function ThreatEvidence({ threat, anchor, onInvestigate }: Props) {
  const styles = useStyles2(getStyles);
  const fusedScore = fusedScoreOf(threat);
  const components = Object.entries(threat.fused?.components ?? {}).filter(([, value]) => typeof value === 'number');
  const autoencoder = threat.autoencoder;
  const ratio = autoencoderRatio(threat);
  const hits = threat.heuristicHits ?? [];
  return (
    <div className={styles.evidence} data-testid={testIds.threatList.explanation(threat.id)}>
      <section className={styles.section} data-testid={testIds.threatList.ldaEvidence(threat.id)}>
        <div className={styles.heading}>
          Why it ranks here ({threat.model || 'model'} v{threat.modelVersion})
        </div>
        {fusedScore !== undefined && (
          <div>
            <span className={styles.muted}>Fused</span> {formatFigure(fusedScore)}
            {threat.fused?.pValue !== undefined && <span className={styles.muted}> (p {formatFigure(threat.fused.pValue)})</span>}
            {components.length > 0 && (
              <span className={styles.muted}>
                {' '}
                from {components.map(([name, value]) => `${name} ${formatFigure(value)}`).join(', ')}
              </span>
            )}
          </div>
        )}
        <div>
          <span className={styles.muted}>P(word|IP)</span> <span className={styles.mono}>{formatScore(threat.score)}</span>
          {threat.concentration !== undefined && (
            <>
              {' '}
              <span className={styles.muted}>concentration</span> {formatFigure(threat.concentration)}
            </>
          )}
        </div>
        <p className={styles.text}>{threat.explanation || 'No explanation recorded.'}</p>
        <div className={styles.chips}>
          {threat.words.slice(0, 8).map((word) => (
            <code key={word} className={styles.word}>
              {word}
            </code>
          ))}
        </div>
      </section>

      {autoencoder && (
        <section className={styles.section} data-testid={testIds.threatList.autoencoderEvidence(threat.id)}>
          <div className={styles.heading}>
            Autoencoder: error {formatFigure(autoencoder.error)} against threshold {formatFigure(autoencoder.threshold)}
            {ratio !== undefined && ` (${ratio.toFixed(1)}x)`}
          </div>
          {(autoencoder.topFeatures ?? []).length === 0 ? (
            <div className={styles.muted}>No feature contributions recorded.</div>
          ) : (
            <table className={styles.table}>
              <thead>
                <tr>
                  <th>Feature</th>
                  <th className={styles.number}>Value</th>
                  <th className={styles.number}>Expected</th>
                  <th className={styles.number}>Share</th>
                </tr>
              </thead>
              <tbody>
                {autoencoder.topFeatures.map((contribution) => (
                  <tr key={contribution.feature}>
                    <td title={contribution.feature}>{featureLabel(contribution.feature)}</td>
                    <td className={styles.number}>{formatFigure(contribution.value)}</td>
                    <td className={styles.number}>{formatFigure(contribution.expected)}</td>
                    <td className={styles.number}>{Math.round(contribution.share * 100)}%</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      )}

      {hits.length > 0 && (
        <section className={styles.section} data-testid={testIds.threatList.heuristicEvidence(threat.id)}>
          <div className={styles.heading}>Heuristics</div>
          {hits.map((hit) => (
            <div key={`${hit.heuristic}-${hit.subject}`} className={styles.hit}>
              <div>
                <span className={styles.tag}>{hit.heuristic}</span> <span className={styles.mono}>{hit.subject}</span>{' '}
                <span className={styles.muted}>strength {formatFigure(hit.strength)}</span>
              </div>
              <div className={styles.text}>{hit.reason}</div>
              <div className={styles.chips}>
                {Object.entries(hit.evidence ?? {}).map(([key, value]) => (
                  <span key={key} className={styles.figure}>
                    <span className={styles.muted}>{evidenceLabel(key)}</span> {formatFigure(value)}
                  </span>
                ))}
              </div>
            </div>
          ))}
        </section>
      )}

      <section className={styles.section}>
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
            <span className={styles.muted}>Reputation</span> {threat.reputation.hits.map((hit) => `${hit.provider} ${hit.label}`).join(', ')}
          </div>
        )}
        {threat.userAgent && (
          <div>
            <span className={styles.muted}>User agent</span> {threat.userAgent}
          </div>
        )}
        {onInvestigate && (
          <Button size="sm" icon="search" variant="secondary" onClick={() => onInvestigate(threat)}>
            Investigate {anchor}
          </Button>
        )}
      </section>
    </div>
  );
}

function describeEndpoint(ip: string, port: number | undefined, internal: boolean | undefined, context: string | undefined, geo: Threat['srcGeo']): string {
  const where = internal ? context || 'internal' : [geo?.city, geo?.country, geo?.asOrg].filter(Boolean).join(', ') || 'external';
  return `${ip}${port !== undefined ? `:${port}` : ''} (${where})`;
}

const getStyles = (theme: GrafanaTheme2) => ({
  evidence: css({
    display: 'grid',
    // As many sections as the event has evidence for, each at least wide enough for the feature table.
    gridAutoFlow: 'column',
    gridAutoColumns: 'minmax(240px, 1fr)',
    gap: theme.spacing(2),
    padding: theme.spacing(1, 2, 1, 5),
    height: EXPLANATION_HEIGHT,
    overflowX: 'auto',
    background: theme.colors.background.secondary,
  }),
  section: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(0.5), alignItems: 'flex-start', overflowY: 'auto', minWidth: 0 }),
  heading: css({ color: theme.colors.text.secondary, fontWeight: theme.typography.fontWeightMedium }),
  muted: css({ color: theme.colors.text.secondary }),
  mono: css({ fontFamily: theme.typography.fontFamilyMonospace }),
  text: css({ margin: 0 }),
  chips: css({ display: 'flex', flexWrap: 'wrap', gap: theme.spacing(0.5) }),
  word: css({ fontSize: theme.typography.bodySmall.fontSize }),
  table: css({
    borderCollapse: 'collapse',
    width: '100%',
    'th, td': { padding: theme.spacing(0.25, 1, 0.25, 0), borderBottom: `1px solid ${theme.colors.border.weak}`, whiteSpace: 'nowrap' },
    th: { color: theme.colors.text.secondary, fontWeight: theme.typography.fontWeightMedium, textAlign: 'left' },
  }),
  number: css({ textAlign: 'right', fontVariantNumeric: 'tabular-nums' }),
  hit: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(0.25), width: '100%' }),
  tag: css({
    padding: theme.spacing(0, 0.75),
    borderRadius: theme.shape.radius.pill,
    background: theme.colors.warning.transparent,
    color: theme.colors.warning.text,
  }),
  figure: css({
    padding: theme.spacing(0, 0.75),
    borderRadius: theme.shape.radius.default,
    border: `1px solid ${theme.colors.border.weak}`,
    whiteSpace: 'nowrap',
  }),
});
