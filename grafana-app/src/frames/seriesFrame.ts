import { createDataFrame, type DataFrame, FieldType } from '@grafana/data';

export interface Series {
  name: string;
  values: number[];
}

export interface SeriesSet {
  times: number[];
  series: Series[];
}

/** A wide time-series frame: one time field and one number field per series, as Grafana's time series panels read. */
export function seriesToFrame(set: SeriesSet, name: string): DataFrame {
  return createDataFrame({
    name,
    refId: name,
    fields: [
      { name: 'time', type: FieldType.time, values: set.times },
      ...set.series.map((s) => ({ name: s.name, type: FieldType.number, values: s.values })),
    ],
  });
}

/** Reads the first frame that has a time field: its number fields become series. */
export function framesToSeries(frames: DataFrame[]): SeriesSet {
  for (const frame of frames) {
    const time = frame.fields.find((f) => f.type === FieldType.time);
    if (!time) {
      continue;
    }
    const times = time.values.map((t: unknown) => (typeof t === 'number' ? t : Date.parse(String(t))));
    const series = frame.fields
      .filter((f) => f.type === FieldType.number)
      .map((f) => ({ name: f.config?.displayName ?? f.name, values: f.values.map((v: unknown) => Number(v ?? 0)) }));
    return { times, series };
  }
  return { times: [], series: [] };
}

/** Counts events per fixed-width bucket, for a timeline built from events rather than from a histogram query. */
export function countPerBucket(timestamps: number[], from: number, to: number, buckets: number): { times: number[]; counts: number[] } {
  const width = Math.max(1, (to - from) / buckets);
  const times = Array.from({ length: buckets }, (_, i) => from + i * width);
  const counts = new Array<number>(buckets).fill(0);
  for (const t of timestamps) {
    const index = Math.min(buckets - 1, Math.max(0, Math.floor((t - from) / width)));
    counts[index] += 1;
  }
  return { times, counts };
}
