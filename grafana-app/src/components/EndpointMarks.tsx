import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Icon, Tooltip, useStyles2 } from '@grafana/ui';
import React from 'react';

import type { Threat } from '../api/types';

type Geo = Threat['srcGeo'];

interface Props {
  ip?: string;
  internal?: boolean;
  /** Network-context name of an internal address. */
  context?: string;
  geo?: Geo;
}

/** An address with Spot's marks: internal addresses as a label (with their network context), external ones with where they are. */
export function EndpointMarks({ ip, internal, context, geo }: Props) {
  const styles = useStyles2(getStyles);
  if (!ip) {
    return <span>-</span>;
  }
  const place = [geo?.city, geo?.country].filter(Boolean).join(', ');
  return (
    <span className={styles.endpoint}>
      {internal ? (
        <Tooltip content={context ? `Internal: ${context}` : 'Internal'}>
          <span className={styles.internal}>{ip}</span>
        </Tooltip>
      ) : (
        <span className={styles.ip}>{ip}</span>
      )}
      {!internal && place && (
        <Tooltip content={[place, geo?.asOrg].filter(Boolean).join(' / ')}>
          <span className={styles.geo}>
            <Icon name="compass" size="xs" />
            {geo?.countryCode ?? geo?.country}
          </span>
        </Tooltip>
      )}
    </span>
  );
}

const LEVEL_LABELS: Record<number, string> = { 3: 'High risk', 2: 'Medium risk', 1: 'Low risk', 0: 'No hit', [-1]: 'Unknown' };

/** Spot's shield: red for high, amber for medium, blue for low reputation risk; the tooltip lists each provider's hit. */
export function ReputationShield({ reputation }: { reputation: Threat['reputation'] }) {
  const styles = useStyles2(getStyles);
  const level = reputation?.level ?? -1;
  if (level <= 0) {
    return null;
  }
  const hits = reputation?.hits.map((hit) => `${hit.provider}: ${hit.label} (${hit.indicator})`).join('\n') ?? '';
  return (
    <Tooltip content={`${LEVEL_LABELS[level]}${hits ? `\n${hits}` : ''}`}>
      <span className={styles.shield(level)} aria-label={`reputation ${LEVEL_LABELS[level]}`}>
        <Icon name="shield" size="sm" />
      </span>
    </Tooltip>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  endpoint: css({ display: 'inline-flex', alignItems: 'center', gap: theme.spacing(0.5), minWidth: 0 }),
  ip: css({ fontFamily: theme.typography.fontFamilyMonospace, overflow: 'hidden', textOverflow: 'ellipsis' }),
  internal: css({
    fontFamily: theme.typography.fontFamilyMonospace,
    padding: theme.spacing(0, 0.5),
    borderRadius: theme.shape.radius.default,
    background: theme.colors.background.secondary,
    border: `1px solid ${theme.colors.border.weak}`,
  }),
  geo: css({ display: 'inline-flex', alignItems: 'center', gap: 2, color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
  shield: (level: number) =>
    css({
      display: 'inline-flex',
      color: level >= 3 ? theme.colors.error.text : level === 2 ? theme.colors.warning.text : theme.colors.info.text,
    }),
});
