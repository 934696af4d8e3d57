import type { AppPluginMeta, PluginConfigPageProps } from '@grafana/data';
import { act, fireEvent, render, screen } from '@testing-library/react';
import React from 'react';
import { of } from 'rxjs';

import { testIds } from '../testIds';
import AppConfig, { type AppSettings } from './AppConfig';

const fetch = jest.fn();
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => ({ fetch }),
}));

function props(meta: Partial<AppPluginMeta<AppSettings>>) {
  return { plugin: { meta: { id: 'spothreat-app', enabled: false, pinned: false, jsonData: {}, ...meta } }, query: {} } as unknown as PluginConfigPageProps<AppPluginMeta<AppSettings>>;
}

describe('AppConfig', () => {
  beforeEach(() => fetch.mockReset());

  it('saves the scorer URL in jsonData and the token in secureJsonData', async () => {
    fetch.mockReturnValue(of({ data: {} }));
    render(<AppConfig {...props({})} />);
    fireEvent.change(screen.getByTestId(testIds.appConfig.scorerUrl), { target: { value: 'http://scorer:7070' } });
    fireEvent.change(screen.getByTestId(testIds.appConfig.token), { target: { value: 's3cret' } });
    await act(async () => fireEvent.click(screen.getByTestId(testIds.appConfig.submit)));
    expect(fetch).toHaveBeenCalledWith(
      expect.objectContaining({
        url: 'api/plugins/spothreat-app/settings',
        method: 'POST',
        data: { enabled: true, pinned: false, jsonData: { scorerUrl: 'http://scorer:7070' }, secureJsonData: { token: 's3cret' } },
      })
    );
  });

  it('keeps a stored token when the field is left alone', async () => {
    fetch.mockReturnValue(of({ data: {} }));
    render(<AppConfig {...props({ jsonData: { scorerUrl: 'http://scorer:7070' }, secureJsonFields: { token: true } })} />);
    await act(async () => fireEvent.click(screen.getByTestId(testIds.appConfig.submit)));
    expect(fetch.mock.calls[0][0].data.secureJsonData).toBeUndefined();
  });

  it('tests the connection through the plugin route and reports the scorer health', async () => {
    fetch.mockImplementation(({ url }) =>
      of({ data: url.endsWith('/health') ? { status: 'ok', version: '0.1.0', opensearch: { ok: true }, redis: { ok: true } } : { items: [], total: 0, page: 1, pageSize: 100 } })
    );
    render(<AppConfig {...props({ jsonData: { scorerUrl: 'http://scorer:7070' } })} />);
    await act(async () => fireEvent.click(screen.getByTestId(testIds.appConfig.testConnection)));
    expect(fetch.mock.calls.map(([request]) => request.url)).toEqual([
      'api/plugin-proxy/spothreat-app/scorer/api/v1/health',
      'api/plugin-proxy/spothreat-app/scorer/api/v1/models',
    ]);
    expect(screen.getByTestId(testIds.appConfig.connectionStatus)).toHaveTextContent('Scorer 0.1.0 is ok: OpenSearch up, Redis up.');
  });

  it('says why the connection failed', async () => {
    fetch.mockImplementation(() => {
      throw { status: 401, data: { message: 'missing or wrong bearer token' } };
    });
    render(<AppConfig {...props({ jsonData: { scorerUrl: 'http://scorer:7070' } })} />);
    await act(async () => fireEvent.click(screen.getByTestId(testIds.appConfig.testConnection)));
    expect(screen.getByTestId(testIds.appConfig.connectionStatus)).toHaveTextContent('Connection failed: missing or wrong bearer token');
  });
});
