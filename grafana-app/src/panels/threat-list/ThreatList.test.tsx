import { fireEvent, render, screen } from '@testing-library/react';
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
});
