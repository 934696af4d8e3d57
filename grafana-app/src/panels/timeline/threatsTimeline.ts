import { DATA_TYPES, type Threat } from '../../api/types';
import { countPerBucket, type SeriesSet } from '../../frames/seriesFrame';

/** Threats counted per time bucket and data type over the range; types with no threat are left out. */
export function threatsTimeline(threats: readonly Threat[], from: number, to: number, buckets = 48): SeriesSet {
  let times: number[] = [];
  const series = DATA_TYPES.map((dataType) => {
    const counted = countPerBucket(
      threats.filter((t) => t.dataType === dataType).map((t) => Date.parse(t.timestamp)),
      from,
      to,
      buckets
    );
    times = counted.times;
    return { name: dataType, values: counted.counts };
  }).filter((s) => s.values.some((v) => v > 0));
  return { times, series };
}
