import type { DataFrame } from '@grafana/data';

import type { Threat } from '../api/types';
import { frameToRows, rowsToFrame } from './rowsFrame';

/** Threats as one table frame whose field names are the API's Threat keys (`srcIp`, `srcGeo.country`, ...). */
export function threatsToFrame(threats: readonly Threat[]): DataFrame {
  return rowsToFrame(threats, 'threats');
}

/**
 * Threats back from every frame that has a `srcIp` field: the app's own frames, or a data source that queries
 * /api/v1/threats. Arrays and texts a frame may lack get empty defaults so the list can always render a row.
 */
export function framesToThreats(frames: DataFrame[]): Threat[] {
  const threats: Threat[] = [];
  for (const frame of frames) {
    if (!frame.fields.some((field) => field.name === 'srcIp')) {
      continue;
    }
    for (const row of frameToRows(frame)) {
      const position = threats.length;
      threats.push({
        dataType: 'flow',
        explanation: '',
        model: '',
        modelVersion: 0,
        windowFrom: '',
        windowTo: '',
        rawIndex: '',
        rawId: '',
        timestamp: '',
        score: 1,
        ...row,
        id: String(row.id ?? `row-${position}`),
        rank: Number(row.rank ?? position + 1),
        words: asList(row.words),
        heuristics: asList(row.heuristics),
      } as Threat);
    }
  }
  return threats;
}

/** Lists arrive as arrays from the app, and joined with `|` from the CSV export. */
function asList(value: unknown): string[] {
  if (Array.isArray(value)) {
    return value.map(String);
  }
  return typeof value === 'string' && value !== '' ? value.split('|') : [];
}
