import { css } from '@emotion/css';
import { dateTimeFormat, type GrafanaTheme2 } from '@grafana/data';
import { locationService } from '@grafana/runtime';
import { Alert, Button, Field, Input, TextArea, useStyles2 } from '@grafana/ui';
import React, { useState } from 'react';

import { scorerClient } from '../../api/scorerClient';
import type { Counted, FlowPair, Peer } from '../../api/types';
import { DataTypePicker } from '../../components/DataTypePicker';
import { SimpleTable, type SimpleColumn } from '../../components/SimpleTable';
import { testIds } from '../../components/testIds';
import { useDataType } from '../../components/useDataType';
import { useElementWidth } from '../../components/useElementWidth';
import { errorMessage, useFetch } from '../../components/useFetch';
import { useLocationSearch } from '../../components/useLocationSearch';
import { useTimeWindow } from '../../components/useTimeWindow';
import { formatCount } from '../../panels/threat-list/columns';
import { ThreatList } from '../../panels/threat-list/ThreatList';
import { useFeedback } from '../../panels/threat-list/useFeedback';
import { anchorFor } from './anchorFor';

const PEER_COLUMNS: Array<SimpleColumn<Peer>> = [
  { header: 'Peer', cell: (p) => p.ip },
  { header: 'Direction', cell: (p) => p.direction },
  { header: 'Where', cell: (p) => (p.internal ? p.context || 'internal' : [p.geo?.city, p.geo?.country].filter(Boolean).join(', ') || 'external') },
  { header: 'Connections', cell: (p) => p.connections, align: 'right' },
  { header: 'Bytes', cell: (p) => formatCount(p.bytes), align: 'right' },
  { header: 'First seen', cell: (p) => dateTimeFormat(p.firstSeen, { format: 'MM-DD HH:mm:ss' }) },
  { header: 'Last seen', cell: (p) => dateTimeFormat(p.lastSeen, { format: 'MM-DD HH:mm:ss' }) },
];

const PAIR_COLUMNS: Array<SimpleColumn<FlowPair>> = [
  { header: 'Source', cell: (p) => `${p.srcIp}${p.srcPort !== undefined ? `:${p.srcPort}` : ''}` },
  { header: 'Destination', cell: (p) => `${p.dstIp}${p.dstPort !== undefined ? `:${p.dstPort}` : ''}` },
  { header: 'Proto', cell: (p) => p.protocol ?? '-' },
  { header: 'Connections', cell: (p) => p.connections, align: 'right' },
  { header: 'Max / avg bytes', cell: (p) => `${formatCount(p.maxBytes)} / ${formatCount(Math.round(p.avgBytes))}`, align: 'right' },
  { header: 'Max / avg packets', cell: (p) => `${formatCount(p.maxPackets)} / ${formatCount(Math.round(p.avgPackets))}`, align: 'right' },
];

const COUNTED_COLUMNS: Array<SimpleColumn<Counted>> = [
  { header: 'Value', cell: (c) => c.value },
  { header: 'Count', cell: (c) => c.count, align: 'right' },
];

/** Spot's threat investigation: the expanded search around one address, name or URL, the analyst's review and the story. */
export default function InvestigationPage() {
  const styles = useStyles2(getStyles);
  const [dataType, setDataType] = useDataType();
  const { window } = useTimeWindow();
  const search = useLocationSearch();
  const anchorParam = search.get('anchor') ?? '';
  const [draft, setDraft] = useState(anchorParam);
  const [containerRef, width] = useElementWidth<HTMLDivElement>();
  const anchor = anchorFor(dataType, anchorParam);
  const { entries, rate, allowlist } = useFeedback();

  const result = useFetch(() => (anchor ? scorerClient.investigate({ type: dataType, ...anchor, ...window }) : undefined), [dataType, anchorParam, window.from, window.to]);
  const threats = useFetch(
    () =>
      anchor && !('uri' in anchor)
        ? scorerClient.threats({ type: dataType, ...window, ip: 'ip' in anchor ? anchor.ip : undefined, domain: 'domain' in anchor ? anchor.domain : undefined, pageSize: 100 })
        : undefined,
    [dataType, anchorParam, window.from, window.to]
  );

  const runSearch = () => locationService.partial({ anchor: draft.trim() }, true);
  const value = result.value;

  return (
    <div className={styles.page} data-testid={testIds.investigationPage.container} ref={containerRef}>
      <div className={styles.controls}>
        <DataTypePicker value={dataType} onChange={setDataType} />
        <Input
          width={48}
          value={draft}
          placeholder="IP address, query name or URL"
          data-testid={testIds.investigationPage.anchor}
          onChange={(e) => setDraft(e.currentTarget.value)}
          onKeyDown={(e) => e.key === 'Enter' && runSearch()}
        />
        <Button icon="search" data-testid={testIds.investigationPage.search} onClick={runSearch}>
          Search
        </Button>
      </div>
      {!anchor && <Alert severity="info" title="Type an address, a query name or a URL and search: the search covers every raw event in the time range, not only the suspicious ones." />}
      {result.error && <Alert severity="error" title={`Investigation failed: ${result.error}`} />}
      {value && (
        <>
          <div className={styles.summary}>
            {formatCount(value.events)} raw {dataType} events involve {anchorParam} in this range.
          </div>
          <div className={styles.columns}>
            <section className={styles.section}>
              <h4>Top peers by connections</h4>
              <SimpleTable rows={value.topPeersByConnections} columns={PEER_COLUMNS} rowKey={(p) => p.ip} testId={testIds.investigationPage.peersByConnections} />
            </section>
            <section className={styles.section}>
              <h4>Top peers by bytes</h4>
              <SimpleTable rows={value.topPeersByBytes} columns={PEER_COLUMNS} rowKey={(p) => p.ip} testId={testIds.investigationPage.peersByBytes} />
            </section>
          </div>
          {value.pairs && (
            <section className={styles.section}>
              <h4>Connections by pair</h4>
              <SimpleTable rows={value.pairs.slice(0, 50)} columns={PAIR_COLUMNS} rowKey={(p, i) => `${p.srcIp}-${p.dstIp}-${p.srcPort}-${p.dstPort}-${i}`} />
            </section>
          )}
          <div className={styles.columns}>
            {(
              [
                ['Names the address asked for', value.namesForIp],
                ['Clients that asked', value.ipsForName],
                ['Addresses answered', value.answersForName],
                ['URIs', value.uris],
                ['Referers', value.referers],
                ['URIs it referred to', value.referredUris],
              ] as Array<[string, Counted[] | undefined]>
            )
              .filter(([, rows]) => rows !== undefined)
              .map(([title, rows]) => (
                <section key={title} className={styles.section}>
                  <h4>{title}</h4>
                  <SimpleTable rows={rows!.slice(0, 20)} columns={COUNTED_COLUMNS} rowKey={(c) => c.value} />
                </section>
              ))}
          </div>
        </>
      )}
      {anchor && (threats.value?.items.length ?? 0) > 0 && (
        <section className={styles.section}>
          <h4>Review: suspicious events of {anchorParam}</h4>
          <ThreatList
            threats={threats.value!.items}
            dataType={dataType}
            width={width - 18}
            height={300}
            feedback={entries}
            onRate={rate}
            onAllowlist={allowlist}
          />
        </section>
      )}
      {anchor && value && <StoryForm dataType={dataType} anchor={anchor} window={window} />}
    </div>
  );
}

function StoryForm({ dataType, anchor, window }: { dataType: Parameters<typeof anchorFor>[0]; anchor: NonNullable<ReturnType<typeof anchorFor>>; window: { from: number; to: number } }) {
  const styles = useStyles2(getStyles);
  const [title, setTitle] = useState('');
  const [summary, setSummary] = useState('');
  const [status, setStatus] = useState<{ ok: boolean; text: string } | undefined>();
  const save = async () => {
    try {
      const story = await scorerClient.saveStoryboard({
        dataType,
        anchor,
        from: new Date(window.from).toISOString(),
        to: new Date(window.to).toISOString(),
        title: title.trim(),
        summary,
      });
      setStatus({ ok: true, text: `Saved "${story.title}" to the storyboard.` });
    } catch (error) {
      setStatus({ ok: false, text: `Saving failed: ${errorMessage(error)}` });
    }
  };
  return (
    <section className={styles.section}>
      <h4>Storyboard</h4>
      <Field label="Title">
        <Input value={title} data-testid={testIds.investigationPage.storyTitle} onChange={(e) => setTitle(e.currentTarget.value)} />
      </Field>
      <Field label="Summary" description="What happened, for the executive briefing.">
        <TextArea rows={4} value={summary} data-testid={testIds.investigationPage.storySummary} onChange={(e) => setSummary(e.currentTarget.value)} />
      </Field>
      <Button data-testid={testIds.investigationPage.storySave} disabled={title.trim() === ''} onClick={save}>
        Save to storyboard
      </Button>
      {status && <Alert className={styles.status} severity={status.ok ? 'success' : 'error'} title={status.text} />}
    </section>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  page: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(2) }),
  controls: css({ display: 'flex', alignItems: 'center', gap: theme.spacing(1) }),
  summary: css({ fontSize: theme.typography.h5.fontSize }),
  columns: css({ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(420px, 1fr))', gap: theme.spacing(2) }),
  section: css({
    padding: theme.spacing(1),
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    background: theme.colors.background.primary,
  }),
  status: css({ marginTop: theme.spacing(1) }),
});
