import { getDefaultTimeRange, LoadingState, type PanelProps } from '@grafana/data';
import { act, fireEvent, render, screen } from '@testing-library/react';
import React from 'react';
import { of } from 'rxjs';

import { testIds } from '../../components/testIds';
import { threatsToFrame } from '../../frames/threatFrame';
import { makeThreats } from '../../test/fixtures';
import type { ThreatListOptions } from './options';
import { ThreatListPanel } from './ThreatListPanel';

const fetch = jest.fn();
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => ({ fetch }),
}));

function panelProps(frames: PanelProps['data']['series'], options: Partial<ThreatListOptions> = {}): PanelProps<ThreatListOptions> {
  return {
    data: { series: frames, state: LoadingState.Done, timeRange: getDefaultTimeRange() },
    width: 1400,
    height: 500,
    options: { dataType: 'auto', hideRated: false, showToolbar: true, ...options },
    timeRange: getDefaultTimeRange(),
  } as unknown as PanelProps<ThreatListOptions>;
}

describe('ThreatListPanel', () => {
  beforeEach(() => {
    jest.useFakeTimers();
    fetch.mockReset();
  });
  afterEach(() => jest.useRealTimers());

  it('renders threat rows from a frame of the API threat fields', () => {
    const threats = makeThreats(4, { dataType: 'proxy' });
    render(<ThreatListPanel {...panelProps([threatsToFrame(threats)])} />);
    expect(screen.getByTestId(testIds.threatList.row(threats[3].id))).toHaveTextContent(threats[3].url!);
  });

  it('opens in the order the dashboard asks for', () => {
    const threats = makeThreats(4);
    render(<ThreatListPanel {...panelProps([threatsToFrame(threats)], { sortBy: 'lda' })} />);
    expect(screen.getByTestId(testIds.threatList.sortBy('score'))).toHaveAttribute('aria-pressed', 'true');
    expect(screen.getByTestId(testIds.threatList.sortBy('rank'))).toHaveAttribute('aria-pressed', 'false');
  });

  it('posts a benign rating through the plugin route and follows the retraining job until it completes', async () => {
    const [threat] = makeThreats(1);
    const states = ['active', 'completed'];
    fetch.mockImplementation(({ url, method, data }) => {
      if (url.endsWith('/feedback') && method === 'POST') {
        return of({ data: { feedback: { id: 'f1', ...data }, retrainJob: { queue: 'retrain', id: 'job-1' } } });
      }
      if (url.endsWith('/jobs/retrain/job-1')) {
        return of({ data: { id: 'job-1', queue: 'retrain', name: 'retrain', state: states.shift() ?? 'completed', progress: 0, data: { dataType: 'flow' }, attemptsMade: 0, createdAt: '' } });
      }
      throw new Error(`unexpected request ${url}`);
    });
    render(<ThreatListPanel {...panelProps([threatsToFrame([threat])])} />);

    await act(async () => fireEvent.click(screen.getByTestId(testIds.threatList.rate(threat.id, 3))));
    expect(fetch).toHaveBeenCalledWith(
      expect.objectContaining({
        url: 'api/plugin-proxy/spothreat-app/scorer/api/v1/feedback',
        method: 'POST',
        data: expect.objectContaining({ threatId: threat.id, dataType: 'flow', rating: 3, author: expect.any(String) }),
      })
    );
    expect(screen.getByTestId(testIds.threatList.jobState(threat.id))).toHaveAttribute('data-state', 'waiting');

    await act(async () => jest.advanceTimersByTime(1000));
    expect(screen.getByTestId(testIds.threatList.jobState(threat.id))).toHaveAttribute('data-state', 'active');
    await act(async () => jest.advanceTimersByTime(1000));
    expect(screen.getByTestId(testIds.threatList.jobState(threat.id))).toHaveAttribute('data-state', 'completed');
    await act(async () => jest.advanceTimersByTime(5000));
    expect(fetch).toHaveBeenCalledTimes(3);
  });

  it('shows the error next to the row when the scorer refuses the rating', async () => {
    const [threat] = makeThreats(1);
    fetch.mockImplementation(() => {
      throw { status: 404, data: { message: 'unknown threat' } };
    });
    render(<ThreatListPanel {...panelProps([threatsToFrame([threat])])} />);
    await act(async () => fireEvent.click(screen.getByTestId(testIds.threatList.rate(threat.id, 1))));
    expect(screen.getByTestId(testIds.threatList.jobState(threat.id))).toHaveAttribute('data-state', 'error');
  });
});
