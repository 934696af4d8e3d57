import { DATA_TYPES, type IngestSummaryResponse } from '../api/types';
import type { SeriesSet } from './seriesFrame';

/**
 * Per-minute ingest counts folded into at most `buckets` bars per data type (all sources summed), so a week of
 * minutes still draws as a readable chart.
 */
export function ingestToSeries(summary: IngestSummaryResponse, from: number, to: number, buckets = 120): SeriesSet {
  const width = Math.max(60_000, Math.ceil((to - from) / buckets / 60_000) * 60_000);
  const count = Math.max(1, Math.ceil((to - from) / width));
  const times = Array.from({ length: count }, (_, i) => from + i * width);
  const values = new Map(DATA_TYPES.map((type) => [type, new Array<number>(count).fill(0)]));
  for (const point of summary.points) {
    const index = Math.floor((Date.parse(point.minute) - from) / width);
    if (index >= 0 && index < count) {
      values.get(point.dataType)![index] += point.count;
    }
  }
  const present = new Set(summary.totals.filter((t) => t.count > 0).map((t) => t.dataType));
  return { times, series: DATA_TYPES.filter((type) => present.has(type)).map((type) => ({ name: type, values: values.get(type)! })) };
}
