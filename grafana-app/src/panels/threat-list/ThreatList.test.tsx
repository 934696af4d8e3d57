import { fireEvent, render, screen, within } from '@testing-library/react';
import React from 'react';

import type { Threat } from '../../api/types';
import { testIds } from '../../components/testIds';
import { makeThreats } from '../../test/fixtures';
import { ThreatList, type ThreatListProps } from './ThreatList';

function renderList(overrides: Partial<ThreatListProps> = {}) {
  const props: ThreatListProps = {
    threats: makeThreats(30),
    width: 1400,
    height: 600,
    feedback: new Map(),
    onRate: jest.fn(),
    onAllowlist: jest.fn(),
    ...overrides,
  };
  render(<ThreatList {...props} />);
  return props;
}

const renderedRows = () => screen.queryAllByTestId(/^spothreat-threat-row-/);
/** The rows in the order they sit on screen: the virtual list positions them by `top`, not by DOM order. */
const idsOnScreen = () =>
  renderedRows()
    .map((row) => ({ id: row.getAttribute('data-testid')!.replace('spothreat-threat-row-', ''), top: parseFloat(row.style.top) }))
    .sort((a, b) => a.top - b.top)
    .map((row) => row.id);

describe('ThreatList', () => {
  it('keeps only the rows in view in the DOM, even with ten thousand threats', () => {
    const threats = makeThreats(10_000);
    renderList({ threats, height: 600 });
    expect(screen.getByTestId(testIds.threatList.rowCount)).toHaveTextContent('10000 of 10000 events');
    const rows = renderedRows();
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.length).toBeLessThan(40);
    expect(screen.getByTestId(testIds.threatList.row(threats[0].id))).toBeInTheDocument();
  });

  it('shows the rows further down after a scroll', () => {
    const threats = makeThreats(10_000);
    renderList({ threats });
    fireEvent.scroll(screen.getByTestId(testIds.threatList.viewport), { target: { scrollTop: 36 * 5000 } });
    expect(screen.getByTestId(testIds.threatList.row(threats[5000].id))).toBeInTheDocument();
    expect(screen.queryByTestId(testIds.threatList.row(threats[0].id))).not.toBeInTheDocument();
  });

  it('lays the columns out for the data type: query names for DNS, URLs for proxy', () => {
    renderList({ threats: makeThreats(3, { dataType: 'dns' }) });
    expect(screen.getByText('Query')).toBeInTheDocument();
    expect(screen.queryByText('Destination IP')).not.toBeInTheDocument();
  });

  it('narrows the list to threats whose address, name or tag contains the filter text', () => {
    const threats = makeThreats(30);
    renderList({ threats });
    fireEvent.change(screen.getByTestId(testIds.threatList.filter), { target: { value: threats[3].dstIp } });
    const expected = threats.filter((t) => t.srcIp.includes(threats[3].dstIp!) || t.dstIp === threats[3].dstIp).length;
    expect(renderedRows()).toHaveLength(expected);
  });

  it('hides rated threats when asked to', () => {
    const threats: Threat[] = makeThreats(5).map((t, i) => (i < 2 ? { ...t, rating: 1 } : t));
    renderList({ threats });
    fireEvent.click(screen.getByTestId(testIds.threatList.hideRated));
    expect(renderedRows()).toHaveLength(3);
  });

  it('explains a threat when its row is expanded', () => {
    const threats = makeThreats(3);
    renderList({ threats });
    fireEvent.click(screen.getByTestId(testIds.threatList.expand(threats[1].id)));
    expect(screen.getByTestId(testIds.threatList.explanation(threats[1].id))).toHaveTextContent(threats[1].explanation);
  });

  it('passes the rating the analyst clicks', () => {
    const threats = makeThreats(3);
    const props = renderList({ threats });
    fireEvent.click(screen.getByTestId(testIds.threatList.rate(threats[2].id, 3)));
    expect(props.onRate).toHaveBeenCalledWith(threats[2], 3);
  });

  it('allowlists the fields the analyst checks, with the reason and an expiry', () => {
    const threats = makeThreats(3);
    const props = renderList({ threats });
    fireEvent.click(screen.getByTestId(testIds.threatList.allowlist(threats[0].id)));
    fireEvent.click(screen.getByTestId(testIds.allowlistForm.field('dstPort')));
    fireEvent.change(screen.getByTestId(testIds.allowlistForm.reason), { target: { value: 'backup traffic' } });
    fireEvent.click(screen.getByTestId(testIds.allowlistForm.submit));
    expect(props.onAllowlist).toHaveBeenCalledWith(
      threats[0],
      expect.objectContaining({ match: { srcIp: threats[0].srcIp, dstPort: threats[0].dstPort }, reason: 'backup traffic', expiresAt: expect.any(String) })
    );
  });

  it('shows the state of the retraining job a rating started', () => {
    const threats = makeThreats(2);
    renderList({ threats, feedback: new Map([[threats[0].id, { rating: 3 as const, jobState: 'active' as const }]]) });
    expect(screen.getByTestId(testIds.threatList.jobState(threats[0].id))).toHaveTextContent('retrain active');
  });

  it("shows the fused rank and score beside Spot's LDA score and the autoencoder mark for flows", () => {
    const [threat] = makeThreats(1);
    renderList({ threats: [{ ...threat, rank: 7, score: 2.5e-6, fused: { score: 8.25, rank: 5, pValue: 5.6e-9, by: 'fisher', components: {} } }] });
    for (const header of ['Rank', 'Fused', 'P(word|IP)', 'AE error']) {
      expect(screen.getByText(header)).toBeInTheDocument();
    }
    const row = within(screen.getByTestId(testIds.threatList.row(threat.id)));
    expect(row.getByText('5')).toBeInTheDocument();
    expect(row.getByText('8.3')).toBeInTheDocument();
    expect(row.getByText('2.50e-6')).toBeInTheDocument();
  });

  it('marks a flow whose autoencoder error passes its threshold, with the multiple', () => {
    const [above, below] = makeThreats(2);
    renderList({
      threats: [
        { ...above, autoencoder: { error: 2.4, threshold: 0.8, topFeatures: [] } },
        { ...below, autoencoder: { error: 0.4, threshold: 0.8, topFeatures: [] } },
      ],
    });
    expect(screen.getByTestId(testIds.threatList.autoencoderMark(above.id))).toHaveAttribute('data-above-threshold', 'true');
    expect(screen.getByTestId(testIds.threatList.autoencoderMark(above.id))).toHaveTextContent('3.0x');
    expect(screen.getByTestId(testIds.threatList.autoencoderMark(below.id))).toHaveAttribute('data-above-threshold', 'false');
    expect(screen.getByTestId(testIds.threatList.autoencoderMark(below.id))).toHaveTextContent('0.5x');
  });

  it('has no autoencoder column for DNS, which the autoencoder does not score', () => {
    renderList({ threats: makeThreats(3, { dataType: 'dns' }) });
    expect(screen.getByText('P(word|IP)')).toBeInTheDocument();
    expect(screen.queryByText('AE error')).not.toBeInTheDocument();
  });

  it('opens in fused-rank order whatever order the threats arrive in', () => {
    const threats = makeThreats(6);
    renderList({ threats: [...threats].reverse() });
    expect(screen.getByTestId(testIds.threatList.sortBy('rank'))).toHaveAttribute('aria-pressed', 'true');
    expect(idsOnScreen()).toEqual(threats.map((t) => t.id));
  });

  it("sorts by Spot's LDA score, lowest first, when its header is clicked", () => {
    const threats = makeThreats(6);
    renderList({ threats });
    fireEvent.click(screen.getByTestId(testIds.threatList.sortBy('score')));
    const byLda = [...threats].sort((a, b) => a.score - b.score).map((t) => t.id);
    expect(idsOnScreen()).toEqual(byLda);
    expect(screen.getByTestId(testIds.threatList.sortBy('rank'))).toHaveAttribute('aria-pressed', 'false');
  });

  it('falls back to the LDA rank and shows no fused score for an event the fusion did not rank', () => {
    const [threat] = makeThreats(1);
    renderList({ threats: [{ ...threat, rank: 12, fused: undefined, autoencoder: undefined }] });
    const row = within(screen.getByTestId(testIds.threatList.row(threat.id)));
    expect(row.getByText('12')).toBeInTheDocument();
    expect(row.getAllByText('-').length).toBeGreaterThanOrEqual(2);
  });

  it("lays out the evidence of an expanded row: the LDA explanation, the autoencoder's features and the heuristic hits", () => {
    const [threat] = makeThreats(1);
    const evidenced: Threat = {
      ...threat,
      explanation: 'P(word | 10.0.0.1) is 1e-7: this host rarely talks this way.',
      concentration: 2.75,
      autoencoder: {
        error: 1.6,
        threshold: 0.8,
        topFeatures: [
          { feature: 'log_source_bytes', share: 0.62, value: 48000, expected: 1200 },
          { feature: 'destination_port', share: 0.21, value: 4444, expected: 443 },
        ],
      },
      heuristics: ['beaconing'],
      heuristicHits: [
        { heuristic: 'beaconing', subject: '10.0.0.1', reason: '96 connections every 300.2 s', strength: 2.5, evidence: { events: 96, meanIntervalSeconds: 300.2 } },
      ],
    };
    renderList({ threats: [evidenced] });
    fireEvent.click(screen.getByTestId(testIds.threatList.expand(threat.id)));

    const lda = screen.getByTestId(testIds.threatList.ldaEvidence(threat.id));
    expect(lda).toHaveTextContent(evidenced.explanation);
    expect(lda).toHaveTextContent('concentration 2.75');

    const autoencoder = within(screen.getByTestId(testIds.threatList.autoencoderEvidence(threat.id)));
    expect(autoencoder.getByText(/error 1.6 against threshold 0.8 \(2.0x\)/)).toBeInTheDocument();
    const sourceBytes = autoencoder.getByText('source bytes').closest('tr')!;
    expect(sourceBytes).toHaveTextContent('48,000');
    expect(sourceBytes).toHaveTextContent('1,200');
    expect(sourceBytes).toHaveTextContent('62%');
    expect(autoencoder.getByText('destination port').closest('tr')).toHaveTextContent('4,444443');

    const heuristics = screen.getByTestId(testIds.threatList.heuristicEvidence(threat.id));
    expect(heuristics).toHaveTextContent('96 connections every 300.2 s');
    expect(heuristics).toHaveTextContent('mean interval seconds 300');
    expect(heuristics).toHaveTextContent('strength 2.5');
  });

  it('leaves out the autoencoder and heuristic sections for an event without that evidence', () => {
    const [threat] = makeThreats(1, { dataType: 'dns' });
    renderList({ threats: [{ ...threat, heuristics: [], heuristicHits: undefined }] });
    fireEvent.click(screen.getByTestId(testIds.threatList.expand(threat.id)));
    expect(screen.getByTestId(testIds.threatList.ldaEvidence(threat.id))).toHaveTextContent(threat.explanation);
    expect(screen.queryByTestId(testIds.threatList.autoencoderEvidence(threat.id))).not.toBeInTheDocument();
    expect(screen.queryByTestId(testIds.threatList.heuristicEvidence(threat.id))).not.toBeInTheDocument();
  });
});
