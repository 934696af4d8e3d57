import { css, cx } from '@emotion/css';
import { dateTimeFormat, type GrafanaTheme2 } from '@grafana/data';
import { Alert, Button, useStyles2 } from '@grafana/ui';
import React, { useMemo, useState } from 'react';

import { scorerClient } from '../../api/scorerClient';
import type { StoryboardAnalysisResponse, StoryboardEntry } from '../../api/types';
import { TimeBars } from '../../components/TimeBars';
import { testIds } from '../../components/testIds';
import { useElementWidth } from '../../components/useElementWidth';
import { useFetch } from '../../components/useFetch';
import { useTimeWindow } from '../../components/useTimeWindow';
import { countPerBucket } from '../../frames/seriesFrame';
import { GeoMap } from '../../panels/geo-map/GeoMap';
import { anchorText } from '../Investigation/anchorFor';

const BRIEFING_WIDTH = 280;

/** Spot's storyboard: the executive briefing list, and for the chosen story its progression, impact, map and timeline. */
export default function StoryboardPage() {
  const styles = useStyles2(getStyles);
  const { window } = useTimeWindow();
  const [containerRef, width] = useElementWidth<HTMLDivElement>();
  const stories = useFetch(() => scorerClient.storyboards(window), [window.from, window.to]);
  const [chosenId, setChosenId] = useState<string | undefined>();
  const story = stories.value?.items.find((s) => s.id === chosenId) ?? stories.value?.items[0];
  const analysis = useFetch(
    () =>
      story
        ? scorerClient.storyboardAnalysis({ type: story.dataType, ...anchorOfStory(story), from: Date.parse(story.from), to: Date.parse(story.to) })
        : undefined,
    [story?.id]
  );
  const detailWidth = Math.max(320, width - BRIEFING_WIDTH - 32);

  return (
    <div className={styles.page} data-testid={testIds.storyboardPage.container} ref={containerRef}>
      <aside className={styles.briefing}>
        <h4>Executive threat briefing</h4>
        {stories.error && <Alert severity="error" title={stories.error} />}
        {stories.value?.items.length === 0 && <div className={styles.muted}>No stories in this time range. Write one from an investigation.</div>}
        {stories.value?.items.map((entry) => (
          <button
            key={entry.id}
            className={cx(styles.story, entry.id === story?.id && styles.chosen)}
            data-testid={testIds.storyboardPage.briefing(entry.id)}
            onClick={() => setChosenId(entry.id)}
          >
            <div className={styles.storyTitle}>{entry.title}</div>
            <div className={styles.muted}>
              {entry.dataType} {anchorText(entry.anchor)}, {dateTimeFormat(entry.updatedAt, { format: 'YYYY-MM-DD' })}
            </div>
          </button>
        ))}
      </aside>
      {story && (
        <article className={styles.detail}>
          <div className={styles.header}>
            <div>
              <h2>{story.title}</h2>
              <div className={styles.muted}>
                {story.dataType} {anchorText(story.anchor)} from {dateTimeFormat(story.from)} to {dateTimeFormat(story.to)}, by {story.author}
              </div>
            </div>
            <Button icon="file-alt" variant="secondary" data-testid={testIds.storyboardPage.print} onClick={() => globalThis.print()}>
              Print
            </Button>
          </div>
          <p className={styles.summary}>{story.summary}</p>
          {analysis.error && <Alert severity="error" title={analysis.error} />}
          {analysis.value && <Analysis analysis={analysis.value} anchor={anchorText(story.anchor)} width={detailWidth} />}
        </article>
      )}
    </div>
  );
}

function anchorOfStory(story: StoryboardEntry) {
  const { ip, domain, uri } = story.anchor;
  return ip ? { ip } : domain ? { domain } : { uri: uri ?? '' };
}

function Analysis({ analysis, anchor, width }: { analysis: StoryboardAnalysisResponse; anchor: string; width: number }) {
  const styles = useStyles2(getStyles);
  const impact = [
    { label: 'Inbound only', count: analysis.impact.inbound },
    { label: 'Outbound only', count: analysis.impact.outbound },
    { label: 'Two-way', count: analysis.impact.twoWay },
    ...analysis.impact.byCategory.map((c) => ({ label: c.category, count: c.count })),
  ];
  const largest = Math.max(1, ...impact.map((i) => i.count));
  const timeline = useMemo(() => {
    const starts = analysis.timeline.map((t) => Date.parse(t.start));
    if (starts.length === 0) {
      return { times: [], series: [] };
    }
    const from = Math.min(...starts);
    const to = Math.max(...starts) + 1;
    const counted = countPerBucket(starts, from, to, 40);
    return { times: counted.times, series: [{ name: 'connections', values: counted.counts }] };
  }, [analysis.timeline]);

  return (
    <div className={styles.analysis}>
      <section className={styles.section} data-testid={testIds.storyboardPage.progression}>
        <h4>Incident progression</h4>
        <div className={styles.tree}>
          <div className={styles.anchor}>{anchor}</div>
          <ul>
            {analysis.progression.map((group) => (
              <li key={group.direction}>
                <strong>{group.direction}</strong> ({group.count})
                <ul>
                  {group.contexts.map((context) => (
                    <li key={context.name}>
                      {context.name}: {context.count} <span className={styles.muted}>{context.ips.slice(0, 4).join(', ')}{context.ips.length > 4 ? ', ...' : ''}</span>
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        </div>
      </section>
      <section className={styles.section} data-testid={testIds.storyboardPage.impact}>
        <h4>Impact analysis</h4>
        {impact.map((item) => (
          <div key={item.label} className={styles.impactRow}>
            <span>{item.label}</span>
            <span className={styles.impactBar} style={{ width: `${(item.count / largest) * 100}%` }} />
            <span>{item.count}</span>
          </div>
        ))}
      </section>
      <section className={cx(styles.section, styles.wide)}>
        <h4>Geolocation</h4>
        <GeoMap points={analysis.geo} width={width - 18} height={320} />
      </section>
      <section className={cx(styles.section, styles.wide)}>
        <h4>Timeline</h4>
        <TimeBars set={timeline} width={width - 18} height={180} />
      </section>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  page: css({ display: 'flex', gap: theme.spacing(2), alignItems: 'flex-start' }),
  briefing: css({
    width: BRIEFING_WIDTH,
    flexShrink: 0,
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(1),
    '@media print': { display: 'none' },
  }),
  story: css({
    textAlign: 'left',
    padding: theme.spacing(1),
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    background: theme.colors.background.primary,
    color: theme.colors.text.primary,
    cursor: 'pointer',
  }),
  chosen: css({ borderColor: theme.colors.primary.border, background: theme.colors.action.selected }),
  storyTitle: css({ fontWeight: theme.typography.fontWeightMedium }),
  muted: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
  detail: css({ flexGrow: 1, minWidth: 0 }),
  header: css({ display: 'flex', justifyContent: 'space-between', alignItems: 'flex-start' }),
  summary: css({ whiteSpace: 'pre-wrap', fontSize: theme.typography.body.fontSize, margin: theme.spacing(1, 0, 2) }),
  analysis: css({ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: theme.spacing(2) }),
  wide: css({ gridColumn: '1 / -1', breakInside: 'avoid' }),
  section: css({
    padding: theme.spacing(1),
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    background: theme.colors.background.primary,
    breakInside: 'avoid',
  }),
  tree: css({ ul: { margin: theme.spacing(0.5, 0, 0.5, 2), paddingLeft: theme.spacing(1) } }),
  anchor: css({ fontFamily: theme.typography.fontFamilyMonospace, fontWeight: theme.typography.fontWeightMedium }),
  impactRow: css({ display: 'grid', gridTemplateColumns: '120px 1fr 48px', alignItems: 'center', gap: theme.spacing(1), marginBottom: theme.spacing(0.5) }),
  impactBar: css({ height: 10, borderRadius: theme.shape.radius.default, background: theme.visualization.getColorByName('orange') }),
});
