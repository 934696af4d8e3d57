import { dateMath, dateTime, type TimeRange } from '@grafana/data';
import { locationService } from '@grafana/runtime';
import { useCallback, useMemo } from 'react';

import type { TimeWindow } from '../api/types';
import { useLocationSearch } from './useLocationSearch';

const DEFAULT_FROM = 'now-24h';
const DEFAULT_TO = 'now';

/** The page's time range, kept in the URL (`from`, `to`: epoch ms or `now-24h` style) as Grafana keeps its own. */
export function useTimeWindow(): { range: TimeRange; window: TimeWindow; setRange: (range: TimeRange) => void } {
  const search = useLocationSearch();
  const rawFrom = search.get('from') ?? DEFAULT_FROM;
  const rawTo = search.get('to') ?? DEFAULT_TO;
  const range = useMemo<TimeRange>(() => {
    const from = parseTime(rawFrom, false);
    const to = parseTime(rawTo, true);
    return { from, to, raw: { from: rawFrom, to: rawTo } };
  }, [rawFrom, rawTo]);
  const setRange = useCallback((next: TimeRange) => {
    const raw = (value: TimeRange['raw']['from'], parsed: TimeRange['from']) => (typeof value === 'string' ? value : String(parsed.valueOf()));
    locationService.partial({ from: raw(next.raw.from, next.from), to: raw(next.raw.to, next.to) }, true);
  }, []);
  return { range, window: { from: range.from.valueOf(), to: range.to.valueOf() }, setRange };
}

function parseTime(value: string, roundUp: boolean) {
  if (/^\d+$/.test(value)) {
    return dateTime(Number(value));
  }
  return dateMath.parse(value, roundUp) ?? dateTime();
}
