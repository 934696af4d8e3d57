/**
 * The data a dashboard would hand each panel. Normally it comes from the scorer API through the app's plugin route
 * (what a data source querying the API returns); with `bench=N` it is made up in the page, so the benchmark times
 * rendering and not the network.
 */
import type { DataFrame, TimeRange } from '@grafana/data';

import type { DataType, NetworkResponse, Threat } from '../../../grafana-app/src/api/types';
import { geoPointsToFrame } from '../../../grafana-app/src/frames/geoFrame';
import { networkToFrames } from '../../../grafana-app/src/frames/graphFrames';
import { threatsToNetwork } from '../../../grafana-app/src/frames/threatRows';
import { ingestToSeries } from '../../../grafana-app/src/frames/ingestSeries';
import { seriesToFrame } from '../../../grafana-app/src/frames/seriesFrame';
import { threatsToFrame } from '../../../grafana-app/src/frames/threatFrame';
import { makeThreats } from '../../../grafana-app/src/test/fixtures';

const API = '/api/plugin-proxy/spothreat-app/scorer/api/v1';

async function api<T>(path: string, params: Record<string, string | number>): Promise<T> {
  const query = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]));
  const response = await fetch(`${API}/${path}?${query}`);
  if (!response.ok) {
    throw new Error(`${path}: ${response.status} ${await response.text()}`);
  }
  return response.json();
}

/** A graph of exactly `nodes` addresses drawn from made-up threats. */
export function benchNetwork(nodes: number): NetworkResponse {
  const threats = makeThreats(nodes * 3, { internalHosts: Math.ceil(nodes / 5), externalHosts: nodes * 2, seed: 11 });
  const network = threatsToNetwork(threats);
  const kept = new Set(network.nodes.slice(0, nodes).map((n) => n.id));
  return { nodes: network.nodes.filter((n) => kept.has(n.id)), edges: network.edges.filter((e) => kept.has(e.source) && kept.has(e.target)) };
}

export async function harnessData(panel: string, timeRange: TimeRange, type: string, bench: number): Promise<DataFrame[]> {
  const dataType = type as DataType;
  if (bench > 0) {
    return panel === 'network-graph' ? networkToFrames(benchNetwork(bench)) : [threatsToFrame(makeThreats(bench, { dataType }))];
  }
  const window = { type: dataType, from: timeRange.from.valueOf(), to: timeRange.to.valueOf() };
  switch (panel) {
    case 'network-graph':
      return networkToFrames(await api<NetworkResponse>('network', { ...window, limit: 500 }));
    case 'geo-map':
      return [geoPointsToFrame((await api<{ points: Parameters<typeof geoPointsToFrame>[0] }>('geo', { ...window, limit: 500 })).points)];
    case 'ingest-summary': {
      const summary = await api<Parameters<typeof ingestToSeries>[0]>('ingest/summary', { from: window.from, to: window.to });
      return [seriesToFrame(ingestToSeries(summary, window.from, window.to), 'ingest')];
    }
    default:
      return [threatsToFrame((await api<{ items: Threat[] }>('threats', { ...window, pageSize: 500 })).items)];
  }
}
